"""Clause numbers: computed from position, and written in the document's numbering style.

Numbers are computed from the clause files' order, as dotted positions ("3.1.2"); that is
what ids, references, diffs and the notice rules use. How a number is *written* is the
document's numbering style, declared in document.yaml (``numbering: chinese-article``):
the top level may be ``第三条`` or ``三、`` while the levels below are written ``3.1``, as
Chinese terms number them. The words of each style are a table keyed by language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def child_number(parent: str, position: int) -> str:
    """The number of the ``position``-th (1-based) numbered child of ``parent``."""
    return f"{parent}.{position}" if parent else str(position)


def sort_key(name: str) -> str:
    """Siblings order by file name, a directory by its own name, a file without '.md'."""
    return name.removesuffix(".md")


def number_siblings(parent: str, numbered: Iterable[bool]) -> list[str]:
    """Numbers for a run of siblings in order; "" for an unnumbered one."""
    out: list[str] = []
    position = 0
    for flag in numbered:
        if flag:
            position += 1
            out.append(child_number(parent, position))
        else:
            out.append("")
    return out


def number_key(number: str) -> tuple[int, ...]:
    """A number such as "3.1.10" as a tuple that sorts in document order."""
    return tuple(int(part) for part in number.split(".")) if number else ()


# ---------------------------------------------------------------- Chinese numerals

_DIGITS = "零一二三四五六七八九"
_DIGIT_VALUES = {**{ch: i for i, ch in enumerate(_DIGITS)}, "〇": 0, "两": 2}
_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE_NUMERAL_CHARS = "".join(_DIGIT_VALUES) + "".join(_UNITS)


def chinese_numeral(value: int) -> str:
    """``value`` (1-9999) in Chinese numerals as numbers are written: 十一, 二十, 一百零五."""
    if not 0 < value < 10_000:
        raise ValueError(f"{value} is outside 1-9999")
    out = ""
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, value = divmod(value, unit)
        if digit:
            if zero:
                out += "零"
            zero = False
            # "十一", not "一十一", when ten is the leading unit
            out += ("" if unit == 10 and digit == 1 and not out else _DIGITS[digit]) + name
        elif out:
            zero = True
    return out


def parse_chinese_numeral(text: str) -> int | None:
    """The value of a Chinese numeral such as 十二 or 一百零五; None when it is not one."""
    if not text or any(ch not in CHINESE_NUMERAL_CHARS for ch in text):
        return None
    total, digit = 0, None
    last_unit = 10_000
    for ch in text:
        if ch in _UNITS:
            unit = _UNITS[ch]
            if unit >= last_unit:
                return None  # 十百: not a numeral
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            if digit is not None and digit != 0:
                return None  # 一二: two digits in a row is a list of numbers, not one
            digit = _DIGIT_VALUES[ch]
    total += digit or 0
    return total or None


# ---------------------------------------------------------------- numbering styles


@dataclass(frozen=True, slots=True)
class TopLevel:
    """How one style writes a top-level number in one language.

    The templates take ``{n}`` (1) and ``{han}`` (一). ``label`` is the number itself, as
    lists and references show it; ``lead`` starts the clause's line in plain text; ``mark``
    stands before the clause in Markdown and HTML.
    """

    label: str
    lead: str
    mark: str


_ARTICLE_EN = TopLevel("Article {n}", "Article {n}. ", "Article {n}")

# style -> language -> top level; a language missing here is written in decimal numbers.
STYLES: dict[str, dict[str, TopLevel]] = {
    "decimal": {},
    "chinese-article": {"zh": TopLevel("第{han}条", "第{han}条 ", "第{han}条"),
                        "en": _ARTICLE_EN},
    "chinese-article-traditional": {"zh": TopLevel("第{han}條", "第{han}條 ", "第{han}條"),
                                    "en": _ARTICLE_EN},
    "chinese-article-digits": {"zh": TopLevel("第{n}条", "第{n}条 ", "第{n}条"),
                               "en": _ARTICLE_EN},
    "chinese-section": {"zh": TopLevel("{han}", "{han}、", "{han}、")},
}
DEFAULT_STYLE = "decimal"


def _top(number: str, style: str, lang: str) -> TopLevel | None:
    """The top-level form for ``number``, or None when it is written in decimal."""
    if not number or "." in number:
        return None  # unnumbered, or below the top level: always dotted, as in the sources
    table = STYLES.get(style, {})
    # "zh-Hant" and "zh-TW" write numbers as "zh" does
    return table.get(lang) or table.get(lang.split("-")[0])


def _fill(template: str, number: str) -> str:
    value = int(number)
    return template.format(n=value, han=chinese_numeral(value))


def number_label(number: str, style: str = DEFAULT_STYLE, lang: str = "zh") -> str:
    """The number as a reader cites it: "第三条", "三", "3.1"; "" for an unnumbered clause."""
    top = _top(number, style, lang)
    return _fill(top.label, number) if top else number


def number_lead(number: str, style: str = DEFAULT_STYLE, lang: str = "zh") -> str:
    """What starts a clause's line in plain text: "第三条 ", "三、", "3.1. "; "" if unnumbered."""
    top = _top(number, style, lang)
    if top:
        return _fill(top.lead, number)
    return f"{number}. " if number else ""


def number_mark(number: str, style: str = DEFAULT_STYLE, lang: str = "zh") -> str:
    """The number before a clause in Markdown and HTML: "第三条", "三、", "3.1"."""
    top = _top(number, style, lang)
    return _fill(top.mark, number) if top else number
