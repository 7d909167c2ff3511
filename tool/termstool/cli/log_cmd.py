"""`terms log`: the releases of each document, or the history of one clause."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from termstool.cli.check_cmd import TodayOpt, parse_day
from termstool.cli.common import PathArg, handle_errors, write_output


@handle_errors
def log(
    path: PathArg = None,
    clause: Annotated[str | None, typer.Option(
        "--clause", help="Show the history of one clause (its id, e.g. s3-2-11): every "
        "release and commit that changed it.", show_default=False)] = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", metavar="FORMAT", help="terminal or json.")] = "terminal",
    today: TodayOpt = None,
) -> None:
    """List the releases of each document, read from git history.

    For each release: version, announced and effective dates, days of notice, status
    (in-effect, superseded, pending = announced but not yet effective, draft =
    uncommitted), the commit, and how many clauses it added, removed and changed
    against the release before.

    Examples:

      terms log                            # every document's releases

      terms log --clause s1 -f json        # every commit that changed clause s1
    """
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.app.workspace import Workspace
    from termstool.cli.outputs import CLAUSE_LOG, RELEASE_LOG
    from termstool.history.document_history import today_for
    from termstool.history.log import clause_log, release_log

    outputs = RELEASE_LOG if clause is None else CLAUSE_LOG
    renderer = outputs.choose(fmt, None, "terminal")
    found = Workspace.open(path).histories()
    if clause is not None:
        write_output(renderer.render(clause_log(found, clause)))
        return
    now = dt.datetime.now(dt.UTC)
    fixed = parse_day(today)
    write_output(renderer.render(release_log(found, {h.id: today_for(h, now, fixed)
                                                     for h in found})))
