"""The customer notice of a release as plain text, e.g. for an e-mail."""

from __future__ import annotations

from collections.abc import Sequence

from termstool.compare.clause_diff import ChangeKind
from termstool.format.commonmark import single_line, to_plain
from termstool.model.languages import language_name, say, say_all
from termstool.render.redline_text import redline_text
from termstool.report.notice import (
    Notice,
    cite,
    doc_title,
    kind_name,
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
    out = [say("notice title", lang, title=doc_title(doc, lang)) for lang in langs]
    out.append("")
    out.append(f"{say_all('version', langs)}: {release.version}")
    out.append(f"{say_all('announcement date', langs)}: {release.announced}")
    out.append(f"{say_all('effective date', langs)}: {release.effective} "
               f"({say_all('days', langs, ' / ', days=notice_days(release))})")
    if release.exception:
        out.append(f"{say_all('notice exception', langs)}: {release.exception}")
    out.append("")
    if item.first:
        out.append(say_all("first publication", langs))
    else:
        clauses = item.clauses()
        out.append(say_all("changed clauses" if clauses else "no clause changed", langs))
        numbers = item.document.numbers()
        for clause in clauses:
            titles = " / ".join(single_line(clause.title.get(lang)) for lang in langs
                                if clause.title.get(lang))
            out.append("")
            places = " / ".join(p for lang in langs
                              if (p := place(clause.change, item.style, lang)))
            kind = f"({kind_name(clause, langs)})"
            out.append(" ".join(part for part in (places, titles, kind) if part))
            new = item.document.clause(clause.id) if clause.change.number_to is not None \
                else None
            if new is None:
                out.append(f"  {say_all('clause removed', langs)}")
            elif not clause.change.text_changed:
                out.append(f"  {say_all('clause moved', langs)}")
                continue
            for lang in langs:
                name = language_name(lang)
                if new is not None and new.body.get(lang):
                    out.append(f"  {name}:")
                    out.append(_indent(to_plain(new.body.get(lang), numbers)))
                if clause.change.kind is not ChangeKind.ADDED \
                        and clause.change.text(lang) is not None:
                    out.append(f"  {name} {say_all('redline (lower case)', langs)}:")
                    out.append(_indent(redline_text(clause.change, lang)))
        if item.renumbered():
            out.append("")
            out.append(renumbered_note(item.renumbered(), langs))
        corrected = item.corrected()
        if corrected:
            out += ["", say_all("corrections", langs), say_all("correction note", langs)]
            for number, title, fix in corrected:
                where = " ".join(cite(number, item.style, lang) for lang in langs) \
                    if number else " / ".join(single_line(title.get(lang)) for lang in langs
                                              if title.get(lang))
                out.append(f"  {where}: “{fix.old}” → “{fix.new}” ({fix.reason})")
    quote = notice.quote
    if quote is not None:
        out.append("")
        out.append(say_all("what you may do", langs))
        numbers = quote.document.numbers()
        for lang in langs:
            text = to_plain(quote.clause.body.get(lang), numbers)
            if text:
                lead = say("under", lang, label=quote_label(quote, lang))
                out.append(f"{lead}\n{_indent(text)}")
    pairs = () if item.first else item.renumbering()
    if pairs:
        out += ["", say_all("renumbering", langs),
                f"  {say_all('old number', langs)} → {say_all('new number', langs)}"]
        out += [f"  {old} → {new}" for old, new in pairs]
    return "\n".join(out)
