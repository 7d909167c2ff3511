"""The application API: find the terms repository, read snapshots, load documents.

Tests and the CLI drive the tool through this module; it joins the git module and
the pure core and prints nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from termstool.errors import GitError, UsageError
from termstool.gitrepo import Repository
from termstool.loader import Loaded, load_documents
from termstool.manifest import MANIFEST_NAME
from termstool.snapshot import Snapshot, working_tree

DEFAULT_SCOPE = "terms"


@dataclass(slots=True)
class Workspace:
    """A terms repository (git or plain directory) and the part of it a command works on."""

    root: Path
    scope: str  # repository-relative path of the documents in scope
    repo: Repository | None

    @classmethod
    def open(cls, path: Path | None = None, *, need_git: bool = False) -> Workspace:
        """Open the repository around ``path`` (default: the current directory's ./terms)."""
        cwd = Path.cwd()
        target = (path if path is not None else cwd).resolve()
        if not target.exists():
            raise UsageError(f"{path} does not exist")
        repo: Repository | None
        try:
            repo = Repository.discover(target if target.is_dir() else target.parent)
        except GitError:
            if need_git:
                raise
            repo = None
        if repo is not None:
            root = repo.root.resolve()
        else:
            root = cwd.resolve() if target.is_relative_to(cwd.resolve()) else target.parent
        rel = os.path.relpath(target, root).replace(os.sep, "/")
        scope = "" if rel == "." else rel
        if path is None and (root / DEFAULT_SCOPE).is_dir():
            scope = DEFAULT_SCOPE
        scope = _document_scope(root, scope)
        return cls(root, scope, repo)

    def git(self) -> Repository:
        """The git repository; a clear error when the terms are not in one."""
        if self.repo is None:
            raise GitError(f"{self.root} is not a git repository; versions, history and "
                           "--at need git ('git init' and commit the terms)")
        return self.repo

    def working(self) -> Snapshot:
        """The files in scope as they are on disk, uncommitted changes included."""
        return working_tree(self.root, self.scope)

    def at(self, revision: str) -> Snapshot:
        """The files in scope at a git revision, read from git objects (no checkout)."""
        repo = self.git()
        return repo.snapshot(repo.resolve(revision), self.scope or ".")

    def load(self, snapshot: Snapshot) -> Loaded:
        """Documents and problems of a snapshot, limited to this workspace's scope."""
        return load_documents(snapshot, self.scope)

    def display(self, path: str) -> str:
        """A repository-relative path as the user should see it (relative to the cwd)."""
        absolute = self.root / path
        try:
            return os.path.relpath(absolute, Path.cwd())
        except ValueError:
            return str(absolute)


def _document_scope(root: Path, scope: str) -> str:
    """A path inside a document widens to that document, so its manifest is in scope."""
    current = root / scope if scope else root
    if current.is_file():
        current = current.parent
    probe = current
    while probe != root and probe.is_relative_to(root):
        if (probe / MANIFEST_NAME).is_file():
            return os.path.relpath(probe, root).replace(os.sep, "/")
        probe = probe.parent
    return "" if current == root else os.path.relpath(current, root).replace(os.sep, "/")
