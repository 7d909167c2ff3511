"""A redline's plain-text pieces, shared by every output: the label of a change, the
counts, where the comparison goes from and to, and one language's redline as text.

In plain text, deletions are ``[-…-]`` and insertions ``{+…+}``, the markers of
``git diff --word-diff``, so a redline never depends on colour.
"""

from __future__ import annotations

from collections.abc import Sequence

from termstool.compare.clause_diff import ChangeKind, ClauseChange, DocumentDiff, Redline
from termstool.compare.text_diff import DELETE, INSERT, Segment


def shown_languages(document: DocumentDiff, languages: Sequence[str] | None) -> list[str]:
    """The languages of a document to show: those asked for that it has, or all of its
    own when none were asked for."""
    if languages is None:
        return list(document.languages)
    return [lang for lang in languages if lang in document.languages]


def kind_label(change: ClauseChange) -> str:
    """Kind and class, e.g. "modified · substantive"."""
    if change.change_class is None:
        return change.kind.value
    return f"{change.kind.value} · {change.change_class.value}"


def counts_line(document: DocumentDiff) -> str:
    """ "1 added · 2 modified · 14 renumbered", or "no clause changed"; then any limit the
    comparison ran into, in brackets."""
    counts = [f"{n} {kind}" for kind, n in document.summary().items() if n]
    line = " · ".join(counts) if counts else "no clause changed"
    return line + "".join(f" ({note})" for note in document.notes)


def versions_line(redline: Redline, document: DocumentDiff) -> str:
    """Where the comparison goes from and to, with the document versions (plain text)."""
    def side(ref: str, version: str | None) -> str:
        return f"{ref} (version {version})" if version else f"{ref} (no such document)"

    return (f"from {side(redline.ref_from, document.version_from)} "
            f"to {side(redline.ref_to, document.version_to)}")


def shows_text(change: ClauseChange) -> bool:
    """Whether a change gets its own section: all but a bare renumbering."""
    return change.kind is not ChangeKind.RENUMBERED


def listed(document: DocumentDiff) -> tuple[ClauseChange, ...]:
    """The changes a summary lists one per row: all but the bare renumberings, which
    share one old → new table (:func:`renumbered_only`)."""
    return tuple(change for change in document.changes if shows_text(change))


def renumbered_only(document: DocumentDiff) -> tuple[ClauseChange, ...]:
    """The clauses whose number alone changed (same text, same place among their
    siblings), in the document's order: after an insertion they are most of a document,
    and one row each would bury the changes that matter."""
    return tuple(change for change in document.changes if not shows_text(change))


def without_differences(redline: Redline) -> tuple[DocumentDiff, ...]:
    """The documents compared that did not change: named in one line, never a section."""
    return tuple(document for document in redline.documents if not document.changed)


ALIKE_SHOWN = 10  # documents without differences named before "and N more"


def alike_line(documents: Sequence[DocumentDiff]) -> str:
    """One line naming the documents without differences: a catalogue's redline compares
    hundreds of documents, and a section each would bury the one that changed."""
    count = len(documents)
    names = ", ".join(d.id for d in documents[:ALIKE_SHOWN])
    more = f" and {count - ALIKE_SHOWN} more" if count > ALIKE_SHOWN else ""
    return f"{count} document{'s' * (count != 1)} without differences: {names}{more}."


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
    return _segments_text(diff.shown())
