"""Defaults that fit a real repository: the README's examples run as written here, a
command that needs one document says which and how, ./terms outside a repository, and
an outline that reads at 80 columns."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
from rich.cells import cell_len

from conftest import PROJECT, TERMS, GitRepo, clause, manifest, run_cli, run_terms

README = PROJECT / "README.md"


def copy_of_this_repository(repo: GitRepo) -> GitRepo:
    shutil.copytree(TERMS, repo.root / "terms")
    repo.commit(message="the terms of this repository", when="2021-05-20T10:00:00+08:00")
    return repo


def readme_commands() -> list[str]:
    """Every `terms …` line of the README's shell blocks, comments removed, in order."""
    commands = []
    inside = False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside = line.strip() == "```sh"
            continue
        if inside and line.startswith("terms "):
            commands.append(re.sub(r"\s+#\s.*$", "", line).strip())
    return commands


def test_the_readme_release_example_runs_as_written(repo: GitRepo,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERMS_TODAY", "2021-10-01")  # the README's announcement day
    copy_of_this_repository(repo)
    text = README.read_text(encoding="utf-8")
    [example] = re.findall(r"`(terms release [^`]+)`", text)
    code, out = run_terms(*shlex.split(example)[1:])
    assert code == 0, out
    assert "recorded release 20211101 of api-gateway-terms-of-service" in out


def test_release_among_several_documents_names_them_and_the_commands(
        repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERMS_TODAY", "2021-10-01")  # the announcement day
    copy_of_this_repository(repo)
    args = ["release", "20211101", "--announced", "2021-10-01", "--effective", "2021-11-01"]
    code, out = run_terms(*args)
    assert code == 2
    assert ("2 documents here: api-gateway-sla (terms/api-gateway/service-level-agreement), "
            "api-gateway-terms-of-service (terms/api-gateway/terms-of-service)") in out
    suggested = re.findall(r"^  (terms release .*?)    # api-gateway-terms-of-service$", out,
                           re.MULTILINE)
    assert suggested == ["terms release 20211101 --announced 2021-10-01 --effective "
                         "2021-11-01 terms/api-gateway/terms-of-service"]
    code, out = run_terms(*shlex.split(suggested[0])[1:])
    assert code == 0, out


def test_the_readme_tour_runs_as_written_in_a_copy_of_this_repository(
        repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERMS_TODAY", "2021-10-01")  # the tour's announcement day
    copy_of_this_repository(repo)
    ran = []
    for command in readme_commands():
        if "origin/main" in command or command.startswith(("terms import", "terms review")):
            continue  # need a remote, or source files that are not in the repository
        code, out = run_terms(*shlex.split(command)[1:])
        assert code == 0, f"{command}\n{out}"
        ran.append(command)
    assert len(ran) >= 20
    assert "terms clause add --after 6.1" in " ".join(readme_commands())


def test_outside_a_repository_check_reads_only_terms(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    for where in ("terms/tos", "elsewhere/deep/tos", "terms/../old-copy/tos"):
        (tmp_path / where).mkdir(parents=True, exist_ok=True)
        (tmp_path / where / "document.yaml").write_text(manifest(), encoding="utf-8")
        (tmp_path / where / "01-a.md").write_text(clause("s1", "甲。", "A."), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("check")
    assert code == 0 and "1 document(s) checked" in out
    shutil.rmtree(tmp_path / "terms")
    code, out, err = run_cli("check")
    assert code == 2 and "without a PATH only ./terms is read" in err
    code, out, _ = run_cli("check", "elsewhere")
    assert code == 0 and "1 document(s) checked" in out
    monkeypatch.chdir(tmp_path / "elsewhere/deep/tos")  # inside a document: that one
    code, out, _ = run_cli("check")
    assert code == 0 and "1 document(s) checked" in out


def test_outline_reads_at_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.chdir(PROJECT)
    code, out, _ = run_cli("outline", "terms/api-gateway/terms-of-service")
    assert code == 0
    lines = out.splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    rows = [line for line in lines if line.startswith("│")]
    _code, data, _ = run_cli("outline", "terms/api-gateway/terms-of-service", "-f", "json")
    clauses = json.loads(data)["documents"][0]["clauses"]
    assert len(rows) == len(clauses)  # one line per clause
    for row, found in zip(rows, clauses, strict=True):
        cells = [cell.strip() for cell in row.strip("│").split("│")]
        assert cells[0] == (found["number"] or "·")  # numbers first, never cut
        assert cells[1] == found["id"]
    assert "│ 3.2.11 " not in out and "  3.2.11 " in out  # indented by depth
    assert lines[0].startswith("api-gateway-terms-of-service · 20210701 · "
                               "terms/api-gateway/terms-of-service/")
