"""A redline as one self-contained HTML page.

Inline CSS and no script: a summary table linking to each change, then every changed
clause with an inline view and a side-by-side (old | new) view per language, and
previous/next links between changes. Text is escaped by markupsafe here and by Jinja2's
autoescape in the template, so nothing in a clause can become markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from markupsafe import Markup, escape

from termstool.compare.clause_diff import (
    ChangeKind,
    ClauseChange,
    DocumentDiff,
    Redline,
    describe,
)
from termstool.compare.text_diff import DELETE, INSERT, Segment, side
from termstool.model.languages import language_name, union
from termstool.render.jinja import environment
from termstool.render.redline_text import (
    counts_line,
    kind_label,
    shown_languages,
    shows_text,
    versions_line,
)


def segments_html(items: Sequence[Segment]) -> Markup:
    """Segments as escaped HTML: ``<del>`` and ``<ins>``, notes as small labels."""
    out: list[str] = []
    for segment in items:
        text = str(escape(segment.text))
        if segment.op == DELETE:
            text = f"<del>{text}</del>"
        elif segment.op == INSERT:
            text = f"<ins>{text}</ins>"
        out.append(text)
        if segment.note:
            out.append(f'<span class="note">{escape(segment.note)}</span>')
    return Markup("".join(out))


@dataclass(frozen=True, slots=True)
class _Language:
    lang: str
    name: str
    changed: bool
    inline: Markup
    old: Markup
    new: Markup


@dataclass(frozen=True, slots=True)
class _Change:
    anchor: str
    change: ClauseChange
    kind: str
    description: str
    languages: tuple[_Language, ...]
    previous: str | None = None
    next: str | None = None


def _anchor(document: DocumentDiff, change: ClauseChange) -> str:
    anchor = f"{document.id}--{change.id}"
    if change.kind is ChangeKind.REMOVED and sum(c.id == change.id for c in document.changes) > 1:
        anchor += "--removed"  # an id given to a new, unrelated clause: two changes, one id
    return re.sub(r"\s", "-", anchor)


def _language(change: ClauseChange, lang: str) -> _Language | None:
    diff = change.text(lang)
    if diff is None:
        return None
    shown = diff.shown()
    return _Language(lang, language_name(lang), lang in change.languages_changed,
                     segments_html(shown), segments_html(side(shown, "old")),
                     segments_html(side(shown, "new")))


@dataclass(frozen=True, slots=True)
class _Page:
    document: DocumentDiff
    titles: tuple[str, ...]
    versions: str
    counts: str
    rows: tuple[tuple[ClauseChange, str | None], ...]  # change, anchor of its section
    changes: tuple[_Change, ...]


def redline_html(redline: Redline, languages: Sequence[str] | None = None) -> str:
    """The whole redline as one HTML page, in ``languages`` (default: each document's
    own)."""
    sections: list[tuple[int, _Change]] = []
    for number, document in enumerate(redline.documents):
        langs = shown_languages(document, languages)
        for change in document.changes:
            if shows_text(change):
                views = tuple(v for v in (_language(change, lang) for lang in langs)
                              if v is not None)
                sections.append((number, _Change(_anchor(document, change), change,
                                                 kind_label(change), describe(change), views)))
    # Previous/next run across documents, so a reader can step through every change.
    anchors = [section.anchor for _, section in sections]
    linked = [(number, replace(section,
                               previous=anchors[index - 1] if index > 0 else None,
                               next=anchors[index + 1] if index + 1 < len(anchors) else None))
              for index, (number, section) in enumerate(sections)]
    pages = []
    for number, document in enumerate(redline.documents):
        titles = tuple(title for title in (document.title.get(lang)
                                           for lang in shown_languages(document, languages))
                       if title) or (document.id,)
        rows = tuple((change, _anchor(document, change) if shows_text(change) else None)
                     for change in document.changes)
        pages.append(_Page(document, titles, versions_line(redline, document),
                           counts_line(document), rows,
                           tuple(section for n, section in linked if n == number)))
    template = environment().get_template("redline.html.j2")
    shown = list(languages) if languages is not None \
        else list(union(d.languages for d in redline.documents))
    return template.render(redline=redline, pages=pages, languages=shown,
                           first=anchors[0] if anchors else None)
