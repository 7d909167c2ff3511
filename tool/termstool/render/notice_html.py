"""The customer notice of a release as one self-contained HTML page (inline CSS, no
script), rendered by Jinja2 with autoescape."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from termstool.compare.clause_diff import ChangeKind
from termstool.format.commonmark import single_line
from termstool.model.languages import each_once, language_name, say, say_all
from termstool.render.blocks import to_html
from termstool.render.jinja import environment
from termstool.render.redline_html import segments_html
from termstool.report.notice import (
    Notice,
    cite,
    doc_title,
    kind_name,
    notice_days,
    place,
    quote_label,
    renumbered_note,
    sentence,
)


def notice_html(notices: Sequence[Notice]) -> str:
    """The notices as one self-contained HTML page (inline CSS, no script)."""
    pages = []
    for notice in notices:
        item = notice.changes
        numbers = item.document.numbers()
        langs = notice.languages

        def anchor(target: str) -> str:
            return target

        clauses = []
        for clause in (() if item.first else item.clauses()):
            new = item.document.clause(clause.id) if clause.change.number_to is not None \
                else None
            clauses.append({
                "id": clause.id, "kind": kind_name(clause, langs),
                "number": " / ".join(p for lang in langs
                                   if (p := place(clause.change, item.style, lang))),
                "moved_only": new is not None and not clause.change.text_changed,
                "titles": [single_line(clause.title.get(lang)) for lang in langs
                           if clause.title.get(lang)],
                "texts": [(lang, language_name(lang),
                           Markup(to_html(new.body.get(lang), numbers, anchor)))
                          for lang in langs if new is not None
                          and new.body.get(lang) and clause.change.text_changed],
                "redlines": [] if clause.change.kind is ChangeKind.ADDED
                or not clause.change.text_changed else [
                    (lang, language_name(lang), segments_html(diff.shown()))
                    for lang in langs if (diff := clause.change.text(lang)) is not None],
                "removed": new is None,
            })
        quote = notice.quote
        quote_numbers = quote.document.numbers() if quote is not None else {}
        release = item.release
        days = notice_days(release)
        pages.append({
            "id": item.document.id,
            "titles": [(lang, say("notice title", lang, title=doc_title(item.document, lang)))
                       for lang in langs],
            "release": release, "first": item.first, "clauses": clauses,
            "dates": each_once([(lang, say("notice dates", lang, announced=release.announced,
                                           effective=release.effective, days=days))
                                for lang in langs]),
            "words": _words(langs),
            "renumbered": renumbered_note(item.renumbered(), langs) if item.renumbered()
            else "",
            "renumbering": () if item.first else item.renumbering(),
            "corrections": [] if item.first else [
                (" ".join(cite(number, item.style, lang) for lang in langs)
                 if number else " / ".join(single_line(title.get(lang))
                                           for lang in langs if title.get(lang)),
                 fix) for number, title, fix in item.corrected()],
            "quote": [] if quote is None else [
                (lang, say("under", lang, label=quote_label(quote, lang)),
                 Markup(to_html(quote.clause.body.get(lang), quote_numbers, anchor)))
                for lang in langs if quote.clause.body.get(lang)],
        })
    template = environment().get_template("notice.html.j2")
    return template.render(notices=pages, lang=notices[0].languages[0] if notices else "")


def _words(languages: Sequence[str]) -> dict[str, str]:
    """The fixed wording of the HTML notice, in the document's languages."""
    keys = ("version", "announcement date", "effective date", "notice exception",
            "first publication", "first publication note", "changed clauses",
            "clause removed", "clause moved", "redline", "what you may do", "corrections",
            "correction note", "renumbering", "old number", "new number")
    words = {key: say_all(key, languages) for key in keys}
    words["no clause changed"] = sentence("no clause changed", languages)
    return words
