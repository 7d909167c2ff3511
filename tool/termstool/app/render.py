"""The render use case: the documents to render, at the working tree or a revision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from termstool.app.revisions import resolve_revision
from termstool.app.workspace import Workspace, require_documents
from termstool.errors import UnreadableInput
from termstool.format.characters import show_path
from termstool.format.loader import Loaded
from termstool.history.document_history import DocumentHistory, Release, today_for
from termstool.model.document import Document
from termstool.model.problems import Problem
from termstool.report.banner import Banner, window_banner


@dataclass(frozen=True, slots=True)
class ToRender:
    """Documents to render, what was left out of them, and banners for the reader."""

    documents: tuple[Document, ...]
    warnings: tuple[str, ...]
    banner: tuple[Banner, ...]


def load_for_render(workspaces: Sequence[Workspace], at: str | None,
                    now: dt.datetime | None = None,
                    today: dt.date | None = None) -> ToRender:
    """Documents to render (working tree, or at a revision), warnings, and a banner.

    The working tree during a notice window is the amended text: its banner says when it
    was announced, when it takes effect and which version is in force until then.
    """
    documents: list[Document] = []
    warnings: list[str] = []
    banner: tuple[Banner, ...] = ()
    for workspace in workspaces:
        if at is None:
            loaded = workspace.documents()
            if now is not None and workspace.repo is not None:
                banner = _window(workspace, loaded.documents, now, today) or banner
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


def _window(workspace: Workspace, documents: Sequence[Document], now: dt.datetime,
            today: dt.date | None) -> tuple[Banner, ...]:
    """The banners of documents whose current version is announced but not in effect."""
    # The working tree's document.yaml holds the current version's dates: history (for
    # the version in force until then) is read only when a window is open.
    if not any(d.manifest.announced <= today_in(d, now, today) < d.manifest.effective
               for d in documents):
        return ()
    paths = {d.path: d for d in documents}
    banners = []
    for history in workspace.histories():
        document = paths.get(history.path)
        release = history.release(document.manifest.version) if document else None
        if document is None or release is None:
            continue
        day = today_for(history, now, today)
        if release.announced <= day < release.effective:
            banners.append(window_banner(document.manifest, release,
                                         _in_force(history, day, release)))
    return tuple(banners)


def today_in(document: Document, now: dt.datetime, today: dt.date | None) -> dt.date:
    """``today`` if given, else today in the document's timezone."""
    if today is not None:
        return today
    return now.astimezone(ZoneInfo(document.manifest.timezone)).date()


def _in_force(history: DocumentHistory, day: dt.date, release: Release) -> Release | None:
    """The committed release in effect on ``day``, other than ``release``."""
    return next((r for r in sorted(history.releases, key=lambda r: r.effective,
                                   reverse=True)
                 if r is not release and r.effective <= day and not r.draft), None)
