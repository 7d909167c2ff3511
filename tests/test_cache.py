"""The cache of what terms derives from commits: never trusted blindly, never required.

Entries live in ``.git/terms-cache/``; a run of another version of the tool, a damaged
entry, or one that would make the program run anything, is ignored and rebuilt; the
answer is always the one a run without the cache gives. ``--no-cache`` reads and keeps
nothing; ``terms cache clear`` removes everything. Reading only what changed is shown
here too: a pull request touching one document of several reads that one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
from pathlib import Path

import pytest

import termstool
from conftest import GitRepo, clause, manifest, run_terms
from termstool.app import cache as cache_module
from termstool.app import workspace as workspace_module
from termstool.app.check import run_check
from termstool.app.histories import HistoryReader
from termstool.app.workspace import Workspace
from termstool.format import loader
from termstool.storage.cache_store import DIRECTORY, CacheStore

TODAY = "2021-12-01"


def catalogue(repo: GitRepo, documents: int = 3) -> None:
    """``documents`` released documents, then a few edits to the first one."""
    files: dict[str, str | None] = {}
    for n in range(documents):
        files[f"terms/d{n}/document.yaml"] = manifest(doc_id=f"d{n}")
        files[f"terms/d{n}/01-a.md"] = clause(f"a{n}", "阿里云向您提供服务。", "We serve.")
        files[f"terms/d{n}/02-b.md"] = clause(f"b{n}", "您应支付费用。", "You pay.")
    repo.commit(files, when="2021-05-01T10:00:00+08:00")
    # a substantive change after the announcement: an error every run must report
    repo.commit({"terms/d0/02-b.md": clause("b0", "您应支付双倍费用。", "You pay.")},
                when="2021-06-10T10:00:00+08:00")


def check() -> tuple[int, str]:
    return run_terms("check", "--format", "json", "--today", TODAY)


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """The groups of documents whose history is walked (not taken from the cache)."""
    seen: list[tuple[str, ...]] = []
    real = HistoryReader.walk

    def counting(self: HistoryReader, group: tuple[str, ...], *args: object) -> object:
        seen.append(group)
        return real(self, group, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(HistoryReader, "walk", counting)
    return seen


def entries(repo: GitRepo) -> list[Path]:
    return sorted(p for p in (repo.root / ".git" / DIRECTORY).rglob("*") if p.is_file())


def test_a_second_run_reads_the_cache_and_finds_the_same(
        repo: GitRepo, walks: list[tuple[str, ...]]) -> None:
    catalogue(repo)
    first = check()
    assert first[0] == 1 and "frozen-text" in first[1]
    assert walks and entries(repo)
    walks.clear()
    assert check() == first
    assert walks == []  # every group came from the cache


def test_a_new_commit_is_read_alone(repo: GitRepo, walks: list[tuple[str, ...]]) -> None:
    catalogue(repo)
    check()
    walks.clear()
    repo.commit({"terms/d2/01-a.md": clause("a2", "阿里云向您提供服务。", "We serve you.")},
                when="2021-06-20T10:00:00+08:00")
    warm = check()
    assert walks == [("terms/d2",)]  # only the document the new commit touched
    assert warm == run_terms("check", "--format", "json", "--today", TODAY, "--no-cache")
    assert "translation" in warm[1]  # the new commit's warning is there


def test_another_version_of_the_tool_reads_nothing_an_older_one_wrote(
        repo: GitRepo, walks: list[tuple[str, ...]], monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue(repo)
    first = check()
    old = {p.relative_to(repo.root / ".git" / DIRECTORY).parts[0] for p in entries(repo)}
    walks.clear()
    monkeypatch.setattr(termstool, "__version__", "99.0.0")
    assert check() == first
    assert len(walks) == 3  # rebuilt: nothing written by the older version was read
    now = {p.relative_to(repo.root / ".git" / DIRECTORY).parts[0] for p in entries(repo)}
    assert now and not now & old  # and the older version's entries were removed
    assert all(name.startswith("99.0.0-") for name in now)


def test_an_edited_tool_does_not_trust_what_it_wrote_before(
        repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue(repo)
    check()
    before = cache_module.fingerprint()
    monkeypatch.setattr(cache_module, "FORMAT", cache_module.FORMAT + 1)
    assert cache_module.fingerprint() != before


def damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif how == "flip":
        path.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))
    elif how == "garbage":
        path.write_bytes(b"\x00garbage")
    else:
        path.write_bytes(b"")


@pytest.mark.parametrize("how", ["truncate", "flip", "garbage", "empty"])
def test_a_damaged_entry_is_ignored_and_rebuilt(
        repo: GitRepo, walks: list[tuple[str, ...]], how: str) -> None:
    catalogue(repo)
    first = check()
    for path in entries(repo):
        damage(path, how)
    walks.clear()
    assert check() == first
    assert len(walks) == 3  # nothing damaged was used
    walks.clear()
    assert check() == first
    assert walks == []  # and the entries were written again


class _Payload:
    """What an attacker would store: unpickling it runs a command."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch {self.marker}",)


def test_an_entry_that_would_run_code_is_refused(
        repo: GitRepo, walks: list[tuple[str, ...]]) -> None:
    catalogue(repo)
    first = check()
    store = CacheStore(repo.root / ".git" / DIRECTORY, cache_module.fingerprint())
    marker = repo.root / "pwned"
    evil = pickle.dumps(_Payload(marker))
    # valid headers and checksums: the store hands the payload out, the reader refuses it
    for kind in ("check", "history", "log", "versions"):
        for path in (repo.root / ".git" / DIRECTORY / store.fingerprint / kind).rglob("*"):
            if path.is_file():
                lines = path.read_bytes().split(b"\n", 5)
                key = bytes.fromhex(lines[3].decode()).decode()
                store.put(kind, key, evil)
    walks.clear()
    assert check() == first
    assert not marker.exists()
    assert len(walks) == 3


def test_no_cache_reads_and_writes_nothing(repo: GitRepo,
                                           walks: list[tuple[str, ...]]) -> None:
    catalogue(repo)
    code, out = run_terms("check", "--format", "json", "--today", TODAY, "--no-cache")
    assert code == 1 and not (repo.root / ".git" / DIRECTORY).exists()
    check()
    walks.clear()
    assert run_terms("check", "--format", "json", "--today", TODAY, "--no-cache") == (code, out)
    assert len(walks) == 3  # the cache is there, and not read


def test_cache_clear_removes_every_entry(repo: GitRepo) -> None:
    catalogue(repo)
    check()
    count = len(entries(repo))
    assert count
    code, out = run_terms("cache", "clear")
    assert code == 0 and f"removed {count} cache file(s)" in out
    assert not (repo.root / ".git" / DIRECTORY).exists()
    assert run_terms("cache", "clear")[0] == 0  # nothing to clear is fine


def test_cache_clear_outside_git_is_a_usage_error(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = run_terms("cache", "clear")
    assert code == 2 and "not inside a git repository" in out


def test_progress_is_told_to_the_command_line_never_printed_in_a_pipe(repo: GitRepo) -> None:
    catalogue(repo)
    told: list[tuple[str, int, int]] = []
    workspace = Workspace.open(None, use_cache=False)
    workspace.progress = lambda what, done, total: told.append((what, done, total))
    run_check(workspace, now=dt.datetime(2022, 1, 1, tzinfo=dt.UTC))
    assert told[-1] == ("checking", 3, 3)
    _code, out = run_terms("check", "--today", TODAY, "--no-cache")
    assert "━" not in out and "3/3" not in out  # standard error is not a terminal here


def test_a_pull_request_reads_only_the_document_it_touches(
        repo: GitRepo, walks: list[tuple[str, ...]], monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue(repo, documents=5)
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({"terms/d3/01-a.md": clause("a3", "阿里云向您提供服务。", "We serve you.")},
                when="2021-06-20T10:00:00+08:00")
    loaded: list[str] = []
    real = loader.load_document

    def counting(snapshot: object, doc_dir: str, *args: object, **kwargs: object) -> object:
        loaded.append(doc_dir)
        return real(snapshot, doc_dir, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "load_document", counting)
    monkeypatch.setattr(workspace_module, "load_document", counting)
    code, out = run_terms("check", "--base", "main", "--format", "json", "--today", TODAY)
    problems = json.loads(out)["problems"]
    assert code == 0 and {p["document"] for p in problems} == {"d3"}
    assert walks == [("terms/d3",)] and set(loaded) == {"terms/d3"}
    walks.clear()
    loaded.clear()
    code, out = run_terms("review", "--base", "main", "--today", TODAY)
    assert code == 0 and "d3" in out and "d0" not in out
    assert walks == [("terms/d3",)] and set(loaded) == {"terms/d3"}
    loaded.clear()
    code, out = run_terms("diff", "main", "feature", "--format", "json")
    documents = json.loads(out)["documents"]
    # every document is listed; only the one that differs was read
    assert [d["id"] for d in documents] == ["d0", "d1", "d2", "d3", "d4"]
    assert [d["id"] for d in documents if d["changes"]] == ["d3"]
    assert set(loaded) == {"terms/d3"}
