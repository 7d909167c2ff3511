"""`terms outline`: the clause tree with numbers, ids, titles and files."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from termstool.cli.common import PathArg, escape, handle_errors, stdout


class OutlineFormat(StrEnum):
    """Output formats of `terms outline`."""

    terminal = "terminal"
    json = "json"


@handle_errors
def outline(
    path: PathArg = None,
    fmt: Annotated[OutlineFormat, typer.Option("--format", "-f", help="terminal or json.")]
    = OutlineFormat.terminal,
) -> None:
    """List every clause: computed number, id, titles, file, and a mark where a language
    block is missing."""
    from termstool.app.workspace import Workspace
    from termstool.report.outline import outline_json

    workspace = Workspace.open(path)
    loaded = workspace.require_documents()
    if fmt is OutlineFormat.json:
        print(json.dumps(outline_json(loaded.documents), ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    console = stdout()
    for document in loaded.documents:
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
            table.add_row(indent + (clause.number or "·"), escape(clause.id), escape(title), marks,
                          escape(workspace.display(clause.file)))
        console.print(table)
