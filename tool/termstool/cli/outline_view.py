"""The clause tree in the terminal (a rich table per document)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from termstool.app.workspace import Workspace
from termstool.cli.common import captured, stdout
from termstool.format.numbering import number_label
from termstool.model.document import Document


def outline_terminal(documents: Sequence[Document], workspace: Workspace) -> str:
    """Every clause: number, id, titles, languages present, file."""
    return captured(lambda console: _print_outline(documents, workspace, console), stdout())


def _print_outline(documents: Sequence[Document], workspace: Workspace,
                   console: Console) -> None:
    for document in documents:
        langs = document.manifest.languages
        # Everything from the files is escaped: a title "[见附件]" is text, not rich markup.
        table = Table(title=escape(f"{document.id} · {document.manifest.version}"), expand=False,
                      title_justify="left")
        table.add_column("§", style="cyan", no_wrap=True)
        table.add_column("id", no_wrap=True)
        table.add_column("title", overflow="fold")
        table.add_column("languages", no_wrap=True)
        table.add_column("file", style="dim", overflow="fold")
        for clause in document.walk():
            present = [lang for lang in langs if clause.body.has(lang) or
                       (clause.title.has(lang) and clause.children)]
            marks = " ".join(lang if lang in present else f"[red]✗{lang}[/]" for lang in langs)
            title = " / ".join(clause.title.get(lang) for lang in langs if clause.title.get(lang))
            indent = "  " * (clause.depth - 1)
            label = number_label(clause.number, document.manifest.numbering,
                                 document.manifest.authoritative)
            table.add_row(escape(indent + (label or "·")), escape(clause.id), escape(title), marks,
                          escape(workspace.display(clause.file)))
        console.print(table)
