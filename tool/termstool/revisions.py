"""The revision grammar shared by every command that takes a version.

Accepted: a version label (``20210701``), ``@2021-08-01`` (the release in effect that
day), any git revision (sha, tag, branch, ``HEAD~2``), or ``WORKTREE`` for the working tree.
"""

from __future__ import annotations

from dataclasses import dataclass

from termstool.snapshot import Snapshot
from termstool.workspace import Workspace

WORKTREE = "WORKTREE"


@dataclass(frozen=True, slots=True)
class Point:
    """A resolved revision: the snapshot to read, and what to tell the reader about it."""

    snapshot: Snapshot
    label: str
    version: str | None = None
    banner: str | None = None


def resolve_revision(workspace: Workspace, text: str) -> Point:
    """Resolve a revision argument to a snapshot."""
    if text == WORKTREE:
        return Point(workspace.working(), "working tree")
    snapshot = workspace.at(text)
    return Point(snapshot, text)
