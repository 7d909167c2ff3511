"""Reading only what changed gives the same answers as reading everything.

A pull request is judged on the documents it touches (their histories read whole), a
diff reads only the documents holding a file that differs, and a full check reuses what
earlier runs cached: over random histories of a small catalogue (documents edited,
released, moved, deleted and restored, their document.yaml broken and mended, on main,
on a pull-request branch and in the working tree), each gives exactly what the full
reading gives for the same documents.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import GitRepo, clause, manifest
from termstool.app.check import CheckResult, run_check, touched
from termstool.app.diff import load_sides
from termstool.app.workspace import Workspace
from termstool.compare.clause_diff import Redline, diff_documents
from termstool.errors import TermsError
from termstool.model.problems import Problem

NOW = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
START = dt.date(2021, 1, 1)
ZH = ["阿里云向您提供服务。", "您应支付费用。", "您应在三十日内付款。", "本条款另有约定的除外。"]
EN = ["We provide the services.", "You shall pay the fees.", "Pay within thirty days.",
      "Unless otherwise agreed."]

OPS = ("edit-zh", "edit-en", "edit-punct", "add", "remove", "release", "release-short",
       "move", "delete", "delete-all", "restore", "notice", "break", "mend", "new-document")


@dataclass
class Doc:
    """One document of the model catalogue."""

    id: str
    dir: str
    clauses: dict[str, tuple[str, str]] = field(default_factory=dict)
    version: int = 1
    announced: dt.date = START
    effective: dt.date = START + dt.timedelta(days=30)
    notice: int = 30
    present: bool = True
    broken: bool = False
    serial: int = 0

    def manifest(self) -> str:
        if self.broken:
            return "id: [unclosed\n"
        return manifest(doc_id=self.id, version=str(self.version),
                        announced=self.announced.isoformat(),
                        effective=self.effective.isoformat(), notice_days=self.notice)

    def clause_path(self, cid: str) -> str:
        return f"{self.dir}/{cid}.md"


class Catalogue:
    """A model of the repository: operations become file writes, applied by git."""

    def __init__(self, repo: GitRepo) -> None:
        self.repo = repo
        self.docs: list[Doc] = []
        self.day = START
        self.moves = 0

    def add_document(self) -> dict[str, str | None]:
        index = len(self.docs)
        doc = Doc(f"d{index}", f"terms/d{index}")
        doc.clauses = {f"c{index}-{k}": (ZH[k], EN[k]) for k in range(3)}
        self.docs.append(doc)
        return self.whole(doc)

    def whole(self, doc: Doc) -> dict[str, str | None]:
        files: dict[str, str | None] = {f"{doc.dir}/document.yaml": doc.manifest()}
        for cid, (zh, en) in doc.clauses.items():
            files[doc.clause_path(cid)] = clause(cid, zh, en)
        return files

    def apply(self, op: str, pick: int) -> dict[str, str | None]:
        """The file changes of one operation (empty when it does not apply)."""
        if op == "new-document":
            return self.add_document() if len(self.docs) < 5 else {}
        doc = self.docs[pick % len(self.docs)]
        yaml_path = f"{doc.dir}/document.yaml"
        ids = sorted(doc.clauses)
        if op == "restore":
            if doc.present:
                return {}
            doc.present = True
            return self.whole(doc)
        if not doc.present:
            return {}
        if op.startswith("edit") and ids:
            cid = ids[pick % len(ids)]
            zh, en = doc.clauses[cid]
            doc.serial += 1
            if op == "edit-zh":
                zh = ZH[(ZH.index(zh) + 1) % len(ZH)] if zh in ZH else ZH[0]
            elif op == "edit-en":
                en = f"{en} (rev {doc.serial})"
            else:
                zh = zh.replace("。", ".") if "。" in zh else zh.replace(".", "。")
            doc.clauses[cid] = (zh, en)
            return {doc.clause_path(cid): clause(cid, zh, en)}
        if op == "add":
            doc.serial += 1
            cid = f"{doc.id}-n{doc.serial}"
            doc.clauses[cid] = (ZH[pick % 4], EN[pick % 4])
            return {doc.clause_path(cid): clause(cid, *doc.clauses[cid])}
        if op == "remove" and len(ids) > 1:
            cid = ids[pick % len(ids)]
            del doc.clauses[cid]
            return {doc.clause_path(cid): None}
        if op in ("release", "release-short"):
            doc.version += 1
            doc.announced = self.day
            doc.effective = self.day + dt.timedelta(days=29 if op == "release-short" else 31)
            return {yaml_path: doc.manifest()}
        if op == "notice":
            doc.notice = 15 if doc.notice == 30 else 30
            return {yaml_path: doc.manifest()}
        if op in ("break", "mend"):
            doc.broken = op == "break"
            return {yaml_path: doc.manifest()}
        if op == "move":
            self.moves += 1
            old = self.whole(doc)
            files: dict[str, str | None] = dict.fromkeys(old)
            doc.dir = f"terms/m{self.moves}-{doc.id}"
            files.update(self.whole(doc))
            return files
        if op == "delete":
            doc.present = False
            return {yaml_path: None}
        if op == "delete-all":
            doc.present = False
            return dict.fromkeys(self.whole(doc))
        return {}

    def commit(self, files: dict[str, str | None]) -> None:
        self.day += dt.timedelta(days=1)
        self.repo.commit(files, when=f"{self.day.isoformat()}T10:00:00+08:00")


steps = st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 50)), min_size=1, max_size=6)


def build(root: Path, main: list[tuple[str, int]], branch: list[tuple[str, int]],
          working: list[tuple[str, int]]) -> Catalogue:
    """main: three documents and the ``main`` steps; ``feature``: the ``branch`` steps;
    the working tree: the ``working`` steps, uncommitted."""
    repo = GitRepo(root)
    model = Catalogue(repo)
    files: dict[str, str | None] = {}
    for _ in range(3):
        files.update(model.add_document())
    model.commit(files)
    for op, pick in main:
        model.commit(model.apply(op, pick))
    repo.git("checkout", "-q", "-b", "feature")
    for op, pick in branch:
        model.commit(model.apply(op, pick))
    for op, pick in working:
        repo.write(model.apply(op, pick))
    return model


def opened(root: Path, use_cache: bool = False) -> Workspace:
    return Workspace.open(root / "terms", use_cache=use_cache)


def restricted(full: CheckResult, scoped: CheckResult, root: Path) -> list[Problem]:
    """The full check's problems about the documents the scoped check judged: those
    naming one of them, or in a file of a directory one of them lived in (no two
    documents of the model ever share a directory)."""
    assert scoped.judged is not None and scoped.loaded is not None
    dirs = set(scoped.loaded) | {d for h in scoped.histories for d in h.paths}

    def file_of(problem: Problem) -> str | None:
        if problem.file is not None:
            return problem.file
        # a problem about a file since deleted says which (rules/locate.py)
        found = re.search(r"(?:was about|was in|was then in) (\S+?)[,)]", problem.message)
        return found.group(1) if found else None

    return [p for p in full.problems if p.document in scoped.judged or (
        p.document is None and (file := file_of(p)) is not None
        and posixpath.dirname(file.rstrip("/")) in dirs)]


SETTINGS = settings(max_examples=int(os.environ.get("TERMS_SCALE_EXAMPLES", "20")),
                    deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(main=steps, branch=steps, working=st.lists(st.tuples(st.sampled_from(OPS),
                                                              st.integers(0, 50)), max_size=2))
def test_a_pull_request_is_judged_as_the_full_check_judges_its_documents(
        main: list[tuple[str, int]], branch: list[tuple[str, int]],
        working: list[tuple[str, int]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        model = build(root, main, branch, working)
        today = model.day + dt.timedelta(days=1)
        try:
            full = run_check(opened(root), now=NOW, today=today, base="main",
                             every_document=True)
        except TermsError:
            return  # nothing readable at all: the full check refuses before judging
        scoped = run_check(opened(root), now=NOW, today=today, base="main")
        assert scoped.judged is not None
        ids = {h.id for h in touched(opened(root).all_histories(), full.added)}
        assert scoped.judged == ids
        assert list(scoped.problems) == restricted(full, scoped, root)
        # and the verdict on the touched documents is the full check's verdict on them
        assert any(p.blocking for p in scoped.problems) == any(
            p.blocking for p in restricted(full, scoped, root))


@SETTINGS
@given(main=steps, branch=steps, working=st.lists(st.tuples(st.sampled_from(OPS),
                                                              st.integers(0, 50)), max_size=2))
def test_a_check_from_the_cache_is_the_check_from_scratch(
        main: list[tuple[str, int]], branch: list[tuple[str, int]],
        working: list[tuple[str, int]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        model = build(root, main, [], [])
        today = model.day + dt.timedelta(days=1)
        try:
            run_check(opened(root, use_cache=True), now=NOW, today=today)  # fills the cache
        except TermsError:
            return
        for op, pick in branch:  # new commits after the cached run
            model.commit(model.apply(op, pick))
        for op, pick in working:
            model.repo.write(model.apply(op, pick))
        try:
            cold = run_check(opened(root), now=NOW, today=today)
        except TermsError:
            return
        warm = run_check(opened(root, use_cache=True), now=NOW, today=today)
        again = run_check(opened(root, use_cache=True), now=NOW, today=today)
        assert warm.problems == cold.problems == again.problems
        assert warm.documents == cold.documents
        cached = opened(root, use_cache=True).all_histories()
        assert cached == opened(root).all_histories()


def changed_only(redline: Redline) -> list[object]:
    return [d for d in redline.documents if d.changed]


@SETTINGS
@given(main=steps, branch=steps, working=st.lists(st.tuples(st.sampled_from(OPS),
                                                              st.integers(0, 50)), max_size=2),
       sides=st.sampled_from([("main", "feature"), ("main", None), (None, None),
                              ("feature~1", "WORKTREE"), ("HEAD", "main")]))
def test_a_diff_reading_only_what_differs_is_the_whole_diff(
        main: list[tuple[str, int]], branch: list[tuple[str, int]],
        working: list[tuple[str, int]], sides: tuple[str | None, str | None]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build(root, main, branch, working)
        old, new = sides
        if old == "feature~1" and not branch:
            old = "main"
        results = []
        for every in (True, False):
            try:
                found = load_sides(opened(root), old, new, every_document=every)
            except TermsError:
                return  # no document on either side: nothing to compare
            results.append(diff_documents(found.old, found.new, ref_from=found.old_label,
                                          ref_to=found.new_label))
        whole, scoped = results
        assert changed_only(scoped) == changed_only(whole)
        assert scoped == whole  # unchanged documents listed alike, from their manifests


@SETTINGS
@given(main=steps, branch=steps, working=st.lists(st.tuples(st.sampled_from(OPS),
                                                              st.integers(0, 50)), max_size=2),
       first=st.sampled_from(["check", "pull-request"]))
def test_a_pull_request_judged_from_the_cache_is_judged_as_from_scratch(
        main: list[tuple[str, int]], branch: list[tuple[str, int]],
        working: list[tuple[str, int]], first: str) -> None:
    """The runs before kept the document.yaml log of main; the pull request's run reads
    only its branch's commits on top of it, and judges as a run without a cache."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        model = build(root, main, [], [])  # on branch feature, where main is
        today = model.day + dt.timedelta(days=1)
        try:  # what ran on main before: a whole check, or a pull request's check
            run_check(opened(root, use_cache=True), now=NOW, today=today,
                      base="main" if first == "pull-request" else None)
        except TermsError:
            return
        for op, pick in branch:
            model.commit(model.apply(op, pick))
        for op, pick in working:
            model.repo.write(model.apply(op, pick))
        try:
            cold = run_check(opened(root), now=NOW, today=today, base="main")
        except TermsError:
            return
        warm = run_check(opened(root, use_cache=True), now=NOW, today=today, base="main")
        again = run_check(opened(root, use_cache=True), now=NOW, today=today, base="main")
        assert warm.problems == cold.problems == again.problems
        assert warm.judged == cold.judged
