"""Who made each change of a Word redline, and when: read from git history.

A change to a clause is credited to the commit that gave the clause file the content it
has in NEW (for a removed clause: the commit that deleted its file), found on NEW's
first-parent history; its author's name and commit date go on every revision of that
clause. An uncommitted change (NEW is the working tree) is credited to "terms" at the
moment of the command; so is anything git cannot place. ``--author`` replaces the name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from termstool.app.revisions import WORKTREE, resolve_revision
from termstool.app.workspace import Workspace
from termstool.errors import GitError
from termstool.history.document_history import git_blob_id
from termstool.model.document import Document
from termstool.model.snapshot import Snapshot
from termstool.render.docx_writer import Revision
from termstool.render.full_redline import FullRedline, Presence
from termstool.render.redline_docx import RevisionFor, revisions_by

DEFAULT_AUTHOR = "terms"


def redline_revisions(workspace: Workspace, new_text: str | None, full: FullRedline,
                      old_docs: Sequence[Document], new_docs: Sequence[Document], *,
                      author: str | None, now: dt.datetime) -> RevisionFor:
    """The author and date of each entry of ``full`` (see the module docstring)."""
    fallback = Revision(author or DEFAULT_AUTHOR, now)
    if workspace.repo is None:
        return revisions_by(fallback)
    repo = workspace.git()
    head = repo.head()
    if head is None:
        return revisions_by(fallback)
    new_point = resolve_revision(workspace, new_text or WORKTREE)
    snapshot = new_point.snapshot
    working = new_point.worktree or snapshot is workspace.working()
    tip = snapshot.commit or head
    try:
        records = repo.first_parent_history(tip, workspace.scope or ".")
    except GitError:
        return revisions_by(fallback)
    if snapshot.commit is not None and records:
        fallback = Revision(author or DEFAULT_AUTHOR, records[-1].committed)
    head_files = repo.snapshot(head, workspace.scope or ".").files if working else {}
    # Newest first: (path, new blob) -> the commit that wrote it.
    made_by: dict[tuple[str, str], tuple[str, dt.datetime]] = {}
    for record in reversed(records):
        for change in record.changes:
            made_by.setdefault((change.path, change.new_blob), (record.sha, record.committed))
    names = repo.author_names(sorted({sha for sha, _ in made_by.values()}))
    old_files = {(d.id, c.id): c.file for d in old_docs for c in d.walk()}
    new_files = {(d.id, c.id): c.file for d in new_docs for c in d.walk()}
    known: dict[tuple[str, str], Revision] = {}
    for document in full.documents:
        for entry in document.entries:
            if not entry.changed:
                continue
            gone = entry.presence in (Presence.REMOVED, Presence.MOVED_FROM)
            key = (document.id, entry.id)
            path = old_files.get(key) if gone and entry.presence is Presence.REMOVED \
                else new_files.get((document.id, entry.id if not gone else _partner(
                    full, document.id, entry.id)))
            if path is None:
                continue
            blob = "" if entry.presence is Presence.REMOVED else _blob(snapshot, path,
                                                                       working)
            if working and blob != head_files.get(path, ""):
                known[key] = Revision(author or DEFAULT_AUTHOR, now)
                continue
            found = made_by.get((path, blob))
            if found is not None:
                sha, when = found
                known[key] = Revision(author or names.get(sha) or DEFAULT_AUTHOR, when)
    return revisions_by(fallback, known)


def _partner(full: FullRedline, doc_id: str, old_id: str) -> str:
    """The new id of a moved clause, from its entry at the new place (same id if none)."""
    for document in full.documents:
        if document.id != doc_id:
            continue
        for entry in document.entries:
            if entry.presence is Presence.MOVED_TO and entry.change is not None \
                    and entry.change.old_id == old_id:
                return entry.id
    return old_id


def _blob(snapshot: Snapshot, path: str, working: bool) -> str:
    if path not in snapshot.files:
        return ""
    if working:
        return git_blob_id(snapshot.content(path))
    return snapshot.files[path]
