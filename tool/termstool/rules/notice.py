"""The notice rules: changes are announced at least ``notice_days`` before they apply.

Each rule is a function from a document's history to a list of problems; ``today`` is
always a parameter. A change is judged by the rule settings in force before it (its
authoritative language, languages, timezone, notice period and waivers), never by those it
brings itself: in a pull request by its base's settings. Rule ids: ``notice-period``,
``frozen-text``, ``release-order``, ``backdated``, ``translation-stale``, ``id-reused``,
``rule-change``, ``waiver``, ``document-removed``, ``notice-clause``, ``historical``;
``correction`` and ``translation-checked`` show what a commit declares about its change.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from termstool.compare.change_class import ChangeClass, classify
from termstool.compare.clause_diff import clause_similarity, same_clause
from termstool.format.characters import normalise_width
from termstool.history.document_history import (
    WORKING,
    ClauseChange,
    DocumentHistory,
    Release,
    Step,
    first_new_step,
    settings_at,
)
from termstool.model.document import Document, RuleSettings
from termstool.model.problems import Problem, Severity


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What the rules need besides the history."""

    today: dt.date
    after_base: Collection[str] | None = None  # commits after --base; None outside PR mode
    # pull-request mode: the document at the base and now (None where it does not exist),
    # for the net effect of the whole pull request
    net: tuple[Document | None, Document | None] | None = None
    in_scope_now: bool = True  # the document is (still) inside the part being checked

    @property
    def pull_request(self) -> bool:
        """True in pull-request mode (``--base``)."""
        return self.after_base is not None

    def is_new(self, commit: str | None) -> bool:
        """True for a commit (or the working tree) that the pull request adds."""
        if self.after_base is None or commit is None:
            return False
        return commit == WORKING or commit in self.after_base


def _short(commit: str) -> str:
    return commit[:12] if commit else "working tree"


def _where(commit: str) -> str:
    return "the working tree" if commit == WORKING else f"commit {_short(commit)}"


@dataclass(frozen=True, slots=True)
class Judge:
    """The settings each step of one history is judged by, in one mode."""

    history: DocumentHistory
    ctx: RuleContext
    first_new: int  # index of the first step the pull request adds (len(steps): none)
    base: RuleSettings  # the settings in force before the pull request

    @classmethod
    def of(cls, history: DocumentHistory, ctx: RuleContext) -> Judge:
        """The judge of ``history`` in the mode of ``ctx``."""
        first = first_new_step(history, ctx.is_new) if ctx.pull_request \
            else len(history.steps)
        return cls(history, ctx, first, settings_at(history, first))

    def settings(self, index: int) -> RuleSettings:
        """The settings that judge step ``index``: the base's for a step the pull request
        adds, else those in force before the step."""
        if index >= self.first_new:
            return self.base
        rules = self.history.steps[index].rules
        return rules if rules is not None else self.history.manifest.settings

    def required(self, release: Release) -> int:
        """Days of notice ``release`` needs: the period of the release in force when it
        was announced, and in a pull request never less than the base's."""
        days = self.history.required_notice(release)
        if self.ctx.is_new(release.record):
            days = max(days, self.base.notice_days)
        return days

    def notice_on(self, day: dt.date, commit: str) -> int:
        """Days of notice a change made on ``day`` needs (for the earliest lawful date)."""
        current = self.history.in_effect(day) or (self.history.releases[0]
                                                  if self.history.releases else None)
        days = current.notice_days if current is not None else self.base.notice_days
        return max(days, self.base.notice_days) if self.ctx.is_new(commit) else days

    @property
    def present_at_base(self) -> bool:
        """True when the document existed (with its document.yaml) at the base."""
        return self.first_new > 0 and self.history.steps[self.first_new - 1].present


def change_date(judge: Judge, index: int) -> dt.date:
    """The day step ``index`` counts as made: its commit date in the timezone in force.

    The working tree counts as today; in pull-request mode a new commit counts as made
    today, or on its own date if that is later, so a pull request cannot backdate.
    """
    step = judge.history.steps[index]
    ctx = judge.ctx
    if step.when is None:
        return ctx.today
    day = step.when.astimezone(ZoneInfo(judge.settings(index).timezone)).date()
    if ctx.is_new(step.commit):
        return max(day, ctx.today)
    return day


def notice_period(judge: Judge) -> list[Problem]:
    """Each release gives the notice of the release in force when it was announced."""
    history = judge.history
    problems = []
    for release in history.releases:
        days = (release.effective - release.announced).days
        required = judge.required(release)
        if days >= required:
            continue
        earliest = release.announced + dt.timedelta(days=required)
        message = (f"release {release.version} gives {days} days of notice "
                   f"(announced {release.announced}, effective {release.effective}); "
                   f"{required} are required: make it effective on or after {earliest}")
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


def frozen_text(judge: Judge) -> list[Problem]:
    """No substantive change to a release's text after its announcement, except by a new
    release; editorial and translation changes to released text are warnings."""
    history = judge.history
    problems = []
    releases = {r.version: r for r in history.releases}
    for index, step in enumerate(history.steps):
        if step.starts_release or step.version is None:
            continue  # the commit that records a release is its record, not a change
        release = releases.get(step.version)
        if release is None or not step.changes:
            continue
        day = change_date(judge, index)
        if day <= release.announced:
            continue
        authoritative = judge.settings(index).authoritative
        for change in step.changes:
            problems.append(_frozen(judge, release, step, change,
                                    change.class_under(authoritative), day))
    return problems


def _frozen(judge: Judge, release: Release, step: Step, change: ClauseChange,
            kind: ChangeClass, day: dt.date) -> Problem:
    history = judge.history
    lawful = day + dt.timedelta(days=judge.notice_on(day, step.commit))
    where = "uncommitted change" if step.commit == WORKING else f"commit {_short(step.commit)}"
    when = day.isoformat()
    if kind is ChangeClass.SUBSTANTIVE and change.correction is not None:
        fix = change.correction
        return Problem("correction", f"{where} of {when} declares a correction to clause "
                       f"{change.clause} of released version {release.version}: "
                       f"“{fix.old}” → “{fix.new}” ({fix.reason}); it changes the text "
                       "customers read without a new release: the reviewer accepts it by "
                       "merging", Severity.WARNING, document=history.id,
                       clause=change.clause, file=change.file,
                       line=change.line(history.manifest.authoritative),
                       commit=step.commit or None)
    if kind is ChangeClass.SUBSTANTIVE:
        message = (f"{where} of {when} {change.kind} clause {change.clause} substantively "
                   f"after release {release.version} was announced ({release.announced}); "
                   f"release it as a new version announced on or after {when} and effective "
                   f"on or after {lawful} (the earliest lawful effective date)")
        if change.refused is not None:
            fix = change.refused
            message += (f"; its declared correction “{fix.old}” → “{fix.new}” is not what "
                        "the commit changes, so it does not apply")
        severity = Severity.ERROR
    else:
        article = "an" if kind.value[:1] in "aeiou" else "a"
        message = (f"{where} of {when} makes {article} {kind.value} change to clause "
                   f"{change.clause} of released version {release.version}; no notice is "
                   "needed, but readers of the published text see it")
        severity = Severity.WARNING
    return Problem("frozen-text", message, severity, document=history.id, clause=change.clause,
                   file=change.file, line=change.line(history.manifest.authoritative),
                   commit=step.commit or None)


def net_change(judge: Judge, flagged: Collection[str]) -> list[Problem]:
    """In pull-request mode, the pull request as a whole: a clause whose text at the end
    differs substantively from the base (under the base's settings) needs a release that
    the pull request records. Clauses already reported for a step are not repeated."""
    ctx = judge.ctx
    if ctx.net is None or any(ctx.is_new(r.record) for r in judge.history.releases):
        return []
    old, new = ctx.net
    if old is None or new is None or not judge.present_at_base:
        return []
    release = judge.history.release(old.manifest.version)
    if release is None or ctx.today <= release.announced:
        return []  # the text of a release not yet announced may still change
    base = judge.base
    # a declared correction was matched against its own commit's change (frozen-text
    # reports it); any other change to the clause is reported for its own step
    corrected = {change.clause for step in judge.history.steps if ctx.is_new(step.commit)
                 for change in step.changes if change.correction is not None}
    before = {c.id: c for c in old.walk()}
    after = {c.id: c for c in new.walk()}
    problems = []
    for cid in [*before, *(c for c in after if c not in before)]:
        if cid in flagged or cid in corrected:
            continue
        if classify(before.get(cid), after.get(cid), base.authoritative,
                    base.languages) is not ChangeClass.SUBSTANTIVE:
            continue
        clause = after.get(cid) or before[cid]
        problems.append(Problem(
            "frozen-text", f"this pull request, taken as a whole, changes clause {cid} "
            f"substantively (its text at the base and now, with the base's authoritative "
            f"language {base.authoritative}) but records no new release; record one with "
            "'terms release', announced today or later", document=judge.history.id,
            clause=cid, file=clause.file, line=clause.block_line(base.authoritative) or 1))
    return problems


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


def historical(history: DocumentHistory) -> list[Problem]:
    """A release marked ``historical: true``: entered from records after the day it says
    it was announced (`terms release --historical`). Shown, never blocking, so a reader
    knows the dates come from records and not from the day of the commit."""
    return [_doc_problem(history, "historical", f"release {release.version} was entered "
                         f"from records after its announcement ({release.announced}): its "
                         "dates are as recorded, not checked against the day of the commit",
                         release, Severity.WARNING)
            for release in history.releases if release.historical]


def translation_stale(judge: Judge) -> list[Problem]:
    """A clause whose authoritative text changed substantively after its translation did.

    A warning; in pull-request mode an error for changes the pull request makes, unless
    the clause's front matter says ``translation: pending``.
    """
    history = judge.history
    last_auth: dict[str, tuple[int, ClauseChange]] = {}
    last_trans: dict[str, int] = {}
    checked: list[Problem] = []
    for index, step in enumerate(history.steps):
        rules = judge.settings(index)
        translations = [lang for lang in rules.languages if lang != rules.authoritative]
        for change in step.changes:
            if change.kind == "removed":
                last_auth.pop(change.clause, None)
                continue
            if change.kind == "added":
                last_trans[change.clause] = index
                continue
            if change.class_under(rules.authoritative) is ChangeClass.SUBSTANTIVE \
                    and change.correction is None:  # a declared typo fix means the same
                last_auth[change.clause] = (index, change)
            if any(lang in change.languages for lang in translations) \
                    or change.translation_checked:
                last_trans[change.clause] = index
            if change.translation_checked:
                checked.append(Problem(
                    "translation-checked", f"{_where(step.commit)} records that the "
                    f"translation of clause {change.clause} was checked and needs no change",
                    Severity.WARNING, document=history.id, clause=change.clause,
                    file=change.file, line=change.line(rules.authoritative),
                    commit=step.commit or None))
    problems = [p for p in checked if judge.ctx.is_new(p.commit or WORKING)]
    for cid, (index, change) in last_auth.items():
        if last_trans.get(cid, -1) >= index:
            continue
        step = history.steps[index]
        new = judge.ctx.is_new(step.commit)
        pending = cid in history.translation_pending
        severity = Severity.ERROR if new and not pending else Severity.WARNING
        note = " (marked translation: pending)" if pending else ""
        authoritative = judge.settings(index).authoritative
        problems.append(Problem(
            "translation-stale", f"the authoritative text of clause {cid} changed in "
            f"{_where(step.commit)} but its translation did not{note}; update the "
            "translation, or mark the clause 'translation: pending' in its front matter",
            severity, document=history.id, clause=cid, file=change.file,
            line=change.line(authoritative), commit=step.commit or None))
    return problems


def id_reused(judge: Judge) -> list[Problem]:
    """A clause id that comes back after its removal must name the same clause: the text
    it had (restored, perhaps amended), never an unrelated one."""
    history = judge.history
    problems = []
    for index, step in enumerate(history.steps):
        authoritative = judge.settings(index).authoritative
        for back in step.returns:
            if same_clause(back.before, back.after, authoritative):
                continue
            share = clause_similarity(back.before, back.after, authoritative)
            change = next((c for c in step.changes if c.clause == back.clause), None)
            problems.append(Problem(
                "id-reused", f"clause id {back.clause} was removed in "
                f"{_where(back.removed_in)} and {_where(step.commit)} gives it to a "
                f"different clause (only {share:.0%} of the shorter text in common): ids are "
                "never reused, so the removal stays visible; give the new clause a new id",
                document=history.id, clause=back.clause, file=back.after.file,
                line=change.line(authoritative) if change is not None else 1,
                commit=step.commit or None))
    return problems


_SETTING_NAMES = ("notice_days", "authoritative", "languages", "timezone")


def _shown(value: object) -> str:
    return ", ".join(value) if isinstance(value, tuple) else str(value)


def rule_changes(judge: Judge) -> list[Problem]:
    """In pull-request mode, every change the pull request makes to a rule setting: an
    error when it lowers the notice period, else a warning. The pull request itself is
    judged by the base's settings whatever it writes."""
    history, ctx = judge.history, judge.ctx
    if not ctx.pull_request:
        return []
    problems = []
    previous = judge.base
    before = history.steps[:judge.first_new]
    doc_id = next((s.manifest.id for s in reversed(before) if s.manifest is not None), None)
    for step in history.steps[judge.first_new:]:
        if step.manifest is None:
            continue
        if doc_id is not None and step.manifest.id != doc_id:
            problems.append(Problem(
                "rule-change", f"{_where(step.commit)} changes the document id from {doc_id} "
                f"to {step.manifest.id}; its history goes on, but redlines against older "
                "versions show one document removed and another added", Severity.WARNING,
                document=history.id, file=f"{step.path}/document.yaml", line=1,
                commit=step.commit or None))
        doc_id = step.manifest.id
        current = step.manifest.settings
        for name in _SETTING_NAMES:
            before, after = getattr(previous, name), getattr(current, name)
            if before == after:
                continue
            base = getattr(judge.base, name)
            lowered = name == "notice_days" and after < judge.base.notice_days
            if lowered:
                message = (f"{_where(step.commit)} lowers notice_days from {_shown(before)} "
                           f"to {_shown(after)}: the notice period the terms promise cannot be "
                           "lowered in review; this pull request is judged by "
                           f"{_shown(base)} days")
            else:
                later = ("releases announced once this release is in force need it"
                         if name == "notice_days" else "it governs changes after this pull "
                         "request merges")
                message = (f"{_where(step.commit)} changes {name} from {_shown(before)} to "
                           f"{_shown(after)}; this pull request is still judged by the base's "
                           f"value ({_shown(base)}), {later}; check that the terms say so")
            problems.append(Problem(
                "rule-change", message, Severity.ERROR if lowered else Severity.WARNING,
                document=history.id, file=f"{step.path}/document.yaml", line=1,
                commit=step.commit or None))
        previous = current
    return problems


def waivers(judge: Judge) -> list[Problem]:
    """In pull-request mode, the waivers the pull request adds: one that names a commit of
    the pull request is an error (a pull request cannot excuse itself); one for a commit
    already in the base is shown for the reviewer to accept."""
    history, ctx = judge.history, judge.ctx
    if not ctx.pull_request or ctx.after_base is None:
        return []
    problems = []
    before = set(judge.base.waivers)
    for waiver in history.manifest.waivers:
        if waiver in before:
            continue
        own = len(waiver.commit) < 7 or any(c.startswith(waiver.commit)
                                            for c in ctx.after_base)
        if own:
            message = (f"the waiver for rule {waiver.rule} names commit {waiver.commit}, "
                       "which is part of this pull request (or is too short to name one "
                       "commit): a waiver only accepts a violation already merged; fix the "
                       "change instead")
        else:
            message = (f"this pull request adds a waiver for rule {waiver.rule} of commit "
                       f"{waiver.commit} ({waiver.reason}): the reviewer accepts that "
                       "violation by merging")
        problems.append(Problem("waiver", message,
                                Severity.ERROR if own else Severity.WARNING,
                                document=history.id, file=f"{history.path}/document.yaml",
                                line=1))
    return problems


def document_removed(judge: Judge) -> list[Problem]:
    """A document whose document.yaml is gone (deleted, renamed, moved out of the checked
    part): an error when a pull request does it to a document of the base, else a warning."""
    history, ctx = judge.history, judge.ctx
    if history.present and ctx.in_scope_now:
        return []
    steps = history.steps
    last = max((i for i, s in enumerate(steps) if s.present), default=-1)
    gone = steps[last + 1] if not history.present and last + 1 < len(steps) else steps[-1]
    what = "is no longer in the part being checked" if history.present \
        else "has no document.yaml any more (deleted, or renamed to another name)"
    blocking = ctx.pull_request and judge.present_at_base
    message = (f"document {history.id} ({history.path}) {what} since {_where(gone.commit)}; "
               "its released terms stay in force until a release changes them")
    if blocking:
        message += ": a pull request cannot remove a document in force; restore it"
    return [Problem("document-removed", message,
                    Severity.ERROR if blocking else Severity.WARNING, document=history.id,
                    file=f"{history.path}/document.yaml", line=1,
                    commit=gone.commit or None)]


_DIGITS = "零一二三四五六七八九"


def _chinese_number(n: int) -> str:
    """1 to 99 as written in Chinese (20 → 二十, 45 → 四十五, 15 → 十五); "" beyond."""
    if not 0 < n < 100:
        return ""
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else _DIGITS[tens] + "十"
    return head + (_DIGITS[units] if units else "")


def _states_days(text: str, days: int) -> bool:
    text = normalise_width(text)
    if re.search(rf"(?<![0-9]){days}(?![0-9])", text):
        return True
    written = _chinese_number(days)
    return bool(written) and re.search(rf"(?<![{_DIGITS}十百]){written}(?![{_DIGITS}十百])",
                                       text) is not None


def notice_clause(document: Document) -> list[Problem]:
    """When ``document.yaml`` names its change clause, that clause states the notice
    period of ``notice_days`` in every language (a warning: the clause binds, the number in
    document.yaml only enforces it). A clause kept in another document is not checked."""
    manifest = document.manifest
    if manifest.change_clause is None:
        return []
    clause = document.clause(manifest.change_clause)
    if clause is None:
        return []
    missing = [lang for lang in manifest.languages
               if not _states_days(f"{clause.title.get(lang)} {clause.body.get(lang)}",
                                   manifest.notice_days)]
    if not missing:
        return []
    lang = missing[0]
    return [Problem(
        "notice-clause", f"document.yaml says notice_days: {manifest.notice_days}, but the "
        f"change clause {clause.id} does not state {manifest.notice_days} days in "
        f"{', '.join(missing)}; make the clause and document.yaml agree (a release that "
        "changes the period changes both)", Severity.WARNING, document=manifest.id,
        clause=clause.id, file=clause.file, line=clause.block_line(lang) or 1)]


def _doc_problem(history: DocumentHistory, rule: str, message: str, release: Release,
                 severity: Severity = Severity.ERROR) -> Problem:
    return Problem(rule, message, severity, document=history.id,
                   file=f"{release.path or history.path}/document.yaml", line=1,
                   commit=release.record or None)


def check_history(history: DocumentHistory, ctx: RuleContext) -> list[Problem]:
    """Every notice rule over one document's history, waivers applied.

    A document that is gone is only reported as such, unless a pull request removes a
    document of its base: then every rule runs too, over the steps that led there.
    """
    judge = Judge.of(history, ctx)
    removed = document_removed(judge)
    if removed and not (ctx.pull_request and judge.present_at_base):
        return removed
    problems = [*history.problems, *notice_period(judge), *release_order(history),
                *frozen_text(judge), *backdated(history, ctx), *historical(history),
                *translation_stale(judge),
                *id_reused(judge), *rule_changes(judge), *waivers(judge), *removed]
    flagged = {p.clause for p in problems if p.rule == "frozen-text" and p.blocking
               and ctx.is_new(p.commit or WORKING) and p.clause}
    problems += net_change(judge, flagged)
    return apply_waivers(problems, history, ctx)


def apply_waivers(problems: list[Problem], history: DocumentHistory,
                  ctx: RuleContext) -> list[Problem]:
    """Mark problems that a waiver in document.yaml accepts (same rule, same commit).

    A waiver never accepts a problem of a commit the pull request adds.
    """
    out = []
    for problem in problems:
        waiver = None
        if problem.commit and not ctx.is_new(problem.commit):
            waiver = next((w for w in history.manifest.waivers if w.rule == problem.rule
                           and len(w.commit) >= 7 and problem.commit.startswith(w.commit)),
                          None)
        out.append(replace(problem, waived=waiver.reason) if waiver else problem)
    return out
