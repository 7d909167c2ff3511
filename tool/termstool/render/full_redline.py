"""The whole-document redline: every clause in order, its changes inline.

This is what the Word, whole-document HTML and PDF redlines show. Clauses are matched as
:mod:`termstool.compare.clause_diff` matches them (by id, renames and moves included);
inside a clause the rendered text (links as their computed numbers, Markdown marks as
formatting) is compared with :func:`termstool.compare.text_diff.compare_text`, so Chinese
changes by character and English by word (by sentence, with a note, where a clause was
rewritten too much to compare finer within the budget). The entries come in the new
document's order, with what is gone from a place (removed clauses, the old place of a
moved clause) shown where it stood, before what is new there.

The contract, which the tests check: keeping the ``=`` and ``+`` pieces of every entry
gives the new version's rendered text of each clause, and keeping the ``=`` and ``-``
pieces gives the old one's, character for character.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Literal

from termstool.compare.clause_diff import (
    ChangeKind,
    ClauseChange,
    Redline,
    _longest_increasing,
    diff_document,
)
from termstool.compare.text_diff import DELETE, EQUAL, INSERT, OpCode, coarse_note, compare_text
from termstool.format.numbering import DEFAULT_STYLE
from termstool.format.rich_text import PLAIN, Paragraph, Style, paragraphs
from termstool.model.document import Clause, Document, Texts

# Stands for a paragraph end in the compared text: a noncharacter, so never in a clause,
# and not whitespace, so the word diff keeps it a token of its own.
PARAGRAPH_END = "\ufdd0"

Role = Literal["title", "body"]


class Presence(StrEnum):
    """Where an entry's clause exists: on both sides, or on one side at this place."""

    SAME = "same"  # here in both versions (its text may have changed)
    ADDED = "added"
    REMOVED = "removed"
    MOVED_FROM = "moved-from"  # the old place of a clause that moved
    MOVED_TO = "moved-to"  # its new place


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text with one edit and one style (never across a paragraph end)."""

    op: OpCode
    text: str
    style: Style = PLAIN


@dataclass(frozen=True, slots=True)
class RedlineParagraph:
    """One paragraph: its pieces and what happened to its end (a merge or a split)."""

    role: Role
    pieces: tuple[Piece, ...]
    mark: OpCode


@dataclass(frozen=True, slots=True)
class LanguageRedline:
    """One language of an entry; ``number_op`` says whether its number line is on both
    sides, only new (``+``) or only old (``-``)."""

    lang: str
    number_op: OpCode
    paragraphs: tuple[RedlineParagraph, ...]
    note: str = ""  # said when part was compared by sentence only (a long rewrite)

    @property
    def changed(self) -> bool:
        """True when anything in this language was inserted or deleted."""
        return self.number_op != EQUAL or any(
            p.mark != EQUAL or any(piece.op != EQUAL for piece in p.pieces)
            for p in self.paragraphs)


@dataclass(frozen=True, slots=True)
class Entry:
    """One clause at one place of the whole-document redline."""

    id: str  # the id on the side the entry shows (new, or old for what is gone)
    presence: Presence
    number: str | None  # the new number; None where the clause is not in the new version
    old_number: str | None  # the old number; None for an added clause
    depth: int
    change: ClauseChange | None  # what the clause diff says; None for an unchanged clause
    languages: tuple[LanguageRedline, ...]
    move: str | None = None  # the name pairing a moved clause's two places (text unchanged)

    @property
    def renumbered(self) -> bool:
        """True when the old number must be shown beside the new one."""
        return self.number is not None and self.old_number is not None \
            and self.number != self.old_number

    @property
    def changed(self) -> bool:
        """True when the entry carries any revision (not a bare renumbering)."""
        return self.presence is not Presence.SAME or any(lr.changed for lr in self.languages)

    def language(self, lang: str) -> LanguageRedline | None:
        """The redline of one language, if shown."""
        return next((lr for lr in self.languages if lr.lang == lang), None)


@dataclass(frozen=True, slots=True)
class DocumentRedline:
    """The whole-document redline of one document."""

    id: str
    title: Texts
    languages: tuple[str, ...]
    version_from: str | None
    version_to: str | None
    entries: tuple[Entry, ...]
    numbering: str = DEFAULT_STYLE  # how the (new) document writes its clause numbers


@dataclass(frozen=True, slots=True)
class FullRedline:
    """Every document of a comparison as a whole-document redline."""

    ref_from: str
    ref_to: str
    documents: tuple[DocumentRedline, ...]


def full_redline(old_docs: Sequence[Document], new_docs: Sequence[Document],
                 languages: Sequence[str], *, ref_from: str = "old",
                 ref_to: str = "new", redline: Redline | None = None) -> FullRedline:
    """The whole-document redline of every document, matched by document id.

    ``redline`` is the clause diff of the same documents when the caller already has it.
    """
    by_diff = {d.id: d for d in redline.documents} if redline is not None else {}
    old_by_id = {document.id: document for document in old_docs}
    new_ids = {document.id for document in new_docs}
    pairs: list[tuple[Document | None, Document | None]] = [
        (old_by_id.get(document.id), document) for document in new_docs]
    pairs += [(document, None) for document in old_docs if document.id not in new_ids]
    out = []
    for old, new in pairs:
        current = new if new is not None else old
        assert current is not None
        diff = by_diff.get(current.id) or diff_document(old, new)
        langs = tuple(lang for lang in languages if lang in diff.languages)
        out.append(DocumentRedline(
            current.id, current.manifest.title, langs, diff.version_from, diff.version_to,
            tuple(_entries(old, new, diff.changes, langs)), current.manifest.numbering))
    return FullRedline(ref_from, ref_to, tuple(out))


# ------------------------------------------------------------------------ clause order


def _flat(document: Document | None) -> list[tuple[Clause, str | None]]:
    """Every clause in document order with its parent's id."""
    out: list[tuple[Clause, str | None]] = []
    if document is None:
        return out

    def visit(clauses: Iterable[Clause], parent: str | None) -> None:
        for clause in clauses:
            out.append((clause, parent))
            visit(clause.children, clause.id)

    visit(document.clauses, None)
    return out


def _entries(old: Document | None, new: Document | None, changes: Sequence[ClauseChange],
             languages: tuple[str, ...]) -> list[Entry]:
    old_list, new_list = _flat(old), _flat(new)
    old_pos = {clause.id: index for index, (clause, _) in enumerate(old_list)}
    new_parent = {clause.id: parent for clause, parent in new_list}
    by_new = {c.id: c for c in changes if c.kind is not ChangeKind.REMOVED}
    by_old = {c.old_id: c for c in changes if c.old_id is not None}
    # Matched clauses: new id -> old id, renames included.
    matched: dict[str, str] = {}
    for clause, _ in new_list:
        change = by_new.get(clause.id)
        if change is None:
            if clause.id in old_pos:
                matched[clause.id] = clause.id
        elif change.kind is not ChangeKind.ADDED and change.old_id is not None:
            matched[clause.id] = change.old_id
    # Displaced: moved clauses and what they carry along, and anything else whose order
    # changed (a renamed clause can move too); the rest keep their relative order.
    moved = {c.id for c in changes if c.kind is ChangeKind.MOVED}
    displaced = {cid for cid in matched if _under_moved(cid, moved, new_parent)}
    staying = [cid for cid, _ in ((c.id, p) for c, p in new_list)
               if cid in matched and cid not in displaced]
    keep = _longest_increasing([old_pos[matched[cid]] for cid in staying])
    displaced |= {cid for index, cid in enumerate(staying) if index not in keep}
    old_to_new = {old_id: new_id for new_id, old_id in matched.items()}
    build = _Builder(old, new, languages)

    ghosts: list[Entry] = []  # what is gone from a place, in old order
    stay_at: dict[str, int] = {}  # old position of each staying clause
    for index, (clause, _) in enumerate(old_list):
        new_id = old_to_new.get(clause.id)
        if new_id is None:
            ghosts.append(build.one_side(clause, Presence.REMOVED, by_old.get(clause.id)))
        elif new_id in displaced:
            ghosts.append(build.one_side(clause, Presence.MOVED_FROM, by_old.get(clause.id),
                                         partner=new_id))
        else:
            stay_at[new_id] = index
    ghost_at = [old_pos[entry.id] for entry in ghosts]
    out: list[Entry] = []
    pending: list[Entry] = []
    next_ghost = 0

    def flush(until: int) -> None:
        nonlocal next_ghost
        while next_ghost < len(ghosts) and ghost_at[next_ghost] < until:
            out.append(ghosts[next_ghost])
            next_ghost += 1
        out.extend(pending)
        pending.clear()

    for clause, _ in new_list:
        change = by_new.get(clause.id)
        if clause.id in stay_at:
            flush(stay_at[clause.id])
            old_clause = old_list[stay_at[clause.id]][0]
            out.append(build.both(old_clause, clause, change))
        elif clause.id in matched:
            old_clause = old_list[old_pos[matched[clause.id]]][0]
            pending.append(build.moved_to(old_clause, clause, change))
        else:
            pending.append(build.one_side(clause, Presence.ADDED, change))
    flush(len(old_list) + 1)
    return _pair_moves(out)


def _under_moved(cid: str, moved: set[str], parents: Mapping[str, str | None]) -> bool:
    current: str | None = cid
    while current is not None:
        if current in moved:
            return True
        current = parents.get(current)
    return False


def _pair_moves(entries: list[Entry]) -> list[Entry]:
    """Name each move whose text is unchanged, so Word shows its two places as one move.

    Until here a moved clause's two entries carry the same provisional key (its new id);
    a move whose text changed has no key at its new place, and loses it at the old.
    """
    sources = {e.move for e in entries if e.presence is Presence.MOVED_FROM and e.move}
    names: dict[str, str] = {}
    for entry in entries:
        if entry.presence is Presence.MOVED_TO and entry.move in sources:
            names[entry.move] = f"move{len(names) + 1}"
    return [replace(e, move=names.get(e.move)) if e.move else e for e in entries]


# ------------------------------------------------------------------------ texts and ops


@dataclass(frozen=True, slots=True)
class _Side:
    """One side of a clause language, flattened: text, style runs and paragraph roles."""

    text: str
    starts: tuple[int, ...]  # where each style run starts
    styles: tuple[Style, ...]
    roles: tuple[Role, ...]  # one per paragraph

    def styled(self, start: int, end: int) -> list[tuple[str, Style]]:
        """The text between two offsets, cut where its style changes."""
        out: list[tuple[str, Style]] = []
        run = max(bisect_right(self.starts, start) - 1, 0)
        at = start
        while at < end:
            stop = self.starts[run + 1] if run + 1 < len(self.starts) else len(self.text)
            stop = min(stop, end)
            if stop > at:
                out.append((self.text[at:stop], self.styles[run]))
            at = stop
            run += 1
        return out


_EMPTY = _Side("", (), (), ())


def _side(title: Sequence[Paragraph], body: Sequence[Paragraph]) -> _Side:
    text: list[str] = []
    starts: list[int] = []
    styles: list[Style] = []
    roles: list[Role] = []
    length = 0
    for role, paras in (("title", title), ("body", body)):
        for para in paras:
            if roles:
                text.append(PARAGRAPH_END)
                starts.append(length)
                styles.append(PLAIN)
                length += 1
            roles.append(role)  # type: ignore[arg-type]
            for span in para:
                text.append(span.text)
                starts.append(length)
                styles.append(span.style)
                length += len(span.text)
    return _Side("".join(text), tuple(starts), tuple(styles), tuple(roles))


class _Builder:
    """Builds entries; caches each clause's rendered sides."""

    def __init__(self, old: Document | None, new: Document | None,
                 languages: tuple[str, ...]) -> None:
        self.languages = languages
        self.old_numbers = {c.id: c.number for c in old.walk()} if old else {}
        self.new_numbers = {c.id: c.number for c in new.walk()} if new else {}

    def sides(self, clause: Clause, numbers: Mapping[str, str]) -> list[_Side]:
        out = []
        for lang in self.languages:
            title = paragraphs(clause.title.get(lang), {})
            body = paragraphs(clause.body.get(lang), numbers)
            out.append(_side(title, body) if title or body else _EMPTY)
        return out

    def one_side(self, clause: Clause, presence: Presence, change: ClauseChange | None,
                 partner: str | None = None) -> Entry:
        """A clause shown on one side only: added, removed, or the old place of a move."""
        gone = presence in (Presence.REMOVED, Presence.MOVED_FROM)
        sides = self.sides(clause, self.old_numbers if gone else self.new_numbers)
        op = DELETE if gone else INSERT
        langs = tuple(_one_sided(lang, side, op) for lang, side in zip(self.languages, sides,
                                                                       strict=True))
        move = partner if presence is Presence.MOVED_FROM else None
        return Entry(clause.id, presence, None if gone else clause.number,
                     clause.number if gone else None, clause.depth, change, langs,
                     move)

    def both(self, old: Clause, new: Clause, change: ClauseChange | None) -> Entry:
        """A clause in the same place on both sides, its text compared."""
        old_sides = self.sides(old, self.old_numbers)
        new_sides = self.sides(new, self.new_numbers)
        langs = tuple(_compare(lang, a, b) for lang, a, b in zip(
            self.languages, old_sides, new_sides, strict=True))
        return Entry(new.id, Presence.SAME, new.number, old.number, new.depth, change, langs)

    def moved_to(self, old: Clause, new: Clause, change: ClauseChange | None) -> Entry:
        """The new place of a moved clause: a Word move when its text is unchanged."""
        old_sides = self.sides(old, self.old_numbers)
        new_sides = self.sides(new, self.new_numbers)
        langs = tuple(_one_sided(lang, side, INSERT) for lang, side in zip(
            self.languages, new_sides, strict=True))
        same = all(a.text == b.text and a.roles == b.roles
                   for a, b in zip(old_sides, new_sides, strict=True))
        entry = Entry(new.id, Presence.MOVED_TO, new.number, old.number, new.depth, change,
                      langs, new.id if same else None)
        return entry


def _one_sided(lang: str, side: _Side, op: OpCode) -> LanguageRedline:
    if not side.text and not side.roles:
        return LanguageRedline(lang, op, ())
    return LanguageRedline(lang, op, _paragraphs(((op, side.text),), side, side, op))


def _compare(lang: str, old: _Side, new: _Side) -> LanguageRedline:
    if not old.roles and not new.roles:
        return LanguageRedline(lang, EQUAL, ())
    if not old.roles:
        return _one_sided(lang, new, INSERT)
    if not new.roles:
        return _one_sided(lang, old, DELETE)
    note = ""
    if old.text == new.text:
        ops: tuple[tuple[OpCode, str], ...] = ((EQUAL, new.text),) if new.text else ()
    else:
        comparison = compare_text(old.text, new.text, lang)
        ops = comparison.ops
        note = coarse_note(lang) if comparison.coarse else ""
    return LanguageRedline(lang, EQUAL, _paragraphs(ops, old, new, EQUAL), note)


def _paragraphs(ops: Iterable[tuple[OpCode, str]], old: _Side, new: _Side,
                last_mark: OpCode) -> tuple[RedlineParagraph, ...]:
    """Cut edits into paragraphs at paragraph ends, styling each piece from its side."""
    out: list[RedlineParagraph] = []
    pieces: list[Piece] = []
    at_old = at_new = 0
    par_old = par_new = 0
    for op, text in ops:
        side, at = (old, at_old) if op == DELETE else (new, at_new)
        start = 0
        while start <= len(text):
            end = text.find(PARAGRAPH_END, start)
            stop = len(text) if end < 0 else end
            for chunk, style in side.styled(at + start, at + stop):
                pieces.append(Piece(op, chunk, style))
            if end < 0:
                break
            role = side.roles[par_old if op == DELETE else par_new]
            out.append(RedlineParagraph(role, _merge(pieces), op))
            pieces = []
            if op != INSERT:
                par_old += 1
            if op != DELETE:
                par_new += 1
            start = end + 1
        if op != INSERT:
            at_old += len(text)
        if op != DELETE:
            at_new += len(text)
    roles = new.roles if last_mark != DELETE else old.roles
    role = roles[par_new if last_mark != DELETE else par_old] if roles else "body"
    out.append(RedlineParagraph(role, _merge(pieces), last_mark))
    return tuple(out)


def _merge(pieces: Sequence[Piece]) -> tuple[Piece, ...]:
    out: list[Piece] = []
    for piece in pieces:
        if out and out[-1].op == piece.op and out[-1].style == piece.style:
            out[-1] = Piece(piece.op, out[-1].text + piece.text, piece.style)
        elif piece.text:
            out.append(piece)
    return tuple(out)


def clean_entries(document: Document, languages: Sequence[str]) -> tuple[Entry, ...]:
    """One version's clauses as entries without revisions: what the clean document shows."""
    build = _Builder(None, document, tuple(languages))
    out = []
    for clause in document.walk():
        langs = tuple(
            LanguageRedline(lang, EQUAL, _paragraphs(((EQUAL, side.text),) if side.text
                                                     else (), side, side, EQUAL))
            if side.roles else LanguageRedline(lang, EQUAL, ())
            for lang, side in zip(build.languages, build.sides(clause, build.new_numbers),
                                  strict=True))
        out.append(Entry(clause.id, Presence.SAME, clause.number, clause.number,
                         clause.depth, None, langs))
    return tuple(out)
