"""The whole review as one self-contained HTML page, never cut.

The verdict, every check with its problems, each changed document's release facts
(version, dates, days of notice, notice exception, waivers, declared corrections and
translations checked), then the redline as the HTML redline shows it
(:func:`termstool.render.redline_html.redline_view`): the page to open in a browser,
print, or keep as a workflow artifact. Same template environment, security policy and
styles as every other page; everything from the repository is escaped by Jinja2's
autoescape.
"""

from __future__ import annotations

from dataclasses import dataclass

from termstool.model.problems import Problem
from termstool.render.jinja import environment
from termstool.render.redline_html import redline_view
from termstool.render.redline_text import counts_line
from termstool.report.review import (
    DocumentReview,
    Review,
    affected,
    by_severity,
    declaration_label,
    short_commit,
    status_mark,
    verdict,
)


@dataclass(frozen=True, slots=True)
class _Check:
    """One row of the checks table."""

    symbol: str
    word: str  # error, warning, waived
    rule: str
    document: str
    clauses: str
    message: str


@dataclass(frozen=True, slots=True)
class _Fact:
    """One line of a release's facts: a label and its value."""

    label: str
    value: str
    warn: bool = False  # a fact a reviewer must look at (too little notice, a warning)


@dataclass(frozen=True, slots=True)
class _Release:
    """One changed document's release facts."""

    id: str
    titles: tuple[str, ...]
    facts: tuple[_Fact, ...]


def _check(review: Review, problem: Problem) -> _Check:
    symbol, word = status_mark(problem)
    waived = f" (waived: {problem.waived})" if problem.waived is not None else ""
    return _Check(symbol, word, problem.rule, problem.document or "",
                  affected(review, problem), problem.message + waived)


def _facts(doc: DocumentReview) -> tuple[_Fact, ...]:
    m = doc.manifest
    old = doc.old_manifest
    if doc.new_release:
        version = m.version if old is None else f"{old.version} → {m.version}"
        version += " (new release)"
    else:
        version = f"{m.version} (no new release: a substantive change needs one)"
    short = doc.new_release and doc.notice_days < doc.required
    days = f"{doc.notice_days} ({doc.required} required)"
    if short:
        days += f"; the earliest lawful effective date is {doc.earliest_effective}"
    facts = [_Fact("Version", version), _Fact("Announced", m.announced.isoformat()),
             _Fact("Effective", m.effective.isoformat()),
             _Fact("Days of notice", days, short)]
    if m.exception:
        new = " (recorded by this change)" if doc.new_exception else ""
        facts.append(_Fact(f"Notice exception{new}", m.exception, True))
    facts += [_Fact("Waiver added", f"rule {w.rule}, commit {w.commit}: {w.reason}", True)
              for w in doc.added_waivers]
    facts += [_Fact(declaration_label(p), p.message, True) for p in doc.declarations()]
    facts += [_Fact("Translation", p.message, True) for p in doc.translation_problems()]
    facts.append(_Fact("Clauses", counts_line(doc.diff)))
    return tuple(facts)


def _release(review: Review, doc: DocumentReview) -> _Release:
    m = doc.manifest
    titles = tuple(t for t in (m.title.get(lang) for lang in review.shown(doc)) if t)
    return _Release(m.id, titles or (m.id,), _facts(doc))


def review_html(review: Review) -> str:
    """The whole review as one HTML page: verdict, checks, release facts, redline."""
    view = redline_view(review.redline, review.languages or None)
    template = environment().get_template("review.html.j2")
    return template.render(
        view.context(), review=review, ok=review.ok, verdict=verdict(review),
        merge_base=short_commit(review.merge_base),
        checks=[_check(review, p) for p in by_severity(review.problems)],
        releases=[_release(review, doc) for doc in review.documents])
