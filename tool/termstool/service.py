"""Use cases behind the commands: load what a command needs and return data, never print."""

from __future__ import annotations

from pathlib import Path

from termstool.document import Document
from termstool.errors import UnreadableInput, UsageError
from termstool.loader import Loaded
from termstool.problems import Problem
from termstool.workspace import Workspace


def _no_documents(workspace: Workspace) -> UsageError:
    where = workspace.display(workspace.scope) if workspace.scope else str(workspace.root)
    return UsageError(f"no document found under {where}: a document is a directory with a "
                      "document.yaml (see docs/format.md); 'terms import' creates one")


def load_working(path: Path | None) -> tuple[Workspace, Loaded]:
    """The documents in the working tree around ``path``; exit 2 when there are none."""
    workspace = Workspace.open(path)
    loaded = workspace.load(workspace.working())
    if not loaded.documents:
        unreadable = [p for p in loaded.problems if p.rule in ("yaml", "manifest", "encoding")]
        if unreadable:
            first = unreadable[0]
            raise UnreadableInput(first.message, file=first.file, line=first.line)
        raise _no_documents(workspace)
    return workspace, loaded


def load_for_render(paths: list[Path | None], at: str | None
                    ) -> tuple[list[Document], list[str], str | None]:
    """Documents to render (working tree, or at a revision), warnings, and a banner."""
    documents: list[Document] = []
    warnings: list[str] = []
    banner: str | None = None
    for path in paths:
        workspace = Workspace.open(path)
        if at is None:
            loaded = workspace.load(workspace.working())
        else:
            from termstool.revisions import resolve_revision

            point = resolve_revision(workspace, at)
            loaded = workspace.load(point.snapshot)
            banner = point.banner
        if not loaded.documents:
            raise _no_documents(workspace)
        documents.extend(loaded.documents)
        warnings.extend(_describe(p) for p in loaded.problems if p.blocking)
    return documents, warnings, banner


def _describe(problem: Problem) -> str:
    where = f"{problem.file}:{problem.line}: " if problem.line else (
        f"{problem.file}: " if problem.file else "")
    return f"{where}{problem.message}"
