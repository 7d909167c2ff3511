"""The customer notice of a release as plain text, e.g. for an e-mail."""

from __future__ import annotations

from collections.abc import Sequence

from termstool.compare.clause_diff import ChangeKind
from termstool.format.commonmark import single_line, to_plain
from termstool.render.redline_text import redline_text
from termstool.report.notice import (
    CORRECTION_NOTE,
    CORRECTIONS_HEADING,
    LANGUAGE_NAMES,
    RENUMBERING_HEADING,
    Notice,
    cite,
    doc_title,
    kind_names,
    notice_days,
    place,
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
            places = " / ".join(p for lang in langs
                              if (p := place(clause.change, item.style, lang)))
            out.append(" ".join(part for part in (places, titles, f"({zh} {en})") if part))
            new = item.document.clause(clause.id) if clause.change.number_to is not None \
                else None
            if new is None:
                out.append("  本条删除。 This clause is removed.")
            elif not clause.change.text_changed:
                out.append("  本条仅移动位置，文字未变。 This clause moved; its text is unchanged.")
                continue
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
        corrected = item.corrected()
        if corrected:
            out += ["", CORRECTIONS_HEADING, CORRECTION_NOTE]
            for number, title, fix in corrected:
                where = " ".join(cite(number, item.style, lang) for lang in langs) \
                    if number else " / ".join(single_line(title.get(lang)) for lang in langs
                                              if title.get(lang))
                out.append(f"  {where}: “{fix.old}” → “{fix.new}” ({fix.reason})")
    out.append("")
    out.append("您的权利 What you may do")
    numbers = notice.quote.document.numbers()
    for lang in langs:
        text = to_plain(notice.quote.clause.body.get(lang), numbers)
        if text:
            label = quote_label(notice.quote, lang)
            lead = f"根据{label}：" if lang == "zh" else f"Under {label}:"
            out.append(f"{lead}\n{_indent(text)}")
    pairs = () if item.first else item.renumbering()
    if pairs:
        out += ["", RENUMBERING_HEADING, "  原编号 Old → 新编号 New"]
        out += [f"  {old} → {new}" for old, new in pairs]
    return "\n".join(out)
