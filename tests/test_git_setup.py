"""`terms git-setup`: plain git compares clause files by character, set up once per clone."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import GIT_ENV, GitRepo, clause, manifest, run_terms
from termstool.app.git_setup import ATTRIBUTES_COMMENT, CONFIG, attributes_line, plan_setup

CLAUSE = "terms/tos/03-changes.md"
OLD = "如您不同意阿里云所做的修改，您有权停止使用服务。"
NEW = "如您不同意阿里云作出的修改,您有权停止使用服务。"


run = run_terms


@pytest.fixture
def global_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A global config file that git-setup must never write to."""
    path = tmp_path / "global.gitconfig"
    path.write_text("[user]\n\tname = Someone\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(path))
    return path


def test_setup_is_repo_local_and_idempotent(repo: GitRepo, global_config: Path) -> None:
    repo.write({".gitattributes": "*.png binary"})  # an existing file without final newline
    before = global_config.read_text(encoding="utf-8")

    code, out = run("git-setup")
    assert code == 0, out
    assert "diff.terms.wordRegex" in out and ".gitattributes" in out
    local = repo.git("config", "--local", "--get-regexp", r"^diff\.terms\.")
    assert "wordregex" in local.lower() and "xfuncname" in local.lower()
    assert global_config.read_text(encoding="utf-8") == before
    attributes = (repo.root / ".gitattributes").read_text(encoding="utf-8")
    assert attributes == f"*.png binary\n\n{ATTRIBUTES_COMMENT}\n{attributes_line()}\n"
    config = (repo.root / ".git" / "config").read_bytes()

    code, out = run("git-setup")
    assert code == 0 and "nothing changed" in out
    assert (repo.root / ".gitattributes").read_text(encoding="utf-8") == attributes
    assert (repo.root / ".git" / "config").read_bytes() == config


def test_plan_only_changes_what_differs() -> None:
    wanted = dict(CONFIG)
    assert plan_setup(wanted, f"{attributes_line()}\n").empty
    plan = plan_setup({**wanted, "diff.terms.wordRegex": "."}, None)
    assert plan.config == (("diff.terms.wordRegex", CONFIG["diff.terms.wordRegex"]),)
    assert plan.attributes == f"{ATTRIBUTES_COMMENT}\n{attributes_line()}\n"


def _word_diff(repo: GitRepo, locale: str, *args: str) -> str:
    env = {**os.environ, **GIT_ENV, "LC_ALL": locale}
    return subprocess.run(["git", *args], cwd=repo.root, env=env, check=True,
                          capture_output=True, text=True).stdout


@pytest.mark.parametrize("locale", ["C", "C.UTF-8"])
def test_word_diff_compares_chinese_by_character(repo: GitRepo, locale: str) -> None:
    repo.commit({"terms/tos/document.yaml": manifest(),
                 CLAUSE: clause("s3-2-11", OLD, "If you disagree, you may stop.")})
    assert run("git-setup")[0] == 0
    repo.commit()  # .gitattributes
    repo.write({CLAUSE: clause("s3-2-11", NEW, "If you disagree, you can stop.")})

    out = _word_diff(repo, locale, "diff", "--word-diff=plain", "--", CLAUSE)
    # Two changed characters and a full-width comma made half-width, each marked alone;
    # the English changes by word. Before git-setup the whole Chinese line is one word.
    assert "阿里云[-所做-]{+作出+}的修改[-，-]{+,+}您有权" in out
    assert "you [-may-]{+can+} stop." in out
    headers = _word_diff(repo, locale, "diff", "-U0", "--", CLAUSE)
    assert "@@ <!-- zh -->" in headers and "@@ <!-- en -->" in headers  # the block changed

    repo.commit(message="edit")
    log = _word_diff(repo, locale, "log", "-p", "--word-diff=plain", "-1", "--", CLAUSE)
    assert "[-所做-]{+作出+}" in log


def test_without_setup_git_marks_the_whole_line(repo: GitRepo) -> None:
    repo.commit({CLAUSE: clause("s3-2-11", OLD, "x")})
    repo.write({CLAUSE: clause("s3-2-11", NEW, "x")})
    out = _word_diff(repo, "C", "diff", "--word-diff=plain", "--", CLAUSE)
    assert f"[-{OLD}-]{{+{NEW}+}}" in out  # what git-setup fixes
