"""Numbering styles: Chinese numerals, the ``numbering`` key and renderers that follow it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import GitRepo, clause, manifest, run_cli
from termstool.format.document_yaml import parse_manifest
from termstool.format.numbering import (
    chinese_numeral,
    number_label,
    number_lead,
    number_mark,
    parse_chinese_numeral,
)

DOC = "terms/tos"


@given(st.integers(1, 9999))
def test_chinese_numerals_round_trip(value: int) -> None:
    assert parse_chinese_numeral(chinese_numeral(value)) == value


@pytest.mark.parametrize(("value", "written"), [
    (1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"), (100, "一百"),
    (101, "一百零一"), (110, "一百一十"), (1001, "一千零一"), (2010, "二千零一十")])
def test_chinese_numerals_are_written_as_legal_texts_write_them(value: int,
                                                                written: str) -> None:
    assert chinese_numeral(value) == written


@pytest.mark.parametrize("text", ["", "一二", "十百", "零", "第一", "1"])
def test_what_is_not_a_chinese_numeral(text: str) -> None:
    assert parse_chinese_numeral(text) is None


def test_labels_leads_and_marks_per_style_and_language() -> None:
    assert [number_label("12", style) for style in
            ("decimal", "chinese-article", "chinese-article-traditional",
             "chinese-article-digits", "chinese-section")] == \
        ["12", "第十二条", "第十二條", "第12条", "十二"]
    assert number_lead("3", "chinese-article") == "第三条 "
    assert number_lead("3", "chinese-section") == "三、"
    assert number_lead("3") == "3. " and number_mark("3") == "3"
    assert number_mark("3", "chinese-section") == "三、"
    # Below the top level every style writes dotted numbers, as the sources do.
    assert number_label("3.1", "chinese-article") == "3.1"
    assert number_lead("3.1.2", "chinese-section") == "3.1.2. "
    # Languages are data: English writes articles in words, sections in digits.
    assert number_label("3", "chinese-article", "en") == "Article 3"
    assert number_label("3", "chinese-section", "en") == "3"
    assert number_label("3", "chinese-article", "zh-Hant") == "第三条"
    assert number_label("", "chinese-article") == ""


def test_document_yaml_declares_the_style_and_an_unknown_one_is_a_problem() -> None:
    found, problems = parse_manifest("d.yaml", manifest(extra="numbering: chinese-article\n")
                                     .encode())
    assert found is not None and found.numbering == "chinese-article" and problems == []
    found, problems = parse_manifest("d.yaml", manifest().encode())
    assert found is not None and found.numbering == "decimal"
    found, problems = parse_manifest("d.yaml", manifest(extra="numbering: roman\n").encode())
    assert found is not None and found.numbering == "decimal"
    assert [(p.line, p.message.split(" (")[0]) for p in problems] == \
        [(12, "numbering 'roman' is not a known style")]


@pytest.fixture
def articles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A document numbered 第一条, 第二条 with items 2.1 and 2.2 under the second."""
    files = {
        f"{DOC}/document.yaml": manifest(extra="numbering: chinese-article\n"),
        f"{DOC}/00-preamble.md": clause("preamble", "序言。", "Preamble.",
                                        extra="numbered: false\n"),
        f"{DOC}/01-scope.md": clause("s1", "本协议适用于云服务。", "This applies.",
                                     title=("服务项目", "Services")),
        f"{DOC}/02-fees/_index.md": "---\nid: s2\ntitle:\n  zh: 费用\n  en: Fees\n---\n",
        f"{DOC}/02-fees/01-price.md": clause("s2-1", "价格以官网为准。", "Prices."),
        f"{DOC}/02-fees/02-pay.md": clause("s2-2", "见第[2.1](#s2-1)条。",
                                           "See Section [2.1](#s2-1)."),
    }
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_text_rendering_writes_the_articles_as_the_document_does(articles: Path) -> None:
    code, out, _ = run_cli("render", DOC, "--lang", "zh", "--format", "text")
    assert code == 0
    body = out.split("=" * 60, 1)[1].strip()
    assert body == ("序言。\n\n第一条 服务项目\n\n本协议适用于云服务。\n\n第二条 费用\n\n"
                    "2.1. 价格以官网为准。\n\n2.2. 见第2.1条。")
    code, out, _ = run_cli("render", DOC, "--lang", "en", "--format", "text")
    assert "Article 1. Services" in out and "2.2. See Section 2.1." in out


def test_markdown_html_terminal_and_outline_follow_the_style(articles: Path) -> None:
    code, out, _ = run_cli("render", DOC, "--lang", "zh", "--format", "markdown")
    assert code == 0 and "**第一条** **服务项目**" in out and "**2.1** 价格" in out
    code, out, _ = run_cli("render", DOC, "--format", "html")
    assert code == 0 and '<a href="#s2">第二条</a>' in out
    assert 'href="#s1">第一条 服务项目</a>' in out
    code, out, _ = run_cli("render", DOC, "--lang", "zh")
    assert code == 0 and "第二条" in out
    code, out, _ = run_cli("outline", "--format", "json")
    clauses = json.loads(out)["documents"][0]["clauses"]
    assert [(c["number"], c["label"]) for c in clauses] == [
        ("", ""), ("1", "第一条"), ("2", "第二条"), ("2.1", "2.1"), ("2.2", "2.2")]
    code, out, _ = run_cli("outline")
    assert code == 0 and "第一条" in out
    assert run_cli("check", DOC)[0] == 0


def test_redlines_cite_numbers_in_the_documents_style(repo: GitRepo) -> None:
    """A document numbered 第一条, 第二条 is redlined with those numbers, not 1, 2."""
    repo.commit({f"{DOC}/document.yaml": manifest(extra="numbering: chinese-article\n"),
                 f"{DOC}/01-a.md": clause("s1", "第一条的内容。", "First."),
                 f"{DOC}/02-b.md": clause("s2", "第二条的内容。", "Second."),
                 f"{DOC}/03-c.md": clause("s3", "第三条的内容。", "Third.")})
    repo.commit({f"{DOC}/00-new.md": clause("s0", "新的一条。", "New."),
                 f"{DOC}/02-b.md": clause("s2", "第二条的新内容。", "Second.")})
    code, out, err = run_cli("diff", "HEAD~1", "HEAD", "--format", "markdown")
    assert code == 0, err
    assert "第二条 → 第三条" in out  # the changed clause, as the document cites it
    assert "| 第一条 | 第二条 |" in out and "| 第三条 | 第四条 |" in out  # renumbered only
    assert "2 → 3" not in out and "| 1 | 2 |" not in out
    code, text, err = run_cli("diff", "HEAD~1", "HEAD", "--format", "text")
    assert code == 0, err
    assert "第二条 → 第三条" in text and "第一条 │ 第二条" in text and "2 → 3" not in text
    code, data, err = run_cli("diff", "HEAD~1", "HEAD", "--format", "json")
    numbers = {c["id"]: (c["number_from"], c["number_to"])
               for d in json.loads(data)["documents"] for c in d["changes"]}
    assert numbers["s2"] == ("2", "3")  # the data keeps the computed numbers
