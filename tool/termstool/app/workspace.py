"""The application object: one terms repository, opened once per command.

A :class:`Workspace` knows the repository root, the part of it a command works on, and
the git repository (if any). It reads the working tree, loads its documents and reads
the documents' histories at most once each, so every use case that takes it shares
those reads: `terms review` runs the checks and builds the redline from one read of the
working tree and one read of history.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from termstool.errors import GitError, UnreadableInput, UsageError
from termstool.format.characters import show_path
from termstool.format.dates import FIRST, LAST
from termstool.format.document_yaml import MANIFEST_NAME
from termstool.format.loader import Loaded, load_documents
from termstool.history.document_history import (
    DocumentHistory,
    build_histories,
    in_scope,
    inside,
)
from termstool.model.commits import CommitRecord
from termstool.model.document import Document
from termstool.model.snapshot import Snapshot
from termstool.storage.gitrepo import FETCH_ADVICE, Repository
from termstool.storage.lock import WritePlace, repository_lock, repository_place, write_place
from termstool.storage.staging import recover, recover_locked
from termstool.storage.working_tree import working_tree

P = ParamSpec("P")
R = TypeVar("R")

DEFAULT_SCOPE = "terms"


@dataclass(slots=True, eq=False)
class Workspace:
    """A terms repository (git or plain directory) and the part of it a command works on."""

    root: Path
    scope: str  # repository-relative path of the documents in scope
    repo: Repository | None
    _working: Snapshot | None = field(default=None, repr=False)
    _loaded: Loaded | None = field(default=None, repr=False)
    _histories: list[DocumentHistory] | None = field(default=None, repr=False)
    _at: dict[str, dict[str, Document]] = field(default_factory=dict, repr=False)
    _commits: list[CommitRecord] | None = field(default=None, repr=False)

    @classmethod
    def open(cls, path: Path | None = None, *, need_git: bool = False) -> Workspace:
        """Open the repository around ``path`` (default: the current directory's ./terms)."""
        cwd = Path.cwd()
        target = (path if path is not None else cwd).resolve()
        probe = target
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        repo: Repository | None
        try:
            repo = Repository.discover(probe if probe.is_dir() else probe.parent)
        except GitError:
            if need_git and target.exists():
                raise
            repo = None
        if repo is not None:
            # A write that a killed command left half done is undone (or finished) before
            # anything is read (it may have set aside the very directory asked for); the
            # command tells its user at the end.
            recover(repository_place(repo))
        if not target.exists():
            raise UsageError(f"{path} does not exist")
        if repo is not None:
            root = repo.root.resolve()
        else:
            root = cwd.resolve() if target.is_relative_to(cwd.resolve()) else target.parent
        rel = os.path.relpath(target, root).replace(os.sep, "/")
        scope = "" if rel == "." else rel
        if path is None and (root / DEFAULT_SCOPE).is_dir():
            scope = DEFAULT_SCOPE
        elif path is None and repo is None and not (root / MANIFEST_NAME).is_file():
            # Outside a repository nothing bounds the search: without a PATH only ./terms
            # is read (or the document the current directory is), never every directory
            # below it.
            scope = DEFAULT_SCOPE
        scope = _document_scope(root, scope)
        return cls(root, scope, repo)

    def write_place(self) -> WritePlace:
        """Where this workspace's lock and journal of unfinished writes are kept."""
        if self.repo is not None:
            return repository_place(self.repo)
        return write_place(self.root / (self.scope or "."))

    def git(self) -> Repository:
        """The git repository; a clear error when the terms are not in one."""
        if self.repo is None:
            raise GitError(f"{self.root} is not a git repository; versions, history and "
                           "--at need git ('git init' and commit the terms)")
        return self.repo

    def working(self) -> Snapshot:
        """The files in scope as they are on disk, uncommitted changes included (read once)."""
        if self._working is None:
            self._working = working_tree(self.root, self.scope)
        return self._working

    def documents(self) -> Loaded:
        """The documents of the working tree and their format problems (loaded once)."""
        if self._loaded is None:
            self._loaded = self.load(self.working())
        return self._loaded

    def require_documents(self) -> Loaded:
        """The working tree's documents; exit 2 when none can be read."""
        loaded = self.documents()
        require_documents(self, loaded)
        return loaded

    def at(self, revision: str) -> Snapshot:
        """The files in scope at a git revision, read from git objects (no checkout)."""
        repo = self.git()
        return repo.snapshot(repo.resolve(revision), self.scope or ".")

    def load(self, snapshot: Snapshot) -> Loaded:
        """Documents and problems of a snapshot, limited to this workspace's scope."""
        return load_documents(snapshot, self.scope)

    @property
    def history_root(self) -> str:
        """The part of the repository whose history is read: the top directory of the
        scope (``terms``), so a document keeps its history when it moves inside it."""
        return self.scope.split("/", 1)[0] if self.scope else "."

    def histories(self) -> list[DocumentHistory]:
        """The history of every document in scope that exists now: one ``git log`` for
        all, with the working tree as a draft on top (read once per workspace)."""
        return [h for h in self.all_histories() if h.present and in_scope(h, self.scope)]

    def all_histories(self) -> list[DocumentHistory]:
        """The history of every document that ever lived in scope, those since removed or
        moved out of it included (what the notice rules check)."""
        if self._histories is None:
            self._histories = self._read_histories()
        return self._histories

    def commits(self) -> list[CommitRecord]:
        """The commits that touched the history root, oldest first (one ``git log``, read
        once; the histories and `terms log --clause` share it)."""
        if self._commits is None:
            repo = self.git()
            head = repo.head()
            self._commits = []
            if head is not None:
                if repo.is_shallow():
                    raise GitError(f"the history of {self.root} is incomplete: {FETCH_ADVICE}")
                self._commits = repo.first_parent_history(head, self.history_root)
                _check_dates(self._commits)
        return self._commits

    def _read_histories(self) -> list[DocumentHistory]:
        repo = self.git()
        found = build_histories(self.commits(), repo.read_blob, self.working(), self.scope)
        return [h for h in found if any(inside(path, self.scope) for path in h.paths)]

    def documents_at(self, commit: str) -> dict[str, Document]:
        """The documents of a resolved commit below the history root, by directory (read
        once per commit): where a document was, before it moved."""
        if commit not in self._at:
            snapshot = self.git().snapshot(commit, self.history_root)
            loaded = load_documents(snapshot, "" if self.history_root == "." else
                                    self.history_root)
            self._at[commit] = {d.path: d for d in loaded.documents}
        return self._at[commit]

    def display(self, path: str) -> str:
        """A repository-relative path as the user should see it (relative to the cwd)."""
        absolute = self.root / path
        try:
            return show_path(os.path.relpath(absolute, Path.cwd()))
        except ValueError:
            return show_path(str(absolute))

    def where(self) -> str:
        """The scope as the user should see it, for messages."""
        return self.display(self.scope) if self.scope else str(self.root)


def _check_dates(commits: list[CommitRecord]) -> None:
    """A commit date is set by whoever makes the commit, and git takes any; the notice
    rules add days to it, and a date at the end of the calendar (9999-12-31) has no day
    after it. Such a commit is named instead of crashing the rules."""
    for commit in commits:
        for moment in (commit.authored, commit.committed):
            if not FIRST <= moment.date() <= LAST:
                raise GitError(f"commit {commit.sha[:12]} is dated {moment.date()}, outside "
                               f"the dates the notice rules can judge ({FIRST} to {LAST}); "
                               "recommit it with its true date")


def require_documents(workspace: Workspace, loaded: Loaded, where: str = "") -> None:
    """Exit 2 when nothing loaded: every unreadable manifest is named, or there is none."""
    if loaded.documents:
        return
    unreadable = [p for p in loaded.problems
                  if p.rule in ("yaml", "manifest", "encoding", "unreadable")]
    if len(unreadable) == 1:
        first = unreadable[0]
        raise UnreadableInput(first.message, file=first.file, line=first.line)
    if unreadable:
        lines = [f"{p.file}:{p.line}: {p.message}" if p.line else f"{p.file}: {p.message}"
                 for p in unreadable]
        suffix = f" (in {where})" if where else ""
        raise UnreadableInput("no document could be read" + suffix + ":\n  "
                              + "\n  ".join(lines))
    hint = ""
    if workspace.scope == DEFAULT_SCOPE and not (workspace.root / DEFAULT_SCOPE).is_dir():
        hint = " (without a PATH only ./terms is read: name the documents' directory)"
    raise UsageError(f"no document found under {workspace.where()}{hint}: a document is a "
                     "directory with a document.yaml (see docs/format.md); 'terms new' or "
                     "'terms import' creates one")


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


def writes(command: str) -> Callable[[Callable[Concatenate[Workspace, P], R]],
                                     Callable[Concatenate[Workspace, P], R]]:
    """Run a use case that writes (its first argument the Workspace) under the
    repository's lock, from its first read to its last write; a write a killed command
    left half done is put right first."""
    def decorate(func: Callable[Concatenate[Workspace, P], R]
                 ) -> Callable[Concatenate[Workspace, P], R]:
        def locked(workspace: Workspace, /, *args: P.args, **kwargs: P.kwargs) -> R:
            place = workspace.write_place()
            with repository_lock(place, command):
                recover_locked(place)
                return func(workspace, *args, **kwargs)

        functools.update_wrapper(locked, func)  # its name and docstring
        return locked

    return decorate
