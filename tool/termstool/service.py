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
from termstool.snapshot import Snapshot
from termstool.workspace import Workspace

if TYPE_CHECKING:
    from termstool.history import DocumentHistory


def _no_documents(workspace: Workspace) -> UsageError:
    where = workspace.display(workspace.scope) if workspace.scope else str(workspace.root)
    return UsageError(f"no document found under {where}: a document is a directory with a "
                      "document.yaml (see docs/format.md); 'terms import' creates one")


def guard_overwrite(path: Path, force: bool) -> None:
    """Refuse to overwrite a file git tracks whose changes are not committed, unless
    ``force``; untracked outputs (generated pages, feeds) are replaced freely."""
    if force or not path.is_file():
        return
    from termstool.errors import UncommittedChanges
    from termstool.gitrepo import Repository

    try:
        repo = Repository.discover(path.resolve().parent)
    except GitError:
        return
    if repo.is_dirty(path, untracked=False):
        raise UncommittedChanges(f"{path} has uncommitted changes that this would overwrite; "
                                 "commit them, write elsewhere with -o, or pass --force")


def require_documents(workspace: Workspace, loaded: Loaded, where: str = "") -> None:
    """Exit 2 when nothing loaded: every unreadable manifest is named, or there is none."""
    if loaded.documents:
        return
    unreadable = [p for p in loaded.problems if p.rule in ("yaml", "manifest", "encoding")]
    if len(unreadable) == 1:
        first = unreadable[0]
        raise UnreadableInput(first.message, file=first.file, line=first.line)
    if unreadable:
        lines = [f"{p.file}:{p.line}: {p.message}" if p.line else f"{p.file}: {p.message}"
                 for p in unreadable]
        suffix = f" (in {where})" if where else ""
        raise UnreadableInput("no document could be read" + suffix + ":\n  "
                              + "\n  ".join(lines))
    raise _no_documents(workspace)


def load_working(path: Path | None) -> tuple[Workspace, Loaded]:
    """The documents in the working tree around ``path``; exit 2 when there are none."""
    workspace, loaded, _snapshot = _load_working(path)
    return workspace, loaded


def _load_working(path: Path | None) -> tuple[Workspace, Loaded, Snapshot]:
    workspace = Workspace.open(path)
    snapshot = workspace.working()
    loaded = workspace.load(snapshot)
    require_documents(workspace, loaded)
    return workspace, loaded, snapshot


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
        require_documents(workspace, loaded, at or "")
        documents.extend(loaded.documents)
        warnings.extend(_describe(p) for p in loaded.problems if p.blocking)
    return documents, warnings, banner


def _describe(problem: Problem) -> str:
    where = f"{problem.file}:{problem.line}: " if problem.line else (
        f"{problem.file}: " if problem.file else "")
    return f"{where}{problem.message}"


# ---------------------------------------------------------------- history and rules

def histories(workspace: Workspace, working: Snapshot | None = None) -> list[DocumentHistory]:
    """The history of every document in scope: one ``git log`` for all, plus the working
    tree (``working``, if already read) as a draft on top."""
    from termstool.history import build_history
    from termstool.loader import document_dirs

    repo = workspace.git()
    working = working or workspace.working()
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

    workspace, loaded, snapshot = _load_working(path)
    problems = list(loaded.problems)
    merge_base: str | None = None
    if workspace.repo is not None:
        after: set[str] | None = None
        if base is not None:
            merge_base, after = resolve_base(workspace, base)
        for history in histories(workspace, snapshot):
            ctx = RuleContext(today_for(history, now, today), after)
            problems += check_history(history, ctx)
    elif base is not None:
        raise GitError("--base needs a git repository")
    return CheckResult(workspace, len(loaded.documents), tuple(problems), merge_base)


# ---------------------------------------------------------------- diff

# Problems that leave a clause or a document out of a side: the redline would otherwise
# show it as removed without saying why. `terms check` reports everything else.
DROPPING_RULES = ("yaml", "manifest", "encoding", "front-matter", "id", "duplicate-id",
                  "layout")


@dataclass(frozen=True, slots=True)
class Sides:
    """The two sides of a comparison: labels, documents, and why something was left out."""

    old_label: str
    old: tuple[Document, ...]
    new_label: str
    new: tuple[Document, ...]
    warnings: tuple[str, ...]


def load_sides(path: Path | None, old: str | None, new: str | None) -> Sides:
    """Load OLD (default HEAD) and NEW (default the working tree) through the revision
    grammar, reading git history at most once for both."""
    from termstool.revisions import WORKTREE, resolve_revision

    workspace = Workspace.open(path)
    if old is None and workspace.git().head() is None:
        raise UsageError("the repository has no commits yet, so there is no HEAD to compare "
                         "the working tree with; commit the terms first, or name the two "
                         "versions to compare")
    old_rev, new_rev = old or "HEAD", new or WORKTREE
    found = None
    if workspace.repo is not None and WORKTREE not in (old_rev, new_rev):
        found = histories(workspace)  # both may be version labels: read the history once
    warnings: list[str] = []
    sides = []
    for side, text in (("OLD", old_rev), ("NEW", new_rev)):
        point = resolve_revision(workspace, text, found)
        loaded = workspace.load(point.snapshot)
        warnings += [f"in {side} ({point.label}): "
                     + (f"{p.file}: " if p.file else "") + p.message
                     for p in loaded.problems if p.blocking and p.rule in DROPPING_RULES]
        sides.append((point.label, loaded.documents))
    (old_label, old_docs), (new_label, new_docs) = sides
    if not old_docs and not new_docs:
        where = workspace.display(workspace.scope) if workspace.scope else str(workspace.root)
        raise UsageError(f"no document found under {where} in {old_label} or {new_label}: a "
                         "document is a directory with a document.yaml (see docs/format.md)")
    return Sides(old_label, old_docs, new_label, new_docs, tuple(warnings))
