"""`terms feed`: an Atom feed of the releases, so customers can subscribe to changes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from termstool.cli.check_cmd import TodayOpt, parse_day
from termstool.cli.common import ForceOpt, OutputOpt, PathArg, handle_errors, write_output


@handle_errors
def feed(
    path: PathArg = None,
    site: Annotated[str | None, typer.Option(
        "--site", help="The address where notices are published, e.g. "
        "https://example.com/terms/. Entries link to SITE/notices/DOCUMENT-ID/VERSION.html; "
        "without it the links are relative to where the feed itself is published.",
        show_default=False)] = None,
    author: Annotated[str | None, typer.Option(
        "--author", help="Who publishes the feed. Default: the document's title.",
        show_default=False)] = None,
    today: TodayOpt = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", metavar="FORMAT",
        help="atom (the only one yet; a file named .atom or .xml is "
        "written as Atom).", show_default=False)] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Write an Atom feed with one entry per release: version, dates, changed clauses.

    Give a document directory as PATH for that document's feed; the default covers
    every document. Releases not yet announced (announced after today) and uncommitted
    releases are left out. Each entry keeps the same id for ever, so feed readers never
    show a release twice.

    Example:

      terms feed terms/product/terms-of-service -o site/terms.atom
    """
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.app.feed import load_feed
    from termstool.app.workspace import Workspace
    from termstool.cli.outputs import FEED

    renderer = FEED.choose(fmt, output, "atom")
    feed = load_feed(Workspace.open(path, need_git=True), now=dt.datetime.now(dt.UTC),
                     today=parse_day(today), site=site, author=author)
    write_output(renderer.render(feed), output, force, fmt=renderer.format.name)
