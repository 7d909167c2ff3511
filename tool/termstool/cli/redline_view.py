"""A redline in the terminal: the summary table, then each changed clause in every language.

Deletions are red and struck through, insertions green and underlined. Without colour
(NO_COLOR, or output to a file or pipe) they are also marked ``[-old-]`` and ``{+new+}``,
as git's word diff does, so the redline never depends on styles alone.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from termstool.cli.common import captured, stdout
from termstool.compare.clause_diff import Redline, describe
from termstool.compare.text_diff import DELETE, INSERT, Segment
from termstool.model.languages import language_name
from termstool.render.redline_text import (
    counts_line,
    kind_label,
    shown_languages,
    shows_text,
    versions_line,
)

PLAIN_WIDTH = 100  # columns of the plain-text redline written to a file


def redline_terminal(redline: Redline, languages: Sequence[str] | None) -> str:
    """The redline for the terminal, in colour when it has colours."""
    return captured(lambda console: print_redline(redline, languages, console), stdout())


def redline_plain(redline: Redline, languages: Sequence[str] | None) -> str:
    """The same redline without colour, at a fixed width, for a file or a log."""
    console = Console(file=io.StringIO(), width=PLAIN_WIDTH, color_system=None,
                      highlight=False, no_color=True, markup=False)
    return captured(lambda c: print_redline(redline, languages, c), console)


_ALIKE_SHOWN = 10  # documents without differences named before "and N more"


def print_redline(redline: Redline, languages: Sequence[str] | None,
                  console: Console) -> None:
    """Print the summary table, then each changed clause's redline in every language."""
    plain = console.no_color or console.color_system is None
    console.print(Text(f"Redline {redline.ref_from} → {redline.ref_to}", style="bold"))
    if not redline.changed:
        console.print("No differences.")
    # A catalogue's redline lists hundreds of documents, most without a difference: one
    # line names those, after the ones that changed.
    alike = [d for d in redline.documents if not d.changed]
    for document in redline.documents:
        if not document.changed and len(alike) > 1:
            continue
        langs = shown_languages(document, languages)
        title = document.title.get(document.authoritative) or document.id
        console.print()
        console.print(Rule(Text(f"{title} ({document.id})", style="bold")))
        console.print(Text(f"Compared {versions_line(redline, document)}: "
                           f"{counts_line(document)}.", style="dim"))
        if not document.changes:
            continue
        table = Table(header_style="bold", expand=False, show_edge=False)
        for name in ("§", "Clause", "Id", "Change", "Languages"):
            table.add_column(name, overflow="fold")
        for change in document.changes:
            table.add_row(Text(change.number_label, style="cyan"), Text(change.label),
                          Text(change.id), Text(kind_label(change), style=_KIND_STYLE.get(
                              change.kind.value, "")),
                          Text(", ".join(change.languages_changed) or "—"))
        console.print(table)
        for change in document.changes:
            if not shows_text(change):
                continue
            console.print()
            heading = Text()
            heading.append(change.number_label, style="bold cyan")
            heading.append(f"  {change.label}  ", style="bold")
            heading.append(f"[{kind_label(change)}] ", style=_KIND_STYLE.get(
                change.kind.value, ""))
            heading.append(change.id, style="dim")
            console.print(heading)
            console.print(Text(describe(change), style="dim"))
            for lang in langs:
                diff = change.text(lang)
                if diff is None:
                    continue
                same = change.text_changed and lang not in change.languages_changed
                console.print(Text(language_name(lang) + (" (unchanged)" if same else ""),
                                   style="bold underline"))
                console.print(_redline_rich(diff.shown(), plain))
    if len(alike) > 1:
        shown = ", ".join(d.id for d in alike[:_ALIKE_SHOWN])
        more = f" and {len(alike) - _ALIKE_SHOWN} more" if len(alike) > _ALIKE_SHOWN else ""
        console.print()
        console.print(Text(f"{len(alike)} documents without differences: {shown}{more}.",
                           style="dim"))


_KIND_STYLE = {"added": "green", "removed": "red", "modified": "yellow", "moved": "magenta",
               "renamed": "magenta", "reference": "blue", "renumbered": "dim"}

def _redline_rich(shown: Sequence[Segment], plain: bool) -> Text:
    """A rich Text of one language's redline; ``plain`` adds [-…-] and {+…+} markers."""
    text = Text()
    for segment in shown:
        if segment.op == DELETE:
            body = f"[-{segment.text}-]" if plain else segment.text
            text.append(body, style="red strike")
        elif segment.op == INSERT:
            body = f"{{+{segment.text}+}}" if plain else segment.text
            text.append(body, style="green underline")
        else:
            text.append(segment.text)
        if segment.note:
            text.append(f" [{segment.note}]", style="dim italic")
    return text
