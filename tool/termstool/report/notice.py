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

Three renderings share one model: Markdown (escaped like `terms diff` Markdown), HTML
(Jinja2 with autoescape) and plain text. Everything from a clause file is escaped.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from termstool.compare.clause_diff import ChangeKind, ClauseChange, DocumentDiff
from termstool.compare.text_diff import DELETE, INSERT, Segment, segments
from termstool.format.commonmark import escape_markdown, to_plain
from termstool.history.document_history import Release
from termstool.model.document import Clause, Document, Texts
from termstool.render.blocks import to_html, to_markdown

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


def notice_href(document_id: str, version: str, site: str | None = None) -> str:
    """Where the notice of a release is published: ``notices/<document>/<version>.html``,
    under ``site`` when given. The feed links here; `terms notice -o` writes it."""
    path = f"notices/{urllib.parse.quote(document_id)}/{urllib.parse.quote(version)}.html"
    return f"{site.rstrip('/')}/{path}" if site else path


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


def _label(clause: Clause | None) -> Texts:
    """The title of a clause, or the beginning of its text when it has none."""
    if clause is None:
        return Texts()
    if clause.title:
        return clause.title
    labels = {}
    for lang, text in clause.body.items:
        plain = " ".join(to_plain(text, {}).split())
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

    @property
    def first(self) -> bool:
        """True for the first release: nothing to compare with."""
        return self.previous is None

    def clauses(self) -> tuple[ChangedClause, ...]:
        """The clauses whose text changed, added, removed or moved, in document order."""
        out = []
        for change in self.diff.changes:
            if not _tells_customer(change):
                continue
            source = self.document if change.number_to is not None else self.previous
            clause = source.clause(change.id if source is self.document
                                   else change.old_id or change.id) if source else None
            number = change.number_to if change.number_to is not None \
                else change.number_from or ""
            out.append(ChangedClause(change.id, number, _label(clause), change))
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


def _numbers(document: Document) -> dict[str, str]:
    return {c.id: c.number for c in document.walk()}


def _single_line(text: str) -> str:
    return " ".join(to_plain(text, {}).split())


def _doc_title(document: Document, lang: str) -> str:
    return _single_line(document.manifest.title.get(lang)) or document.id


def _days(release: Release) -> int:
    return (release.effective - release.announced).days


def renumbered_note(count: int) -> str:
    """The sentence counting clauses whose text is unchanged but for numbering."""
    return (f"另有 {count} 个条款仅编号或所引条款编号变化，内容未变。 {count} other clause(s) "
            "changed only in numbering (their own, or that of a clause they refer to).")


# ------------------------------------------------------------------------------ Markdown

def _redline_markdown(change: ClauseChange, lang: str) -> str:
    from termstool.render.redline_markdown import redline_body

    return redline_body(change, lang)


def _clause_heading_md(clause: ChangedClause, languages: Sequence[str]) -> str:
    titles = " / ".join(escape_markdown(_single_line(clause.title.get(lang)))
                        for lang in languages if clause.title.get(lang))
    zh, en = kind_names(clause)
    number = escape_markdown(clause.number) if clause.number else f"`{clause.id}`"
    return f"### {number} {titles} ({zh} {en})".replace("  ", " ")


def notice_markdown(notices: Sequence[Notice]) -> str:
    """The notices as Markdown, one section per document."""
    return "\n\n".join(_notice_markdown(n) for n in notices).rstrip("\n") + "\n"


def _notice_markdown(notice: Notice) -> str:
    item = notice.changes
    doc, release, langs = item.document, item.release, notice.languages
    out = []
    for index, lang in enumerate(langs):
        suffix = " 变更公告" if lang == "zh" else ": Notice of Changes"
        out.append(f"{'#' if index == 0 else '##'} {escape_markdown(_doc_title(doc, lang))}"
                   f"{suffix}")
    out.append("| 版本 Version | 公告日期 Announced | 生效日期 Effective |\n|---|---|---|\n"
               f"| {escape_markdown(release.version)} | {release.announced.isoformat()} | "
               f"{release.effective.isoformat()} |")
    out.append(f"本公告于 {release.announced} 发布，以下变更自 {release.effective} 起生效"
               f"（提前 {_days(release)} 天公告）。  \nThis notice is published on "
               f"{release.announced}; the changes below take effect on {release.effective} "
               f"({_days(release)} days after this notice).")
    if release.exception:
        out.append(f"> 通知期例外 Notice period exception: {escape_markdown(release.exception)}")
    out.append(_changes_markdown(notice))
    out.append(_quote_markdown(notice))
    return "\n\n".join(out)


def _changes_markdown(notice: Notice) -> str:
    item = notice.changes
    langs = notice.languages
    if item.first:
        return "## 首次发布 First publication\n\n本文件首次发布。 This is the first " \
               "published version of this document."
    clauses = item.clauses()
    out = ["## 变更条款 Changed clauses"]
    if not clauses:
        out.append("条款文本未变更。 No clause text changed.")
    else:
        rows = ["| 条款 Clause | 标题 Title | 变更 Change |", "|---|---|---|"]
        for clause in clauses:
            titles = " / ".join(escape_markdown(_single_line(clause.title.get(lang)))
                                for lang in langs if clause.title.get(lang))
            zh, en = kind_names(clause)
            number = escape_markdown(clause.number) if clause.number else "·"
            rows.append(f"| {number} | {titles or '—'} | {zh} {en} |")
        out.append("\n".join(rows))
    renumbered = item.renumbered()
    if renumbered:
        out.append(renumbered_note(renumbered))
    numbers = _numbers(item.document)
    for clause in clauses:
        out.append(_clause_heading_md(clause, langs))
        new = item.document.clause(clause.id) if clause.change.number_to is not None else None
        if new is None:
            out.append("本条删除。 This clause is removed.")
        else:
            out.append("**修改后条文 New text**")
            for lang in langs:
                text = to_markdown(new.body.get(lang), numbers, lambda target: target)
                if text:
                    out.append(f"*{escape_markdown(LANGUAGE_NAMES.get(lang, lang))}*\n\n{text}")
        if clause.change.kind is not ChangeKind.ADDED:
            redlines = [f"*{escape_markdown(LANGUAGE_NAMES.get(lang, lang))}*\n\n"
                        f"{_redline_markdown(clause.change, lang)}" for lang in langs
                        if clause.change.text(lang) is not None]
            out.append("<details>\n<summary>修订对照 Redline</summary>\n\n"
                       + "\n\n".join(redlines) + "\n\n</details>")
    return "\n\n".join(out)


def _quote_label(quote: ChangeClauseQuote, lang: str) -> str:
    number = quote.clause.number
    title = _doc_title(quote.document, lang)
    if lang == "zh":
        return f"《{title}》第 {number} 条" if number else f"《{title}》"
    return f"clause {number} of the {title}" if number else f"the {title}"


def _quote_markdown(notice: Notice) -> str:
    quote = notice.quote
    numbers = _numbers(quote.document)
    out = ["## 您的权利 What you may do"]
    for lang in notice.languages:
        text = to_markdown(quote.clause.body.get(lang), numbers, lambda target: target,
                           "\n>\n> ")
        if not text:
            continue
        label = escape_markdown(_quote_label(quote, lang))
        lead = f"根据{label}：" if lang == "zh" else f"Under {label}:"
        out.append(f"{lead}\n\n> {text}")
    return "\n\n".join(out)


# ---------------------------------------------------------------------------------- text

def _segments_text(items: Sequence[Segment]) -> str:
    out = []
    for segment in items:
        if segment.op == DELETE:
            out.append(f"[-{segment.text}-]")
        elif segment.op == INSERT:
            out.append(f"{{+{segment.text}+}}")
        else:
            out.append(segment.text)
        if segment.note:
            out.append(f" [{segment.note}]")
    return "".join(out)


def redline_text(change: ClauseChange, lang: str) -> str:
    """One language of a change as plain text, deletions ``[-…-]``, insertions ``{+…+}``
    (the markers of ``git diff --word-diff``)."""
    diff = change.text(lang)
    if diff is None or not diff.ops:
        return "(no text)"
    return _segments_text(segments(diff.ops))


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line else "" for line in text.split("\n"))


def notice_text(notices: Sequence[Notice]) -> str:
    """The notices as plain text, e.g. for an e-mail."""
    return "\n\n\n".join(_notice_text(n) for n in notices).rstrip("\n") + "\n"


def _notice_text(notice: Notice) -> str:
    item = notice.changes
    doc, release, langs = item.document, item.release, notice.languages
    out = [_doc_title(doc, lang) + (" 变更公告" if lang == "zh" else ": Notice of Changes")
           for lang in langs]
    out.append("")
    out.append(f"版本 Version: {release.version}")
    out.append(f"公告日期 Announced: {release.announced}")
    out.append(f"生效日期 Effective: {release.effective} ({_days(release)} days)")
    if release.exception:
        out.append(f"通知期例外 Notice period exception: {release.exception}")
    out.append("")
    if item.first:
        out.append("首次发布 First publication")
    else:
        clauses = item.clauses()
        out.append("变更条款 Changed clauses" if clauses
                   else "条款文本未变更 No clause text changed")
        numbers = _numbers(item.document)
        for clause in clauses:
            zh, en = kind_names(clause)
            titles = " / ".join(_single_line(clause.title.get(lang)) for lang in langs
                                if clause.title.get(lang))
            out.append("")
            out.append(f"{clause.number or clause.id} {titles} ({zh} {en})".replace("  ", " "))
            new = item.document.clause(clause.id) if clause.change.number_to is not None \
                else None
            if new is None:
                out.append("  本条删除。 This clause is removed.")
            for lang in langs:
                name = LANGUAGE_NAMES.get(lang, lang)
                if new is not None and new.body.get(lang):
                    out.append(f"  {name}:")
                    out.append(_indent(to_plain(new.body.get(lang), numbers)))
                if clause.change.kind is not ChangeKind.ADDED \
                        and clause.change.text(lang) is not None:
                    out.append(f"  {name} 修订对照 redline:")
                    out.append(_indent(redline_text(clause.change, lang)))
        if item.renumbered():
            out.append("")
            out.append(renumbered_note(item.renumbered()))
    out.append("")
    out.append("您的权利 What you may do")
    numbers = _numbers(notice.quote.document)
    for lang in langs:
        text = to_plain(notice.quote.clause.body.get(lang), numbers)
        if text:
            label = _quote_label(notice.quote, lang)
            lead = f"根据{label}：" if lang == "zh" else f"Under {label}:"
            out.append(f"{lead}\n{_indent(text)}")
    return "\n".join(out)


# ---------------------------------------------------------------------------------- HTML

def notice_html(notices: Sequence[Notice]) -> str:
    """The notices as one self-contained HTML page (inline CSS, no script)."""
    from markupsafe import Markup

    from termstool.render.html import environment
    from termstool.render.redline_html import segments_html

    pages = []
    for notice in notices:
        item = notice.changes
        numbers = _numbers(item.document)

        def anchor(target: str) -> str:
            return target

        clauses = []
        for clause in (() if item.first else item.clauses()):
            new = item.document.clause(clause.id) if clause.change.number_to is not None \
                else None
            zh, en = kind_names(clause)
            clauses.append({
                "id": clause.id, "number": clause.number, "kind": f"{zh} {en}",
                "titles": [_single_line(clause.title.get(lang)) for lang in notice.languages
                           if clause.title.get(lang)],
                "texts": [(lang, LANGUAGE_NAMES.get(lang, lang),
                           Markup(to_html(new.body.get(lang), numbers, anchor)))
                          for lang in notice.languages if new is not None
                          and new.body.get(lang)],
                "redlines": [] if clause.change.kind is ChangeKind.ADDED else [
                    (lang, LANGUAGE_NAMES.get(lang, lang),
                     segments_html(segments(diff.ops)))
                    for lang in notice.languages
                    if (diff := clause.change.text(lang)) is not None],
                "removed": new is None,
            })
        quote_numbers = _numbers(notice.quote.document)
        pages.append({
            "id": item.document.id,
            "titles": [(lang, _doc_title(item.document, lang)) for lang in notice.languages],
            "release": item.release, "days": _days(item.release), "first": item.first,
            "clauses": clauses,
            "renumbered": renumbered_note(item.renumbered()) if item.renumbered() else "",
            "quote": [(lang, _quote_label(notice.quote, lang),
                       Markup(to_html(notice.quote.clause.body.get(lang), quote_numbers,
                                      anchor)))
                      for lang in notice.languages if notice.quote.clause.body.get(lang)],
        })
    template = environment().get_template("notice.html.j2")
    return template.render(notices=pages, lang=notices[0].languages[0] if notices else "zh")

