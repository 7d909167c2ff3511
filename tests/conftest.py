"""Shared fixtures: real git repositories in tmp_path, isolated from the user's git config."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
TERMS = PROJECT / "terms"
TOS = TERMS / "api-gateway" / "terms-of-service"
SOURCES = TERMS / "api-gateway" / "sources"
SEED = SOURCES / "api-gateway-legal-20210701.zh.txt"
ENGLISH = SOURCES / "terms-of-service-20210701.en.txt"

GIT_ENV = {
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.com",
    "LC_ALL": "C",
}


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's git configuration."""
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    # What earlier in-process commands wrote is no concern of this test's messages.
    from termstool.storage import files

    monkeypatch.setattr(files, "_CHANGED", [])


class GitRepo:
    """A temporary repository with a ``commit(files, when=...)`` helper."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, when: str | None = None) -> str:
        env = {**os.environ, **GIT_ENV}
        if when is not None:
            env["GIT_AUTHOR_DATE"] = when
            env["GIT_COMMITTER_DATE"] = when
        result = subprocess.run(["git", *args], cwd=self.root, env=env, check=True,
                                capture_output=True, text=True)
        return result.stdout

    def write(self, files: Mapping[str, str | bytes | None]) -> None:
        for rel, content in files.items():
            path = self.root / rel
            if content is None:
                if path.is_dir():
                    import shutil
                    shutil.rmtree(path)
                else:
                    path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")

    def commit(self, files: Mapping[str, str | bytes | None] | None = None, *,
               when: str = "2021-06-01T10:00:00+08:00", message: str = "change") -> str:
        if files:
            self.write(files)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, when=when)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[GitRepo]:
    """An empty git repository; the current directory is its root."""
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(root)
    yield GitRepo(root)


def manifest(*, version: str = "20210701", announced: str = "2021-06-01",
             effective: str = "2021-07-01", doc_id: str = "tos", extra: str = "",
             languages: str = "[zh, en]", authoritative: str = "zh", notice_days: int | str = 30,
             timezone: str = "Asia/Shanghai") -> str:
    """A document.yaml text for tests."""
    return (f"id: {doc_id}\ntitle:\n  zh: 服务条款\n  en: Terms of Service\n"
            f"languages: {languages}\nauthoritative: {authoritative}\n"
            f"notice_days: {notice_days}\n"
            f"timezone: {timezone}\nversion: \"{version}\"\nannounced: {announced}\n"
            f"effective: {effective}\n{extra}")


def clause(cid: str, zh: str, en: str, *, title: tuple[str, str] | None = None,
           extra: str = "", langs: tuple[str, str] = ("zh", "en")) -> str:
    """A clause file text for tests: ``zh`` and ``en`` are the texts of the two languages
    ``langs`` (Chinese and English unless told otherwise)."""
    first, second = langs
    head = f"---\nid: {cid}\n"
    if title:
        head += f"title:\n  {first}: {title[0]}\n  {second}: {title[1]}\n"
    head += extra + "---\n"
    return f"{head}\n<!-- {first} -->\n{zh}\n\n<!-- {second} -->\n{en}\n"


GOLDEN = Path(__file__).resolve().parent / "golden"


def check_golden(path: Path, text: str) -> None:
    """Compare output with a golden file; ``TERMS_REGEN_GOLDEN=1`` rewrites it instead.

    After regenerating, review the change with ``git diff tests/golden``.
    """
    if os.environ.get("TERMS_REGEN_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"{path} is missing: run with TERMS_REGEN_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8"), (
        f"output differs from {path}; if the change is intended, regenerate with "
        "TERMS_REGEN_GOLDEN=1 and review the diff")


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run `terms` in-process: (exit code, stdout, stderr), asserting no traceback."""
    from typer.testing import CliRunner

    from termstool.cli.app import app

    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def run_terms(*args: str) -> tuple[int, str]:
    """Run `terms` in-process: (exit code, stdout and stderr together), no traceback."""
    code, out, err = run_cli(*args)
    return code, out + err


def today() -> dt.date:
    """A fixed 'today' for tests that need one."""
    return dt.date(2021, 8, 1)
