"""The `terms log --clause` use case: one clause's releases, changes and moves."""

from __future__ import annotations

from termstool.app.clause_edit import cwd_in_repository, find_clause
from termstool.app.workspace import Workspace
from termstool.errors import UsageError
from termstool.format.addressing import find_clauses, parse_address
from termstool.history.clause_log import Row, clause_history
from termstool.history.clause_trail import clause_places
from termstool.history.document_history import DocumentHistory


def log_clause(workspace: Workspace, address: str) -> dict[str, list[Row]]:
    """The history of the clause ``address`` names (number, id, file, ``DOC:``).

    A clause that no longer exists is found by its id in the history.
    """
    histories = workspace.histories()
    documents = workspace.documents().documents
    targets: list[tuple[DocumentHistory, str]]
    parsed = parse_address(address)
    if parsed.kind == "id" and not find_clauses(documents, address,
                                                cwd=cwd_in_repository(workspace)):
        # a clause that is gone: its id is still in the history
        targets = [(h, parsed.value) for h in histories
                   if (parsed.document is None or parsed.document in (h.id, h.path,
                                                                      h.path.rsplit("/", 1)[-1]))
                   and any(c.clause == parsed.value for s in h.steps for c in s.changes)]
    else:
        ref = find_clause(workspace, address, documents)
        targets = [(h, ref.clause.id) for h in histories if h.path == ref.document.path]
    if not targets:
        raise UsageError(f"no clause {address!r} has any history here; 'terms outline' lists "
                         "the clauses")
    repo = workspace.git()
    out = []
    for history, clause_id in targets:
        dirs = {step.commit: step.path or history.path for step in history.steps}
        places = clause_places(dirs, workspace.commits(), repo.read_blob,
                               workspace.working(), clause_id)
        out.append(clause_history(history, places, clause_id))
    return {"documents": out}
