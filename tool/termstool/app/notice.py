"""The notice use case: a release compared with the one before, and the clause to quote."""

from __future__ import annotations

from collections.abc import Sequence

from termstool.app.clause_edit import find_clause
from termstool.app.workspace import DEFAULT_SCOPE, Workspace
from termstool.compare.clause_diff import diff_document
from termstool.errors import RevisionError, UnreadableInput, UsageError
from termstool.format.addressing import AddressError
from termstool.format.loader import load_document, load_documents
from termstool.history.document_history import (
    WORKING,
    DocumentHistory,
    Release,
    known_versions,
)
from termstool.model.document import Document
from termstool.report.notice import (
    DEFAULT_CHANGE_CLAUSE,
    Notice,
    ReleaseChanges,
    find_change_clause,
)
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
    return ReleaseChanges(new, old, release, diff_document(old, new))


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
    others = [i.document for i in items] + list(everywhere)
    named = _named_clause(workspace, change_clause, list(everywhere) or others) \
        if change_clause else None
    notices = []
    for item in items:
        clause_id = (named[1] if named else item.document.manifest.change_clause
                     or DEFAULT_CHANGE_CLAUSE)
        if named is not None and named[0] != item.document.id:
            # --change-clause named a clause of another document: quote that one
            quote = find_change_clause(next(d for d in others if d.id == named[0]), [],
                                       clause_id)
        else:
            quote = find_change_clause(item.document, others, clause_id)
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
