"""Clause numbers at the start of a line, in every style the importer reads.

Three kinds of number start a clause:

- ``decimal``: ``1``, ``1.``, ``1.1``, ``7.3.2.1.``, ``1、``, in ASCII or full-width
  digits and dots (``１．２``), followed by a space, by nothing, or directly by the text
  (``7.1.您自开通之日起``);
- ``article``: ``第一条``, ``第十二条``, ``第1条``, the Traditional ``第一條``, and in
  English translations ``Article 1``;
- ``section``: ``一、``, ``十一、``.

What only looks like one is not: a year (``2021.``), an amount (``0.05%``, ``3.5倍``), a
version (``V1.3``) or a cross-reference in running text (``第3.1条``). List items inside a
clause (``（一）``, ``(1)``, ``1)``, ``a.``) are recognised separately: they stay in the
clause's text, each starting a paragraph of its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from termstool.format.numbering import CHINESE_NUMERAL_CHARS, parse_chinese_numeral

DECIMAL = "decimal"
ARTICLE = "article"
SECTION = "section"


@dataclass(frozen=True, slots=True)
class NumberToken:
    """A number at the start of a line, and the text after it."""

    kind: str  # DECIMAL, ARTICLE or SECTION
    parts: tuple[int, ...]  # (3, 1) for "3.1"; (12,) for "第十二条" or "十二、"
    written: str  # as the source writes it, without the separator: "第十二条", "３．２"
    rest: str  # the text after the number and its separator
    spaced: bool = True  # a dot, 、, space or the line's end separates number and text
    traditional: bool = False  # 條 rather than 条
    digits: bool = False  # 第1条 rather than 第一条


# The forms the importer has always read: "1. ", "2.3．", "3.1.6 ", "10.1", a bare "5".
_DOTTED_RE = re.compile(r"^(\d{1,3}(?:[.．]\d{1,3})*)(?:[.．]\s*|\s+|[.．]?$)(.*)$")
_DOTTED_PREFIX_RE = re.compile(r"^(\d{1,3}(?:[.．]\d{1,3})*)")
# An amount or a measure right after the digits: "0.05%", "3.5 倍", "12月". Never a clause.
_UNITS = "年月日天时分秒周个元角万亿倍次项条條款章节節页頁号號级級岁人台件份种種层層"
_AMOUNT_RE = re.compile(rf"^\d+(?:[.．]\d+)*(?:\s*[%％‰]|[{_UNITS}])")
_NUMERAL = f"[{CHINESE_NUMERAL_CHARS}]+"
_ARTICLE_RE = re.compile(rf"^第\s*({_NUMERAL}|\d{{1,3}})\s*([条條])(.*)$")
_ENGLISH_ARTICLE_RE = re.compile(r"^(Article\s+(\d{1,3}))(?:[.:]\s*|\s+|$)(.*)$")
_SECTION_RE = re.compile(rf"^({_NUMERAL})\s*、(.*)$")
_SEPARATORS = "：:、.．"

# A list item inside a clause: （一） (一) （1） (1) 1) a. a) ① …
_LIST_ITEM_RE = re.compile(
    rf"^(?:[（(]\s*(?:{_NUMERAL}|\d{{1,3}}|[A-Za-z]|[ivxIVX]{{1,4}})\s*[）)]"
    r"|\d{1,3}[)）]|[A-Za-z][.)）](?!\w)|[①-⑳])")


def _is_han(char: str) -> bool:
    return unicodedata.category(char) == "Lo"


def parse_token(text: str) -> NumberToken | None:
    """The clause number that ``text`` (a stripped line) starts with, or None."""
    if not text:
        return None
    if text[0] == "第":
        return _article(text)
    if text[0] in CHINESE_NUMERAL_CHARS:
        return _section(text)
    if text.startswith("Article"):
        english = _ENGLISH_ARTICLE_RE.match(text)
        if english is None or int(english.group(2)) == 0:
            return None
        return NumberToken(ARTICLE, (int(english.group(2)),), english.group(1),
                           english.group(3).strip(), digits=True)
    if not text[0].isdigit() or _AMOUNT_RE.match(text):
        return None
    return _decimal(text)


def _decimal(text: str) -> NumberToken | None:
    prefix = _DOTTED_PREFIX_RE.match(text)
    if prefix is None:
        return None
    after = text[prefix.end():]
    match = _DOTTED_RE.match(text)
    if after.startswith("、"):  # 1、服务内容
        written, rest, spaced = prefix.group(1), after[1:].strip(), True
    elif after and _is_han(after[0]):  # 7.1您自开通之日起: the number runs into the text
        written, rest, spaced = prefix.group(1), after.strip(), False
    elif match:
        written, rest, spaced = match.group(1), match.group(2).strip(), True
    else:
        return None
    parts = tuple(int(p) for p in re.split(r"[.．]", written))
    if 0 in parts:
        return None  # 0.05, 1.0: an amount or a version, never a clause
    return NumberToken(DECIMAL, parts, written, rest, spaced)


def _article(text: str) -> NumberToken | None:
    match = _ARTICLE_RE.match(text)
    if match is None:
        return None
    numeral, mark, after = match.groups()
    digits = numeral[0].isdigit()
    value = int(numeral) if digits else parse_chinese_numeral(numeral)
    if not value:
        return None
    spaced = not after or after[0].isspace() or after[0] in _SEPARATORS
    rest = after.strip()
    if rest[:1] in _SEPARATORS:
        rest = rest[1:].strip()
    return NumberToken(ARTICLE, (value,), f"第{numeral}{mark}", rest, spaced,
                       traditional=mark == "條", digits=digits)


def _section(text: str) -> NumberToken | None:
    match = _SECTION_RE.match(text)
    if match is None:
        return None
    value = parse_chinese_numeral(match.group(1))
    if not value:
        return None
    return NumberToken(SECTION, (value,), match.group(1), match.group(2).strip())


def is_list_item(text: str) -> bool:
    """True when ``text`` starts like an item of a list inside a clause: （一）, (1), 1), a.

    Numbers followed by a dot or 、 that are not the document's clause numbers count too:
    a clause of 第一条 documents may list ``1. … 2. …``.
    """
    if _LIST_ITEM_RE.match(text):
        return True
    token = parse_token(text)
    after = text[len(token.written):][:1] if token is not None else ""
    return token is not None and token.spaced and len(token.parts) == 1 \
        and after != "" and after in ".．、"


def next_numbers(prev: tuple[int, ...]) -> list[tuple[int, ...]]:
    """The numbers that may follow ``prev``: its first child, or the next at any depth."""
    options = [(*prev, 1)]
    for depth in range(len(prev), 0, -1):
        options.append((*prev[: depth - 1], prev[depth - 1] + 1))
    return options


MAX_JUMP = 9  # a larger skip is read as a number in running text, not a skipped clause


def is_jump(prev: tuple[int, ...], number: tuple[int, ...]) -> bool:
    """True when ``number`` follows ``prev`` but skips clauses: 3.1 then 3.3, or 3.1.1
    then 5.1 (at the depth where it skips it is ahead by at most MAX_JUMP, and below
    that it starts again at 1)."""
    for depth in range(1, min(len(number), len(prev) + 1) + 1):
        if depth <= len(prev) and number[depth - 1] == prev[depth - 1]:
            continue  # the same at this depth: any skip is deeper
        expected = prev[depth - 1] + 1 if depth <= len(prev) else 1
        skip = number[depth - 1] - expected
        return 0 < skip <= MAX_JUMP and all(part == 1 for part in number[depth:])
    return False


def dotted(number: tuple[int, ...]) -> str:
    """(3, 1, 2) as "3.1.2"."""
    return ".".join(str(n) for n in number)


def style_of(kind: str, tokens: list[NumberToken]) -> str:
    """The document.yaml ``numbering`` style of a document whose top level is ``kind``."""
    top = [t for t in tokens if t.kind == kind]
    if kind == ARTICLE:
        if any(t.traditional for t in top):
            return "chinese-article-traditional"
        return "chinese-article-digits" if top and all(t.digits for t in top) \
            else "chinese-article"
    return "chinese-section" if kind == SECTION else "decimal"
