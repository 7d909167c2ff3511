"""`terms log`: the releases of each document, or the history of one clause."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from termstool.cli.cache_cmd import JobsOpt, NoCacheOpt, TerminalProgress
from termstool.cli.check_cmd import TodayOpt, parse_day
from termstool.cli.common import PathArg, handle_errors, write_output


@handle_errors
def log(
    path: PathArg = None,
    clause: Annotated[str | None, typer.Option(
        "--clause", help="Show the history of one clause: its number, id or file (as "
        "`terms outline` lists them), with DOC: in front if several documents have it. Lists its "
        "number in every release, every commit that changed its text, and every move and "
        "renumbering. A removed clause is found by its id.", show_default=False)] = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", metavar="FORMAT", help="terminal or json.")] = "terminal",
    today: TodayOpt = None,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = None,
) -> None:
    """List the releases of each document, read from git history.

    For each release: version, announced and effective dates, days of notice, status
    (in-effect, superseded, pending = announced but not yet effective, draft =
    uncommitted), the commit, and how many clauses it added, removed and changed
    against the release before.

    With --clause, the history of one clause, following it through moves and
    renumberings: its number in each release (dated by its announced and effective
    dates; "recorded" is the date of the commit), and each change of its text or place.

    Examples:

      terms log                            # every document's releases

      terms log --clause 2.3.1            # one clause: numbers, changes, moves

      terms log --clause s1 -f json        # the same as JSON, by id
    """
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.app.workspace import Workspace
    from termstool.cli.outputs import CLAUSE_LOG, RELEASE_LOG
    from termstool.history.document_history import today_for
    from termstool.history.log import release_log

    outputs = RELEASE_LOG if clause is None else CLAUSE_LOG
    renderer = outputs.choose(fmt, None, "terminal")
    workspace = Workspace.open(path, use_cache=not no_cache, jobs=jobs)
    with TerminalProgress(renderer.format.name == "terminal") as progress:
        workspace.progress = progress
        if clause is not None:
            from termstool.app.clause_log import log_clause  # only a clause's log needs it

            data = log_clause(workspace, clause)
        else:
            found = workspace.histories()
    if clause is not None:
        write_output(renderer.render(data), fmt=renderer.format.name)
        return
    now = dt.datetime.now(dt.UTC)
    fixed = parse_day(today)
    write_output(renderer.render(release_log(found, {h.id: today_for(h, now, fixed)
                                                     for h in found})),
                 fmt=renderer.format.name)
