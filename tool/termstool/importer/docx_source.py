"""Read terms kept as a Word file (.docx): the text of its paragraphs, in order.

Read with python-docx. Every paragraph of the body (table cells included) becomes a line
whose number is the paragraph's position, counted from 1, which messages call its line.
A paragraph in a Word numbered list gets the number Word shows ("1.1", "第一条") from
the list's definition, so that numbers Word computes read like typed ones. Bold, italic
and underlined text and web links are kept for the Markdown. A file with tracked
changes is refused: which text binds is undecided until they are accepted or rejected.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

import docx
from docx.document import Document as WordDocument
from docx.enum.text import WD_UNDERLINE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from termstool.errors import UnreadableInput
from termstool.format.numbering import chinese_numeral
from termstool.importer.markup import BlockBuilder, block_lines, with_markdown
from termstool.importer.package import checked_package
from termstool.importer.text_source import SourceDocument, parse_lines

if TYPE_CHECKING:
    from docx.oxml.text.run import CT_R

_NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
# Compiled with their namespaces: python-docx's own element.xpath() takes none, and the
# elements it does not know are plain lxml elements.
_CHANGES = etree.XPath(".//w:ins | .//w:del | .//w:moveFrom | .//w:moveTo", namespaces=_NS)
_RUNS = etree.XPath(".//w:r", namespaces=_NS)
_OWN_PARAGRAPH = etree.XPath("ancestor::w:p[1]", namespaces=_NS)


def parse_docx(data: bytes, file: str) -> SourceDocument:
    """Parse a Word file of terms; raise ``UnreadableInput`` naming the paragraph if needed."""
    checked_package(data, file)  # a zip bomb is refused before anything unpacks
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise UnreadableInput(f"not a Word .docx file ({exc}); save it from Word as .docx",
                              file=file) from exc
    numbering = _Numbering(document)
    builder = BlockBuilder()
    for line, paragraph in enumerate(_paragraphs(document), start=1):
        if _CHANGES(paragraph._p):
            raise UnreadableInput("the file has tracked changes: accept or reject them in "
                                  "Word (Review, Accept All Changes), save, and import again",
                                  file=file, line=line)
        label = numbering.label(paragraph)
        if label:
            builder.add(label, line)
        for text, bold, emphasis, href in _runs(paragraph):
            for index, piece in enumerate(text.split("\n")):
                if index:
                    builder.flush()  # a line break inside the paragraph
                builder.add(piece, line, bold=bold, emphasis=emphasis, href=href)
        builder.flush()
    lines, numbers = block_lines(builder.blocks)
    if not lines:
        raise UnreadableInput("the Word file has no text", file=file)
    source = parse_lines(lines, file, numbers=numbers, read_as="Word (.docx)")
    return with_markdown(source, builder.blocks)


def _paragraphs(document: WordDocument) -> Iterator[Paragraph]:
    """The body's paragraphs in order, those in table cells included (merged cells once)."""
    seen: set[int] = set()

    def walk(items: Iterator[Paragraph | Table]) -> Iterator[Paragraph]:
        for item in items:
            if isinstance(item, Paragraph):
                yield item
                continue
            for row in item.rows:
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    yield from walk(cell.iter_inner_content())

    yield from walk(document.iter_inner_content())


def _runs(paragraph: Paragraph) -> Iterator[tuple[str, bool, bool, str | None]]:
    """Each run of the paragraph: its text, bold, italic or underlined, and link target.

    The runs are read from the XML, so that text in fields, content controls and
    hyperlinks is all there.
    """
    p = paragraph._p
    for r in _elements(_RUNS, p):
        if _elements(_OWN_PARAGRAPH, r)[0] is not p:
            continue  # a paragraph inside a text box of this one
        text = ""
        for child in r:
            if child.tag == qn("w:t"):
                text += child.text or ""
            elif child.tag in (qn("w:tab"), qn("w:ptab")):
                text += " "
            elif child.tag in (qn("w:br"), qn("w:cr")):
                text += "\n"
            elif child.tag == qn("w:noBreakHyphen"):
                text += "-"
        if not text:
            continue
        run = Run(cast("CT_R", r), paragraph)
        yield text, _on(run, "bold"), _on(run, "italic") or _underlined(run), _link(paragraph, r)


def _elements(path: etree.XPath, element: etree._Element) -> list[etree._Element]:
    """The elements an XPath finds (it finds only elements)."""
    return cast("list[etree._Element]", path(element))


def _on(run: Run, name: str) -> bool:
    """Direct formatting first, then the run's character style (e.g. "Strong")."""
    value = getattr(run, name)
    if value is None and run.style is not None:
        value = getattr(run.style.font, name)
    return value is True


def _underlined(run: Run) -> bool:
    value = run.underline
    if value is None and run.style is not None:
        value = run.style.font.underline
    return value not in (None, False, WD_UNDERLINE.NONE)


def _link(paragraph: Paragraph, r: etree._Element) -> str | None:
    parent = r.getparent()
    while parent is not None and parent.tag != qn("w:p"):
        if parent.tag == qn("w:hyperlink"):
            rid = parent.get(qn("r:id"))
            if rid and rid in paragraph.part.rels:
                return str(paragraph.part.rels[rid].target_ref)
            return None  # a link to a place in the document
        parent = parent.getparent()
    return None


# ---------------------------------------------------------------- Word list numbering


@dataclass(frozen=True, slots=True)
class _Level:
    start: int
    fmt: str  # w:numFmt: decimal, chineseCounting, lowerLetter, bullet, ...
    text: str  # w:lvlText: "%1.%2."
    legal: bool  # w:isLgl: every level shown in decimal
    suffix: str  # what follows the number: a tab, a space or nothing


@dataclass(slots=True)
class _Numbering:
    """The numbers Word shows before the paragraphs of its numbered lists."""

    document: WordDocument
    abstract: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # abstractNumId ->
    starts: dict[tuple[str, int], int] = field(default_factory=dict)  # startOverride
    counters: dict[str, list[int | None]] = field(default_factory=dict)  # numId -> counts

    def __post_init__(self) -> None:
        root = next((rel.target_part.element for rel in self.document.part.rels.values()
                     if rel.reltype == RELATIONSHIP_TYPE.NUMBERING), None)
        if root is None:
            return
        for abstract in root.findall(qn("w:abstractNum")):
            levels: dict[int, _Level] = {}
            for lvl in abstract.findall(qn("w:lvl")):
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = _Level(
                    int(_val(lvl, "w:start") or 1), _val(lvl, "w:numFmt") or "decimal",
                    _val(lvl, "w:lvlText") or "", lvl.find(qn("w:isLgl")) is not None,
                    {"space": " ", "nothing": ""}.get(_val(lvl, "w:suff") or "", " "))
            self.levels[abstract.get(qn("w:abstractNumId"), "")] = levels
        for num in root.findall(qn("w:num")):
            num_id = num.get(qn("w:numId"), "")
            self.abstract[num_id] = _val(num, "w:abstractNumId") or ""
            for override in num.findall(qn("w:lvlOverride")):
                start = _val(override, "w:startOverride")
                if start is not None:
                    self.starts[(num_id, int(override.get(qn("w:ilvl"), "0")))] = int(start)

    def label(self, paragraph: Paragraph) -> str:
        """The number Word shows before ``paragraph`` with its separator, or ""."""
        found = _num_pr(paragraph)
        if found is None:
            return ""
        num_id, ilvl = found
        levels = self.levels.get(self.abstract.get(num_id, ""), {})
        if ilvl not in levels:
            return ""
        counts = self.counters.setdefault(num_id, [None] * 9)
        for depth in range(ilvl):  # a level never started counts from its start
            if counts[depth] is None:
                counts[depth] = self._start(num_id, depth, levels)
        current = counts[ilvl]
        counts[ilvl] = self._start(num_id, ilvl, levels) if current is None else current + 1
        for depth in range(ilvl + 1, 9):
            counts[depth] = None
        level = levels[ilvl]
        if level.fmt in ("bullet", "none"):
            return ""
        text = level.text
        for depth in range(ilvl, -1, -1):
            value = counts[depth] or 0
            fmt = "decimal" if level.legal else levels.get(depth, level).fmt
            text = text.replace(f"%{depth + 1}", _format(value, fmt))
        return text + level.suffix if text else ""

    def _start(self, num_id: str, ilvl: int, levels: dict[int, _Level]) -> int:
        return self.starts.get((num_id, ilvl), levels[ilvl].start if ilvl in levels else 1)


def _val(element: etree._Element, child: str) -> str | None:
    found = element.find(qn(child))
    return None if found is None else found.get(qn("w:val"))


def _num_pr(paragraph: Paragraph) -> tuple[str, int] | None:
    """The list (numId) and level of a paragraph: its own, or its paragraph style's."""
    elements = [paragraph._p]
    style = paragraph.style
    while style is not None:
        elements.append(style.element)
        style = style.base_style
    for element in elements:
        num_pr = element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is None:
            continue
        num_id = _val(num_pr, "w:numId")
        if num_id is None or num_id == "0":
            return None  # numbering switched off for this paragraph
        return num_id, int(_val(num_pr, "w:ilvl") or 0)
    return None


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _format(value: int, fmt: str) -> str:
    """A list counter as Word writes it in ``fmt``."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographLegalTraditional",
               "taiwaneseCounting", "taiwaneseCountingThousand", "japaneseCounting"):
        return chinese_numeral(value)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(value).translate(_FULL_WIDTH)
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for number, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                            (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                            (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            out += letters
            value -= number
    return out
