"""The check use case: format rules over the working tree, notice rules over history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from termstool.app.workspace import Workspace
from termstool.errors import GitError
from termstool.history.document_history import today_for
from termstool.model.problems import Problem
from termstool.rules.notice import RuleContext, check_history
from termstool.storage.gitrepo import FETCH_ADVICE


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Everything `terms check` found, format and notice rules together."""

    workspace: Workspace
    documents: int
    problems: tuple[Problem, ...]
    base: str | None = None


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


def run_check(workspace: Workspace, *, now: dt.datetime, today: dt.date | None = None,
              base: str | None = None) -> CheckResult:
    """Format rules over the working tree, and the notice rules over git history."""
    loaded = workspace.require_documents()
    problems = list(loaded.problems)
    merge_base: str | None = None
    if workspace.repo is not None:
        after: set[str] | None = None
        if base is not None:
            merge_base, after = resolve_base(workspace, base)
        for history in workspace.histories():
            ctx = RuleContext(today_for(history, now, today), after)
            problems += check_history(history, ctx)
    elif base is not None:
        raise GitError("--base needs a git repository")
    return CheckResult(workspace, len(loaded.documents), tuple(problems), merge_base)
