"""Read a terms page saved as HTML: the text of its main content, one line per paragraph.

The page is parsed with lxml's HTML parser (libxml2: it copes with the broken markup of
real pages, and gives each element's source line). The main content is ``<main>`` or
the element with ``role="main"``, else the only ``<article>``, else ``<body>``. Scripts,
styles and forms are not text; navigation, page headers and footers and asides are page
furniture, reported as dropped with their line, as is everything outside the main
content. Headings, paragraphs, list items and table cells become paragraphs; ``<br>``
ends one. Bold and italic or underlined text and web links are kept for the Markdown.
The items of an ordered list get the numbers the browser shows (nested: ``1.1``).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import replace

from lxml import etree, html

from termstool.errors import UnreadableInput
from termstool.importer.encoding import decode_source
from termstool.importer.markup import BlockBuilder, block_lines, with_markdown
from termstool.importer.text_source import DroppedLine, SourceDocument, parse_lines

_NOT_TEXT = {"script", "style", "noscript", "template", "iframe", "svg", "canvas", "object",
             "embed", "button", "select", "input", "textarea", "head", "title", "meta",
             "link", "form", "img", "video", "audio", "map"}
_FURNITURE = {"nav": "navigation", "header": "page header", "footer": "page footer",
              "aside": "aside"}
_BLOCK = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li",
          "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "thead", "tbody",
          "tfoot", "tr", "td", "th", "caption", "figure", "figcaption", "address", "hr",
          "body", "fieldset", "legend", "details", "summary", "center", "menu"}
_BOLD = {"b", "strong"}
_EMPHASIS = {"i", "em", "u", "cite", "dfn"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""",
                           re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Pages that declare a GB2312 or GBK charset are read with their superset GB18030.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030"}


def parse_html(data: bytes, file: str) -> SourceDocument:
    """Parse an HTML page of terms; raise ``UnreadableInput`` when it has no clauses."""
    text, encoding = _decode(data, file)
    try:
        root = html.document_fromstring(_XML_DECLARATION.sub("", text))
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableInput(f"not an HTML page: {exc}", file=file) from exc
    body = root.find("body")
    reader = _Reader(_main(root, body if body is not None else root))
    reader.walk(body if body is not None else root, reader.outside)
    reader.outside.flush()
    reader.kept.flush()
    lines, numbers = block_lines(reader.kept.blocks)
    if not lines:
        raise UnreadableInput("the page has no text in its main content", file=file)
    source = parse_lines(lines, file, numbers=numbers, read_as=f"HTML ({encoding})")
    furniture = reader.dropped + [DroppedLine(block.line, block.text, "outside the main content")
                                  for block in reader.outside.blocks]
    dropped = tuple(sorted((*source.dropped, *furniture), key=lambda d: d.line))
    return replace(with_markdown(source, reader.kept.blocks), dropped=dropped)


def _decode(data: bytes, file: str) -> tuple[str, str]:
    """The page's text: by its byte-order mark, its <meta charset>, or as plain text is."""
    declared = _META_CHARSET.search(data[:4096])
    if declared and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
                                         codecs.BOM_UTF16_BE)):
        name = declared.group(1).decode("ascii").lower()
        try:
            codec = codecs.lookup(_SUPERSETS.get(name, name)).name
            return data.decode(codec).replace("\r\n", "\n"), codec
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: find the encoding from the bytes instead
    return decode_source(data, file)


def _main(root: html.HtmlElement, body: html.HtmlElement) -> html.HtmlElement:
    mains = root.xpath("//main | //*[@role='main']")
    if mains:
        return mains[0]
    articles = root.xpath("//article")
    return articles[0] if len(articles) == 1 else body


class _Reader:
    """Walks the page: text of the main content into ``kept``, the rest into ``outside``."""

    def __init__(self, main: html.HtmlElement) -> None:
        self.main = main
        self.kept = BlockBuilder()
        self.outside = BlockBuilder()
        self.dropped: list[DroppedLine] = []
        self.line = 1

    def walk(self, element: html.HtmlElement, builder: BlockBuilder, *, bold: bool = False,
             emphasis: bool = False, href: str | None = None, number: str = "") -> None:
        """Add the text of ``element`` (not its tail) to ``builder``."""
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if not tag or tag in _NOT_TEXT:
            return  # a comment, a script, a form: no text of the terms
        self.line = element.sourceline or self.line
        if element is self.main:
            builder.flush()
            builder = self.kept
        elif tag in _FURNITURE and builder in (self.kept, self.outside):
            self._furniture(element, _FURNITURE[tag])
            return
        block = tag in _BLOCK or tag == "br"
        if block:
            builder.flush()
        if tag == "br":
            return
        bold = bold or tag in _BOLD
        emphasis = emphasis or tag in _EMPHASIS
        if tag == "a":
            href = element.get("href") or None
        if tag == "li" and number:
            builder.add(f"{number}. ", self.line)
        if element.text:
            builder.add(element.text, self.line, bold=bold, emphasis=emphasis, href=href)
        position = _start(element) if tag == "ol" else 0
        for child in element:
            child_number = ""
            if tag == "ol" and isinstance(child.tag, str) and child.tag.lower() == "li":
                child_number = f"{number}.{position}" if number else str(position)
                position += 1
            elif tag not in ("ul", "ol"):
                child_number = number  # an <ol> inside this item numbers below it
            self.walk(child, builder, bold=bold, emphasis=emphasis, href=href,
                      number=child_number)
            if child.tail:
                builder.add(child.tail, self.line, bold=bold, emphasis=emphasis, href=href)
        if block:
            builder.flush()

    def _furniture(self, element: html.HtmlElement, reason: str) -> None:
        """Navigation, a page header or footer: its text is reported as dropped."""
        furniture = BlockBuilder()
        self.walk(element, furniture)
        furniture.flush()
        self.dropped += [DroppedLine(b.line, b.text, reason) for b in furniture.blocks]


def _start(element: html.HtmlElement) -> int:
    try:
        return int(element.get("start", "1"))
    except ValueError:
        return 1
