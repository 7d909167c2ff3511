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
import posixpath
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from termstool.app.cache import Cache
from termstool.app.histories import Group, HistoryReader, Progress, Regroup, ordered
from termstool.app.parallel_groups import in_processes, processes_for, shares
from termstool.errors import GitError, UnreadableInput, UsageError
from termstool.format.characters import show_path
from termstool.format.dates import label_problem
from termstool.format.document_yaml import MANIFEST_NAME
from termstool.format.loader import Loaded, load_document, load_documents
from termstool.history.document_history import DocumentHistory, in_scope, inside
from termstool.model.commits import CommitRecord
from termstool.model.document import Document
from termstool.model.problems import Problem
from termstool.model.snapshot import Deferred, Snapshot
from termstool.storage.gitrepo import Repository
from termstool.storage.lock import WritePlace, repository_lock, repository_place, write_place
from termstool.storage.staging import recover, recover_locked
from termstool.storage.working_tree import working_tree

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

DEFAULT_SCOPE = "terms"
# Groups of documents whose blobs are read from git in one request (a few thousand).
READ_AHEAD = 16


@dataclass(slots=True, eq=False)
class Workspace:
    """A terms repository (git or plain directory) and the part of it a command works on."""

    root: Path
    scope: str  # repository-relative path of the documents in scope
    repo: Repository | None
    use_cache: bool = True  # False with --no-cache: history is read afresh, nothing kept
    progress: Progress | None = None  # told about long work (the command line shows it)
    jobs: int | None = None  # processes that may walk histories (None: one a core)
    _working: Snapshot | None = field(default=None, repr=False)
    _loaded: Loaded | None = field(default=None, repr=False)
    _histories: list[DocumentHistory] | None = field(default=None, repr=False)
    _at: dict[str, dict[str, Document]] = field(default_factory=dict, repr=False)
    _reader: HistoryReader | None = field(default=None, repr=False)
    _git_working: Snapshot | None = field(default=None, repr=False)
    _by_dir: dict[str, list[str]] | None = field(default=None, repr=False)
    _docs: dict[tuple[str, str], tuple[Document | None, list[Problem]]] = field(
        default_factory=dict, repr=False)
    _slices: dict[tuple[str, ...], Snapshot] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, path: Path | None = None, *, need_git: bool = False,
             use_cache: bool = True, jobs: int | None = None) -> Workspace:
        """Open the repository around ``path`` (default: the current directory's ./terms);
        ``jobs`` processes may read history (None: one a core)."""
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
        return cls(root, scope, repo, use_cache, jobs=jobs)

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

    def reader(self) -> HistoryReader:
        """The history of the history root, read as little as each question needs."""
        if self._reader is None:
            repo = self.git()
            self._reader = HistoryReader(repo, self.history_root,
                                         Cache.at(repo.git_dir, self.use_cache),
                                         self.progress)
        return self._reader

    def working(self) -> Snapshot:
        """The files in scope as they are on disk, uncommitted changes included (read once)."""
        if self._working is None:
            self._working = working_tree(self.root, self.scope)
        return self._working

    def working_deferred(self) -> Snapshot:
        """:meth:`working`, read only when its files are first asked for."""
        if self._working is not None:
            return self._working
        return Snapshot("working tree", Deferred(lambda: self.working().files),
                        lambda key: self.working().read(key))

    def load_documents_in(self, snapshot: Snapshot, dirs: Iterable[str]) -> Loaded:
        """The documents of a snapshot below ``dirs`` only (a commit's, or the working
        tree's), limited to the scope: reads nothing else."""
        wanted = sorted(dict.fromkeys(dirs))
        if snapshot.commit is not None:
            part = self.git().snapshot_of(snapshot.commit, wanted)
        else:
            found = [working_tree(self.root, d) for d in wanted]
            files = {p: k for s in found for p, k in s.files.items()}
            readers = {p: s.read for s in found for p in s.files}
            part = Snapshot(snapshot.label, files, lambda key: readers[key](key))
        return load_documents(part, self.scope)

    def may_be_version(self, text: str) -> bool:
        """False when no document.yaml in history or on disk could make ``text`` a
        version label (so it is not one, and history need not be walked to know): a text
        that no document.yaml may hold as its version (``main~1``) is never looked up."""
        return label_problem(text) is None and self.reader().is_version(text)

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
        return self.reader().full_log()

    def _read_histories(self) -> list[DocumentHistory]:
        reader = self.reader()
        reader.look_at_working_tree()  # the grouping asks git status
        if not self.scope or self.scope == self.history_root:
            # every document may be read: the log summary gives the cache keys
            reader.state()
        while True:
            try:
                groups = reader.groups_within(self.scope)
                found: list[tuple[tuple[int, str], DocumentHistory]] = []
                todo = []
                for group in groups:
                    kept = self._cached_histories(group)
                    if kept is None:
                        todo.append(group)
                    else:
                        found += kept
                for walked in self.each_group(todo, self.group_histories, "reading history"):
                    found += walked
                reader.repo.unpin()
                break
            except Regroup:
                continue
        return [h for h in ordered(found) if any(inside(path, self.scope) for path in h.paths)]

    def each_group(self, todo: list[Group], work: Callable[[Group], T], what: str
                   ) -> list[T]:
        """``work`` of each group of ``todo`` (its results in that order): in several
        processes when the groups are many (``app/parallel_groups.py``), else here, a
        few groups' blobs read from git at a time; progress is told as ``what``."""
        def tell(done: int) -> None:
            self.tell(what, done, len(todo))

        if len(todo) > READ_AHEAD:  # many groups: one listing of the whole tree
            self.read_whole_working_tree()
        count = processes_for(len(todo), self.jobs)
        if count > 1:
            reader = self.reader()
            costs = [sum(len(c.changes) for c in reader.commits_of(g)) for g in todo]
            found = in_processes(self, shares(todo, costs, count), work, tell)
            results = [found[group] for group in todo]
        else:
            results = self.share_in_turn(todo, work, tell)
        tell(len(todo))
        return results

    def share_in_turn(self, groups: Sequence[Group], work: Callable[[Group], T],
                      tell: Callable[[int], None]) -> list[T]:
        """``work`` of each group, one after the other, the blobs of a few groups read
        from git in one request; ``tell`` hears how many are done."""
        results = []
        for done, group in enumerate(groups):
            tell(done)
            if done % READ_AHEAD == 0:
                self.read_ahead(list(groups[done:done + READ_AHEAD]))
            results.append(work(group))
        return results

    def regroup(self, group: Group) -> None:
        """Merge ``group`` with the groups it does not stand apart from (a worker found
        so, see :meth:`HistoryReader.regroup`)."""
        self.reader().regroup(group)

    def after_fork(self) -> None:
        """In a worker process: tell nobody, and read git through processes of its own."""
        self.progress = None
        self.reader().progress = None
        self.git().forget_processes()

    def read_ahead(self, groups: list[Group]) -> None:
        """Read the blobs the next groups' walks and working-tree files need, in one
        request to git."""
        reader = self.reader()
        reader.repo.unpin()
        reader.read_ahead(groups, self.working_of([d for g in groups for d in g]))

    def _cached_histories(self, group: Group
                          ) -> list[tuple[tuple[int, str], DocumentHistory]] | None:
        found = self.reader().cached(
            "history", group,
            lambda kept: kept[2] if isinstance(kept, tuple) and len(kept) == 3 else None)
        if not isinstance(found, tuple):
            return None
        return list(zip(found[0], found[1], strict=True))

    def group_histories(self, group: Group
                        ) -> list[tuple[tuple[int, str], DocumentHistory]]:
        """The histories of one group's documents with their order keys: from the cache
        when no directory of the group has uncommitted changes, else walked."""
        reader = self.reader()
        kept = self._cached_histories(group)
        if kept is not None:
            return kept
        key = reader.key(group)
        walked = reader.walk(group, self.working_of(group), self.scope)
        if key is not None:
            reader.cache.save("history", key, (walked.order, walked.histories,
                                               walked.lookups))
        reader.parse.clear()
        return list(zip(walked.order, walked.histories, strict=True))

    def histories_touching(self, paths: set[str]) -> list[DocumentHistory]:
        """The histories of the groups of documents that hold any of ``paths`` (a pull
        request's), walked afresh: every document that ever lived in scope among them."""
        reader = self.reader()
        while True:
            try:
                found: list[tuple[tuple[int, str], DocumentHistory]] = []
                for group in reader.groups_of(paths):
                    walked = reader.walk(group, self.working_of(group), self.scope)
                    found += zip(walked.order, walked.histories, strict=True)
                break
            except Regroup:
                continue
        return [h for h in ordered(found) if any(inside(path, self.scope) for path in h.paths)]

    def working_of(self, dirs: Iterable[str]) -> Snapshot:
        """The working tree below ``dirs`` (inside the scope), keyed by blob id so that
        history and loader share their parses; a slice of the whole tree when it has
        been read, else read for these directories only."""
        wanted = sorted(d for d in dirs if inside(d, self.scope) or inside(self.scope, d))
        if self._git_working is not None and self._by_dir is not None:
            files = {p: self._git_working.files[p] for d in wanted
                     for p in self._by_dir.get(d, ())}
            whole = self._git_working
            return Snapshot(whole.label, files, whole.read, blob_ids=True,
                            prefetch=whole.prefetch, changed=whole.changed)
        narrowed = tuple(d if inside(d, self.scope) else self.scope for d in wanted)
        if narrowed not in self._slices:  # asked once per set of directories
            self._slices[narrowed] = self.git().worktree(narrowed, self.reader().dirty().keys())
        return self._slices[narrowed]

    def read_whole_working_tree(self) -> Snapshot:
        """The whole working tree in scope, keyed by blob id, indexed by the document
        directory of each file (for a command that reads every document)."""
        if self._git_working is None:
            snapshot = self.git().worktree([self.scope or "."], self.reader().dirty().keys())
            parts = self.reader().partitions()
            by_dir: dict[str, list[str]] = {}
            for path in snapshot.files:
                directory = parts.dir_of(path)
                if directory is not None:
                    by_dir.setdefault(directory, []).append(path)
            self._git_working, self._by_dir = snapshot, by_dir
        return self._git_working

    def working_document(self, path: str) -> Document | None:
        """One document of the working tree by its directory (None: no usable document)."""
        return self.document_in(self.working_of([path]), path)[0]

    def document_at(self, commit: str, path: str) -> Document | None:
        """One document at a resolved commit by its directory (None: none there)."""
        return self.document_in(self.git().snapshot_of(commit, [path]), path)[0]

    def document_in(self, snapshot: Snapshot, path: str
                    ) -> tuple[Document | None, list[Problem]]:
        """Load one document directory of a snapshot (once per snapshot and directory);
        None when it has no usable document.yaml."""
        key = (snapshot.commit or "", path)
        if key not in self._docs:
            manifest = posixpath.join(path, MANIFEST_NAME)
            if manifest not in snapshot.files:
                self._docs[key] = (None, [])
            else:
                below = snapshot.under(path)
                nested = sorted({posixpath.dirname(p) for p in below
                                 if posixpath.basename(p) == MANIFEST_NAME} - {path})
                cache = self.reader().parse if self.repo is not None else None
                self._docs[key] = load_document(snapshot, path, exclude=nested, cache=cache,
                                                paths=below)
        return self._docs[key]

    def documents_at(self, commit: str) -> dict[str, Document]:
        """The documents of a resolved commit below the history root, by directory (read
        once per commit): where a document was, before it moved."""
        if commit not in self._at:
            snapshot = self.git().snapshot(commit, self.history_root)
            loaded = load_documents(snapshot, "" if self.history_root == "." else
                                    self.history_root)
            self._at[commit] = {d.path: d for d in loaded.documents}
        return self._at[commit]

    def tell(self, what: str, done: int, total: int) -> None:
        """Report progress on long work to whoever listens (the command line)."""
        if self.progress is not None:
            self.progress(what, done, total)

    def forget_documents(self) -> None:
        """Drop the documents loaded so far (a reader of many documents keeps few)."""
        self._docs.clear()

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
