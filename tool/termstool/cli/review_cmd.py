"""`terms review`: one report telling a reviewer whether a pull request may merge."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer

from termstool.cli.cache_cmd import JobsOpt, NoCacheOpt, TerminalProgress
from termstool.cli.check_cmd import TodayOpt, parse_day
from termstool.cli.common import ForceOpt, PathArg, handle_errors, refuse_stdout, write_output
from termstool.errors import ExitCode


@handle_errors
def review(
    path: PathArg = None,
    base: Annotated[str | None, typer.Option(
        "--base", help="The branch or commit the change will merge into, e.g. origin/main. "
        "Default: origin/$GITHUB_BASE_REF in a GitHub pull request, else origin/main. The "
        "report compares the merge base of it and HEAD (the commit where your branch "
        "started) with your branch.", show_default=False)] = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", metavar="FORMAT",
        help="markdown (for a pull-request comment or the workflow "
        "summary), terminal (plain text) or html (the whole review as one page).")]
    = "markdown",
    today: TodayOpt = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Also write the whole review, never cut (verdict, checks, "
        "release facts and the full redline), to this file: one HTML page (.html: to open "
        "in a browser, print, or keep as a workflow artifact), or Markdown (.md) or plain "
        "text (.txt).", show_default=False)]
    = None,
    force: ForceOpt = False,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = None,
) -> None:
    """Review a change to the terms before it merges: may it merge, and what changes?

    Runs every check in pull-request mode (the notice rules and the file format, as
    `terms check --base`), then shows for every document the change touches: the
    version, announcement and effective dates, the days of notice, any recorded notice
    exception or new waiver, translation warnings, the list of changed clauses and each
    clause's redline in each of the document's languages.

    The Markdown report fits a pull-request comment: beyond 65,536 characters it is cut
    between two clauses, with a note pointing to the whole review written by -o. In a
    GitHub Actions job the Markdown report is also appended to the job summary
    ($GITHUB_STEP_SUMMARY), whatever --format prints.

    Exit 0 when the change may merge (warnings allowed), 1 when a rule is broken, 2
    when the base or the history is missing (the message says what to fetch).

    Examples:

      terms review                                  # against origin/main

      terms review --base origin/release -f terminal

      terms review -o review.html                   # plus the whole review as a page
    """
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.app.review import run_review
    from termstool.app.workspace import Workspace
    from termstool.cli.outputs import REVIEW, REVIEW_FILE
    from termstool.render.output_safety import safe_output

    refuse_stdout(output, "the report itself goes to standard output")
    report = REVIEW.choose(fmt, None, "markdown")
    whole = REVIEW_FILE.choose(None, output, "html") if output is not None else None
    workspace = Workspace.open(path, need_git=True, use_cache=not no_cache, jobs=jobs)
    with TerminalProgress() as progress:
        workspace.progress = progress
        result = run_review(workspace, base=base, now=dt.datetime.now(dt.UTC),
                            today=parse_day(today), env=os.environ)
    html_file = str(output) if output is not None else None
    write_output(report.render(result, html_file), fmt=report.format.name)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        # The job summary is Markdown whatever --format the log shows.
        markdown = REVIEW.get("markdown").render(result, html_file)
        assert isinstance(markdown, str)  # the review is text in every format
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(safe_output(markdown, "markdown") + "\n")
    if whole is not None:
        write_output(whole.render(result), output, force, fmt=whole.format.name)
    if not result.ok:
        raise typer.Exit(int(ExitCode.PROBLEMS))
