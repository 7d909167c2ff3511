"""The site use case: the public archive of the terms, built from committed history.

The site publishes what git records at ``HEAD``: every release announced by the site's
day, each compared with the release before it; uncommitted changes are never published
(the command says so when there are some). The pages are data
(:mod:`termstool.report.site`) rendered to files (:mod:`termstool.render.site_html`);
this module reads git once, renders and writes the directory as a unit, and serves it
for a preview.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from termstool.app.workspace import Workspace
from termstool.compare.clause_diff import diff_document
from termstool.errors import GitError, UnreadableInput, UsageError
from termstool.format.loader import load_document
from termstool.history.document_history import (
    DocumentHistory,
    Release,
    build_histories,
    in_scope,
    today_for,
)
from termstool.model.document import Document
from termstool.render.site_html import render_site
from termstool.report.notice import ReleaseChanges
from termstool.report.site import SITEMAP, DocumentInput, Site, build_site, published
from termstool.storage.directory import write_tree
from termstool.storage.gitrepo import Repository


@dataclass(frozen=True, slots=True)
class SiteBuild:
    """The site as data, and what the reader should know about it."""

    site: Site
    notes: tuple[str, ...]


def base_address(text: str | None) -> str | None:
    """``--base-url`` checked and ending with "/": an absolute http(s) address."""
    if text is None:
        return None
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query \
            or parts.fragment or any(ch.isspace() for ch in text):
        raise UsageError(f"--base-url {text!r}: give the site's absolute address, e.g. "
                         "https://example.com/terms/ (http or https, no query or fragment)")
    return text.rstrip("/") + "/"


def load_site(paths: Sequence[Path | None], *, now: dt.datetime, today: dt.date | None,
              base_url: str | None) -> SiteBuild:
    """Build the site of the documents under ``paths`` (default: ./terms), as of
    ``today`` (default: today in the first document's timezone)."""
    base = base_address(base_url)
    workspaces = [Workspace.open(path, need_git=True) for path in (paths or [None])]
    roots = {w.root for w in workspaces}
    if len(roots) > 1:
        raise UsageError("the paths are in different repositories: "
                         + ", ".join(str(r) for r in sorted(roots)))
    repo = workspaces[0].git()
    if repo.head() is None:
        raise GitError("nothing is committed yet: the site publishes committed releases; "
                       "commit the terms first")
    histories = _committed_histories(repo, workspaces)
    if not histories:
        raise UsageError("no document with a committed release here; commit a document "
                         "(a directory with a document.yaml) first")
    day = today if today is not None else today_for(histories[0], now, None)
    documents: dict[str, Document] = {}  # commit + path -> document, each read once
    inputs = []
    for history in histories:
        releases = published(history, day)
        items = []
        for release in releases:
            before = history.releases.index(release) - 1
            new = _document_at(repo, history, release, documents)
            old = _document_at(repo, history, history.releases[before], documents) \
                if before >= 0 else None
            items.append(ReleaseChanges(new, old, release, diff_document(old, new)))
        inputs.append(DocumentInput(history, tuple(items)))
    site = build_site(inputs, today=day, base_url=base)
    notes = [f"{doc_id}: no release announced by {day}; not published yet"
             for doc_id in site.left_out]
    if base is None:
        notes.append(f"no --base-url: {SITEMAP} is not written (a sitemap needs absolute "
                     "addresses) and the feed links to pages relative to the site's root")
    if any(repo.is_dirty(w.root / w.scope if w.scope else w.root) for w in workspaces):
        notes.append("uncommitted changes are not published: the site shows what is "
                     "committed")
    return SiteBuild(site, tuple(notes))


def _committed_histories(repo: Repository, workspaces: Sequence[Workspace]) -> list[
        DocumentHistory]:
    """The history of each document in scope at ``HEAD``, without the working tree:
    documents are followed across moves and renames, as every command follows them."""
    seen: dict[str, DocumentHistory] = {}
    for workspace in workspaces:
        for history in build_histories(workspace.commits(), repo.read_blob, None,
                                       workspace.scope):
            if history.present and in_scope(history, workspace.scope):
                seen.setdefault(history.path, history)
    ids: dict[str, str] = {}
    for path, history in sorted(seen.items()):
        if history.id in ids:
            raise UsageError(f"{ids[history.id]} and {path} both have the id {history.id!r}; "
                             "each document needs its own id (its address on the site)")
        ids[history.id] = path
    return sorted(seen.values(), key=lambda h: h.id)


def _document_at(repo: Repository, history: DocumentHistory, release: Release,
                 cache: dict[str, Document]) -> Document:
    """A document as of the last commit of a release, from the directory it had then."""
    path = release.path or history.path
    key = f"{release.commit}:{path}"
    if key not in cache:
        document, problems = load_document(repo.snapshot(release.commit, path), path)
        if document is None:
            detail = problems[0].message if problems else "no document.yaml"
            raise UnreadableInput(f"{path} cannot be read in commit {release.commit[:12]} "
                                  f"({detail})")
        cache[key] = document
    return cache[key]


def write_site(build: SiteBuild, directory: Path, *, force: bool = False) -> int:
    """Render the site and replace ``directory`` with it as one unit (see
    storage.directory); return the number of files written."""
    return write_tree(directory, render_site(build.site),
                      marker=b'<meta name="generator" content="terms site', force=force)


_TYPES = {".atom": "application/atom+xml", ".xml": "application/xml", ".css": "text/css",
          ".html": "text/html; charset=utf-8", ".svg": "image/svg+xml"}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site's files; Atom and the sitemap with their own types."""

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        """The media type of a file of the site, by its suffix."""
        return _TYPES.get(os.path.splitext(path)[1].lower()) or super().guess_type(path)

    def log_message(self, format: str, *args: object) -> None:
        """Requests are not logged: the preview's terminal shows only its address."""


def preview_server(directory: Path, port: int = 8000) -> http.server.ThreadingHTTPServer:
    """An HTTP server for ``directory`` on 127.0.0.1 only (``port`` 0: any free port); the
    caller runs ``serve_forever``."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    try:
        return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise UsageError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}; "
                         "choose another port with --port") from None
