"""A redline as Markdown for a GitHub pull-request comment.

A summary table, then one collapsible ``<details>`` per changed clause. Deletions and
insertions are ``<del>`` and ``<ins>``, which GitHub's sanitiser keeps. Every piece of
clause text goes through :func:`escape_markdown`, so HTML, ``@mentions`` and Markdown
controls in a clause show as written and never act. The ``<summary>`` line is raw HTML,
where Markdown escapes do not work, so it carries only numbers, ids and fixed words.
Clauses that were only renumbered share one old → new table per document: their text did
not change, and a comment must stay well below GitHub's 65,536-character limit. Documents
without differences are named in one line.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from termstool.compare.clause_diff import ClauseChange, DocumentDiff, Redline, describe
from termstool.compare.text_diff import DELETE, EQUAL, INSERT, Segment, split_lines
from termstool.format.commonmark import escape_markdown
from termstool.model.languages import language_name
from termstool.render.redline_text import (
    alike_line,
    counts_line,
    kind_label,
    listed,
    renumbered_only,
    shown_languages,
    shows_text,
    versions_line,
    without_differences,
)


def markdown_cell(text: str) -> str:
    """Text for one table cell: on one line, every Markdown control escaped."""
    return escape_markdown(" ".join(text.split()))


def summary_table(document: DocumentDiff) -> list[str]:
    """The table of changed clauses (number, label, id, kind and class, languages), then
    the one table of the clauses only renumbered; blank lines between."""
    out: list[str] = []
    if listed(document):
        out += ["| § | Clause | Id | Change | Languages |", "| --- | --- | --- | --- | --- |"]
    for change in listed(document):
        out.append(f"| {escape_markdown(change.number_label)} | {markdown_cell(change.label)} "
                   f"| `{change.id}` | {kind_label(change)} | "
                   f"{', '.join(change.languages_changed) or '—'} |")
    renumbered = renumbered_only(document)
    if renumbered:
        if out:
            out.append("")
        out += [f"Renumbered only, text unchanged ({len(renumbered)}):", "",
                "| Old | New | Clause | Id |", "| --- | --- | --- | --- |"]
        out += [f"| {escape_markdown(c.shown_from)} | "
                f"{escape_markdown(c.shown_to)} | {markdown_cell(c.label)} | "
                f"`{c.id}` |" for c in renumbered]
    return out


def _line(items: Sequence[Segment]) -> str:
    out = []
    for index, segment in enumerate(items):
        text = segment.text
        if segment.op == EQUAL:
            # Leading spaces would open a code block and trailing ones a hard break.
            if index == 0:
                text = text.lstrip()
            if index == len(items) - 1:
                text = text.rstrip()
        text = escape_markdown(text)
        if segment.op == DELETE and text:
            text = f"<del>{text}</del>"
        elif segment.op == INSERT and text:
            text = f"<ins>{text}</ins>"
        out.append(text)
        if segment.note:
            out.append(f" <sub>[{escape_markdown(segment.note)}]</sub>")
    return "".join(out)


def redline_body(change: ClauseChange, lang: str) -> str:
    """One language of a change as Markdown lines; blank lines separate paragraphs."""
    diff = change.text(lang)
    if diff is None or not diff.ops:
        return "*(no text)*"
    lines = split_lines(diff.shown())
    rendered = [_line(items) for items in lines]
    out: list[str] = []
    for text in rendered:
        if not text.strip():
            if out and out[-1] != "":
                out.append("")  # a paragraph break
            continue
        if out and out[-1] != "":
            out[-1] += "<br>"  # a line break inside a paragraph, as in the source
        out.append(text)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


def clause_details(change: ClauseChange, languages: Sequence[str]) -> str:
    """One clause's collapsible redline; ``<summary>`` is raw HTML, so only escaped parts."""
    summary = (f"<b>{html.escape(change.number_label)}</b> · <code>{html.escape(change.id)}"
               f"</code> · {html.escape(kind_label(change))}")
    out = ["<details>", f"<summary>{summary}</summary>", ""]
    out.append(f"*{escape_markdown(describe(change))}*")
    out.append("")
    for lang in languages:
        if change.text(lang) is None:
            continue
        note = "" if lang in change.languages_changed or not change.text_changed \
            else " (unchanged)"
        out += [f"**{escape_markdown(language_name(lang))}**{note}", "",
                redline_body(change, lang), ""]
    out.append("</details>")
    return "\n".join(out)


def document_markdown(redline: Redline, document: DocumentDiff,
                      languages: Sequence[str] | None = None) -> str:
    """One document's part of the comment: heading, counts, summary table and details."""
    langs = shown_languages(document, languages)
    title = document.title.get(document.authoritative) or document.id
    out = [f"### {escape_markdown(title)} (`{document.id}`)", "",
           "Compared " + escape_markdown(versions_line(redline, document)) + ": "
           + escape_markdown(counts_line(document)) + ".", ""]
    if not document.changes:
        return "\n".join(out)
    out += [*summary_table(document), ""]
    for change in document.changes:
        if shows_text(change):
            out += [clause_details(change, langs), ""]
    return "\n".join(out)


def redline_markdown(redline: Redline, languages: Sequence[str] | None = None) -> str:
    """The whole redline as one Markdown comment, in ``languages`` (default: each
    document's own)."""
    parts = [f"## Redline: {escape_markdown(redline.ref_from)} → "
             f"{escape_markdown(redline.ref_to)}", ""]
    if not redline.changed:
        parts += ["No differences.", ""]
    for document in redline.documents:
        if document.changed:
            parts += [document_markdown(redline, document, languages), ""]
    alike = without_differences(redline)
    if alike:
        parts += [escape_markdown(alike_line(alike)), ""]
    return "\n".join(parts).rstrip("\n") + "\n"
