"""The pull-request review report: may this change merge, and what exactly does it change?

One report joins the `check` results in pull-request mode (notice and format rules) with,
for every document the pull request changes, its release (version, dates, days of notice,
recorded exception, waivers it adds), translation warnings, the clause summary and one
collapsible redline per clause. The comparison itself is :mod:`termstool.compare.clause_diff`'s.
This module is the report as data and the sentences its renderings share; the renderings
are :mod:`termstool.render.review_markdown` (a pull-request comment or a workflow step
summary), :mod:`termstool.render.review_text` (a terminal or a CI log) and
:mod:`termstool.render.review_html` (the whole review as one page, never cut).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from termstool.compare.change_class import ChangeClass
from termstool.compare.clause_diff import ClauseChange, DocumentDiff, Redline
from termstool.model.document import Document, Manifest, Waiver
from termstool.model.problems import Problem, Severity

# Rules that a document-level problem breaks for every clause the pull request changes:
# the report names those clauses, so a reviewer sees what the problem is about.
_RELEASE_RULES = ("notice-period", "backdated", "release-order")
# Rules that report a declaration of a commit's trailers (history/declarations.py).
_DECLARED = ("correction", "translation-checked")


@dataclass(frozen=True, slots=True)
class DocumentReview:
    """One document the pull request changes."""

    diff: DocumentDiff
    manifest: Manifest  # document.yaml after the change
    old_manifest: Manifest | None  # before the change; None for a new document
    problems: tuple[Problem, ...]  # the check results about this document
    document: Document | None = None  # the text after the change (for clause numbers)
    # days of notice the release needs: the period in force when it is announced, never
    # less than the base's (None: the manifest's own notice_days)
    required_days: int | None = None

    @property
    def new_release(self) -> bool:
        """True when the pull request records a new version."""
        return self.old_manifest is None or self.old_manifest.version != self.manifest.version

    @property
    def notice_days(self) -> int:
        """Days between announcement and effective date of the version after the change."""
        return (self.manifest.effective - self.manifest.announced).days

    @property
    def required(self) -> int:
        """Days of notice the release must give."""
        return self.required_days if self.required_days is not None \
            else self.manifest.notice_days

    @property
    def earliest_effective(self) -> dt.date:
        """The earliest effective date the notice promise allows for this announcement."""
        return self.manifest.announced + dt.timedelta(days=self.required)

    @property
    def added_waivers(self) -> tuple[Waiver, ...]:
        """Waivers that the pull request adds to document.yaml."""
        before = set(self.old_manifest.waivers) if self.old_manifest else set()
        return tuple(w for w in self.manifest.waivers if w not in before)

    @property
    def new_exception(self) -> bool:
        """True when the exception recorded for the release is new in this pull request."""
        return bool(self.manifest.exception) and (
            self.old_manifest is None or self.old_manifest.exception != self.manifest.exception
            or self.new_release)

    def substantive_changes(self) -> tuple[ClauseChange, ...]:
        """Changes whose class is substantive: those that need notice."""
        return tuple(c for c in self.diff.changes
                     if c.change_class is ChangeClass.SUBSTANTIVE)

    def translation_problems(self) -> tuple[Problem, ...]:
        """The translation-stale warnings and errors about this document."""
        return tuple(p for p in self.problems if p.rule == "translation-stale")

    def declarations(self) -> tuple[Problem, ...]:
        """What the change's commits declare and a reviewer accepts by merging: typo
        corrections in released text, and translations checked without a change."""
        return tuple(p for p in self.problems if p.rule in _DECLARED)


@dataclass(frozen=True, slots=True)
class Review:
    """Everything the review report shows."""

    base: str  # the base as named (e.g. origin/main)
    merge_base: str  # the commit compared with (the merge base of base and HEAD)
    head: str  # what is compared: "HEAD" or "working tree"
    today: dt.date | None  # --today, when given
    problems: tuple[Problem, ...]
    documents: tuple[DocumentReview, ...]  # the documents the pull request changes
    redline: Redline
    languages: tuple[str, ...] = ()  # of the documents, in order; () for each one's own
    # (document id, clause id) -> clause number after the change, for labels
    numbers: Mapping[tuple[str, str], str] = field(default_factory=dict)

    @property
    def blocking(self) -> tuple[Problem, ...]:
        """Problems that forbid merging."""
        return tuple(p for p in self.problems if p.blocking)

    @property
    def ok(self) -> bool:
        """True when the change may merge."""
        return not self.blocking

    def shown(self, doc: DocumentReview) -> list[str]:
        """The languages a document is shown in: the review's that it has, or its own."""
        own = doc.diff.languages
        return [lang for lang in self.languages if lang in own] if self.languages \
            else list(own)


# ---------------------------------------------------- what every rendering of the report says

def short_commit(commit: str) -> str:
    """A commit id shortened for reading."""
    return commit[:12]


def clause_label(review: Review, document: str | None, clause_id: str) -> str:
    """A clause as ``number (id)`` after the change, or its id when it has no number."""
    number = review.numbers.get((document or "", clause_id))
    return f"{number} ({clause_id})" if number else clause_id


def affected(review: Review, problem: Problem) -> str:
    """The clause(s) a problem is about: its own, or the changes of a release problem."""
    if problem.clause:
        return clause_label(review, problem.document, problem.clause)
    if problem.rule not in _RELEASE_RULES or problem.document is None:
        return ""
    doc = next((d for d in review.documents if d.manifest.id == problem.document), None)
    if doc is None:
        return ""
    changes = doc.substantive_changes() or doc.diff.changes
    return ", ".join(clause_label(review, problem.document, c.id) for c in changes)


def status_mark(problem: Problem) -> tuple[str, str]:
    """(symbol, word) for a problem's severity."""
    if problem.waived is not None:
        return "☑️", "waived"
    if problem.severity is Severity.ERROR:
        return "❌", "error"
    return "⚠️", "warning"


def by_severity(problems: Sequence[Problem]) -> list[Problem]:
    """Errors first, then warnings, then waived problems (stable within each)."""
    def rank(p: Problem) -> int:
        return 0 if p.blocking else 2 if p.waived is not None else 1

    return sorted(problems, key=rank)


def verdict(review: Review) -> str:
    """One line: may the change merge?"""
    if review.ok:
        warnings = sum(1 for p in review.problems if not p.blocking and p.waived is None)
        extra = f" ({warnings} warning{'s' * (warnings != 1)})" if warnings else ""
        return f"may merge: every notice and format rule passes{extra}"
    count = len(review.blocking)
    return f"must not merge: {count} rule violation{'s' * (count != 1)}"


def declaration_label(problem: Problem) -> str:
    """What a declaration is, for the line that shows it."""
    return "Declared correction" if problem.rule == "correction" else "Translation checked"


def release_line(doc: DocumentReview) -> str:
    """One sentence on the document's release: version, dates, days of notice."""
    m = doc.manifest
    dates = f"announced {m.announced}, effective {m.effective}"
    if not doc.new_release:
        return (f"version {m.version}, no new release ({dates}): a substantive change needs "
                "a new release (terms release)")
    version = m.version if doc.old_manifest is None \
        else f"{doc.old_manifest.version} → {m.version}"
    line = (f"version {version}, new release: {dates}; {doc.notice_days} days of notice, "
            f"{doc.required} required")
    if doc.notice_days < doc.required:
        line += f"; the earliest lawful effective date is {doc.earliest_effective}"
    return line
