"""Read a .docx made by ``terms render -f docx`` (or the redline) back into clause texts.

The body is read in document order as a stream of text pieces and paragraph ends, each
tagged with the revisions around it (``w:ins``, ``w:del``, ``w:moveFrom``, ``w:moveTo``,
and a row's ``w:trPr`` revision). Accepting all revisions keeps what was not deleted or
moved away; rejecting all keeps what was not inserted or moved here; a paragraph whose end
does not survive joins the next paragraph, as in Word. The text is then sorted into
clauses by the bookmarks named after clause ids, into languages by paragraph style, and
the clause number (a character style of its own) is read apart from the text.

What Word can hold but the clause format cannot (underline, colour, a highlight...) is
reported with the clause it is in; so are revisions other than insertions, deletions and
moves (formatting changes, table cell changes), which the tool cannot accept for you.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from termstool.errors import UnreadableInput
from termstool.format.new_document import DEFAULT_LANGUAGES
from termstool.format.rich_text import Span, Style, merge
from termstool.format.word import (
    CODE_STYLE,
    EXPORT_NS,
    FORMER_NUMBER_STYLE,
    NUMBER_STYLE,
    R_NS,
    W_NS,
    w,
)
from termstool.importer.package import checked_package

Mode = Literal["accept", "reject"]
_REVISION_TAGS = {"ins": "insertion", "del": "deletion", "moveFrom": "move (old place)",
                  "moveTo": "move (new place)"}
_GONE_ON_ACCEPT = frozenset({"del", "moveFrom"})
_GONE_ON_REJECT = frozenset({"ins", "moveTo"})
# Run formatting the clause format has no way to write down (bold, italic, code, links do).
_UNSUPPORTED = {"u": "underline", "strike": "strike-through", "dstrike": "strike-through",
                "color": "colour", "highlight": "highlight", "shd": "shading",
                "vertAlign": "superscript/subscript", "caps": "capitals",
                "smallCaps": "small capitals", "sz": "font size", "rFonts": "font",
                "vanish": "hidden text"}
# Paragraph styles the tool writes outside clauses; their text is never a new clause.
_FRONT_STYLES = re.compile(r"^(Title|TermsMeta|TOCHeading|TOC\d)$")


# ------------------------------------------------------------------------------ model


@dataclass(frozen=True, slots=True)
class ExportedClause:
    """What the export data says about one clause."""

    bookmark: str
    id: str
    number: str
    presence: str
    old_id: str | None
    texts: tuple[tuple[str, str, str], ...]  # (lang, "title"/"body", Markdown)

    def text(self, lang: str, part: str) -> str | None:
        """The exported Markdown of a title or body, None when the clause had none."""
        return next((t for l_, p, t in self.texts if l_ == lang and p == part), None)


@dataclass(frozen=True, slots=True)
class ExportedDocument:
    """One document in the export data."""

    id: str
    path: str
    version: str | None
    base: str | None
    clauses: tuple[ExportedClause, ...]


@dataclass(frozen=True, slots=True)
class Export:
    """The export data a .docx made by terms carries."""

    kind: str  # "render" or "redline"
    languages: tuple[str, ...]
    layout: str
    front: tuple[str, ...]
    documents: tuple[ExportedDocument, ...]

    def by_bookmark(self) -> dict[str, tuple[ExportedDocument, ExportedClause]]:
        """Every clause by its bookmark name."""
        return {c.bookmark: (d, c) for d in self.documents for c in d.clauses}


@dataclass(frozen=True, slots=True)
class RevisionMark:
    """One unresolved revision: what it is, who made it, where, and its text."""

    kind: str
    author: str
    date: str
    bookmark: str | None  # the clause it is in, None outside every clause
    text: str


@dataclass(frozen=True, slots=True)
class FormattingNote:
    """Formatting that cannot be kept in a clause file."""

    bookmark: str
    what: str
    text: str


@dataclass(frozen=True, slots=True)
class ParagraphText:
    """One paragraph after revisions are resolved: its style, role, language and text."""

    style: str
    spans: tuple[Span, ...]
    number: str  # text of the number runs ("" when none)
    former: str  # text of the former-number runs ("" when none)
    bookmark: str | None  # the clause it belongs to
    lang: str | None
    role: Literal["title", "body", "front"]
    previous: str | None  # the last clause bookmark before it (for text outside clauses)
    in_field: str | None = None  # the field it is the result of (a table of contents)

    @property
    def text(self) -> str:
        """The plain text."""
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True, slots=True)
class ClauseText:
    """A clause in one language as the file shows it."""

    number: str
    former: str
    title: tuple[tuple[Span, ...], ...]
    body: tuple[tuple[Span, ...], ...]

    def plain(self) -> str:
        """Title and body paragraphs joined by blank lines, as ``terms render`` writes."""
        return "\n\n".join("".join(s.text for s in para) for para in (*self.title,
                                                                        *self.body))


@dataclass(frozen=True, slots=True)
class WordView:
    """The file with every revision accepted or rejected."""

    paragraphs: tuple[ParagraphText, ...]
    formatting: tuple[FormattingNote, ...]

    def clauses(self) -> dict[str, dict[str, ClauseText]]:
        """Bookmark -> language -> its text; a clause language with no text is absent."""
        parts: dict[str, dict[str, list[ParagraphText]]] = {}
        for para in self.paragraphs:
            if para.bookmark is None or para.lang is None:
                continue
            parts.setdefault(para.bookmark, {}).setdefault(para.lang, []).append(para)
        out: dict[str, dict[str, ClauseText]] = {}
        for bookmark, langs in parts.items():
            for lang, all_paras in langs.items():
                # A blank paragraph is no paragraph of the clause format.
                paras = [p for p in all_paras if p.spans or p.number or p.former]
                number = next((p.number for p in paras if p.number), "")
                former = next((p.former for p in paras if p.former), "")
                title = tuple(p.spans for p in paras if p.role == "title")
                body = tuple(p.spans for p in paras if p.role == "body")
                if title or body or number or former:
                    out.setdefault(bookmark, {})[lang] = ClauseText(number, former, title,
                                                                    body)
        return out

    def outside(self, front: Sequence[str]) -> list[ParagraphText]:
        """Paragraphs with text outside every clause that the export did not write."""
        known = {" ".join(text.split()) for text in front}
        return [p for p in self.paragraphs
                if p.bookmark is None and p.text.strip() and p.in_field is None
                and " ".join(p.text.split()) not in known]


# ------------------------------------------------------------------------------ events


@dataclass(slots=True)
class _Text:
    text: str
    revisions: tuple[etree._Element, ...]  # enclosing ins/del/moveFrom/moveTo elements
    style: Style
    char_style: str | None
    unsupported: tuple[str, ...]
    bookmarks: tuple[str, ...]  # clause bookmarks open here, innermost last
    field: str | None


@dataclass(slots=True)
class _End:
    style: str
    revisions: tuple[etree._Element, ...]  # the mark's own revision, and the row's
    hard: bool  # a cell's last paragraph: never joins what follows
    bookmarks: tuple[str, ...]


def canonical_style(style_id: str, names: dict[str, str]) -> str:
    """The style id terms wrote, from the style's name: other programs keep the names
    but may change the ids (LibreOffice writes ``TermsBodyzh`` for ``TermsBody-zh``)."""
    name = names.get(style_id, style_id)
    for pattern, template in _STYLE_NAMES:
        match = pattern.fullmatch(name)
        if match:
            return template.format(*match.groups())
    return style_id


_STYLE_NAMES = (
    (re.compile(r"Terms Body \((.+)\)"), "TermsBody-{}"),
    (re.compile(r"Terms Title \((.+)\)"), "TermsTitle-{}"),
    (re.compile(r"heading (\d)", re.IGNORECASE), "Heading{}"),
    (re.compile(r"(?:toc|contents) (\d)", re.IGNORECASE), "TOC{}"),
    (re.compile(r"(?:toc|contents) heading", re.IGNORECASE), "TOCHeading"),
    (re.compile(r"Terms Meta"), "TermsMeta"),
    (re.compile(r"Title"), "Title"),
    (re.compile(r"Terms Number"), NUMBER_STYLE),
    (re.compile(r"Terms Former Number"), FORMER_NUMBER_STYLE),
    (re.compile(r"Terms Code"), CODE_STYLE),
)


@dataclass(slots=True)
class _Walk:
    """State of one pass over the body."""

    clause_bookmarks: frozenset[str]
    anchors: dict[str, str]  # relationship id -> address
    styles: dict[str, str] = field(default_factory=dict)  # style id -> style name
    events: list[_Text | _End] = field(default_factory=list)
    revisions: list[tuple[etree._Element, tuple[str, ...]]] = field(default_factory=list)
    open_marks: dict[str, str] = field(default_factory=dict)  # bookmark id -> name
    fields: list[list[str | bool]] = field(default_factory=list)  # [instruction, result?]

    def bookmarks(self) -> tuple[str, ...]:
        return tuple(self.open_marks.values())

    def field(self) -> str | None:
        for instruction, result in reversed(self.fields):
            if result:
                return str(instruction).strip()
        return None

    def in_instruction(self) -> bool:
        return any(not result for _, result in self.fields)


def _local(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith(f"{{{W_NS}}}"):
        return ""
    return tag[len(W_NS) + 2:]


def _walk(walk: _Walk, element: etree._Element, revisions: tuple[etree._Element, ...],
          row: tuple[etree._Element, ...], link: str | None) -> None:
    for child in element:
        name = _local(child)
        if name == "p":
            _paragraph(walk, child, revisions + row, link, hard=False)
        elif name == "tbl":
            _walk(walk, child, revisions, row, link)
        elif name == "tr":
            tr_pr = child.find(w("trPr"))
            marks = tuple(m for m in (tr_pr if tr_pr is not None else ())
                          if _local(m) in ("ins", "del"))
            for mark in marks:
                walk.revisions.append((mark, walk.bookmarks()))
            _walk(walk, child, revisions, row + marks, link)
        elif name == "tc":
            tc_pr = child.find(w("tcPr"))
            for mark in (tc_pr if tc_pr is not None else ()):
                if _local(mark) in ("cellIns", "cellDel", "cellMerge", "tcPrChange"):
                    walk.revisions.append((mark, walk.bookmarks()))
            paragraphs = [c for c in child if _local(c) == "p"]
            for sub in child:
                if _local(sub) == "p":
                    _paragraph(walk, sub, revisions + row, link,
                               hard=sub is paragraphs[-1])
                else:
                    _walk(walk, sub, revisions, row, link)
        elif name in ("sdt", "sdtContent", "customXml", "smartTag", "body"):
            _walk(walk, child, revisions, row, link)
        elif name in ("tblPrChange", "trPrChange", "tblGridChange"):
            walk.revisions.append((child, walk.bookmarks()))
        elif name in ("bookmarkStart", "bookmarkEnd"):
            _bookmark(walk, child, name)


def _bookmark(walk: _Walk, element: etree._Element, name: str) -> None:
    ident = element.get(w("id")) or ""
    if name == "bookmarkStart":
        bookmark = element.get(w("name")) or ""
        if bookmark in walk.clause_bookmarks:
            # A second start of an open bookmark reopens it (LibreOffice may write one
            # per paragraph and leave the first unclosed).
            for key in [k for k, v in walk.open_marks.items() if v == bookmark]:
                del walk.open_marks[key]
            walk.open_marks[ident] = bookmark
    else:
        walk.open_marks.pop(ident, None)


def _paragraph(walk: _Walk, p: etree._Element, revisions: tuple[etree._Element, ...],
               link: str | None, *, hard: bool) -> None:
    ppr = p.find(w("pPr"))
    style = ""
    mark: tuple[etree._Element, ...] = ()
    if ppr is not None:
        pstyle = ppr.find(w("pStyle"))
        style = canonical_style(pstyle.get(w("val"), ""), walk.styles) \
            if pstyle is not None else ""
        rpr = ppr.find(w("rPr"))
        if rpr is not None:
            mark = tuple(m for m in rpr if _local(m) in _REVISION_TAGS)
            for change in rpr.findall(w("rPrChange")):
                walk.revisions.append((change, walk.bookmarks()))
        for change in ppr.findall(w("pPrChange")):
            walk.revisions.append((change, walk.bookmarks()))
    for element in mark:
        walk.revisions.append((element, walk.bookmarks()))
    _inline(walk, p, revisions, link)
    walk.events.append(_End(style, revisions + mark, hard, walk.bookmarks()))


def _inline(walk: _Walk, element: etree._Element, revisions: tuple[etree._Element, ...],
            link: str | None) -> None:
    for child in element:
        name = _local(child)
        if name == "r":
            _run(walk, child, revisions, link)
        elif name in _REVISION_TAGS:
            walk.revisions.append((child, walk.bookmarks()))
            _inline(walk, child, (*revisions, child), link)
        elif name == "hyperlink":
            anchor = child.get(w("anchor"))
            rel = child.get(f"{{{R_NS}}}id")
            target = f"#{anchor}" if anchor else walk.anchors.get(rel or "")
            _inline(walk, child, revisions, target)
        elif name == "fldSimple":
            walk.fields.append([child.get(w("instr")) or "", True])
            _inline(walk, child, revisions, link)
            walk.fields.pop()
        elif name in ("smartTag", "customXml", "sdt", "sdtContent", "dir", "bdo"):
            _inline(walk, child, revisions, link)
        elif name in ("bookmarkStart", "bookmarkEnd"):
            _bookmark(walk, child, name)


def _run(walk: _Walk, r: etree._Element, revisions: tuple[etree._Element, ...],
         link: str | None) -> None:
    rpr = r.find(w("rPr"))
    char_style: str | None = None
    bold = italic = False
    unsupported: list[str] = []
    if rpr is not None:
        for prop in rpr:
            name = _local(prop)
            value = prop.get(w("val"))
            on = value not in ("0", "false", "none")
            if name == "rStyle":
                char_style = canonical_style(value or "", walk.styles)
            elif name in ("b", "bCs"):
                bold = bold or (on and name == "b")
            elif name in ("i", "iCs"):
                italic = italic or (on and name == "i")
            elif name == "rPrChange":
                walk.revisions.append((prop, walk.bookmarks()))
            elif name in _UNSUPPORTED and on and not (name == "u" and link is not None):
                unsupported.append(_UNSUPPORTED[name])
    code = char_style == CODE_STYLE
    target = link if link is not None and (link.startswith("#") or _SAFE.match(link)) \
        else None
    style = Style(bold, italic, code, target)
    for child in r:
        name = _local(child)
        text: str | None = None
        if name == "fldChar":
            kind = child.get(w("fldCharType"))
            if kind == "begin":
                walk.fields.append(["", False])
            elif kind == "separate" and walk.fields:
                walk.fields[-1][1] = True
            elif kind == "end" and walk.fields:
                walk.fields.pop()
            continue
        if name == "instrText":
            if walk.fields:
                walk.fields[-1][0] = str(walk.fields[-1][0]) + (child.text or "")
            continue
        if walk.in_instruction():
            continue
        if name in ("t", "delText"):
            text = child.text or ""
        elif name == "tab":
            text = "\t"
        elif name in ("br", "cr"):
            if child.get(w("type")) in ("page", "column"):
                continue
            text = "\n"
        elif name == "noBreakHyphen":
            text = "\u2011"
        if text:
            walk.events.append(_Text(text, revisions, style, char_style,
                                     tuple(unsupported), walk.bookmarks(), walk.field()))


_SAFE = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)


# ------------------------------------------------------------------------------ the file


@dataclass(frozen=True, slots=True)
class WordFile:
    """A parsed .docx: its body events, export data and unresolved revisions."""

    export: Export | None
    events: tuple[_Text | _End, ...]
    revisions: tuple[RevisionMark, ...]

    def view(self, mode: Mode) -> WordView:
        """The file with every revision accepted (``accept``) or rejected (``reject``)."""
        gone = _GONE_ON_ACCEPT if mode == "accept" else _GONE_ON_REJECT
        # A file not exported by terms says nothing of its languages: the default
        # authoritative one.
        languages = self.export.languages if self.export else DEFAULT_LANGUAGES[:1]
        first = languages[0] if languages else DEFAULT_LANGUAGES[0]
        out: list[ParagraphText] = []
        notes: list[FormattingNote] = []
        pending: list[_Text] = []
        previous: str | None = None
        last_lang: dict[str, str] = {}
        for event in self.events:
            if any(_local(element) in gone for element in event.revisions):
                continue
            if isinstance(event, _Text):
                pending.append(event)
                continue
            para = _make_paragraph(pending, event, first, previous, last_lang, notes)
            if para is not None:
                out.append(para)
                if para.bookmark is not None:
                    previous = para.bookmark
            pending = []
        if pending:  # content after the last surviving mark: its own paragraph
            last = _End("", (), True, pending[-1].bookmarks)
            para = _make_paragraph(pending, last, first, previous, last_lang, notes)
            if para is not None:
                out.append(para)
        return WordView(tuple(out), tuple(notes))


def _make_paragraph(texts: list[_Text], end: _End, first: str, previous: str | None,
                    last_lang: dict[str, str], notes: list[FormattingNote]
                    ) -> ParagraphText | None:
    bookmark = next((t.bookmarks[-1] for t in texts if t.bookmarks), None)
    if bookmark is None and end.bookmarks:
        bookmark = end.bookmarks[-1]
    lang, role = _language(end.style, first)
    if lang is None and role != "front" and bookmark is not None:
        lang = last_lang.get(bookmark, first)
        role = "body"
    if bookmark is not None and lang is not None:
        last_lang[bookmark] = lang
    number = "".join(t.text for t in texts if t.char_style == NUMBER_STYLE).strip()
    former = "".join(t.text for t in texts if t.char_style == FORMER_NUMBER_STYLE).strip()
    spans = merge([Span(t.text, t.style) for t in texts
                   if t.char_style not in (NUMBER_STYLE, FORMER_NUMBER_STYLE)])
    for t in texts:
        for what in t.unsupported:
            if bookmark is not None:
                notes.append(FormattingNote(bookmark, what, t.text))
    field_of = texts[0].field if texts and all(t.field == texts[0].field for t in texts) \
        else None
    if field_of is not None and not field_of.upper().startswith("TOC"):
        field_of = None
    return ParagraphText(end.style, spans, number, former, bookmark, lang,
                         role, previous, field_of)


def _language(style: str, first: str) -> tuple[str | None, Literal["title", "body", "front"]]:
    if style.startswith("TermsBody-"):
        return style.removeprefix("TermsBody-"), "body"
    if style.startswith("TermsTitle-"):
        return style.removeprefix("TermsTitle-"), "title"
    if re.fullmatch(r"Heading\d", style):
        return first, "title"
    if _FRONT_STYLES.match(style):
        return None, "front"
    return None, "body"


def read_docx(data: bytes, name: str = "the file") -> WordFile:
    """Parse a .docx; ``UnreadableInput`` when it is not one."""
    package = checked_package(data, name)  # a zip bomb is refused before anything unpacks
    try:
        document_xml = package.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise UnreadableInput("not a Word .docx file (no word/document.xml inside a zip "
                              "package)", file=name) from exc
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(document_xml, parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadableInput(f"word/document.xml is not well-formed XML: {exc}",
                              file=name) from exc
    export = _read_export(package, parser)
    body = root.find(w("body"))
    if body is None:
        raise UnreadableInput("word/document.xml has no body", file=name)
    bookmarks = frozenset(export.by_bookmark()) if export else frozenset(
        b.get(w("name"), "") for b in body.iter(w("bookmarkStart")))
    walk = _Walk(bookmarks, _relationships(package, parser), _style_names(package, parser))
    _walk(walk, body, (), (), None)
    return WordFile(export, tuple(walk.events), tuple(_marks(walk)))


def _marks(walk: _Walk) -> Iterator[RevisionMark]:
    seen: set[int] = set()
    for element, bookmarks in walk.revisions:
        if id(element) in seen:
            continue
        seen.add(id(element))
        name = _local(element)
        text = "".join(str(t) for t in element.itertext())[:60] if name in _REVISION_TAGS else ""
        kind = _REVISION_TAGS.get(name, f"formatting or table change ({name})")
        yield RevisionMark(kind, element.get(w("author"), ""), element.get(w("date"), ""),
                           bookmarks[-1] if bookmarks else None, text)


def _style_names(package: zipfile.ZipFile, parser: etree.XMLParser) -> dict[str, str]:
    try:
        styles = etree.fromstring(package.read("word/styles.xml"), parser)
    except (KeyError, etree.XMLSyntaxError):
        return {}
    out = {}
    for style in styles.iter(w("style")):
        name = style.find(w("name"))
        if name is not None:
            out[style.get(w("styleId"), "")] = name.get(w("val"), "")
    return out


def _relationships(package: zipfile.ZipFile, parser: etree.XMLParser) -> dict[str, str]:
    try:
        rels = etree.fromstring(package.read("word/_rels/document.xml.rels"), parser)
    except (KeyError, etree.XMLSyntaxError):
        return {}
    return {rel.get("Id", ""): rel.get("Target", "") for rel in rels
            if rel.get("TargetMode") == "External"}


def _read_export(package: zipfile.ZipFile, parser: etree.XMLParser) -> Export | None:
    for item in package.namelist():
        if not re.fullmatch(r"customXml/item\d+\.xml", item):
            continue
        try:
            root = etree.fromstring(package.read(item), parser)
        except etree.XMLSyntaxError:
            continue
        if root.tag != f"{{{EXPORT_NS}}}export":
            continue
        return _export(root)
    return None


def _export(root: etree._Element) -> Export:
    ns = f"{{{EXPORT_NS}}}"
    front = tuple(p.text or "" for p in root.iterfind(f"{ns}front/{ns}p"))
    documents = []
    for doc in root.iterfind(f"{ns}document"):
        clauses = []
        for clause in doc.iterfind(f"{ns}clause"):
            texts = tuple((item.get("lang", ""), _local_export(item), item.text or "")
                          for item in clause if _local_export(item) in ("title", "body"))
            clauses.append(ExportedClause(clause.get("bookmark", ""), clause.get("id", ""),
                                          clause.get("number", ""),
                                          clause.get("presence", "same"),
                                          clause.get("old-id"), texts))
        documents.append(ExportedDocument(doc.get("id", ""), doc.get("path", ""),
                                          doc.get("version"), doc.get("base"),
                                          tuple(clauses)))
    return Export(root.get("kind", ""), tuple(root.get("languages", "").split()),
                  root.get("layout", "stacked"), front, tuple(documents))


def _local_export(element: etree._Element) -> str:
    tag = element.tag
    return tag.split("}", 1)[1] if isinstance(tag, str) and "}" in tag else ""

