"""A clean Word document of one version: the text to read, print, or edit and send back.

Title page with the version and dates, a table of contents field, a heading for each
titled clause (Heading 1 to 9 by depth, so Word's navigation pane shows the clause tree),
the computed numbers as text, a bookmark per clause named by its id, East Asian fonts and
proofing languages set so Chinese renders in Word, and page numbers. The package records
each clause's exported text, which ``terms apply`` compares an edited copy with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from termstool.format.commonmark import to_plain
from termstool.format.word import DOCUMENT_TITLE_STYLE, META_STYLE, bookmark_name
from termstool.model.document import Document
from termstool.render import RenderOptions
from termstool.render.docx_writer import (
    ClauseRecord,
    DocumentBlock,
    DocxOptions,
    FrontParagraph,
    Revision,
    build_docx,
)
from termstool.render.full_redline import Entry, clean_entries


def title_page(document: Document, languages: Sequence[str],
               banner: str | None = None) -> list[FrontParagraph]:
    """The document's titles, then its version and dates."""
    m = document.manifest
    out = [FrontParagraph(to_plain(m.title.get(lang), {}), DOCUMENT_TITLE_STYLE, lang)
           for lang in languages if m.title.get(lang)]
    out.append(FrontParagraph(f"版本 Version {m.version}"))
    out.append(FrontParagraph(f"公告日期 Announced {m.announced.isoformat()}"))
    out.append(FrontParagraph(f"生效日期 Effective {m.effective.isoformat()}"))
    if banner:
        out.append(FrontParagraph(banner, META_STYLE))
    return out


def render_docx(documents: Sequence[Document], options: RenderOptions, *,
                base: str | None = None) -> bytes:
    """The documents as one .docx (clauses stacked by default, or in a two-column table).

    ``base`` names the revision the text comes from (recorded for ``terms apply``).
    """
    languages = tuple(options.languages)
    front: list[FrontParagraph] = []
    blocks: list[DocumentBlock] = []
    taken: set[str] = set()
    for index, document in enumerate(documents):
        page = title_page(document, languages,
                          "\n".join(b.plain() for b in options.banner) or None
                          if index == 0 else None)
        if index:
            page = [FrontParagraph(p.text, p.style, p.lang, p.page_break_before or i == 0)
                    for i, p in enumerate(page)]
        front += page if index == 0 else []
        entries = clean_entries(document, languages)
        records = tuple(_record(entry, document, taken) for entry in entries)
        blocks.append(DocumentBlock(
            document.id, document.path, document.manifest.version,
            tuple(page) if index else (), entries, _no_revision, records, base,
            document.manifest.numbering))
    first = documents[0].manifest if documents else None
    title = " · ".join(to_plain(d.manifest.title.get(languages[0]) or d.id, {})
                       for d in documents)
    created = dt.datetime.combine(first.announced, dt.time()) if first else None
    return build_docx(front, blocks, DocxOptions("render", languages, options.layout,
                                                 title),
                      created=created)


def _no_revision(entry: Entry) -> Revision:  # a clean document has none; never called
    return Revision("terms", dt.datetime(2000, 1, 1, tzinfo=dt.UTC))


def _record(entry: Entry, document: Document, taken: set[str]) -> ClauseRecord:
    clause = document.clause(entry.id)
    assert clause is not None
    texts: list[tuple[str, str, str]] = []
    for lang in document.manifest.languages:
        if clause.title.has(lang):
            texts.append((lang, "title", clause.title.get(lang)))
        if clause.body.has(lang):
            texts.append((lang, "body", clause.body.get(lang)))
    return ClauseRecord(bookmark_name(entry.id, taken), entry.id, entry.number or "",
                        texts=tuple(texts))
