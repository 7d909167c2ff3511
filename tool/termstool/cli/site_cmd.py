"""`terms site`: the public archive of the terms as a static site, and a local preview."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from termstool.cli.check_cmd import TodayOpt, parse_day
from termstool.cli.common import handle_errors, stderr, stdout, warn
from termstool.errors import UsageError

if TYPE_CHECKING:  # the server is imported when the command runs, for start-up time
    from http.server import ThreadingHTTPServer


@handle_errors
def site(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Documents or groups of documents to publish. Default: ./terms of the current "
        "repository.", show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="The directory to write the site to, e.g. public/. It is "
        "replaced whole; a directory holding other files is refused (see --force).",
        show_default=False)] = None,
    base_url: Annotated[str | None, typer.Option(
        "--base-url", metavar="URL", help="The address the site is published at, e.g. "
        "https://example.com/terms/. It gives the feed and the pages absolute links, and "
        "sitemap.xml, which search engines need with absolute addresses: without it no "
        "sitemap is written and links stay relative (the site works at any address).",
        show_default=False)] = None,
    today: TodayOpt = None,
    serve: Annotated[bool, typer.Option(
        "--serve", help="Then serve the site on http://127.0.0.1:PORT/ for a preview "
        "(this computer only) until Ctrl-C; without -o it is built in a temporary "
        "directory.")] = False,
    port: Annotated[int, typer.Option(
        "--port", help="The port of --serve (0: any free port).", min=0, max=65535)] = 8000,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace the -o directory even if it holds files terms site did not "
        "write.")] = False,
) -> None:
    """Build the public archive of the terms: a static website for any web host.

    The site has an index of the documents (the version in force and the next announced
    change); each document's text in force, in each language and side by side, with a
    banner while a change is announced but not yet in force; every release at its own
    permanent address (DOCUMENT/VERSION/) with its dates, status, notice and the redline
    against the release before; each clause's history; the text in force on any date;
    an Atom feed; and, with --base-url, a sitemap.

    It is built from what git records (uncommitted changes are not published), shows
    every release announced by today (--today), and is the same, byte for byte, for the
    same repository on the same day. Pages need no JavaScript and load nothing from
    other sites.

    Examples:

      terms site -o public/ --base-url https://example.com/terms/

      terms site --serve                      # preview on http://127.0.0.1:8000/
    """
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.app.site import load_site, preview_server, write_site

    if output is None and not serve:
        raise UsageError("give the directory to write with -o (e.g. -o public/), or --serve "
                         "for a preview")
    build = load_site(paths or [], now=dt.datetime.now(dt.UTC), today=parse_day(today),
                      base_url=base_url)
    err = stderr()
    for note in build.notes:
        warn(note, "note")
    directory = output if output is not None else Path(tempfile.mkdtemp(prefix="terms-site-"))
    try:
        count = write_site(build, directory, force=force)
        releases = sum(len(d.releases) for d in build.site.documents)
        err.print(f"wrote {count} files to {directory} "
                  f"({len(build.site.documents)} documents, {releases} releases, as of "
                  f"{build.site.today})", highlight=False)
        if serve:
            _serve(preview_server(directory, port))
    finally:
        if output is None:
            shutil.rmtree(directory, ignore_errors=True)


def _serve(server: ThreadingHTTPServer) -> None:
    """Serve until Ctrl-C, after printing the address."""
    host, port = server.server_address[:2]
    out = stdout()
    out.print(f"serving the site at http://{host!s}:{port}/ — press Ctrl-C to stop",
              highlight=False, markup=False)
    out.file.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
