"""Release and clause histories as data (the `terms log` JSON shapes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from termstool.errors import UsageError
from termstool.history.document_history import DocumentHistory


def release_log(histories: Sequence[DocumentHistory],
                today: Mapping[str, dt.date]) -> dict[str, list[dict[str, object]]]:
    """``{"documents": [{"id", "releases": [...]}]}`` with each release's status today."""
    documents: list[dict[str, object]] = []
    for history in histories:
        releases = []
        for release in history.releases:
            releases.append({
                "version": release.version,
                "announced": release.announced.isoformat(),
                "effective": release.effective.isoformat(),
                "notice_days": (release.effective - release.announced).days,
                "required_notice_days": history.required_notice(release),
                "status": history.status(release, today[history.id]),
                "commit": release.commit or None,
                "changed": {"added": release.changed.added, "removed": release.changed.removed,
                            "modified": release.changed.modified},
                "exception": release.exception,
            })
        documents.append({"id": history.id, "path": history.path, "releases": releases})
    return {"documents": documents}


def clause_log(histories: Sequence[DocumentHistory],
               clause: str) -> dict[str, list[dict[str, object]]]:
    """Every commit that changed one clause, with its date, release and class of change."""
    documents: list[dict[str, object]] = []
    for history in histories:
        changes = []
        for step in history.steps:
            for change in step.changes:
                if change.clause != clause:
                    continue
                changes.append({
                    "commit": step.commit or None,
                    "date": history.local_date(step.when).isoformat() if step.when else None,
                    "version": step.version,
                    "release_recorded": step.starts_release,
                    "kind": change.kind,
                    "class": change.change.value,
                    "languages": list(change.languages),
                    "file": change.file,
                })
        if changes:
            documents.append({"id": history.id, "clause": clause, "changes": changes})
    if not documents:
        raise UsageError(f"no clause with id {clause!r} has any history here; "
                         "'terms outline' lists the ids")
    return {"documents": documents}
