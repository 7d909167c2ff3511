"""The whole-document redline as Word tracked changes.

Every clause in order (:mod:`termstool.render.full_redline`), inserted and deleted text as
``w:ins``/``w:del`` at the granularity of ``terms diff`` (by character or by word, as each
language is compared), a moved clause whose text is unchanged as a Word move, added and
removed clauses as whole inserted or deleted paragraphs. Each revision carries the author
and date of the change to its clause. The numbers are the new ones; a renumbered clause
shows its old number in brackets beside the new, never as a tracked change.
"""

from __future__ import annotations

from collections.abc import Callable

from termstool.format.commonmark import to_plain
from termstool.format.word import DOCUMENT_TITLE_STYLE, META_STYLE, bookmark_name
from termstool.model.languages import each_once, say, say_all
from termstool.render.docx_writer import (
    ClauseRecord,
    DocumentBlock,
    DocxOptions,
    FrontParagraph,
    Revision,
    build_docx,
)
from termstool.render.full_redline import DocumentRedline, Entry, FullRedline, Presence

RevisionFor = Callable[[DocumentRedline, Entry], Revision]


def redline_docx(full: FullRedline, revision_for: RevisionFor, *,
                 layout: str = "stacked") -> bytes:
    """The redline as a .docx; ``revision_for`` gives each entry's author and date."""
    languages = _languages(full)
    front = [FrontParagraph(say_all("redline", languages), DOCUMENT_TITLE_STYLE),
             FrontParagraph(f"{full.ref_from} → {full.ref_to}", META_STYLE)]
    for document in full.documents:
        titles = " / ".join(to_plain(document.title.get(lang), {}) for lang in languages
                            if document.title.get(lang)) or document.id
        front.append(FrontParagraph(
            f"{titles}: version {document.version_from or '—'} → "
            f"{document.version_to or '—'}", META_STYLE))
    front += [FrontParagraph(text, META_STYLE, lang) for lang, text in each_once(
        [(lang, say("tracked changes legend", lang)) for lang in languages])]
    taken: set[str] = set()
    blocks = []
    many = len(full.documents) > 1
    for document in full.documents:
        records = tuple(_record(entry, taken) for entry in document.entries)
        heading: tuple[FrontParagraph, ...] = ()
        if many:
            heading = (FrontParagraph(" / ".join(
                to_plain(document.title.get(lang), {}) for lang in languages
                if document.title.get(lang)) or document.id, DOCUMENT_TITLE_STYLE),)

        def revision(entry: Entry, document: DocumentRedline = document) -> Revision:
            return revision_for(document, entry)

        blocks.append(DocumentBlock(document.id, "", document.version_to, heading,
                                    document.entries, revision, records,
                                    numbering=document.numbering))
    return build_docx(front, blocks, DocxOptions("redline", languages, layout,
                                                 f"Redline {full.ref_from} → {full.ref_to}"))


def _languages(full: FullRedline) -> tuple[str, ...]:
    out: list[str] = []
    for document in full.documents:
        out += [lang for lang in document.languages if lang not in out]
    return tuple(out)


def _record(entry: Entry, taken: set[str]) -> ClauseRecord:
    gone = entry.presence in (Presence.REMOVED, Presence.MOVED_FROM)
    old_id = entry.change.old_id if entry.change is not None else (
        None if entry.presence is Presence.ADDED else entry.id)
    if gone:
        old_id = entry.id
    return ClauseRecord(bookmark_name(entry.id, taken, prefix="old_" if gone else ""),
                        entry.id, entry.number or "", entry.presence.value, old_id)


def revisions_by(default: Revision,
                 known: dict[tuple[str, str], Revision] | None = None) -> RevisionFor:
    """A ``revision_for`` that looks up (document id, clause id), else ``default``."""
    table = known or {}

    def lookup(document: DocumentRedline, entry: Entry) -> Revision:
        return table.get((document.id, entry.id), default)

    return lookup

