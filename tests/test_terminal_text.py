"""Text from the repository reaches the terminal as text, never as rich markup.

Clause text, titles, release exceptions, commit messages and file paths may hold
anything that looks like rich markup: ``[bold]`` (a style that would vanish), ``[/]`` (a
closing tag with nothing to close: rich raises an error) and ``[link=https://x]`` (a
hyperlink). Every terminal output must print them as written. A version label is only
letters, digits, ``.``, ``_`` and ``-`` (document.yaml refuses others), so one written
with brackets can only reach the terminal in the message that refuses it, as written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import GitRepo, clause, run_cli

DOC = "terms/tos"
YAML = f"{DOC}/document.yaml"
MARKS = ("[bold]", "[/]", "[link=https://x]")
TITLE_ZH = "费用[bold]"
TITLE_EN = "Fees [/] [link=https://x]"
BODY_ZH = "您应支付[bold]费用[/]，见[link=https://x]说明[/]。"
BODY_EN = "You shall pay [bold]the fees[/], see [link=https://x]the note[/]."
VERSION = "v2"
EXCEPTION = "per rule [/] of the regulator [bold] [link=https://x]"
COMMIT = "Change [bold]fees[/] [link=https://x]"
FILE = f"{DOC}/02-fees[bold].md"


def _manifest(version: str, announced: str, effective: str, extra: str = "") -> str:
    return ("id: tos\ntitle:\n  zh: 服务条款[/]\n  en: Terms [bold]of Service\n"
            "languages: [zh, en]\nauthoritative: zh\nnotice_days: 30\ntimezone: UTC\n"
            f"version: '{version}'\nannounced: {announced}\neffective: {effective}\n{extra}")


def _literal(out: str, *texts: str) -> None:
    for text in texts:
        assert text in out, f"{text!r} is not printed as written in:\n{out}"


@pytest.fixture
def marked(repo: GitRepo) -> GitRepo:
    """Two releases whose texts, labels, reasons, messages and paths look like markup."""
    repo.commit({
        YAML: _manifest("v1", "2021-06-01", "2021-07-01"),
        f"{DOC}/01-service.md": clause("s1", "服务。", "Services."),
        FILE: clause("s2", "您应支付费用。", "You shall pay the fees.", title=("费用", "Fees")),
    }, when="2021-05-20T10:00:00+00:00", message="First [bold]release[/]")
    repo.commit({
        YAML: _manifest(VERSION, "2021-09-01", "2021-09-10", f'exception: "{EXCEPTION}"\n'),
        FILE: clause("s2", BODY_ZH, BODY_EN, title=(TITLE_ZH, TITLE_EN)),
    }, when="2021-09-01T10:00:00+00:00", message=COMMIT)
    return repo


def test_render_prints_markup_as_text(marked: GitRepo) -> None:
    code, out, err = run_cli("render")
    assert code == 0, err
    _literal(out, VERSION, "服务条款[/]", "Terms [bold]of Service", TITLE_ZH, "[link=https://x]")
    code, out, err = run_cli("render", "--layout", "stacked")
    assert code == 0, err
    _literal(out, TITLE_ZH, TITLE_EN, BODY_ZH, BODY_EN)


def test_render_at_a_version_prints_the_banner_and_label_as_text(marked: GitRepo) -> None:
    code, out, err = run_cli("render", "--at", "v1")
    assert code == 0, err
    _literal(out, "v1", "服务条款[/]")
    code, out, err = run_cli("render", "--at", "v[link=https://x]1")
    assert code == 2
    _literal(err, "v[link=https://x]1")


def test_outline_prints_markup_as_text(marked: GitRepo) -> None:
    code, out, err = run_cli("outline")
    assert code == 0, err
    _literal(out, VERSION, f"{TITLE_ZH} / {TITLE_EN}", "02-fees[bold].md")


def test_check_prints_markup_as_text(marked: GitRepo) -> None:
    code, out, err = run_cli("check", "--today", "2021-10-01")
    assert code == 0, out + err  # the short notice is accepted by its recorded exception
    _literal(out, VERSION, EXCEPTION)


def test_log_prints_markup_as_text(marked: GitRepo) -> None:
    code, out, err = run_cli("log", "--today", "2021-10-01")
    assert code == 0, err
    _literal(out, VERSION, "v1", EXCEPTION)
    code, out, err = run_cli("log", "--clause", "s2", "--today", "2021-10-01")
    assert code == 0, err
    _literal(out, VERSION, "02-fees[bold].md")


def test_clause_show_prints_markup_as_text(marked: GitRepo) -> None:
    code, out, err = run_cli("clause", "show", "s2")
    assert code == 0, err
    _literal(out, TITLE_ZH, TITLE_EN, "02-fees[bold].md", "[bold]费用[/]，见[link=https://x]说明[/]",
             VERSION)


def test_diff_prints_markup_as_text(marked: GitRepo) -> None:
    code, out, err = run_cli("diff", "v1", VERSION)
    assert code == 0, err
    _literal(out, VERSION, "v1", TITLE_ZH, "[bold]费用[/]，见[link=https://x]说明[/]",
             "[bold]the fees[/], see [link=https://x]the note[/]")


def test_review_prints_markup_as_text(marked: GitRepo) -> None:
    marked.git("branch", "base", "HEAD~1")
    code, out, err = run_cli("review", "--base", "base", "-f", "terminal", "--today",
                             "2021-09-01")
    assert code == 0, out + err
    _literal(out, VERSION, EXCEPTION, "服务条款[/] / Terms [bold]of Service", TITLE_ZH,
             "[bold]费用[/]，见[link=https://x]说明[/]")


def test_release_with_a_closing_tag_in_its_reason(marked: GitRepo) -> None:
    """The reported case: the release was written, then rich failed on the reason."""
    reason = "per rule [/] of the regulator"
    code, out, err = run_cli("release", "20211110", "--announced", "2021-11-01",
                             "--effective", "2021-11-10", DOC, "--exception", reason,
                             "--today", "2021-11-01")
    assert code == 0, out + err
    _literal(out, "20211110", reason)
    code, out, err = run_cli("log", "--today", "2021-11-01")
    assert code == 0, err
    _literal(out, "20211110", reason)


def test_release_with_markup_in_its_reason_then_log(marked: GitRepo) -> None:
    """The release is written and reported; afterwards `terms log` still works, also once
    committed with markup in the commit message. A label with brackets is refused, and
    the refusal prints it as written."""
    code, _out, err = run_cli("release", "v[bold]3", "--announced", "2021-10-01",
                              "--effective", "2021-10-05", DOC, "--today", "2021-10-01")
    assert code == 2
    _literal(err, "v[bold]3")
    reason = "per rule [/] of the regulator [bold] [link=https://x]"
    code, out, err = run_cli("release", "v3", "--announced", "2021-10-01",
                             "--effective", "2021-10-05", "--exception", reason, DOC,
                             "--today", "2021-10-01")
    assert code == 0, out + err
    _literal(out, "v3", reason)
    code, out, err = run_cli("log", "--today", "2021-10-01")
    assert code == 0, err
    _literal(out, "v3", reason)
    marked.commit(when="2021-10-01T10:00:00+00:00", message="Release [/]")
    code, out, err = run_cli("log", "--today", "2021-10-01")
    assert code == 0, err
    _literal(out, "v3", reason)


def test_errors_and_warnings_print_markup_as_text(marked: GitRepo) -> None:
    code, _out, err = run_cli("log", "--clause", "[bold]x[/]")
    assert code == 2
    _literal(err, "[bold]x[/]")
    code, _out, err = run_cli("render", "--at", "[/]")
    assert code == 2
    _literal(err, "[/]")


def test_import_report_prints_markup_as_text(repo: GitRepo, tmp_path: Path) -> None:
    source = tmp_path / "seed [bold].txt"
    source.write_text("服务条款\n文档版本：20210701\n1. 服务[bold]\n阿里云[/]向您提供服务。\n"
                      "2. 费用\n您应支付费用。\n", encoding="utf-8")
    code, out, err = run_cli("import", str(source), "--dry-run")
    assert code == 0, out + err
    _literal(out, str(source), "服务[bold]")
    target = "terms/imp[bold]"
    code, out, err = run_cli("import", str(source), "--into", target, "--id", "imp")
    assert code == 0, out + err
    _literal(out, target)
    english = tmp_path / "en [red].txt"
    english.write_text("Terms\n1. Services\nWe provide [bold] services.\n2. Fees\nPay.\n"
                       "3. Extra [/]\nNot in the Chinese.\n", encoding="utf-8")
    code, out, err = run_cli("import", str(english), "--into", target, "--lang", "en",
                             "--force")
    assert code == 0, out + err
    _literal(out, target)
    _literal(err, str(english))


def test_the_markers_are_markup_to_rich() -> None:
    """What the tests above print would be read as markup if it reached rich as markup."""
    from rich.errors import MarkupError
    from rich.markup import render

    for mark in MARKS[0], MARKS[2]:
        assert mark not in render(f"{mark}x").plain
    with pytest.raises(MarkupError):
        render(MARKS[1])
