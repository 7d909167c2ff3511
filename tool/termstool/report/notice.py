"""The customer notice of a release: what changes, when, and what the customer may do.

A notice is generated from the repository, never retyped: the title, version and dates
come from ``document.yaml``; the changed clauses, their new text and the redline from
comparing the release with the one before it (:mod:`termstool.compare.clause_diff`); and "what
you may do" is quoted from the terms themselves.

**The change clause.** The clause quoted under "what you may do" is found by its id, by
default ``s3-2-11`` (clause 3.2.11 of the Terms of Service: changes are announced 30 days
ahead, a customer who disagrees may stop using the service, continued use means
acceptance). It is looked up first in the document being announced, then in the other
documents given (so a notice for the SLA quotes the Terms of Service); `terms notice
--change-clause ID` names another clause. Ids are stable across versions and
renumbering, so the quote follows the clause wherever it moves; a notice is refused
rather than printed without it.

This module is the notice as data and the wording its renderings share; the renderings
are :mod:`termstool.render.notice_markdown`, :mod:`~termstool.render.notice_text` and
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
from termstool.model.document import Clause, Document, Manifest, Texts

DEFAULT_CHANGE_CLAUSE = "s3-2-11"

# Kinds of change a customer is told about, in both languages. A bare renumbering or a
# cross-reference number that follows it changes no obligation: those are counted only.
KIND_NAMES: Mapping[ChangeKind, tuple[str, str]] = {
    ChangeKind.ADDED: ("新增", "added"),
    ChangeKind.REMOVED: ("删除", "removed"),
    ChangeKind.MODIFIED: ("修改", "modified"),
    ChangeKind.MOVED: ("移动", "moved"),
    ChangeKind.RENAMED: ("修改", "modified"),
    ChangeKind.REFERENCE: ("引用编号更新", "cross-reference numbers updated"),
    ChangeKind.RENUMBERED: ("重新编号", "renumbered"),
}
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}

# How a notice cites a clause, per language: the clause ({n}: its number as the document
# writes it), a renumbered one ({old}: its former number cited, {was}: as written) and
# a moved one. A language missing here cites the number alone.
CITE: Mapping[str, tuple[str, str, str]] = {
    "zh": ("第{n}条", "{cite}（原{old}）", "{cite}（由{old}移至{cite}）"),
    "en": ("clause {n}", "{cite} (formerly {was})", "{cite} (moved from {was} to {n})"),
}
CORRECTIONS_HEADING = "更正 Corrections"
CORRECTION_NOTE = ("以下更正仅修正文字错误，不改变条款含义。 These corrections fix "
                   "typing errors only; they do not change what the clauses mean.")
RENUMBERING_HEADING = "条款编号对照 Renumbering"


def notice_href(document_id: str, version: str, site: str | None = None) -> str:
    """Where the notice of a release is published: ``notices/<document>/<version>.html``,
    under ``site`` when given. The feed links here; `terms notice -o` writes it."""
    path = f"notices/{urllib.parse.quote(document_id)}/{urllib.parse.quote(version)}.html"
    return f"{site.rstrip('/')}/{path}" if site else path


def cite(number: str, style: str, lang: str) -> str:
    """A clause's number as a reader cites it: "第3.2.10条", "clause 3.2.10", "第三条"."""
    written = number_label(number, style, lang)
    if written != number:  # the style writes it in words already ("第三条", "Article 3")
        return written
    template = CITE.get(lang, CITE.get(lang.split("-")[0], ("{n}", "", "")))[0]
    return template.format(n=number)


def place(change: ClauseChange, style: str, lang: str) -> str:
    """Where a changed clause is, in words: its new number and, where it differs, the old
    one ("第3.2.10条（原第3.2.11条）", "clause 3.2.10 (formerly 3.2.11)", "clause 11.4
    (moved from 6.6 to 11.4)"); a removed clause by its old number; "" if unnumbered."""
    new, old = change.number_to, change.number_from
    if new is None:
        return cite(old, style, lang) if old else ""
    if not new:
        return ""
    current = cite(new, style, lang)
    if not old or old == new:
        return current
    templates = CITE.get(lang, CITE.get(lang.split("-")[0]))
    if templates is None:
        return f"{new} ({old})"
    template = templates[2] if change.kind is ChangeKind.MOVED else templates[1]
    return template.format(cite=current, old=cite(old, style, lang),
                           was=number_label(old, style, lang), n=number_label(new, style, lang))


@dataclass(frozen=True, slots=True)
class ChangedClause:
    """A clause a customer is told about: what happened to it, with its titles."""

    id: str
    number: str  # the new number, or the old one for a removed clause
    title: Texts  # the clause's title; for an untitled clause, the start of its text
    change: ClauseChange


def kind_names(clause: ChangedClause) -> tuple[str, str]:
    """The kind of change in Chinese and English, e.g. ("修改", "modified")."""
    return KIND_NAMES[clause.change.kind]


def _tells_customer(change: ClauseChange) -> bool:
    if change.kind in (ChangeKind.ADDED, ChangeKind.REMOVED):
        return True
    if change.kind in (ChangeKind.RENUMBERED, ChangeKind.REFERENCE):
        return False
    return change.text_changed or change.kind is ChangeKind.MOVED


_EXCERPT = {"zh": 24, "en": 60}  # characters of an untitled clause that name it in a list
# What a reader calls an untitled, unnumbered clause that opens a document.
PREAMBLE = Texts.of({"zh": "序言", "en": "Preamble"})


def _label(clause: Clause | None, document: Document | None = None) -> Texts:
    """The title of a clause; for an untitled preamble "序言 / Preamble"; else the
    beginning of its text."""
    if clause is None:
        return Texts()
    if clause.title:
        return clause.title
    if document is not None and not clause.number and document.clauses \
            and document.clauses[0].id == clause.id:
        return PREAMBLE
    labels = {}
    for lang, text in clause.body.items:
        plain = single_line(text)
        limit = _EXCERPT.get(lang, 40)
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
                       clause_id: str = DEFAULT_CHANGE_CLAUSE) -> ChangeClauseQuote | None:
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
    quote: ChangeClauseQuote

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


def renumbered_note(count: int) -> str:
    """The sentence counting clauses whose text is unchanged but for numbering."""
    return (f"另有 {count} 个条款仅编号或所引条款编号变化，内容未变。 {count} other clause(s) "
            "changed only in numbering (their own, or that of a clause they refer to).")


def quote_label(quote: ChangeClauseQuote, lang: str) -> str:
    """Where the quoted clause comes from: its number and the document's title, and the
    version in force when the notice is published (the customer's rights come from it)."""
    number = quote.clause.number
    title = doc_title(quote.document, lang)
    cited = cite(number, quote.document.manifest.numbering, lang) if number else ""
    version = quote.document.manifest.version
    if lang == "zh":
        return f"现行《{title}》（版本 {version}）{cited}"
    return (f"{cited} of the {title} in force (version {version})" if cited
            else f"the {title} in force (version {version})")


def upcoming_banner(document: Document | Manifest, upcoming: Release) -> str:
    """The bilingual banner over terms that a published release will replace: the
    version and dates only, never a command (customers read it)."""
    manifest = document if isinstance(document, Manifest) else document.manifest
    zh = single_line(manifest.title.get("zh")) or manifest.id
    en = single_line(manifest.title.get("en")) or manifest.id
    return (f"《{zh}》将于 {upcoming.effective} 变更（版本 {upcoming.version}，"
            f"{upcoming.announced} 公告）。 {en}: these terms change on {upcoming.effective} "
            f"(version {upcoming.version}, announced {upcoming.announced}).")


def window_banner(manifest: Manifest, release: Release, in_force: Release | None) -> str:
    """The bilingual banner over amended terms during their notice period."""
    zh = single_line(manifest.title.get("zh")) or manifest.id
    en = single_line(manifest.title.get("en")) or manifest.id
    until_zh = f"在此之前有效的是版本 {in_force.version}" if in_force else "此前无有效版本"
    until_en = (f"the text in force until then is version {in_force.version}" if in_force
                else "no earlier version is in force")
    return (f"《{zh}》本版本（{release.version}）于 {release.announced} 公告，"
            f"{release.effective} 生效；{until_zh}。 {en} version {release.version}: "
            f"announced {release.announced}, effective {release.effective}; {until_en}.")
