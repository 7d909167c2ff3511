"""Character-level facts about legal text: invisible characters and CJK-aware joining."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

# Characters that change nothing on screen but can hide or reorder text for a reviewer.
INVISIBLE = frozenset(
    [chr(c) for c in range(0x200B, 0x2010)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\ufeff", "\u00ad", "\u2060", "\u180e"]
)
_INVISIBLE_RE = re.compile("[" + "".join(sorted(INVISIBLE)) + "]")


@dataclass(frozen=True, slots=True)
class InvisibleChar:
    """One invisible or bidirectional control character found in a text."""

    line: int  # 1-based, relative to the text searched
    column: int  # 1-based
    char: str

    @property
    def codepoint(self) -> str:
        """The character as U+XXXX."""
        return f"U+{ord(self.char):04X}"

    @property
    def name(self) -> str:
        """The Unicode name, for messages."""
        return unicodedata.name(self.char, "UNNAMED CHARACTER")


def find_invisible(text: str) -> Iterator[InvisibleChar]:
    """Yield every invisible or bidi control character with its line and column."""
    for lineno, line in enumerate(text.split("\n"), start=1):
        for match in _INVISIBLE_RE.finditer(line):
            yield InvisibleChar(lineno, match.start() + 1, match.group())


def reveal(text: str) -> str:
    """Replace invisible characters by a visible ``⟨U+200B⟩`` so they are never hidden."""
    return _INVISIBLE_RE.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)


def is_cjk(char: str) -> bool:
    """True for Han, kana, hangul and full-width punctuation: scripts written without spaces."""
    code = ord(char)
    return (
        0x3000 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x2FFFF
        or char in "“”‘’·…—"
    )


# Punctuation that both scripts use: it takes the script of the text next to it.
_SHARED_PUNCTUATION = "“”‘’·…—"


def needs_space(left: str, right: str) -> bool:
    """Whether text wrapped between ``left`` and ``right`` is joined with a space.

    Chinese is written without spaces, Latin with them; quotes and dashes that both use
    are looked past, so "the “Service”" + "means" gets a space and "简称“" + "阿里云" none.
    """
    if not left or not right:
        return False
    before = left.rstrip(_SHARED_PUNCTUATION)[-1:] or left[-1]
    after = right.lstrip(_SHARED_PUNCTUATION)[:1] or right[0]
    return not (is_cjk(before) or is_cjk(after))


def join_wrapped(lines: list[str]) -> str:
    """Rejoin lines wrapped mid-sentence: CJK without a space, Latin with one."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if needs_space(out, line):
            out += " "
        out += line
    return out


def normalise_width(text: str) -> str:
    """Fold full-width ASCII variants and the ideographic space to their half-width forms."""
    return unicodedata.normalize("NFKC", text)
