"""`terms notice`: the announcement of a release in the document's languages, generated
from the repository."""

from __future__ import annotations

from typing import Annotated

import typer

from termstool.cli.common import ForceOpt, OutputOpt, PathArg, handle_errors, warn, write_output


@handle_errors
def notice(
    version: Annotated[str, typer.Argument(help="The version to announce, e.g. 20211101 "
                                           "(as recorded by `terms release`).",
                                           show_default=False)],
    path: PathArg = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", metavar="FORMAT",
        help="markdown, html (one page to publish) or text (e.g. for an "
        "e-mail). Default: markdown, or the format that -o's file extension names (.md, "
        ".html, .txt).", show_default=False)] = None,
    change_clause: Annotated[str | None, typer.Option(
        "--change-clause", help="The clause that tells customers what they may do when the "
        "terms change, quoted in the notice: its number, id or file (as `terms outline` "
        "lists them), with DOC: in front if several documents have it. Default: the "
        "change_clause of document.yaml, looked up in the document, then in the other "
        "documents. Without either, the notice has no quote.", show_default=False)] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Write the customer notice of a release, in each of the document's languages.

    The notice gives the document's title, the version, the announcement and effective
    dates, every changed clause (number, title, new text and a redline against the
    previous release), and what the customer may do, quoted from the terms themselves:
    the clause named by change_clause in document.yaml (typically: a customer who
    disagrees may stop using the service; continued use means acceptance). Nothing is
    retyped: everything comes from the repository.

    Publish it at notices/DOCUMENT-ID/VERSION.html on the official site: the feed of
    `terms feed` links there.

    Examples:

      terms notice 20211101                                 # Markdown

      terms notice 20211101 terms/product/terms-of-service \\
          -o notices/product-terms-of-service/20211101.html
    """
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.app.notice import load_notices
    from termstool.app.workspace import Workspace
    from termstool.cli.outputs import NOTICE

    renderer = NOTICE.choose(fmt, output, "markdown")
    notices = load_notices(Workspace.open(path, need_git=True), version, change_clause)
    for item in notices:
        if item.quote is None:
            warn(f"{item.changes.document.id} names no change_clause in document.yaml and no "
                 "--change-clause was given: the notice does not quote what customers may "
                 "do when the terms change", "note")
    write_output(renderer.render(notices), output, force, fmt=renderer.format.name)
