"""The customer notice of a release as plain text, e.g. for an e-mail."""

from __future__ import annotations

from collections.abc import Sequence

from termstool.compare.clause_diff import ChangeKind
from termstool.format.commonmark import single_line, to_plain
from termstool.render.redline_text import redline_text
from termstool.report.notice import (
    LANGUAGE_NAMES,
    Notice,
    doc_title,
    kind_names,
    notice_days,
    quote_label,
    renumbered_note,
)


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line else "" for line in text.split("\n"))


def notice_text(notices: Sequence[Notice]) -> str:
    """The notices as plain text, e.g. for an e-mail."""
    return "\n\n\n".join(_notice_text(n) for n in notices).rstrip("\n") + "\n"


def _notice_text(notice: Notice) -> str:
    item = notice.changes
    doc, release, langs = item.document, item.release, notice.languages
    out = [doc_title(doc, lang) + (" 变更公告" if lang == "zh" else ": Notice of Changes")
           for lang in langs]
    out.append("")
    out.append(f"版本 Version: {release.version}")
    out.append(f"公告日期 Announced: {release.announced}")
    out.append(f"生效日期 Effective: {release.effective} ({notice_days(release)} days)")
    if release.exception:
        out.append(f"通知期例外 Notice period exception: {release.exception}")
    out.append("")
    if item.first:
        out.append("首次发布 First publication")
    else:
        clauses = item.clauses()
        out.append("变更条款 Changed clauses" if clauses
                   else "条款文本未变更 No clause text changed")
        numbers = item.document.numbers()
        for clause in clauses:
            zh, en = kind_names(clause)
            titles = " / ".join(single_line(clause.title.get(lang)) for lang in langs
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
    numbers = notice.quote.document.numbers()
    for lang in langs:
        text = to_plain(notice.quote.clause.body.get(lang), numbers)
        if text:
            label = quote_label(notice.quote, lang)
            lead = f"根据{label}：" if lang == "zh" else f"Under {label}:"
            out.append(f"{lead}\n{_indent(text)}")
    return "\n".join(out)
