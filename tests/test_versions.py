"""Releases, `terms log`, `terms release`, point-in-time rendering and odd repositories."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from conftest import GIT_ENV, PROJECT, GitRepo, clause, manifest, run_terms

DOC = "terms/tos"
C1 = f"{DOC}/01-service.md"
C2 = f"{DOC}/02-fees.md"
YAML = f"{DOC}/document.yaml"


run = run_terms


def two_releases(repo: GitRepo) -> tuple[str, str]:
    first = repo.commit({YAML: manifest(),
                         C1: clause("s1", "阿里云向您提供服务。", "Alibaba Cloud provides the services."),
                         C2: clause("s2", "您应支付费用。", "You shall pay the fees.")},
                        when="2021-05-20T10:00:00+08:00")
    second = repo.commit({YAML: manifest(version="20211101", announced="2021-10-01",
                                         effective="2021-11-01"),
                          C1: clause("s1", "阿里云向您提供全部服务。", "Alibaba Cloud provides all services."),
                          f"{DOC}/03-new.md": clause("s3", "新条款。", "A new clause.")},
                         when="2021-10-01T09:00:00+08:00")
    return first, second


def log_json(*args: str) -> list[dict[str, object]]:
    code, out = run("log", "--format", "json", *args)
    assert code == 0, out
    [document] = json.loads(out)["documents"]
    releases = document["releases"]
    assert isinstance(releases, list)
    return releases


def test_log_lists_releases_with_status_and_changes(repo: GitRepo) -> None:
    first, second = two_releases(repo)
    releases = log_json("--today", "2021-10-15")
    assert [(r["version"], r["status"], r["commit"]) for r in releases] == [
        ("20210701", "in-effect", first), ("20211101", "pending", second)]
    assert releases[0]["changed"] == {"added": 2, "removed": 0, "modified": 0}
    assert releases[1]["changed"] == {"added": 1, "removed": 0, "modified": 1}
    assert releases[1]["notice_days"] == 31
    later = log_json("--today", "2021-12-01")
    assert [r["status"] for r in later] == ["superseded", "in-effect"]


def test_uncommitted_new_version_is_a_draft(repo: GitRepo) -> None:
    two_releases(repo)
    repo.write({YAML: manifest(version="3", announced="2022-01-01", effective="2022-02-01")})
    releases = log_json("--today", "2021-12-01")
    assert releases[-1]["version"] == "3" and releases[-1]["status"] == "draft"
    assert releases[-1]["commit"] is None


def test_clause_history_follows_the_id_across_a_move(repo: GitRepo) -> None:
    two_releases(repo)
    text = (repo.root / C1).read_text(encoding="utf-8")
    moved = repo.commit({C1: None, f"{DOC}/09-service-moved.md": text},
                        when="2021-10-02T09:00:00+08:00")
    repo.commit({f"{DOC}/09-service-moved.md": text.replace("全部服务", "全部云服务")},
                when="2021-10-03T09:00:00+08:00")
    code, out = run("log", "--clause", "s1", "--format", "json")
    assert code == 0
    changes = json.loads(out)["documents"][0]["changes"]
    assert [(c["kind"], c["class"]) for c in changes] == [
        ("added", "substantive"), ("modified", "substantive"), ("modified", "substantive")]
    assert moved not in [c["commit"] for c in changes]  # a pure move changes no text
    assert changes[-1]["file"].endswith("09-service-moved.md")
    code, out = run("log", "--clause", "nope")
    assert code == 2 and "nope" in out


def test_release_writes_document_yaml_keeping_comments(repo: GitRepo) -> None:
    two_releases(repo)
    (repo.root / YAML).write_text("# kept comment\n" + manifest(version="20211101",
                                  announced="2021-10-01", effective="2021-11-01"), "utf-8")
    repo.commit(when="2021-10-04T09:00:00+08:00")
    code, out = run("release", "20220101", "--announced", "2021-12-01", "--today", "2021-12-01", "--effective",
                    "2022-01-01", DOC)
    assert code == 0, out
    assert "git add" in out and "git commit" in out
    text = (repo.root / YAML).read_text(encoding="utf-8")
    assert text.startswith("# kept comment\n")
    assert 'version: "20220101"' in text and "effective: 2022-01-01" in text


def test_release_refusals(repo: GitRepo) -> None:
    two_releases(repo)
    code, out = run("release", "20210701", "--announced", "2021-12-01", "--today", "2021-12-01", "--effective",
                    "2022-01-01", DOC)
    assert code == 2 and "already used" in out
    code, out = run("release", "20220101", "--announced", "2021-12-01", "--today", "2021-12-01", "--effective",
                    "2021-12-30", DOC)
    assert code == 1 and "29 days" in out and "2021-12-31" in out  # a rule, not usage
    code, out = run("release", "20220101", "--announced", "2021-12-01", "--today", "2021-12-01", "--effective",
                    "2021-02-30", DOC)
    assert code == 2 and "2021-02-30" in out
    before = (repo.root / YAML).read_text(encoding="utf-8")
    (repo.root / YAML).write_text(before + "# local edit\n", encoding="utf-8")
    code, out = run("release", "20220101", "--announced", "2021-12-01", "--today", "2021-12-01", "--effective",
                    "2022-01-01", DOC)
    assert code == 2 and "uncommitted" in out
    assert (repo.root / YAML).read_text(encoding="utf-8") == before + "# local edit\n"


def test_release_with_exception_is_recorded_and_shown(repo: GitRepo) -> None:
    two_releases(repo)
    code, out = run("release", "20211110", "--announced", "2021-11-01", "--today", "2021-11-01", "--effective",
                    "2021-11-10", DOC, "--exception", "regulator order 2021-17")
    assert code == 0, out
    assert 'exception: "regulator order 2021-17"' in (repo.root / YAML).read_text("utf-8")
    repo.commit(when="2021-11-01T09:00:00+08:00")
    code, out = run("check", "--today", "2021-11-02")
    assert code == 0 and "regulator order 2021-17" in out
    releases = log_json("--today", "2021-11-02")
    assert releases[-1]["exception"] == "regulator order 2021-17"


def render_text(*args: str) -> tuple[int, str]:
    return run("render", "--format", "text", "--lang", "zh", *args)


def test_render_at_a_date_a_label_and_a_revision(repo: GitRepo) -> None:
    first, _second = two_releases(repo)
    repo.write({C1: clause("s1", "未提交的文字。", "Uncommitted words.")})
    code, out = render_text("--at", "@2021-08-01")
    assert code == 0 and "阿里云向您提供服务。" in out and "全部" not in out
    code, out = render_text("--at", "@2021-11-01")
    assert code == 0 and "全部服务" in out
    code, out = render_text("--at", "20210701")
    assert code == 0 and "阿里云向您提供服务。" in out
    code, out = render_text("--at", first[:10])
    assert code == 0 and "阿里云向您提供服务。" in out
    assert "未提交" in (repo.root / C1).read_text(encoding="utf-8")  # working tree untouched


def test_render_at_shows_banner_for_announced_change(repo: GitRepo) -> None:
    two_releases(repo)
    code, out = render_text("--at", "@2021-10-15")
    assert code == 0 and "these terms change on 2021-11-01" in out


def test_render_before_first_release_and_unknown_revisions(repo: GitRepo) -> None:
    two_releases(repo)
    code, out = render_text("--at", "@2021-05-01")
    assert code == 2 and "no release" in out and "2021-07-01" in out
    code, out = render_text("--at", "20990101")
    assert code == 2 and "known versions: 20210701, 20211101" in out
    code, out = render_text("--at", "@2021-02-30")
    assert code == 2 and "not a date" in out


def test_revision_is_never_read_as_an_option(repo: GitRepo, tmp_path: Path) -> None:
    two_releases(repo)
    target = tmp_path / "pwned"
    for bad in (f"--output={target}", "-p", "--exec=touch x"):
        code, out = render_text("--at", bad)
        assert code == 2 and "not a revision" in out
    assert not target.exists()
    code, out = run("check", "--base", f"--output={target}")
    assert code == 2 and not target.exists()


# ---------------------------------------------------------------- odd repositories

def test_repository_without_commits_document_only_in_working_tree(repo: GitRepo) -> None:
    repo.write({YAML: manifest(), C1: clause("s1", "服务。", "Services.")})
    code, out = run("check", "--today", "2021-08-01")
    assert code == 0, out
    releases = log_json("--today", "2021-08-01")
    assert [(r["version"], r["status"]) for r in releases] == [("20210701", "draft")]


def test_detached_head_and_merge_commits(repo: GitRepo) -> None:
    two_releases(repo)
    repo.git("checkout", "-q", "-b", "topic", "HEAD~1")
    repo.commit({f"{DOC}/README.txt": "notes"}, when="2021-10-05T09:00:00+08:00")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "merge topic", "topic",
             when="2021-10-06T09:00:00+08:00")
    repo.git("checkout", "-q", "--detach", "HEAD")
    code, out = run("check", "--today", "2021-12-01")
    assert code == 0, out
    assert [r["version"] for r in log_json("--today", "2021-12-01")] == ["20210701", "20211101"]


def test_merge_that_brings_a_late_change_is_caught(repo: GitRepo) -> None:
    two_releases(repo)
    repo.git("checkout", "-q", "-b", "topic")
    repo.commit({C2: clause("s2", "您应按年支付费用。", "You shall pay the fees yearly.")},
                when="2021-12-05T09:00:00+08:00")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "merge topic", "topic",
             when="2021-12-06T09:00:00+08:00")
    code, out = run("check", "--today", "2021-12-10")
    assert code == 1 and "frozen-text" in out and "s2" in out


def test_unreadable_document_yaml_in_an_old_commit_is_reported(repo: GitRepo) -> None:
    repo.commit({YAML: "id: [unclosed\n", C1: clause("s1", "服务。", "Services.")},
                when="2021-05-01T09:00:00+08:00")
    repo.commit({YAML: manifest()}, when="2021-05-20T09:00:00+08:00")
    code, out = run("check", "--today", "2021-08-01", "--format", "json")
    assert code == 0
    found = json.loads(out)["problems"]
    assert [p["rule"] for p in found] == ["history"]
    assert "cannot be read" in found[0]["message"]


def test_impossible_date_in_document_yaml(repo: GitRepo) -> None:
    repo.commit({YAML: manifest(effective="2021-02-30"), C1: clause("s1", "服务。", "S.")})
    code, out = run("check")
    assert code == 2 and "2021-02-30" in out and "document.yaml" in out


def test_shallow_clone_gets_fetch_advice(repo: GitRepo, tmp_path: Path,
                                         monkeypatch: object) -> None:
    two_releases(repo)
    repo.commit({C2: clause("s2", "您应支付全部费用。", "You shall pay all fees.")},
                when="2021-10-02T09:00:00+08:00")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)],
                   check=True, env={**GIT_ENV, "PATH": "/usr/bin:/bin"})
    import os
    os.chdir(clone)
    code, out = run("check", "--today", "2021-12-01")
    assert code == 2 and "git fetch --unshallow" in out and "fetch-depth: 0" in out
    code, out = run("check", "--base", "HEAD~3")
    assert code == 2 and "fetch" in out and "Traceback" not in out


def test_this_repository_logs_release_20210701() -> None:
    import os
    os.chdir(PROJECT)
    code, out = run("log", "--format", "json", "--today", "2026-11-26")
    assert code == 0, out
    versions = {(d["id"], r["version"], r["status"]) for d in json.loads(out)["documents"]
                for r in d["releases"]}
    assert ("api-gateway-terms-of-service", "20210701", "in-effect") in versions


def test_history_uses_a_bounded_number_of_git_processes(repo: GitRepo,
                                                        monkeypatch: object) -> None:
    import datetime as dt
    import subprocess as sp

    from termstool.app.check import run_check
    from termstool.app.workspace import Workspace

    spawned: list[object] = []
    popen: Any = sp.Popen  # patched below: typed loosely, as its __init__ is overloaded
    real = popen.__init__

    def counting(self: object, *args: object, **kwargs: object) -> None:
        spawned.append(args[0] if args else kwargs.get("args"))
        real(self, *args, **kwargs)

    def processes_for_check(use_cache: bool = False) -> int:
        spawned.clear()
        popen.__init__ = counting
        try:
            result = run_check(Workspace.open(None, use_cache=use_cache),
                               now=dt.datetime(2022, 1, 1, tzinfo=dt.UTC))
        finally:
            popen.__init__ = real
        assert not [p for p in result.problems if p.blocking]
        return len(spawned)

    two_releases(repo)
    for day in range(10, 15):
        repo.commit({C2: clause("s2", f"您应支付费用{day}。", f"You shall pay fee {day}.")},
                    when=f"2021-09-{day}T09:00:00+08:00")
    few = processes_for_check()
    processes_for_check(use_cache=True)  # the cache of this history, for the next run
    for day in range(15, 30):
        repo.commit({C2: clause("s2", f"您应支付费用{day}。", f"You shall pay fee {day}.")},
                    when=f"2021-09-{day}T09:00:00+08:00")
    many = processes_for_check()
    # the cache brings the history up to date with the new commits: as few processes
    assert few == many and many <= 12 and processes_for_check(use_cache=True) <= 12


def test_document_only_in_the_working_tree_beside_a_committed_one(repo: GitRepo) -> None:
    two_releases(repo)
    repo.write({"terms/sla/document.yaml": manifest(doc_id="sla", version="1"),
                "terms/sla/01-scope.md": clause("scope", "范围。", "Scope.")})
    code, out = run("log", "--format", "json", "--today", "2021-12-01")
    assert code == 0
    statuses = {d["id"]: [r["status"] for r in d["releases"]]
                for d in json.loads(out)["documents"]}
    assert statuses == {"sla": ["draft"], "tos": ["superseded", "in-effect"]}
    code, out = run("check", "--today", "2021-12-01")
    assert code == 0, out


def test_this_repository_renders_the_release_in_effect_and_refuses_before_it() -> None:
    import os
    os.chdir(PROJECT)
    code, out = run("render", "--at", "@2021-08-01", "--format", "text", "--lang", "zh")
    assert code == 0 and "版本 Version 20210701" in out and "如本服务条款内容发生变动" in out
    code, out = run("render", "--at", "@2021-05-01")
    assert code == 2 and "no release" in out and "2021-07-01" in out


def test_two_version_labels_ask_git_status_once(repo: GitRepo) -> None:
    """Two version labels of the history: neither asks git about drafts in the working
    tree (a committed label is a label whatever the drafts say); the one `git status`
    is the history's."""
    from termstool.app.diff import load_sides
    from termstool.app.workspace import Workspace

    two_releases(repo)
    statuses: list[object] = []
    popen: Any = subprocess.Popen
    real = popen.__init__

    def counting(self: object, *args: object, **kwargs: object) -> None:
        command = args[0] if args else kwargs.get("args")
        if isinstance(command, list) and "status" in command:
            statuses.append(command)
        real(self, *args, **kwargs)

    popen.__init__ = counting
    try:
        sides = load_sides(Workspace.open(None), "20210701", "20211101")
    finally:
        popen.__init__ = real
    assert (sides.old_label, sides.new_label) == ("20210701", "20211101")
    assert len(statuses) == 1, statuses
