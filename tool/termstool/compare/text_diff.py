"""The redline inside one clause: which characters or words were deleted and inserted.

Chinese (and other scripts written without spaces) is compared character by character,
English word by word: each word, run of spaces and punctuation mark becomes one private
code point, the code points are diffed, and the result is mapped back. The diff is
diff-match-patch's (through its C++ build, fast-diff-match-patch) with semantic cleanup,
so edits snap to natural boundaries, and *without* its time limit: with the default 1 s
limit it gives up on long clauses and marks several times too much text as changed.

An edit is a tuple ``(op, text)`` with ``op`` one of ``"="``, ``"-"``, ``"+"``; the
``"="`` and ``"-"`` texts joined give the old text, the ``"="`` and ``"+"`` texts the new.
:func:`segments` turns edits into what a reader must see: invisible and bidirectional
control characters spelled out as ``⟨U+200B⟩``, edits of whitespace alone made visible,
and full-/half-width swaps labelled, never silently shown as "no visible change".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import fast_diff_match_patch as fdmp

from termstool.compare.change_class import editorial_form
from termstool.format.characters import INVISIBLE, normalise_width, reveal

OpCode = Literal["=", "-", "+"]
Op = tuple[OpCode, str]

EQUAL: OpCode = "="
DELETE: OpCode = "-"
INSERT: OpCode = "+"

# Languages written without spaces between words: compared character by character.
_CHARACTER_LANGUAGES = ("zh", "ja", "ko")

# One token: a run of whitespace, a word of letters and digits (with inner apostrophes,
# as in "Party's"), or any other single character. CJK ideographs are single characters
# here, so a Chinese phrase quoted in English text is still compared by character.
_TOKEN = re.compile(
    r"\s+"
    r"|[0-9A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]+"
    r"(?:['’][0-9A-Za-z\u00C0-\u024F]+)*"
    r"|.",
    re.DOTALL,
)
# Private code points stand for tokens; from U+E000 to the end of Unicode there are no
# surrogates, so every mapped string is a valid str for the C++ diff.
_FIRST_CODE = 0xE000
_LAST_CODE = 0x10FFFF


def by_character(lang: str) -> bool:
    """True for languages compared character by character (Chinese, Japanese, Korean)."""
    return lang.split("-")[0].lower() in _CHARACTER_LANGUAGES


def diff_text(old: str, new: str, lang: str = "zh") -> tuple[Op, ...]:
    """The edits that turn ``old`` into ``new``: by character for ``zh``, by word otherwise."""
    if old == new:
        return ((EQUAL, old),) if old else ()
    if not old:
        return ((INSERT, new),)
    if not new:
        return ((DELETE, old),)
    if by_character(lang):
        return _merge(_fdmp(old, new))
    return _diff_words(old, new)


def _fdmp(old: str, new: str) -> Iterable[Op]:
    # timelimit=0: no deadline, so a long clause is never cut short into one big replace.
    result: list[Op] = fdmp.diff(old, new, timelimit=0, cleanup="Semantic",
                                 counts_only=False)
    return result


def tokenize(text: str) -> list[str]:
    """Words, whitespace runs and single other characters; joined they give ``text``."""
    return _TOKEN.findall(text)


def _diff_words(old: str, new: str) -> tuple[Op, ...]:
    codes: dict[str, str] = {}
    tokens: list[str] = []

    def encode(text: str) -> str:
        out = []
        for token in tokenize(text):
            code = codes.get(token)
            if code is None:
                if _FIRST_CODE + len(tokens) > _LAST_CODE:
                    return ""  # more distinct words than code points: see below
                code = chr(_FIRST_CODE + len(tokens))
                codes[token] = code
                tokens.append(token)
            out.append(code)
        return "".join(out)

    old_codes, new_codes = encode(old), encode(new)
    if not old_codes or not new_codes:  # over a million distinct words: compare characters
        return _merge(_fdmp(old, new))
    ops = [(op, "".join(tokens[ord(c) - _FIRST_CODE] for c in text))
           for op, text in _fdmp(old_codes, new_codes)]
    return _merge(ops)


def _merge(ops: Iterable[Op]) -> tuple[Op, ...]:
    """The canonical form: between two equal runs, at most one deletion then one insertion."""
    out: list[Op] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            out.append((DELETE, "".join(deleted)))
        if inserted:
            out.append((INSERT, "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for op, text in ops:
        if not text:
            continue
        if op == DELETE:
            deleted.append(text)
        elif op == INSERT:
            inserted.append(text)
        else:
            flush()
            if out and out[-1][0] == EQUAL:
                out[-1] = (EQUAL, out[-1][1] + text)
            else:
                out.append((EQUAL, text))
    flush()
    return tuple(out)


def old_text(ops: Iterable[Op]) -> str:
    """The old text the edits start from."""
    return "".join(text for op, text in ops if op != INSERT)


def new_text(ops: Iterable[Op]) -> str:
    """The new text the edits lead to."""
    return "".join(text for op, text in ops if op != DELETE)


def changed(ops: Iterable[Op]) -> bool:
    """True when the edits delete or insert anything."""
    return any(op != EQUAL for op, _ in ops)


def similarity(ops: Sequence[Op]) -> float:
    """Share of the two texts that is common, from 0 (nothing) to 1 (identical)."""
    same = sum(len(text) for op, text in ops if op == EQUAL)
    total = 2 * same + sum(len(text) for op, text in ops if op != EQUAL)
    return 1.0 if total == 0 else 2 * same / total


def overlap(ops: Sequence[Op]) -> float:
    """Share of the shorter text that the other one keeps, from 0 to 1.

    Unlike :func:`similarity` it stays high when text is only added or only removed: a
    clause with a sentence appended keeps all of itself.
    """
    same = sum(len(text) for op, text in ops if op == EQUAL)
    old = same + sum(len(text) for op, text in ops if op == DELETE)
    new = same + sum(len(text) for op, text in ops if op == INSERT)
    shorter = min(old, new)
    return 1.0 if shorter == 0 and old == new else same / shorter if shorter else 0.0


# --------------------------------------------------------------------- what a reader sees

Note = Literal["full-width → half-width", "half-width → full-width", "compatibility form",
               "punctuation or formatting only", "partly full-/half-width",
               "invisible character", "whitespace"]


@dataclass(frozen=True, slots=True)
class Segment:
    """One run of a redline as displayed: its op, its visible text, and a note to print
    after it when the change would otherwise be invisible."""

    op: OpCode
    text: str  # what to show; invisible characters spelled out as ⟨U+200B⟩
    note: Note | None = None


_WHITESPACE_SIGNS = {" ": "␣", "\t": "⇥", "\n": "↵\n"}


def _show_whitespace(text: str) -> str:
    return "".join(_WHITESPACE_SIGNS.get(ch, f"⟨U+{ord(ch):04X}⟩") for ch in text)


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("F", "W") and normalise_width(ch) != ch


def _width_note(before: str, after: str) -> Note | None:
    """A note when two different texts differ only in full-/half-width forms, or only in
    what the editorial class folds (Chinese and Western punctuation, Markdown marks)."""
    if before == after:
        return None
    if normalise_width(before) != normalise_width(after):
        return "punctuation or formatting only" if editorial_form(before) == editorial_form(
            after) else None
    wide_before = sum(map(_is_wide, before))
    wide_after = sum(map(_is_wide, after))
    if wide_before > wide_after:
        return "full-width → half-width"
    if wide_after > wide_before:
        return "half-width → full-width"
    return "compatibility form"


def _changed_length(before: str, after: str) -> int:
    return sum(len(text) for op, text in _fdmp(before, after) if op != EQUAL)


def _partly_width(before: str, after: str) -> bool:
    """True when folding full-/half-width forms makes a replacement smaller: part of it
    is a width change that a larger rewording would otherwise hide."""
    folded_before, folded_after = normalise_width(before), normalise_width(after)
    if folded_before == before and folded_after == after:
        return False  # nothing to fold: the common case, decided without diffing
    return _changed_length(folded_before, folded_after) < _changed_length(before, after)


def _shown(op: OpCode, text: str) -> Segment:
    if op != EQUAL and text.isspace() and not any(ch in INVISIBLE for ch in text):
        return Segment(op, _show_whitespace(text), "whitespace")
    visible = reveal(text)
    note: Note | None = None
    if op != EQUAL and visible != text:
        note = "invisible character"
    return Segment(op, visible, note)


def segments(ops: Sequence[Op]) -> tuple[Segment, ...]:
    """The edits as displayed, with the notes that make invisible changes explicit.

    A width swap keeps its note on the insertion only, so it is printed once.
    """
    out: list[Segment] = []
    index = 0
    while index < len(ops):
        op, text = ops[index]
        if (op == DELETE and index + 1 < len(ops) and ops[index + 1][0] == INSERT
                and not (text.isspace() and ops[index + 1][1].isspace())):
            after = ops[index + 1][1]
            note = _width_note(text, after)
            if note is not None or _partly_width(text, after):
                out.append(_shown(DELETE, text))
                inserted = _shown(INSERT, after)
                out.append(Segment(INSERT, inserted.text,
                                   note or inserted.note or "partly full-/half-width"))
                index += 2
                continue
        out.append(_shown(op, text))
        index += 1
    return tuple(out)


def split_lines(items: Sequence[Segment]) -> list[list[Segment]]:
    """Segments cut at line ends, so a renderer can close its markup on every line.

    A note stays with the last non-empty piece of its segment.
    """
    lines: list[list[Segment]] = [[]]
    for segment in items:
        parts = segment.text.split("\n")
        last = max(i for i, part in enumerate(parts) if part) if segment.text.strip("\n") \
            else -1
        for number, part in enumerate(parts):
            if number:
                lines.append([])
            if part:
                lines[-1].append(Segment(segment.op, part,
                                         segment.note if number == last else None))
    return lines


def side(items: Sequence[Segment], which: Literal["old", "new"]) -> tuple[Segment, ...]:
    """The segments one side of a side-by-side view shows: equal text and its own edits."""
    drop = INSERT if which == "old" else DELETE
    return tuple(s for s in items if s.op != drop)
