"""Where one clause stood after each commit: its file, its number, its parent.

The clause changes of :mod:`termstool.history.document_history` say when a clause's
text changed; a clause's number changes without its text (a clause inserted before it,
its file moved), so `terms log --clause` also needs its place after every commit. The
commits are replayed as lists of files, and only the clause's own branch of the tree
is numbered, level by level, the way the loader numbers a whole document: siblings in
file-name order, unnumbered ones skipped. Each file is parsed once (the parse is cached
by content).
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from termstool.format.clause_file import ClauseFile, parse_clause_file
from termstool.format.document_yaml import MANIFEST_NAME
from termstool.format.loader import INDEX_NAME
from termstool.format.numbering import number_siblings, sort_key
from termstool.history.document_history import WORKING, git_blob_id
from termstool.model.commits import CommitRecord
from termstool.model.snapshot import Snapshot


@dataclass(frozen=True, slots=True)
class Place:
    """A clause after one commit (or the working tree); ``file`` None: not there."""

    commit: str  # WORKING for the working tree
    when: dt.datetime | None
    file: str | None
    number: str | None  # "" for an unnumbered clause
    parent: str | None  # the parent clause's id, "" at the top level
    siblings: tuple[str, ...] = ()  # the ids at its level, itself included, in order


class _Tree:
    """The files below the history root, with the entries of each directory."""

    def __init__(self, read: Callable[[str], bytes]) -> None:
        self.read = read
        self.files: dict[str, str] = {}  # path -> blob
        self.entries: dict[str, dict[str, int]] = {}  # directory -> name -> files below

    def _count(self, path: str, step: int) -> None:
        parts = path.split("/")
        where = ""
        for part in parts:
            names = self.entries.setdefault(where, {})
            names[part] = names.get(part, 0) + step
            if names[part] <= 0:
                del names[part]
            where = f"{where}/{part}" if where else part

    def set(self, path: str, blob: str) -> None:
        if path not in self.files:
            self._count(path, 1)
        self.files[path] = blob

    def drop(self, path: str) -> None:
        if path in self.files:
            del self.files[path]
            self._count(path, -1)

    def parse(self, path: str) -> ClauseFile:
        return parse_clause_file(path, self.read(self.files[path]))

    def _level(self, directory: str) -> list[str]:
        """The clause files of one directory level in order (``_index.md`` for a
        sub-directory), as the loader orders them."""
        found: list[tuple[str, str]] = []
        for name in self.entries.get(directory, {}):
            path = f"{directory}/{name}"
            if name.endswith(".md") and name != INDEX_NAME and path in self.files:
                found.append((sort_key(name), path))
            elif f"{path}/{INDEX_NAME}" in self.files \
                    and f"{path}/{MANIFEST_NAME}" not in self.files:  # not a nested document
                found.append((sort_key(name), f"{path}/{INDEX_NAME}"))
        return [path for _key, path in sorted(found)]

    def place(self, doc_dir: str, path: str) -> tuple[str, str, tuple[str, ...]]:
        """The number, parent id and sibling ids of the clause in ``path``, a file of the
        document in ``doc_dir``."""
        own = posixpath.dirname(path) if path.endswith("/" + INDEX_NAME) else path
        chain = posixpath.relpath(own, doc_dir).split("/")
        directory, number, parent = doc_dir, "", ""
        siblings: tuple[str, ...] = ()
        for depth, name in enumerate(chain):
            level = self._level(directory)
            parsed = [self.parse(p) for p in level]
            numbers = number_siblings(number, [p.numbered for p in parsed])
            target = f"{directory}/{name}"
            index = next((i for i, p in enumerate(level)
                          if p == target or p == f"{target}/{INDEX_NAME}"), None)
            if index is None:
                return "", parent, ()
            number = numbers[index]
            if depth == len(chain) - 1:
                siblings = tuple(p.id or "" for p in parsed)
            else:
                parent = parsed[index].id or ""
            directory = target
        return number, parent, siblings


def _locate(tree: _Tree, doc_dir: str, clause_id: str, current: str | None,
            changed: Iterable[str]) -> str | None:
    """The file of the document holding the clause after a commit that changed
    ``changed``."""
    if current is not None and current in tree.files and current.startswith(doc_dir + "/") \
            and tree.parse(current).id == clause_id:
        return current
    return next((path for path in changed if path in tree.files and path.endswith(".md")
                 and path.startswith(doc_dir + "/") and tree.parse(path).id == clause_id),
                None)


def clause_places(dirs: Mapping[str, str], commits: Iterable[CommitRecord],
                  read: Callable[[str], bytes], working: Snapshot | None,
                  clause_id: str) -> list[Place]:
    """The clause's place after each commit that touched its document, then in the
    working tree when it differs from the last commit.

    ``dirs`` maps those commits (and WORKING) to the document's directory after them:
    a document keeps its history when its directory moves.
    """
    contents: dict[str, bytes] = {}

    def read_any(key: str) -> bytes:
        return contents[key] if key in contents else read(key)

    tree = _Tree(read_any)
    places: list[Place] = []
    current: str | None = None

    def record(key: str, when: dt.datetime | None, changed: list[str]) -> None:
        nonlocal current
        doc_dir = dirs[key]
        current = _locate(tree, doc_dir, clause_id, current, changed)
        if current is None:
            places.append(Place(key, when, None, None, None))
            return
        number, parent, siblings = tree.place(doc_dir, current)
        places.append(Place(key, when, current, number, parent, siblings))

    for commit in commits:
        changed = []
        for change in commit.changes:
            if change.status == "R" and change.old_path:  # a rename: the old path is gone
                tree.drop(change.old_path)
                changed.append(change.old_path)
            changed.append(change.path)
            if change.new_blob:
                tree.set(change.path, change.new_blob)
            else:
                tree.drop(change.path)
        if commit.sha in dirs:
            record(commit.sha, commit.committed, changed)
    if working is not None and WORKING in dirs:
        prefix = dirs[WORKING] + "/"
        present = {path for path in working.files if path.startswith(prefix)}
        changed = []
        for path in sorted(present):
            data = working.content(path)
            blob = git_blob_id(data)
            contents[blob] = data
            if tree.files.get(path) != blob:
                tree.set(path, blob)
                changed.append(path)
        for path in [p for p in tree.files if p.startswith(prefix) and p not in present]:
            tree.drop(path)
            changed.append(path)
        record(WORKING, None, changed)
    return places


def was_moved(clause_id: str, before: Place, after: Place) -> bool:
    """True when the clause itself moved: to another parent, or to another place among
    siblings that kept their order (a clause inserted before it only renumbers it)."""
    if before.parent != after.parent:
        return True
    common = set(before.siblings) & set(after.siblings)
    old = [cid for cid in before.siblings if cid in common]
    new = [cid for cid in after.siblings if cid in common]
    if old == new:
        return False
    return [cid for cid in old if cid != clause_id] == [cid for cid in new if cid != clause_id]
