"""The check use case: format rules over the working tree, notice rules over history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass

from termstool.app.workspace import Workspace
from termstool.errors import GitError
from termstool.format.clause_file import parse_clause_file
from termstool.history.document_history import (
    WORKING,
    DocumentHistory,
    first_new_step,
    in_scope,
    inside,
    settings_at,
    today_for,
)
from termstool.model.problems import Problem
from termstool.rules.locate import blame_new_duplicates, duplicate_pairs, name_deleted_files
from termstool.rules.notice import RuleContext, check_history, notice_clause
from termstool.storage.gitrepo import FETCH_ADVICE


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Everything `terms check` found, format and notice rules together."""

    workspace: Workspace
    documents: int
    problems: tuple[Problem, ...]
    base: str | None = None  # the merge base, in pull-request mode
    added: frozenset[str] = frozenset()  # the commits the pull request adds
    # Why the notice rules were not checked (they read git history), or None when they were.
    skipped: str | None = None


def resolve_base(workspace: Workspace, base: str) -> tuple[str, set[str]]:
    """The merge base of ``base`` and HEAD, and the commits a pull request adds after it."""
    repo = workspace.git()
    head = repo.head()
    if head is None:
        raise GitError("the repository has no commits yet; commit first, then compare")
    base_commit = repo.resolve(base)
    merge_base = repo.merge_base(base_commit, head)
    if merge_base is None:
        raise GitError(f"{base} and HEAD have no common history; {FETCH_ADVICE}")
    return merge_base, repo.commits_between(merge_base, head)


def new_in(after: Collection[str]) -> Callable[[str], bool]:
    """True for the commits a pull request adds, and for the working tree."""
    def is_new(commit: str) -> bool:
        return commit == WORKING or commit in after
    return is_new


def base_path(history: DocumentHistory, after: Collection[str]) -> str | None:
    """Where the document was at the base of a pull request (None: it did not exist)."""
    first = first_new_step(history, new_in(after))
    if first == 0:
        return None
    step = history.steps[first - 1]
    return step.path if step.present else None


def rule_context(workspace: Workspace, history: DocumentHistory, *, now: dt.datetime,
                 today: dt.date | None, merge_base: str | None,
                 after: Collection[str] | None) -> RuleContext | None:
    """The context one document is checked in, or None when it is not checked here.

    Outside a pull request: the documents in scope, and those last seen there. In a pull
    request also those the base had in scope (moved out or removed by it), judged by the
    base's settings: even "today" is the day in the base's timezone.
    """
    if after is None or merge_base is None:
        if not in_scope(history, workspace.scope):
            return None
        return RuleContext(today_for(history, now, today))
    first = first_new_step(history, new_in(after))
    timezone = settings_at(history, first).timezone
    was = base_path(history, after)
    now_in_scope = in_scope(history, workspace.scope)
    if not now_in_scope and (was is None or not inside(was, workspace.scope)):
        return None
    old = workspace.documents_at(merge_base).get(was) if was is not None else None
    new = next((d for d in workspace.documents().documents if d.path == history.path), None) \
        if history.present else None
    return RuleContext(today_for(history, now, today, timezone), after, (old, new),
                       now_in_scope)


def run_check(workspace: Workspace, *, now: dt.datetime, today: dt.date | None = None,
              base: str | None = None) -> CheckResult:
    """Format rules over the working tree, and the notice rules over git history."""
    loaded = workspace.require_documents()
    problems = list(loaded.problems)
    for document in loaded.documents:
        problems += notice_clause(document)
    merge_base: str | None = None
    after: set[str] | None = None
    if workspace.repo is not None:
        if base is not None:
            merge_base, after = resolve_base(workspace, base)
        for history in workspace.all_histories():
            ctx = rule_context(workspace, history, now=now, today=today,
                               merge_base=merge_base, after=after)
            if ctx is not None:
                problems += check_history(history, ctx)
    elif base is not None:
        raise GitError("--base needs a git repository")
    problems = _locate(workspace, problems, merge_base)
    skipped = None
    if workspace.repo is None:
        skipped = (f"{workspace.where()} is not in a git repository, and the notice rules "
                   "read git history: only the file format was checked")
    return CheckResult(workspace, len(loaded.documents), tuple(problems), merge_base,
                       frozenset(after or ()), skipped)


def _locate(workspace: Workspace, problems: list[Problem],
            merge_base: str | None) -> list[Problem]:
    """Point problems at the right files (see :mod:`termstool.rules.locate`)."""
    documents = workspace.documents().documents
    working = workspace.working()
    problems = name_deleted_files(problems, documents, working.files)
    pairs = duplicate_pairs(problems, documents)
    repo = workspace.repo
    reference = merge_base or (repo.head() if repo is not None else None)
    if not pairs or repo is None or reference is None:
        return problems
    snapshot = repo.snapshot(reference, workspace.scope or ".")
    established: dict[str, set[str]] = {}
    for problem, kept in pairs:
        for path in (problem.file, kept):
            if path and path in snapshot.files and problem.clause == parse_clause_file(
                    path, snapshot.content(path)).id:
                established.setdefault(problem.clause or "", set()).add(path)

    def id_line(path: str) -> int:
        return parse_clause_file(path, working.content(path)).id_line

    where = f"the base of the pull request ({reference[:12]})" if merge_base \
        else "the last commit"
    return blame_new_duplicates(problems, documents, established, id_line, where)
