"""Release and clause histories as data (the `terms log` JSON shapes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

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
