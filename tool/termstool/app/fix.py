"""`terms check --fix`: rewrite what has exactly one correct form, and say what changed.

Three problems have one right answer, so the tool writes it instead of asking a person to:

- an id YAML would read as a number (``id: 3``) is quoted (``id: '3'``);
- file names whose order contradicts their prefixes (``9-x.md`` sorted after ``10-y.md``)
  are re-prefixed densely in the order the prefixes say, as `terms clause` does;
- a cross-reference whose written number is stale gets the target's current number.

Everything else stays a problem for `terms check` to report. All files are written or
none; renamed files are staged in git so that ``git status`` shows them as renames.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

import yaml

from termstool.app.workspace import Workspace, writes
from termstool.errors import TermsError
from termstool.format.clause_file import ID_RE, decode
from termstool.format.loader import INDEX_NAME, load_documents
from termstool.format.restructure import Renumbering, Tree
from termstool.model.problems import Problem
from termstool.model.snapshot import Snapshot
from termstool.storage.files import apply_changes

_ID_LINE = re.compile(r"^(id:[ \t]*)([^'\"\s#][^#]*?)([ \t]*(?:#.*)?)$")


@dataclass(frozen=True, slots=True)
class Fix:
    """One thing `--fix` changed, for the report."""

    file: str
    what: str


@dataclass(frozen=True, slots=True)
class FixResult:
    """Everything `--fix` changed."""

    fixes: tuple[Fix, ...]
    renumbering: tuple[tuple[str, tuple[Renumbering, ...]], ...]  # per document id
    staged: bool


def _quoted_id(text: str, line: int) -> str | None:
    """The text with the id on ``line`` quoted, when YAML reads it as something else."""
    lines = text.split("\n")
    if not 0 < line <= len(lines):
        return None
    match = _ID_LINE.match(lines[line - 1])
    if match is None:
        return None
    raw = match.group(2).strip()
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError:
        return None
    if isinstance(value, str) or not ID_RE.match(raw):
        return None
    lines[line - 1] = f"{match.group(1)}'{raw}'{match.group(3)}"
    return "\n".join(lines)


def _overlay(snapshot: Snapshot, writes: dict[str, str], deletes: set[str]) -> Snapshot:
    files = {path: key for path, key in snapshot.files.items() if path not in deletes}
    files.update({path: "\0" + path for path in writes})

    def read(key: str) -> bytes:
        return writes[key[1:]].encode("utf-8") if key.startswith("\0") else snapshot.read(key)

    return Snapshot("fixed", files, read)


def _order_directory(problem: Problem) -> str:
    """The directory whose file names a ``file-order`` warning is about."""
    path = (problem.file or "").rstrip("/")
    if path.endswith("/" + INDEX_NAME):
        path = posixpath.dirname(path)
    return posixpath.dirname(path)


@writes("check --fix")
def fix_files(workspace: Workspace) -> FixResult:
    """Fix what has one correct form in the documents in scope; write it all or nothing."""
    working = workspace.working()
    loaded = workspace.require_documents()
    writes: dict[str, str] = {}
    deletes: set[str] = set()
    fixes: list[Fix] = []

    def text_of(path: str) -> str:
        if path in writes:
            return writes[path]
        text, _ = decode(working.content(path), path)
        if text is None:
            raise TermsError(f"{path} is not UTF-8 text")
        return text

    for problem in loaded.problems:
        if problem.rule == "id" and problem.file and problem.line:
            quoted = _quoted_id(text_of(problem.file), problem.line)
            if quoted is not None:
                writes[problem.file] = quoted
                fixes.append(Fix(problem.file, "quoted the id, which YAML read as a number"))
    current = load_documents(_overlay(working, writes, deletes), workspace.scope) \
        if writes else loaded
    renumbering: list[tuple[str, tuple[Renumbering, ...]]] = []
    for document in current.documents:
        problems = [p for p in current.problems if p.document == document.id]
        # Renaming beside a clause the loader dropped (a duplicate id...) could collide
        # with it: the order is fixed only in documents without such errors.
        others = [p for p in problems if p.blocking and p.rule != "reference-number"]
        tree = Tree(document, text_of)
        orders = sorted({_order_directory(p) for p in problems if p.rule == "file-order"})
        if not others:
            for directory in orders:
                tree.reorder(directory)
        plan = tree.plan()
        for old, new in plan.renames:
            fixes.append(Fix(new, f"renamed from {posixpath.basename(old)}, in the order of "
                             "the file-name prefixes"))
        for clause_id in plan.relinked:
            fixes.append(Fix(plan.files[clause_id], "rewrote stale cross-reference numbers"))
        writes.update(plan.writes)
        deletes |= set(plan.deletes)
        if plan.renumbering:
            renumbering.append((document.id, plan.renumbering))
    if not writes and not deletes:
        return FixResult((), (), False)
    after = load_documents(_overlay(working, writes, deletes), workspace.scope)
    if sum(p.blocking for p in after.problems) > sum(p.blocking for p in loaded.problems):
        raise TermsError("--fix would leave more problems than it found; nothing was written")
    try:
        apply_changes(workspace.root, writes, sorted(deletes))
    except OSError as exc:
        raise TermsError(f"cannot write the fixes: {exc.strerror or exc}; nothing was "
                         "changed") from exc
    renamed = {path for path in deletes} | {fix.file for fix in fixes
                                            if fix.what.startswith("renamed")}
    staged = False
    if workspace.repo is not None and renamed:
        workspace.repo.add(sorted(renamed))
        staged = True
    return FixResult(tuple(fixes), tuple(renumbering), staged)
