"""Word (.docx) output shared by the clean document and the tracked-changes redline.

python-docx supplies the package, styles, sections and properties; the body is written
with lxml, because python-docx has no API for revisions (``w:ins``, ``w:del``,
``w:moveFrom``/``w:moveTo`` with their range markers), bookmarks, internal hyperlinks or
complex fields. The markup follows ECMA-376 part 1 (WordprocessingML, §17.13 for
revisions): every revision has a unique ``w:id``, an author and a date; deleted text is
``w:delText`` inside a ``w:del`` run; a paragraph mark that was inserted or deleted
carries ``w:ins``/``w:del`` in its ``w:pPr/w:rPr``; a moved clause has a
``w:moveFromRangeStart``/``End`` pair at its old place and a ``w:moveToRangeStart``/``End``
pair at its new one, linked by ``w:name``; a row added or removed as a whole carries
``w:ins``/``w:del`` in its ``w:trPr``.

Every clause is wrapped in a bookmark named after its id (:func:`bookmark_name`), and the
package carries a custom XML part (:data:`EXPORT_NS`) saying what was exported, so that
``terms apply`` can map an edited file back to the clause files.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.shared import Twips
from lxml import etree

from termstool.compare.text_diff import DELETE, EQUAL, INSERT, OpCode
from termstool.format.new_document import DEFAULT_LANGUAGES
from termstool.format.numbering import DEFAULT_STYLE, number_mark
from termstool.format.word import (
    BODY_FONT,
    CODE_STYLE,
    DATASTORE_NS,
    EXPORT_NS,
    FORMER_NUMBER_STYLE,
    HEADING_FONT,
    LINK_STYLE,
    MAX_HEADING,
    META_STYLE,
    NUMBER_STYLE,
    PROOFING,
    R_NS,
    TOC_HEADING_STYLE,
    W_NS,
    XML_NS,
    body_style,
    heading_style,
    title_style,
    w,
)
from termstool.model.languages import by_character, language_name, say_all
from termstool.render.full_redline import Entry, Piece, Presence, RedlineParagraph


@dataclass(frozen=True, slots=True)
class Revision:
    """Who made a revision and when (``w:author``, ``w:date`` in UTC)."""

    author: str
    when: dt.datetime

    @property
    def date(self) -> str:
        """The date as WordprocessingML writes it (ST_DateTime, UTC)."""
        moment = self.when if self.when.tzinfo else self.when.replace(tzinfo=dt.UTC)
        return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class FrontParagraph:
    """A paragraph outside every clause: title page, legend, a document's heading."""

    text: str
    style: str = META_STYLE
    lang: str | None = None
    page_break_before: bool = False


@dataclass(frozen=True, slots=True)
class ClauseRecord:
    """What the export data says about one clause: its bookmark and exported texts."""

    bookmark: str
    id: str
    number: str
    presence: str = Presence.SAME.value
    old_id: str | None = None
    texts: tuple[tuple[str, str, str], ...] = ()  # (lang, part "title"/"body", Markdown)


@dataclass(frozen=True, slots=True)
class DocumentBlock:
    """One document's clauses to write, and what the export data records about it."""

    id: str
    path: str
    version: str | None
    heading: tuple[FrontParagraph, ...]  # printed before its clauses
    entries: tuple[Entry, ...]
    revision: Callable[[Entry], Revision]
    records: tuple[ClauseRecord, ...]  # one per entry, in order
    base: str | None = None  # the revision the texts come from (commit or label)
    numbering: str = DEFAULT_STYLE  # how the document writes its clause numbers


@dataclass(frozen=True, slots=True)
class DocxOptions:
    """How to lay the document out."""

    kind: str  # "render" or "redline"
    languages: tuple[str, ...]
    layout: str = "stacked"  # or "parallel": a two-column table, a row per clause
    title: str = ""
    track_changes: bool = True  # open with Track Changes on, for the next reviewer


@dataclass(slots=True)
class _Ids:
    """One counter for every ``w:id`` (bookmarks, revisions, move ranges): unique in all."""

    value: int = 0

    def next(self) -> str:
        self.value += 1
        return str(self.value)


def _sub(parent: etree._Element, tag: str, attrs: Mapping[str, str] | None = None
         ) -> etree._Element:
    element = etree.SubElement(parent, w(tag))
    if attrs:
        for key, value in attrs.items():
            element.set(w(key), value)
    return element


@dataclass(slots=True)
class _Writer:
    """Writes paragraphs, runs and revisions into a body (or a table cell)."""

    docx: DocxDocument
    options: DocxOptions
    anchors: Mapping[str, str]  # clause id -> bookmark name, for cross-reference links
    ids: _Ids = field(default_factory=_Ids)
    links: dict[str, str] = field(default_factory=dict)  # address -> relationship id
    numbering: str = DEFAULT_STYLE  # the numbering style of the document being written

    # ----------------------------------------------------------------- small pieces

    def revision_attrs(self, revision: Revision) -> dict[str, str]:
        return {"id": self.ids.next(), "author": revision.author, "date": revision.date}

    def paragraph(self, parent: etree._Element, style: str | None,
                  *, keep_next: bool = False, page_break_before: bool = False
                  ) -> etree._Element:
        p = _sub(parent, "p")
        ppr = _sub(p, "pPr")
        if style:
            _sub(ppr, "pStyle", {"val": style})
        if keep_next:
            _sub(ppr, "keepNext")
        if page_break_before:
            _sub(ppr, "pageBreakBefore")
        return p

    def mark(self, p: etree._Element, op: OpCode, entry: Entry | None,
             revision: Revision | None) -> None:
        """Record what happened to a paragraph's end (merged away, or split off)."""
        tag = self.revision_tag(op, entry)
        if tag is None or revision is None:
            return
        ppr = p.find(w("pPr"))
        assert ppr is not None
        rpr = _sub(ppr, "rPr")
        _sub(rpr, tag, self.revision_attrs(revision))

    def revision_tag(self, op: OpCode, entry: Entry | None) -> str | None:
        if op == EQUAL:
            return None
        moving = entry is not None and entry.move is not None
        if op == INSERT:
            return "moveTo" if moving else "ins"
        return "moveFrom" if moving else "del"

    def run(self, parent: etree._Element, text: str, *, deleted: bool = False,
            char_style: str | None = None, bold: bool = False, italic: bool = False
            ) -> None:
        """One run; line breaks and tabs become ``w:br`` and ``w:tab``."""
        r = _sub(parent, "r")
        if char_style or bold or italic:
            rpr = _sub(r, "rPr")
            if char_style:
                _sub(rpr, "rStyle", {"val": char_style})
            if bold:
                _sub(rpr, "b")
            if italic:
                _sub(rpr, "i")
        tag = "delText" if deleted else "t"
        for index, part in enumerate(re.split(r"(\n|\t)", text)):
            if not part:
                continue
            if index % 2:
                _sub(r, "br" if part == "\n" else "tab")
            else:
                t = _sub(r, tag)
                t.text = _xml_safe(part)
                if part != part.strip() or "  " in part:
                    t.set(f"{{{XML_NS}}}space", "preserve")

    def pieces(self, p: etree._Element, pieces: Iterable[Piece], entry: Entry | None,
               revision: Revision | None) -> None:
        """Runs for styled pieces: links grouped in ``w:hyperlink``, edits in their
        revision elements."""
        container: etree._Element = p
        container_link: str | None = None
        wrapper: etree._Element | None = None
        wrapper_op: OpCode = EQUAL
        for piece in pieces:
            link = piece.style.link
            target = self.link_target(link)
            if target != container_link:
                container = p if target is None else self.hyperlink(p, target)
                container_link = target
                wrapper = None
            tag = self.revision_tag(piece.op, entry)
            if tag is None:
                wrapper = None
                holder = container
            else:
                if wrapper is None or wrapper_op != piece.op or wrapper.getparent() \
                        is not container:
                    assert revision is not None
                    wrapper = _sub(container, tag, self.revision_attrs(revision))
                    wrapper_op = piece.op
                holder = wrapper
            style = piece.style
            char_style = CODE_STYLE if style.code else (LINK_STYLE if target else None)
            self.run(holder, piece.text, deleted=tag == "del", char_style=char_style,
                     bold=style.bold, italic=style.italic)

    def link_target(self, link: str | None) -> str | None:
        """``#bookmark`` for a clause reference, ``rId`` for an address, None for none."""
        if link is None:
            return None
        if link.startswith("#"):
            name = self.anchors.get(link[1:])
            return f"#{name}" if name else None
        rel = self.links.get(link)
        if rel is None:
            rel = self.docx.part.relate_to(link, RT.HYPERLINK, is_external=True)
            self.links[link] = rel
        return rel

    def hyperlink(self, p: etree._Element, target: str) -> etree._Element:
        if target.startswith("#"):
            return _sub(p, "hyperlink", {"anchor": target[1:], "history": "1"})
        element = _sub(p, "hyperlink", {"history": "1"})
        element.set(f"{{{R_NS}}}id", target)
        return element

    # ----------------------------------------------------------------- clauses

    def entry(self, parent: etree._Element, entry: Entry, bookmark: str,
              revision: Revision, lang_filter: str | None = None) -> list[etree._Element]:
        """The paragraphs of one entry (all languages, or one for a table cell)."""
        written: list[etree._Element] = []
        for lr in entry.languages:
            if lang_filter is not None and lr.lang != lang_filter:
                continue
            for index, para in enumerate(lr.paragraphs):
                p = self.paragraph(parent, self.style_for(para, lr.lang, entry.depth),
                                   keep_next=para.role == "title")
                if index == 0:
                    self.number(p, entry, lr.number_op, revision, lr.lang)
                self.pieces(p, para.pieces, entry, revision)
                self.mark(p, para.mark, entry, revision)
                written.append(p)
            if lr.note and lr.paragraphs:
                p = self.paragraph(parent, body_style(lr.lang))
                self.run(p, f"[{lr.note}]", italic=True)
                written.append(p)
        return written

    def style_for(self, para: RedlineParagraph, lang: str, depth: int) -> str:
        if para.role == "title":
            return heading_style(depth) if lang == self.options.languages[0] \
                else title_style(lang)
        return body_style(lang)

    def number(self, p: etree._Element, entry: Entry, op: OpCode,
               revision: Revision, lang: str) -> None:
        """The clause number in the document's numbering style ("3.1", "第三条"), and its
        old number in brackets where it changed.

        The number is not a revision of its own: it is inserted or deleted only with the
        whole clause (or language), so renumbering never shows as a tracked change.
        """
        parts: list[tuple[str, str]] = []
        if entry.number:
            parts.append((number_mark(entry.number, self.numbering, lang), NUMBER_STYLE))
        if entry.old_number is not None and entry.old_number != entry.number \
                and (entry.number or entry.old_number):
            old = number_mark(entry.old_number, self.numbering, lang) if entry.old_number \
                else "·"
            parts.append((f"[{old}]", FORMER_NUMBER_STYLE))
        if not parts:
            return
        holder: etree._Element = p
        tag = self.revision_tag(op, entry)
        if tag is not None:
            holder = _sub(p, tag, self.revision_attrs(revision))
        for index, (text, style) in enumerate(parts):
            last = index == len(parts) - 1
            self.run(holder, text + ("\t" if last else " "), deleted=tag == "del",
                     char_style=style)

    def bookmark(self, first: etree._Element, last: etree._Element, name: str) -> None:
        """Wrap the paragraphs from ``first`` to ``last`` in a bookmark."""
        ident = self.ids.next()
        start = etree.Element(w("bookmarkStart"))
        start.set(w("id"), ident)
        start.set(w("name"), name)
        _insert_after_ppr(first, start)
        _sub(last, "bookmarkEnd", {"id": ident})

    def move_range(self, first: etree._Element, last: etree._Element, entry: Entry,
                   revision: Revision) -> None:
        """The named range that pairs a moved clause's old and new places."""
        assert entry.move is not None
        kind = "moveFrom" if entry.presence is Presence.MOVED_FROM else "moveTo"
        ident = self.ids.next()
        start = etree.Element(w(f"{kind}RangeStart"))
        for key, value in (("id", ident), ("author", revision.author),
                           ("date", revision.date), ("name", entry.move)):
            start.set(w(key), value)
        _insert_after_ppr(first, start)
        _sub(last, f"{kind}RangeEnd", {"id": ident})


def _insert_after_ppr(p: etree._Element, element: etree._Element) -> None:
    ppr = p.find(w("pPr"))
    p.insert(1 if ppr is not None else 0, element)


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot hold most control characters; show them as ⟨U+0001⟩."""
    return _XML_ILLEGAL.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)


# ---------------------------------------------------------------------- the document


def build_docx(front: Sequence[FrontParagraph], blocks: Sequence[DocumentBlock],
               options: DocxOptions, *, toc: bool = True,
               created: dt.datetime | None = None) -> bytes:
    """The whole .docx: title page, contents, then every document's clauses."""
    docx = new_docx()
    _set_up(docx, options, created)
    body = docx.element.body
    sect_pr = body.find(w("sectPr"))
    body.remove(sect_pr)
    for child in list(body):
        body.remove(child)
    taken: set[str] = set()
    anchors: dict[str, str] = {}
    for block in blocks:
        for record in block.records:
            taken.add(record.bookmark)
            if record.presence != Presence.MOVED_FROM.value \
                    and record.presence != Presence.REMOVED.value:
                anchors.setdefault(record.id, record.bookmark)
    writer = _Writer(docx, options, anchors)
    front_texts: list[str] = []
    for para in front:
        _front(writer, body, para)
        front_texts.append(para.text)
    if toc:
        front_texts += _contents(writer, body, blocks, options)
        _sub(_sub(_sub(body, "p"), "r"), "br", {"type": "page"})
    for block in blocks:
        writer.numbering = block.numbering
        for para in block.heading:
            _front(writer, body, para)
            front_texts.append(para.text)
        if options.layout == "parallel" and len(options.languages) > 1:
            _parallel(writer, body, block)
            front_texts += [language_name(lang) for lang in options.languages]
        else:
            _stacked(writer, body, block)
    body.append(sect_pr)
    _page_numbers(docx)
    _export_part(docx, options, blocks, front_texts)
    out = io.BytesIO()
    docx.save(out)
    return reproducible(out.getvalue())


# The date of every part of the package: the zip's file dates mean nothing to Word, and
# fixed, two exports of the same text are the same bytes (a file kept in git, a
# checksum sent with it, a second export compared with the first).
_PART_DATE = (1980, 1, 1, 0, 0, 0)


def reproducible(package: bytes) -> bytes:
    """The same package with every part dated ``_PART_DATE`` (python-docx dates each
    part with the clock when it writes it)."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            part = zipfile.ZipInfo(info.filename, _PART_DATE)
            part.compress_type = info.compress_type
            part.external_attr = info.external_attr
            target.writestr(part, source.read(info))
    return out.getvalue()


def _front(writer: _Writer, body: etree._Element, para: FrontParagraph) -> None:
    p = writer.paragraph(body, para.style, page_break_before=para.page_break_before)
    if para.lang is not None:
        ppr = p.find(w("pPr"))
        assert ppr is not None
        rpr = _sub(ppr, "rPr")
        _lang(rpr, para.lang)
    writer.run(p, para.text)


def _stacked(writer: _Writer, body: etree._Element, block: DocumentBlock) -> None:
    for entry, record in zip(block.entries, block.records, strict=True):
        revision = block.revision(entry)
        written = writer.entry(body, entry, record.bookmark, revision)
        if not written:  # a clause with no text at all still holds its place and number
            p = writer.paragraph(body, body_style(writer.options.languages[0]))
            writer.number(p, entry, _presence_op(entry), revision, writer.options.languages[0])
            written = [p]
        writer.bookmark(written[0], written[-1], record.bookmark)
        if entry.move is not None:
            writer.move_range(written[0], written[-1], entry, revision)


def _presence_op(entry: Entry) -> OpCode:
    if entry.presence in (Presence.ADDED, Presence.MOVED_TO):
        return INSERT
    if entry.presence in (Presence.REMOVED, Presence.MOVED_FROM):
        return DELETE
    return EQUAL


# The text width of an A4 page with 2 cm margins, in twentieths of a point.
_PAGE_WIDTH, _PAGE_HEIGHT, _MARGIN = 11906, 16838, 1134
_TEXT_WIDTH = _PAGE_WIDTH - 2 * _MARGIN


def _parallel(writer: _Writer, body: etree._Element, block: DocumentBlock) -> None:
    """One table per document: a header row, then a row per clause, a column per language."""
    languages = writer.options.languages
    tbl = _sub(body, "tbl")
    tbl_pr = _sub(tbl, "tblPr")
    _sub(tbl_pr, "tblStyle", {"val": "TableGrid"})
    _sub(tbl_pr, "tblW", {"w": "5000", "type": "pct"})
    _sub(tbl_pr, "tblLayout", {"type": "fixed"})
    grid = _sub(tbl, "tblGrid")
    width = _TEXT_WIDTH // len(languages)
    for _ in languages:
        _sub(grid, "gridCol", {"w": str(width)})
    header = _sub(tbl, "tr")
    _sub(_sub(header, "trPr"), "tblHeader")
    for lang in languages:
        tc = _sub(header, "tc")
        _sub(_sub(tc, "tcPr"), "tcW", {"w": str(width), "type": "dxa"})
        p = writer.paragraph(tc, META_STYLE)
        writer.run(p, language_name(lang), bold=True)
    for entry, record in zip(block.entries, block.records, strict=True):
        revision = block.revision(entry)
        tr = _sub(tbl, "tr")
        tr_pr = _sub(tr, "trPr")
        _sub(tr_pr, "cantSplit", {"val": "0"})
        op = _presence_op(entry)
        if op != EQUAL:
            _sub(tr_pr, "ins" if op == INSERT else "del", writer.revision_attrs(revision))
        written: list[etree._Element] = []
        for lang in languages:
            tc = _sub(tr, "tc")
            _sub(_sub(tc, "tcPr"), "tcW", {"w": str(width), "type": "dxa"})
            cell = writer.entry(tc, entry, record.bookmark, revision, lang_filter=lang)
            if not cell:
                p = writer.paragraph(tc, body_style(lang))
                if lang == languages[0] and not any(lr.paragraphs for lr in entry.languages):
                    writer.number(p, entry, op, revision, lang)
                cell = [p]
            written += cell
        writer.bookmark(written[0], written[-1], record.bookmark)
        if entry.move is not None:
            writer.move_range(written[0], written[-1], entry, revision)
    # Word needs a paragraph between a table and what follows it.
    writer.paragraph(body, body_style(languages[0]))


def _contents(writer: _Writer, body: etree._Element, blocks: Sequence[DocumentBlock],
              options: DocxOptions) -> list[str]:
    """A table of contents field (Word fills in page numbers when it updates fields),
    pre-filled with linked entries so it reads well before any update."""
    heading = say_all("contents", options.languages)
    p = writer.paragraph(body, TOC_HEADING_STYLE, page_break_before=True)
    writer.run(p, heading)
    texts = [heading]
    entries: list[tuple[int, str, str]] = []
    for block in blocks:
        for entry, record in zip(block.entries, block.records, strict=True):
            if entry.number is None or entry.depth > 2:
                continue
            label = _toc_label(entry, options.languages[0])
            if label or entry.number:
                number = number_mark(entry.number, block.numbering, options.languages[0])
                entries.append((entry.depth, f"{number} {label}".strip(), record.bookmark))
    first = writer.paragraph(body, "TOC1")
    _field_begin(first, ' TOC \\o "1-2" \\h \\z \\u ')
    last = first
    for index, (depth, label, bookmark) in enumerate(entries):
        p = first if index == 0 else writer.paragraph(body, f"TOC{depth}")
        if index == 0:
            ppr = p.find(w("pPr"))
            assert ppr is not None
            ppr.find(w("pStyle")).set(w("val"), f"TOC{depth}")  # type: ignore[union-attr]
        link = _sub(p, "hyperlink", {"anchor": bookmark, "history": "1"})
        writer.run(link, label)
        texts.append(label)
        last = p
    _field_end(last)
    return texts


def _toc_label(entry: Entry, lang: str) -> str:
    lr = entry.language(lang) or (entry.languages[0] if entry.languages else None)
    if lr is None or not lr.paragraphs:
        return ""
    first = lr.paragraphs[0]
    text = "".join(piece.text for piece in first.pieces if piece.op != DELETE)
    text = " ".join(text.split())
    return text if first.role == "title" else text[:24] + ("…" if len(text) > 24 else "")


def _field_begin(p: etree._Element, instruction: str) -> None:
    _sub(_sub(p, "r"), "fldChar", {"fldCharType": "begin", "dirty": "true"})
    instr = _sub(_sub(p, "r"), "instrText")
    instr.text = instruction
    instr.set(f"{{{XML_NS}}}space", "preserve")
    _sub(_sub(p, "r"), "fldChar", {"fldCharType": "separate"})


def _field_end(p: etree._Element) -> None:
    _sub(_sub(p, "r"), "fldChar", {"fldCharType": "end"})


def _page_numbers(docx: DocxDocument) -> None:
    """Page numbers, centred in the footer: "3 / 12"; the title page has none."""
    section = docx.sections[0]
    section.different_first_page_header_footer = True
    footer = section.footer
    p = footer.paragraphs[0]._p
    ppr = p.get_or_add_pPr()
    _sub(ppr, "jc", {"val": "center"})
    for index, instruction in enumerate((" PAGE ", " NUMPAGES ")):
        if index:
            r = _sub(p, "r")
            t = _sub(r, "t")
            t.text = " / "
            t.set(f"{{{XML_NS}}}space", "preserve")
        _sub(_sub(p, "r"), "fldChar", {"fldCharType": "begin"})
        instr = _sub(_sub(p, "r"), "instrText")
        instr.text = instruction
        instr.set(f"{{{XML_NS}}}space", "preserve")
        _sub(_sub(p, "r"), "fldChar", {"fldCharType": "separate"})
        _sub(_sub(p, "r"), "t").text = "1"
        _sub(_sub(p, "r"), "fldChar", {"fldCharType": "end"})


# ---------------------------------------------------------------------- styles, settings


def _lang(rpr: etree._Element, lang: str) -> None:
    code = PROOFING.get(lang.split("-")[0], lang)
    attrs = {"eastAsia": code} if by_character(lang) else {"val": code}
    _sub(rpr, "lang", attrs)


def _fonts(rpr: etree._Element, fonts: Mapping[str, str], *, east_asian_hint: bool = False
           ) -> None:
    """Explicit fonts for every script, replacing theme fonts (which win otherwise)."""
    old = rpr.find(w("rFonts"))
    element = etree.Element(w("rFonts"))
    for key, value in fonts.items():
        element.set(w(key), value)
    if east_asian_hint:
        element.set(w("hint"), "eastAsia")
    if old is not None:
        rpr.replace(old, element)
    else:
        rpr.insert(0, element)


def _style(styles: etree._Element, kind: str, style_id: str, name: str, *,
           based_on: str | None = None, next_style: str | None = None,
           ppr: str = "", rpr: str = "") -> etree._Element:
    xml = (f'<w:style xmlns:w="{W_NS}" w:type="{kind}" w:customStyle="1" '
           f'w:styleId="{style_id}"><w:name w:val="{name}"/>'
           + (f'<w:basedOn w:val="{based_on}"/>' if based_on else "")
           + (f'<w:next w:val="{next_style}"/>' if next_style else "")
           + '<w:qFormat/>'
           + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "")
           + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "") + "</w:style>")
    element = etree.fromstring(xml)
    existing = styles.find(f"{{{W_NS}}}style[@{{{W_NS}}}styleId='{style_id}']")
    if existing is not None:
        styles.replace(existing, element)
    else:
        styles.append(element)
    return element


def _set_up(docx: DocxDocument, options: DocxOptions, created: dt.datetime | None) -> None:
    styles = docx.styles.element
    defaults = styles.find(w("docDefaults"))
    assert defaults is not None
    rpr_default = defaults.find(f"{w('rPrDefault')}/{w('rPr')}")
    assert rpr_default is not None
    _fonts(rpr_default, BODY_FONT)
    lang = rpr_default.find(w("lang"))
    if lang is not None:
        lang.set(w("eastAsia"), "zh-CN")
    for style in styles.findall(w("style")):
        style_id = style.get(w("styleId")) or ""
        if style_id.startswith("Heading") or style_id in ("Title", "TOCHeading"):
            rpr = style.find(w("rPr"))
            if rpr is not None:
                _fonts(rpr, HEADING_FONT)
    _style(styles, "paragraph", META_STYLE, "Terms Meta", based_on="Normal",
           ppr='<w:spacing w:after="120"/>', rpr='<w:sz w:val="24"/>')
    for lang in options.languages:
        cjk = by_character(lang)
        hint = '<w:rFonts w:hint="eastAsia"/>' if cjk else ""
        code = PROOFING.get(lang.split("-")[0], lang)
        lang_xml = f'<w:lang w:eastAsia="{code}"/>' if cjk else f'<w:lang w:val="{code}"/>'
        _style(styles, "paragraph", body_style(lang), f"Terms Body ({lang})",
               based_on="Normal", next_style=body_style(lang),
               ppr='<w:spacing w:after="120"/>' + ('<w:jc w:val="both"/>' if cjk else ""),
               rpr=hint + lang_xml)
        _style(styles, "paragraph", title_style(lang), f"Terms Title ({lang})",
               based_on="Normal", next_style=body_style(lang),
               ppr='<w:keepNext/><w:spacing w:before="120" w:after="60"/>',
               rpr=_font_xml(HEADING_FONT, cjk) + "<w:b/>" + lang_xml)
    for depth in range(1, MAX_HEADING + 1):
        style = styles.find(f"{{{W_NS}}}style[@{{{W_NS}}}styleId='Heading{depth}']")
        if style is not None:
            first = options.languages[0] if options.languages else DEFAULT_LANGUAGES[0]
            next_el = style.find(w("next"))
            if next_el is not None:
                next_el.set(w("val"), body_style(first))
    _style(styles, "character", NUMBER_STYLE, "Terms Number", rpr="<w:b/>")
    _style(styles, "character", FORMER_NUMBER_STYLE, "Terms Former Number",
           rpr='<w:color w:val="595959"/><w:sz w:val="18"/>')
    _style(styles, "character", CODE_STYLE, "Terms Code",
           rpr='<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/>')
    _style(styles, "character", LINK_STYLE, "Hyperlink",
           rpr='<w:color w:val="0563C1"/><w:u w:val="single"/>')
    for depth in (1, 2, 3):
        _style(styles, "paragraph", f"TOC{depth}", f"toc {depth}", based_on="Normal",
               next_style="Normal",
               ppr=f'<w:spacing w:after="60"/><w:ind w:left="{(depth - 1) * 420}"/>')
    section = docx.sections[0]
    section.page_width, section.page_height = Twips(_PAGE_WIDTH), Twips(_PAGE_HEIGHT)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Twips(_MARGIN))
    settings = docx.settings.element
    theme_lang = settings.find(w("themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(w("eastAsia"), "zh-CN")
    # Schema order (CT_Settings): trackRevisions before defaultTabStop, updateFields
    # before compat.
    if options.track_changes:
        _before(settings, etree.Element(w("trackRevisions")), "defaultTabStop")
    update = etree.Element(w("updateFields"))
    update.set(w("val"), "true")
    _before(settings, update, "compat")
    props = docx.core_properties
    props.title = options.title
    props.author = "terms"
    props.last_modified_by = "terms"
    props.comments = "Made by terms (terms-tool)."
    props.revision = 1
    if created is not None:
        props.created = created.replace(tzinfo=None)
        props.modified = created.replace(tzinfo=None)


def _before(parent: etree._Element, element: etree._Element, tag: str) -> None:
    anchor = parent.find(w(tag))
    if anchor is not None:
        anchor.addprevious(element)
    else:
        parent.append(element)


def _font_xml(fonts: Mapping[str, str], east_asian_hint: bool) -> str:
    attrs = " ".join(f'w:{key}="{value}"' for key, value in fonts.items())
    hint = ' w:hint="eastAsia"' if east_asian_hint else ""
    return f"<w:rFonts {attrs}{hint}/>"


# ---------------------------------------------------------------------- export data


def _export_part(docx: DocxDocument, options: DocxOptions, blocks: Sequence[DocumentBlock],
                 front_texts: Sequence[str]) -> None:
    """A custom XML part recording what was exported: ``terms apply`` reads it back."""
    root = etree.Element(f"{{{EXPORT_NS}}}export", nsmap={"terms": EXPORT_NS})
    root.set("kind", options.kind)
    root.set("languages", " ".join(options.languages))
    root.set("layout", options.layout)
    front = etree.SubElement(root, f"{{{EXPORT_NS}}}front")
    for text in front_texts:
        etree.SubElement(front, f"{{{EXPORT_NS}}}p").text = _xml_safe(text)
    for block in blocks:
        element = etree.SubElement(root, f"{{{EXPORT_NS}}}document")
        element.set("id", block.id)
        element.set("path", _xml_safe(block.path))
        if block.version is not None:
            element.set("version", block.version)
        if block.base is not None:
            element.set("base", block.base)
        for record in block.records:
            clause = etree.SubElement(element, f"{{{EXPORT_NS}}}clause")
            clause.set("bookmark", record.bookmark)
            clause.set("id", record.id)
            clause.set("number", record.number)
            clause.set("presence", record.presence)
            if record.old_id is not None:
                clause.set("old-id", record.old_id)
            for lang, part, text in record.texts:
                item = etree.SubElement(clause, f"{{{EXPORT_NS}}}{part}")
                item.set("lang", lang)
                item.text = _xml_safe(text)  # a control character in a clause is no crash
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    package = docx.part.package
    # The template already holds custom XML parts: take the next free names.
    item_name = package.next_partname("/customXml/item%d.xml")
    props_name = PackURI(item_name.replace("/item", "/itemProps"))
    data_part = Part(item_name, "application/xml", blob, package)
    item_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, EXPORT_NS)).upper() + "}"
    props_xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
                 f'<ds:datastoreItem ds:itemID="{item_id}" xmlns:ds="{DATASTORE_NS}">'
                 f'<ds:schemaRefs><ds:schemaRef ds:uri="{EXPORT_NS}"/></ds:schemaRefs>'
                 f'</ds:datastoreItem>').encode()
    props = Part(props_name,
                 "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
                 props_xml, package)
    data_part.relate_to(props, RT.CUSTOM_XML_PROPS)
    docx.part.relate_to(data_part, RT.CUSTOM_XML)
