"""The full text in the terminal (rich): languages side by side, or clause after clause."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from termstool.cli.common import captured, stdout
from termstool.cli.line_breaking import LineBroken
from termstool.format.commonmark import to_plain
from termstool.format.numbering import number_mark
from termstool.model.document import Clause, Document
from termstool.model.languages import language_name
from termstool.render import RenderOptions
from termstool.render.document_text import header_lines


def _cell(clause: Clause, lang: str, numbers: dict[str, str]) -> Text:
    text = Text()
    title = to_plain(clause.title.get(lang), {})
    if title:
        text.append(title, style="bold")
    body = to_plain(clause.body.get(lang), numbers, addresses=True)
    if body:
        if title:
            text.append("\n")
        text.append(body)
    return text


def documents_terminal(documents: Sequence[Document], options: RenderOptions) -> str:
    """The documents for the terminal, as wide as it is."""
    return captured(lambda console: print_documents(documents, options, console), stdout())


def print_documents(documents: Sequence[Document], options: RenderOptions,
                    console: Console) -> None:
    """Print documents: a table with a column per language, or clause after clause."""
    languages = options.shown(documents)
    for document in documents:
        numbers = document.numbers()
        style = document.manifest.numbering
        head = header_lines(document, languages)
        console.print(Panel(Text("\n".join(head[:-1]), style="bold") + Text("\n" + head[-1],
                                                                          style="dim"),
                            expand=True))
        for banner in options.banner:
            # Text, never markup: the address is printed as written (and revealed).
            console.print(Panel(Text(banner.plain()), style="yellow"))
        if options.layout == "parallel" and len(languages) > 1:
            table = Table(show_lines=True, expand=True, header_style="bold")
            table.add_column("§", no_wrap=True, style="cyan")
            for lang in languages:
                table.add_column(language_name(lang), ratio=1, overflow="fold")
            for clause in document.walk():
                mark = Text(number_mark(clause.number, style, languages[0]))
                table.add_row(mark, *[LineBroken(_cell(clause, lang, numbers))
                                      for lang in languages])
            console.print(table)
            continue
        for clause in document.walk():
            parts: list[LineBroken] = []
            for lang in languages:
                cell = _cell(clause, lang, numbers)
                if cell:
                    parts.append(LineBroken(cell))
            indent = 2 * max(clause.depth - 1, 0)
            number = Text(number_mark(clause.number, style, languages[0]) or "·",
                          style="bold cyan")
            console.print(Padding(Group(number, *parts), (0, 0, 1, indent)))
