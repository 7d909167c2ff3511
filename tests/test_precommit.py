"""The `terms-check` hook through the real pre-commit framework, as another repository uses it.

`pre-commit try-repo` installs the hook's repository into an environment of its own with
pip (`language: python`), exactly as for a user. It only sees committed files, so the
project is first copied into a temporary repository and committed there: the test then
checks what this tree would ship, whatever else is uncommitted in it. The environment is
built once per run (about 10 s, from the package index or the local wheel cache).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GIT_ENV, PROJECT, GitRepo, clause, manifest

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, check=True,
                   capture_output=True)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This project, committed in a temporary repository of its own."""
    root = tmp_path_factory.mktemp("hook-repo")
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(PROJECT / name, root / name)
    shutil.copytree(PROJECT / "tool" / "termstool", root / "tool" / "termstool",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "the project")
    return root


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache for the module, so the hook's environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(target: Path, hook_repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home)}
    return subprocess.run([str(PRE_COMMIT), "try-repo", str(hook_repo), "terms-check",
                           "--all-files"], cwd=target, env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.mark.slow  # builds the hook's environment with pip: about 10 s
def test_hook_passes_a_good_clause_and_fails_a_bad_one(repo: GitRepo, hook_repo: Path,
                                                        pre_commit_home: Path) -> None:
    repo.commit({
        "terms/tos/document.yaml": manifest(),
        "terms/tos/01-service.md": clause("s1", "阿里云向您提供服务。",
                                          "Alibaba Cloud provides the services."),
    })
    good = try_repo(repo.root, hook_repo, pre_commit_home)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "terms check" in good.stdout and "Passed" in good.stdout

    # A clause file without an id: a format error that `terms check` must report.
    repo.commit({"terms/tos/02-fees.md": "---\ntitle: {zh: 费用, en: Fees}\n---\n\n"
                 "<!-- zh -->\n您应支付费用。\n\n<!-- en -->\nYou shall pay the fees.\n"})
    bad = try_repo(repo.root, hook_repo, pre_commit_home)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "02-fees.md" in bad.stdout and "no 'id'" in bad.stdout


def test_hook_definition_matches_the_documented_contract() -> None:
    import yaml

    hooks = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "terms-check")
    assert hook["entry"] == "terms check" and hook["language"] == "python"
    assert hook["pass_filenames"] is False and hook["files"] == "^terms/"
