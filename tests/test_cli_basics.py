"""The command line as a whole: help, version, exit codes, no tracebacks, `terms check` here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import PROJECT, GitRepo, clause, manifest, run_cli
from termstool.cli.app import app


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.stdout, result.stderr


def test_help_lists_the_commands_and_the_exit_codes() -> None:
    code, out, _ = invoke("--help")
    assert code == 0
    for command in ("render", "outline", "check", "import"):
        assert command in out
    assert "Exit codes: 0 ok, 1 problems or differences found, 2 bad usage" in out
    assert "3 a bug in terms" in " ".join(out.split())


@pytest.mark.parametrize("command", ["render", "outline", "check", "import"])
def test_every_command_has_help(command: str) -> None:
    code, out, _ = invoke(command, "--help")
    assert code == 0 and "Usage:" in out


def test_version() -> None:
    code, out, _ = invoke("--version")
    assert code == 0 and out.startswith("terms ")


def test_an_unknown_option_is_a_usage_error() -> None:
    code, _out, err = invoke("render", "--no-such-option")
    assert code == 2 and "No such option" in err


def test_an_unknown_format_is_a_usage_error() -> None:
    code, _out, err = invoke("render", "--format", "rtf")
    assert code == 2 and "rtf" in err


def test_debug_shows_the_traceback_of_an_unexpected_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "terms/tos").mkdir(parents=True)
    (tmp_path / "terms/tos/document.yaml").write_text(manifest(), encoding="utf-8")
    (tmp_path / "terms/tos/01-a.md").write_text(clause("s1", "甲。", "A."), encoding="utf-8")

    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("termstool.cli.outputs.outline_json", explode)
    code, _out, err = invoke("outline", "--format", "json")
    assert code == 3 and "Traceback" not in err
    assert "error: internal error in terms 0.1.0: RuntimeError: boom — please report it" in err
    code, _out, err = invoke("--debug", "outline", "--format", "json")
    assert code == 3 and "Traceback (most recent call last)" in err


def test_check_passes_on_the_terms_of_this_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT)
    code, out, _ = invoke("check", "terms", "--format", "json")
    report = json.loads(out)
    assert [p for p in report["problems"] if p["severity"] == "error"] == []
    assert code == 0 and report["ok"] is True


def test_output_file_with_uncommitted_changes_is_not_overwritten(repo: GitRepo) -> None:
    repo.commit({"terms/tos/document.yaml": manifest(),
                 "terms/tos/01-a.md": clause("s1", "服务。", "Services."),
                 "TERMS.md": "published copy\n"})
    (repo.root / "TERMS.md").write_text("hand edit, not committed\n", encoding="utf-8")
    code, _out, err = run_cli("render", "-f", "markdown", "-o", "TERMS.md")
    assert code == 2 and "uncommitted changes" in err and "--force" in err
    assert (repo.root / "TERMS.md").read_text(encoding="utf-8") == "hand edit, not committed\n"
    code, _out, _err = run_cli("render", "-f", "markdown", "-o", "TERMS.md", "--force")
    assert code == 0 and "服务。" in (repo.root / "TERMS.md").read_text(encoding="utf-8")
    (repo.root / "page.html").write_text("old generated page\n", encoding="utf-8")
    code, _out, _err = run_cli("diff", "HEAD", "WORKTREE", "-o", "page.html")
    assert code == 0  # an untracked output is simply regenerated
