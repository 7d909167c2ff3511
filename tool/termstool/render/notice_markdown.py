"""The customer notice of a release as Markdown, escaped like the `terms diff` Markdown."""

from __future__ import annotations

from collections.abc import Sequence

from termstool.compare.clause_diff import ChangeKind
from termstool.format.commonmark import escape_markdown, single_line
from termstool.model.languages import language_name, say, say_all
from termstool.render.blocks import to_markdown
from termstool.render.redline_markdown import redline_body
from termstool.report.notice import (
    ChangeClauseQuote,
    ChangedClause,
    Notice,
    ReleaseChanges,
    cite,
    doc_title,
    kind_name,
    notice_days,
    place,
    quote_label,
    renumbered_note,
    sentence,
)


def _clause_heading_md(clause: ChangedClause, item: ReleaseChanges,
                       languages: Sequence[str]) -> str:
    titles = " / ".join(escape_markdown(single_line(clause.title.get(lang)))
                        for lang in languages if clause.title.get(lang))
    places = " / ".join(escape_markdown(p) for lang in languages
                      if (p := place(clause.change, item.style, lang)))
    kind = f"({kind_name(clause, languages)})"
    return " ".join(part for part in ("###", places, titles, kind) if part)


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
    return (f"## {say_all('corrections', languages)}\n\n"
            f"{say_all('correction note', languages)}\n\n" + "\n".join(rows))


def _renumbering_markdown(item: ReleaseChanges, languages: Sequence[str]) -> str:
    pairs = item.renumbering()
    if not pairs:
        return ""
    rows = "\n".join(f"| {escape_markdown(old)} | {escape_markdown(new)} |"
                     for old, new in pairs)
    return (f"## {say_all('renumbering', languages)}\n\n| {say_all('old number', languages)} "
            f"| {say_all('new number', languages)} |\n|---|---|\n{rows}")


def notice_markdown(notices: Sequence[Notice]) -> str:
    """The notices as Markdown, one section per document."""
    return "\n\n".join(_notice_markdown(n) for n in notices).rstrip("\n") + "\n"


def _notice_markdown(notice: Notice) -> str:
    item = notice.changes
    doc, release, langs = item.document, item.release, notice.languages
    out = []
    for index, lang in enumerate(langs):
        title = say("notice title", lang, title=escape_markdown(doc_title(doc, lang)))
        out.append(f"{'#' if index == 0 else '##'} {title}")
    heads = [say_all(key, langs) for key in ("version", "announcement date", "effective date")]
    out.append(f"| {' | '.join(heads)} |\n|---|---|---|\n"
               f"| {escape_markdown(release.version)} | {release.announced.isoformat()} | "
               f"{release.effective.isoformat()} |")
    out.append(say_all("notice dates", langs, "  \n", announced=release.announced,
                       effective=release.effective, days=notice_days(release)))
    if release.exception:
        out.append(f"> {say_all('notice exception', langs)}: "
                   f"{escape_markdown(release.exception)}")
    out.append(_changes_markdown(notice))
    if not item.first:
        out.append(_corrections_markdown(item, langs))
    if notice.quote is not None:
        out.append(_quote_markdown(notice, notice.quote))
    if not item.first:
        out.append(_renumbering_markdown(item, langs))
    return "\n\n".join(part for part in out if part)


def _changes_markdown(notice: Notice) -> str:
    item = notice.changes
    langs = notice.languages
    if item.first:
        return (f"## {say_all('first publication', langs)}\n\n"
                f"{say_all('first publication note', langs)}")
    clauses = item.clauses()
    out = [f"## {say_all('changed clauses', langs)}"]
    if not clauses:
        out.append(sentence("no clause changed", langs))
    else:
        heads = [say_all(key, langs) for key in ("clause", "title", "change")]
        rows = [f"| {' | '.join(heads)} |", "|---|---|---|"]
        for clause in clauses:
            titles = " / ".join(escape_markdown(single_line(clause.title.get(lang)))
                                for lang in langs if clause.title.get(lang))
            number = escape_markdown(place(clause.change, item.style, langs[0])) or "·"
            rows.append(f"| {number} | {titles or '—'} | {kind_name(clause, langs)} |")
        out.append("\n".join(rows))
    renumbered = item.renumbered()
    if renumbered:
        out.append(renumbered_note(renumbered, langs))
    numbers = item.document.numbers()
    for clause in clauses:
        out.append(_clause_heading_md(clause, item, langs))
        new = item.document.clause(clause.id) if clause.change.number_to is not None else None
        if new is None:
            out.append(say_all("clause removed", langs))
        elif not clause.change.text_changed:
            out.append(say_all("clause moved", langs))
        else:
            out.append(f"**{say_all('new text', langs)}**")
            for lang in langs:
                text = to_markdown(new.body.get(lang), numbers, lambda target: target)
                if text:
                    out.append(f"*{escape_markdown(language_name(lang))}*\n\n{text}")
        if clause.change.kind is not ChangeKind.ADDED and clause.change.text_changed:
            redlines = [f"*{escape_markdown(language_name(lang))}*\n\n"
                        f"{redline_body(clause.change, lang)}" for lang in langs
                        if clause.change.text(lang) is not None]
            out.append(f"<details>\n<summary>{say_all('redline', langs)}</summary>\n\n"
                       + "\n\n".join(redlines) + "\n\n</details>")
    return "\n\n".join(out)


def _quote_markdown(notice: Notice, quote: ChangeClauseQuote) -> str:
    numbers = quote.document.numbers()
    out = [f"## {say_all('what you may do', notice.languages)}"]
    for lang in notice.languages:
        text = to_markdown(quote.clause.body.get(lang), numbers, lambda target: target,
                           "\n>\n> ")
        if not text:
            continue
        lead = say("under", lang, label=escape_markdown(quote_label(quote, lang)))
        out.append(f"{lead}\n\n> {text}")
    return "\n\n".join(out)
