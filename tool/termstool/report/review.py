"""The pull-request review report: may this change merge, and what exactly does it change?

One report joins the `check` results in pull-request mode (notice and format rules) with,
for every document the pull request changes, its release (version, dates, days of notice,
recorded exception, waivers it adds), translation warnings, the clause summary and one
collapsible redline per clause. The comparison itself is :mod:`termstool.compare.clause_diff`'s
and the redline Markdown :mod:`termstool.render.redline_markdown`'s; this module only
assembles, and renders the result to Markdown (a pull-request comment or a workflow
step summary) or to plain text for a terminal or a CI log.

A pull-request comment holds at most 65,536 characters. A longer Markdown report is cut
between two blocks (never inside a clause's redline) and ends with a note that points to
the full HTML redline, written by ``terms review -o FILE``. The verdict and the check
results come first, so a cut never hides why a change may not merge.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from termstool.compare.change_class import ChangeClass
from termstool.compare.clause_diff import ClauseChange, DocumentDiff, Redline
from termstool.format.commonmark import escape_markdown
from termstool.model.document import Document, Manifest, Waiver
from termstool.model.problems import Problem, Severity
from termstool.render.redline_markdown import markdown_cell

COMMENT_LIMIT = 65_536  # GitHub's limit for the body of a pull-request comment

# Rules that a document-level problem breaks for every clause the pull request changes:
# the report names those clauses, so a reviewer sees what the problem is about.
_RELEASE_RULES = ("notice-period", "backdated", "release-order")

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}


@dataclass(frozen=True, slots=True)
class DocumentReview:
    """One document the pull request changes."""

    diff: DocumentDiff
    manifest: Manifest  # document.yaml after the change
    old_manifest: Manifest | None  # before the change; None for a new document
    problems: tuple[Problem, ...]  # the check results about this document
    document: Document | None = None  # the text after the change (for clause numbers)

    @property
    def new_release(self) -> bool:
        """True when the pull request records a new version."""
        return self.old_manifest is None or self.old_manifest.version != self.manifest.version

    @property
    def notice_days(self) -> int:
        """Days between announcement and effective date of the version after the change."""
        return (self.manifest.effective - self.manifest.announced).days

    @property
    def earliest_effective(self) -> dt.date:
        """The earliest effective date the notice promise allows for this announcement."""
        return self.manifest.announced + dt.timedelta(days=self.manifest.notice_days)

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
    languages: tuple[str, ...] = ("zh", "en")
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


# ------------------------------------------------------------------------------- shared

def _short(commit: str) -> str:
    return commit[:12]


def _clause_label(review: Review, document: str | None, clause_id: str) -> str:
    number = review.numbers.get((document or "", clause_id))
    return f"{number} ({clause_id})" if number else clause_id


def _affected(review: Review, problem: Problem) -> str:
    """The clause(s) a problem is about: its own, or the changes of a release problem."""
    if problem.clause:
        return _clause_label(review, problem.document, problem.clause)
    if problem.rule not in _RELEASE_RULES or problem.document is None:
        return ""
    doc = next((d for d in review.documents if d.manifest.id == problem.document), None)
    if doc is None:
        return ""
    changes = doc.substantive_changes() or doc.diff.changes
    return ", ".join(_clause_label(review, problem.document, c.id) for c in changes)


def _status(problem: Problem) -> tuple[str, str]:
    """(symbol, word) for a problem's severity."""
    if problem.waived is not None:
        return "☑️", "waived"
    if problem.severity is Severity.ERROR:
        return "❌", "error"
    return "⚠️", "warning"


def _ordered(problems: Sequence[Problem]) -> list[Problem]:
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


def _release_line(doc: DocumentReview) -> str:
    m = doc.manifest
    dates = f"announced {m.announced}, effective {m.effective}"
    if not doc.new_release:
        return (f"version {m.version}, no new release ({dates}): a substantive change needs "
                "a new release (terms release)")
    version = m.version if doc.old_manifest is None \
        else f"{doc.old_manifest.version} → {m.version}"
    line = (f"version {version}, new release: {dates}; {doc.notice_days} days of notice, "
            f"{m.notice_days} required")
    if doc.notice_days < m.notice_days:
        line += f"; the earliest lawful effective date is {doc.earliest_effective}"
    return line


# ------------------------------------------------------------------------------ Markdown

def _code(text: str) -> str:
    """A code span. Backslash escapes do not work inside one, and none are needed: its
    content is never markup, link or @mention; only backticks must be outrun."""
    text = " ".join(text.split())
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _problem_rows(review: Review, budget: int) -> list[str]:
    """The check results as a table of at most about ``budget`` characters: errors first,
    so what blocks the merge is always shown; the rest are counted."""
    if not review.problems:
        return ["Every notice and format rule passes."]
    rows = ["| | Rule | Document | Clause | Problem |", "| --- | --- | --- | --- | --- |"]
    size = sum(len(row) + 1 for row in rows)
    ordered = _ordered(review.problems)
    for index, problem in enumerate(ordered):
        symbol, word = _status(problem)
        message = problem.message
        if problem.waived is not None:
            message += f" (waived: {problem.waived})"
        row = (f"| {symbol} {word} | `{problem.rule}` | {markdown_cell(problem.document or '')} | "
               f"{markdown_cell(_affected(review, problem))} | {markdown_cell(message)} |")
        if size + len(row) > budget:
            command = _code(f"terms check --base {review.base}").replace("|", "\\|")
            rows.append(f"| … | | | | {len(ordered) - index} more: run {command} for the "
                        "full list |")
            break
        rows.append(row)
        size += len(row) + 1
    return rows


def _document_head(review: Review, doc: DocumentReview) -> str:
    from termstool.render.redline_markdown import counts_line, summary_table

    m = doc.manifest
    titles = " / ".join(escape_markdown(m.title.get(lang)) for lang in review.languages
                        if m.title.get(lang)) or escape_markdown(m.id)
    out = [f"### {titles} (`{m.id}`)", "", f"- {escape_markdown(_release_line(doc))}"]
    if m.exception:
        new = " (recorded by this change)" if doc.new_exception else ""
        out.append(f"- Notice exception{new}: {markdown_cell(m.exception)}")
    for waiver in doc.added_waivers:
        out.append(f"- Waiver added by this change: rule {_code(waiver.rule)}, "
                   f"commit {_code(waiver.commit)}: {markdown_cell(waiver.reason)}")
    for problem in doc.translation_problems():
        symbol, _word = _status(problem)
        out.append(f"- {symbol} Translation: {markdown_cell(problem.message)}")
    out += ["", f"Clauses: {escape_markdown(counts_line(doc.diff))}.", ""]
    if doc.diff.changes:
        out += [*summary_table(doc.diff), ""]
    return "\n".join(out) + "\n"


@dataclass(frozen=True, slots=True)
class _Block:
    """A piece of the Markdown report that is kept or cut whole."""

    text: str  # without surrounding blank lines; blocks are joined by one blank line
    clause: bool = False  # a clause's redline: counted in the cut note

    @classmethod
    def of(cls, text: str, clause: bool = False) -> _Block:
        return cls(text.strip("\n"), clause)


def _markdown_blocks(review: Review, limit: int) -> list[_Block]:
    from termstool.render.redline_markdown import clause_details, shows_text

    mark = "✅" if review.ok else "❌"
    head = [f"## {mark} terms review: {verdict(review)}", "",
            f"Compared {_code(review.base)} (merge base "
            f"`{_short(review.merge_base)}`) with {escape_markdown(review.head)}"
            + (f"; today is {review.today}" if review.today else "") + ".", "",
            "#### Checks"]
    # The checks may take half the comment; the redlines get the rest.
    checks = "\n".join(_problem_rows(review, limit // 2))
    blocks = [_Block.of("\n".join(head)), _Block.of(checks)]
    if not review.documents:
        blocks.append(_Block.of("No document text changes."))
    for doc in review.documents:
        blocks.append(_Block.of(_document_head(review, doc)))
        langs = [lang for lang in review.languages if lang in doc.diff.languages]
        for change in doc.diff.changes:
            if shows_text(change):
                blocks.append(_Block.of(clause_details(change, langs), clause=True))
    return blocks


_SEPARATOR = "\n\n"


def cut_note(omitted: int, html_file: str | None) -> str:
    """The note that ends a cut report."""
    where = (f"the full HTML redline is in {_code(html_file)}" if html_file
             else "run `terms review -o review.html` for the full HTML redline")
    what = f"{omitted} more clause redline{'s' * (omitted != 1)}" if omitted \
        else "the rest of the report"
    return (f"> [!NOTE]\n> This report is cut at a clause boundary to fit the "
            f"{COMMENT_LIMIT:,} characters of a pull-request comment: {what} "
            f"{'are' if omitted > 1 else 'is'} not shown here; {where}.")


def review_markdown(review: Review, *, limit: int = COMMENT_LIMIT,
                    html_file: str | None = None) -> str:
    """The report as Markdown, cut at a clause boundary to at most ``limit`` characters."""
    blocks = _markdown_blocks(review, limit)
    full = _SEPARATOR.join(b.text for b in blocks) + "\n"
    if len(full) <= limit:
        return full
    kept: list[str] = []
    size = 0
    for index, block in enumerate(blocks):
        omitted = sum(1 for b in blocks[index:] if b.clause)
        note = cut_note(omitted, html_file)
        if size + len(block.text) + 2 * len(_SEPARATOR) + len(note) + 1 > limit:
            return _SEPARATOR.join([*kept, note]) + "\n"
        kept.append(block.text)
        size += len(block.text) + len(_SEPARATOR)
    return full  # pragma: no cover - the loop returns once the full text is too long


# ---------------------------------------------------------------------------------- text

def review_text(review: Review) -> str:
    """The report as plain text for a terminal or a CI log (never cut)."""
    from termstool.render.redline_markdown import counts_line, kind_label, shows_text
    from termstool.report.notice import redline_text

    mark = "OK" if review.ok else "FAIL"
    out = [f"terms review: {mark}: {verdict(review)}",
           f"compared {review.base} (merge base {_short(review.merge_base)}) with "
           f"{review.head}" + (f"; today is {review.today}" if review.today else ""), ""]
    if review.problems:
        out.append("Checks:")
        for problem in _ordered(review.problems):
            _symbol, word = _status(problem)
            where = _affected(review, problem)
            about = " ".join(x for x in (problem.document or "", where) if x)
            waived = f" (waived: {problem.waived})" if problem.waived is not None else ""
            out.append(f"  {word} [{problem.rule}] {about}: {problem.message}{waived}")
    else:
        out.append("Checks: every notice and format rule passes.")
    if not review.documents:
        out += ["", "No document text changes."]
    for doc in review.documents:
        m = doc.manifest
        titles = " / ".join(m.title.get(lang) for lang in review.languages if m.title.get(lang))
        out += ["", f"{titles} ({m.id})", f"  {_release_line(doc)}"]
        if m.exception:
            out.append(f"  notice exception: {m.exception}")
        for waiver in doc.added_waivers:
            out.append(f"  waiver added: rule {waiver.rule}, commit {waiver.commit}: "
                       f"{waiver.reason}")
        out.append(f"  clauses: {counts_line(doc.diff)}")
        langs = [lang for lang in review.languages if lang in doc.diff.languages]
        for change in doc.diff.changes:
            out.append(f"  {change.number_label}  {change.id}  {kind_label(change)}  "
                       f"{change.label}")
            if not shows_text(change):
                continue
            for lang in langs:
                if lang in change.languages_changed or not change.text_changed:
                    text = redline_text(change, lang).replace("\n", "\n      ")
                    out.append(f"    {LANGUAGE_NAMES.get(lang, lang)}: {text}")
    return "\n".join(out) + "\n"
