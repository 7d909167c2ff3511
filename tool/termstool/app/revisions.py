"""The revision grammar shared by every command that takes a version.

Accepted, in this order: ``WORKTREE`` (the working tree, uncommitted changes included);
``@2021-08-01``, the release in effect on that date in each document's timezone; a
version label such as ``20210701``; any git revision (sha, tag, branch, ``HEAD~2``).
A git revision is resolved with ``--end-of-options``, so it is never read as an option.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from termstool.app.workspace import Workspace
from termstool.errors import RevisionError
from termstool.format.dates import parse_date
from termstool.history.document_history import DocumentHistory, Release, known_versions
from termstool.model.snapshot import Snapshot
from termstool.report.banner import Banner, upcoming_banner

WORKTREE = "WORKTREE"
_DATE = re.compile(r"^@(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True, slots=True)
class Point:
    """A resolved revision: the snapshot to read, and what to tell the reader about it."""

    snapshot: Snapshot
    label: str
    version: str | None = None
    banner: tuple[Banner, ...] = ()  # what the reader is told over the text
    worktree: bool = False  # the working tree itself (not assembled from releases)


def resolve_revision(workspace: Workspace, text: str) -> Point:
    """Resolve a revision argument to a snapshot (see the module docstring)."""
    if text == WORKTREE:
        return Point(workspace.working_deferred(), "working tree", worktree=True)
    date = _DATE.match(text)
    if date:
        try:
            day = parse_date(date.group(1))
        except ValueError as exc:
            raise RevisionError(f"{text!r}: {date.group(1)} {exc}") from None
        return _at_date(workspace, day, workspace.histories())
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise RevisionError(f"{text!r} looks like a date: write @{text} for the release in "
                            "effect that day")
    if not text.startswith("-") and workspace.repo is not None \
            and workspace.may_be_version(text):
        found = workspace.histories()
        releases = [(h, h.release(text)) for h in found]
        hits = [(h, r) for h, r in releases if r is not None]
        if hits:
            return _from_releases(workspace, text, hits, version=text)
    try:
        return Point(workspace.at(text), text)
    except RevisionError as exc:
        known = _known_versions(workspace)
        listing = f"; known versions: {', '.join(known)}" if known else ""
        raise RevisionError(f"{exc}: not a version label, @DATE or git revision{listing}") \
            from None


def _known_versions(workspace: Workspace) -> tuple[str, ...]:
    if workspace.repo is None:
        return ()
    try:
        return known_versions(workspace.histories())
    except Exception:  # listing versions is a courtesy; the revision error is what matters
        return ()


def _at_date(workspace: Workspace, day: dt.date, histories: list[DocumentHistory]) -> Point:
    if not histories:
        raise RevisionError("no release is recorded in git yet; commit a document first")
    hits: list[tuple[DocumentHistory, Release]] = []
    banners: list[Banner] = []
    for history in histories:
        release = history.in_effect(day)
        if release is None:
            first = min((r.effective for r in history.releases if not r.draft), default=None)
            raise RevisionError(
                f"no release of {history.id} was in effect on {day}: the first took effect "
                f"on {first}" if first else f"{history.id} has no committed release yet")
        hits.append((history, release))
        upcoming = [r for r in history.releases if not r.draft and r.announced <= day
                    < r.effective and r.effective > release.effective]
        for nxt in upcoming:
            banners.append(upcoming_banner(history.manifest, nxt))
    point = _from_releases(workspace, f"@{day}", hits,
                           version=hits[0][1].version if len(hits) == 1 else None)
    return Point(point.snapshot, point.label, point.version, tuple(banners))


def _from_releases(workspace: Workspace, label: str,
                   hits: list[tuple[DocumentHistory, Release]], version: str | None) -> Point:
    """One snapshot holding each document as of its release's last commit."""
    if all(r.draft or r.commit == "" for _, r in hits):
        return Point(workspace.working(), label, version)
    repo = workspace.git()
    files: dict[str, str] = {}
    for history, release in hits:
        if release.draft or release.commit == "":
            raise RevisionError(f"version {release.version} of {history.id} is not committed "
                                "yet; use WORKTREE for the working tree")
        snapshot = repo.snapshot(release.commit, release.path or history.path)
        files.update(snapshot.files)
    return Point(Snapshot(label, files, repo.read_blob), label, version)
