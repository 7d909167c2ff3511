"""The clause use cases: show, add, move and remove clauses named by number, id or file.

Every structural change follows the same steps, so that each is safe to run on a real
repository:

1. find the clause (:mod:`termstool.format.addressing`) in a document with no format
   errors;
2. plan the files (:mod:`termstool.format.restructure`) and load the planned tree in
   memory: it must pass the format rules of `terms check`, or nothing is written;
3. refuse to touch a file with changes git does not hold (edited but not staged, or
   untracked) unless ``force``;
4. write and delete all files as one unit (:func:`termstool.storage.files.apply_changes`),
   then stage them in git in one ``git add``, so that ``git status`` shows each moved
   file as a rename. If staging fails, the files are put back.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from termstool.app.revisions import resolve_revision
from termstool.app.workspace import Workspace, writes
from termstool.errors import GitError, TermsError, UncommittedChanges, UsageError
from termstool.format.addressing import ClauseRef, resolve_clause
from termstool.format.clause_file import ID_RE, decode, parse_clause_file
from termstool.format.loader import load_document
from termstool.format.restructure import NewClause, Plan, Tree
from termstool.history.document_history import (
    WORKING,
    ClauseChange,
    DocumentHistory,
    git_blob_id,
)
from termstool.model.document import Document, Texts
from termstool.model.problems import Problem
from termstool.model.snapshot import Snapshot
from termstool.storage.files import apply_changes


@dataclass(frozen=True, slots=True)
class EditResult:
    """What a structural change did."""

    document: Document  # the document before the change
    plan: Plan
    staged: bool  # the changes were staged in git
    referring: tuple[str, ...] = ()  # numbers of clauses whose links to a removed one went

    def number(self, clause_id: str) -> str:
        """The number of a clause after the change ("" for an unnumbered one)."""
        return self.plan.numbers.get(clause_id, "")


def cwd_in_repository(workspace: Workspace) -> str:
    """The current directory relative to the repository root ("" at or outside the root)."""
    rel = os.path.relpath(Path.cwd().resolve(), workspace.root.resolve())
    return "" if rel == "." or rel.startswith("..") else rel.replace(os.sep, "/")


def find_clause(workspace: Workspace, address: str,
                documents: tuple[Document, ...] | None = None) -> ClauseRef:
    """The clause an address names among the workspace's documents (or ``documents``)."""
    if documents is None:
        documents = workspace.require_documents().documents
    return resolve_clause(documents, address, cwd=cwd_in_repository(workspace))


def _read_text(workspace: Workspace) -> Callable[[str], str]:
    def read(path: str) -> str:
        text, _problems = decode((workspace.root / path).read_bytes(), path)
        if text is None:
            raise UsageError(f"{path} is not UTF-8 text; fix it first ('terms check')")
        return text

    return read


def _refuse_broken(workspace: Workspace, document: Document) -> None:
    """Structural changes start from a document that passes the format rules."""
    problems = [p for p in workspace.documents().problems
                if p.blocking and p.document == document.id]
    if problems:
        raise UsageError(f"{document.id} has {len(problems)} format error(s); fix them first "
                         f"('terms check' lists them, 'terms check --fix' fixes stale numbers "
                         f"and file order). The first: {_where(problems[0])}")


def _where(problem: Problem) -> str:
    where = f"{problem.file}:{problem.line}: " if problem.file and problem.line \
        else f"{problem.file}: " if problem.file else ""
    return f"{where}{problem.message}"


def _taken_ids(workspace: Workspace, document: Document) -> set[str]:
    """Every id the document's clauses have or ever had: a new clause gets none of them.

    An id that was ever committed is in a file version that a later commit replaced or
    deleted, or in the last commit, or on disk now; only those versions are read (not
    the whole history's clause changes, which would classify every edit ever made).
    Ids of other documents' files count too: reusing those is never needed either.
    """
    taken = {clause.id for clause in document.walk()}
    repo = workspace.repo
    if repo is None:
        return taken
    versions: set[tuple[str, str]] = set()
    for record in workspace.commits():
        versions |= {(change.path, change.old_blob) for change in record.changes
                     if change.old_blob and change.path.endswith(".md")}
    head = repo.head()
    if head is not None:
        working = workspace.working()
        committed = repo.snapshot(head, document.path)
        versions |= {(path, blob) for path, blob in committed.files.items()
                     if path.endswith(".md") and (path not in working.files
                                                  or git_blob_id(working.content(path)) != blob)}
    for path, blob in versions:
        found = parse_clause_file(path, repo.read_blob(blob)).id
        if found:
            taken.add(found)
    return taken


def _refuse_uncommitted(workspace: Workspace, plan: Plan, force: bool) -> None:
    """Refuse to touch a file whose changes git does not hold, unless ``force``.

    Staged changes are held by git (the index), so a series of structural changes can
    be made one after the other and committed together; a file edited but not staged,
    or not known to git at all, is not.
    """
    if force:
        return
    if workspace.repo is None:
        raise UncommittedChanges(f"{workspace.root} is not a git repository, so nothing "
                                 "could give back the files this changes; commit the terms "
                                 "to git first, or pass --force")
    status = workspace.repo.status(plan.document)
    dirty = [path for path in plan.touched()
             if path in status and (status[path] == "??" or status[path][1] != " ")]
    if dirty:
        shown = ", ".join(workspace.display(p) for p in dirty[:5]) \
            + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        raise UncommittedChanges(f"this would change {shown}, which has changes git does not "
                                 "hold yet; commit or stage them first ('git add'), or pass "
                                 "--force")


def _refuse_collisions(workspace: Workspace, document: Document, plan: Plan) -> None:
    """Never overwrite or strand a file that is not one of the document's clause files."""
    old_files = {clause.file for clause in document.walk()}
    for path in plan.writes:
        if path not in old_files and (workspace.root / path).exists():
            raise UsageError(f"{workspace.display(path)} already exists and is not a clause "
                             "of this document; move it away first")
    new_dirs = {str(Path(path).parent) for path in plan.writes}
    for path in plan.deletes:
        directory = Path(path).parent
        if str(directory) in new_dirs or not path.endswith("/_index.md"):
            continue
        for found in (workspace.root / directory).rglob("*"):
            rel = found.relative_to(workspace.root).as_posix()
            if found.is_file() and rel not in old_files:
                raise UsageError(f"{workspace.display(str(directory))}/ also holds "
                                 f"{workspace.display(rel)}, which is not a clause file; "
                                 "move it out of the clause's directory first")


def _check_result(workspace: Workspace, document: Document, plan: Plan) -> None:
    """Load the planned tree in memory: it must pass the format rules, or nothing is
    written."""
    working = workspace.working()
    files = {path: key for path, key in working.files.items() if path not in plan.deletes}
    files.update({path: "\0" + path for path in plan.writes})

    def read(key: str) -> bytes:
        if key.startswith("\0"):
            return plan.writes[key[1:]].encode("utf-8")
        return working.read(key)

    others = [d.path for d in workspace.documents().documents
              if d.path.startswith(document.path + "/")]
    after, problems = load_document(Snapshot("planned", files, read), document.path, others)
    blocking = [p for p in problems if p.blocking]
    if after is None or blocking:
        first = _where(blocking[0]) if blocking else "the document cannot be read"
        raise UsageError(f"the change would leave {document.id} with {len(blocking)} format "
                         f"error(s), so nothing was written. The first: {first}")


def _write_and_stage(workspace: Workspace, plan: Plan) -> bool:
    """Write the plan as one unit, then stage it; put everything back if staging fails."""
    root = workspace.root
    before = {path: (root / path).read_text(encoding="utf-8")
              for path in plan.touched() if (root / path).is_file()}
    try:
        apply_changes(root, plan.writes, plan.deletes)
    except OSError as exc:
        raise TermsError(f"cannot write the clause files: {exc.strerror or exc}; nothing was "
                         "changed") from exc
    if workspace.repo is None:
        return False
    try:
        workspace.repo.add(plan.touched())
    except GitError as exc:
        created = [path for path in plan.writes if path not in before]
        apply_changes(root, before, created)
        raise GitError(f"{exc}; the files were put back as they were") from exc
    return True


def _run(workspace: Workspace, document: Document, plan: Plan, force: bool,
         referring: tuple[str, ...] = ()) -> EditResult:
    if plan.empty:
        return EditResult(document, plan, False, referring)
    _refuse_collisions(workspace, document, plan)
    _refuse_uncommitted(workspace, plan, force)
    _check_result(workspace, document, plan)
    staged = _write_and_stage(workspace, plan)
    return EditResult(document, plan, staged, referring)


Placement = tuple[str, str, bool]  # (anchor address, "after"/"before"/"under", first)


def _anchor(workspace: Workspace, document: Document, placement: Placement) -> str:
    anchor = find_clause(workspace, placement[0])
    if anchor.document.id != document.id:
        raise UsageError(f"{anchor.label} is in another document than the clause; a clause "
                         f"moves only within its document ({document.id})")
    return anchor.clause.id


@writes("clause add")
def add_clause(workspace: Workspace, placement: Placement, *, title: Texts, body: Texts,
               clause_id: str | None = None, force: bool = False) -> EditResult:
    """Add a clause after, before or under the clause ``placement`` names."""
    anchor_ref = find_clause(workspace, placement[0])
    document = anchor_ref.document
    _refuse_broken(workspace, document)
    manifest = document.manifest
    for texts, option in ((title, "--title-"), (body, "--")):
        unknown = [lang for lang in texts.languages if lang not in manifest.languages]
        if unknown:
            choices = ", ".join(f"{option}{lang}" for lang in manifest.languages)
            raise UsageError(f"{option}{unknown[0]}: {document.id} is written in "
                             f"{', '.join(manifest.languages)}; use {choices}")
    if not body.get(manifest.authoritative).strip():
        raise UsageError(f"the new clause has no text in {manifest.authoritative}, the "
                         "document's authoritative language; give it with "
                         f"--{manifest.authoritative} TEXT, --from FILE or --edit")
    taken = _taken_ids(workspace, document)
    if clause_id is not None:
        if not ID_RE.match(clause_id):
            raise UsageError(f"--id {clause_id!r} is not a lowercase ASCII slug (a-z, 0-9, "
                             "'-'), such as 's6-2'")
        if clause_id in taken:
            raise UsageError(f"id {clause_id!r} is, or was, used by a clause of {document.id}; "
                             "ids are never reused: choose another, or leave --id out and a "
                             "fresh one is made")
    if title and not title.get(manifest.authoritative).strip():
        raise UsageError(f"the new clause's title has no {manifest.authoritative} text; give "
                         f"it with --title-{manifest.authoritative} TEXT, or give no title")
    # A translation not written yet (text or title) is pending, as after an import.
    missing = [lang for lang in manifest.languages if not body.get(lang).strip()
               or (title and not title.get(lang).strip())]
    new = NewClause(title, body, clause_id, translation_pending=bool(missing))
    tree = Tree(document, _read_text(workspace))
    tree.add(new, anchor_ref.clause.id, placement[1], placement[2], taken)
    return _run(workspace, document, tree.plan(), force)


@writes("clause move")
def move_clause(workspace: Workspace, address: str, placement: Placement, *,
                force: bool = False) -> EditResult:
    """Move a clause (and its sub-clauses) after, before or under another clause."""
    ref = find_clause(workspace, address)
    _refuse_broken(workspace, ref.document)
    anchor = _anchor(workspace, ref.document, placement)
    tree = Tree(ref.document, _read_text(workspace))
    tree.move(ref.clause.id, anchor, placement[1], placement[2])
    return _run(workspace, ref.document, tree.plan(), force)


@writes("clause remove")
def remove_clause(workspace: Workspace, address: str, *, recursive: bool = False,
                  force: bool = False) -> EditResult:
    """Remove a clause; ``force`` also turns the links of other clauses to it into text."""
    ref = find_clause(workspace, address)
    _refuse_broken(workspace, ref.document)
    tree = Tree(ref.document, _read_text(workspace))
    referring = tree.remove(ref.clause.id, recursive=recursive, unlink=force)
    labels = tuple(c.number or c.id for c in referring)
    return _run(workspace, ref.document, tree.plan(), force, labels)


# ------------------------------------------------------------------------------ show


@dataclass(frozen=True, slots=True)
class LastChange:
    """The last commit that changed a clause's text, and the release it belongs to."""

    commit: str  # WORKING for the working tree
    recorded: dt.date | None  # the commit date in the document's timezone
    kind: str  # added, modified
    change_class: str
    version: str | None
    announced: dt.date | None
    effective: dt.date | None


@dataclass(frozen=True, slots=True)
class ClauseView:
    """One clause as `terms clause show` presents it."""

    ref: ClauseRef
    point: str  # "working tree" or the revision shown
    numbers: Mapping[str, str]
    last_change: LastChange | None


def _last_change(history: DocumentHistory, clause_id: str,
                 later: set[str]) -> LastChange | None:
    """The last step that changed the clause, leaving out the commits in ``later``."""
    found: LastChange | None = None
    for step in history.steps:
        if step.commit in later:
            continue
        change: ClauseChange | None = next((c for c in step.changes if c.clause == clause_id),
                                           None)
        if change is not None:
            release = history.release(step.version) if step.version else None
            found = LastChange(step.commit, history.local_date(step.when) if step.when else None,
                               change.kind, change.change.value, step.version,
                               release.announced if release else None,
                               release.effective if release else None)
    return found


def show_clause(workspace: Workspace, address: str, at: str | None = None) -> ClauseView:
    """A clause with its number, file and last change; ``at`` reads it at a revision."""
    later: set[str] = set()  # commits after the revision shown: their changes are not shown
    if at is None:
        documents = workspace.require_documents().documents
        label = "working tree"
    else:
        point = resolve_revision(workspace, at)
        documents = workspace.load(point.snapshot).documents
        label = point.label
        until = point.snapshot.commit
        if until is None and point.version is not None:
            until = next((r.commit for h in workspace.histories()
                          if (r := h.release(point.version)) is not None), None)
        if label != "working tree":
            later.add(WORKING)
            head = workspace.git().head()
            if until and head:
                later |= workspace.git().commits_between(until, head)
    ref = find_clause(workspace, address, documents)
    last = None
    if workspace.repo is not None:
        for history in workspace.histories():
            if history.path == ref.document.path:
                last = _last_change(history, ref.clause.id, later)
    numbers = {c.id: c.number for c in ref.document.walk()}
    return ClauseView(ref, label, numbers, last)
