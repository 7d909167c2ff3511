"""The review report as Markdown: a pull-request comment or a workflow step summary.

A pull-request comment holds at most 65,536 characters. A longer Markdown report is cut
between two blocks (never inside a clause's redline) and ends with a note that points to
the whole review, never cut, written by ``terms review -o FILE``. The verdict and the check
results come first, so a cut never hides why a change may not merge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from termstool.format.commonmark import escape_markdown
from termstool.render.redline_markdown import clause_details, markdown_cell, summary_table
from termstool.render.redline_text import (
    alike_line,
    counts_line,
    shows_text,
    without_differences,
)
from termstool.report.review import (
    DocumentReview,
    Review,
    affected,
    by_severity,
    declaration_label,
    release_line,
    short_commit,
    status_mark,
    verdict,
)

COMMENT_LIMIT = 65_536  # GitHub's limit for the body of a pull-request comment


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
    shown = by_severity(review.problems)
    for index, problem in enumerate(shown):
        symbol, word = status_mark(problem)
        message = problem.message
        if problem.waived is not None:
            message += f" (waived: {problem.waived})"
        row = (f"| {symbol} {word} | `{problem.rule}` | {markdown_cell(problem.document or '')} | "
               f"{markdown_cell(affected(review, problem))} | {markdown_cell(message)} |")
        if size + len(row) > budget:
            command = _code(f"terms check --base {review.base}").replace("|", "\\|")
            rows.append(f"| … | | | | {len(shown) - index} more: run {command} for the "
                        "full list |")
            break
        rows.append(row)
        size += len(row) + 1
    return rows


def _document_head(review: Review, doc: DocumentReview) -> str:
    m = doc.manifest
    titles = " / ".join(escape_markdown(m.title.get(lang)) for lang in review.shown(doc)
                        if m.title.get(lang)) or escape_markdown(m.id)
    out = [f"### {titles} (`{m.id}`)", "", f"- {escape_markdown(release_line(doc))}"]
    if m.exception:
        new = " (recorded by this change)" if doc.new_exception else ""
        out.append(f"- Notice exception{new}: {markdown_cell(m.exception)}")
    for waiver in doc.added_waivers:
        out.append(f"- Waiver added by this change: rule {_code(waiver.rule)}, "
                   f"commit {_code(waiver.commit)}: {markdown_cell(waiver.reason)}")
    for problem in doc.translation_problems():
        symbol, _word = status_mark(problem)
        out.append(f"- {symbol} Translation: {markdown_cell(problem.message)}")
    for problem in doc.declarations():
        out.append(f"- {declaration_label(problem)}: {markdown_cell(problem.message)}")
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
    mark = "✅" if review.ok else "❌"
    head = [f"## {mark} terms review: {verdict(review)}", "",
            f"Compared {_code(review.base)} (merge base "
            f"`{short_commit(review.merge_base)}`) with {escape_markdown(review.head)}"
            + (f"; today is {review.today}" if review.today else "") + ".", "",
            "#### Checks"]
    # The checks may take half the comment; the redlines get the rest.
    checks = "\n".join(_problem_rows(review, limit // 2))
    blocks = [_Block.of("\n".join(head)), _Block.of(checks)]
    if not review.documents:
        blocks.append(_Block.of("No document text changes."))
    for doc in review.documents:
        blocks.append(_Block.of(_document_head(review, doc)))
        langs = review.shown(doc)
        for change in doc.diff.changes:
            if shows_text(change):
                blocks.append(_Block.of(clause_details(change, langs), clause=True))
    alike = without_differences(review.redline)
    if alike:
        blocks.append(_Block.of(escape_markdown(alike_line(alike))))
    return blocks


_SEPARATOR = "\n\n"


def cut_note(omitted: int, html_file: str | None) -> str:
    """The note that ends a cut report."""
    where = (f"the whole review, never cut, is in {_code(html_file)}" if html_file
             else "run `terms review -o review.html` for the whole review as one HTML page")
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
