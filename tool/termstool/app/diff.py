"""The diff use case: load the two sides of a comparison through the revision grammar."""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

from termstool.app.revisions import WORKTREE, Point, resolve_revision
from termstool.app.workspace import Workspace
from termstool.errors import UnreadableInput, UsageError
from termstool.format.document_yaml import MANIFEST_NAME
from termstool.history.document_history import inside
from termstool.model.commits import changed_paths
from termstool.model.document import Document

# Problems that leave a clause or a document out of a side: the redline would otherwise
# show it as removed without saying why. `terms check` reports everything else.
DROPPING_RULES = ("yaml", "manifest", "encoding", "front-matter", "id", "duplicate-id",
                  "layout")


@dataclass(frozen=True, slots=True)
class Sides:
    """The two sides of a comparison: labels, documents, and why something was left out."""

    old_label: str
    old: tuple[Document, ...]
    new_label: str
    new: tuple[Document, ...]
    warnings: tuple[str, ...]


def load_sides(workspace: Workspace, old: str | None, new: str | None, *,
               every_document: bool = False) -> Sides:
    """Load OLD (default HEAD) and NEW (default the working tree) through the revision
    grammar; the workspace reads git history at most once for both.

    Only the documents holding a file that differs are read (a document without a
    difference has nothing to show), unless ``every_document``."""
    if old is None and workspace.git().head() is None:
        raise UsageError("the repository has no commits yet, so there is no HEAD to compare "
                         "the working tree with; commit the terms first, or name the two "
                         "versions to compare")
    old_rev, new_rev = old or "HEAD", new or WORKTREE
    warnings: list[str] = []
    sides = []
    points = [resolve_revision(workspace, text) for text in (old_rev, new_rev)]
    touched = None if every_document else touched_documents(workspace, points[0], points[1])
    shared = _shared_manifests(workspace, points, touched[2]) if touched else None
    for side, point, dirs in zip(("OLD", "NEW"), points, touched[:2] if touched else
                                 (None, None), strict=True):
        loaded = workspace.load(point.snapshot) if dirs is None \
            else workspace.load_documents_in(point.snapshot, dirs)
        unreadable = [p for p in loaded.problems if p.rule == "unreadable"]
        if unreadable:  # a link out of the repository, a file no one may read: refused
            raise UnreadableInput(unreadable[0].message, file=unreadable[0].file)
        warnings += [f"in {side} ({point.label}): "
                     + (f"{p.file}: " if p.file else "") + p.message
                     for p in loaded.problems if p.blocking and p.rule in DROPPING_RULES]
        documents = loaded.documents
        if dirs is not None:
            documents = tuple(sorted((*documents, *_unchanged(workspace, point, dirs, shared)),
                                     key=lambda d: d.path))
        sides.append((point.label, documents))
    (old_label, old_docs), (new_label, new_docs) = sides
    old_docs = _followed(workspace, points[0], old_docs, new_docs)
    new_docs = _followed(workspace, points[1], new_docs, old_docs)
    if not old_docs and not new_docs and touched is None:
        raise UsageError(f"no document found under {workspace.where()} in {old_label} or "
                         f"{new_label}: a document is a directory with a document.yaml "
                         "(see docs/format.md)")
    return Sides(old_label, old_docs, new_label, new_docs, tuple(warnings))


def touched_documents(workspace: Workspace, old: Point, new: Point
                      ) -> tuple[list[str], list[str], set[str]] | None:
    """The document directories on each side that hold a file that differs between two
    commits, or a commit and the working tree (all a redline can show), and the files
    that differ. Asked of git (``git diff``, ``git status``) without reading either side
    whole. None when that cannot be known so (a side assembled from several releases,
    no git, no document)."""
    if workspace.repo is None:
        return None
    sides = (old, new)
    if any(p.snapshot.commit is None and not p.worktree for p in sides):
        return None
    if not _any_document_on_disk(workspace):
        return None  # nothing here: the whole comparison says why
    reader = workspace.reader()
    repo = workspace.git()
    head = reader.head()
    commits = {p.snapshot.commit for p in sides if not p.worktree}
    paths: set[str] = set()
    if any(p.worktree for p in sides):
        paths |= set(reader.dirty())
        if head is not None:
            commits.add(head)
    if len(commits) == 2:
        first, second = sorted(c for c in commits if c is not None)
        paths |= changed_paths(repo.changed_files(first, second, workspace.scope or "."))
    paths = {p for p in paths if inside(p, workspace.scope) and _relevant(p)}
    return (_documents_holding(workspace, old, paths), _documents_holding(workspace, new, paths),
            paths)


def _documents_holding(workspace: Workspace, point: Point, paths: set[str]) -> list[str]:
    """The innermost document directory (inside the scope) of each path, on one side."""
    candidates: dict[str, None] = {}
    for path in paths:
        directory = posixpath.dirname(path)
        while inside(directory, workspace.scope):
            candidates[directory] = None
            if directory == workspace.scope or not directory:
                break
            directory = posixpath.dirname(directory)
    manifests = [posixpath.join(d, MANIFEST_NAME) for d in candidates]
    if point.worktree:
        present = {m for m in manifests if (workspace.root / m).is_file()}
    else:
        assert point.snapshot.commit is not None
        present = workspace.git().existing(point.snapshot.commit, manifests)
    found = set()
    for path in paths:
        directory = posixpath.dirname(path)
        while inside(directory, workspace.scope):
            if posixpath.join(directory, MANIFEST_NAME) in present:
                found.add(directory)
                break
            if directory == workspace.scope or not directory:
                break
            directory = posixpath.dirname(directory)
    return sorted(found)


def _shared_manifests(workspace: Workspace, points: list[Point], changed: set[str]
                      ) -> dict[str, str] | None:
    """Between two commits, the ``document.yaml`` files that do not differ: the same on
    both sides, so one listing serves both (None when a side is the working tree)."""
    if any(p.worktree or p.snapshot.commit is None for p in points):
        return None
    found = workspace.git().manifests_at(points[1].snapshot.commit, workspace.scope or ".")
    return {path: blob for path, blob in found.items() if path not in changed}


def _unchanged(workspace: Workspace, point: Point, touched: list[str],
               shared: dict[str, str] | None) -> list[Document]:
    """The documents of one side that hold no file that differs, from their
    ``document.yaml`` alone: they have no change to show, and the redline lists them
    as unchanged (their clauses are never read). ``shared``: the manifests that do not
    differ between two commits (a manifest that differs lies in a touched directory)."""
    repo = workspace.git()
    reader = workspace.reader()
    dirty = reader.dirty() if point.worktree else {}
    found = shared if shared is not None else repo.manifests_at(
        None if point.worktree else point.snapshot.commit, workspace.scope or ".")
    skip = set(touched)
    wanted = {path: blob for path, blob in found.items()
              if posixpath.dirname(path) not in skip and path not in dirty
              and inside(posixpath.dirname(path), workspace.scope)}
    fetched = repo.read_blobs(reader.parse.missing(wanted.values()))
    documents = []
    for path, blob in sorted(wanted.items()):
        manifest, _problems = reader.parse.manifest_at(blob, path, fetched.__getitem__)
        if manifest is not None:
            documents.append(Document(posixpath.dirname(path), manifest, (), {}))
    return documents


def _any_document_on_disk(workspace: Workspace) -> bool:
    """True when a document.yaml lies in the scope on disk (the first one found ends
    the search: a catalogue has one in its first directory)."""
    pending = [workspace.root / workspace.scope] if workspace.scope else [workspace.root]
    while pending:
        directory = pending.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.name == MANIFEST_NAME and entry.is_file():
                return True
            if entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))
    return False


def _relevant(path: str) -> bool:
    name = posixpath.basename(path)
    return (name.endswith(".md") or name == MANIFEST_NAME) and not any(
        part.startswith(".") for part in path.split("/"))


def _followed(workspace: Workspace, point: Point, docs: tuple[Document, ...],
              other: tuple[Document, ...]) -> tuple[Document, ...]:
    """``docs``, plus the documents of ``other`` that lived outside PATH at this commit:
    a document keeps its identity (its id) when its directory moves."""
    missing = {d.id for d in other} - {d.id for d in docs}
    commit = point.snapshot.commit
    if not missing or commit is None or workspace.history_root == workspace.scope:
        return docs
    found = [d for d in workspace.documents_at(commit).values() if d.id in missing]
    return (*docs, *found)
