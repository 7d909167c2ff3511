"""Clause addresses: a number, an id or a file, with DOC: to pick a document."""

from __future__ import annotations

import json

import pytest

from conftest import GitRepo, clause, manifest, run_terms
from termstool.format.addressing import AddressError, find_clauses, parse_address, resolve_clause
from termstool.format.loader import load_documents
from termstool.model.document import Document
from termstool.storage.working_tree import working_tree

TOS = "terms/acme/tos"
SLA = "terms/acme/sla"


def files() -> dict[str, str]:
    """Two documents that both have a clause 1 and a clause with id 'scope'."""
    return {
        f"{TOS}/document.yaml": manifest(doc_id="acme-tos"),
        f"{TOS}/01-service.md": clause("s1", "服务。", "Services."),
        f"{TOS}/02-fees/_index.md": clause("s2", "费用。", "Fees."),
        f"{TOS}/02-fees/01-price.md": clause("s2-1", "价格。", "Prices."),
        f"{TOS}/03-scope.md": clause("scope", "范围。", "Scope."),
        f"{SLA}/document.yaml": manifest(doc_id="acme-sla"),
        f"{SLA}/01-scope.md": clause("scope", "范围。", "Scope."),
        f"{SLA}/02-credit.md": clause("credit", "赔偿。", "Credits."),
    }


@pytest.fixture
def documents(repo: GitRepo) -> tuple[Document, ...]:
    repo.commit(files())
    return load_documents(working_tree(repo.root)).documents


@pytest.mark.parametrize(("text", "kind", "value", "document"), [
    ("3.2.11", "number", "3.2.11", None),
    ("3.2.11.", "number", "3.2.11", None),
    ("3", "number", "3", None),
    ("s3-2-11", "id", "s3-2-11", None),
    ("terms/a/01-x.md", "path", "terms/a/01-x.md", None),
    ("01-x.md", "path", "01-x.md", None),
    ("tos:3.2", "number", "3.2", "tos"),
    ("terms/acme/tos:s1", "id", "s1", "terms/acme/tos"),
])
def test_parse_address(text: str, kind: str, value: str, document: str | None) -> None:
    address = parse_address(text)
    assert (address.kind, address.value, address.document) == (kind, value, document)


def test_a_number_an_id_and_a_file_name_the_same_clause(documents: tuple[Document, ...]) -> None:
    by_number = resolve_clause(documents, "2.1")
    assert by_number.clause.id == "s2-1" and by_number.document.id == "acme-tos"
    assert resolve_clause(documents, "s2-1") == by_number
    assert resolve_clause(documents, f"{TOS}/02-fees/01-price.md") == by_number
    assert resolve_clause(documents, "01-price.md", cwd=f"{TOS}/02-fees") == by_number


def test_a_directory_names_the_clause_with_sub_clauses(documents: tuple[Document, ...]) -> None:
    assert resolve_clause(documents, f"{TOS}/02-fees").clause.id == "s2"
    assert resolve_clause(documents, f"{TOS}/02-fees/").clause.id == "s2"


def test_ambiguous_address_lists_the_candidates(documents: tuple[Document, ...]) -> None:
    with pytest.raises(AddressError) as caught:
        resolve_clause(documents, "scope")
    message = str(caught.value)
    assert "names 2 clauses" in message
    assert f"acme-tos:3 (id scope, {TOS}/03-scope.md)" in message
    assert f"acme-sla:1 (id scope, {SLA}/01-scope.md)" in message
    assert resolve_clause(documents, "acme-sla:scope").document.id == "acme-sla"
    assert resolve_clause(documents, "sla:scope").document.id == "acme-sla"  # directory name
    assert resolve_clause(documents, f"{TOS}:scope").document.id == "acme-tos"  # its path


def test_a_pure_number_is_never_an_id(repo: GitRepo) -> None:
    repo.commit({f"{TOS}/document.yaml": manifest(doc_id="acme-tos"),
                 f"{TOS}/01-a.md": clause("s1", "甲。", "A."),
                 f"{TOS}/02-b.md": clause("'1'", "乙。", "B.")})
    documents = load_documents(working_tree(repo.root)).documents
    assert resolve_clause(documents, "1").clause.id == "s1"  # clause 1, not the clause '1'
    assert [h.clause.id for h in find_clauses(documents, "02-b.md", cwd=TOS)] == ["1"]


@pytest.mark.parametrize(("text", "says"), [
    ("9.9", "no clause is numbered 9.9"),
    ("nope", "no clause has the id 'nope'"),
    ("terms/none.md", "no clause is in the file terms/none.md"),
    ("other:1", "'other' in 'other:1' is not a document here"),
])
def test_an_address_that_names_nothing(documents: tuple[Document, ...], text: str,
                                       says: str) -> None:
    with pytest.raises(AddressError, match=says):
        resolve_clause(documents, text)


def test_log_clause_takes_a_number(repo: GitRepo) -> None:
    repo.commit(files())
    code, out = run_terms("log", "--clause", "acme-tos:2.1", "--format", "json")
    assert code == 0, out
    [document] = json.loads(out)["documents"]
    assert document["clause"] == "s2-1" and document["number"] == "2.1"
    code, out = run_terms("log", "--clause", "3")
    assert code == 0 and "acme-tos · clause scope (now 3," in out


def test_log_clause_with_an_ambiguous_address_exits_2(repo: GitRepo) -> None:
    repo.commit(files())
    code, out = run_terms("log", "--clause", "scope")
    assert code == 2 and "acme-tos:3" in out and "acme-sla:1" in out


def test_notice_change_clause_takes_a_number(repo: GitRepo) -> None:
    repo.commit(files(), when="2021-05-20T10:00:00+08:00")
    repo.commit({f"{TOS}/document.yaml": manifest(doc_id="acme-tos", version="2",
                                                  announced="2021-09-01",
                                                  effective="2021-10-01"),
                 f"{TOS}/01-service.md": clause("s1", "全部服务。", "All services.")},
                when="2021-09-01T10:00:00+08:00")
    code, out = run_terms("notice", "2", "--change-clause", "acme-sla:9")
    assert code == 2 and "--change-clause acme-sla:9: no clause is numbered 9" in out
    code, out = run_terms("notice", "2", "--change-clause", "acme-tos:2.1")
    assert code == 0, out
    assert "> 价格。" in out
    code, out = run_terms("notice", "2", "--change-clause", "acme-sla:credit")
    assert code == 0 and "> 赔偿。" in out  # quoted from the other document
