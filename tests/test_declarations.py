"""Declared corrections and checked translations, through the CLI on real git: a commit
trailer accepts exactly the change its own commit makes, never more, and review shows it."""

from __future__ import annotations

import json

from conftest import GitRepo, clause, manifest, run_terms

DOC = "terms/tos"
YAML = f"{DOC}/document.yaml"
C1 = f"{DOC}/01-agreement.md"
C2 = f"{DOC}/02-fees.md"
TODAY = "2021-08-01"
PR_DAY = "2021-08-01T10:00:00+08:00"
AGREED = clause("s1", "双方经协商达成合议。", "The parties reached agreement.")
FIXED = clause("s1", "双方经协商达成合意。", "The parties reached agreement.")
FEES = clause("s2", "您应支付费用。", "You shall pay the fees.")
TYPO = "Fix a typo\n\nCorrection: s1 — 合议 → 合意, typo in the released text"


def released(repo: GitRepo) -> None:
    """Main: release 20210701, announced 1 June; then a branch for the pull request."""
    repo.commit({YAML: manifest(), C1: AGREED, C2: FEES}, when="2021-06-01T10:00:00+08:00")
    repo.git("checkout", "-q", "-b", "fix")


def check(*args: str) -> tuple[int, list[tuple[str, str, str]]]:
    """`terms check --base main` as JSON: (rule, severity, message) of each problem."""
    code, out = run_terms("check", "--format", "json", "--today", TODAY, "--base", "main",
                          *args)
    found = json.loads(out[out.index("{"):])["problems"]
    return code, [(str(p["rule"]), str(p["severity"]), str(p["message"])) for p in found]


def test_a_declared_correction_passes_and_is_shown_in_review(repo: GitRepo) -> None:
    released(repo)
    repo.commit({C1: FIXED}, when=PR_DAY, message=TYPO)
    code, found = check()
    assert code == 0, found
    assert [(r, s) for r, s, _ in found] == [("correction", "warning")]
    assert "“合议” → “合意” (typo in the released text)" in found[0][2]
    code, out = run_terms("review", "--base", "main", "--today", TODAY, "-f", "markdown")
    assert code == 0 and "correction" in out and "合议" in out and "合意" in out, out


def test_without_the_trailer_the_frozen_text_rule_stands(repo: GitRepo) -> None:
    released(repo)
    repo.commit({C1: FIXED}, when=PR_DAY, message="Fix a typo")
    code, found = check()
    assert code == 1 and "frozen-text" in [r for r, _, _ in found]


def test_a_correction_must_be_the_whole_change_of_its_own_commit(repo: GitRepo) -> None:
    released(repo)
    # more than the declared characters change
    repo.commit({C1: clause("s1", "双方经协商达成合意，但可随时撤销。", "The parties reached agreement.")},
                when=PR_DAY, message=TYPO)
    code, found = check()
    assert code == 1 and any(r == "frozen-text" and "does not apply" in m
                             for r, _, m in found), found


def test_a_correction_names_the_characters_it_changes(repo: GitRepo) -> None:
    released(repo)
    message = "Fix\n\nCorrection: s1 — 协商 → 磋商, typo"  # not what the commit changes
    repo.commit({C1: FIXED}, when=PR_DAY, message=message)
    code, found = check()
    assert code == 1 and "frozen-text" in [r for r, _, _ in found]


def test_a_correction_in_another_commit_does_not_count(repo: GitRepo) -> None:
    released(repo)
    repo.commit({C1: FIXED}, when=PR_DAY, message="Fix a typo")
    repo.commit(when=PR_DAY, message=TYPO)  # an empty commit carrying the trailer
    code, found = check()
    assert code == 1 and "frozen-text" in [r for r, _, _ in found]
    # nor does a correction of another clause
    repo.git("reset", "-q", "--hard", "main")
    repo.commit({C1: FIXED}, when=PR_DAY, message="Fix\n\nCorrection: s2 — 合议 → 合意, typo")
    code, found = check()
    assert code == 1 and "frozen-text" in [r for r, _, _ in found]


NEW_FEES = clause("s2", "您应按月支付费用。", "You shall pay the fees.")  # Chinese only
CHECKED = "Monthly fees\n\nTranslation-checked: s2"


def _release_with_chinese_change(repo: GitRepo, message: str) -> None:
    released(repo)
    repo.commit({YAML: manifest(version="20210901", announced=TODAY, effective="2021-09-01"),
                 C2: NEW_FEES}, when=PR_DAY, message=message)


def test_translation_checked_satisfies_translation_stale_for_that_change(
        repo: GitRepo) -> None:
    _release_with_chinese_change(repo, CHECKED)
    code, found = check()
    assert code == 0, found
    assert [(r, s) for r, s, _ in found] == [("translation-checked", "warning")]
    code, out = run_terms("review", "--base", "main", "--today", TODAY, "-f", "markdown")
    assert code == 0 and "translation of clause s2 was checked" in out, out


def test_without_translation_checked_the_rule_stands(repo: GitRepo) -> None:
    _release_with_chinese_change(repo, "Monthly fees\n\nTranslation-checked: s1")
    code, found = check()
    assert code == 1 and ("translation-stale", "error") in [(r, s) for r, s, _ in found]


def test_a_declared_reason_is_escaped_in_review(repo: GitRepo) -> None:
    released(repo)
    repo.commit({C1: FIXED}, when=PR_DAY,
                message="Fix\n\nCorrection: s1 — 合议 → 合意, typo <b>*x*</b> [y](http://e)")
    code, out = run_terms("review", "--base", "main", "--today", TODAY, "-f", "markdown")
    assert code == 0 and "合意" in out
    assert "typo <b>" not in out and "[y](http://e)" not in out, out
    assert r"typo \<b\>\*x\*" in out
