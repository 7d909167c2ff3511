"""Paragraphs with emphasis and links, from HTML and Word sources, and their Markdown.

The parser works on plain text; the readers of richer sources give it one line per
paragraph and keep each paragraph's formatting as spans. Once the clauses are found,
``with_markdown`` finds each clause paragraph's source paragraph again and writes it as
Markdown: bold as ``**…**``, italic and underline (which Markdown lacks) as ``*…*``,
links as ``[text](https://…)``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import groupby

from termstool.format.characters import INVISIBLE, needs_space
from termstool.format.commonmark import CLAUSE_FILE, escape_markdown
from termstool.importer.text_source import SourceClause, SourceDocument

_SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of a paragraph's text with one formatting."""

    text: str
    bold: bool = False
    emphasis: bool = False  # italic or underlined
    href: str | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph of a rich source, with the line (or paragraph number) it starts on."""

    line: int
    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        """The paragraph as plain text."""
        return "".join(span.text for span in self.spans)

    @property
    def has_markup(self) -> bool:
        """True when some of the text is emphasised or a link."""
        return any(span.bold or span.emphasis or span.href for span in self.spans)


class BlockBuilder:
    """Collects spans into paragraphs; whitespace is collapsed as a browser shows it."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._spans: list[Span] = []
        self._line = 0

    def add(self, text: str, line: int, *, bold: bool = False, emphasis: bool = False,
            href: str | None = None) -> None:
        """Add text to the current paragraph."""
        if text:
            if not self._spans:
                self._line = line
            self._spans.append(Span(text, bold, emphasis, href))

    def flush(self) -> None:
        """End the current paragraph (at a block element, a line break or a Word paragraph)."""
        spans = _collapse(self._spans)
        if spans:
            self.blocks.append(Block(self._line, tuple(spans)))
        self._spans = []


_WRAP = "\n"  # stands for a run of whitespace holding a line break, until it is resolved


def _collapse(spans: list[Span]) -> list[Span]:
    """Runs of whitespace become one space, trimmed at the ends of the paragraph.

    A run that holds a line break between two Chinese characters is the source's line
    wrapping, not a space, and goes (as when wrapped lines of plain text are joined).
    """
    out: list[Span] = []
    for span in spans:
        text = re.sub(r"\s+", lambda m: _WRAP if "\n" in m.group() else " ", span.text)
        if out and out[-1].text[-1:].isspace() and text[:1].isspace():
            text = text[1:]
        if text:
            out.append(replace(span, text=text))
    joined = "".join(span.text for span in out)
    result: list[Span] = []
    offset = 0
    for span in out:
        chars = []
        for i, ch in enumerate(span.text):
            at = offset + i
            if ch == _WRAP:
                before, after = joined[max(0, at - 8):at], joined[at + 1:at + 9]
                ch = " " if needs_space(before, after) else ""
            chars.append(ch)
        offset += len(span.text)
        result.append(replace(span, text="".join(chars)))
    while result and not result[0].text.strip():
        result.pop(0)
    while result and not result[-1].text.strip():
        result.pop()
    if result:
        result[0] = replace(result[0], text=result[0].text.lstrip())
        result[-1] = replace(result[-1], text=result[-1].text.rstrip())
    return [span for span in result if span.text]


def block_lines(blocks: Sequence[Block]) -> tuple[list[str], list[int]]:
    """The blocks as lines for the parser, each a paragraph of its own, and their numbers."""
    lines: list[str] = []
    numbers: list[int] = []
    for block in blocks:
        lines += [block.text, ""]
        numbers += [block.line, block.line]
    return lines, numbers


def with_markdown(source: SourceDocument, blocks: Sequence[Block]) -> SourceDocument:
    """``source`` with the Markdown of every clause whose paragraphs had emphasis or links."""
    if not any(block.has_markup for block in blocks):
        return source
    cleaned = [Block(b.line, tuple(replace(s, text=_visible(s.text)) for s in b.spans))
               for b in blocks]
    cursor = 0
    clauses: list[SourceClause] = []
    for clause in source.clauses:
        found, cursor = _markdown_of(clause, cleaned, cursor)
        clauses.append(replace(clause, markdown=found) if found else clause)
    return replace(source, clauses=tuple(clauses))


def _visible(text: str) -> str:
    return "".join(ch for ch in text if ch not in INVISIBLE)


def _markdown_of(clause: SourceClause, blocks: Sequence[Block],
                 cursor: int) -> tuple[tuple[str, ...], int]:
    """The clause's paragraphs as Markdown ((): no markup), and where the next clause starts.

    Each part of the clause (its title, then its paragraphs) is a paragraph of the source,
    in order; the first part of a numbered clause is what follows its number.
    """
    parts = ([clause.title] if clause.title else []) + list(clause.paragraphs)
    markdown: list[str] = []
    marked = False
    for position, part in enumerate(parts):
        numbered_line = position == 0 and bool(clause.number)
        index = cursor
        while index < len(blocks):
            text = blocks[index].text.strip()
            if text.endswith(part) if numbered_line else text == part:
                break
            index += 1
        if index == len(blocks):
            return (), cursor  # not found: the plain text is written instead
        cursor = index + 1
        if position == 0 and clause.title:
            continue
        block = blocks[index]
        lead = len(block.text) - len(block.text.lstrip())
        start = lead + len(block.text.strip()) - len(part)
        marked = marked or block.has_markup
        markdown.append(to_markdown(block.spans, start, start + len(part)))
    return (tuple(markdown) if marked else ()), cursor


def to_markdown(spans: Sequence[Span], start: int, end: int) -> str:
    """The text between ``start`` and ``end`` of a paragraph's spans, as Markdown."""
    pieces: list[Span] = []
    position = 0
    for span in spans:
        low, high = max(position, start), min(position + len(span.text), end)
        if low < high:
            piece = replace(span, text=span.text[low - position: high - position])
            last = pieces[-1] if pieces else None
            if last is not None and (last.bold, last.emphasis, last.href) == \
                    (piece.bold, piece.emphasis, piece.href):
                pieces[-1] = replace(last, text=last.text + piece.text)
            else:
                pieces.append(piece)
        position += len(span.text)
    out = ""
    for href, group in groupby(pieces, key=lambda piece: piece.href):
        inner = "".join(_emphasised(piece, at_start=not out and i == 0)
                        for i, piece in enumerate(group))
        if href and _SAFE_LINK.match(href):
            out += f"[{inner}]({_url(href)})"
        else:
            out += inner
    return out


def _escape(text: str, at_start: bool) -> str:
    # Block syntax ("1. ", "- ") only matters at the start of the paragraph.
    return escape_markdown(text, CLAUSE_FILE, at_line_start=at_start)


def _is_edge(char: str) -> bool:
    return char.isspace() or unicodedata.category(char)[0] in "PS"


def _emphasised(piece: Span, at_start: bool) -> str:
    """A piece of text in its emphasis markers.

    Punctuation and spaces at its ends go outside the markers: CommonMark does not close
    ``**`` after punctuation that a letter follows, so ``**【审慎阅读】**您`` would show its
    asterisks, while ``【**审慎阅读**】您`` is bold.
    """
    text = piece.text
    if not (piece.bold or piece.emphasis):
        return _escape(text, at_start)
    first = next((i for i, ch in enumerate(text) if not _is_edge(ch)), None)
    if first is None:
        return _escape(text, at_start)
    last = max(i for i, ch in enumerate(text) if not _is_edge(ch)) + 1
    mark = ("**" if piece.bold else "") + ("*" if piece.emphasis else "")
    return (_escape(text[:first], at_start) + mark
            + _escape(text[first:last], at_start and first == 0) + mark
            + _escape(text[last:], False))


def _url(href: str) -> str:
    return re.sub(r"[()<>\s]", lambda m: f"%{ord(m.group()):02X}", href)
