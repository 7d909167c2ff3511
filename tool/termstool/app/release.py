"""The release use case: validate a new release and write it into document.yaml atomically."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from termstool.app.workspace import Workspace, writes
from termstool.errors import UncommittedChanges, UsageError
from termstool.format.characters import brief
from termstool.format.dates import label_problem, parse_date
from termstool.format.document_yaml import MANIFEST_NAME, with_release
from termstool.storage.files import write_atomic


@dataclass(frozen=True, slots=True)
class RecordedRelease:
    """What `terms release` wrote."""

    document: str
    directory: str
    announced: dt.date
    effective: dt.date
    days: int


class SeveralDocuments(UsageError):
    """A release belongs to one document, and several are in scope."""

    def __init__(self, documents: tuple[tuple[str, str], ...]) -> None:
        self.documents = documents  # (id, path as the user should see it)
        names = ", ".join(f"{doc_id} ({path})" for doc_id, path in documents)
        super().__init__(f"{len(documents)} documents here: {names}; a release belongs to "
                         "one of them: name its directory as PATH")


def _date(value: str, option: str) -> dt.date:
    try:
        return parse_date(value)
    except ValueError as exc:
        raise UsageError(f"{option} {brief(value)} {exc}") from None


@writes("release")
def record_release(workspace: Workspace, version: str, *, announced: str, effective: str,
                   exception: str | None = None, force: bool = False) -> RecordedRelease:
    """Validate and write a new release into the one document in scope."""
    loaded = workspace.require_documents()
    if len(loaded.documents) != 1:
        raise SeveralDocuments(tuple((d.id, workspace.display(d.path))
                                     for d in loaded.documents))
    document = loaded.documents[0]
    ann, eff = _date(announced, "--announced"), _date(effective, "--effective")
    why = label_problem(version)
    if why is not None:
        raise UsageError(f"{brief(version)} is not a version label: {why}")
    used = {document.manifest.version}
    notice = document.manifest.notice_days
    if workspace.repo is not None:
        for history in workspace.histories():
            if history.path == document.path:
                used |= {r.version for r in history.releases}
                # the period of the release in force when this one is announced: a
                # release that raises notice_days is itself judged by the old period
                in_force = history.notice_for(ann)
                notice = in_force if in_force is not None else notice
    if version in used:
        raise UsageError(f"version {version} is already used by {document.id}; version labels "
                         "are never reused, choose a new one")
    if eff < ann:
        raise UsageError(f"--effective {eff} is before --announced {ann}")
    days = (eff - ann).days
    if days < notice and not exception:
        earliest = ann + dt.timedelta(days=notice)
        raise UsageError(f"{days} days of notice is less than the {notice} the terms promise; "
                         f"make it effective on or after {earliest}, or give the reason with "
                         "--exception")
    manifest_path = workspace.root / document.path / MANIFEST_NAME
    if not force and workspace.repo is not None and workspace.repo.is_dirty(manifest_path):
        raise UncommittedChanges(f"{workspace.display(document.path)}/{MANIFEST_NAME} has "
                                 "uncommitted changes; commit them first or pass --force")
    text = manifest_path.read_text(encoding="utf-8")
    write_atomic(manifest_path, with_release(text, version=version, announced=ann,
                                             effective=eff, exception=exception))
    return RecordedRelease(document.id, workspace.display(document.path), ann, eff, days)
