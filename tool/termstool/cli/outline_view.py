"""The clause tree in the terminal (a rich table per document)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from termstool.app.workspace import Workspace
from termstool.cli.common import captured, stdout
from termstool.format.numbering import number_label
from termstool.model.document import Document


def outline_terminal(documents: Sequence[Document], workspace: Workspace) -> str:
    """Every clause: number, id, titles, languages present, its file's name."""
    return captured(lambda console: _print_outline(documents, workspace, console), stdout())


def _print_outline(documents: Sequence[Document], workspace: Workspace,
                   console: Console) -> None:
    for document in documents:
        langs = document.manifest.languages
        clauses = list(document.walk())
        numbers = ["  " * (c.depth - 1) + (number_label(c.number, document.manifest.numbering,
                                                         document.manifest.authoritative)
                                            or "·") for c in clauses]
        # The tree reads at 80 columns: numbers first and never cut; each clause shows its
        # own file name (the document's directory is in the heading, a clause's directories
        # are the clauses above it); titles and names are cut before anything else.
        table = Table(title=f"{document.id} · {document.manifest.version} · "
                                   f"{workspace.display(document.path)}/",
                      expand=False, title_justify="left")
        number_width = max((cell_len(n) for n in numbers), default=1)
        id_width = max((len(c.id) for c in clauses), default=2)
        lang_width = max(len("languages"), len(" ".join(f"✗{lang}" for lang in langs)))
        # Five columns take 16 cells of borders and padding; titles and file names share
        # what is left, titles a little more.
        rest = max(24, console.width - number_width - id_width - lang_width - 16)
        table.add_column("§", style="cyan", no_wrap=True, min_width=number_width)
        table.add_column("id", no_wrap=True, min_width=id_width)
        table.add_column("title", no_wrap=True, overflow="ellipsis", max_width=rest * 11 // 20)
        table.add_column("languages", no_wrap=True, min_width=lang_width)
        table.add_column("file", style="dim", no_wrap=True, overflow="ellipsis",
                         max_width=rest - rest * 11 // 20)
        for clause, number in zip(clauses, numbers, strict=True):
            present = [lang for lang in langs if clause.body.has(lang) or
                       (clause.title.has(lang) and clause.children)]
            marks = Text(" ").join(Text(lang) if lang in present else Text(f"✗{lang}", "red")
                                   for lang in langs)
            title = " / ".join(clause.title.get(lang) for lang in langs if clause.title.get(lang))
            name = clause.file.rsplit("/", 2)[-2] + "/" if clause.file.endswith("/_index.md") \
                else clause.file.rsplit("/", 1)[-1]
            table.add_row(number, clause.id, title, marks, name)
        console.print(table)
