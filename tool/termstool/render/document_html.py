"""One self-contained HTML page: inline CSS, no scripts, an anchor per clause id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from termstool.format.commonmark import to_plain
from termstool.format.numbering import number_mark
from termstool.model.document import Clause, Document
from termstool.model.languages import language_name
from termstool.render import RenderOptions
from termstool.render.blocks import to_html, to_html_inline
from termstool.render.document_text import release_labels
from termstool.render.jinja import environment


@dataclass(frozen=True, slots=True)
class _Cell:
    lang: str
    title: Markup
    body: Markup


@dataclass(frozen=True, slots=True)
class _Row:
    anchor: str
    number: str
    depth: int
    cells: tuple[_Cell, ...]
    toc: str

    @property
    def leads(self) -> bool:
        """Whether the number opens the clause (it has one, and the first language's text
        is shown), so that it can carry the clause's anchor on the printed page."""
        return bool(self.number and self.cells and (self.cells[0].title or self.cells[0].body))


def _rows(document: Document, languages: list[str], anchor_prefix: str) -> list[_Row]:
    numbers = document.numbers()
    # One number column for all languages: written as the first language writes it.
    style, first = document.manifest.numbering, languages[0] if languages else ""

    def anchor(target: str) -> str:
        return anchor_prefix + target

    rows = []
    for clause in document.walk():
        cells = tuple(_Cell(lang, Markup(to_html_inline(clause.title.get(lang))),
                            Markup(to_html(clause.body.get(lang), numbers, anchor)))
                      for lang in languages)
        rows.append(_Row(anchor(clause.id), number_mark(clause.number, style, first),
                         clause.depth, cells,
                         _toc_label(clause, languages, numbers)))
    return rows


TOC_LENGTH = 24  # characters of an untitled clause's text shown in the table of contents


def _toc_label(clause: Clause, languages: list[str], numbers: dict[str, str]) -> str:
    """The clause's title, or the start of its first paragraph (with computed numbers)."""
    for lang in languages:
        title = to_plain(clause.title.get(lang), {})
        if title:
            return title
    text = to_plain(clause.body.get(languages[0]), numbers) if languages else ""
    first = " ".join(text.split("\n\n", 1)[0].split())
    return first[:TOC_LENGTH] + ("…" if len(first) > TOC_LENGTH else "")


def render_html(documents: Sequence[Document], options: RenderOptions, *,
                for_print: bool = False) -> str:
    """The documents as one HTML page.

    ``for_print`` gives the page that the PDF lays out: the same text and look in print,
    without the table of contents (which print hides) and with fewer attributes for the
    layout engine to tell apart (see the template).
    """
    languages = list(options.shown(documents))
    many = len(documents) > 1
    pages = []
    for document in documents:
        prefix = f"{document.id}--" if many else ""
        m = document.manifest
        pages.append({
            "id": document.id,
            "titles": [(lang, to_plain(m.title.get(lang), {})) for lang in languages],
            "manifest": m,
            "labels": release_labels(m),
            "rows": _rows(document, languages, prefix),
        })
    template = environment().get_template("render.html.j2")
    return template.render(documents=pages, languages=languages,
                           names={lang: language_name(lang) for lang in languages},
                           parallel=options.layout == "parallel" and len(languages) > 1,
                           banner=options.banner, for_print=for_print)
