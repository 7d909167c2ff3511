"""The render use case: the documents to render, at the working tree or a revision."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from termstool.app.revisions import resolve_revision
from termstool.app.workspace import Workspace, require_documents
from termstool.errors import UnreadableInput
from termstool.format.characters import show_path
from termstool.format.loader import Loaded
from termstool.model.document import Document
from termstool.model.problems import Problem


@dataclass(frozen=True, slots=True)
class ToRender:
    """Documents to render, what was left out of them, and a banner for the reader."""

    documents: tuple[Document, ...]
    warnings: tuple[str, ...]
    banner: str | None


def load_for_render(workspaces: Sequence[Workspace], at: str | None) -> ToRender:
    """Documents to render (working tree, or at a revision), warnings, and a banner."""
    documents: list[Document] = []
    warnings: list[str] = []
    banner: str | None = None
    for workspace in workspaces:
        if at is None:
            loaded = workspace.documents()
        else:
            point = resolve_revision(workspace, at)
            loaded = workspace.load(point.snapshot)
            banner = point.banner
        require_documents(workspace, loaded, at or "")
        refuse_incomplete(workspace, loaded)
        documents.extend(loaded.documents)
        warnings.extend(describe(p) for p in loaded.problems if p.blocking)
    return ToRender(tuple(documents), tuple(warnings), banner)


def refuse_incomplete(workspace: Workspace, loaded: Loaded) -> None:
    """Exit 2 when a file was left out of a document: the rendered text would lack a
    clause and number the rest wrongly, and nothing on the page would say so."""
    if not loaded.dropped:
        return
    first = loaded.dropped[0]
    more = len(loaded.dropped) - 1
    also = f" (and {more} more file{'s' * (more != 1)}: run 'terms check')" if more else ""
    raise UnreadableInput(f"{first.message}; the document is incomplete without this "
                          f"file{also}", file=workspace.display(first.file or ""),
                          line=first.line)


def describe(problem: Problem) -> str:
    """``file:line: message`` of a problem, for a one-line warning."""
    file = show_path(problem.file) if problem.file else ""
    where = f"{file}:{problem.line}: " if problem.line else (f"{file}: " if file else "")
    return f"{where}{problem.message}"
