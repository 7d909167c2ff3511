"""The customer notice of a release: what changes, when, and what the customer may do.

A notice is generated from the repository, never retyped: the title, version and dates
come from ``document.yaml``; the changed clauses, their new text and the redline from
comparing the release with the one before it (:mod:`termstool.compare.clause_diff`); and "what
you may do" is quoted from the terms themselves.

**The change clause.** The clause quoted under "what you may do" (typically: changes
are announced ahead, a customer who disagrees may stop using the service, continued use
means acceptance) is found by its id: ``change_clause`` in ``document.yaml``, or `terms
notice --change-clause ID`. It is looked up first in the document being announced, then
in the other documents given (so a notice for a service level agreement can quote the
terms of service it belongs to). Ids are stable across versions and renumbering, so the
quote follows the clause wherever it moves. A document that names no change clause gets
a notice without that section.

This module is the notice as data and the wording its renderings share, in the
document's languages (:mod:`termstool.model.languages`); the renderings are
:mod:`termstool.render.notice_markdown`, :mod:`~termstool.render.notice_text` and
:mod:`~termstool.render.notice_html`.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from termstool.compare.clause_diff import ChangeKind, ClauseChange, DocumentDiff
from termstool.format.commonmark import single_line
from termstool.format.numbering import number_label
from termstool.history.declarations import Correction
from termstool.history.document_history import Release
from termstool.model.document import Clause, Document, Texts
from termstool.model.languages import by_character, say, say_all

# Kinds of change a customer is told about, as keys of the wording table. A bare
# renumbering or a cross-reference number that follows it changes no obligation: those
# are counted only. A renamed clause (new id, same place) is, to a customer, modified.
KIND_WORDS: Mapping[ChangeKind, str] = {
    ChangeKind.ADDED: "added",
    ChangeKind.REMOVED: "removed",
    ChangeKind.MODIFIED: "modified",
    ChangeKind.MOVED: "moved",
    ChangeKind.RENAMED: "modified",
    ChangeKind.REFERENCE: "reference",
    ChangeKind.RENUMBERED: "renumbered clause",
}


def notice_href(document_id: str, version: str, site: str | None = None) -> str:
    """Where the notice of a release is published: ``notices/<document>/<version>.html``,
    under ``site`` when given. The feed links here; `terms notice -o` writes it."""
    path = f"notices/{urllib.parse.quote(document_id)}/{urllib.parse.quote(version)}.html"
    return f"{site.rstrip('/')}/{path}" if site else path


def cite(number: str, style: str, lang: str) -> str:
    """A clause's number as a reader cites it: "第2.3.1条", "clause 2.3.1", "第三条"."""
    written = number_label(number, style, lang)
    if written != number:  # the style writes it in words already ("第三条", "Article 3")
        return written
    return say("cite clause", lang, n=number)


def place(change: ClauseChange, style: str, lang: str) -> str:
    """Where a changed clause is, in words: its new number and, where it differs, the old
    one ("第2.3.1条（原第2.3.2条）", "clause 2.3.1 (formerly 2.3.2)", "clause 11.4
    (moved from 6.6 to 11.4)"); a removed clause by its old number; "" if unnumbered."""
    new, old = change.number_to, change.number_from
    if new is None:
        return cite(old, style, lang) if old else ""
    if not new:
        return ""
    current = cite(new, style, lang)
    if not old or old == new:
        return current
    key = "cite moved" if change.kind is ChangeKind.MOVED else "cite renumbered"
    return say(key, lang, cite=current, old=cite(old, style, lang),
               was=number_label(old, style, lang), n=number_label(new, style, lang))


@dataclass(frozen=True, slots=True)
class ChangedClause:
    """A clause a customer is told about: what happened to it, with its titles."""

    id: str
    number: str  # the new number, or the old one for a removed clause
    title: Texts  # the clause's title; for an untitled clause, the start of its text
    change: ClauseChange


def kind_name(clause: ChangedClause, languages: Sequence[str]) -> str:
    """The kind of change in each language, e.g. "修改 modified"."""
    return say_all(KIND_WORDS[clause.change.kind], languages)


def _tells_customer(change: ClauseChange) -> bool:
    if change.kind in (ChangeKind.ADDED, ChangeKind.REMOVED):
        return True
    if change.kind in (ChangeKind.RENUMBERED, ChangeKind.REFERENCE):
        return False
    return change.text_changed or change.kind is ChangeKind.MOVED


# Characters of an untitled clause that name it in a list: fewer where each is a word.
_EXCERPT, _EXCERPT_BY_CHARACTER = 60, 24


def preamble(languages: Sequence[str]) -> Texts:
    """What a reader calls an untitled, unnumbered clause that opens a document."""
    return Texts.of({lang: say("preamble", lang) for lang in languages})


def _label(clause: Clause | None, document: Document | None = None) -> Texts:
    """The title of a clause; for an untitled preamble "序言 / Preamble" (in the
    document's languages); else the beginning of its text."""
    if clause is None:
        return Texts()
    if clause.title:
        return clause.title
    if document is not None and not clause.number and document.clauses \
            and document.clauses[0].id == clause.id:
        return preamble(document.manifest.languages)
    labels = {}
    for lang, text in clause.body.items:
        plain = single_line(text)
        limit = _EXCERPT_BY_CHARACTER if by_character(lang) else _EXCERPT
        labels[lang] = plain[:limit] + ("…" if len(plain) > limit else "")
    return Texts.of(labels)


@dataclass(frozen=True, slots=True)
class ReleaseChanges:
    """One release of one document compared with the release before it."""

    document: Document  # the text of this release
    previous: Document | None  # the text of the release before; None for the first
    release: Release
    diff: DocumentDiff
    corrections: tuple[Correction, ...] = ()  # declared by the commits of this release

    @property
    def style(self) -> str:
        """How the document writes its numbers (document.yaml ``numbering``)."""
        return self.document.manifest.numbering

    def corrected(self) -> tuple[tuple[str, Texts, Correction], ...]:
        """Each declared correction with the number and title of its clause now."""
        out = []
        for fix in self.corrections:
            clause = self.document.clause(fix.clause)
            if clause is not None:
                out.append((clause.number, _label(clause, self.document), fix))
        return tuple(out)

    def _only_corrected(self, change: ClauseChange) -> bool:
        """True when a clause's whole change is its declared corrections: it is listed
        under corrections, not as a changed clause."""
        fixes = [f for f in self.corrections if f.clause == change.id]
        if not fixes or self.previous is None or change.kind is not ChangeKind.MODIFIED:
            return False
        old, new = self.previous.clause(change.old_id or change.id), \
            self.document.clause(change.id)
        if old is None or new is None:
            return False
        for lang in self.document.manifest.languages:
            text = old.body.get(lang)
            for fix in fixes:
                text = text.replace(fix.old, fix.new)
            if text != new.body.get(lang) or old.title.get(lang) != new.title.get(lang):
                return False
        return True

    def renumbering(self) -> tuple[tuple[str, str], ...]:
        """(old, new) number of every clause still there whose number changed, in the
        document's order, written as the document writes them."""
        lang = self.document.manifest.languages[0]
        return tuple((number_label(c.number_from, self.style, lang),
                      number_label(c.number_to, self.style, lang))
                     for c in self.diff.changes
                     if c.number_from and c.number_to and c.number_from != c.number_to)

    @property
    def first(self) -> bool:
        """True for the first release: nothing to compare with."""
        return self.previous is None

    def clauses(self) -> tuple[ChangedClause, ...]:
        """The clauses whose text changed, added, removed or moved, in document order."""
        out = []
        for change in self.diff.changes:
            if not _tells_customer(change) or self._only_corrected(change):
                continue
            source = self.document if change.number_to is not None else self.previous
            clause = source.clause(change.id if source is self.document
                                   else change.old_id or change.id) if source else None
            number = change.number_to if change.number_to is not None \
                else change.number_from or ""
            out.append(ChangedClause(change.id, number, _label(clause, source), change))
        return tuple(out)

    def renumbered(self) -> int:
        """How many clauses only changed number (or only their cross-reference numbers)."""
        return sum(1 for c in self.diff.changes
                   if c.kind in (ChangeKind.RENUMBERED, ChangeKind.REFERENCE))


@dataclass(frozen=True, slots=True)
class ChangeClauseQuote:
    """The clause that says what a customer may do, and where it comes from."""

    clause: Clause
    document: Document


def find_change_clause(document: Document, others: Sequence[Document],
                       clause_id: str) -> ChangeClauseQuote | None:
    """The change clause: in ``document`` first, then in ``others``, by id."""
    for candidate in (document, *others):
        clause = candidate.clause(clause_id)
        if clause is not None:
            return ChangeClauseQuote(clause, candidate)
    return None


@dataclass(frozen=True, slots=True)
class Notice:
    """Everything one document's notice shows."""

    changes: ReleaseChanges
    quote: ChangeClauseQuote | None  # None when the document names no change clause

    @property
    def languages(self) -> tuple[str, ...]:
        """The document's languages, authoritative first as in document.yaml."""
        return self.changes.document.manifest.languages


def doc_title(document: Document, lang: str) -> str:
    """The document's title in ``lang`` on one line, or its id when it has none."""
    return single_line(document.manifest.title.get(lang)) or document.id


def notice_days(release: Release) -> int:
    """Days between the announcement and the effective date."""
    return (release.effective - release.announced).days


def renumbered_note(count: int, languages: Sequence[str]) -> str:
    """The sentence counting clauses whose text is unchanged but for numbering."""
    return say_all("renumbered", languages, count=count)


def sentence(key: str, languages: Sequence[str]) -> str:
    """A phrase of the wording table as a sentence in each language, e.g.
    "条款文本未变更。 No clause text changed."."""
    return " ".join(dict.fromkeys(say(key, lang) + say("full stop", lang)
                                  for lang in languages))


def quote_label(quote: ChangeClauseQuote, lang: str) -> str:
    """Where the quoted clause comes from: its number and the document's title, and the
    version in force when the notice is published (the customer's rights come from it)."""
    number = quote.clause.number
    title = doc_title(quote.document, lang)
    cited = cite(number, quote.document.manifest.numbering, lang) if number else ""
    version = quote.document.manifest.version
    if cited:
        return say("clause in force", lang, cited=cited, title=title, version=version)
    return say("document in force", lang, title=title, version=version)
