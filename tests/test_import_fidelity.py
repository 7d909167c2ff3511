"""`terms import` accounts for every character of its source: imported, or reported dropped."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEED, GitRepo, run_cli
from termstool.format.loader import load_documents
from termstool.importer import text_source
from termstool.storage.working_tree import working_tree


def imported_texts(root: Path, into: str = "terms/doc") -> dict[str, str]:
    """Clause number -> Chinese title and body of the imported document."""
    document = load_documents(working_tree(root), into).documents[0]
    return {c.number: c.title.get("zh") + c.body.get("zh") for c in document.walk()}


def import_text(repo: GitRepo, text: str, *extra: str) -> tuple[int, str, str]:
    (repo.root / "src.txt").write_text(text, encoding="utf-8")
    return run_cli("import", "src.txt", "--into", "terms/doc", "--version", "1",
                   "--effective", "2021-07-01", *extra)


def test_text_after_a_page_header_in_the_last_clause_is_kept_and_the_header_reported(
        repo: GitRepo) -> None:
    code, out, err = import_text(repo, "HDR\n1. 第一条。\n2. 第二条开始，\nHDR\n下一页剩余内容。\n")
    assert code == 0, err
    assert imported_texts(repo.root)["2"] == "第二条开始，下一页剩余内容。"
    assert "dropped 2 lines that are in no clause: lines 1, 4 (page header or footer)" in out


def test_text_after_the_last_clause_is_reported_with_its_lines(repo: GitRepo) -> None:
    code, out, err = import_text(repo, "1. 第一条。\n2. 第二条。\n# 附录\n附录内容。\n\n更多附录内容。\n")
    assert code == 0, err
    assert imported_texts(repo.root) == {"1": "第一条。", "2": "第二条。"}
    assert "lines 3 (heading), 4–6 (after the document's text)" in out


def test_a_repeated_short_line_inside_a_clause_is_reported(repo: GitRepo) -> None:
    text = "1. 定义\n1.1 本条款中：\n服务\n1.2 服务指云服务。\n服务\n1.3 其他。\n"
    code, out, err = import_text(repo, text)
    assert code == 0, err
    assert "lines 3, 5 (page header or footer)" in out


def test_the_seed_import_reports_what_surrounds_the_terms(repo: GitRepo) -> None:
    code, out, err = run_cli("import", str(SEED), "--into", "terms/doc")
    assert code == 0, err
    assert "lines 1–90 (before the document's text), 92 (version line)" in out
    assert "165, 227, 345, 405 (page header or footer), 490–493 (after the document's text)" \
        in out


def test_an_import_that_would_lose_text_writes_nothing(
        repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """A parser bug that loses a paragraph is caught by the check that runs on every import."""
    real = text_source._paragraphs

    def losing(lines: list[text_source._Line]) -> list[str]:
        return real(lines)[:1]

    monkeypatch.setattr(text_source, "_paragraphs", losing)
    code, _out, err = import_text(repo, "1. 第一条。\n\n第一条的第二段。\n2. 第二条。\n")
    assert code == 3, err
    assert "src.txt:3: " in err and "第一条的第二段" in err and "nothing was written" in err
    assert not (repo.root / "terms").exists()


def test_the_clause_files_are_checked_for_an_english_import_too(
        repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug after parsing (here: linking references loses a word) is caught as well."""
    assert import_text(repo, "1. 第一条。\n2. 第二条。\n")[0] == 0
    repo.commit(message="import")
    real = text_source.link_references

    def losing(text: str, lang: str, ids: dict[str, str]) -> str:
        return real(text, lang, ids).replace("second", "")

    monkeypatch.setattr(text_source, "link_references", losing)
    (repo.root / "en.txt").write_text("1. The first.\n2. The second.\n", encoding="utf-8")
    code, _out, err = run_cli("import", "en.txt", "--into", "terms/doc", "--lang", "en")
    assert code == 3 and 'en.txt:2: the clause files would not hold the text "2.Thesecond."' in err
    assert repo.git("status", "--porcelain") == "?? en.txt\n"


# Generated documents with page artefacts: whatever the parser drops is reported, and the
# rest is in the clause files (the check inside the import would fail otherwise).
HAN = "阿里云服务条款您应按照页面提示及本约定支付相应费用对自己存放在平台上的数据负责"


@st.composite
def paged_documents(draw: st.DrawFn) -> str:
    lines: list[str] = []
    count = draw(st.integers(1, 6))
    for number in range(1, count + 1):
        body = "，".join("".join(draw(st.lists(st.sampled_from(HAN), min_size=4, max_size=20)))
                        for _ in range(draw(st.integers(1, 4)))) + "。"
        wrapped = textwrap.wrap(f"{number}. {body}", draw(st.integers(12, 40)))
        lines += wrapped
        if draw(st.booleans()):
            lines.append("")
    header = draw(st.sampled_from(["HDR", "相关协议·服务条款", "# 附录", "> 文档版本：20210701 3"]))
    for _ in range(draw(st.integers(0, 3))):
        lines.insert(draw(st.integers(0, len(lines))), header)
    return "\n".join(lines) + "\n"


def reported_lines(err: str) -> set[int]:
    """The line numbers the import names as dropped (a stretch before or after the
    document's text counts whole)."""
    found: set[int] = set()
    listed = re.search(r"in no clause: lines? (.*); see their text", err)
    for first, last in re.findall(r"(\d+)(?:–(\d+))?", listed.group(1) if listed else ""):
        found.update(range(int(first), int(last or first) + 1))
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(paged_documents())
def test_every_character_is_imported_or_reported(repo: GitRepo, text: str) -> None:
    code, out, err = import_text(repo, text, "--force")
    assert code == 0, err
    reported = reported_lines(out)
    kept = "".join(re.sub(r"^\d+\.", "", re.sub(r"\s+", "", line))
                   for number, line in enumerate(text.split("\n"), 1)
                   if number not in reported)
    imported = re.sub(r"\s+", "", "".join(imported_texts(repo.root).values()))
    assert imported == kept
