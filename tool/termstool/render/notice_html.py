"""The customer notice of a release as one self-contained HTML page (inline CSS, no
script), rendered by Jinja2 with autoescape."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from termstool.compare.clause_diff import ChangeKind
from termstool.format.commonmark import single_line
from termstool.render.blocks import to_html
from termstool.render.jinja import environment
from termstool.render.redline_html import segments_html
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


def notice_html(notices: Sequence[Notice]) -> str:
    """The notices as one self-contained HTML page (inline CSS, no script)."""
    pages = []
    for notice in notices:
        item = notice.changes
        numbers = item.document.numbers()

        def anchor(target: str) -> str:
            return target

        clauses = []
        for clause in (() if item.first else item.clauses()):
            new = item.document.clause(clause.id) if clause.change.number_to is not None \
                else None
            zh, en = kind_names(clause)
            clauses.append({
                "id": clause.id, "kind": f"{zh} {en}",
                "number": " / ".join(p for lang in notice.languages
                                   if (p := place(clause.change, item.style, lang))),
                "moved_only": new is not None and not clause.change.text_changed,
                "titles": [single_line(clause.title.get(lang)) for lang in notice.languages
                           if clause.title.get(lang)],
                "texts": [(lang, LANGUAGE_NAMES.get(lang, lang),
                           Markup(to_html(new.body.get(lang), numbers, anchor)))
                          for lang in notice.languages if new is not None
                          and new.body.get(lang) and clause.change.text_changed],
                "redlines": [] if clause.change.kind is ChangeKind.ADDED
                or not clause.change.text_changed else [
                    (lang, LANGUAGE_NAMES.get(lang, lang),
                     segments_html(diff.shown()))
                    for lang in notice.languages
                    if (diff := clause.change.text(lang)) is not None],
                "removed": new is None,
            })
        quote_numbers = notice.quote.document.numbers()
        pages.append({
            "id": item.document.id,
            "titles": [(lang, doc_title(item.document, lang)) for lang in notice.languages],
            "release": item.release, "days": notice_days(item.release), "first": item.first,
            "clauses": clauses,
            "renumbered": renumbered_note(item.renumbered()) if item.renumbered() else "",
            "renumbering": () if item.first else item.renumbering(),
            "renumbering_heading": RENUMBERING_HEADING,
            "corrections_heading": CORRECTIONS_HEADING, "correction_note": CORRECTION_NOTE,
            "corrections": [] if item.first else [
                (" ".join(cite(number, item.style, lang) for lang in notice.languages)
                 if number else " / ".join(single_line(title.get(lang))
                                           for lang in notice.languages if title.get(lang)),
                 fix) for number, title, fix in item.corrected()],
            "quote": [(lang, quote_label(notice.quote, lang),
                       Markup(to_html(notice.quote.clause.body.get(lang), quote_numbers,
                                      anchor)))
                      for lang in notice.languages if notice.quote.clause.body.get(lang)],
        })
    template = environment().get_template("notice.html.j2")
    return template.render(notices=pages, lang=notices[0].languages[0] if notices else "zh")
