"""Reading the history of a catalogue by groups of documents, each group once, cached.

The history of every document is one walk over the commits (``history/``), but most
documents can be read apart (``history/partition.py``): what a command needs decides how
much is read. A pull request touching one document of three hundred reads the history
of that one document (``git log`` limited to its directory), whatever the size of the
catalogue; a full check reads the whole log once and walks each group in turn, keeping
only one group's parsed files in memory.

What a walk derives from commits is cached by the last commit that touched the group
(``app/cache.py``), and so is a summary of the whole log per HEAD: the next run after a
new commit reads only the commits since the last run and walks only the groups they
touched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from termstool.app.cache import Cache
from termstool.errors import GitError
from termstool.format.dates import FIRST, LAST
from termstool.format.parse_cache import ParseCache
from termstool.history.document_history import DocumentHistory, Walked, walk_histories
from termstool.history.partition import (
    Partitions,
    group_commits,
    is_manifest,
    plan,
    restrict,
)
from termstool.model.commits import (
    CommitRecord,
    changed_paths,
    is_manifest_name,
    parent_dir,
)
from termstool.model.snapshot import Snapshot
from termstool.storage.gitrepo import FETCH_ADVICE, Repository

Group = tuple[str, ...]
Progress = Callable[[str, int, int], None]  # what, done, total


class Regroup(Exception):
    """A group's walk looked where a document of another group could have been: the
    groups were merged, and whatever was computed per group must be computed again."""


@dataclass(frozen=True, slots=True)
class LogState:
    """What the whole log says, as far as grouping and cache keys need; kept per HEAD so
    that the next run reads only the commits after it."""

    head: str
    count: int  # commits that touch the history root
    manifests: tuple[CommitRecord, ...]  # those that change a document.yaml (only those)
    last: Mapping[str, tuple[int, str]]  # directory -> (index, sha) of the last commit


@dataclass(frozen=True, slots=True)
class ManifestLog:
    """The commits of the first-parent line to ``head`` that change a document.yaml."""

    head: str
    manifests: tuple[CommitRecord, ...]


def _relevant(path: str) -> bool:
    if not (path.endswith(".md") or is_manifest_name(path)):
        return False
    return not path.startswith(".") and "/." not in path  # no part of it is hidden


class HistoryReader:
    """The history of one repository's history root, read as little as a command needs."""

    def __init__(self, repo: Repository, root: str, cache: Cache,
                 progress: Progress | None = None) -> None:
        self.repo = repo
        self.root = root  # "." for the whole repository
        self.cache = cache
        self.progress = progress
        self.parse = ParseCache()
        self._head: str | bool | None = False
        self._dirty: dict[str, bool] | None = None
        self._status: dict[str, str] = {}
        self._started: Callable[[], dict[str, str]] | None = None  # a status under way
        self._manifests: list[CommitRecord] | None = None
        self._state: LogState | None = None
        self._full: list[CommitRecord] | None = None
        self._grouped: dict[Group, list[CommitRecord]] | None = None
        self._partitions: Partitions | None = None
        self._narrow: dict[Group, list[CommitRecord]] = {}  # logs of single directories
        self._committed: frozenset[str] | None = None
        self._drafts: frozenset[str] | None = None

    # ------------------------------------------------------------------------ basics

    def head(self) -> str | None:
        """The commit HEAD points to (None before the first commit); checks the clone
        is complete once."""
        if self._head is False:
            head = self.repo.head()
            if head is not None and self.repo.is_shallow():
                raise GitError(f"the history of {self.repo.root} is incomplete: "
                               f"{FETCH_ADVICE}")
            self._head = head
        assert self._head is not True
        return self._head

    def dirty(self) -> Mapping[str, bool]:
        """Files below the root that differ on disk (clause files and manifests), each
        with whether it exists there: one ``git status``."""
        if self._dirty is None:
            started, self._started = self._started, None
            self._status = started() if started is not None else \
                self.repo.worktree_changes(self.root)
            self._dirty = {p: (self.repo.root / p).is_file()
                           for p in self._status if _relevant(p)}
        return self._dirty

    def look_at_working_tree(self) -> None:
        """Start the ``git status`` that :meth:`dirty` will read, for a command that is
        sure to need it: git looks at the working tree (a good part of a second in a
        catalogue of 100,000 files) while the command reads the log."""
        if self._dirty is None and self._started is None:
            self._started = self.repo.worktree_changes_started(self.root)

    def dirty_manifests(self) -> list[str]:
        """The ``document.yaml`` files below the root that differ on disk and exist there:
        from :meth:`dirty` when it is known, else from a ``git status`` of those files
        alone (a catalogue's 30,000 clause files are not looked at)."""
        if self._dirty is not None:
            return [p for p, exists in self._dirty.items() if exists and is_manifest(p)]
        return [p for p in self.repo.manifest_changes(self.root)
                if _relevant(p) and (self.repo.root / p).is_file()]

    def uncommitted(self, scope: str) -> bool:
        """True when a file inside ``scope`` (any file, ignored ones apart) has changes
        that are not committed, as ``git status`` says (asked once for the root)."""
        self.dirty()
        return any(code != "!!" and _inside(path, scope) for path, code in self._status.items())

    def _log(self, **narrow: object) -> list[CommitRecord]:
        head = self.head()
        if head is None:
            return []
        found = self.repo.first_parent_history(head, self.root, **narrow)  # type: ignore[arg-type]
        _check_dates(found)
        return found

    def full_log(self) -> list[CommitRecord]:
        """Every commit touching the root, oldest first (one ``git log``, read once)."""
        if self._full is None:
            self._full = self._log()
        return self._full

    # ---------------------------------------------------------------------- grouping

    def manifest_commits(self) -> Sequence[CommitRecord]:
        """The commits that change a document.yaml, with those changes only."""
        if self._state is None and self._full is None and self._manifests is None:
            summary = self.cache.load("log", self.root)  # the last run's summary
            if isinstance(summary, LogState) and summary.head == self.head():
                self._state = summary
            else:
                self._manifests = self._manifest_log(summary)
        if self._state is not None:
            return self._state.manifests
        if self._full is not None:
            return _manifests_of(self._full)
        assert self._manifests is not None
        return self._manifests

    def _manifest_log(self, summary: object) -> list[CommitRecord]:
        """The commits that change a document.yaml: kept by an earlier run (its own entry,
        or the ``summary`` of the whole log) for HEAD or for a commit that HEAD descends
        from along its first-parent line, with the commits since read (a pull request's
        branch on top of a checked main); else read whole. Kept for the next run by HEAD,
        the commit that fixes them."""
        head = self.head()
        if head is None:
            return []
        for kept in (self.cache.load("manifests", self.root), summary):
            if isinstance(kept, LogState | ManifestLog):
                new = self._since(kept.head, head, manifests_only=True)
                if new is not None:
                    found = [*kept.manifests, *new]
                    break
        else:
            found = self._log(manifests_only=True)
        self.cache.save("manifests", self.root, ManifestLog(head, tuple(found)))
        return found

    def partitions(self) -> Partitions:
        """The groups the documents are read in (see ``history/partition.py``)."""
        if self._partitions is None:
            dirty = {p: exists for p, exists in self.dirty().items() if is_manifest(p)}
            self._partitions = plan(self.manifest_commits(), dirty, self.root)
        return self._partitions

    def groups_within(self, scope: str) -> list[Group]:
        """The groups with a document directory inside ``scope`` (all for "")."""
        return [g for g in self.partitions().groups if any(_inside(d, scope) for d in g)]

    def groups_of(self, paths: Iterable[str]) -> list[Group]:
        """The groups whose documents hold any of ``paths``."""
        parts = self.partitions()
        dirs = {parts.dir_of(p) for p in paths}
        return sorted({parts.group_of(d) for d in dirs if d is not None})

    # ------------------------------------------------------------------- the log state

    def state(self) -> LogState:
        """The summary of the whole log at HEAD: from the cache, brought up to date with
        the commits since the last run, or read from the full log."""
        if self._state is not None:
            return self._state
        head = self.head()
        if head is None:
            self._state = LogState("", 0, (), {})
            return self._state
        # One entry per history root: the summary at the HEAD of the last run.
        kept = self.cache.load("log", self.root)
        if isinstance(kept, LogState) and kept.head == head:
            self._state = kept
            return kept
        found = self._update(kept, head)
        if found is None:
            found = _summarise(head, self.full_log(), 0, (), {})
        self.cache.save("log", self.root, found)
        self._state = found
        return found

    def _update(self, previous: object, head: str) -> LogState | None:
        """The previous run's summary extended by the commits since, when HEAD moved
        forward along its first-parent line; None otherwise."""
        if not isinstance(previous, LogState):
            return None
        new = self._since(previous.head, head)
        if new is None:
            return None
        return _summarise(head, new, previous.count, previous.manifests, previous.last)

    def _since(self, kept: str, head: str, **narrow: object) -> list[CommitRecord] | None:
        """The commits after ``kept`` up to ``head`` (narrowed as :meth:`_log` narrows),
        when HEAD descends from ``kept`` along its first-parent line; None otherwise."""
        try:
            chain = self.repo.first_parent_chain(head, kept)
        except GitError:
            return None
        if chain is None:
            return None
        return self._log(since=kept, **narrow) if chain else []

    def cached(self, kind: str, group: Group,
               lookups: Callable[[object], Iterable[int] | None]) -> object | None:
        """What an earlier run kept of ``kind`` for a group whose commits and files have
        not changed; ``lookups`` says where the kept walk looked beyond its documents
        (None: not an entry of that kind). A group that stands alone trusts the entry
        only if nothing could have been found at those places."""
        key = self.key(group)
        if key is None:
            return None
        found = self.cache.load(kind, key)
        looked = lookups(found)
        if looked is None:
            return None
        parts = self.partitions()
        if parts.alone(group) and not parts.trusts(looked):
            return None
        return found

    def key(self, group: Group) -> str | None:
        """The cache key of a group's walk: its directories and the last commit that
        touched them (None when a directory has uncommitted changes, or when the log
        summary is not known yet: a command reading a few documents does not read the
        whole log for it)."""
        parts = self.partitions()
        dirty = self.dirty()
        if any(parts.dir_of(p) in group for p in dirty):
            return None
        if self._state is None:
            return None
        last = self._state.last
        marks = [last[d] for d in (parts.dirs if parts.whole else group) if d in last]
        if not marks:
            return None
        kind = "whole" if parts.whole else "group"
        return f"{kind}|{self.root}|{'|'.join(group)}@{max(marks)[1]}"

    # -------------------------------------------------------------------------- walks

    def commits_of(self, group: Group) -> list[CommitRecord]:
        """The commits of one group, changes outside it dropped."""
        parts = self.partitions()
        if parts.whole:
            return self.full_log()
        if self._full is not None:
            if self._grouped is None:
                self._grouped = group_commits(self._full, parts)
            return self._grouped.get(group, [])
        if parts.alone(group):
            # a document that never moved: git can limit the log to its directory
            if group not in self._narrow:
                self._narrow[group] = restrict(self._log(paths=group), group)
            return self._narrow[group]
        return restrict(self.full_log(), group)

    def read_ahead(self, groups: Iterable[Group], working: Snapshot | None) -> None:
        """Read in one request every blob the walks of ``groups`` (and the loading of
        their working-tree files) will ask for: one round trip to git instead of one per
        commit. :meth:`Repository.unpin` forgets them."""
        wanted: list[str] = []
        for group in groups:
            for commit in self.commits_of(group):
                wanted += [c.new_blob for c in commit.changes if c.new_blob and _relevant(c.path)]
        if working is not None:  # files changed on disk are not in git: read from disk
            wanted += [k for p, k in working.files.items() if p not in working.changed]
        self.repo.pin(self.parse.missing(wanted))

    def walk(self, group: Group, working: Snapshot | None, scope: str) -> Walked:
        """The histories of one group's documents (the working tree, inside ``scope``,
        a draft on top); Regroup when the group turns out not to stand alone."""
        parts = self.partitions()
        walked = walk_histories(self.commits_of(group), self.repo.read_blob, working, scope,
                                cache=self.parse, read_many=self.repo.read_blobs,
                                position=parts.position, working_position=parts.end)
        if parts.alone(group) and not parts.trusts(walked.lookups):
            self.regroup(group)
            raise Regroup(group)
        return walked

    def regroup(self, group: Group) -> None:
        """Merge ``group`` with the groups it does not stand apart from: its walk looked
        where a document of another group could have been."""
        self._partitions = self.partitions().merged([group])
        self._grouped = None

    def is_version(self, text: str) -> bool:
        """Whether a document.yaml of the history, or one changed in the working tree,
        records ``text`` as a version: a superset of the labels of the releases, found
        without walking the history (only document.yaml files are read, each content
        once). The working tree is asked only about a text no commit records."""
        return text in self.committed_versions() or text in self.draft_versions()

    def committed_versions(self) -> frozenset[str]:
        """Every version a committed document.yaml of the history records (kept in the
        cache by HEAD)."""
        if self._committed is None:
            head = self.head()
            key = f"{self.root}@{head}"
            kept = self.cache.load("versions", key) if head is not None else None
            if isinstance(kept, frozenset):
                self._committed = kept
            else:
                blobs = [c.new_blob for m in self.manifest_commits() for c in m.changes
                         if c.new_blob and is_manifest(c.path)]
                self._committed = frozenset(self._versions_of(
                    self.repo.read_blobs(self.parse.missing(blobs)), blobs))
                if head is not None:
                    self.cache.save("versions", key, self._committed)
        return self._committed

    def draft_versions(self) -> frozenset[str]:
        """The versions the document.yaml files changed in the working tree record."""
        if self._drafts is None:
            found: set[str] = set()
            for path in self.dirty_manifests():
                try:
                    data = (self.repo.root / path).read_bytes()
                except OSError:
                    continue
                found |= self._versions_of({path: data}, [path])
            self._drafts = frozenset(found)
        return self._drafts

    def _versions_of(self, fetched: Mapping[str, bytes], keys: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for key in dict.fromkeys(keys):
            manifest, problems = self.parse.manifest_at(key, "", fetched.__getitem__)
            if manifest is not None and not any(p.blocking for p in problems):
                found.add(manifest.version)
        return found

    def touched_since(self, base: str) -> set[str]:
        """Clause files and manifests that the first-parent commits after ``base``, or the
        working tree, change (what a pull request touches)."""
        self.look_at_working_tree()  # while the log is read
        paths: set[str] = set()
        if self.head() is not None:
            for commit in self._log(since=base):
                paths |= changed_paths(commit.changes)
        paths.update(self.dirty())
        return {p for p in paths if _relevant(p)}


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


def _inside(path: str, scope: str) -> bool:
    scope = scope.strip("/")
    return not scope or path == scope or path.startswith(scope + "/")


def _manifests_of(commits: Iterable[CommitRecord]) -> list[CommitRecord]:
    out = []
    for commit in commits:
        changes = tuple(c for c in commit.changes
                        if is_manifest(c.path) or (c.old_path and is_manifest(c.old_path)))
        if changes:
            out.append(replace(commit, changes=changes))
    return out


def _summarise(head: str, commits: Sequence[CommitRecord], count: int,
               manifests: tuple[CommitRecord, ...],
               last: Mapping[str, tuple[int, str]]) -> LogState:
    """A log summary extended by ``commits`` (oldest first)."""
    manifests = (*manifests, *_manifests_of(commits))
    dirs = {parent_dir(c.path) for m in manifests for c in m.changes
            if is_manifest(c.path)}
    dirs |= {parent_dir(c.old_path) for m in manifests for c in m.changes
             if c.old_path and is_manifest(c.old_path)}
    updated = dict(last)
    above: dict[str, tuple[str, ...]] = {}  # directory -> the document directories above
    for index, commit in enumerate(commits, start=count):
        for change in commit.changes:
            for path in (change.path, change.old_path):
                if path:
                    directory = parent_dir(path)
                    found = above.get(directory)
                    if found is None:
                        found = above[directory] = _documents_above(directory, dirs)
                    for document in found:
                        updated[document] = (index, commit.sha)
    return LogState(head, count + len(commits), manifests, updated)


def _documents_above(directory: str, dirs: set[str]) -> tuple[str, ...]:
    """Every document directory that is ``directory`` or above it."""
    found = []
    while True:
        if directory in dirs:
            found.append(directory)
        if not directory:
            return tuple(found)
        directory = parent_dir(directory)


def ordered(found: Iterable[tuple[tuple[int, str], DocumentHistory]]) -> list[DocumentHistory]:
    """Histories of several groups in the order their documents first appeared."""
    return [h for _, h in sorted(found, key=lambda item: item[0])]
