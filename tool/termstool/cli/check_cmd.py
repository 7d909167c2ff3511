"""`terms check`: format rules over the working tree, notice rules over git history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from termstool.cli.cache_cmd import JobsOpt, NoCacheOpt, TerminalProgress
from termstool.cli.common import PathArg, handle_errors, write_output
from termstool.errors import ExitCode, UsageError
from termstool.format.characters import brief
from termstool.format.dates import parse_date


def parse_day(value: str | None, option: str = "--today") -> dt.date | None:
    """Parse a date option such as ``--today`` (YYYY-MM-DD); exit 2 with the reason."""
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise UsageError(f"{option} {brief(value)} {exc}") from None


TodayOpt = Annotated[str | None, typer.Option(
    "--today", envvar="TERMS_TODAY", help="Evaluate as if today were this date "
    "(YYYY-MM-DD). Default: today in each document's timezone.", show_default=False)]


@handle_errors
def check(
    path: PathArg = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", metavar="FORMAT",
        help="terminal, json, or github (workflow annotations).")] = "terminal",
    today: TodayOpt = None,
    base: Annotated[str | None, typer.Option(
        "--base", help="Pull-request mode: the branch or commit the change will merge into "
        "(e.g. origin/main). Commits after it count as made today, a new release must be "
        "announced today or later, and a stale translation is an error.",
        show_default=False)] = None,
    fix: Annotated[bool, typer.Option(
        "--fix", help="First rewrite what has exactly one correct form: stale numbers in "
        "cross-references, file names whose order contradicts their prefixes (renamed in "
        "git), and ids YAML reads as numbers (quoted). Says what it changed; everything "
        "else is reported as usual.")] = False,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = None,
) -> None:
    """Check the terms: the file format, and the notice promise the terms make.

    Format rules: unreadable YAML, missing or duplicate ids, missing, empty or unknown
    language blocks, cross-references to unknown clauses or with a stale number, invalid
    dates, files that are not UTF-8 or start with a BOM, and invisible or bidirectional
    control characters that can hide a change from a reviewer.

    Notice rules, with git history as the evidence:
    notice-period (effective at least notice_days after announced, by the period of the
    release in force on that day),
    frozen-text (no substantive change to a release's text after its announcement,
    except by a new release), release-order (labels unique, effective dates increasing),
    backdated (with --base: a new release cannot be announced in the past),
    translation-stale (the authoritative text changed but a translation did not),
    id-reused (a removed clause id given to another clause),
    rule-change and waiver (with --base: settings and waivers the change makes; it is
    judged by the base's settings), document-removed (a document lost its
    document.yaml), notice-clause (the change clause does not state notice_days).
    A document is followed through renames, moves and commits where document.yaml is
    missing.

    Exit 0 when clean (warnings allowed), 1 when a rule is broken, 2 when the input
    cannot be read at all.

    Examples:

      terms check                          # the whole history, as of today

      terms check --fix                    # first fix what has one answer; see git diff

      terms check --base origin/main       # a pull request (what CI runs)

      terms check -f github                # annotations in a GitHub Actions log
    """
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.app.check import run_check
    from termstool.app.workspace import Workspace
    from termstool.cli.outputs import CHECK

    renderer = CHECK.choose(fmt, None, "terminal")
    if fix:
        _fix(path)
    workspace = Workspace.open(path, use_cache=not no_cache, jobs=jobs)
    with TerminalProgress(renderer.format.name == "terminal") as progress:
        workspace.progress = progress
        result = run_check(workspace, now=dt.datetime.now(dt.UTC), today=parse_day(today),
                           base=base)
    write_output(renderer.render(result), fmt=renderer.format.name)
    if any(p.blocking for p in result.problems):
        raise typer.Exit(int(ExitCode.PROBLEMS))


def _fix(path: Path | None) -> None:
    """Run the fixes and say what they changed (on stderr: stdout may be JSON)."""
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.app.fix import fix_files
    from termstool.app.workspace import Workspace
    from termstool.cli.clause_view import print_fixes
    from termstool.cli.common import stderr

    workspace = Workspace.open(path)
    print_fixes(fix_files(workspace), workspace, stderr())
