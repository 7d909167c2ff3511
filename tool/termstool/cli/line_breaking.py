"""Text laid out in the terminal with the line breaks of Chinese and Japanese
typesetting (see :func:`termstool.format.characters.line_breaks`)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from termstool.format.characters import line_breaks


class LineBroken:
    """Text broken into lines as Chinese and Japanese typesetting wants: never a line
    that starts with 。 or ） or ends with （ (rich alone folds CJK text at any
    character); Latin words break at spaces."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        measured = Measurement.get(console, options, self.text)
        # rich takes a CJK sentence for one long word; it breaks between characters
        return Measurement(min(measured.minimum, 10), measured.maximum)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = []
        for paragraph in self.text.split("\n", allow_blank=True):
            breaks = line_breaks(paragraph.plain, options.max_width, cell_len)
            for line in paragraph.divide(breaks):
                line.rstrip()
                lines.append(line)
        yield Text("\n").join(lines)
