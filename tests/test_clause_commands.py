"""`terms clause show|add|move|remove` on real git repositories."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from conftest import GitRepo, clause, manifest, run_cli, run_terms
from termstool.format.loader import load_documents
from termstool.format.restructure import entry_name
from termstool.storage.working_tree import working_tree

DOC = "terms/tos"
TITLE_ONLY = "---\nid: s2\ntitle:\n  zh: 费用\n  en: Fees\n---\n"
# Long enough that git still sees a rename when a renumbering rewrites its link.
BREACH_ZH = ("您违反第{}条的付款义务，经阿里云书面催告后十五日内仍未改正的，阿里云有权暂停或终止"
             "向您提供服务，并要求您赔偿由此给阿里云造成的全部损失。")
BREACH_EN = ("If you breach your payment obligations under Section {} and fail to remedy the "
             "breach within fifteen days after a written reminder from Alibaba Cloud, Alibaba "
             "Cloud may suspend or terminate the services and claim compensation for all "
             "losses caused to it.")


def files() -> dict[str, str]:
    """A preamble, a leaf, a title-only parent with two children, a clause that refers
    to 2.2, and a last leaf."""
    return {
        f"{DOC}/document.yaml": manifest(),
        f"{DOC}/00-preamble.md": clause("preamble", "序言。", "Preamble.",
                                        extra="numbered: false\n"),
        f"{DOC}/01-service.md": clause("s1", "服务。", "Services."),
        f"{DOC}/02-fees/_index.md": TITLE_ONLY,
        f"{DOC}/02-fees/01-price.md": clause("s2-1", "价格。", "Prices."),
        f"{DOC}/02-fees/02-pay.md": clause("s2-2", "付款。", "Payment."),
        f"{DOC}/03-breach.md": clause("s3", BREACH_ZH.format("[2.2](#s2-2)"),
                                      BREACH_EN.format("[2.2](#s2-2)")),
        f"{DOC}/04-misc.md": clause("s4", "其他。", "Miscellaneous."),
    }


@pytest.fixture
def tos(repo: GitRepo) -> GitRepo:
    repo.commit(files())
    return repo


def outline() -> dict[str, tuple[str, str]]:
    """id -> (number, file relative to the document)."""
    code, out, _ = run_cli("outline", "--format", "json")
    assert code == 0
    [document] = json.loads(out)["documents"]
    return {c["id"]: (c["number"], c["file"].removeprefix(DOC + "/"))
            for c in document["clauses"]}


def status(repo: GitRepo) -> list[str]:
    return sorted(repo.git("status", "--porcelain").splitlines())


def check_is_clean() -> None:
    _code, out, _ = run_cli("check", "--format", "json")
    errors = [p for p in json.loads(out)["problems"] if p["severity"] == "error"
              and p["rule"] != "frozen-text"]  # the notice rule wants a release: not here
    assert errors == [], errors


def test_add_after_a_clause_renumbers_renames_and_stages(tos: GitRepo) -> None:
    code, out = run_terms("clause", "add", "--after", "1", "--zh", "新条款。", "--en",
                          "A new clause on taxes.", "--title-zh", "税费", "--title-en", "Taxes")
    assert code == 0, out
    assert "added clause 2 (id s2-v2) to tos" in out
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert "added — → 2 s2-v2" in lines
    assert "renumbered 2 → 3 s2 (and its 2 sub-clauses)" in lines
    assert "renumbered 3 → 4 s3" in lines and "renumbered 4 → 5 s4" in lines
    assert outline() == {
        "preamble": ("", "00-preamble.md"), "s1": ("1", "01-service.md"),
        "s2-v2": ("2", "02-taxes.md"), "s2": ("3", "03-fees/_index.md"),
        "s2-1": ("3.1", "03-fees/01-price.md"), "s2-2": ("3.2", "03-fees/02-pay.md"),
        "s3": ("4", "04-breach.md"), "s4": ("5", "05-misc.md")}
    text = (tos.root / DOC / "04-breach.md").read_text(encoding="utf-8")
    assert "违反第[3.2](#s2-2)条的" in text and "Section [3.2](#s2-2) and" in text
    assert "cross-references updated in: 4 (s3)" in out
    assert status(tos) == [
        f"A  {DOC}/02-taxes.md",
        f"R  {DOC}/02-fees/01-price.md -> {DOC}/03-fees/01-price.md",
        f"R  {DOC}/02-fees/02-pay.md -> {DOC}/03-fees/02-pay.md",
        f"R  {DOC}/02-fees/_index.md -> {DOC}/03-fees/_index.md",
        f"R  {DOC}/03-breach.md -> {DOC}/04-breach.md",
        f"R  {DOC}/04-misc.md -> {DOC}/05-misc.md"]
    new = (tos.root / DOC / "02-taxes.md").read_text(encoding="utf-8")
    assert new == ("---\nid: s2-v2\ntitle:\n  zh: 税费\n  en: Taxes\n---\n\n<!-- zh -->\n新条款。\n\n"
                   "<!-- en -->\nA new clause on taxes.\n")
    check_is_clean()


def test_a_new_id_was_never_used_in_the_history(tos: GitRepo) -> None:
    # s2-v2 existed once and was removed: it is never given again
    tos.commit({f"{DOC}/05-old.md": clause("s2-v2", "旧。", "Old.")})
    tos.commit({f"{DOC}/05-old.md": None})
    code, out = run_terms("clause", "add", "--before", "2", "--zh", "新。", "--en", "New.")
    assert code == 0, out
    assert "id s2-v3" in out
    code, out = run_terms("clause", "add", "--after", "1", "--zh", "新。", "--en", "New.",
                          "--id", "s2-v2")
    assert code == 2 and "'s2-v2' is, or was, used" in out


def test_add_under_a_leaf_makes_it_a_directory(tos: GitRepo) -> None:
    code, out = run_terms("clause", "add", "--under", "s4", "--zh", "子条款。", "--en",
                          "A sub-clause.")
    assert code == 0, out
    assert outline()["s4"] == ("4", "04-misc/_index.md")
    assert outline()["s4-1"] == ("4.1", "04-misc/01-sub-clause.md")
    assert f"R  {DOC}/04-misc.md -> {DOC}/04-misc/_index.md" in status(tos)
    check_is_clean()


def test_add_under_first(tos: GitRepo) -> None:
    code, out = run_terms("clause", "add", "--under", "2", "--first", "--zh", "首。",
                          "--en", "First.")
    assert code == 0, out
    assert outline()["s2-1-v2"] == ("2.1", "02-fees/01-first.md")
    assert outline()["s2-1"] == ("2.2", "02-fees/02-price.md")


def test_add_without_a_translation_marks_it_pending(tos: GitRepo) -> None:
    code, out = run_terms("clause", "add", "--after", "4", "--zh", "只有中文。")
    assert code == 0, out
    text = (tos.root / DOC / "05-s5.md").read_text(encoding="utf-8")
    assert "translation: pending" in text and "<!-- en -->" not in text
    check_is_clean()


def test_add_needs_the_authoritative_text_and_known_languages(tos: GitRepo) -> None:
    code, out = run_terms("clause", "add", "--after", "1", "--en", "English only.")
    assert code == 2 and "no text in zh" in out
    code, out = run_terms("clause", "add", "--after", "1", "--zh", "甲。", "--ja", "こんにちは")
    assert code == 2 and "--ja: tos is written in zh, en; use --zh, --en" in out
    code, out = run_terms("clause", "add", "--zh", "甲。")
    assert code == 2 and "exactly one of --after" in out
    code, out = run_terms("clause", "add", "--after", "1", "--first", "--zh", "甲。")
    assert code == 2 and "--first goes with --under" in out
    assert status(tos) == []


def test_add_from_a_file(tos: GitRepo, tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text("---\ntitle:\n  zh: 税费\n  en: Taxes\n---\n\n<!-- zh -->\n税费由您承担。\n\n"
                     "<!-- en -->\nYou bear the taxes.\n", encoding="utf-8")
    code, out = run_terms("clause", "add", "--after", "2.2", "--from", str(draft))
    assert code == 0, out
    assert outline()["s2-3"] == ("2.3", "02-fees/03-taxes.md")
    plain = tmp_path / "plain.txt"
    plain.write_text("只有正文。\n", encoding="utf-8")
    code, out = run_terms("clause", "add", "--after", "2.3", "--from", str(plain))
    assert code == 0, out
    text = (tos.root / DOC / "02-fees/04-s2-4.md").read_text(encoding="utf-8")
    assert "<!-- zh -->\n只有正文。" in text and "translation: pending" in text
    bad = tmp_path / "bad.md"
    bad.write_text("<!-- zh -->\n甲。\n<!-- fr -->\nA.\n", encoding="utf-8")
    code, out = run_terms("clause", "add", "--after", "1", "--from", str(bad))
    assert code == 2 and "'fr', which is not a language of this document" in out


def test_add_in_an_editor_with_a_template(tos: GitRepo, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\ncp \"$1\" \"$TEMPLATE_SEEN\"\n"
                      "printf '%s\\n' '---' 'title:' '  zh: 税费' '---' '<!-- zh -->' "
                      "'税费由您承担。' '<!-- en -->' 'You bear the taxes.' > \"$1\"\n",
                      encoding="utf-8")
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    seen = tmp_path / "template.md"
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("TEMPLATE_SEEN", str(seen))
    code, out = run_terms("clause", "add", "--after", "1", "--edit")
    assert code == 0, out
    template = seen.read_text(encoding="utf-8")
    assert "# New clause of tos, after 1." in template
    assert "<!-- zh -->" in template and "<!-- en -->" in template
    assert outline()["s2-v2"][0] == "2"
    monkeypatch.setenv("EDITOR", "true")  # closes without writing: nothing is added
    code, out = run_terms("clause", "add", "--after", "1", "--edit")
    assert code == 2 and "nothing was added" in out


def test_move_across_sections_keeps_the_id_and_renames_with_git(tos: GitRepo) -> None:
    code, out = run_terms("clause", "move", "2.2", "--under", "4")
    assert code == 0, out
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert "moved 2.2 → 4.1 s2-2" in lines
    assert outline()["s2-2"] == ("4.1", "04-misc/01-pay.md")
    text = (tos.root / DOC / "03-breach.md").read_text(encoding="utf-8")
    assert "违反第[4.1](#s2-2)条的" in text
    assert f"R  {DOC}/02-fees/02-pay.md -> {DOC}/04-misc/01-pay.md" in status(tos)
    assert f"R  {DOC}/04-misc.md -> {DOC}/04-misc/_index.md" in status(tos)
    check_is_clean()


def test_move_within_a_section_and_back(tos: GitRepo) -> None:
    code, out = run_terms("clause", "move", "s4", "--before", "1")
    assert code == 0, out
    assert [outline()[c][0] for c in ("s4", "s1", "s2", "s3")] == ["1", "2", "3", "4"]
    assert outline()["s4"][1] == "01-misc.md"
    code, out = run_terms("clause", "move", "1", "--after", "4")
    assert code == 0, out
    assert outline() == {"preamble": ("", "00-preamble.md"), "s1": ("1", "01-service.md"),
                         "s2": ("2", "02-fees/_index.md"), "s2-1": ("2.1", "02-fees/01-price.md"),
                         "s2-2": ("2.2", "02-fees/02-pay.md"), "s3": ("3", "03-breach.md"),
                         "s4": ("4", "04-misc.md")}
    assert status(tos) == []  # back where it was: git sees nothing
    code, out = run_terms("clause", "move", "1", "--before", "2")
    assert code == 0 and "nothing to do" in out


def test_move_refuses_what_cannot_be(tos: GitRepo) -> None:
    code, out = run_terms("clause", "move", "2", "--under", "2.1")
    assert code == 2 and "one of its own sub-clauses" in out
    code, out = run_terms("clause", "move", "2", "--after", "2")
    assert code == 2 and "itself" in out
    # 2 has a title only: without sub-clauses it would have no text
    run_terms("clause", "move", "2.1", "--under", "4")
    code, out = run_terms("clause", "move", "2.1", "--under", "4")
    assert code == 2 and "would have no sub-clauses left" in out


def test_remove_renumbers_and_refuses_while_referred_to(tos: GitRepo) -> None:
    code, out = run_terms("clause", "remove", "2.2")
    assert code == 2
    assert f"is referred to by 3 (s3, {DOC}/03-breach.md)" in out
    code, out = run_terms("clause", "remove", "2")
    assert code == 2 and "has sub-clauses (2.1, 2.2); pass --recursive" in out
    code, out = run_terms("clause", "remove", "1")
    assert code == 0, out
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert "removed 1 → — s1" in lines and "renumbered 2 → 1 s2 (and its 2 sub-clauses)" in lines
    assert "cross-references updated in: 2 (s3)" in out
    assert f"D  {DOC}/01-service.md" in status(tos)
    assert outline()["s3"] == ("2", "02-breach.md")
    check_is_clean()


def test_remove_with_force_turns_links_into_text(tos: GitRepo) -> None:
    code, out = run_terms("clause", "remove", "2", "--recursive", "--force")
    assert code == 0, out
    assert "links to the removed clause became plain text in 2 (s3)" in out
    text = (tos.root / DOC / "02-breach.md").read_text(encoding="utf-8")
    assert "违反第2.2条的" in text and "Section 2.2 and" in text
    assert not (tos.root / DOC / "02-fees").exists()
    check_is_clean()


def test_refuses_files_with_changes_git_does_not_hold(tos: GitRepo) -> None:
    pay = tos.root / DOC / "02-fees/02-pay.md"
    pay.write_text(clause("s2-2", "付款（已修改）。", "Payment (edited)."), encoding="utf-8")
    code, out = run_terms("clause", "add", "--after", "1", "--zh", "新。", "--en", "New.")
    assert code == 2 and "02-pay.md, which has changes git does not hold yet" in out
    assert status(tos) == [f" M {DOC}/02-fees/02-pay.md"]  # nothing was done
    tos.git("add", str(pay))  # staged: git holds it, so the change may go on
    code, out = run_terms("clause", "add", "--after", "1", "--zh", "新。", "--en", "New.")
    assert code == 0, out
    assert "付款（已修改）" in (tos.root / DOC / "03-fees/02-pay.md").read_text(encoding="utf-8")


def test_force_changes_files_with_unstaged_edits(tos: GitRepo) -> None:
    (tos.root / DOC / "04-misc.md").write_text(clause("s4", "其他（改）。", "Misc."),
                                               encoding="utf-8")
    code, out = run_terms("clause", "remove", "1", "--force")
    assert code == 0, out
    assert "其他（改）" in (tos.root / DOC / "03-misc.md").read_text(encoding="utf-8")


def test_a_failed_write_changes_nothing(tos: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.replace
    calls = {"n": 0}

    def failing(src: str | Path, dst: str | Path) -> None:
        calls["n"] += 1
        if calls["n"] == 8:  # somewhere in the middle of putting files in place
            raise OSError(28, "No space left on device")
        real(src, dst)

    before = {p: p.read_bytes() for p in (tos.root / DOC).rglob("*") if p.is_file()}
    monkeypatch.setattr(os, "replace", failing)
    code, out = run_terms("clause", "add", "--after", "1", "--zh", "新。", "--en", "New.")
    assert code == 2 and "No space left on device; nothing was changed" in out
    after = {p: p.read_bytes() for p in (tos.root / DOC).rglob("*") if p.is_file()}
    assert after == before and status(tos) == []


def test_a_failed_git_add_puts_the_files_back(tos: GitRepo,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from termstool.errors import GitError
    from termstool.storage.gitrepo import Repository

    def failing(self: Repository, paths: object) -> None:
        raise GitError("git add failed: index.lock exists")

    before = {p: p.read_bytes() for p in (tos.root / DOC).rglob("*") if p.is_file()}
    monkeypatch.setattr(Repository, "add", failing)
    code, out = run_terms("clause", "move", "1", "--after", "4")
    assert code == 2 and "the files were put back" in out
    after = {p: p.read_bytes() for p in (tos.root / DOC).rglob("*") if p.is_file()}
    assert after == before and status(tos) == []


def test_refuses_a_document_with_format_errors(tos: GitRepo) -> None:
    tos.commit({f"{DOC}/03-breach.md": clause("s3", BREACH_ZH.format("[9](#s2-2)"),
                                              BREACH_EN.format("[9](#s2-2)"))})
    code, out = run_terms("clause", "remove", "4")
    assert code == 2 and "tos has 2 format error(s); fix them first" in out
    assert "terms check --fix" in out


def test_show_prints_the_clause_its_link_and_last_change(tos: GitRepo) -> None:
    code, out = run_terms("clause", "show", "2.2")
    assert code == 0, out
    assert out.startswith("2.2  s2-2  (tos, working tree)\n")
    assert f"file:         {DOC}/02-fees/02-pay.md" in out
    assert "refer to it:  [2.2](#s2-2)" in out
    assert "last change:  added (substantive), commit" in out
    assert "release 20210701 (announced 2021-06-01, effective 2021-07-01)" in out
    assert "付款。" in out and "Payment." in out
    code, out = run_terms("clause", "show", "3")
    assert "违反第2.2条的" in out  # links shown as their number
    code, out = run_terms("clause", "show", "2", "--format", "json")
    data = json.loads(out)
    assert data["sub_clauses"] == ["2.1", "2.2"] and data["title"] == {"zh": "费用",
                                                                        "en": "Fees"}


def test_show_at_a_version_uses_that_version_s_numbers(tos: GitRepo) -> None:
    tos.commit({f"{DOC}/document.yaml": manifest(version="2", announced="2021-09-01",
                                                 effective="2021-10-01")},
               when="2021-09-01T10:00:00+08:00")
    run_terms("clause", "add", "--before", "1", "--zh", "新。", "--en", "New.")
    tos.git("commit", "-qm", "insert")
    code, out = run_terms("clause", "show", "1", "--at", "20210701", "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert data["id"] == "s1" and data["at"] == "20210701"
    assert data["last_change"]["version"] == "20210701"
    code, out = run_terms("clause", "show", "1", "--format", "json")
    assert json.loads(out)["id"] == "s1-v2"
    assert json.loads(out)["last_change"]["version"] == "2"


def test_every_operation_leaves_a_tree_the_loader_reads_the_same(tos: GitRepo) -> None:
    for args in (("add", "--after", "2.1", "--zh", "甲。", "--en", "A."),
                 ("move", "1", "--under", "2"),
                 ("remove", "s4"),
                 ("move", "s2-1", "--before", "preamble")):
        code, out = run_terms("clause", *args)
        assert code == 0, (args, out)
        check_is_clean()
    loaded = load_documents(working_tree(tos.root))
    [document] = loaded.documents
    names = [entry_name(c.file) for c in document.walk()]
    assert all(n.split("-")[0].isdigit() for n in names), names  # no 01a-, no gaps below
    assert outline()["preamble"] == ("", "02-preamble.md")  # 01 is the clause moved first


@pytest.mark.parametrize("command", [
    ("clause",), ("clause", "show"), ("clause", "add"), ("clause", "move"),
    ("clause", "remove"), ("new",), ("check",), ("log",), ("outline",), ("release",)])
def test_the_commands_of_this_workflow_have_help_with_an_example(command: tuple[str, ...]) -> None:
    code, out, _ = run_cli(*command, "--help")
    assert code == 0 and "Example" in out and f"terms {' '.join(command)}" in out


def test_outside_git_nothing_protects_the_files_so_force_is_needed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for rel, text in files().items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out = run_terms("clause", "remove", "4")
    assert code == 2 and "is not a git repository" in out and "--force" in out
    assert (tmp_path / DOC / "04-misc.md").exists()
    code, out = run_terms("clause", "remove", "4", "--force")
    assert code == 0, out
    assert "written: 1 deleted" in out and not (tmp_path / DOC / "04-misc.md").exists()
