"""`terms apply`: bring the edits made to an exported Word file back into the clause files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from termstool.cli.common import handle_errors, stdout, warn


@handle_errors
def apply(
    file: Annotated[Path, typer.Argument(
        help="The Word file exported with 'terms render -o FILE.docx' and edited.",
        show_default=False)],
    path: Annotated[Path | None, typer.Argument(
        help="The terms repository, group or document to apply to. Default: ./terms.",
        show_default=False)] = None,
    accept_all: Annotated[bool, typer.Option(
        "--accept-all", help="Accept every tracked change still in the file (as Word's "
        "Accept All would) instead of refusing while any is unresolved.")] = False,
    add: Annotated[bool, typer.Option(
        "--add", help="Make text typed outside every clause into new clauses, each placed "
        "after the clause before it, instead of refusing.")] = False,
) -> None:
    """Write the edits made in a Word file back into the clause files, both languages.

    Export the terms with 'terms render -o terms.docx', edit the file in Word (Track
    Changes on), and apply it: each paragraph is matched to its clause by the clause's
    bookmark, and each clause whose text changed is rewritten; bold, italic, code and
    links are kept, other formatting is reported. Nothing is written when tracked changes
    are unresolved (accept or reject them in Word, or pass --accept-all), when text was
    added outside every clause (move it into one, or pass --add), or when the file was
    exported from another version and edits clauses that have changed since. Applying a
    file exported without edits changes nothing. Review the result with 'terms diff'.

    Examples:

      terms apply edited.docx                 # after accepting every change in Word

      terms apply edited.docx --accept-all    # accept the tracked changes here
    """
    from termstool.app.apply_docx import apply_docx
    from termstool.app.workspace import Workspace

    result = apply_docx(Workspace.open(path), file, accept_all=accept_all, add=add)
    for note in result.notes:
        warn(note)
    out = stdout()
    if not result.changed:
        out.print("No clause text changed: nothing to write.", highlight=False)
        return
    if result.other_version:
        out.print(f"The file was exported from version {result.other_version}; "
                  "its edits applied cleanly to the working tree.", highlight=False)
    for clause in result.changed:
        what = "added" if clause.added else "changed"
        out.print(f"{clause.number or '·'} {clause.id}: {what} "
                  f"({', '.join(clause.languages)}) {clause.file}",
                  soft_wrap=True)
    out.print(f"{len(result.changed)} clause(s) written; review them with 'terms diff'.",
              highlight=False)
