"""`terms check`: format rules now, the notice rules over git history when available."""

from __future__ import annotations

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


@handle_errors
def check(
    path: PathArg = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="terminal, json, or "
                                             "github (workflow annotations).")]
    = CheckFormat.terminal,
) -> None:
    """Report every problem at once, each with its file and line.

    Format rules: unreadable YAML, missing or duplicate ids, missing, empty or unknown
    language blocks, cross-references to unknown clauses or with a stale number, invalid
    dates, files that are not UTF-8 or start with a BOM, and invisible or bidirectional
    control characters that can hide a change from a reviewer.

    Exit 0 when clean (warnings allowed), 1 when there are errors, 2 when the input
    cannot be read at all.
    """
    from termstool.service import load_working

    workspace, loaded = load_working(path)
    problems = list(loaded.problems)
    blocking = [p for p in problems if p.blocking]
    if fmt is CheckFormat.json:
        print(json.dumps({"ok": not blocking, "problems": [p.as_json() for p in problems]},
                         ensure_ascii=False, indent=2))
    elif fmt is CheckFormat.github:
        from termstool.check_report import github_annotations

        print(github_annotations(problems), end="")
    else:
        from termstool.cli.problems_view import print_problems

        print_problems(problems, workspace, stdout(), len(loaded.documents))
    if blocking:
        raise typer.Exit(int(ExitCode.PROBLEMS))
