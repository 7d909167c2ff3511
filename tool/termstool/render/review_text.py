"""The review report as plain text, for a terminal or a CI log (never cut)."""

from __future__ import annotations

from termstool.format.characters import fold_lines
from termstool.model.languages import language_name
from termstool.render.redline_text import (
    alike_line,
    counts_line,
    kind_label,
    listed,
    redline_text,
    renumbered_only,
    without_differences,
)
from termstool.report.review import (
    Review,
    affected,
    by_severity,
    declaration_label,
    release_line,
    short_commit,
    status_mark,
    verdict,
)


def review_text(review: Review) -> str:
    """The report as plain text for a terminal or a CI log (never cut)."""
    mark = "OK" if review.ok else "FAIL"
    out = [f"terms review: {mark}: {verdict(review)}",
           f"compared {review.base} (merge base {short_commit(review.merge_base)}) with "
           f"{review.head}" + (f"; today is {review.today}" if review.today else ""), ""]
    if review.problems:
        out.append("Checks:")
        for problem in by_severity(review.problems):
            _symbol, word = status_mark(problem)
            where = affected(review, problem)
            about = " ".join(x for x in (problem.document or "", where) if x)
            waived = f" (waived: {problem.waived})" if problem.waived is not None else ""
            out.append(f"  {word} [{problem.rule}] {about}: "
                       f"{fold_lines(problem.message + waived)}")
    else:
        out.append("Checks: every notice and format rule passes.")
    if not review.documents:
        out += ["", "No document text changes."]
    for doc in review.documents:
        m = doc.manifest
        titles = " / ".join(m.title.get(lang) for lang in review.shown(doc)
                            if m.title.get(lang))
        # Each of these is one line: a line break would start a line of the report.
        out += ["", f"{fold_lines(titles)} ({m.id})", f"  {release_line(doc)}"]
        if m.exception:
            out.append(f"  notice exception: {fold_lines(m.exception)}")
        for waiver in doc.added_waivers:
            out.append(f"  waiver added: rule {fold_lines(waiver.rule)}, commit "
                       f"{fold_lines(waiver.commit)}: {fold_lines(waiver.reason)}")
        for problem in doc.declarations():
            out.append(f"  {declaration_label(problem).lower()}: "
                       f"{fold_lines(problem.message)}")
        out.append(f"  clauses: {counts_line(doc.diff)}")
        langs = review.shown(doc)
        for change in listed(doc.diff):
            out.append(f"  {change.number_label}  {change.id}  {kind_label(change)}  "
                       f"{fold_lines(change.label)}")
            for lang in langs:
                if lang in change.languages_changed or not change.text_changed:
                    text = redline_text(change, lang).replace("\n", "\n      ")
                    out.append(f"    {language_name(lang)}: {text}")
        renumbered = renumbered_only(doc.diff)
        if renumbered:
            # One old → new table: after an insertion these are most of the document.
            out.append(f"  renumbered only, text unchanged ({len(renumbered)}):")
            out += [f"    {c.shown_from} → {c.shown_to}  "
                    f"{fold_lines(c.label)}  {c.id}" for c in renumbered]
    alike = without_differences(review.redline)
    if alike:
        out += ["", alike_line(alike)]
    return "\n".join(out) + "\n"
