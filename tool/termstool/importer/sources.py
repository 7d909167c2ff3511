"""Read a source file of any kind the importer knows, chosen by its file name."""

from __future__ import annotations

from pathlib import PurePath

from termstool.errors import UnreadableInput
from termstool.importer.docx_source import parse_docx
from termstool.importer.html_source import parse_html
from termstool.importer.text_source import SourceDocument, parse_source

HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def read_source(data: bytes, file: str) -> SourceDocument:
    """Parse ``data``: an HTML page, a Word file, or plain text or Markdown otherwise."""
    suffix = PurePath(file).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return parse_html(data, file)
    if suffix == ".docx":
        return parse_docx(data, file)
    if suffix == ".doc" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableInput("a Word 97-2003 .doc file cannot be read: open it in Word and "
                              "save it as .docx", file=file)
    if data.startswith(b"PK\x03\x04"):
        raise UnreadableInput("this is a zip archive (a .docx saved under another name?); "
                              "name a Word file *.docx", file=file)
    return parse_source(data, file)
