"""`terms check --fix`: what has exactly one correct form is rewritten, and reported."""

from __future__ import annotations

import json

from conftest import GitRepo, clause, manifest, run_cli

DOC = "terms/tos"


def fees(n: int) -> str:
    return clause(f"s2-{n}", f"费用{n}。", f"Fee {n}.")


def test_fix_rewrites_stale_numbers_quotes_ids_and_orders_files(repo: GitRepo) -> None:
    repo.commit({
        f"{DOC}/document.yaml": manifest(),
        f"{DOC}/01-service.md": clause("s1", "服务。", "Services."),
        f"{DOC}/02-fees/_index.md": clause("s2", "费用。", "Fees."),
        **{f"{DOC}/02-fees/{n}-fee.md": fees(n) for n in range(1, 10)},
        f"{DOC}/02-fees/10-fee.md": fees(10),
        f"{DOC}/03-breach.md": clause("s3", "违反第[2.9](#s2-9)条的，终止服务。",
                                      "Breach of Section [2.9](#s2-9) ends the services."),
    })
    # 9-fee sorts after 10-fee, so clause s2-9 is numbered 2.10 and the link says 2.9;
    # an id written as a number is not read at all
    (repo.root / DOC / "01-service.md").write_text(clause("7", "服务。", "Services."),
                                                   encoding="utf-8")
    _code, out, _err = run_cli("check", "--format", "json")
    rules = sorted(p["rule"] for p in json.loads(out)["problems"])
    assert "id" in rules and "file-order" in rules and "reference-number" in rules
    _code, out, err = run_cli("check", "--fix", "--format", "json")
    assert f"fixed {DOC}/01-service.md: quoted the id, which YAML read as a number" in err
    assert f"fixed {DOC}/02-fees/09-fee.md: renamed from 9-fee.md" in err
    assert f"fixed {DOC}/02-fees/01-fee.md: renamed from 1-fee.md" in err
    assert "10-fee.md" not in err  # already in order and two digits wide: kept
    assert f"fixed {DOC}/03-breach.md: rewrote stale cross-reference numbers" not in err
    problems = json.loads(out)["problems"]
    assert [p["rule"] for p in problems if p["rule"] != "frozen-text"] == []
    assert "id: '7'" in (repo.root / DOC / "01-service.md").read_text(encoding="utf-8")
    assert "第[2.9](#s2-9)条" in (repo.root / DOC / "03-breach.md").read_text(encoding="utf-8")
    lines = [" ".join(line.split()) for line in err.splitlines()]
    assert "renumbered 2.10 → 2.9 s2-9" in lines
    status = repo.git("status", "--porcelain").splitlines()
    assert f"R  {DOC}/02-fees/9-fee.md -> {DOC}/02-fees/09-fee.md" in status
    _code, _out, err = run_cli("check", "--fix")
    assert "--fix: nothing to fix" in err


def test_fix_rewrites_a_stale_number_after_a_hand_made_insertion(repo: GitRepo) -> None:
    repo.commit({
        f"{DOC}/document.yaml": manifest(),
        f"{DOC}/01-service.md": clause("s1", "服务。", "Services."),
        f"{DOC}/02-fees.md": clause("s2", "费用。", "Fees."),
        f"{DOC}/03-breach.md": clause("s3", "违反第[2](#s2)条的，终止服务。",
                                      "Breach of Section [2](#s2) ends the services."),
    })
    repo.write({f"{DOC}/01a-new.md": clause("s1a", "新。", "New.")})
    code, _out, _err = run_cli("check")
    assert code == 1
    code, out, err = run_cli("check", "--fix")
    assert f"fixed {DOC}/03-breach.md: rewrote stale cross-reference numbers" in err
    assert "第[3](#s2)条" in (repo.root / DOC / "03-breach.md").read_text(encoding="utf-8")
    assert "reference-number" not in out


def test_fix_leaves_what_has_no_single_answer(repo: GitRepo) -> None:
    repo.commit({f"{DOC}/document.yaml": manifest(),
                 f"{DOC}/01-service.md": clause("s1", "服务。", "Services."),
                 f"{DOC}/02-fees.md": clause("s1", "费用。", "Fees.")})
    code, out, err = run_cli("check", "--fix")
    assert code == 1 and "--fix: nothing to fix" in err
    assert "duplicate-id" in out
