"""The check use case: format rules over the working tree, notice rules over history."""

from __future__ import annotations

import datetime as dt
import os
import posixpath
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from termstool.app.histories import Group, Regroup
from termstool.app.workspace import Workspace, require_documents
from termstool.errors import GitError
from termstool.format.clause_file import parse_clause_file
from termstool.format.loader import Loaded
from termstool.history.document_history import (
    WORKING,
    DocumentHistory,
    first_new_step,
    in_scope,
    inside,
    settings_at,
    today_for,
)
from termstool.model.commits import is_manifest_name
from termstool.model.document import Document
from termstool.model.problems import Problem
from termstool.model.snapshot import Snapshot
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
    # in pull-request mode: the documents judged (their ids), and the directories whose
    # working-tree documents were checked for format; None when every document was
    judged: frozenset[str] | None = None
    loaded: frozenset[str] | None = None
    histories: tuple[DocumentHistory, ...] = ()  # the histories judged, in pull-request mode


@dataclass(frozen=True, slots=True)
class DocumentCheck:
    """What the format rules found in one document directory of the working tree."""

    path: str
    usable: bool  # its document.yaml could be used: the document was loaded
    problems: tuple[Problem, ...]
    notice: tuple[Problem, ...]  # the notice-clause rule


@dataclass(frozen=True, slots=True)
class HistoryCheck:
    """What the notice rules found in one document's history (outside a pull request)."""

    order: tuple[int, str]
    path: str
    problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class GroupCheck:
    """A group of documents checked: what is cached by the last commit touching them."""

    documents: tuple[DocumentCheck, ...]
    histories: tuple[HistoryCheck, ...]
    lookups: tuple[int, ...]


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
    old = workspace.document_at(merge_base, was) if was is not None else None
    new = workspace.working_document(history.path) if history.present else None
    return RuleContext(today_for(history, now, today, timezone), after, (old, new),
                       now_in_scope)


def run_check(workspace: Workspace, *, now: dt.datetime, today: dt.date | None = None,
              base: str | None = None, every_document: bool = False) -> CheckResult:
    """Format rules over the working tree, and the notice rules over git history.

    With ``base`` (a pull request) only the documents the pull request touches are
    checked, unless ``every_document``: the others cannot have changed.
    """
    if workspace.repo is None:
        if base is not None:
            raise GitError("--base needs a git repository")
        loaded = workspace.require_documents()
        problems = list(loaded.problems)
        for document in loaded.documents:
            problems += notice_clause(document)
        problems = _locate(workspace, problems, None, loaded.documents)
        skipped = (f"{workspace.where()} is not in a git repository, and the notice rules "
                   "read git history: only the file format was checked")
        return CheckResult(workspace, len(loaded.documents), tuple(problems),
                           skipped=skipped)
    workspace.reader().look_at_working_tree()  # each way below asks git status first
    if base is not None:
        merge_base, after = resolve_base(workspace, base)
        if not every_document and not _has_documents(workspace):
            workspace.require_documents()  # says why: nothing there, or nothing readable
        if every_document:
            return _check_everything(workspace, now, today, merge_base, after)
        return _check_pull_request(workspace, now, today, merge_base, after)
    workspace.reader().state()  # every group is read: the log summary first
    if not _has_documents(workspace):
        workspace.require_documents()  # says why: nothing there, or nothing readable
    return _check_all(workspace, now, today)


def _has_documents(workspace: Workspace) -> bool:
    parts = workspace.reader().partitions()
    return any(inside(d, workspace.scope) for d in parts.present)


def _check_everything(workspace: Workspace, now: dt.datetime, today: dt.date | None,
                      merge_base: str, after: set[str]) -> CheckResult:
    """A pull request judged on every document of the working tree and its history."""
    loaded = workspace.require_documents()
    problems = list(loaded.problems)
    for document in loaded.documents:
        problems += notice_clause(document)
    for history in workspace.all_histories():
        ctx = rule_context(workspace, history, now=now, today=today, merge_base=merge_base,
                           after=after)
        if ctx is not None:
            problems += check_history(history, ctx)
    problems = _locate(workspace, problems, merge_base, loaded.documents)
    return CheckResult(workspace, len(loaded.documents), tuple(problems), merge_base,
                       frozenset(after))


def touched(histories: Collection[DocumentHistory], after: Collection[str]
            ) -> list[DocumentHistory]:
    """The histories a pull request adds a step to (its commits or the working tree)."""
    is_new = new_in(after)
    return [h for h in histories if any(is_new(step.commit) for step in h.steps)]


def _check_pull_request(workspace: Workspace, now: dt.datetime, today: dt.date | None,
                        merge_base: str, after: set[str]) -> CheckResult:
    """A pull request judged on the documents it touches: their format in the working
    tree, and the notice rules over their histories (each read whole)."""
    reader = workspace.reader()
    # a document judged with a PATH lives (or lived) there: its touched files are there
    paths = {p for p in reader.touched_since(merge_base) if inside(p, workspace.scope)}
    judged = touched(workspace.histories_touching(paths), after)
    parts = reader.partitions()
    present = {d for d in parts.present if inside(d, workspace.scope)}
    dirs = {d for p in paths if (d := parts.dir_of(p)) is not None and d in present}
    dirs |= {h.path for h in judged if h.present and h.path in present}
    checks = [_document_check(workspace.working_of([d]), d, workspace) for d in sorted(dirs)]
    problems = [p for c in checks for p in c.problems]
    problems += [p for c in checks for p in c.notice]
    for history in judged:
        ctx = rule_context(workspace, history, now=now, today=today, merge_base=merge_base,
                           after=after)
        if ctx is not None:
            problems += check_history(history, ctx)
    documents = [d for d in (workspace.working_document(p) for p in sorted(dirs)) if d]
    problems = _locate(workspace, problems, merge_base, documents)
    return CheckResult(workspace, sum(c.usable for c in checks), tuple(problems), merge_base,
                       frozenset(after), None, frozenset(h.id for h in judged),
                       frozenset(dirs), tuple(judged))


def _document_check(snapshot: Snapshot, path: str, workspace: Workspace) -> DocumentCheck:
    document, problems = workspace.document_in(snapshot, path)
    notice = notice_clause(document) if document is not None else []
    return DocumentCheck(path, document is not None, tuple(problems), tuple(notice))


def _locate(workspace: Workspace, problems: list[Problem], merge_base: str | None,
            documents: Sequence[Document]) -> list[Problem]:
    """Point problems at the right files (see :mod:`termstool.rules.locate`), knowing the
    working-tree documents they are about."""
    present = {p.file for p in problems
               if p.file and os.path.lexists(workspace.root / p.file)}
    problems = name_deleted_files(problems, documents, present)
    pairs = duplicate_pairs(problems, documents)
    repo = workspace.repo
    if not pairs or repo is None:
        return problems
    reference = merge_base or repo.head()
    if reference is None:
        return problems
    paths = {path for problem, kept in pairs for path in (problem.file, kept) if path}
    snapshot = repo.snapshot_of(reference, sorted({posixpath.dirname(p) for p in paths}))
    established: dict[str, set[str]] = {}
    for problem, kept in pairs:
        for path in (problem.file, kept):
            if path and path in snapshot.files and problem.clause == parse_clause_file(
                    path, snapshot.content(path)).id:
                established.setdefault(problem.clause or "", set()).add(path)

    def id_line(path: str) -> int:
        return parse_clause_file(path, (workspace.root / path).read_bytes()).id_line

    where = f"the base of the pull request ({reference[:12]})" if merge_base \
        else "the last commit"
    return blame_new_duplicates(problems, documents, established, id_line, where)


def _check_all(workspace: Workspace, now: dt.datetime, today: dt.date | None
               ) -> CheckResult:
    """Every document in scope, a group of documents at a time (cached per group)."""
    reader = workspace.reader()
    reader.state()  # the log summary: from the cache, brought up to date, or read whole
    while True:
        try:
            groups = reader.groups_within(workspace.scope)
            known = [_cached_check(workspace, group) for group in groups]
            todo = [g for g, found in zip(groups, known, strict=True) if found is None]
            checks = [found for found in known if found is not None]
            checks += workspace.each_group(
                todo, lambda group: _check_group(workspace, group, now, today), "checking")
            reader.repo.unpin()
            break
        except Regroup:
            continue
    documents = sorted((d for c in checks for d in c.documents
                        if inside(d.path, workspace.scope)), key=lambda d: d.path)
    if not any(d.usable for d in documents):
        require_documents(workspace, Loaded((), tuple(p for d in documents
                                                      for p in d.problems)))
    problems = [p for d in documents for p in d.problems]
    problems += [p for d in documents for p in d.notice]
    for found in sorted((h for c in checks for h in c.histories), key=lambda h: h.order):
        if inside(found.path, workspace.scope):
            problems += found.problems
    return CheckResult(workspace, sum(d.usable for d in documents), tuple(problems))


def _cached_check(workspace: Workspace, group: Group) -> GroupCheck | None:
    """What an earlier run found in a group whose commits and files have not changed."""
    found = workspace.reader().cached(
        "check", group, lambda kept: kept.lookups if isinstance(kept, GroupCheck) else None)
    return found if isinstance(found, GroupCheck) else None


def _check_group(workspace: Workspace, group: Group, now: dt.datetime,
                 today: dt.date | None) -> GroupCheck:
    reader = workspace.reader()
    key = reader.key(group)
    working = workspace.working_of(group)
    walked = reader.walk(group, working, workspace.scope)
    present = sorted(posixpath.dirname(p) for p in working.files
                     if is_manifest_name(p))
    documents = [_document_check(working, d, workspace) for d in present]
    loaded = [d for p in present if (d := workspace.document_in(working, p)[0]) is not None]

    def located(problems: Sequence[Problem]) -> tuple[Problem, ...]:
        # problems of this group's documents only: pointed at files with its documents
        return tuple(_locate(workspace, list(problems), None, loaded))

    documents = [DocumentCheck(d.path, d.usable, located(d.problems), located(d.notice))
                 for d in documents]
    histories = []
    for order, history in zip(walked.order, walked.histories, strict=True):
        ctx = RuleContext(today_for(history, now, today))
        histories.append(HistoryCheck(order, history.path,
                                      located(check_history(history, ctx))))
    result = GroupCheck(tuple(documents), tuple(histories), walked.lookups)
    if key is not None:
        reader.cache.save("check", key, result)
    reader.parse.clear()
    workspace.forget_documents()
    return result
