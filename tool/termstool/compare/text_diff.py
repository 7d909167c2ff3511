"""The redline inside one clause: which characters or words were deleted and inserted.

A language written without spaces (Chinese, Japanese, ...: see
:mod:`termstool.model.languages`) is compared character by character, others word by
word: each word, run of spaces and punctuation mark becomes one private code point, the
code points are diffed, and the result is mapped back. The diff is diff-match-patch's
(through its C++ build, fast-diff-match-patch) with semantic cleanup, so edits snap to
natural boundaries, and *without* its time limit: with the default 1 s limit it gives
up on long clauses and marks several times too much text as changed.

The work is bounded. diff-match-patch costs about (n + m) × d for n and m characters (or
words) and d of them changed, so a clause rewritten completely costs (n + m)²: 57 s for
100,000 characters. The cost is predicted first from the Indel distance (RapidFuzz's
bit-parallel algorithm, told to stop at the budget), and a comparison that would cost
more than ``DIFF_BUDGET`` is made in two steps: first sentence by sentence, which isolates the
sentences that changed, then character by character (word by word) inside each changed
stretch, as long as the budget lasts. A stretch left over is shown as its old sentences
deleted and its new ones inserted, with a note saying so: the redline is then coarser,
never wrong, since its texts still join up to exactly the old and the new text.

An edit is a tuple ``(op, text)`` with ``op`` one of ``"="``, ``"-"``, ``"+"``; the
``"="`` and ``"-"`` texts joined give the old text, the ``"="`` and ``"+"`` texts the new.
:func:`segments` turns edits into what a reader must see: invisible and bidirectional
control characters spelled out as ``⟨U+200B⟩``, edits of whitespace alone made visible,
and full-/half-width swaps labelled, never silently shown as "no visible change".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import fast_diff_match_patch as fdmp
from rapidfuzz.distance import Indel

from termstool.compare.change_class import editorial_form
from termstool.format.characters import INVISIBLE, normalise_width, reveal
from termstool.model.languages import by_character

OpCode = Literal["=", "-", "+"]
Op = tuple[OpCode, str]

EQUAL: OpCode = "="
DELETE: OpCode = "-"
INSERT: OpCode = "+"

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


def _chars(lang: str | None) -> bool:
    """Whether ``lang`` is compared character by character: a language written without
    spaces (:func:`~termstool.model.languages.by_character`), or no language given."""
    return lang is None or by_character(lang)


# The most one comparison may cost at the finest level, counted as diff-match-patch's
# work: (n + m) × d for n and m units (characters, or words) and d of them deleted or
# inserted. A complete rewrite of 10,000 characters costs this much: about half a second.
DIFF_BUDGET = 20_000 ** 2

# Where a sentence ends, for the coarse comparison: the break falls after these.
_SENTENCE_BREAK = re.compile(r"(?<=[。！？；!?;.\n])")


@dataclass(frozen=True, slots=True)
class TextComparison:
    """The edits between two texts, and which of them were left at sentence level."""

    ops: tuple[Op, ...]
    coarse: frozenset[int] = frozenset()  # indexes of ops compared only by sentence


def coarse_note(lang: str | None) -> Note:
    """What a redline says where part of it was compared by sentence only."""
    if _chars(lang):
        return ("compared by sentence: the clause was rewritten too much for a "
                "character-by-character redline")
    return "compared by sentence: the clause was rewritten too much for a word-by-word redline"


def diff_text(old: str, new: str, lang: str | None = None) -> tuple[Op, ...]:
    """The edits that turn ``old`` into ``new``: by character for a language written
    without spaces or when ``lang`` is None, by word otherwise (by sentence where that
    would cost too much: see ``compare_text``)."""
    return compare_text(old, new, lang).ops


def compare_text(old: str, new: str, lang: str | None = None) -> TextComparison:
    """The edits that turn ``old`` into ``new``, within ``DIFF_BUDGET``."""
    chars = _chars(lang)
    if old == new:
        return TextComparison(((EQUAL, old),) if old else ())
    if not old:
        return TextComparison(((INSERT, new),))
    if not new:
        return TextComparison(((DELETE, old),))
    if _cost(old, new, chars, DIFF_BUDGET) is not None:
        return TextComparison(_fine(old, new, chars))
    return _by_sentence(old, new, chars)


def _fine(old: str, new: str, chars: bool) -> tuple[Op, ...]:
    """The character (or word) diff, whatever it costs."""
    if chars:
        return _merge(_fdmp(old, new))
    return _diff_words(old, new)


def _cost(old: str, new: str, chars: bool, budget: int) -> int | None:
    """diff-match-patch's work on these texts, (n + m) × d over what lies between their
    common start and end; None when it exceeds ``budget``.

    d is the number of units an optimal diff deletes and inserts (the Indel distance),
    found by RapidFuzz's bit-parallel algorithm, told to give up past the most the
    budget allows: far cheaper than the diff whose cost it predicts.
    """
    start = _common_prefix(old, new)
    end = _common_prefix(old[start:][::-1], new[start:][::-1])
    old_mid, new_mid = old[start:len(old) - end], new[start:len(new) - end]
    a: Sequence[str] = old_mid
    b: Sequence[str] = new_mid
    if not chars:
        a, b = tokenize(old_mid), tokenize(new_mid)
    units = len(a) + len(b)
    if units * units <= budget:
        return units * units  # even the worst case fits
    limit = budget // units
    edits = int(Indel.distance(a, b, score_cutoff=limit))
    return units * edits if edits <= limit else None


def _common_prefix(a: str, b: str) -> int:
    """The length of the common start, by halving (string comparison runs in C)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_BREAK.split(text) if part]


def _by_sentence(old: str, new: str, chars: bool) -> TextComparison:
    """Compare sentence by sentence, then refine each changed stretch while the budget
    lasts; the stretches left over are marked coarse."""
    old_sentences, new_sentences = _sentences(old), _sentences(new)
    units = len(old_sentences) + len(new_sentences)
    budget = DIFF_BUDGET - units * units
    if budget < 0:  # even by sentence it is too much: one replacement
        return TextComparison(((DELETE, old), (INSERT, new)), frozenset((0, 1)))
    out: list[tuple[OpCode, str, bool]] = []

    def add(op: OpCode, text: str, coarse: bool = False) -> None:
        if out and op == EQUAL and out[-1][0] == EQUAL:
            out[-1] = (EQUAL, out[-1][1] + text, False)
        else:
            out.append((op, text, coarse))

    found = _diff_tokens(old_sentences, new_sentences)
    if found is None:  # more distinct sentences than code points: one replacement
        return TextComparison(((DELETE, old), (INSERT, new)), frozenset((0, 1)))
    sentence_ops = found
    index = 0
    while index < len(sentence_ops):
        op, text = sentence_ops[index]
        if op == EQUAL:
            add(EQUAL, text)
            index += 1
            continue
        deleted = text if op == DELETE else ""
        inserted = text if op == INSERT else ""
        if op == DELETE and index + 1 < len(sentence_ops) \
                and sentence_ops[index + 1][0] == INSERT:
            inserted = sentence_ops[index + 1][1]
            index += 1
        index += 1
        if deleted and inserted:
            cost = _cost(deleted, inserted, chars, budget)
            if cost is not None:
                budget -= cost
                for fine_op, fine_text in _fine(deleted, inserted, chars):
                    add(fine_op, fine_text)
                continue
            add(DELETE, deleted, True)
            add(INSERT, inserted, True)
        else:  # whole sentences deleted or inserted: exact at any level
            add(DELETE if deleted else INSERT, deleted or inserted)
    return TextComparison(tuple((op, text) for op, text, _ in out),
                          frozenset(i for i, (_, _, coarse) in enumerate(out) if coarse))


def _diff_tokens(old: Sequence[str], new: Sequence[str]) -> tuple[Op, ...] | None:
    """Diff two sequences of tokens (each one private code point), as text edits; None
    when they hold more distinct tokens than there are code points to stand for them."""
    codes: dict[str, str] = {}
    tokens: list[str] = []

    def encode(items: Sequence[str]) -> str | None:
        out = []
        for token in items:
            code = codes.get(token)
            if code is None:
                if _FIRST_CODE + len(tokens) > _LAST_CODE:
                    return None
                code = chr(_FIRST_CODE + len(tokens))
                codes[token] = code
                tokens.append(token)
            out.append(code)
        return "".join(out)

    old_codes, new_codes = encode(old), encode(new)
    if old_codes is None or new_codes is None:
        return None
    return _merge((op, "".join(tokens[ord(c) - _FIRST_CODE] for c in text))
                  for op, text in _fdmp(old_codes, new_codes))


def _fdmp(old: str, new: str) -> Iterable[Op]:
    # timelimit=0: no deadline, so a long clause is never cut short into one big replace.
    result: list[Op] = fdmp.diff(old, new, timelimit=0, cleanup="Semantic",
                                 counts_only=False)
    return result


def tokenize(text: str) -> list[str]:
    """Words, whitespace runs and single other characters; joined they give ``text``."""
    return _TOKEN.findall(text)


def _diff_words(old: str, new: str) -> tuple[Op, ...]:
    found = _diff_tokens(tokenize(old), tokenize(new))
    # over a million distinct words: compare characters
    return found if found is not None else _merge(_fdmp(old, new))


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
               "invisible character", "whitespace",
               "compared by sentence: the clause was rewritten too much for a "
               "character-by-character redline",
               "compared by sentence: the clause was rewritten too much for a "
               "word-by-word redline"]


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
    if (len(before) + len(after)) ** 2 > DIFF_BUDGET:
        return False  # too long to weigh twice more: the redline shows what changed anyway
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


def segments(ops: Sequence[Op], coarse: Collection[int] = frozenset(),
             lang: str | None = None) -> tuple[Segment, ...]:
    """The edits as displayed, with the notes that make invisible changes explicit.

    A width swap keeps its note on the insertion only, so it is printed once. The ops
    at the ``coarse`` indexes were compared by sentence only: the last of each such
    stretch says so.
    """
    out: list[Segment] = []
    index = 0
    while index < len(ops):
        op, text = ops[index]
        if index in coarse:
            shown = _shown(op, text)
            last = index + 1 not in coarse or ops[index + 1][0] == EQUAL
            out.append(Segment(op, shown.text, coarse_note(lang) if last else shown.note))
            index += 1
            continue
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
