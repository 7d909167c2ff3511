"""The whole-document redline as one HTML page (``terms diff --full``).

Every clause in order, unchanged ones as normal text, changes inline: the same document
as the Word redline (:mod:`termstool.render.redline_docx`) and, laid out, the PDF. The
numbers are the new ones with the old in brackets where they changed. Insertions are
underlined and deletions struck through, so the page prints in black and white; a
paragraph break that was added or removed shows as a marked ¶. Everything from the
repository is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from termstool.compare.text_diff import DELETE, EQUAL, INSERT, OpCode
from termstool.format.commonmark import to_plain
from termstool.format.numbering import number_mark
from termstool.model.languages import each_once, language_name, say, say_all, union
from termstool.render.full_redline import (
    DocumentRedline,
    Entry,
    FullRedline,
    LanguageRedline,
    Piece,
    Presence,
)
from termstool.render.jinja import environment

_WRAP = {INSERT: "ins", DELETE: "del"}


def _anchor(document: DocumentRedline, entry: Entry) -> str:
    gone = entry.presence in (Presence.REMOVED, Presence.MOVED_FROM)
    return f"{document.id}--{'was-' if gone else ''}{entry.id}"


def _pieces(pieces: Sequence[Piece], anchors: dict[str, str]) -> str:
    out: list[str] = []
    for piece in pieces:
        text = str(escape(piece.text)).replace("\n", "<br>")
        style = piece.style
        if style.code:
            text = f"<code>{text}</code>"
        if style.italic:
            text = f"<em>{text}</em>"
        if style.bold:
            text = f"<strong>{text}</strong>"
        if style.link is not None:
            href = f"#{anchors[style.link[1:]]}" if style.link.startswith("#") \
                and style.link[1:] in anchors else (None if style.link.startswith("#")
                                                    else style.link)
            if href is not None:
                text = f'<a href="{escape(href)}">{text}</a>'
        if piece.op != EQUAL:
            text = f"<{_WRAP[piece.op]}>{text}</{_WRAP[piece.op]}>"
        out.append(text)
    return "".join(out)


def _mark(op: OpCode) -> str:
    return "" if op == EQUAL else f'<{_WRAP[op]} class="pilcrow">¶</{_WRAP[op]}>'


def _number(entry: Entry, op: OpCode, style: str, lang: str) -> str:
    parts = []
    if entry.number:
        parts.append(f'<span class="num">{escape(number_mark(entry.number, style, lang))}'
                     "</span>")
    if entry.old_number is not None and entry.old_number != entry.number \
            and (entry.number or entry.old_number):
        old = number_mark(entry.old_number, style, lang) if entry.old_number else "·"
        parts.append(f'<span class="was">[{escape(old)}]</span>')
    text = " ".join(parts)
    if text and op != EQUAL:
        text = f"<{_WRAP[op]}>{text}</{_WRAP[op]}>"
    return text + (" " if text else "")


def language_html(entry: Entry, lr: LanguageRedline, anchors: dict[str, str],
                  style: str) -> Markup:
    """One language of an entry as HTML paragraphs, the number first, changes inline;
    ``anchors`` maps clause ids to the anchors cross-references link to on the page
    (the public site shows its redlines with this too)."""
    out = []
    for index, para in enumerate(lr.paragraphs):
        number = _number(entry, lr.number_op, style, lr.lang) if index == 0 else ""
        css = "clause-title" if para.role == "title" else "text"
        out.append(f'<p class="{css}">{number}{_pieces(para.pieces, anchors)}'
                   f"{_mark(para.mark)}</p>")
    if lr.note:
        out.append(f'<p class="note">[{escape(lr.note)}]</p>')
    return Markup("\n".join(out))


@dataclass(frozen=True, slots=True)
class _Section:
    anchor: str
    presence: str
    changed: bool
    depth: int
    note: str
    languages: tuple[tuple[str, Markup], ...]


def _note(entry: Entry, partners: dict[str, Entry]) -> str:
    partner = partners.get(entry.id)
    if entry.presence is Presence.MOVED_FROM:
        where = f" to {partner.number}" if partner is not None and partner.number else ""
        return f"Moved{where} · 已移动"
    if entry.presence is Presence.MOVED_TO:
        old = entry.old_number
        return f"Moved from {old or '·'} · 移自 {old or '·'}"
    if entry.presence is Presence.ADDED:
        return "New clause · 新增条款"
    if entry.presence is Presence.REMOVED:
        return "Clause removed · 条款删除"
    return ""


def redline_full_html(full: FullRedline, languages: Sequence[str] | None = None) -> str:
    """The whole-document redline as one HTML page, in ``languages`` (default: every
    language of the documents)."""
    if languages is None:
        languages = union(d.languages for d in full.documents)
    pages = []
    for document in full.documents:
        anchors = {e.id: _anchor(document, e) for e in document.entries
                   if e.presence not in (Presence.REMOVED, Presence.MOVED_FROM)}
        partners = {(e.change.old_id or e.id) if e.change else e.id: e
                    for e in document.entries if e.presence is Presence.MOVED_TO}
        sections = []
        for entry in document.entries:
            shown = tuple((lr.lang, language_html(entry, lr, anchors, document.numbering))
                          for lr in entry.languages
                          if lr.lang in languages and lr.paragraphs)
            sections.append(_Section(_anchor(document, entry), entry.presence.value,
                                     entry.changed, entry.depth, _note(entry, partners),
                                     shown))
        titles = [to_plain(document.title.get(lang), {}) for lang in languages
                  if document.title.get(lang)] or [document.id]
        pages.append({"document": document, "titles": titles, "sections": sections,
                      "changes": sum(1 for s in sections if s.changed)})
    template = environment().get_template("redline_full.html.j2")
    return template.render(redline=full, pages=pages, languages=list(languages),
                           names={lang: language_name(lang) for lang in languages},
                           heading=say_all("redline", languages),
                           legend=each_once([(lang, say("redline legend", lang))
                                             for lang in languages]))
