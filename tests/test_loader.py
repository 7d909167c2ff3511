"""Loading documents from a snapshot: layout, order, computed numbers, located problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TERMS, clause, manifest
from termstool.format.loader import document_dirs, load_document, load_documents
from termstool.model.snapshot import Snapshot
from termstool.storage.working_tree import working_tree

DOC = "terms/tos"


def snapshot(files: dict[str, str]) -> Snapshot:
    """An in-memory snapshot, the way git objects are read."""
    data = {path: text.encode() for path, text in files.items()}
    return Snapshot("test", {path: path for path in data}, data.__getitem__)


def titled(cid: str, zh: str, en: str) -> str:
    """A clause that has sub-clauses: a title and no text of its own."""
    return f"---\nid: {cid}\ntitle:\n  zh: {zh}\n  en: {en}\n---\n"


def tree() -> dict[str, str]:
    return {
        f"{DOC}/document.yaml": manifest(),
        f"{DOC}/00-preamble.md": clause("preamble", "序言。", "Preamble.",
                                        extra="numbered: false\n"),
        f"{DOC}/01-content.md": clause("s1", "服务内容。", "Service content."),
        f"{DOC}/02-fees/_index.md": titled("s2", "费用", "Fees"),
        f"{DOC}/02-fees/01-prices.md": clause("s2-1", "价格。", "Prices."),
        f"{DOC}/02-fees/02-modes/_index.md": titled("s2-2", "方式", "Modes"),
        f"{DOC}/02-fees/02-modes/01-before.md": clause("s2-2-1", "先付费。", "Pay first."),
        f"{DOC}/02-fees/02-modes/02-note.md": clause("note", "注。", "Note.",
                                                     extra="numbered: false\n"),
        f"{DOC}/02-fees/02-modes/03-after.md": clause("s2-2-2", "后付费。", "Pay after."),
        f"{DOC}/03-end.md": clause("s3", "终止见第[2.2.2](#s2-2-2)条。",
                                   "See Section [2.2.2](#s2-2-2)."),
    }


def test_numbers_are_computed_from_position() -> None:
    loaded = load_documents(snapshot(tree()))
    assert loaded.problems == ()
    [document] = loaded.documents
    assert [(c.number, c.id) for c in document.walk()] == [
        ("", "preamble"), ("1", "s1"), ("2", "s2"), ("2.1", "s2-1"), ("2.2", "s2-2"),
        ("2.2.1", "s2-2-1"), ("", "note"), ("2.2.2", "s2-2-2"), ("3", "s3")]
    assert document.clause("s2-2").file == f"{DOC}/02-fees/02-modes/_index.md"  # type: ignore[union-attr]
    assert document.clause("s2-2").title.get("en") == "Modes"  # type: ignore[union-attr]


def test_inserting_a_file_renumbers_what_follows_but_keeps_ids() -> None:
    files = tree()
    files[f"{DOC}/00-zz-new.md"] = clause("new", "新条款。", "New clause.")
    [document] = load_documents(snapshot(files)).documents
    assert [(c.number, c.id) for c in document.clauses] == [
        ("", "preamble"), ("1", "new"), ("2", "s1"), ("3", "s2"), ("4", "s3")]


def test_a_stale_reference_is_found_after_renumbering() -> None:
    files = tree()
    files[f"{DOC}/02-fees/02-modes/00-first.md"] = clause("s2-2-0", "首。", "First.")
    problems = load_documents(snapshot(files)).problems
    assert [(p.rule, p.file, p.line) for p in problems] == [
        ("reference-number", f"{DOC}/03-end.md", 6),
        ("reference-number", f"{DOC}/03-end.md", 9)]
    assert "is now 2.2.3" in problems[0].message


def test_ordering_is_by_file_name_and_a_misleading_prefix_is_warned() -> None:
    files = {f"{DOC}/document.yaml": manifest(),
             f"{DOC}/9-nine.md": clause("nine", "九。", "Nine."),
             f"{DOC}/10-ten.md": clause("ten", "十。", "Ten.")}
    loaded = load_documents(snapshot(files))
    assert [c.id for c in loaded.documents[0].clauses] == ["ten", "nine"]
    [warning] = loaded.problems
    assert (warning.rule, warning.severity.value, warning.file) == (
        "file-order", "warning", f"{DOC}/9-nine.md")
    assert "'9-nine.md' sorts after '10-ten.md'" in warning.message


def test_directory_without_index_is_reported() -> None:
    files = tree()
    files[f"{DOC}/04-orphans/01-a.md"] = clause("orphan", "孤。", "Orphan.")
    loaded = load_documents(snapshot(files))
    assert [(p.rule, p.file) for p in loaded.problems] == [("layout", f"{DOC}/04-orphans/")]
    assert "orphan" not in {c.id for c in loaded.documents[0].walk()}


def test_index_directly_in_a_document_directory_is_reported() -> None:
    files = tree()
    files[f"{DOC}/_index.md"] = titled("doc", "文", "Doc")
    problems = load_documents(snapshot(files)).problems
    assert [(p.rule, p.file, p.line) for p in problems] == [("layout", f"{DOC}/_index.md", 1)]


def test_a_leaf_clause_needs_a_body_even_with_a_title() -> None:
    files = tree()
    files[f"{DOC}/01-content.md"] = titled("s1", "内容", "Content")
    problems = load_documents(snapshot(files)).problems
    assert sorted((p.rule, p.line, p.message[:20]) for p in problems) == [
        ("language-block", 6, "no <!-- en --> block"), ("language-block", 6, "no <!-- zh --> block")]


def test_nested_documents_and_groups() -> None:
    files = {f"terms/group/a/{name}": text for name, text in tree().items()
             if name.startswith(DOC)}
    files = {path.replace(f"terms/group/a/{DOC}/", "terms/group/a/"): text
             for path, text in files.items()}
    files["terms/group/a/annex/document.yaml"] = manifest(doc_id="annex")
    files["terms/group/a/annex/01-x.md"] = clause("x", "附。", "Annex.")
    snap = snapshot(files)
    assert document_dirs(snap) == ["terms/group/a", "terms/group/a/annex"]
    loaded = load_documents(snap)
    assert loaded.problems == ()
    outer, annex = loaded.documents
    assert "x" not in {c.id for c in outer.walk()}  # the nested document is its own
    assert [c.id for c in annex.walk()] == ["x"]
    # a path inside a document widens to that document
    assert document_dirs(snap, "terms/group/a/02-fees") == ["terms/group/a"]
    assert document_dirs(snap, "terms/group") == ["terms/group/a", "terms/group/a/annex"]


def test_broken_manifest_still_reports_clause_problems() -> None:
    files = tree()
    files[f"{DOC}/document.yaml"] = manifest(effective="2021-02-30")
    files[f"{DOC}/01-content.md"] = clause("s1", "服务\u200b内容。", "Service content.")
    document, problems = load_document(snapshot(files), DOC)
    assert document is None
    assert [(p.rule, p.file) for p in problems] == [
        ("manifest", f"{DOC}/document.yaml"), ("invisible-character", f"{DOC}/01-content.md")]


def test_working_tree_snapshot_reads_clause_files_and_manifests(tmp_path: Path) -> None:
    for rel, text in {**tree(), f"{DOC}/notes.txt": "x", f"{DOC}/.hidden/a.md": "x"}.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    snap = working_tree(tmp_path)
    assert set(snap.files) == set(tree())
    assert snap.content(f"{DOC}/01-content.md") == tree()[f"{DOC}/01-content.md"].encode()
    assert working_tree(tmp_path, "nowhere").files == {}


@pytest.mark.parametrize("doc", ["terms-of-service", "service-level-agreement"])
def test_the_real_documents_load_without_problems(doc: str) -> None:
    loaded = load_documents(working_tree(TERMS.parent), f"terms/api-gateway/{doc}")
    assert loaded.problems == ()
    assert len(loaded.documents) == 1
