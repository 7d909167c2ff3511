"""The customer notice of a release as Markdown, escaped like the `terms diff` Markdown."""

from __future__ import annotations

from collections.abc import Sequence

from termstool.compare.clause_diff import ChangeKind
from termstool.format.commonmark import escape_markdown, single_line
from termstool.render.blocks import to_markdown
from termstool.render.redline_markdown import redline_body
from termstool.report.notice import (
    CORRECTION_NOTE,
    CORRECTIONS_HEADING,
    LANGUAGE_NAMES,
    RENUMBERING_HEADING,
    ChangedClause,
    Notice,
    ReleaseChanges,
    cite,
    doc_title,
    kind_names,
    notice_days,
    place,
    quote_label,
    renumbered_note,
)


def _clause_heading_md(clause: ChangedClause, item: ReleaseChanges,
                       languages: Sequence[str]) -> str:
    titles = " / ".join(escape_markdown(single_line(clause.title.get(lang)))
                        for lang in languages if clause.title.get(lang))
    zh, en = kind_names(clause)
    places = " / ".join(escape_markdown(p) for lang in languages
                      if (p := place(clause.change, item.style, lang)))
    return " ".join(part for part in ("###", places, titles, f"({zh} {en})") if part)


def _corrections_markdown(item: ReleaseChanges, languages: Sequence[str]) -> str:
    rows = []
    for number, title, fix in item.corrected():
        where = " ".join(cite(number, item.style, lang) for lang in languages) if number \
            else " / ".join(single_line(title.get(lang)) for lang in languages
                            if title.get(lang))
        rows.append(f"- {escape_markdown(where)}: “{escape_markdown(fix.old)}” → "
                    f"“{escape_markdown(fix.new)}” ({escape_markdown(fix.reason)})")
    if not rows:
        return ""
    return f"## {CORRECTIONS_HEADING}\n\n{CORRECTION_NOTE}\n\n" + "\n".join(rows)


def _renumbering_markdown(item: ReleaseChanges) -> str:
    pairs = item.renumbering()
    if not pairs:
        return ""
    rows = "\n".join(f"| {escape_markdown(old)} | {escape_markdown(new)} |"
                     for old, new in pairs)
    return f"## {RENUMBERING_HEADING}\n\n| 原编号 Old | 新编号 New |\n|---|---|\n{rows}"


def notice_markdown(notices: Sequence[Notice]) -> str:
    """The notices as Markdown, one section per document."""
    return "\n\n".join(_notice_markdown(n) for n in notices).rstrip("\n") + "\n"


def _notice_markdown(notice: Notice) -> str:
    item = notice.changes
    doc, release, langs = item.document, item.release, notice.languages
    out = []
    for index, lang in enumerate(langs):
        suffix = " 变更公告" if lang == "zh" else ": Notice of Changes"
        out.append(f"{'#' if index == 0 else '##'} {escape_markdown(doc_title(doc, lang))}"
                   f"{suffix}")
    out.append("| 版本 Version | 公告日期 Announced | 生效日期 Effective |\n|---|---|---|\n"
               f"| {escape_markdown(release.version)} | {release.announced.isoformat()} | "
               f"{release.effective.isoformat()} |")
    out.append(f"本公告于 {release.announced} 发布，以下变更自 {release.effective} 起生效"
               f"（提前 {notice_days(release)} 天公告）。  \nThis notice is published on "
               f"{release.announced}; the changes below take effect on {release.effective} "
               f"({notice_days(release)} days after this notice).")
    if release.exception:
        out.append(f"> 通知期例外 Notice period exception: {escape_markdown(release.exception)}")
    out.append(_changes_markdown(notice))
    if not item.first:
        out.append(_corrections_markdown(item, langs))
    out.append(_quote_markdown(notice))
    if not item.first:
        out.append(_renumbering_markdown(item))
    return "\n\n".join(part for part in out if part)


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
            titles = " / ".join(escape_markdown(single_line(clause.title.get(lang)))
                                for lang in langs if clause.title.get(lang))
            zh, en = kind_names(clause)
            number = escape_markdown(place(clause.change, item.style, langs[0])) or "·"
            rows.append(f"| {number} | {titles or '—'} | {zh} {en} |")
        out.append("\n".join(rows))
    renumbered = item.renumbered()
    if renumbered:
        out.append(renumbered_note(renumbered))
    numbers = item.document.numbers()
    for clause in clauses:
        out.append(_clause_heading_md(clause, item, langs))
        new = item.document.clause(clause.id) if clause.change.number_to is not None else None
        if new is None:
            out.append("本条删除。 This clause is removed.")
        elif not clause.change.text_changed:
            out.append("本条仅移动位置，文字未变。 This clause moved; its text is unchanged.")
        else:
            out.append("**修改后条文 New text**")
            for lang in langs:
                text = to_markdown(new.body.get(lang), numbers, lambda target: target)
                if text:
                    out.append(f"*{escape_markdown(LANGUAGE_NAMES.get(lang, lang))}*\n\n{text}")
        if clause.change.kind is not ChangeKind.ADDED and clause.change.text_changed:
            redlines = [f"*{escape_markdown(LANGUAGE_NAMES.get(lang, lang))}*\n\n"
                        f"{redline_body(clause.change, lang)}" for lang in langs
                        if clause.change.text(lang) is not None]
            out.append("<details>\n<summary>修订对照 Redline</summary>\n\n"
                       + "\n\n".join(redlines) + "\n\n</details>")
    return "\n\n".join(out)


def _quote_markdown(notice: Notice) -> str:
    quote = notice.quote
    numbers = quote.document.numbers()
    out = ["## 您的权利 What you may do"]
    for lang in notice.languages:
        text = to_markdown(quote.clause.body.get(lang), numbers, lambda target: target,
                           "\n>\n> ")
        if not text:
            continue
        label = escape_markdown(quote_label(quote, lang))
        lead = f"根据{label}：" if lang == "zh" else f"Under {label}:"
        out.append(f"{lead}\n\n> {text}")
    return "\n\n".join(out)
