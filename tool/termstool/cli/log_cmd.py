"""`terms log`: the releases of each document, or the history of one clause."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from typing import Annotated

import typer

from termstool.cli.check_cmd import TodayOpt, parse_day
from termstool.cli.common import PathArg, handle_errors, stdout


class LogFormat(StrEnum):
    """Output formats of `terms log`."""

    terminal = "terminal"
    json = "json"


@handle_errors
def log(
    path: PathArg = None,
    clause: Annotated[str | None, typer.Option(
        "--clause", help="Show the history of one clause (its id, e.g. s3-2-11): every "
        "release and commit that changed it.", show_default=False)] = None,
    fmt: Annotated[LogFormat, typer.Option("--format", "-f", help="terminal or json.")]
    = LogFormat.terminal,
    today: TodayOpt = None,
) -> None:
    """List the releases of each document, read from git history.

    For each release: version, announced and effective dates, days of notice, status
    (in-effect, superseded, pending = announced but not yet effective, draft =
    uncommitted), the commit, and how many clauses it added, removed and changed
    against the release before.
    """
    from termstool.app.workspace import Workspace
    from termstool.history.document_history import today_for
    from termstool.history.log import clause_log, release_log

    workspace = Workspace.open(path)
    found = workspace.histories()
    now = dt.datetime.now(dt.UTC)
    fixed = parse_day(today)
    if clause is not None:
        data = clause_log(found, clause)
        if fmt is LogFormat.json:
            print(json.dumps(data, ensure_ascii=False, indent=2))
            return
        _print_clause(data)
        return
    data = release_log(found, {h.id: today_for(h, now, fixed) for h in found})
    if fmt is LogFormat.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _print_releases(data)


def _print_releases(data: dict[str, list[dict[str, object]]]) -> None:
    from rich.table import Table

    console = stdout()
    styles = {"in-effect": "bold green", "pending": "yellow", "draft": "magenta",
              "superseded": "dim"}
    for document in data["documents"]:
        table = Table(title=str(document["id"]), title_justify="left", box=None,
                      pad_edge=False, header_style="bold underline")
        releases = document["releases"]
        assert isinstance(releases, list)
        widest = max((len(str(r["version"])) for r in releases), default=7)
        for column, width in (("version", widest), ("announced", 10), ("effective", 10),
                              ("notice", 6), ("status", 10), ("commit", 10), ("changed", 11)):
            table.add_column(column, no_wrap=True, min_width=width)
        for r in releases:
            changed = r["changed"]
            status = str(r["status"])
            table.add_row(
                str(r["version"]), str(r["announced"]), str(r["effective"]),
                f"{r['notice_days']} d", f"[{styles.get(status, '')}]{status}[/]",
                str(r["commit"] or "working tree")[:10],
                f"+{changed['added']} −{changed['removed']} ~{changed['modified']}")
            if r.get("exception"):
                table.add_row("", f"[yellow]exception: {r['exception']}[/]", "", "", "", "", "")
        console.print(table)


def _print_clause(data: dict[str, list[dict[str, object]]]) -> None:
    from rich import box
    from rich.table import Table

    console = stdout()
    for document in data["documents"]:
        table = Table(title=f"{document['id']} · clause {document['clause']}",
                      title_justify="left", box=box.SIMPLE_HEAD)
        for column in ("date", "commit", "version", "change", "class", "file"):
            table.add_column(column, no_wrap=column != "file")
        changes = document["changes"]
        assert isinstance(changes, list)
        for c in changes:
            table.add_row(str(c["date"] or "uncommitted"), str(c["commit"] or "working tree")[:12],
                          str(c["version"] or ""), str(c["kind"]), str(c["class"]),
                          str(c["file"]))
        console.print(table)
