"""`terms check`, format rules: every bad input the format rules name, with its file, line and exit code.

Each case is checked twice: through the core (``load_documents`` on the working tree)
and through the CLI (``terms check`` in JSON and terminal form). The documents live in
a plain directory, not a git repository, so only the format rules run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import clause, manifest, run_cli
from termstool.format.loader import load_documents
from termstool.model.problems import Problem
from termstool.storage.working_tree import working_tree

DOC = "terms/tos"
MANIFEST = f"{DOC}/document.yaml"
FIRST = f"{DOC}/01-first.md"
SECOND = f"{DOC}/02-second.md"


def good_files() -> dict[str, str | bytes]:
    """A clean two-clause document; the second refers to the first."""
    return {
        MANIFEST: manifest(),
        FIRST: clause("s1", "您应支付费用。", "You shall pay the fees."),
        SECOND: clause("s2", "违反第[1](#s1)条的，阿里云有权终止服务。",
                       "If you breach Section [1](#s1), Alibaba Cloud may terminate the services."),
    }


@pytest.fixture
def plain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty directory (not a git repository) that is the current directory."""
    root = tmp_path / "plain"
    root.mkdir()
    monkeypatch.chdir(root)
    return root


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


run = run_cli


@dataclass(frozen=True)
class Case:
    """A broken input and the problem it must produce."""

    name: str
    files: dict[str, str | bytes]
    rule: str
    file: str
    line: int | None
    says: str  # a fragment of the message


ZH_EN = "---\nid: s1\n---\n\n<!-- zh -->\n您应支付费用。\n\n<!-- en -->\nYou shall pay.\n"

CASES = [
    Case("unreadable front matter", {FIRST: "---\nid: s1\ntitle: {zh: 费用, en: Fees\n---\n"
                                            "\n<!-- zh -->\n甲\n\n<!-- en -->\nA\n"},
         "yaml", FIRST, 3, "front matter is not valid YAML"),
    Case("front matter not closed", {FIRST: "---\nid: s1\n\n<!-- zh -->\n甲\n"},
         "front-matter", FIRST, 1, "not closed"),
    Case("missing id", {FIRST: "---\ntitle: {zh: 费用, en: Fees}\n---\n\n<!-- zh -->\n甲\n\n"
                               "<!-- en -->\nA\n"},
         "id", FIRST, 2, "front matter has no 'id'"),
    Case("id that is not a slug", {FIRST: ZH_EN.replace("id: s1", "id: Clause 1")},
         "id", FIRST, 2, "lowercase ASCII slug"),
    Case("duplicate id", {SECOND: clause("s1", "乙", "B", extra="numbered: true\n")},
         "duplicate-id", SECOND, 2, f"already used by {FIRST}"),
    Case("missing language block", {FIRST: "---\nid: s1\n---\n\n<!-- zh -->\n您应支付费用。\n"},
         "language-block", FIRST, 3, "no <!-- en --> block"),
    Case("empty language block", {FIRST: "---\nid: s1\n---\n\n<!-- zh -->\n您应支付费用。\n\n"
                                         "<!-- en -->\n\n"},
         "language-block", FIRST, 8, "the <!-- en --> block is empty"),
    Case("unknown language block", {FIRST: ZH_EN + "\n<!-- fr -->\nVous payez.\n"},
         "language-block", FIRST, 11, "unknown language block <!-- fr -->"),
    Case("second block of a language", {FIRST: ZH_EN + "\n<!-- zh -->\n再次。\n"},
         "language-block", FIRST, 11, "second <!-- zh --> block; the first is on line 5"),
    Case("text before the first block", {FIRST: "---\nid: s1\n---\nstray\n<!-- zh -->\n甲\n\n"
                                                "<!-- en -->\nA\n"},
         "language-block", FIRST, 4, "text before the first language marker"),
    Case("title without a language", {FIRST: "---\nid: s1\ntitle:\n  zh: 费用\n---\n\n"
                                             "<!-- zh -->\n甲\n\n<!-- en -->\nA\n"},
         "language-block", FIRST, 3, "the title has no 'en' text"),
    Case("reference to an unknown id", {SECOND: clause("s2", "见第[1](#s9)条。", "See [1](#s1).")},
         "reference-target", SECOND, 6, "unknown clause id '#s9'"),
    Case("reference with a stale number", {SECOND: clause("s2", "见第[1](#s1)条。",
                                                          "See Section [7](#s1).")},
         "reference-number", SECOND, 9, "says '7' but that clause is now 1"),
    Case("reference after blank lines", {SECOND: "---\nid: s2\n---\n\n<!-- zh -->\n\n\n"
                                                 "见第[4](#s1)条。\n\n<!-- en -->\nSee [1](#s1).\n"},
         "reference-number", SECOND, 8, "write [1](#s1)"),
    Case("not UTF-8", {FIRST: b"---\nid: s1\n---\n\n<!-- zh -->\n" + "您应支付费用。"
                       .encode("gb18030") + b"\n"},
         "encoding", FIRST, 6, "not UTF-8"),
    Case("byte-order mark", {FIRST: "\ufeff" + ZH_EN},
         "encoding", FIRST, 1, "byte-order mark (BOM)"),
    Case("binary file", {FIRST: b"---\nid: s1\n---\n\x00\x01\x02"},
         "encoding", FIRST, 4, "binary file"),
    Case("zero width space U+200B", {FIRST: ZH_EN.replace("您应支付", "您应\u200b支付")},
         "invisible-character", FIRST, 6, "U+200B (ZERO WIDTH SPACE) at column 3"),
    Case("right-to-left override U+202E", {FIRST: ZH_EN.replace("shall", "\u202eshall")},
         "invisible-character", FIRST, 9, "U+202E (RIGHT-TO-LEFT OVERRIDE) at column 5"),
    Case("left-to-right isolate U+2066", {FIRST: ZH_EN.replace("pay.", "\u2066pay.\u2069")},
         "invisible-character", FIRST, 9, "U+2066 (LEFT-TO-RIGHT ISOLATE) at column 11"),
    Case("byte-order mark inside text U+FEFF", {FIRST: ZH_EN.replace("费用", "费\ufeff用")},
         "invisible-character", FIRST, 6, "U+FEFF (ZERO WIDTH NO-BREAK SPACE) at column 6"),
    Case("invisible character in document.yaml", {MANIFEST: manifest().replace(
        "服务条款", "服务\u200b条款")}, "invisible-character", MANIFEST, 3, "U+200B"),
]


def matching(problems: list[Problem] | list[dict[str, object]], case: Case) -> list[object]:
    def field(p: Problem | dict[str, object], name: str) -> object:
        return p[name] if isinstance(p, dict) else getattr(p, name)

    return [p for p in problems if field(p, "rule") == case.rule
            and field(p, "file") == case.file and field(p, "line") == case.line
            and case.says in str(field(p, "message"))]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_core_reports_the_problem_with_file_and_line(plain: Path, case: Case) -> None:
    write(plain, {**good_files(), **case.files})
    loaded = load_documents(working_tree(plain))
    found = matching(list(loaded.problems), case)
    assert found, [(p.rule, p.file, p.line, p.message) for p in loaded.problems]
    assert all(p.blocking for p in found)  # type: ignore[attr-defined]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_cli_reports_the_problem_and_exits_1(plain: Path, case: Case) -> None:
    write(plain, {**good_files(), **case.files})
    code, out, _err = run("check", "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["ok"] is False
    found = matching(report["problems"], case)
    assert found, report["problems"]
    assert set(report["problems"][0]) >= {"rule", "severity", "document", "clause", "file",
                                          "line", "message"}

    code, out, _err = run("check")
    assert code == 1
    assert f"{case.file}:{case.line}: error [{case.rule}]" in out
    assert case.says in out


def test_clean_document_passes(plain: Path) -> None:
    write(plain, good_files())
    assert load_documents(working_tree(plain)).problems == ()
    code, out, _ = run("check", "--format", "json")
    # Outside git the JSON also says that the notice rules were not checked (issue 9).
    assert (code, json.loads(out)) == (0, {"ok": True, "problems": [], "notice_rules": {
        "checked": False, "reason": "terms is not in a git repository, and the notice rules "
        "read git history: only the file format was checked"}})
    code, out, _ = run("check")
    assert code == 0 and "1 document(s) checked: 0 error(s)" in out


def test_every_problem_is_reported_at_once(plain: Path) -> None:
    write(plain, {**good_files(),
                  FIRST: ZH_EN.replace("您应支付", "您应\u200b支付"),
                  SECOND: clause("s2", "见第[1](#s9)条。", "See Section [7](#s1)."),
                  f"{DOC}/03-third.md": "---\nid: s1\n---\n\n<!-- zh -->\n丙\n"})
    code, out, _ = run("check", "--format", "json")
    rules = sorted(p["rule"] for p in json.loads(out)["problems"])
    assert code == 1
    assert rules == ["duplicate-id", "invisible-character", "reference-number",
                     "reference-target"]


def test_problems_inside_a_dropped_clause_directory_are_still_reported(plain: Path) -> None:
    """A clause with a duplicate id is dropped, but the files below it are still read."""
    write(plain, {**good_files(),
                  f"{DOC}/03-group/_index.md": clause("s1", "丙", "C"),
                  f"{DOC}/03-group/01-child.md": ZH_EN.replace("id: s1", "id: s3-1")
                  .replace("shall", "\u202eshall")})
    problems = load_documents(working_tree(plain)).problems
    assert {(p.rule, p.file) for p in problems} == {
        ("duplicate-id", f"{DOC}/03-group/_index.md"),
        ("invisible-character", f"{DOC}/03-group/01-child.md")}


def test_translation_pending_turns_a_missing_translation_into_a_warning(plain: Path) -> None:
    write(plain, {**good_files(), FIRST: "---\nid: s1\ntranslation: pending\n---\n\n"
                  "<!-- zh -->\n您应支付费用。\n"})
    code, out, _ = run("check", "--format", "json")
    problems = json.loads(out)["problems"]
    assert code == 0
    assert [(p["rule"], p["severity"], p["line"]) for p in problems] == [
        ("language-block", "warning", 4)]
    assert "translation: pending" in problems[0]["message"]


def test_translation_pending_does_not_excuse_the_authoritative_text(plain: Path) -> None:
    write(plain, {**good_files(), FIRST: "---\nid: s1\ntranslation: pending\n---\n\n"
                  "<!-- en -->\nYou shall pay.\n"})
    code, out, _ = run("check", "--format", "json")
    problems = json.loads(out)["problems"]
    assert code == 1
    assert [(p["severity"], p["message"]) for p in problems] == [
        ("error", "no <!-- zh --> block; add a line '<!-- zh -->' followed by the zh text")]


@pytest.mark.parametrize(("name", "text", "line", "says"), [
    ("unreadable YAML", manifest().replace("  en: Terms of Service", " en: Terms"), 4,
     "not valid YAML"),
    ("invalid announced date", manifest(announced="2021-02-30"), 10,
     "announced '2021-02-30' is not a date that exists; write YYYY-MM-DD"),
    ("invalid effective date", manifest(effective="2021-13-01"), 11,
     "effective '2021-13-01' is not a date that exists"),
    ("missing id", manifest().replace("id: tos\n", ""), 1, "missing required key 'id'"),
])
def test_unreadable_document_yaml(plain: Path, name: str, text: str, line: int,
                                  says: str) -> None:
    """The only document cannot be read: exit 2, the message names file and line."""
    write(plain, {**good_files(), MANIFEST: text})
    loaded = load_documents(working_tree(plain))
    assert loaded.documents == ()
    assert any(p.file == MANIFEST and p.line == line and says in p.message for p in loaded.problems)
    code, out, err = run("check")
    assert code == 2
    assert out == ""
    assert f"error: {MANIFEST}:{line}: " in err and says in err


def test_unreadable_document_yaml_beside_a_good_document(plain: Path) -> None:
    """With another document readable, the broken one is reported like any problem."""
    write(plain, {**good_files(), MANIFEST: manifest(announced="2021-02-30"),
                  "terms/sla/document.yaml": manifest(doc_id="sla"),
                  "terms/sla/01-scope.md": clause("scope", "范围。", "Scope.")})
    code, out, _ = run("check", "--format", "json")
    problems = json.loads(out)["problems"]
    assert code == 1
    assert [(p["rule"], p["file"], p["line"]) for p in problems] == [
        ("manifest", MANIFEST, 10)]


def test_document_yaml_not_utf8(plain: Path) -> None:
    write(plain, {**good_files(), MANIFEST: manifest().encode("gb18030")})
    code, _out, err = run("check")
    assert code == 2
    assert f"error: {MANIFEST}:3: not UTF-8" in err


def test_no_document_exits_2_with_a_message(plain: Path) -> None:
    code, out, err = run("check")
    assert code == 2
    assert out == ""
    assert "error: no document found under" in err and "document.yaml" in err


def test_path_that_does_not_exist_exits_2(plain: Path) -> None:
    code, _out, err = run("check", "no/such/dir")
    assert code == 2
    assert "error: no/such/dir does not exist" in err


def test_directory_without_document_exits_2(plain: Path) -> None:
    write(plain, {**good_files(), "notes/readme.md": "hello\n"})
    code, _out, err = run("check", "notes")
    assert code == 2
    assert "no document found" in err


def test_unexpected_failure_is_a_message_not_a_traceback(
        plain: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(plain, good_files())

    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("termstool.app.check.run_check", explode)
    code, _out, err = run("check")
    assert code == 3
    assert ("error: internal error in terms 0.1.0: RuntimeError: disk on fire — please report "
            "it; run with --debug for the traceback (nothing had been written)") in err
