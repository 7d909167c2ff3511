"""The release use case: validate a new release and write it into document.yaml atomically."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from termstool.app.workspace import Workspace, writes
from termstool.errors import (
    GitError,
    RevisionError,
    RuleRefused,
    UncommittedChanges,
    UnreadableInput,
    UsageError,
)
from termstool.format.characters import brief
from termstool.format.dates import label_problem, parse_date
from termstool.format.document_yaml import MANIFEST_NAME, with_release
from termstool.format.yaml_edit import YamlEditError
from termstool.history.document_history import DocumentHistory, Release, today_for
from termstool.storage.files import write_atomic

# Where an unmerged release is looked for when --base is not given: the branch a pull
# request usually merges into, as a clone names it.
DEFAULT_BASES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")


@dataclass(frozen=True, slots=True)
class RecordedRelease:
    """What `terms release` wrote."""

    document: str
    directory: str
    announced: dt.date
    effective: dt.date
    days: int
    redated: tuple[dt.date, dt.date] | None = None  # the dates it had, when re-dated
    historical: bool = False


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


def _unmerged(workspace: Workspace, release: Release, base: str | None) -> bool:
    """True when ``release`` is recorded only by commits the base does not have (or only
    in the working tree): a release still under review, whose dates may change."""
    if release.draft:
        return True
    repo = workspace.git()
    head = repo.head()
    if head is None:
        return True
    candidates = (base,) if base is not None else DEFAULT_BASES
    for name in candidates:
        try:
            commit = repo.resolve(name)
        except (RevisionError, GitError):
            if base is not None:
                raise
            continue
        merge_base = repo.merge_base(commit, head)
        return merge_base is not None and release.record in repo.commits_between(merge_base,
                                                                                  head)
    return False


@writes("release")
def record_release(workspace: Workspace, version: str, *, announced: str, effective: str,
                   exception: str | None = None, force: bool = False,
                   now: dt.datetime | None = None, today: dt.date | None = None,
                   historical: bool = False, base: str | None = None) -> RecordedRelease:
    """Validate and write a new release into the one document in scope, or new dates into
    a release not merged yet (the latest, recorded after ``base``).

    A release is announced today or later; ``historical`` records an older one from records.
    """
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
    history: DocumentHistory | None = None
    if workspace.repo is not None:
        history = next((h for h in workspace.histories() if h.path == document.path), None)
    redated: Release | None = None
    if history is not None:
        last = history.releases[-1] if history.releases else None
        if last is not None and last.version == version == document.manifest.version \
                and _unmerged(workspace, last, base):
            redated = last
        earlier = [r for r in history.releases if r is not redated]
        used |= {r.version for r in earlier}
        # the period of the release in force when this one is announced: a release that
        # raises notice_days is itself judged by the old period
        in_force = history.notice_for(ann, without=redated.version if redated else None)
        notice = in_force if in_force is not None else notice
        if redated is not None:
            used.discard(version)
    if version in used:
        raise UsageError(f"version {version} is already used by {document.id}; version labels "
                         "are never reused, choose a new one (a release not merged yet can "
                         "be re-dated: pass --base with the branch it merges into)")
    if eff < ann:
        raise UsageError(f"--effective {eff} is before --announced {ann}")
    day = today
    if day is None and now is not None:
        day = today_for(history, now, None) if history is not None \
            else now.astimezone(ZoneInfo(document.manifest.timezone)).date()
    if day is not None and ann < day and not historical:
        raise UsageError(f"--announced {ann} is before today ({day}): a release is announced "
                         "on the day it is published or later; to record a past release "
                         "from records, add --historical")
    days = (eff - ann).days
    if days < notice and not exception:
        earliest = ann + dt.timedelta(days=notice)
        raise RuleRefused(f"{days} days of notice is less than the {notice} the terms promise; "
                          f"make it effective on or after {earliest}, or give the reason with "
                          "--exception")
    manifest_path = workspace.root / document.path / MANIFEST_NAME
    draft = redated is not None and redated.draft  # its document.yaml is the draft itself
    if not force and not draft and workspace.repo is not None \
            and workspace.repo.is_dirty(manifest_path):
        raise UncommittedChanges(f"{workspace.display(document.path)}/{MANIFEST_NAME} has "
                                 "uncommitted changes; commit them first or pass --force")
    text = manifest_path.read_text(encoding="utf-8")
    shown = f"{workspace.display(document.path)}/{MANIFEST_NAME}"
    try:
        edited = with_release(text, version=version, announced=ann, effective=eff,
                              exception=exception,
                              historical=historical and day is not None and ann < day)
    except YamlEditError as exc:
        raise UnreadableInput(f"{exc}; fix it by hand, nothing was written", file=shown,
                              line=exc.line) from exc
    write_atomic(manifest_path, edited)
    return RecordedRelease(document.id, workspace.display(document.path), ann, eff, days,
                           (redated.announced, redated.effective) if redated else None,
                           historical and day is not None and ann < day)
