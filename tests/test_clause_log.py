"""`terms log --clause`: one clause followed through moves and renumberings, with its
number in each release and releases dated by their announced and effective dates."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import GitRepo, clause, manifest, run_terms

DOC = "terms/tos"


@pytest.fixture
def history(repo: GitRepo) -> GitRepo:
    """Release 1: clauses 1-4. Release 2 (recorded 2021-10-01): a clause inserted before 2,
    clause 4 moved under 1, clause 3's text changed. Uncommitted: clause 1.1 removed."""
    repo.commit({f"{DOC}/document.yaml": manifest(),
                 f"{DOC}/01-service.md": clause("s1", "服务。", "Services."),
                 f"{DOC}/02-fees.md": clause("s2", "费用。", "Fees."),
                 f"{DOC}/03-breach.md": clause("s3", "违约。", "Breach."),
                 f"{DOC}/04-misc.md": clause("s4", "其他。", "Miscellaneous.")},
                when="2021-05-20T10:00:00+08:00", message="release 1")
    repo.write({f"{DOC}/document.yaml": manifest(version="20211101", announced="2021-10-01",
                                                 effective="2021-11-01")})
    for args in (("add", "--before", "2", "--zh", "税费。", "--en", "Taxes."),
                 ("move", "5", "--under", "1")):
        code, out = run_terms("clause", *args)
        assert code == 0, out
    text = (repo.root / DOC / "04-breach.md").read_text(encoding="utf-8")
    repo.commit({f"{DOC}/04-breach.md": text.replace("违约。", "严重违约。")
                 .replace("Breach.", "Serious breach.")},
                when="2021-10-01T09:00:00+08:00", message="release 2")
    code, out = run_terms("clause", "remove", "1.1")
    assert code == 0, out
    return repo


def log(address: str) -> dict[str, Any]:
    code, out = run_terms("log", "--clause", address, "--format", "json")
    assert code == 0, out
    [document] = json.loads(out)["documents"]
    assert isinstance(document, dict)
    return document


def test_a_renumbered_clause(history: GitRepo) -> None:
    document = log("4")
    assert document["clause"] == "s3" and document["number"] == "4"
    assert [(r["version"], r["number"], r["announced"], r["effective"], r["recorded"])
            for r in document["releases"]] == [
        ("20210701", "3", "2021-06-01", "2021-07-01", "2021-05-20"),
        ("20211101", "4", "2021-10-01", "2021-11-01", "2021-10-01")]
    assert [(m["kind"], m["from"], m["to"], m["version"]) for m in document["moves"]] == [
        ("renumbered", "3", "4", "20211101")]
    assert [(c["kind"], c["class"], c["number"], c["recorded"], c["announced"])
            for c in document["changes"]] == [
        ("added", "substantive", "3", "2021-05-20", "2021-06-01"),
        ("modified", "substantive", "4", "2021-10-01", "2021-10-01")]


def test_a_moved_clause_and_then_its_removal(history: GitRepo) -> None:
    document = log("s4")
    assert document["number"] is None and document["file"] is None  # removed since
    assert [(m["kind"], m["from"], m["to"]) for m in document["moves"]] == [
        ("moved", "4", "1.1")]
    assert [(c["kind"], c["commit"]) for c in document["changes"]] == [
        ("added", document["changes"][0]["commit"]), ("removed", None)]
    assert [r["number"] for r in document["releases"]] == ["4", "1.1"]


def test_an_inserted_clause_only_renumbers_the_ones_after_it(history: GitRepo) -> None:
    assert log("s2")["moves"][0]["kind"] == "renumbered"
    assert [(m["kind"], m["from"], m["to"]) for m in log("s1")["moves"]] == []


def test_the_terminal_shows_numbers_per_release_and_each_change(history: GitRepo) -> None:
    code, out = run_terms("log", "--clause", "s4")
    assert code == 0, out
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert "tos · clause s4 (removed)" in lines
    assert "20210701 2021-06-01 2021-07-01 2021-05-20 4" in lines
    assert "20211101 2021-10-01 2021-11-01 2021-10-01 1.1" in lines
    assert any(line.endswith("20211101 moved 4 → 1.1") for line in lines)
    assert any(line.startswith("uncommitted working tree 20211101 removed") for line in lines)
    code, out = run_terms("log", "--clause", "4")
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert any(line.endswith("20211101 renumbered 3 → 4") for line in lines)
    assert any(line.endswith("20211101 text changed: substantive (zh, en)") for line in lines)
