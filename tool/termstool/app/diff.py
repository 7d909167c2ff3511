"""The diff use case: load the two sides of a comparison through the revision grammar."""

from __future__ import annotations

from dataclasses import dataclass

from termstool.app.revisions import WORKTREE, Point, resolve_revision
from termstool.app.workspace import Workspace
from termstool.errors import UsageError
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


def load_sides(workspace: Workspace, old: str | None, new: str | None) -> Sides:
    """Load OLD (default HEAD) and NEW (default the working tree) through the revision
    grammar; the workspace reads git history at most once for both."""
    if old is None and workspace.git().head() is None:
        raise UsageError("the repository has no commits yet, so there is no HEAD to compare "
                         "the working tree with; commit the terms first, or name the two "
                         "versions to compare")
    old_rev, new_rev = old or "HEAD", new or WORKTREE
    warnings: list[str] = []
    sides = []
    points = []
    for side, text in (("OLD", old_rev), ("NEW", new_rev)):
        point = resolve_revision(workspace, text)
        points.append(point)
        loaded = workspace.load(point.snapshot)
        warnings += [f"in {side} ({point.label}): "
                     + (f"{p.file}: " if p.file else "") + p.message
                     for p in loaded.problems if p.blocking and p.rule in DROPPING_RULES]
        sides.append((point.label, loaded.documents))
    (old_label, old_docs), (new_label, new_docs) = sides
    old_docs = _followed(workspace, points[0], old_docs, new_docs)
    new_docs = _followed(workspace, points[1], new_docs, old_docs)
    if not old_docs and not new_docs:
        raise UsageError(f"no document found under {workspace.where()} in {old_label} or "
                         f"{new_label}: a document is a directory with a document.yaml "
                         "(see docs/format.md)")
    return Sides(old_label, old_docs, new_label, new_docs, tuple(warnings))


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
