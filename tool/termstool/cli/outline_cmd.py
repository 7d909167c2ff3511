"""`terms outline`: the clause tree with numbers, ids, titles and files."""

from __future__ import annotations

from typing import Annotated

import typer

from termstool.cli.common import PathArg, handle_errors, write_output


@handle_errors
def outline(
    path: PathArg = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", metavar="FORMAT", help="terminal or json.")] = "terminal",
) -> None:
    """List every clause: computed number, id, titles, file, and a mark where a language
    block is missing.

    The file column shows each clause's own file name; the document's directory is in
    the heading, and a clause with sub-clauses is a directory (shown with a /) whose
    files are the sub-clauses below it. --format json gives the full paths.

    Examples:

      terms outline                                  # every document under ./terms

      terms outline terms/product/terms-of-service -f json
    """
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.app.render import refuse_incomplete
    from termstool.app.workspace import Workspace
    from termstool.cli.outputs import OUTLINE

    renderer = OUTLINE.choose(fmt, None, "terminal")
    workspace = Workspace.open(path)
    loaded = workspace.require_documents()
    refuse_incomplete(workspace, loaded)  # a clause left out would shift every number
    write_output(renderer.render(loaded.documents, workspace), fmt=renderer.format.name)
