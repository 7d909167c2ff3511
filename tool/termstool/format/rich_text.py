"""Clause text as paragraphs of formatted spans: what Word and the whole-document redline show.

The text of the spans is exactly :func:`termstool.format.commonmark.to_plain`'s (paragraphs
joined by a blank line, hard breaks as ``\\n``, soft breaks joined as there), so a redline
built from spans accepts and rejects to the rendered text character for character. Each
span keeps the formatting the clause format supports: strong, emphasis, code, and a link
(``#id`` for a cross-reference, an ``http(s):``/``mailto:`` address otherwise).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from termstool.format.commonmark import _join_soft, tokens

# Links that may stay links outside the clause file: web, mail and clause references.
SAFE_LINK = re.compile(r"^(https?://|mailto:|#)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Style:
    """The formatting of a span; the default is plain text."""

    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str | None = None  # "#clause-id" or a safe address


PLAIN = Style()


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with one style; ``\\n`` inside is a line break."""

    text: str
    style: Style = PLAIN


Paragraph = tuple[Span, ...]


def paragraphs(text: str, numbers: Mapping[str, str]) -> tuple[Paragraph, ...]:
    """The paragraphs of a clause text (Markdown) with computed reference numbers."""
    out: list[Paragraph] = []
    for token in tokens(text, numbers, lambda target: target):
        if token.type == "inline":
            out.append(_inline(token.children or []))
        elif token.type in ("code_block", "fence"):
            out.append((Span(token.content.rstrip("\n"), Style(code=True)),))
    return tuple(out)


def plain(paras: Sequence[Paragraph]) -> str:
    """The plain text of paragraphs, as :func:`termstool.format.commonmark.to_plain` gives it."""
    return "\n\n".join("".join(span.text for span in para) for para in paras)


def _inline(children: list[Token]) -> Paragraph:
    pieces: list[tuple[str, Style] | None] = []  # None stands for a soft break
    bold = italic = 0
    links: list[str | None] = []
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            link = next((target for target in reversed(links) if target), None)
            pieces.append((child.content, Style(bold > 0, italic > 0,
                                                kind == "code_inline", link)))
        elif kind == "softbreak":
            pieces.append(None)
        elif kind == "hardbreak":
            pieces.append(("\n", Style(bold > 0, italic > 0)))
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            href = str(child.attrGet("href") or "")
            links.append(href if SAFE_LINK.match(href) else None)
        elif kind == "link_close" and links:
            links.pop()
    # A soft break joins as to_plain joins it: judged on the whole text either side.
    texts = ["\x00" if piece is None else piece[0] for piece in pieces]
    spans: list[Span] = []
    for index, piece in enumerate(pieces):
        if piece is None:
            left, right = "".join(texts[:index]), "".join(texts[index + 1:])
            joined = _join_soft(left, right)
            if joined:
                spans.append(Span(joined, _around(pieces, index)))
        elif piece[0]:
            spans.append(Span(piece[0], piece[1]))
    return merge(spans)


def _around(pieces: Sequence[tuple[str, Style] | None], index: int) -> Style:
    """The style a soft break's space takes: its left neighbour's, links aside."""
    before = next((p for p in reversed(pieces[:index]) if p is not None), None)
    after = next((p for p in pieces[index + 1:] if p is not None), None)
    if before is not None and after is not None and before[1] == after[1]:
        return before[1]
    return PLAIN


def merge(spans: Sequence[Span]) -> Paragraph:
    """Neighbouring spans of one style joined, empty ones dropped."""
    out: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if out and out[-1].style == span.style:
            out[-1] = Span(out[-1].text + span.text, span.style)
        else:
            out.append(span)
    return tuple(out)
