"""The document model: a document, its manifest (document.yaml) and its tree of clauses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Texts:
    """One text per language, e.g. a clause's title in each of the document's languages."""

    items: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, mapping: Mapping[str, str]) -> Texts:
        """Build from a mapping, keeping its order."""
        return cls(tuple(mapping.items()))

    def get(self, lang: str, default: str = "") -> str:
        """The text in ``lang``, or ``default`` when there is none."""
        for key, value in self.items:
            if key == lang:
                return value
        return default

    def has(self, lang: str) -> bool:
        """True when a text exists in ``lang``."""
        return any(key == lang for key, _ in self.items)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages present, in order."""
        return tuple(key for key, _ in self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


@dataclass(frozen=True, slots=True)
class Waiver:
    """A recorded decision to accept one violation that history can no longer undo."""

    commit: str
    rule: str
    reason: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """The contents of a document's ``document.yaml``: identity and the current release."""

    id: str
    title: Texts
    languages: tuple[str, ...]
    authoritative: str
    notice_days: int
    timezone: str
    version: str
    announced: dt.date
    effective: dt.date
    exception: str | None = None
    waivers: tuple[Waiver, ...] = ()
    change_clause: str | None = None  # the clause promising notice, quoted in notices
    numbering: str = "decimal"  # how numbers are written: a style of format/numbering.py
    historical: bool = False  # this release was entered from records after its announcement
    # where notices are published, "{version}" standing for the release's version; the
    # banners customers read link to it (format/document_yaml.py validates it)
    notice_url: str | None = None

    @property
    def settings(self) -> RuleSettings:
        """The keys that govern how a change to the document is judged."""
        return RuleSettings(self.notice_days, self.authoritative, self.languages,
                            self.timezone, self.waivers)


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """The settings of ``document.yaml`` that the notice rules read.

    A change is judged by the settings in force before it, never by the ones it brings
    itself: in a pull request those of its base.
    """

    notice_days: int
    authoritative: str
    languages: tuple[str, ...]
    timezone: str
    waivers: tuple[Waiver, ...] = ()


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause: its id, texts, and sub-clauses; ``number`` is computed from position."""

    id: str
    file: str  # path relative to the repository root
    number: str  # display number such as "2.3.1"; "" for an unnumbered clause
    title: Texts
    body: Texts
    numbered: bool = True
    translation_pending: bool = False
    children: tuple[Clause, ...] = ()
    body_lines: tuple[tuple[str, int], ...] = ()  # language -> line of its block marker

    @property
    def depth(self) -> int:
        """1 for a top-level clause; unnumbered clauses count by their number's parts."""
        return self.number.count(".") + 1 if self.number else 1

    def block_line(self, lang: str) -> int | None:
        """The line where the block of ``lang`` opens, for messages."""
        for key, line in self.body_lines:
            if key == lang:
                return line
        return None

    def walk(self) -> Iterator[Clause]:
        """This clause then all its descendants, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True, slots=True)
class Document:
    """A document: a directory holding ``document.yaml`` and its clause files."""

    path: str  # directory relative to the repository root, e.g. "terms/product/tos"
    manifest: Manifest
    clauses: tuple[Clause, ...]
    index: Mapping[str, Clause] = field(default_factory=dict, compare=False, hash=False)

    @property
    def id(self) -> str:
        """The document id from its manifest."""
        return self.manifest.id

    def walk(self) -> Iterator[Clause]:
        """Every clause in document order."""
        for clause in self.clauses:
            yield from clause.walk()

    def numbers(self) -> dict[str, str]:
        """Clause id -> computed number, for writing cross-references with current numbers."""
        return {clause.id: clause.number for clause in self.walk()}

    def clause(self, clause_id: str) -> Clause | None:
        """The clause with this id, if any."""
        if self.index:
            return self.index.get(clause_id)
        return next((c for c in self.walk() if c.id == clause_id), None)
