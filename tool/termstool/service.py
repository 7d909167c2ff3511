"""Use cases behind the commands: load what a command needs and return data, never print."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from termstool.document import Document
from termstool.errors import GitError, UnreadableInput, UsageError
from termstool.gitrepo import FETCH_ADVICE
from termstool.loader import Loaded
from termstool.problems import Problem
from termstool.workspace import Workspace

if TYPE_CHECKING:
    from termstool.history import DocumentHistory


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


# ---------------------------------------------------------------- history and rules

def histories(workspace: Workspace) -> list[DocumentHistory]:
    """The history of every document in scope: one ``git log`` for all, plus the working
    tree as a draft on top."""
    from termstool.history import build_history
    from termstool.loader import document_dirs

    repo = workspace.git()
    working = workspace.working()
    head = repo.head()
    commits = []
    dirs = set(document_dirs(working, workspace.scope))
    if head is not None:
        if repo.is_shallow():
            raise GitError(f"the history of {workspace.root} is incomplete: "
                           f"{FETCH_ADVICE}")
        commits = repo.first_parent_history(head, workspace.scope or ".")
        dirs |= set(document_dirs(workspace.at(head), workspace.scope))
    out = []
    for doc_dir in sorted(dirs):
        history = build_history(doc_dir, commits, repo.read_blob, working)
        if history is not None:
            out.append(history)
    return out


def today_for(history: DocumentHistory, now: dt.datetime, fixed: dt.date | None) -> dt.date:
    """``--today`` if given, else today's date in the document's timezone."""
    if fixed is not None:
        return fixed
    return now.astimezone(ZoneInfo(history.manifest.timezone)).date()


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


def run_check(path: Path | None, *, now: dt.datetime, today: dt.date | None = None,
              base: str | None = None) -> CheckResult:
    """Format rules over the working tree, and the notice rules over git history."""
    from termstool.notice_rules import RuleContext, check_history

    workspace, loaded = load_working(path)
    problems = list(loaded.problems)
    merge_base: str | None = None
    if workspace.repo is not None:
        after: set[str] | None = None
        if base is not None:
            merge_base, after = resolve_base(workspace, base)
        for history in histories(workspace):
            ctx = RuleContext(today_for(history, now, today), after)
            problems += check_history(history, ctx)
    elif base is not None:
        raise GitError("--base needs a git repository")
    return CheckResult(workspace, len(loaded.documents), tuple(problems), merge_base)
