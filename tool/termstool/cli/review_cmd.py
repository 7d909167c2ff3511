"""`terms review`: one report telling a reviewer whether a pull request may merge."""

from __future__ import annotations

import datetime as dt
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from termstool.cli.check_cmd import TodayOpt, parse_day
from termstool.cli.common import ForceOpt, PathArg, handle_errors, write_output
from termstool.errors import ExitCode


class ReviewFormat(StrEnum):
    """Output formats of `terms review`."""

    markdown = "markdown"
    terminal = "terminal"


@handle_errors
def review(
    path: PathArg = None,
    base: Annotated[str | None, typer.Option(
        "--base", help="The branch or commit the change will merge into, e.g. origin/main. "
        "Default: origin/$GITHUB_BASE_REF in a GitHub pull request, else origin/main. The "
        "report compares the merge base of it and HEAD (the commit where your branch "
        "started) with your branch.", show_default=False)] = None,
    fmt: Annotated[ReviewFormat, typer.Option(
        "--format", "-f", help="markdown (for a pull-request comment or the workflow "
        "summary) or terminal (plain text).")] = ReviewFormat.markdown,
    today: TodayOpt = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Also write the full redline, never cut, as one HTML page "
        "to this file (to open in a browser, print, or keep as a workflow artifact).",
        show_default=False)] = None,
    force: ForceOpt = False,
) -> None:
    """Review a change to the terms before it merges: may it merge, and what changes?

    Runs every check in pull-request mode (the notice rules of clause 3.2.11 and the
    file format, as `terms check --base`), then shows for every document the change
    touches: the version, announcement and effective dates, the days of notice, any
    recorded notice exception or new waiver, translation warnings, the list of changed
    clauses and each clause's redline in Chinese and English.

    The Markdown report fits a pull-request comment: beyond 65,536 characters it is cut
    between two clauses, with a note pointing to the full redline written by -o. In a
    GitHub Actions job the report is also appended to the job summary
    ($GITHUB_STEP_SUMMARY).

    Exit 0 when the change may merge (warnings allowed), 1 when a rule is broken, 2
    when the base or the history is missing (the message says what to fetch).

    Examples:

      terms review                                  # against origin/main

      terms review --base origin/release -f terminal

      terms review -o review.html                   # plus the full HTML redline
    """
    from termstool.app.review import run_review
    from termstool.app.workspace import Workspace
    from termstool.report.review import review_markdown, review_text

    result = run_review(Workspace.open(path, need_git=True), base=base,
                        now=dt.datetime.now(dt.UTC), today=parse_day(today), env=os.environ)
    html_file = str(output) if output is not None else None
    markdown = review_markdown(result, html_file=html_file)
    if fmt is ReviewFormat.markdown:
        print(markdown, end="")
    else:
        print(review_text(result), end="")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(markdown + "\n")
    if output is not None:
        from termstool.render.redline_html import redline_html

        write_output(redline_html(result.redline, result.languages), output, force)
    if not result.ok:
        raise typer.Exit(int(ExitCode.PROBLEMS))


