"""The notice use case: a release compared with the one before, and the clause to quote."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from termstool.app.clause_edit import find_clause
from termstool.app.workspace import DEFAULT_SCOPE, Workspace
from termstool.compare.clause_diff import diff_document
from termstool.errors import RevisionError, UnreadableInput, UsageError
from termstool.format.addressing import AddressError
from termstool.format.loader import load_document, load_documents
from termstool.history.declarations import Correction
from termstool.history.document_history import (
    WORKING,
    DocumentHistory,
    Release,
    known_versions,
)
from termstool.model.document import Document
from termstool.report.notice import Notice, ReleaseChanges, find_change_clause
from termstool.storage.working_tree import working_tree


def document_at(workspace: Workspace, history: DocumentHistory, release: Release) -> Document:
    """A document as of the last commit of a release (a draft: the working tree), from the
    directory it had then."""
    commit = release.commit
    path = history.path if commit == WORKING else release.path or history.path
    snapshot = workspace.working() if commit == WORKING \
        else workspace.git().snapshot(commit, path)
    document, problems = load_document(snapshot, path)
    if document is None:
        where = "the working tree" if commit == WORKING else f"commit {commit[:12]}"
        detail = problems[0].message if problems else "no document.yaml"
        raise UnreadableInput(f"{path} cannot be read in {where} ({detail}); fix "
                              "its document.yaml")
    return document


def release_changes(workspace: Workspace, history: DocumentHistory,
                    release: Release) -> ReleaseChanges:
    """One release compared with the release before it (None before the first)."""
    index = history.releases.index(release)
    new = document_at(workspace, history, release)
    old = document_at(workspace, history, history.releases[index - 1]) if index else None
    return ReleaseChanges(new, old, release, diff_document(old, new),
                          _corrections(history, index))


def _corrections(history: DocumentHistory, index: int) -> tuple[Correction, ...]:
    """The corrections declared by the commits after the release before this one was
    recorded, up to the last commit of this one (history/declarations.py)."""
    release = history.releases[index]
    commits = [step.commit for step in history.steps]
    start = commits.index(history.releases[index - 1].record) + 1 \
        if index and history.releases[index - 1].record in commits else 0
    end = commits.index(release.commit) + 1 if release.commit in commits else len(commits)
    return tuple(change.correction for step in history.steps[start:end]
                 for change in step.changes if change.correction is not None)


def in_force_documents(workspace: Workspace, day: dt.date,
                       histories: Sequence[DocumentHistory],
                       before: Release | None = None) -> list[Document]:
    """Each document as it reads in the release in force on ``day`` (announced before,
    effective not after it), never ``before`` itself or a release after it."""
    out = []
    for history in histories:
        earlier = history.releases[:history.releases.index(before)] \
            if before is not None and before in history.releases else history.releases
        in_force = [r for r in earlier if r.effective <= day and not r.draft]
        if in_force:
            out.append(document_at(workspace, history,
                                   max(in_force, key=lambda r: r.effective)))
    return out


def load_notices(workspace: Workspace, version: str,
                 change_clause: str | None = None) -> list[Notice]:
    """The notice of release ``version`` for every document in scope that has it."""
    found = workspace.histories()
    hits = [(h, r) for h in found if (r := h.release(version)) is not None]
    if not hits:
        raise RevisionError(f"no document here has a release {version!r}; known versions: "
                            f"{', '.join(known_versions(found)) or 'none yet'}")
    items = [release_changes(workspace, h, r) for h, r in hits]
    # The change clause may live in another document (the SLA defers to the Terms of
    # Service): look in this release's documents, then in every document on disk.
    everywhere = load_documents(working_tree(workspace.root, DEFAULT_SCOPE)).documents \
        if (workspace.root / DEFAULT_SCOPE).is_dir() else ()
    others_now = [i.document for i in items] + list(everywhere)
    others = others_now
    named = _named_clause(workspace, change_clause, list(everywhere) or others) \
        if change_clause else None
    notices = []
    for item, (_history, release) in zip(items, hits, strict=True):
        # The customer's rights during the notice period are those of the terms in force
        # on the announcement day, not of the amended ones: quote the clause from there.
        in_force = in_force_documents(workspace, release.announced, found, release)
        own = next((d for d in in_force if d.id == item.document.id), item.document)
        others = [*in_force, *others_now]
        clause_id = named[1] if named else item.document.manifest.change_clause
        if clause_id is None:
            notices.append(Notice(item, None))
            continue
        if named is not None and named[0] != item.document.id:
            # --change-clause named a clause of another document: quote that one
            quote = find_change_clause(next(d for d in others if d.id == named[0]), [],
                                       clause_id)
        else:
            quote = find_change_clause(own, others, clause_id)
        if quote is None:
            raise UsageError(
                f"no clause with id {clause_id!r} in {item.document.id} or the other "
                "documents: the notice quotes what customers may do from the clause that "
                "promises notice of changes; pass --change-clause with that clause's id")
        notices.append(Notice(item, quote))
    return notices


def _named_clause(workspace: Workspace, address: str,
                  documents: Sequence[Document]) -> tuple[str, str]:
    """The (document id, clause id) that ``--change-clause`` names: a number, id or file
    as everywhere (:mod:`termstool.format.addressing`), looked up in the working tree."""
    unique = list({d.id: d for d in documents}.values())
    try:
        ref = find_clause(workspace, address, tuple(unique))
    except AddressError as exc:
        raise UsageError(f"--change-clause {address}: {exc}") from None
    return ref.document.id, ref.clause.id
