"""`terms release`: record a new release in document.yaml, refusing to break the notice rule."""

from __future__ import annotations

import datetime as dt
import shlex
from typing import Annotated

import typer

from termstool.cli.check_cmd import TodayOpt, parse_day
from termstool.cli.common import PathArg, handle_errors, stdout
from termstool.errors import UsageError


@handle_errors
def release(
    version: Annotated[str, typer.Argument(help="The new version label, e.g. 20211101. "
                                           "A label is never reused.", show_default=False)],
    announced: Annotated[str, typer.Option("--announced", help="The day the change is "
                                           "published on the official site (YYYY-MM-DD).",
                                           show_default=False)],
    effective: Annotated[str, typer.Option("--effective", help="The day it takes effect "
                                           "(YYYY-MM-DD): at least the notice period of "
                                           "document.yaml (notice_days) after "
                                           "--announced.", show_default=False)],
    path: PathArg = None,
    exception: Annotated[str | None, typer.Option(
        "--exception", help="Allow less notice for a stated reason (a legal or regulatory "
        "requirement, security). The reason is recorded in document.yaml and shown by "
        "check, log and review.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Write even though document.yaml "
                                        "has uncommitted changes.")] = False,
    historical: Annotated[bool, typer.Option(
        "--historical", help="Record a release announced in the past, from records (e.g. "
        "the terms in force before this repository existed). It is marked "
        "'historical: true' in document.yaml and `terms check` shows it.")] = False,
    base: Annotated[str | None, typer.Option(
        "--base", help="The branch your pull request merges into (default: origin/main or "
        "main). The latest release, if no commit of the base has it yet, may be re-dated "
        "by giving its version again with new dates.", show_default=False)] = None,
    today: TodayOpt = None,
) -> None:
    """Record a new release: version and dates go into document.yaml, comments kept.

    Refuses a version label used before, an announcement before today (unless
    --historical), and an effective date less than the notice period of the release in
    force on the announcement day, unless --exception gives the reason (exit 1).

    When review takes longer than planned, give the same version again with new dates:
    a release that is only on your branch is updated, not refused.

    PATH is the document's directory; it may be left out when only one document is
    in scope.

    Example:

      terms release 20211101 --announced 2021-10-01 --effective 2021-11-01 \\
          terms/product/terms-of-service
    """
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.app.release import SeveralDocuments, record_release
    from termstool.app.workspace import Workspace

    try:
        result = record_release(Workspace.open(path), version, announced=announced,
                                effective=effective, exception=exception, force=force,
                                now=dt.datetime.now(dt.UTC), today=parse_day(today),
                                historical=historical, base=base)
    except SeveralDocuments as exc:
        command = ["terms", "release", version, "--announced", announced, "--effective",
                   effective, *(["--exception", exception] if exception else []),
                   *(["--force"] if force else [])]
        choices = "\n".join(f"  {shlex.join([*command, shown])}    # {doc_id}"
                            for doc_id, shown in exc.documents)
        raise UsageError(f"{exc}, e.g.:\n{choices}") from None
    out = stdout()
    if result.redated is not None:
        was_announced, was_effective = result.redated
        out.print(f"updated release {version} of {result.document}: announced "
                  f"{result.announced}, effective {result.effective} ({result.days} days of "
                  f"notice); it was announced {was_announced}, effective {was_effective}",
                  highlight=False, markup=False, soft_wrap=True)
    else:
        out.print(f"recorded release {version} of {result.document}: announced "
                  f"{result.announced}, effective {result.effective} ({result.days} days of "
                  "notice)" + (f", exception: {exception}" if exception else "")
                  + (", historical (entered from records)" if result.historical else ""),
                  highlight=False, markup=False, soft_wrap=True)
    out.print("Next, commit it together with the clause changes it releases:", highlight=False)
    out.print(f"  git add {result.directory} && git commit -m \"Release {version} of "
              f"{result.document}\"", soft_wrap=True)
