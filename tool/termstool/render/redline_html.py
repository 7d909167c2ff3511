"""A redline as one self-contained HTML page.

Inline CSS and no script: a summary table linking to each change and one old → new table
of the clauses only renumbered, then every changed clause with an inline view and a
side-by-side (old | new) view per language, and previous/next links between changes.
Documents without differences are named in one line. The review page
(:mod:`termstool.render.review_html`) shows the same redline through :func:`redline_view`.
Text is escaped by markupsafe here and by Jinja2's autoescape in the template, so nothing
in a clause can become markup.
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
    renumbered: tuple[ClauseChange, ...]  # only renumbered: one old → new table


@dataclass(frozen=True, slots=True)
class RedlineView:
    """What the redline's templates show: a page per changed document, the first change,
    the languages, and the line naming the documents without differences."""

    redline: Redline
    pages: tuple[_Page, ...]
    first: str | None  # anchor of the first change
    languages: tuple[str, ...]
    alike: str | None

    def context(self) -> dict[str, object]:
        """The template variables of ``_redline_body.html.j2``."""
        return {"redline": self.redline, "pages": self.pages, "first": self.first,
                "languages": self.languages, "alike": self.alike}


def redline_html(redline: Redline, languages: Sequence[str] | None = None) -> str:
    """The whole redline as one HTML page, in ``languages`` (default: each document's
    own)."""
    template = environment().get_template("redline.html.j2")
    return template.render(redline_view(redline, languages).context())


def redline_view(redline: Redline, languages: Sequence[str] | None = None) -> RedlineView:
    """The redline as its templates show it, in ``languages`` (default: each document's
    own)."""
    changed = [document for document in redline.documents if document.changed]
    sections: list[tuple[int, _Change]] = []
    for number, document in enumerate(changed):
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
    for number, document in enumerate(changed):
        titles = tuple(title for title in (document.title.get(lang)
                                           for lang in shown_languages(document, languages))
                       if title) or (document.id,)
        rows = tuple((change, _anchor(document, change)) for change in listed(document))
        pages.append(_Page(document, titles, versions_line(redline, document),
                           counts_line(document), rows,
                           tuple(section for n, section in linked if n == number),
                           renumbered_only(document)))
    shown = tuple(languages) if languages is not None \
        else union(d.languages for d in redline.documents)
    alike = without_differences(redline)
    return RedlineView(redline, tuple(pages), anchors[0] if anchors else None, shown,
                       alike_line(alike) if alike else None)
