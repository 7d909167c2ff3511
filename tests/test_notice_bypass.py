"""Attempts to get a substantive change past `terms check --base` and `terms review`.

Each test is written as an attacker would: a released document on main, a pull request
that tries to change the authoritative text without the notice period, and the tool must
refuse. Real git repositories throughout; every command runs through the CLI. The four
classes (issue 9): the document disappears for a while, the rules change together with
the text (and waivers), the document is renamed, a clause id is reused.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

from conftest import GitRepo, clause, manifest, run_terms
from test_render import parse_html

DOC = "terms/tos"
YAML = f"{DOC}/document.yaml"
C1 = f"{DOC}/01-service.md"
C2 = f"{DOC}/02-fees.md"
BASE_DAY = "2021-05-20T10:00:00+08:00"
PR_DAY = "2021-08-01T10:00:00+08:00"
TODAY = "2021-08-01"
LATER = "2021-08-31"  # TODAY + 30 days: a lawful effective date for a release made today

S1 = clause("s1", "阿里云向您提供服务。", "Alibaba Cloud provides the services.")
S2 = clause("s2", "您应支付费用。", "You shall pay the fees.")
# A substantive change in both languages, so that only the notice rule can catch it.
S2_WORSE = clause("s2", "您应支付双倍费用，且不予退款。", "You shall pay double fees, never refunded.")
# A substantive change to the Chinese only: "only a translation" when English binds.
S2_ZH_ONLY = clause("s2", "您应支付双倍费用，且不予退款。", "You shall pay the fees.")

run = run_terms


def released(repo: GitRepo) -> str:
    """main: release 20210701 (announced 2021-06-01); then a feature branch."""
    sha = repo.commit({YAML: manifest(), C1: S1, C2: S2}, when=BASE_DAY,
                      message="Terms of Service 20210701")
    repo.git("checkout", "-q", "-b", "feature")
    return sha


def check_json(*args: str) -> tuple[int, list[dict[str, object]]]:
    code, out = run("check", "--format", "json", "--today", TODAY, *args)
    assert code in (0, 1), out
    return code, json.loads(out)["problems"]


def errors(found: list[dict[str, object]]) -> list[tuple[object, object]]:
    return [(p["rule"], p["clause"]) for p in found
            if p["severity"] == "error" and "waived" not in p]


def assert_refused(rule: str = "frozen-text", clause_id: str | None = "s2") -> list[
        dict[str, object]]:
    """`check --base main` and `review --base main` both refuse the pull request."""
    code, found = check_json("--base", "main")
    assert code == 1, found
    assert (rule, clause_id) in errors(found), found
    code, out = run("review", "--base", "main", "--today", TODAY, "--format", "terminal")
    assert code == 1 and "must not merge" in out, out
    return found


def diff_kinds(*args: str) -> list[tuple[object, object]]:
    code, out = run("diff", *args, "--format", "json")
    assert code in (0, 1), out
    return [(c["kind"], c["id"]) for d in json.loads(out)["documents"] for c in d["changes"]]


# ------------------------------------------------------- 1. the document disappears


def test_deleted_document_yaml_does_not_hide_a_change(repo: GitRepo) -> None:
    released(repo)
    repo.commit({YAML: None}, when=PR_DAY)
    repo.commit({C2: S2_WORSE}, when=PR_DAY)
    repo.commit({YAML: manifest()}, when=PR_DAY)
    assert_refused()


def test_document_yaml_renamed_to_yml_does_not_hide_a_change(repo: GitRepo) -> None:
    released(repo)
    repo.commit({YAML: None, f"{DOC}/document.yml": manifest()}, when=PR_DAY)
    repo.commit({C2: S2_WORSE}, when=PR_DAY)
    repo.commit({f"{DOC}/document.yml": None, YAML: manifest()}, when=PR_DAY)
    assert_refused()


def test_document_yaml_renamed_to_another_case_does_not_hide_a_change(repo: GitRepo) -> None:
    released(repo)
    repo.commit({YAML: None, f"{DOC}/Document.yaml": manifest()}, when=PR_DAY)
    repo.commit({C2: S2_WORSE}, when=PR_DAY)
    repo.commit({f"{DOC}/Document.yaml": None, YAML: manifest()}, when=PR_DAY)
    assert_refused()


def test_unreadable_document_yaml_does_not_hide_a_change(repo: GitRepo) -> None:
    released(repo)
    repo.commit({YAML: "id: [tos\n"}, when=PR_DAY)
    repo.commit({C2: S2_WORSE}, when=PR_DAY)
    repo.commit({YAML: manifest()}, when=PR_DAY)
    assert_refused()


def test_whole_document_deleted_and_recreated_is_compared_with_its_last_state(
        repo: GitRepo) -> None:
    released(repo)
    repo.commit({DOC: None}, when=PR_DAY)
    repo.commit({C1: S1, C2: S2_WORSE}, when=PR_DAY)
    repo.commit({YAML: manifest()}, when=PR_DAY)
    assert_refused()


def test_document_moved_under_another_parent_while_missing(repo: GitRepo) -> None:
    released(repo)
    moved = "terms/legal/tos"
    repo.commit({YAML: None}, when=PR_DAY)
    repo.commit({C1: None, C2: None, f"{moved}/01-service.md": S1,
                 f"{moved}/02-fees.md": S2_WORSE}, when=PR_DAY)
    repo.commit({f"{moved}/document.yaml": manifest()}, when=PR_DAY)
    found = assert_refused()
    assert any(p["file"] == f"{moved}/02-fees.md" for p in found if p["rule"] == "frozen-text")


def test_document_moved_and_unreadable_until_after_the_change(repo: GitRepo) -> None:
    released(repo)
    moved = "terms/tos-v2"
    repo.commit({DOC: None, f"{moved}/document.yaml": "id: [tos\n",
                 f"{moved}/01-service.md": S1, f"{moved}/02-fees.md": S2}, when=PR_DAY)
    repo.commit({f"{moved}/02-fees.md": S2_WORSE}, when=PR_DAY)
    repo.commit({f"{moved}/document.yaml": manifest()}, when=PR_DAY)
    assert_refused()


def test_change_split_across_many_commits_during_the_gap(repo: GitRepo) -> None:
    released(repo)
    repo.commit({YAML: None, f"{DOC}/document.yml": manifest()}, when=PR_DAY)
    for zh in ("您应支付费用，", "您应支付双倍费用，", "您应支付双倍费用，且不予退款。"):
        repo.commit({C2: clause("s2", zh, "You shall pay the fees.")}, when=PR_DAY)
    repo.commit({C2: S2_WORSE}, when=PR_DAY)
    repo.commit({f"{DOC}/document.yml": None, YAML: manifest()}, when=PR_DAY)
    assert_refused()


def test_revert_then_reapply_during_the_gap(repo: GitRepo) -> None:
    released(repo)
    repo.commit({YAML: None}, when=PR_DAY)
    repo.commit({C2: S2_WORSE}, when=PR_DAY)
    repo.commit({C2: S2}, when=PR_DAY, message="Revert")
    repo.commit({C2: S2_WORSE}, when=PR_DAY, message="Reapply")
    repo.commit({YAML: manifest()}, when=PR_DAY)
    assert_refused()


def test_gap_on_main_is_judged_over_the_whole_history(repo: GitRepo) -> None:
    repo.commit({YAML: manifest(), C1: S1, C2: S2}, when=BASE_DAY)
    repo.commit({YAML: None}, when=PR_DAY)
    repo.commit({C2: S2_WORSE}, when=PR_DAY)
    sha = repo.commit({YAML: manifest()}, when=PR_DAY)
    assert sha
    code, found = check_json()
    assert code == 1 and ("frozen-text", "s2") in errors(found), found


def test_pull_request_that_leaves_the_document_without_document_yaml(repo: GitRepo) -> None:
    repo.commit({YAML: manifest(), C1: S1, C2: S2,
                 "terms/sla/document.yaml": manifest(doc_id="sla"),
                 "terms/sla/01-scope.md": clause("scope", "范围。", "Scope.")}, when=BASE_DAY)
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({YAML: None, f"{DOC}/Document.yaml": manifest(), C2: S2_WORSE}, when=PR_DAY)
    found = assert_refused()
    assert ("document-removed", None) in errors(found), found


# ---------------------------------------------- 2. the rules change together with the text


def test_authoritative_flipped_with_the_change_and_back(repo: GitRepo) -> None:
    released(repo)
    repo.commit({YAML: manifest(authoritative="en"), C2: S2_ZH_ONLY}, when=PR_DAY)
    repo.commit({YAML: manifest()}, when=PR_DAY)
    found = assert_refused()
    assert any(p["rule"] == "rule-change" and "authoritative" in str(p["message"])
               for p in found), found


def test_authoritative_flipped_one_commit_before_the_change(repo: GitRepo) -> None:
    released(repo)
    repo.commit({YAML: manifest(authoritative="en")}, when=PR_DAY)
    repo.commit({C2: S2_ZH_ONLY}, when=PR_DAY)
    repo.commit({YAML: manifest()}, when=PR_DAY)
    assert_refused()


def test_authoritative_set_to_a_language_not_present(repo: GitRepo) -> None:
    # 'fr' is not a language of the document: a reader falling back to the first
    # language would now take English as binding.
    released(repo)
    repo.commit({YAML: manifest(languages="[en, zh]", authoritative="fr"), C2: S2_ZH_ONLY},
                when=PR_DAY)
    repo.commit({YAML: manifest()}, when=PR_DAY)
    assert_refused()


def test_language_removed_and_added_again(repo: GitRepo) -> None:
    released(repo)
    repo.commit({YAML: manifest(languages="[en]", authoritative="en")}, when=PR_DAY)
    repo.commit({C2: S2_ZH_ONLY}, when=PR_DAY)
    repo.commit({YAML: manifest()}, when=PR_DAY)
    assert_refused()


def test_notice_days_lowered_with_a_same_day_release(repo: GitRepo) -> None:
    released(repo)
    repo.commit({YAML: manifest(version="20210801", announced=TODAY, effective=TODAY,
                                notice_days=0), C2: S2_WORSE}, when=PR_DAY)
    found = assert_refused("notice-period", None)
    assert ("rule-change", None) in errors(found), found
    assert any("30 are required" in str(p["message"]) for p in found), found


def test_same_day_release_hidden_behind_a_later_lawful_one(repo: GitRepo) -> None:
    released(repo)
    repo.commit({YAML: manifest(version="20210801", announced=TODAY, effective=TODAY,
                                notice_days=0), C2: S2_WORSE}, when=PR_DAY)
    repo.commit({YAML: manifest(version="20210901", announced=TODAY, effective="2021-09-01")},
                when=PR_DAY)
    found = assert_refused("notice-period", None)
    assert any("20210801" in str(p["message"]) for p in found if p["rule"] == "notice-period")


def test_notice_days_lowered_on_main_binds_only_once_its_release_is_in_force(
        repo: GitRepo) -> None:
    # Whole history: 0 days recorded with a release announced on the same day cannot
    # excuse that same release, which is judged by the 30 days in force when announced.
    repo.commit({YAML: manifest(), C1: S1, C2: S2}, when=BASE_DAY)
    repo.commit({YAML: manifest(version="20210801", announced=TODAY, effective=TODAY,
                                notice_days=0), C2: S2_WORSE}, when=PR_DAY)
    code, found = check_json()
    assert code == 1 and ("notice-period", None) in errors(found), found


def test_timezone_changed_to_move_today_back(repo: GitRepo) -> None:
    # Base: Kiritimati (UTC+14); the pull request moves to UTC-12, where it is a day or two
    # earlier, so that a release announced "today" there is backdated for the base.
    repo.commit({YAML: manifest(timezone="Pacific/Kiritimati"), C1: S1, C2: S2},
                when=BASE_DAY)
    repo.git("checkout", "-q", "-b", "feature")
    day = dt.datetime.now(ZoneInfo("Etc/GMT+12")).date()
    repo.commit({YAML: manifest(version="2", announced=day.isoformat(),
                                effective=(day + dt.timedelta(days=30)).isoformat(),
                                timezone="Etc/GMT+12"), C2: S2_WORSE}, when=PR_DAY)
    code, out = run("check", "--base", "main", "--format", "json")
    found = json.loads(out)["problems"]
    assert code == 1 and ("backdated", None) in errors(found), found
    assert any(p["rule"] == "rule-change" and "timezone" in str(p["message"])
               and p["severity"] == "warning" for p in found), found


def test_timezone_changed_with_the_change_on_main(repo: GitRepo) -> None:
    # 01:00 on 2 June in Shanghai is still 1 June (the announcement day) in UTC.
    repo.commit({YAML: manifest(), C1: S1, C2: S2}, when=BASE_DAY)
    repo.commit({YAML: manifest(timezone="UTC"), C2: S2_WORSE},
                when="2021-06-02T01:00:00+08:00")
    code, found = check_json()
    assert code == 1 and ("frozen-text", "s2") in errors(found), found


def test_waiver_naming_a_commit_of_the_pull_request(repo: GitRepo) -> None:
    released(repo)
    sha = repo.commit({C2: S2_WORSE}, when=PR_DAY)
    waiver = f"waivers:\n  - commit: {sha}\n    rule: frozen-text\n    reason: approved\n"
    repo.commit({YAML: manifest(extra=waiver)}, when=PR_DAY)
    found = assert_refused()
    assert ("waiver", None) in errors(found), found


def test_waiver_by_short_prefix_in_the_working_tree(repo: GitRepo) -> None:
    released(repo)
    sha = repo.commit({C2: S2_WORSE}, when=PR_DAY)
    waiver = f"waivers:\n  - commit: {sha[:7]}\n    rule: frozen-text\n    reason: approved\n"
    repo.write({YAML: manifest(extra=waiver)})
    found = assert_refused()
    assert ("waiver", None) in errors(found), found


def test_waiver_for_a_violation_already_on_main_may_merge_and_is_reported(
        repo: GitRepo) -> None:
    repo.commit({YAML: manifest(), C1: S1, C2: S2}, when=BASE_DAY)
    old = repo.commit({C2: S2_WORSE}, when="2021-06-05T10:00:00+08:00")
    repo.git("checkout", "-q", "-b", "feature")
    waiver = f"waivers:\n  - commit: {old[:10]}\n    rule: frozen-text\n    reason: ticket 42\n"
    repo.commit({YAML: manifest(extra=waiver)}, when=PR_DAY)
    code, found = check_json("--base", "main")
    assert code == 0, found
    assert any(p["rule"] == "frozen-text" and p.get("waived") for p in found)
    assert any(p["rule"] == "waiver" and p["severity"] == "warning" for p in found), found


def test_thirty_to_forty_five_days(repo: GitRepo) -> None:
    """The change clause goes from 30 to 45 days: the amending release is judged by 30,
    the next by 45, and the first release stays valid."""
    repo.commit({YAML: manifest(), C1: S1, C2: S2}, when=BASE_DAY)
    repo.git("checkout", "-q", "-b", "amend")
    repo.commit({YAML: manifest(version="20211101", announced="2021-10-01",
                                effective="2021-10-31", notice_days=45),
                 C1: clause("s1", "阿里云应提前45天公告变更。", "Changes are announced 45 days ahead.")},
                when="2021-10-01T10:00:00+08:00")
    code, out = run("check", "--base", "main", "--today", "2021-10-01", "--format", "json")
    found = json.loads(out)["problems"]
    assert code == 0, found  # 30 days: the notice in force when it is announced
    assert any(p["rule"] == "rule-change" and p["severity"] == "warning"
               and "45" in str(p["message"]) for p in found), found
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "amend")
    repo.commit({YAML: manifest(version="20220101", announced="2021-12-01",
                                effective="2021-12-31", notice_days=45),
                 C2: S2_WORSE}, when="2021-12-01T10:00:00+08:00")
    code, found = check_json()
    assert code == 1
    notice = [p for p in found if p["rule"] == "notice-period"]
    assert len(notice) == 1 and "20220101" in str(notice[0]["message"])
    assert "45 are required" in str(notice[0]["message"])
    code, out = run("log", "--format", "json", "--today", "2022-02-01")
    releases = json.loads(out)["documents"][0]["releases"]
    assert [(r["version"], r["required_notice_days"]) for r in releases] == [
        ("20210701", 30), ("20211101", 30), ("20220101", 45)]


def test_release_command_follows_the_period_in_force(repo: GitRepo) -> None:
    repo.commit({YAML: manifest(), C1: S1, C2: S2}, when=BASE_DAY)
    repo.commit({YAML: manifest(notice_days=45),
                 C1: clause("s1", "阿里云应提前45天公告变更。", "Changes are announced 45 days ahead.")},
                when="2021-09-30T10:00:00+08:00")
    code, out = run("release", "20211101", "--announced", "2021-10-01", "--today", "2021-10-01", "--effective",
                    "2021-10-31", DOC)
    assert code == 0, out  # 30 days: the period of release 20210701, in force on 1 October
    repo.commit(when="2021-10-01T10:00:00+08:00")
    code, out = run("release", "20220101", "--announced", "2021-12-01", "--today", "2021-12-01", "--effective",
                    "2021-12-31", DOC)
    assert code != 0 and "less than the 45" in out, out


def test_change_clause_must_state_the_notice_days(repo: GitRepo) -> None:
    days30 = clause("s1", "变更应提前30天公告。", "Changes are announced 30 days ahead.")
    repo.commit({YAML: manifest(extra="change_clause: s1\n", notice_days=45,
                                announced="2021-05-17"), C1: days30,
                 C2: S2}, when=BASE_DAY)
    code, found = check_json()
    assert code == 0 and [(p["rule"], p["severity"], p["clause"]) for p in found] == [
        ("notice-clause", "warning", "s1")]
    assert "45" in str(found[0]["message"])
    repo.write({C1: clause("s1", "变更应提前四十五天公告。", "Changes are announced 45 days ahead.")})
    code, found = check_json()
    assert [p["rule"] for p in found if p["rule"] == "notice-clause"] == []


# ------------------------------------------------------------ 3. the document is renamed


def violation_on_main(repo: GitRepo) -> str:
    repo.commit({YAML: manifest(), C1: S1, C2: S2}, when=BASE_DAY)
    return repo.commit({C2: S2_WORSE}, when="2021-06-05T10:00:00+08:00")


def test_past_violation_survives_a_rename(repo: GitRepo) -> None:
    sha = violation_on_main(repo)
    repo.git("mv", DOC, "terms/tos-v2")
    repo.commit(when="2021-07-05T10:00:00+08:00")
    code, found = check_json()
    assert code == 1 and [(p["rule"], p["commit"]) for p in found
                          if p["severity"] == "error"] == [("frozen-text", sha)]
    code, out = run("check", "terms/tos-v2", "--today", TODAY)
    assert code == 1 and "frozen-text" in out


def test_past_violation_survives_a_rename_that_changes_the_document_id(repo: GitRepo) -> None:
    violation_on_main(repo)
    repo.commit({DOC: None, "terms/tos2/document.yaml": manifest(doc_id="tos2"),
                 "terms/tos2/01-service.md": S1, "terms/tos2/02-fees.md": S2_WORSE},
                when="2021-07-05T10:00:00+08:00")
    code, found = check_json()
    assert code == 1 and ("frozen-text", "s2") in errors(found), found


def test_clause_log_after_a_rename_shows_no_additions(repo: GitRepo) -> None:
    violation_on_main(repo)
    repo.git("mv", DOC, "terms/tos-v2")
    repo.commit(when="2021-07-05T10:00:00+08:00")
    code, out = run("log", "--clause", "s1", "--format", "json")
    assert code == 0, out
    [document] = json.loads(out)["documents"]
    assert [(c["date"], c["kind"]) for c in document["changes"]] == [("2021-05-20", "added")]
    code, out = run("log", "--format", "json", "--today", TODAY)
    releases = json.loads(out)["documents"][0]["releases"]
    assert [r["version"] for r in releases] == ["20210701"]


def test_pull_request_that_only_renames_may_merge(repo: GitRepo) -> None:
    released(repo)
    repo.git("mv", DOC, "terms/tos-v2")
    repo.commit(when=PR_DAY)
    code, found = check_json("--base", "main")
    assert code == 0 and errors(found) == [], found
    code, out = run("review", "--base", "main", "--today", TODAY, "--format", "terminal")
    assert code == 0 and "may merge" in out, out
    assert diff_kinds("main", "HEAD") == []


def test_pull_request_that_moves_the_document_under_another_parent_may_merge(
        repo: GitRepo) -> None:
    released(repo)
    repo.git("mv", "terms", "legal")
    repo.commit(when=PR_DAY)
    code, out = run("check", ".", "--base", "main", "--today", TODAY)
    assert code == 0, out
    code, out = run("review", ".", "--base", "main", "--today", TODAY, "--format", "terminal")
    assert code == 0 and "may merge" in out, out


def test_rename_does_not_hide_a_change_made_with_it(repo: GitRepo) -> None:
    released(repo)
    repo.git("mv", DOC, "terms/tos-v2")
    repo.commit({"terms/tos-v2/02-fees.md": S2_WORSE}, when=PR_DAY)
    assert_refused()


def test_pull_request_that_renames_and_changes_the_document_id(repo: GitRepo) -> None:
    released(repo)
    repo.commit({DOC: None, "terms/tos2/document.yaml": manifest(doc_id="tos2"),
                 "terms/tos2/01-service.md": S1, "terms/tos2/02-fees.md": S2}, when=PR_DAY)
    code, found = check_json("--base", "main")
    assert code == 0 and errors(found) == [], found  # not a backdated new document
    assert [p["rule"] for p in found] == ["rule-change"]
    assert "tos2" in str(found[0]["message"])


def test_versions_resolve_after_a_rename(repo: GitRepo) -> None:
    repo.commit({YAML: manifest(), C1: S1, C2: S2}, when=BASE_DAY)
    repo.commit({YAML: manifest(version="20211101", announced="2021-10-01",
                                effective="2021-11-01"), C2: S2_WORSE},
                when="2021-10-01T10:00:00+08:00")
    repo.git("mv", DOC, "terms/tos-v2")
    repo.commit(when="2021-10-05T10:00:00+08:00")
    assert diff_kinds("20210701", "20211101") == [("modified", "s2")]
    code, out = run("notice", "20211101", "--change-clause", "s1", "--format", "text")
    assert code == 0 and "双倍" in out, out


def test_pull_request_that_moves_the_document_into_a_group_may_merge(repo: GitRepo) -> None:
    released(repo)
    (repo.root / "terms/legal").mkdir()
    repo.git("mv", DOC, "terms/legal/tos")
    repo.commit(when=PR_DAY)
    code, found = check_json("--base", "main")
    assert code == 0 and errors(found) == [], found


def test_renamed_document_named_by_its_new_path(repo: GitRepo) -> None:
    released(repo)
    repo.git("mv", DOC, "terms/tos-v2")
    repo.commit(when=PR_DAY)
    code, out = run("review", "terms/tos-v2", "--base", "main", "--today", TODAY,
                    "--format", "terminal")
    assert code == 0 and "No document text changes" in out, out
    assert diff_kinds("main", "HEAD", "terms/tos-v2") == []


def test_a_document_inside_another_keeps_its_own_history(repo: GitRepo) -> None:
    annex = f"{DOC}/annex"
    repo.commit({YAML: manifest(), C1: S1, C2: S2,
                 f"{annex}/document.yaml": manifest(doc_id="annex"),
                 f"{annex}/01-x.md": clause("x1", "附件。", "Annex.")}, when=BASE_DAY)
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({f"{annex}/01-x.md": clause("x1", "附件另行约定。", "Annex agreed separately.")},
                when=PR_DAY)
    code, found = check_json("--base", "main")
    assert code == 1 and [(p["document"], p["clause"]) for p in found] == [("annex", "x1")]


# --------------------------------------------------------------- 4. an id is reused


UNRELATED = clause("s2", "阿里云有权随时终止本协议而无需通知。",
                   "Alibaba Cloud may terminate this agreement at any time without notice.")
NEW_RELEASE = manifest(version="20210831", announced=TODAY, effective=LATER)


def test_removed_id_given_to_an_unrelated_clause(repo: GitRepo) -> None:
    released(repo)
    removal = repo.commit({YAML: NEW_RELEASE, C2: None}, when=PR_DAY)
    repo.commit({f"{DOC}/03-termination.md": UNRELATED}, when=PR_DAY)
    found = assert_refused("id-reused", "s2")
    [reused] = [p for p in found if p["rule"] == "id-reused"]
    assert removal[:12] in str(reused["message"])
    assert sorted(diff_kinds("main", "HEAD")) == [("added", "s2"), ("removed", "s2")]


def test_id_reused_in_one_commit_is_removed_and_added_in_the_redline(repo: GitRepo) -> None:
    released(repo)
    repo.commit({YAML: NEW_RELEASE, C2: None, f"{DOC}/03-termination.md": UNRELATED},
                when=PR_DAY)
    assert sorted(diff_kinds("main", "HEAD")) == [("added", "s2"), ("removed", "s2")]
    code, out = run("review", "--base", "main", "--today", TODAY, "--format", "terminal")
    assert code == 0  # released with notice: lawful, but the removal is on the redline
    assert re.search(r"s2 +removed", out) and re.search(r"s2 +added", out), out
    code, page = run("diff", "main", "HEAD", "--format", "html")
    parsed = parse_html(page)
    anchors = [attrs["id"] for _tag, attrs in parsed.tags if attrs.get("id")]
    assert not parsed.errors and len(anchors) == len(set(anchors))
    assert "tos--s2--removed" in anchors and "tos--s2" in anchors
    assert re.search(r"s2 +removed", out) and re.search(r"s2 +added", out), out


def test_id_reused_across_releases_on_main(repo: GitRepo) -> None:
    repo.commit({YAML: manifest(), C1: S1, C2: S2}, when=BASE_DAY)
    removal = repo.commit({YAML: manifest(version="2", announced="2021-07-01",
                                          effective="2021-08-01"), C2: None},
                          when="2021-07-01T10:00:00+08:00")
    repo.commit({YAML: manifest(version="3", announced="2021-09-01", effective="2021-10-01"),
                 f"{DOC}/05-other.md": UNRELATED}, when="2021-09-01T10:00:00+08:00")
    code, found = check_json()
    assert code == 1 and ("id-reused", "s2") in errors(found), found
    assert any(removal[:12] in str(p["message"]) for p in found if p["rule"] == "id-reused")


def test_id_reused_in_the_working_tree(repo: GitRepo) -> None:
    released(repo)
    repo.commit({YAML: NEW_RELEASE, C2: None}, when=PR_DAY)
    repo.write({f"{DOC}/03-termination.md": UNRELATED})
    assert_refused("id-reused", "s2")


def test_a_clause_restored_under_its_id_is_not_reuse(repo: GitRepo) -> None:
    released(repo)
    repo.commit({YAML: NEW_RELEASE, C2: None}, when=PR_DAY)
    repo.commit({f"{DOC}/03-fees.md": clause("s2", "您应按时支付费用。",
                                             "You shall pay the fees on time.")}, when=PR_DAY)
    code, found = check_json("--base", "main")
    assert code == 0 and errors(found) == [], found


def test_a_release_not_yet_announced_may_still_change(repo: GitRepo) -> None:
    # Not an attack: the guard that judging the pull request as a whole does not refuse
    # an edit to a release that customers have not been told about yet.
    repo.commit({YAML: manifest(announced="2021-08-15", effective="2021-09-15"), C1: S1,
                 C2: S2}, when=BASE_DAY)
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({C2: S2_WORSE}, when=PR_DAY)
    code, found = check_json("--base", "main")
    assert code == 0 and errors(found) == [], found


def test_the_pull_request_as_a_whole_is_judged_too(repo: GitRepo) -> None:
    """The net effect (base against head) is a second line behind the step-by-step walk:
    fed a head text that no recorded step explains, it still refuses."""
    from termstool.app.workspace import Workspace
    from termstool.format.loader import load_documents
    from termstool.model.snapshot import Snapshot
    from termstool.rules.notice import RuleContext, check_history

    base = released(repo)
    head = repo.commit({C1: clause("s1", "阿里云向您提供服务.", "Alibaba Cloud provides the services.")},
                       when=PR_DAY)  # editorial only: every step passes
    workspace = Workspace.open(None)
    [history] = workspace.histories()
    files = {YAML: manifest(), C1: S1, C2: S2_WORSE}
    snapshot = Snapshot("memory", {p: p for p in files}, lambda key: files[key].encode())
    [worse] = load_documents(snapshot, "terms").documents
    ctx = RuleContext(dt.date(2021, 8, 1), {head}, (workspace.documents_at(base)[DOC], worse))
    found = [(p.rule, p.clause) for p in check_history(history, ctx) if p.blocking]
    assert found == [("frozen-text", "s2")]


def test_a_release_re_dated_with_an_exception_is_shown_to_the_reviewer(repo: GitRepo) -> None:
    """A pull request that shortens an announced release's notice and records an
    exception is a warning the reviewer must see, although the problem names the commit
    that first recorded the release, which is in the base."""
    released(repo)
    repo.commit({YAML: manifest(effective="2021-06-10", extra="exception: regulator order\n")},
                when=PR_DAY)
    _code, found = check_json("--base", "main")
    assert [p["rule"] for p in found if p["severity"] == "warning"] == ["notice-period"]
    code, out = run("review", "--base", "main", "--today", TODAY, "--format", "terminal")
    assert code in (0, 1) and "notice-period" in out and "9 days of notice" in out
