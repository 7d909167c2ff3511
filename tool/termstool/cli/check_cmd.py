"""`terms check`: format rules over the working tree, notice rules over git history."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from typing import Annotated

import typer

from termstool.cli.common import PathArg, handle_errors, stdout
from termstool.errors import ExitCode


class CheckFormat(StrEnum):
    """Output formats of `terms check`."""

    terminal = "terminal"
    json = "json"
    github = "github"


def parse_day(value: str | None) -> dt.date | None:
    """Parse ``--today`` (YYYY-MM-DD)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        msg = f"{value!r} is not a date that exists; write YYYY-MM-DD"
        raise typer.BadParameter(msg) from None


TodayOpt = Annotated[str | None, typer.Option(
    "--today", help="Evaluate as if today were this date (YYYY-MM-DD). Default: today in "
    "each document's timezone.", show_default=False)]


@handle_errors
def check(
    path: PathArg = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="terminal, json, or "
                                             "github (workflow annotations).")]
    = CheckFormat.terminal,
    today: TodayOpt = None,
    base: Annotated[str | None, typer.Option(
        "--base", help="Pull-request mode: the branch or commit the change will merge into "
        "(e.g. origin/main). Commits after it count as made today, a new release must be "
        "announced today or later, and a stale translation is an error.",
        show_default=False)] = None,
) -> None:
    """Check the terms: the file format, and the notice promise of clause 3.2.11.

    Format rules: unreadable YAML, missing or duplicate ids, missing, empty or unknown
    language blocks, cross-references to unknown clauses or with a stale number, invalid
    dates, files that are not UTF-8 or start with a BOM, and invisible or bidirectional
    control characters that can hide a change from a reviewer.

    Notice rules, with git history as the evidence:
    notice-period (effective at least notice_days after announced),
    frozen-text (no substantive change to a release's text after its announcement,
    except by a new release), release-order (labels unique, effective dates increasing),
    backdated (with --base: a new release cannot be announced in the past),
    translation-stale (Chinese changed but English did not).

    Exit 0 when clean (warnings allowed), 1 when a rule is broken, 2 when the input
    cannot be read at all.
    """
    from termstool.app.check import run_check
    from termstool.app.workspace import Workspace

    result = run_check(Workspace.open(path), now=dt.datetime.now(dt.UTC),
                       today=parse_day(today), base=base)
    problems = list(result.problems)
    blocking = [p for p in problems if p.blocking]
    if fmt is CheckFormat.json:
        print(json.dumps({"ok": not blocking, "problems": [p.as_json() for p in problems]},
                         ensure_ascii=False, indent=2))
    elif fmt is CheckFormat.github:
        from termstool.render.github import github_annotations

        print(github_annotations(problems), end="")
    else:
        from termstool.cli.problems_view import print_problems

        print_problems(problems, result.workspace, stdout(), result.documents)
    if blocking:
        raise typer.Exit(int(ExitCode.PROBLEMS))
