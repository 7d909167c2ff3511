"""Character-level facts about legal text: invisible and control characters, CJK joining
and line breaking."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
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
    return (InvisibleChar(*hit) for hit in _hits(_INVISIBLE_RE, text))


def _hits(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, int, str]]:
    """Line, column and character of every match of a one-character pattern."""
    if pattern.search(text) is None:  # nearly always: one scan, no line split
        return
    for lineno, line in enumerate(text.split("\n"), start=1):
        for match in pattern.finditer(line):
            yield lineno, match.start() + 1, match.group()


# Terminal control characters: every C0 control but tab and line feed, DEL, and every C1
# control. ESC starts the sequences that clear a screen, move the cursor or retitle a
# window; a lone CR lets a line overwrite itself (and is a line end to a CI log reader);
# C1's CSI (U+009B) and OSC (U+009D) are one-character ESC sequences to some terminals.
CONTROL = frozenset(
    [chr(c) for c in range(0x00, 0x20) if chr(c) not in "\t\n"]
    + [chr(c) for c in range(0x7F, 0xA0)]
)
_CONTROL_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(CONTROL)) + "]")
_HIDDEN_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(CONTROL | INVISIBLE)) + "]")
_CONTROL_NAMES = {0x07: "BELL", 0x08: "BACKSPACE", 0x0B: "LINE TABULATION",
                  0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE",
                  0x85: "NEXT LINE", 0x9B: "CONTROL SEQUENCE INTRODUCER",
                  0x9D: "OPERATING SYSTEM COMMAND"}


@dataclass(frozen=True, slots=True)
class ControlChar:
    """One terminal control character found in a text."""

    line: int  # 1-based, relative to the text searched
    column: int  # 1-based
    char: str

    @property
    def shown(self) -> str:
        """The character as it is shown in every output: ``⟨ESC⟩`` or ``⟨U+0007⟩``."""
        return visible_char(self.char)

    @property
    def name(self) -> str:
        """A name for messages (control characters have no Unicode name)."""
        return _CONTROL_NAMES.get(ord(self.char), "control character")


def has_hidden(text: str) -> bool:
    """True when ``text`` holds an invisible, bidi or terminal control character."""
    return _HIDDEN_RE.search(text) is not None


def find_control(text: str) -> Iterator[ControlChar]:
    """Yield every terminal control character (see ``CONTROL``) with its line and column."""
    return (ControlChar(*hit) for hit in _hits(_CONTROL_RE, text))


def visible_char(char: str) -> str:
    """How one hidden character is written out: ``⟨ESC⟩``, else ``⟨U+XXXX⟩``."""
    return "⟨ESC⟩" if char == "\x1b" else f"⟨U+{ord(char):04X}⟩"


def reveal(text: str) -> str:
    """Replace invisible and control characters by visible ``⟨U+200B⟩``, ``⟨ESC⟩`` or
    ``⟨U+0007⟩``, so that nothing is hidden from a reader and no terminal obeys them."""
    return _HIDDEN_RE.sub(lambda m: visible_char(m.group()), text)


# Everything str.splitlines() splits at: LF, CR, VT, FF, FS, GS, RS, NEL, LS, PS.
_LINE_BREAK_RE = re.compile(r"\s*[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]\s*")


def fold_lines(text: str) -> str:
    """``text`` on one line: each line break, with the white space around it, becomes one
    space; the ends are trimmed and other white space is kept.

    For the texts that are one line by definition (titles, labels, reasons in a table):
    a line break there would start a line of its own in a report or a CI log.
    """
    return _LINE_BREAK_RE.sub(" ", text.strip())


def show_path(path: str) -> str:
    """A file path for a message: a line break in a file name is written ``⟨U+000A⟩``."""
    return reveal(path).replace("\n", "⟨U+000A⟩")


def brief(value: object, limit: int = 60) -> str:
    """A value for a message: its ``repr`` on one line, cut to about ``limit`` characters.

    A value read from a file can be huge (a YAML alias expands to megabytes) or span
    lines; a message names it, it never reproduces it.
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
    are looked past, so "the “Service”" + "means" gets a space and "简称“" + "本公司" none.
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


# NFKC's own forms of the full-width ASCII variants and the ideographic space: Chinese
# text is full of them (，：；（）), and NFKC rebuilds the whole string for any one of them.
_FULL_WIDTH = {**{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}, 0x3000: 0x20}


def normalise_width(text: str) -> str:
    """Fold full-width ASCII variants and the ideographic space to their half-width forms
    (all of NFKC: its result, found faster for text whose only compatibility characters
    are those)."""
    text = text.translate(_FULL_WIDTH)
    # Replacing a character by its full compatibility decomposition changes nothing NFKC
    # does with the rest, so NFKC of this text is NFKC of the original.
    return text if unicodedata.is_normalized("NFKC", text) else \
        unicodedata.normalize("NFKC", text)


# Line breaking in CJK text (kinsoku): a line never starts with closing punctuation and
# never ends with opening punctuation, as Chinese and Japanese typesetting requires.
NO_LINE_START = frozenset("、。，．：；？！）」』】〕〉》”’%‰・ー々〻"
                          "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ,.:;?!)]}")
NO_LINE_END = frozenset("（「『【〔〈《“‘([{")


def line_breaks(text: str, width: int, cell_width: Callable[[str], int]) -> list[int]:
    """Where to break one paragraph (no line feed) into lines at most ``width`` cells
    wide: the offsets at which new lines start.

    Latin words break at spaces, CJK text between any two characters but not before
    closing or after opening punctuation; a word wider than a line is cut where it must
    be. The spaces at a break stay at the end of the line before it.
    """
    units: list[str] = []  # the pieces no line break may split
    for match in _UNIT_RE.finditer(text):
        unit = match.group()
        if units and (unit[0] in NO_LINE_START or units[-1][-1] in NO_LINE_END):
            units[-1] += unit
        else:
            units.append(unit)
    breaks: list[int] = []
    offset, used, start = 0, 0, 0
    for unit in units:
        size = cell_width(unit.rstrip(" "))
        if used and used + size > width:
            breaks.append(offset)
            used, start = 0, offset
        if size > width:  # wider than a line: cut it where it must be
            for char in unit:
                step = cell_width(char)
                if used and used + step > width and char != " ":
                    cut = offset
                    if (char in NO_LINE_START or text[cut - 1] in NO_LINE_END) \
                            and cut - 1 > start:
                        cut -= 1  # the character before goes along to the next line
                    breaks.append(cut)
                    used, start = cell_width(text[cut:offset]), cut
                used += step
                offset += 1
            continue
        used += cell_width(unit)
        offset += len(unit)
    return breaks


# A Latin word with the spaces after it, or one other character with the spaces after it.
_UNIT_RE = re.compile(r"[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+ *|\S *|\s",
                      re.DOTALL)

