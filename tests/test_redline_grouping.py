"""A redline stays readable in a catalogue: a document without differences takes one line,
and clauses that were only renumbered share one old → new table, in `terms diff` and
`terms review`, in every format (JSON keeps listing both as data)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from conftest import GitRepo, clause, manifest, run_cli
from test_diff_cli import RELEASE_1, RELEASE_2

SLA = "terms/sla/"
SLA_FILES: dict[str, str | None] = {
    SLA + "document.yaml": manifest(doc_id="sla"),
    SLA + "01-level.md": clause("l1", "可用性不低于99.9%。", "Availability is at least 99.9%."),
}
ALIKE = "1 document without differences: sla."
# the three clauses of RELEASE_2 whose number alone changed, in the document's order
RENUMBERED = [("2", "3", "服务", "s2"), ("2.1", "3.1", "服务范围以产品页面为准。", "s2-1"),
              ("3", "4", "数据", "s3")]


@pytest.fixture
def catalogue(repo: GitRepo) -> GitRepo:
    """Two documents; the second release changes the terms of service only."""
    repo.commit({**RELEASE_1, **SLA_FILES}, when="2021-06-01T10:00:00+08:00")
    repo.commit(RELEASE_2, when="2021-10-01T10:00:00+08:00")
    return repo


class _Tables(HTMLParser):
    """Every table's rows as lists of cell texts, every element id, all the text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.ids: list[str] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs).get("id")
        if found:
            self.ids.append(found)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def parse(page: str) -> _Tables:
    parser = _Tables()
    parser.feed(page)
    return parser


def _one_table_of_renumbering(tables: list[list[list[str]]]) -> None:
    """Exactly one table holds the renumbered clauses, as old → new rows; no other table
    has a row for them."""
    holding = [t for t in tables if any("s2-1" in cells for cells in t)]
    assert len(holding) == 1, holding
    rows = [r for r in holding[0] if r and r[0] != "Old"]
    assert rows == [list(r) for r in RENUMBERED], rows
    assert not any("renumbered" in cell for t in tables for r in t for cell in r), tables


def _markdown_rows(out: str) -> list[list[str]]:
    return [[c.strip().strip("`") for c in line.strip("|").split("|")]
            for line in out.splitlines() if line.startswith("|")]


def test_markdown_diff(catalogue: GitRepo) -> None:
    code, out, err = run_cli("diff", "HEAD~1", "HEAD", "-f", "markdown")
    assert code == 0, err
    assert ALIKE in out.replace("\\", "") and "(`sla`)" not in out, out
    assert out.count("| Old | New | Clause | Id |") == 1, out
    rows = _markdown_rows(out)
    for old, new, label, cid in RENUMBERED:
        assert [old, new, label, cid] in rows, rows
    assert not any("renumbered" in cell for row in rows for cell in row), rows


def test_html_diff(catalogue: GitRepo) -> None:
    code, out, err = run_cli("diff", "HEAD~1", "HEAD", "-f", "html")
    assert code == 0, err
    page = parse(out)
    assert "doc-sla" not in page.ids and "doc-tos" in page.ids
    assert ALIKE in " ".join("".join(page.text).split())
    _one_table_of_renumbering(page.tables)


@pytest.mark.parametrize("fmt", ["text", "terminal"])
def test_text_and_terminal_diff(catalogue: GitRepo, fmt: str) -> None:
    code, out, err = run_cli("diff", "HEAD~1", "HEAD", "-f", fmt)
    assert code == 0, err
    assert ALIKE in out and "(sla)" not in out, out
    assert "renumbered │" not in out and "renumbered  " not in out, out
    lines = [" ".join(re.sub("[│┃]", " ", line).split()) for line in out.splitlines()]
    for old, new, label, cid in RENUMBERED:
        assert f"{old} {new} {label} {cid}" in lines, out
    assert sum(1 for line in lines if line.startswith("Old New Clause")) == 1, out


def test_json_keeps_them_as_data(catalogue: GitRepo) -> None:
    code, out, err = run_cli("diff", "HEAD~1", "HEAD", "-f", "json")
    assert code == 0, err
    data = json.loads(out)
    assert [d["id"] for d in data["documents"]] == ["sla", "tos"] or \
        {d["id"] for d in data["documents"]} == {"sla", "tos"}
    kinds = [c["kind"] for d in data["documents"] for c in d["changes"]]
    assert kinds.count("renumbered") == 3


# ------------------------------------------------------------------------------ review

@pytest.fixture
def pull_request(repo: GitRepo) -> GitRepo:
    """Main has release 1 of both documents; the branch records release 2 of the terms of
    service, and touches the SLA only to put it back as it was."""
    repo.commit({**RELEASE_1, **SLA_FILES}, when="2021-06-01T10:00:00+08:00")
    repo.git("checkout", "-q", "-b", "change")
    repo.commit({SLA + "01-level.md": clause("l1", "可用性不低于99%。",
                                             "Availability is at least 99%.")},
                when="2021-10-01T09:00:00+08:00")
    repo.commit({**RELEASE_2, **SLA_FILES}, when="2021-10-01T10:00:00+08:00")
    return repo


def review(fmt: str) -> str:
    code, out, err = run_cli("review", "--base", "main", "--today", "2021-10-01", "-f", fmt)
    assert code in (0, 1), err
    return out


def test_markdown_review(pull_request: GitRepo) -> None:
    out = review("markdown")
    assert ALIKE in out.replace("\\", ""), out
    assert out.count("| Old | New | Clause | Id |") == 1, out
    rows = _markdown_rows(out)
    for old, new, label, cid in RENUMBERED:
        assert [old, new, label, cid] in rows, rows
    assert not any(row[3:4] == ["renumbered"] for row in rows), rows


def test_text_review(pull_request: GitRepo) -> None:
    out = review("terminal")
    assert ALIKE in out, out
    assert not re.search(r"\bs2-1\s+renumbered\b", out), out
    lines = [" ".join(line.split()) for line in out.splitlines()]
    for old, new, label, cid in RENUMBERED:
        assert f"{old} → {new} {label} {cid}" in lines, out


def test_html_review(pull_request: GitRepo) -> None:
    page = parse(review("html"))
    assert "doc-sla" not in page.ids and "doc-tos" in page.ids
    assert ALIKE in " ".join("".join(page.text).split())
    _one_table_of_renumbering(page.tables)
