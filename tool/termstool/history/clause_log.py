"""The history of one clause as data (the `terms log --clause` JSON shape).

Three lists, all following the clause's id through moves and renumberings:

- ``releases``: every release of the document, dated by its announced and effective
  dates (with the date of the commit that recorded it), and the clause's number in it;
- ``changes``: every commit that changed the clause's text, with its class of change;
- ``moves``: every commit after which the clause had another number or parent:
  ``moved`` when the clause itself was moved, ``renumbered`` when clauses around it were
  added, removed or moved.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from termstool.history.clause_trail import Place, was_moved
from termstool.history.document_history import DocumentHistory, Step

Row = dict[str, object]


def _release_dates(history: DocumentHistory, version: str | None) -> tuple[str | None,
                                                                        str | None]:
    release = history.release(version) if version else None
    if release is None:
        return None, None
    return release.announced.isoformat(), release.effective.isoformat()


def _recorded(history: DocumentHistory, step: Step | None) -> str | None:
    if step is None or step.when is None:
        return None
    return history.local_date(step.when).isoformat()


def clause_history(history: DocumentHistory, places: Sequence[Place], clause_id: str) -> Row:
    """The releases, text changes and moves of one clause of one document."""
    steps = {step.commit: step for step in history.steps}
    at = {place.commit: place for place in places}
    order = {place.commit: index for index, place in enumerate(places)}
    changes: list[Row] = []
    for step in history.steps:
        for change in step.changes:
            if change.clause != clause_id:
                continue
            place = at.get(step.commit)
            announced, effective = _release_dates(history, step.version)
            changes.append({
                "commit": step.commit or None,
                "date": _recorded(history, step),
                "recorded": _recorded(history, step),
                "version": step.version,
                "announced": announced,
                "effective": effective,
                "release_recorded": step.starts_release,
                "kind": change.kind,
                "class": change.change.value,
                "languages": list(change.languages),
                "file": change.file,
                "number": place.number if place is not None else None,
                "step": order.get(step.commit, -1),
            })
    moves: list[Row] = []
    for before, after in pairwise(places):
        if before.file is None or after.file is None:
            continue
        moved = was_moved(clause_id, before, after)
        if not moved and before.number == after.number:
            continue
        moved_by = steps.get(after.commit)
        version = moved_by.version if moved_by is not None else None
        announced, effective = _release_dates(history, version)
        moves.append({
            "commit": after.commit or None,
            "date": _recorded(history, moved_by),
            "recorded": _recorded(history, moved_by),
            "version": version,
            "announced": announced,
            "effective": effective,
            "kind": "moved" if moved else "renumbered",
            "from": before.number,
            "to": after.number,
            "file": after.file,
            "step": order.get(after.commit, -1),
        })
    releases: list[Row] = []
    for release in history.releases:
        place = _place_at(places, order, release.commit)
        releases.append({
            "version": release.version,
            "announced": release.announced.isoformat(),
            "effective": release.effective.isoformat(),
            "recorded": _recorded(history, steps.get(release.record)),
            "commit": release.commit or None,
            "draft": release.draft,
            "number": place.number if place is not None and place.file else None,
        })
    last = places[-1] if places else None
    return {"id": history.id, "path": history.path, "clause": clause_id,
            "number": last.number if last is not None and last.file else None,
            "file": last.file if last is not None else None,
            "releases": releases, "changes": changes, "moves": moves}


def _place_at(places: Sequence[Place], order: dict[str, int], commit: str) -> Place | None:
    index = order.get(commit)
    return places[index] if index is not None else None


def events(document: Row) -> list[Row]:
    """Text changes and moves of one clause in the order they happened."""
    rows = [*_rows(document, "changes"), *_rows(document, "moves")]
    return sorted(rows, key=lambda row: (int(str(row.get("step", -1))),
                                         0 if "from" in row else 1))


def _rows(document: Row, key: str) -> list[Row]:
    found = document.get(key)
    return [row for row in found if isinstance(row, dict)] if isinstance(found, list) else []
