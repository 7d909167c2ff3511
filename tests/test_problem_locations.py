"""Problems point at the file to change: the new clause of a duplicate id, and files
that exist (a deleted file is named as deleted)."""

from __future__ import annotations

import json

from conftest import GitRepo, clause, manifest, run_cli

DOC = "terms/tos"


def problems(*args: str) -> list[dict[str, object]]:
    _code, out, _ = run_cli("check", "--format", "json", *args)
    found = json.loads(out)["problems"]
    assert isinstance(found, list)
    return found


def base(repo: GitRepo) -> None:
    repo.commit({f"{DOC}/document.yaml": manifest(),
                 f"{DOC}/01-service.md": clause("s1", "服务。", "Services."),
                 f"{DOC}/02-fees.md": clause("s2", "费用。", "Fees.")},
                when="2021-05-20T10:00:00+08:00")


def test_a_duplicate_id_blames_the_new_clause_even_when_it_sorts_first(repo: GitRepo) -> None:
    base(repo)
    repo.write({f"{DOC}/00-copy.md": clause("s2", "费用副本。", "A copy of fees.")})
    [duplicate] = [p for p in problems() if p["rule"] == "duplicate-id"]
    assert duplicate["file"] == f"{DOC}/00-copy.md" and duplicate["line"] == 2
    assert f"already used by {DOC}/02-fees.md, which had it in the last commit" \
        in str(duplicate["message"])
    assert "give this new clause a new id" in str(duplicate["message"])


def test_a_duplicate_id_in_pull_request_mode_blames_what_the_base_lacks(repo: GitRepo) -> None:
    base(repo)
    repo.git("branch", "base")
    repo.commit({f"{DOC}/00-copy.md": clause("s2", "费用副本。", "A copy of fees.")},
                when="2021-05-21T10:00:00+08:00")
    [duplicate] = [p for p in problems("--base", "base") if p["rule"] == "duplicate-id"]
    assert duplicate["file"] == f"{DOC}/00-copy.md"
    assert "which had it in the base of the pull request" in str(duplicate["message"])


def test_two_new_clauses_with_one_id_keep_the_loader_s_order(repo: GitRepo) -> None:
    base(repo)
    repo.write({f"{DOC}/03-a.md": clause("s9", "甲。", "A."),
                f"{DOC}/04-b.md": clause("s9", "乙。", "B.")})
    [duplicate] = [p for p in problems() if p["rule"] == "duplicate-id"]
    assert duplicate["file"] == f"{DOC}/04-b.md"


def test_a_problem_about_a_deleted_file_names_it_as_deleted(repo: GitRepo) -> None:
    base(repo)
    repo.write({f"{DOC}/02-fees.md": None})  # removed after the announcement: frozen-text
    [frozen] = [p for p in problems() if p["rule"] == "frozen-text"]
    assert frozen["file"] is None and frozen["line"] is None
    assert f"(clause s2 was in {DOC}/02-fees.md, which is deleted)" in str(frozen["message"])
    code, out, _ = run_cli("check")
    assert code == 1 and "tos: error [frozen-text]" in out


def test_a_problem_about_a_moved_clause_names_its_file_now(repo: GitRepo) -> None:
    base(repo)
    repo.commit({f"{DOC}/02-fees.md": clause("s2", "全部费用。", "All fees.")},
                when="2021-06-10T10:00:00+08:00")  # after the announcement
    text = (repo.root / DOC / "02-fees.md").read_text(encoding="utf-8")
    repo.commit({f"{DOC}/02-fees.md": None, f"{DOC}/02-charges.md": text},
                when="2021-06-11T10:00:00+08:00")
    [frozen] = [p for p in problems() if p["rule"] == "frozen-text"]
    assert frozen["file"] == f"{DOC}/02-charges.md" and frozen["line"] == 5
    assert f"(the clause was then in {DOC}/02-fees.md)" in str(frozen["message"])
