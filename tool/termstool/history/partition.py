"""Which documents can be read apart: the history of a catalogue split into groups.

Documents are followed by identity, so the walk of :mod:`document_history` is global in
principle: a ``document.yaml`` that vanishes in one directory may come back in another.
But most documents never move. From the history of the ``document.yaml`` files alone
(one cheap ``git log``) this module finds the directories whose documents cannot meet
another: a directory whose manifest never disappears (never deleted, never renamed
away), created before any manifest anywhere disappears, with no document nested in
another. Each such directory is a group of its own; every other directory goes into one
shared group, walked together exactly as the whole history would be. When documents
nest, everything is one group.

A group's walk is exact only if it never had to look for a document elsewhere (a missing
one, one renamed away) at a time when one could exist; the walk records where it
looked (:attr:`document_history.Walked.lookups`) and :meth:`Partitions.trusts` says
whether those places were safe. A group that fails is merged into the shared group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from termstool.model.commits import CommitRecord, FileChange, is_manifest_name, parent_dir


def is_manifest(path: str) -> bool:
    """A ``document.yaml`` outside hidden directories (what the history reads)."""
    return is_manifest_name(path) and not path.startswith(".") and "/." not in path


@dataclass(frozen=True, slots=True)
class Partitions:
    """The document directories of a history and the groups they are read in."""

    dirs: frozenset[str]  # every directory that ever held a document.yaml
    groups: tuple[tuple[str, ...], ...]  # each walked on its own; sorted
    positions: Mapping[str, int]  # commit -> its place among the manifest commits
    end: int  # the working tree's place: after every commit
    first_gone: int  # where a manifest first disappears (end + 1 when none does)
    whole: bool  # documents nest: one group, the whole history
    present: frozenset[str] = frozenset()  # directories with a document.yaml now
    shared: tuple[str, ...] = ()  # the group of documents that may meet another
    _group: dict[str, int] = field(default_factory=dict, repr=False, compare=False)
    # directory -> its innermost document directory: files share their directory
    _memo: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)

    def position(self, commit: str) -> int:
        """The place of a commit (a commit that touches no manifest: the end, which is
        never trusted for a lookup when a manifest disappears)."""
        return self.positions.get(commit, self.end)

    def dir_of(self, path: str) -> str | None:
        """The innermost document directory holding ``path`` (None: no document's)."""
        start = parent_dir(path)
        if start in self._memo:
            return self._memo[start]
        self._memo[start] = found = self._innermost(start)
        return found

    def _innermost(self, directory: str) -> str | None:
        while True:
            if directory in self.dirs:
                return directory
            if not directory:
                return None
            directory = parent_dir(directory)

    def group_of(self, directory: str) -> tuple[str, ...]:
        """The group a document directory is read in."""
        return self.groups[self._group[directory]]

    def alone(self, group: tuple[str, ...]) -> bool:
        """True for a group of one document that never meets another (not the shared
        group, nor the whole history)."""
        return not self.whole and group != self.shared

    def trusts(self, lookups: Iterable[int]) -> bool:
        """True when a walk that looked beyond its documents at these places could not
        have found anything there: no manifest had disappeared yet."""
        return all(place < self.first_gone for place in lookups)

    def merged(self, groups: Iterable[tuple[str, ...]]) -> Partitions:
        """These partitions with ``groups`` moved into the shared group."""
        moved = {d for group in groups for d in group} - set(self.shared)
        if not moved or self.whole:
            return self
        keep = [g for g in self.groups if g != self.shared and not set(g) & moved]
        shared = tuple(sorted({*self.shared, *moved}))
        return _build(self.dirs, [*keep, shared], self.positions, self.end,
                      self.first_gone, False, self.present, shared)


def plan(manifest_commits: Sequence[CommitRecord], working: Mapping[str, bool],
         root: str) -> Partitions:
    """Group the document directories of a history (see the module docstring).

    ``manifest_commits`` are the commits that change a ``document.yaml`` below ``root``,
    oldest first, with those changes; ``working`` maps each ``document.yaml`` that
    differs in the working tree to whether it exists there.
    """
    positions: dict[str, int] = {}
    present: set[str] = set()
    ever: set[str] = set()
    added: list[tuple[int, str]] = []
    gone: dict[str, int] = {}
    for place, commit in enumerate(manifest_commits):
        positions[commit.sha] = place
        for change in commit.changes:
            for path, appears in _manifest_events(change):
                directory = parent_dir(path)
                ever.add(directory)
                if appears:
                    if directory not in present or change.status in "ARC":
                        added.append((place, directory))
                    present.add(directory)
                else:
                    present.discard(directory)
                    gone.setdefault(directory, place)
    end = len(manifest_commits)
    for path, exists in sorted(working.items()):
        if not is_manifest(path) or not _below(path, root):
            continue
        directory = parent_dir(path)
        ever.add(directory)
        if exists and directory not in present:
            present.add(directory)
            added.append((end, directory))
        elif not exists and directory in present:
            present.discard(directory)
            gone.setdefault(directory, end)
    first_gone = min(gone.values(), default=end + 1)
    dirs = frozenset(ever)
    if _nested(dirs):
        everything = tuple(sorted(dirs))
        return _build(dirs, [everything] if dirs else [], positions, end, first_gone, True,
                      frozenset(present), everything)
    shared = tuple(sorted(set(gone) | {d for place, d in added if place >= first_gone}))
    groups: list[tuple[str, ...]] = [(d,) for d in sorted(dirs - set(shared))]
    if shared:
        groups.append(shared)
    return _build(dirs, groups, positions, end, first_gone, False, frozenset(present), shared)


def _build(dirs: frozenset[str], groups: list[tuple[str, ...]], positions: Mapping[str, int],
           end: int, first_gone: int, whole: bool, present: frozenset[str],
           shared: tuple[str, ...]) -> Partitions:
    groups = sorted(groups)
    index = {d: i for i, group in enumerate(groups) for d in group}
    return Partitions(dirs, tuple(groups), positions, end, first_gone, whole, present,
                      shared, index)


def _manifest_events(change: FileChange) -> list[tuple[str, bool]]:
    """(manifest path, appears) for one file change: a rename is a disappearance there
    and an appearance here."""
    events: list[tuple[str, bool]] = []
    if change.old_path and is_manifest(change.old_path):
        events.append((change.old_path, False))
    if is_manifest(change.path):
        events.append((change.path, change.status != "D"))
    return events


def _below(path: str, root: str) -> bool:
    root = root.strip("/")
    return root in ("", ".") or path.startswith(root + "/")


def _nested(dirs: frozenset[str]) -> bool:
    """True when one document directory lies inside another (or at the root)."""
    if "" in dirs and len(dirs) > 1:
        return True
    for directory in dirs:
        parent = parent_dir(directory)
        while parent:
            if parent in dirs:
                return True
            parent = parent_dir(parent)
    return False


def restrict(commits: Iterable[CommitRecord], dirs: Iterable[str]) -> list[CommitRecord]:
    """The commits as they touch ``dirs`` only: the other files' changes dropped, a
    rename across the border seen as the deletion or the addition it is on this side."""
    wanted = {d.strip("/") for d in dirs}
    out: list[CommitRecord] = []
    for commit in commits:
        changes = [c for c in (_inside(change, wanted) for change in commit.changes)
                   if c is not None]
        if changes:
            out.append(replace(commit, changes=tuple(changes)))
    return out


def group_commits(commits: Iterable[CommitRecord], partitions: Partitions
                  ) -> dict[tuple[str, ...], list[CommitRecord]]:
    """Every commit split by the group each of its changes belongs to, in one pass
    (changes outside every document directory dropped)."""
    out: dict[tuple[str, ...], list[CommitRecord]] = {}
    for commit in commits:
        per_group: dict[tuple[str, ...], list[FileChange]] = {}
        for change in commit.changes:
            here = partitions.dir_of(change.path)
            there = partitions.dir_of(change.old_path) if change.old_path else here
            if here is None and there is None:
                continue
            group_here = partitions.group_of(here) if here is not None else None
            group_there = partitions.group_of(there) if there is not None else None
            if group_here == group_there:
                assert group_here is not None
                per_group.setdefault(group_here, []).append(change)
                continue
            for group in (group_here, group_there):
                if group is not None:
                    side = _inside(change, set(group))
                    if side is not None:
                        per_group.setdefault(group, []).append(side)
        for group, changes in per_group.items():
            out.setdefault(group, []).append(replace(commit, changes=tuple(changes)))
    return out


def _inside(change: FileChange, dirs: set[str]) -> FileChange | None:
    new_in = _under_any(change.path, dirs)
    old_in = bool(change.old_path) and _under_any(change.old_path, dirs)
    if not change.old_path:
        return change if new_in else None
    if new_in and old_in:
        return change
    if new_in:  # arrived from elsewhere: an addition here
        return FileChange("A", change.path, "", change.new_blob)
    if old_in:  # left for elsewhere: a deletion here
        return FileChange("D", change.old_path, change.old_blob, "")
    return None


def _under_any(path: str, dirs: set[str]) -> bool:
    directory = parent_dir(path)
    while True:
        if directory in dirs:
            return True
        if not directory:
            return False
        directory = parent_dir(directory)
