"""Clause-aware comparison of two versions of the terms: what changed, clause by clause.

Clauses are matched by id, never by position or file name, so inserting one clause early
in a document is one ``added`` clause and the clauses after it ``renumbered``, not "every
later clause changed". Each changed clause gets exactly one kind:

- ``added`` / ``removed``: the id exists on one side only (and no clause was renamed to it),
  or the id stayed but its authoritative text did not: an id given to an unrelated text
  (sharing less than half of the shorter text) is a removed clause and a new one, never a move
  or a modification, so a deletion cannot hide behind a reused id;
- ``renamed``: the id changed but the text is (near) identical;
- ``moved``: the parent changed, or the order among the siblings that exist on both sides;
  text changes inside a moved clause are still diffed;
- ``reference``: only the written numbers of cross-references changed, because their
  targets were renumbered;
- ``modified``: the text changed, with its class (substantive, editorial, translation);
- ``renumbered``: only the computed number changed.

A clause's text is compared per language before anything is diffed, so the cost is
linear in the size of the documents and only changed clauses pay for a redline.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz.distance import Indel

from termstool.compare.change_class import ChangeClass, classify, clause_text, languages_changed
from termstool.compare.text_diff import (
    DELETE,
    EQUAL,
    INSERT,
    Op,
    Segment,
    TextComparison,
    compare_text,
    diff_text,
    overlap,
    segments,
    similarity,
)
from termstool.format.numbering import DEFAULT_STYLE, number_label
from termstool.format.references import LINK_RE, rewrite_references
from termstool.model.document import Clause, Document, Texts


class ChangeKind(StrEnum):
    """What happened to a clause between two versions; each change has exactly one."""

    ADDED = "added"
    REMOVED = "removed"
    MODIFIED = "modified"
    RENAMED = "renamed"
    MOVED = "moved"
    REFERENCE = "reference"
    RENUMBERED = "renumbered"


# The kinds counted in a summary, in the order of the JSON schema.
SUMMARY_KINDS = (ChangeKind.ADDED, ChangeKind.REMOVED, ChangeKind.MODIFIED,
                 ChangeKind.RENUMBERED, ChangeKind.MOVED, ChangeKind.RENAMED)

# A clause whose id changed is "renamed" when its texts are at least this similar.
RENAME_SIMILARITY = 0.9
# A clause keeps its identity while at least this share of the shorter of its two
# authoritative texts is common to both (text_diff.overlap, by character for Chinese), so
# an amendment that appends a sentence or cuts one keeps its clause. Of all 5,151 pairs of
# different clauses of the API Gateway terms, 99 % share a third or less; the 25 that reach
# one half are headings of a few characters (权利义务, 其他) and two pairs of sibling list
# items. Below it, one id holds two clauses: one removed and one added.
SAME_CLAUSE_SIMILARITY = 0.5
# Near-identical pairs are searched among at most this many (removed x added) pairs;
# beyond that only identical texts are paired, to keep a mass rewrite linear.
_RENAME_PAIRS_LIMIT = 40_000
# The work rename detection may spend bounding similarities, counted as RapidFuzz's:
# (n + m) x (the edits still allowed / 64 + 1) per language of each pair compared; about
# a second. Pairs are compared closest lengths first; when it runs out the rest are not.
_RENAME_BUDGET = 2_000_000_000
# Each removed (and each added) clause is diffed against this many of its likeliest
# partners at most: the near-identical ones, best bound first.
_RENAME_CANDIDATES = 3


@dataclass(frozen=True, slots=True)
class TextDiff:
    """The redline of one language of a clause: title and body, as edits."""

    lang: str
    ops: tuple[Op, ...]
    coarse: frozenset[int] = frozenset()  # ops compared by sentence only (a long rewrite)

    @property
    def changed(self) -> bool:
        """True when anything was deleted or inserted."""
        return any(op != EQUAL for op, _ in self.ops)

    def shown(self) -> tuple[Segment, ...]:
        """The redline as a reader sees it, notes included (see ``segments``)."""
        return segments(self.ops, self.coarse, self.lang)


@dataclass(frozen=True, slots=True)
class ClauseChange:
    """One changed clause: its kind, class, numbers on both sides and its redline."""

    kind: ChangeKind
    id: str  # the id in the new version; the old id for a removed clause
    old_id: str | None  # the id in the old version (None for an added clause)
    change_class: ChangeClass | None  # None when no text changed (renumbered, pure move)
    number_from: str | None  # None for an added clause; "" for an unnumbered one
    number_to: str | None  # None for a removed clause
    parent_from: str | None  # display number of the old parent ("" at top level)
    parent_to: str | None
    languages_changed: tuple[str, ...]
    texts: tuple[TextDiff, ...]  # one per language of the document, in its order
    label: str  # the title, or the beginning of the text, in the authoritative language
    numbering: str = DEFAULT_STYLE  # the document's numbering style ("chinese-article")
    cited_in: str = "zh"  # the language numbers are cited in (the authoritative one)

    def text(self, lang: str) -> TextDiff | None:
        """The redline of one language, if the document has it."""
        return next((t for t in self.texts if t.lang == lang), None)

    @property
    def text_changed(self) -> bool:
        """True when the text changed in any language."""
        return any(t.changed for t in self.texts)

    @property
    def shown_from(self) -> str:
        """The old number as the document cites it ("第三条", "3.2"); "—" for an added
        clause, "·" for an unnumbered one."""
        return self._shown(self.number_from)

    @property
    def shown_to(self) -> str:
        """The new number as the document cites it (see :attr:`shown_from`)."""
        return self._shown(self.number_to)

    @property
    def number_label(self) -> str:
        """The number as a reader should see it: "3.2", "3.2 → 3.3", "— → 3.3", "·",
        "第三条 → 第四条"."""
        before, after = self.shown_from, self.shown_to
        return before if before == after else f"{before} → {after}"

    def _shown(self, number: str | None) -> str:
        if number is None:
            return "—"  # the clause does not exist on this side
        return number_label(number, self.numbering, self.cited_in) or "·"


@dataclass(frozen=True, slots=True)
class DocumentDiff:
    """The changes to one document between two versions."""

    id: str
    path: str
    title: Texts
    languages: tuple[str, ...]
    authoritative: str
    version_from: str | None  # None when the document did not exist
    version_to: str | None
    changes: tuple[ClauseChange, ...]
    notes: tuple[str, ...] = ()  # limits the comparison ran into, for the reader

    def count(self, kind: ChangeKind) -> int:
        """How many changes have this kind."""
        return sum(1 for change in self.changes if change.kind is kind)

    def summary(self) -> dict[str, int]:
        """Counts per kind, every kind listed (zero included), in ChangeKind order."""
        return {kind.value: self.count(kind) for kind in ChangeKind}

    @property
    def changed(self) -> bool:
        """True when a clause changed or the document's version did."""
        return bool(self.changes) or self.version_from != self.version_to


@dataclass(frozen=True, slots=True)
class Redline:
    """A comparison of every document between two revisions."""

    ref_from: str
    ref_to: str
    documents: tuple[DocumentDiff, ...]

    @property
    def changed(self) -> bool:
        """True when there is any difference (what ``--exit-code`` reports)."""
        return any(document.changed for document in self.documents)


# ----------------------------------------------------------------------------- matching


@dataclass(frozen=True, slots=True)
class _Place:
    clause: Clause
    parent: str | None  # parent id, None at top level
    order: int  # position in document order
    rank: int  # position among its siblings
    texts: tuple[str, ...]  # compared text per language, in the diff's language order


def _places(document: Document | None, languages: Sequence[str]) -> dict[str, _Place]:
    places: dict[str, _Place] = {}
    if document is None:
        return places

    def visit(clauses: Iterable[Clause], parent: str | None) -> None:
        for rank, clause in enumerate(clauses):
            texts = tuple(clause_text(clause, lang) for lang in languages)
            places[clause.id] = _Place(clause, parent, len(places), rank, texts)
            visit(clause.children, clause.id)

    visit(document.clauses, None)
    return places


def _renames(removed: list[_Place], added: list[_Place]) -> tuple[dict[str, str], str | None]:
    """Pair vanished ids with new ids whose texts are identical or near-identical; and a
    note when the search had to stop before it compared every pair.

    Identical texts are paired by lookup. Then the cheap, exact filters: lengths alone,
    then the longest common subsequence (RapidFuzz, told to stop once the pair cannot
    reach RENAME_SIMILARITY), which bounds from above the similarity a diff can find.
    Only the few best pairs of each clause that pass are diffed.
    """
    pairs: dict[str, str] = {}
    if not removed or not added:
        return pairs, None
    by_text: dict[tuple[str, ...], list[str]] = {}
    for place in removed:
        if any(place.texts):
            by_text.setdefault(place.texts, []).append(place.clause.id)
    left: list[_Place] = []
    for place in added:
        same = by_text.get(place.texts)
        if same:
            pairs[same.pop(0)] = place.clause.id
        else:
            left.append(place)
    gone = [p for p in removed if p.clause.id not in pairs]
    if not left or not gone:
        return pairs, None
    if len(left) * len(gone) > _RENAME_PAIRS_LIMIT:
        return pairs, (f"{len(gone)} removed and {len(left)} added clauses: too many to "
                       "search for renamed ones, so only identical texts were paired; a "
                       "renamed and edited clause is shown as removed and added")
    compact = _compact_alphabet([*gone, *left])
    old_texts = [tuple(text.translate(compact) for text in p.texts) for p in gone]
    new_texts = [tuple(text.translate(compact) for text in p.texts) for p in left]
    old_length = [sum(map(len, p.texts)) for p in gone]
    new_length = [sum(map(len, p.texts)) for p in left]
    order = sorted(((i, j) for i in range(len(gone)) for j in range(len(left))
                    if _lengths_allow(gone[i].texts, left[j].texts)),
                   key=lambda ij: (abs(old_length[ij[0]] - new_length[ij[1]]), ij))
    budget = _RENAME_BUDGET
    bounds: list[tuple[float, int, int]] = []
    compared = 0
    for i, j in order:
        cost = _bound_cost(gone[i].texts, left[j].texts)
        if cost > budget:
            break
        budget -= cost
        compared += 1
        bound = _similarity_bound(old_texts[i], new_texts[j])
        if bound >= RENAME_SIMILARITY:
            bounds.append((bound, i, j))
    note = None
    if compared < len(order):
        note = (f"the search for renamed clauses stopped after {compared} of {len(order)} "
                "pairs of removed and added clauses (the texts are long): a renamed "
                "clause may be shown as removed and added")
    bounds.sort(key=lambda item: (-item[0], item[1], item[2]))
    per_old: dict[int, int] = {}
    per_new: dict[int, int] = {}
    scored: list[tuple[float, int, int]] = []
    for _, i, j in bounds:  # the likeliest partners of each clause, best bound first
        if per_old.get(i, 0) >= _RENAME_CANDIDATES and per_new.get(j, 0) >= _RENAME_CANDIDATES:
            continue
        per_old[i] = per_old.get(i, 0) + 1
        per_new[j] = per_new.get(j, 0) + 1
        score = _similarity(gone[i].texts, left[j].texts)
        if score >= RENAME_SIMILARITY:
            scored.append((score, i, j))
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))  # best first, then in order
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    for _, i, j in scored:
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            pairs[gone[i].clause.id] = left[j].clause.id
    return pairs, note


def _compact_alphabet(places: Sequence[_Place]) -> dict[int, str]:
    """A one-to-one renaming of the characters, the most frequent first into the first
    256 code points: RapidFuzz compares those through a table instead of a hash map,
    several times faster, and a renaming changes no common subsequence."""
    counts: Counter[str] = Counter()
    for place in places:
        for text in place.texts:
            counts.update(text)
    return {ord(char): chr(code) for code, (char, _) in enumerate(counts.most_common())}


def _lengths_allow(old: tuple[str, ...], new: tuple[str, ...]) -> bool:
    """False when the lengths alone keep two clauses below RENAME_SIMILARITY: the
    common part is at most the shorter text, so similarity <= 2 min(la, lb) / T."""
    total = sum(len(a) + len(b) for a, b in zip(old, new, strict=True))
    return total > 0 and 2 * sum(min(len(a), len(b)) for a, b in zip(old, new, strict=True)) \
        >= RENAME_SIMILARITY * total


def _allowed_edits(old: tuple[str, ...], new: tuple[str, ...]) -> int:
    """The most characters a pair may delete and insert and still be RENAME_SIMILARITY
    alike (the slack keeps exactly RENAME_SIMILARITY in)."""
    total = sum(len(a) + len(b) for a, b in zip(old, new, strict=True))
    return math.floor((1 - RENAME_SIMILARITY) * total + 1e-9)


def _bound_cost(old: tuple[str, ...], new: tuple[str, ...]) -> int:
    allowed = _allowed_edits(old, new)
    return sum((len(a) + len(b)) * (allowed // 64 + 1) for a, b in zip(old, new, strict=True))


def _similarity_bound(old: tuple[str, ...], new: tuple[str, ...]) -> float:
    """An upper bound of ``_similarity``: 1 - (Indel distance) / T over all languages.

    A diff's equal runs are a common subsequence, so its similarity 2 S / T is at most
    2 LCS / T; the Indel distance is exactly T - 2 LCS. Past the distance that keeps a
    pair at RENAME_SIMILARITY, RapidFuzz stops and the bound is 0.
    """
    total = sum(len(a) + len(b) for a, b in zip(old, new, strict=True))
    remaining = _allowed_edits(old, new)
    distance = 0
    for a, b in zip(old, new, strict=True):
        found = int(Indel.distance(a, b, score_cutoff=remaining))
        if found > remaining:
            return 0.0
        distance += found
        remaining -= found
    return 1 - distance / total if total else 0.0


def _similarity(old: tuple[str, ...], new: tuple[str, ...]) -> float:
    """How alike two clauses are over all languages, weighted by length; 0 when empty."""
    total = sum(len(a) + len(b) for a, b in zip(old, new, strict=True))
    if total == 0:
        return 0.0
    score = 0.0
    for a, b in zip(old, new, strict=True):
        if a or b:
            score += similarity(diff_text(a, b)) * (len(a) + len(b))
    return score / total


def _languages_of(*clauses: Clause) -> tuple[str, ...]:
    return tuple(dict.fromkeys(lang for clause in clauses
                               for lang in (*clause.title.languages, *clause.body.languages)))


def clause_similarity(old: Clause, new: Clause, authoritative: str,
                      ops: Sequence[Op] | None = None) -> float:
    """How much two versions of a clause have in common, from 0 to 1: the overlap of
    their authoritative texts (``ops``, their redline, when already computed), or of all
    their texts when one side has no authoritative text."""
    before, after = clause_text(old, authoritative), clause_text(new, authoritative)
    if before == after:
        return 1.0
    if before and after:
        return overlap(ops if ops is not None else diff_text(before, after, authoritative))
    langs = _languages_of(old, new)
    return overlap(diff_text("\n".join(clause_text(old, lang) for lang in langs),
                             "\n".join(clause_text(new, lang) for lang in langs)))


def same_clause(old: Clause, new: Clause, authoritative: str) -> bool:
    """True when two texts under one id are one clause (see SAME_CLAUSE_SIMILARITY)."""
    return clause_similarity(old, new, authoritative) >= SAME_CLAUSE_SIMILARITY


def _unrelated(old: Mapping[str, _Place], new: Mapping[str, _Place], authoritative: str,
               languages: Sequence[str]) -> tuple[set[str], dict[str, TextComparison]]:
    """Ids on both sides whose texts are different clauses, and the authoritative redlines
    computed to find out (reused for the clauses that stay paired)."""
    unrelated: set[str] = set()
    redlines: dict[str, TextComparison] = {}
    if authoritative not in languages:
        return unrelated, redlines
    at = languages.index(authoritative)
    for cid, before in old.items():
        after = new.get(cid)
        if after is None or before.texts[at] == after.texts[at]:
            continue
        ops: tuple[Op, ...] | None = None
        if before.texts[at] and after.texts[at]:
            comparison = compare_text(before.texts[at], after.texts[at], authoritative)
            redlines[cid] = comparison
            ops = comparison.ops
        if clause_similarity(before.clause, after.clause, authoritative, ops) \
                < SAME_CLAUSE_SIMILARITY:
            unrelated.add(cid)
    return unrelated, redlines


def _longest_increasing(values: Sequence[int]) -> set[int]:
    """Indexes of one longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []  # index into values of the smallest tail of each length
    previous: list[int] = [-1] * len(values)
    tail_values: list[int] = []
    for index, value in enumerate(values):
        at = bisect_left(tail_values, value)
        if at == len(tail_values):
            tail_values.append(value)
            tails.append(index)
        else:
            tail_values[at] = value
            tails[at] = index
        previous[index] = tails[at - 1] if at else -1
    keep: set[int] = set()
    index = tails[-1] if tails else -1
    while index != -1:
        keep.add(index)
        index = previous[index]
    return keep


def _moved(pairs: Mapping[str, str], old: Mapping[str, _Place],
           new: Mapping[str, _Place]) -> set[str]:
    """New ids of the clauses that changed parent or order among surviving siblings.

    Among siblings that stayed under the same parent, the fewest clauses are called moved:
    those outside a longest run that kept its relative order. Inserting or removing a
    sibling therefore moves nothing, and moving one clause moves exactly that clause.
    """
    moved: set[str] = set()
    groups: dict[str | None, list[tuple[int, int, str]]] = {}
    for old_id, new_id in pairs.items():
        before, after = old[old_id], new[new_id]
        parent_before = pairs.get(before.parent) if before.parent is not None else None
        if before.parent is not None and parent_before is None:
            parent_before = f"\0removed:{before.parent}"  # the old parent is gone
        if parent_before != after.parent:
            moved.add(new_id)
        else:
            groups.setdefault(after.parent, []).append((after.rank, before.rank, new_id))
    for siblings in groups.values():
        siblings.sort()
        keep = _longest_increasing([old_rank for _, old_rank, _ in siblings])
        moved.update(new_id for index, (_, _, new_id) in enumerate(siblings)
                     if index not in keep)
    return moved


# ----------------------------------------------------------------------------- comparing


def diff_documents(old_docs: Sequence[Document], new_docs: Sequence[Document], *,
                   ref_from: str = "old", ref_to: str = "new") -> Redline:
    """Compare documents by id: each document of either side gets a DocumentDiff."""
    old_by_id = {document.id: document for document in old_docs}
    new_ids = {document.id for document in new_docs}
    documents = [diff_document(old_by_id.get(document.id), document) for document in new_docs]
    documents += [diff_document(document, None) for document in old_docs
                  if document.id not in new_ids]
    return Redline(ref_from, ref_to, tuple(documents))


def _languages(old: Document | None, new: Document | None) -> tuple[str, ...]:
    langs: list[str] = []
    for document in (new, old):
        if document is not None:
            langs += [lang for lang in document.manifest.languages if lang not in langs]
    return tuple(langs)


def diff_document(old: Document | None, new: Document | None) -> DocumentDiff:
    """The changes to one document; ``None`` on one side means it was added or removed."""
    current = new if new is not None else old
    if current is None:
        raise ValueError("diff_document needs at least one document")
    languages = _languages(old, new)
    authoritative = current.manifest.authoritative
    old_places, new_places = _places(old, languages), _places(new, languages)
    unrelated, redlines = _unrelated(old_places, new_places, authoritative, languages)
    removed = [p for cid, p in old_places.items() if cid not in new_places or cid in unrelated]
    added = [p for cid, p in new_places.items() if cid not in old_places or cid in unrelated]
    found, rename_note = _renames(removed, added)
    renamed = {before: after for before, after in found.items() if before != after}
    pairs = {cid: cid for cid in old_places if cid in new_places and cid not in unrelated}
    pairs.update(renamed)
    moved = _moved(pairs, old_places, new_places)
    old_numbers = {cid: p.clause.number for cid, p in old_places.items()}
    new_numbers = {cid: p.clause.number for cid, p in new_places.items()}
    renumbered_targets = {cid: new_numbers[cid] for cid in pairs
                          if cid in new_numbers and old_numbers[cid] != new_numbers[cid]}
    context = _Context(languages, authoritative, old_numbers, new_numbers, renumbered_targets,
                       redlines, current.manifest.numbering)

    keyed: list[tuple[tuple[int, int, int], ClauseChange]] = []
    matched_new = set(pairs.values())
    last_new = -1
    for old_id, place in old_places.items():  # old order: removed clauses keep their spot
        new_id = pairs.get(old_id)
        if new_id is None:
            keyed.append(((last_new, 1, place.order), context.one_sided(place, None)))
            continue
        last_new = new_places[new_id].order
        change = context.pair(place, new_places[new_id], renamed=old_id in renamed,
                              moved=new_id in moved)
        if change is not None:
            keyed.append(((last_new, 0, 0), change))
    for new_id, place in new_places.items():
        if new_id not in matched_new:
            keyed.append(((place.order, 0, 0), context.one_sided(None, place)))
    keyed.sort(key=lambda item: item[0])
    return DocumentDiff(
        id=current.id, path=current.path, title=current.manifest.title, languages=languages,
        authoritative=authoritative,
        version_from=old.manifest.version if old is not None else None,
        version_to=new.manifest.version if new is not None else None,
        changes=tuple(change for _, change in keyed),
        notes=(rename_note,) if rename_note else ())


@dataclass(frozen=True, slots=True)
class _Context:
    languages: tuple[str, ...]
    authoritative: str
    old_numbers: Mapping[str, str]
    new_numbers: Mapping[str, str]
    renumbered_targets: Mapping[str, str]
    redlines: Mapping[str, TextComparison]  # authoritative redlines already computed, by id
    numbering: str  # the document's numbering style

    def _parent_number(self, place: _Place | None, numbers: Mapping[str, str]) -> str | None:
        if place is None:
            return None
        return numbers.get(place.parent, "") if place.parent is not None else ""

    def _label(self, clause: Clause) -> str:
        title = clause.title.get(self.authoritative)
        if title:
            return title
        body = clause.body.get(self.authoritative) or next(
            (text for _, text in clause.body.items if text), "")
        first = LINK_RE.sub(r"\1", body.strip().split("\n", 1)[0])  # links as their text
        return first[:40] + ("…" if len(first) > 40 else "")

    def one_sided(self, old: _Place | None, new: _Place | None) -> ClauseChange:
        """An added or removed clause: its whole text inserted or deleted."""
        place = new if new is not None else old
        assert place is not None
        op = INSERT if new is not None else DELETE
        texts = tuple(TextDiff(lang, ((op, shown),) if (shown := reader_text(text)) else ())
                      for lang, text in zip(self.languages, place.texts, strict=True))
        old_clause = old.clause if old is not None else None
        new_clause = new.clause if new is not None else None
        langs = tuple(lang for lang in languages_changed(old_clause, new_clause, self.languages)
                      if place.texts[self.languages.index(lang)])
        return ClauseChange(
            kind=ChangeKind.ADDED if new is not None else ChangeKind.REMOVED,
            id=place.clause.id, old_id=old.clause.id if old is not None else None,
            change_class=classify(old_clause, new_clause, self.authoritative, self.languages),
            number_from=old.clause.number if old is not None else None,
            number_to=new.clause.number if new is not None else None,
            parent_from=self._parent_number(old, self.old_numbers),
            parent_to=self._parent_number(new, self.new_numbers),
            languages_changed=langs, texts=texts, label=self._label(place.clause),
            numbering=self.numbering, cited_in=self.authoritative)

    def pair(self, old: _Place, new: _Place, *, renamed: bool,
             moved: bool) -> ClauseChange | None:
        """The change between two versions of one clause, or None when there is none."""
        same_text = old.texts == new.texts  # the cheap test that skips unchanged clauses
        number_changed = old.clause.number != new.clause.number
        if same_text and not (renamed or moved or number_changed):
            return None
        if renamed:
            kind = ChangeKind.RENAMED
        elif moved:
            kind = ChangeKind.MOVED
        elif same_text:
            kind = ChangeKind.RENUMBERED
        elif self._reference_only(old, new):
            kind = ChangeKind.REFERENCE
        else:
            kind = ChangeKind.MODIFIED
        known = self.redlines.get(old.clause.id) if old.clause.id == new.clause.id else None
        texts = tuple(_text_diff(lang, a, b, known if lang == self.authoritative else None)
                      for lang, a, b in zip(self.languages, old.texts, new.texts, strict=True))
        change_class = None if same_text else classify(old.clause, new.clause,
                                                       self.authoritative, self.languages)
        return ClauseChange(
            kind=kind, id=new.clause.id, old_id=old.clause.id, change_class=change_class,
            number_from=old.clause.number, number_to=new.clause.number,
            parent_from=self._parent_number(old, self.old_numbers),
            parent_to=self._parent_number(new, self.new_numbers),
            languages_changed=() if same_text else languages_changed(
                old.clause, new.clause, self.languages),
            texts=texts, label=self._label(new.clause), numbering=self.numbering,
            cited_in=self.authoritative)

    def _reference_only(self, old: _Place, new: _Place) -> bool:
        """True when rewriting the links to renumbered clauses turns old text into new."""
        if not self.renumbered_targets:
            return False
        return all(a == b or rewrite_references(a, self.renumbered_targets) == b
                   for a, b in zip(old.texts, new.texts, strict=True))


def _text_diff(lang: str, old: str, new: str, known: TextComparison | None) -> TextDiff:
    """One language's redline, over the text as a reader sees it: a cross-reference is
    its text (``第6.1条``), never its Markdown (``第[6.1](#s6-1)条``); ``known`` when it
    was computed already (on the same text)."""
    shown_old, shown_new = reader_text(old), reader_text(new)
    if shown_old == shown_new:
        return TextDiff(lang, ((EQUAL, shown_old),) if shown_old else ())
    if known is None or (old, new) != (shown_old, shown_new):
        known = compare_text(shown_old, shown_new, lang)
    return TextDiff(lang, known.ops, known.coarse)


def reader_text(text: str) -> str:
    """Compared text as a reader sees it: each cross-reference reduced to its text."""
    return LINK_RE.sub(r"\1", text)


def _parent_label(number: str | None) -> str:
    return f"under {number}" if number else "at the top level"


def describe(change: ClauseChange) -> str:
    """One sentence saying what happened to a clause, for a reader new to redlines."""
    kind = change.kind
    if kind is ChangeKind.ADDED:
        return "New clause."
    if kind is ChangeKind.REMOVED:
        return "Clause removed."
    if kind is ChangeKind.RENAMED:
        text = "text changed too" if change.text_changed else "text unchanged"
        return f"Id changed from {change.old_id} to {change.id}; {text}."
    if kind is ChangeKind.MOVED:
        if change.parent_from != change.parent_to:
            where = (f"Moved from {_parent_label(change.parent_from)} to "
                     f"{_parent_label(change.parent_to)}")
        else:
            where = f"Moved to another place {_parent_label(change.parent_to)}"
        text = "text changed too" if change.text_changed else "text unchanged"
        return f"{where}; {text}."
    if kind is ChangeKind.REFERENCE:
        return ("Only the numbers written in cross-references changed, because the clauses "
                "they point to were renumbered.")
    if kind is ChangeKind.RENUMBERED:
        return (f"Number changed from {change.shown_from} to {change.shown_to} "
                "because of changes before it; text unchanged.")
    return f"Text changed ({change.change_class or 'unclassified'})."
