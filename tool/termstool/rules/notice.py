"""The notice rules of clause 3.2.11: changes are announced at least N days before they apply.

Each rule is a function from a document's history to a list of problems; ``today`` is
always a parameter. Rule ids: ``notice-period``, ``frozen-text``, ``release-order``,
``backdated``, ``translation-stale``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, replace

from termstool.compare.change_class import ChangeClass
from termstool.history.document_history import WORKING, ClauseChange, DocumentHistory, Release, Step
from termstool.model.problems import Problem, Severity


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What the rules need besides the history."""

    today: dt.date
    after_base: Collection[str] | None = None  # commits after --base; None outside PR mode

    @property
    def pull_request(self) -> bool:
        """True in pull-request mode (``--base``)."""
        return self.after_base is not None

    def is_new(self, commit: str) -> bool:
        """True for a commit (or the working tree) that the pull request adds."""
        return self.after_base is not None and (commit == WORKING or commit in self.after_base)


def _short(commit: str) -> str:
    return commit[:12] if commit else "working tree"


def change_date(history: DocumentHistory, commit: str, when: dt.datetime | None,
                ctx: RuleContext) -> dt.date:
    """The day a change counts as made: its commit date in the document's timezone.

    The working tree counts as today; in pull-request mode a new commit counts as made
    today, or on its own date if that is later, so a pull request cannot backdate.
    """
    if when is None:
        return ctx.today
    day = history.local_date(when)
    if ctx.is_new(commit):
        return max(day, ctx.today)
    return day


def notice_period(history: DocumentHistory) -> list[Problem]:
    """Each release gives at least ``notice_days`` calendar days of notice."""
    problems = []
    for release in history.releases:
        days = (release.effective - release.announced).days
        if days >= release.notice_days:
            continue
        earliest = release.announced + dt.timedelta(days=release.notice_days)
        message = (f"release {release.version} gives {days} days of notice "
                   f"(announced {release.announced}, effective {release.effective}); "
                   f"{release.notice_days} are required: make it effective on or after "
                   f"{earliest}")
        if release.exception:
            problems.append(_doc_problem(history, "notice-period", message + f" — recorded "
                                         f"exception: {release.exception}", release,
                                         Severity.WARNING))
        else:
            problems.append(_doc_problem(history, "notice-period", message, release))
    return problems


def release_order(history: DocumentHistory) -> list[Problem]:
    """Labels unique, effective dates strictly increasing, announced not after effective."""
    problems = []
    seen: dict[str, Release] = {}
    previous: Release | None = None
    for release in history.releases:
        if release.version in seen:
            problems.append(_doc_problem(
                history, "release-order", f"version {release.version} is used again; "
                f"it was first recorded in commit {_short(seen[release.version].record)}; "
                "give the new release a new label", release))
        seen.setdefault(release.version, release)
        if release.announced > release.effective:
            problems.append(_doc_problem(
                history, "release-order", f"release {release.version} is announced "
                f"({release.announced}) after it takes effect ({release.effective})", release))
        if previous is not None and release.effective <= previous.effective:
            problems.append(_doc_problem(
                history, "release-order", f"release {release.version} takes effect on "
                f"{release.effective}, not after release {previous.version} "
                f"({previous.effective}); effective dates must increase", release))
        previous = release
    return problems


def frozen_text(history: DocumentHistory, ctx: RuleContext) -> list[Problem]:
    """No substantive change to a release's text after its announcement, except by a new
    release; editorial and translation changes to released text are warnings."""
    problems = []
    releases = {r.version: r for r in history.releases}
    for step in history.steps:
        if step.starts_release or step.version is None:
            continue  # the commit that records a release is its record, not a change
        release = releases.get(step.version)
        if release is None:
            continue
        for change in step.changes:
            day = change_date(history, step.commit, step.when, ctx)
            if day <= release.announced:
                continue
            problems.append(_frozen(history, release, step, change, day))
    return problems


def _frozen(history: DocumentHistory, release: Release, step: Step, change: ClauseChange,
            day: dt.date) -> Problem:
    lawful = day + dt.timedelta(days=history.manifest.notice_days)
    where = "uncommitted change" if step.commit == WORKING else f"commit {_short(step.commit)}"
    when = day.isoformat()
    if change.change is ChangeClass.SUBSTANTIVE:
        message = (f"{where} of {when} {change.kind} clause {change.clause} substantively "
                   f"after release {release.version} was announced ({release.announced}); "
                   f"release it as a new version announced on or after {when} and effective "
                   f"on or after {lawful} (the earliest lawful effective date)")
        severity = Severity.ERROR
    else:
        message = (f"{where} of {when} makes a {change.change.value} change to clause "
                   f"{change.clause} of released version {release.version}; no notice is "
                   "needed, but readers of the published text see it")
        severity = Severity.WARNING
    return Problem("frozen-text", message, severity, document=history.id, clause=change.clause,
                   file=change.file, line=change.line(history.manifest.authoritative),
                   commit=step.commit or None)


def backdated(history: DocumentHistory, ctx: RuleContext) -> list[Problem]:
    """In pull-request mode, a release introduced by the pull request is announced today
    or later: git dates can be set freely, the announcement cannot be backdated."""
    if not ctx.pull_request:
        return []
    problems = []
    for release in history.releases:
        if ctx.is_new(release.record) and release.announced < ctx.today:
            problems.append(_doc_problem(
                history, "backdated", f"release {release.version} is new in this pull request "
                f"but says it was announced on {release.announced}, before today "
                f"({ctx.today}); set 'announced' to the day it is really published",
                release))
    return problems


def translation_stale(history: DocumentHistory, ctx: RuleContext) -> list[Problem]:
    """A clause whose authoritative text changed substantively after its translation did.

    A warning; in pull-request mode an error for changes the pull request makes, unless
    the clause's front matter says ``translation: pending``.
    """
    last_auth: dict[str, tuple[int, ClauseChange]] = {}
    last_trans: dict[str, int] = {}
    translations = [lang for lang in history.manifest.languages
                    if lang != history.manifest.authoritative]
    for index, step in enumerate(history.steps):
        for change in step.changes:
            if change.kind == "removed":
                last_auth.pop(change.clause, None)
                continue
            if change.kind == "added":
                last_trans[change.clause] = index
                continue
            if change.change is ChangeClass.SUBSTANTIVE:
                last_auth[change.clause] = (index, change)
            if any(lang in change.languages for lang in translations):
                last_trans[change.clause] = index
    problems = []
    for cid, (index, change) in last_auth.items():
        if last_trans.get(cid, -1) >= index:
            continue
        step = history.steps[index]
        new = ctx.is_new(step.commit)
        pending = cid in history.translation_pending
        severity = Severity.ERROR if new and not pending else Severity.WARNING
        note = " (marked translation: pending)" if pending else ""
        problems.append(Problem(
            "translation-stale", f"the authoritative text of clause {cid} changed in "
            f"{'the working tree' if step.commit == WORKING else 'commit ' + _short(step.commit)}"
            f" but its translation did not{note}; update the translation, or mark the clause "
            "'translation: pending' in its front matter", severity, document=history.id,
            clause=cid, file=change.file, line=change.line(history.manifest.authoritative),
            commit=step.commit or None))
    return problems


def _doc_problem(history: DocumentHistory, rule: str, message: str, release: Release,
                 severity: Severity = Severity.ERROR) -> Problem:
    return Problem(rule, message, severity, document=history.id,
                   file=f"{history.path}/document.yaml", line=1,
                   commit=release.record or None)


def check_history(history: DocumentHistory, ctx: RuleContext) -> list[Problem]:
    """Every notice rule over one document's history, waivers applied."""
    problems = [*history.problems, *notice_period(history), *release_order(history),
                *frozen_text(history, ctx), *backdated(history, ctx),
                *translation_stale(history, ctx)]
    return apply_waivers(problems, history)


def apply_waivers(problems: list[Problem], history: DocumentHistory) -> list[Problem]:
    """Mark problems that a waiver in document.yaml accepts (same rule, same commit)."""
    out = []
    for problem in problems:
        waiver = next((w for w in history.manifest.waivers if w.rule == problem.rule
                       and problem.commit and len(w.commit) >= 7
                       and problem.commit.startswith(w.commit)), None)
        out.append(replace(problem, waived=waiver.reason) if waiver else problem)
    return out
