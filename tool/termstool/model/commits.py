"""Commits as our own data: what ``gitrepo`` hands to the history and rules (no git here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file changed by a commit, with blob ids ("" where that side does not exist)."""

    status: str  # A, M, D, T, or R for a rename (the old path is ``old_path``)
    path: str
    old_blob: str
    new_blob: str
    old_path: str = ""  # for a rename: where the file was before


def changed_paths(changes: Iterable[FileChange]) -> set[str]:
    """Every path a list of file changes touches (both sides of a rename)."""
    return {p for c in changes for p in (c.path, c.old_path) if p}


@dataclass(frozen=True, slots=True)
class CommitRecord:
    """A commit on the first-parent line, with its dates and the files it changed."""

    sha: str
    parents: tuple[str, ...]
    authored: dt.datetime
    committed: dt.datetime
    subject: str
    changes: tuple[FileChange, ...]
    trailers: str = ""  # the message's trailers, ``Key: value`` lines (git's unfolded form)


def is_manifest_name(path: str) -> bool:
    """True when the file is named ``document.yaml`` (``posixpath.basename(path) ==
    "document.yaml"`` without building the base name: asked of every file of every
    commit)."""
    return path.endswith("/document.yaml") or path == "document.yaml"


def parent_dir(path: str) -> str:
    """The directory of a repository path ("" at the top), like ``posixpath.dirname`` for
    the normalised paths git gives, at a fraction of its cost (called for every file of
    every commit)."""
    cut = path.rfind("/")
    return path[:cut] if cut > 0 else ""
