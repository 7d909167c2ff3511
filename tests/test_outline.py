"""`terms outline`: the clause tree as JSON and for people; the seed's 101 clauses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import PROJECT, SEED, TOS, clause, manifest, run_cli
from termstool.format.loader import load_documents
from termstool.report.outline import outline_json
from termstool.storage.working_tree import working_tree

DOC = "terms/tos"


run = run_cli


@pytest.fixture
def plain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A document with a preamble, a titled parent, and a clause missing its English."""
    files = {
        f"{DOC}/document.yaml": manifest(),
        f"{DOC}/00-preamble.md": clause("preamble", "序言。", "Preamble.",
                                        extra="numbered: false\n"),
        f"{DOC}/01-fees/_index.md": "---\nid: s1\ntitle:\n  zh: 费用\n  en: Fees\n---\n",
        f"{DOC}/01-fees/01-price.md": clause("s1-1", "价格。", "Prices."),
        f"{DOC}/01-fees/02-pay.md": "---\nid: s1-2\n---\n\n<!-- zh -->\n付款。\n",
    }
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_json_shape(plain: Path) -> None:
    code, out, _ = run("outline", "--format", "json")
    assert code == 0
    assert json.loads(out) == {"documents": [{
        "id": "tos", "path": DOC, "version": "20210701", "clauses": [
            {"id": "preamble", "number": "", "label": "", "title": {"zh": None, "en": None},
             "file": f"{DOC}/00-preamble.md", "languages": ["zh", "en"]},
            {"id": "s1", "number": "1", "label": "1", "title": {"zh": "费用", "en": "Fees"},
             "file": f"{DOC}/01-fees/_index.md", "languages": ["zh", "en"]},
            {"id": "s1-1", "number": "1.1", "label": "1.1", "title": {"zh": None, "en": None},
             "file": f"{DOC}/01-fees/01-price.md", "languages": ["zh", "en"]},
            {"id": "s1-2", "number": "1.2", "label": "1.2", "title": {"zh": None, "en": None},
             "file": f"{DOC}/01-fees/02-pay.md", "languages": ["zh"]},
        ]}]}
    assert json.loads(out) == outline_json(load_documents(working_tree(plain)).documents)


def test_terminal_marks_a_missing_language(plain: Path) -> None:
    code, out, _ = run("outline")
    assert code == 0
    rows = {line.split("│")[2].strip(): line for line in out.splitlines() if "│" in line
            and len(line.split("│")) > 3}
    assert "✗en" in rows["s1-2"] and "✗" not in rows["s1-1"]
    assert "费用 / Fees" in rows["s1"]
    assert "tos · 20210701" in out


def test_outline_without_a_document_exits_2(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("outline")
    assert code == 2 and out == "" and "error: no document found" in err


def seed_numbers() -> list[str]:
    """The numbers the seed writes before its clauses (2.3． and 10.1 alike), in order."""
    import re

    lines = SEED.read_text(encoding="utf-8").split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith("本服务条款是阿里云计算有限公司"))
    end = next(i for i, ln in enumerate(lines) if ln.startswith("11.3 "))
    found = [re.match(r"^\s*(\d+(?:[.．]\d+)*)[.．]?(?:\s|(?=[^\d.．A-Za-z]))", ln)
             for ln in lines[start: end + 1]]
    return [m.group(1).replace("．", ".") for m in found if m]


def test_the_terms_have_the_preamble_and_the_101_clauses_of_the_seed_in_both_languages(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT)
    code, out, _ = run("outline", str(TOS.relative_to(PROJECT)), "--format", "json")
    assert code == 0
    [document] = json.loads(out)["documents"]
    clauses = document["clauses"]
    assert clauses[0]["id"] == "preamble" and clauses[0]["number"] == ""
    assert [c["number"] for c in clauses[1:]] == seed_numbers()
    assert len(clauses) == 102 and "3.1.8.6" in [c["number"] for c in clauses]
    assert all(c["languages"] == ["zh", "en"] for c in clauses)
    assert all(c["id"] == "s" + c["number"].replace(".", "-") for c in clauses[1:])


def test_terminal_shows_markup_in_titles_as_text(plain: Path) -> None:
    (plain / DOC / "01-fees/_index.md").write_text(
        "---\nid: s1\ntitle:\n  zh: 费用[bold]\n  en: '[red]Fees'\n---\n", encoding="utf-8")
    code, out, _ = run("outline")
    assert code == 0 and "费用[bold] / [red]Fees" in out
