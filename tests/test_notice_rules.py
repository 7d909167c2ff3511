"""The notice rules over real git history: each rule passes and fails where it should."""

from __future__ import annotations

import json

from conftest import GitRepo, clause, manifest, run_terms

DOC = "terms/tos"
C1 = f"{DOC}/01-service.md"
C2 = f"{DOC}/02-fees.md"


run = run_terms


def problems(*args: str) -> tuple[int, list[dict[str, object]]]:
    code, out = run("check", "--format", "json", *args)
    return code, json.loads(out)["problems"]


def base_repo(repo: GitRepo, **kw: str) -> str:
    return repo.commit({
        f"{DOC}/document.yaml": manifest(**kw),
        C1: clause("s1", "阿里云向您提供服务。", "Alibaba Cloud provides the services."),
        C2: clause("s2", "您应支付费用。", "You shall pay the fees."),
    }, when="2021-05-20T10:00:00+08:00")


# ---------------------------------------------------------------- notice-period

def test_thirty_days_of_notice_pass(repo: GitRepo) -> None:
    base_repo(repo, announced="2021-06-01", effective="2021-07-01")
    code, found = problems("--today", "2021-08-01")
    assert code == 0 and found == []


def test_twenty_nine_days_fail(repo: GitRepo) -> None:
    base_repo(repo, announced="2021-06-01", effective="2021-06-30")
    code, out = run("check", "--today", "2021-08-01")
    assert code == 1
    assert "notice-period" in out and "29 days" in out and "2021-07-01" in out


def test_recorded_exception_is_a_warning_not_an_error(repo: GitRepo) -> None:
    base_repo(repo, announced="2021-06-01", effective="2021-06-10",
              extra='exception: "security fix required by regulator"\n')
    code, found = problems("--today", "2021-08-01")
    assert code == 0
    assert [p["rule"] for p in found] == ["notice-period"]
    assert found[0]["severity"] == "warning" and "security fix" in str(found[0]["message"])


# ---------------------------------------------------------------- frozen-text

def test_change_late_on_the_announcement_day_local_time_passes(repo: GitRepo) -> None:
    base_repo(repo)
    repo.commit({C1: clause("s1", "阿里云向您提供全部服务。", "Alibaba Cloud provides all services.")},
                when="2021-06-01T23:30:00+08:00")  # 15:30 UTC, still 1 June in Shanghai
    code, found = problems("--today", "2021-08-01")
    assert code == 0, found


def test_change_the_next_day_in_shanghai_fails_even_if_utc_says_announcement_day(
        repo: GitRepo) -> None:
    base_repo(repo)
    sha = repo.commit({C1: clause("s1", "阿里云向您提供全部服务。", "Alibaba Cloud provides all services.")},
                      when="2021-06-01T23:30:00+00:00")  # 07:30 on 2 June in Shanghai
    code, found = problems("--today", "2021-08-01")
    assert code == 1
    [violation] = found
    assert violation["rule"] == "frozen-text" and violation["clause"] == "s1"
    assert violation["commit"] == sha and violation["file"] == C1
    assert violation["line"] == 5  # the <!-- zh --> line of the clause file
    message = str(violation["message"])
    assert "2021-06-02" in message and "2021-07-02" in message  # date and earliest lawful date


def test_change_after_effective_date_without_new_version_fails(repo: GitRepo) -> None:
    base_repo(repo)
    repo.commit({C2: clause("s2", "您应按月支付费用。", "You shall pay the fees monthly.")},
                when="2021-09-01T10:00:00+08:00")
    code, out = run("check", "--today", "2021-10-01")
    assert code == 1 and "frozen-text" in out and "s2" in out and "2021-10-01" in out


def test_editorial_and_translation_changes_are_warnings(repo: GitRepo) -> None:
    base_repo(repo)
    repo.commit({C2: clause("s2", "您应支付费用.", "You shall pay the fees.")},  # 。-> . only
                when="2021-09-01T10:00:00+08:00")
    repo.commit({C1: clause("s1", "阿里云向您提供服务。", "Alibaba Cloud provides the Services.")},
                when="2021-09-02T10:00:00+08:00")
    code, found = problems("--today", "2021-10-01")
    assert code == 0
    assert sorted((p["rule"], p["severity"], p["clause"]) for p in found) == [
        ("frozen-text", "warning", "s1"), ("frozen-text", "warning", "s2")]
    messages = " ".join(str(p["message"]) for p in found)
    assert "editorial" in messages and "translation" in messages


def test_a_new_release_may_change_the_text(repo: GitRepo) -> None:
    base_repo(repo)
    repo.commit({f"{DOC}/document.yaml": manifest(version="20211101", announced="2021-10-01",
                                                  effective="2021-11-01"),
                 C1: clause("s1", "阿里云向您提供全部服务。", "Alibaba Cloud provides all services.")},
                when="2021-10-01T09:00:00+08:00")
    code, found = problems("--today", "2021-12-01")
    assert code == 0, found


def test_backfilling_an_old_release_into_a_new_repository_is_allowed(repo: GitRepo) -> None:
    repo.commit({f"{DOC}/document.yaml": manifest(),
                 C1: clause("s1", "服务。", "Services.")}, when="2026-11-26T10:00:00+08:00")
    code, found = problems("--today", "2026-11-26")
    assert code == 0, found


def test_uncommitted_substantive_change_to_released_text_fails(repo: GitRepo) -> None:
    base_repo(repo)
    repo.write({C1: clause("s1", "阿里云可随时停止服务。", "Alibaba Cloud may stop the services.")})
    code, out = run("check", "--today", "2021-08-01")
    assert code == 1 and "uncommitted change" in out and "2021-08-31" in out


def test_waiver_turns_a_violation_into_a_waived_report(repo: GitRepo) -> None:
    base_repo(repo)
    sha = repo.commit({C1: clause("s1", "阿里云向您提供全部服务。", "Alibaba Cloud provides all services.")},
                      when="2021-06-05T10:00:00+08:00")
    code, _ = run("check", "--today", "2021-08-01")
    assert code == 1
    waiver = (f"waivers:\n  - commit: {sha[:10]}\n    rule: frozen-text\n"
              "    reason: correction approved by legal, see ticket 42\n")
    repo.commit({f"{DOC}/document.yaml": manifest(extra=waiver)},
                when="2021-06-06T10:00:00+08:00")
    code, found = problems("--today", "2021-08-01")
    assert code == 0
    [waived] = found
    assert waived["rule"] == "frozen-text" and "ticket 42" in str(waived["waived"])


# ---------------------------------------------------------------- release-order

def test_reused_label_and_decreasing_dates_fail(repo: GitRepo) -> None:
    base_repo(repo)
    repo.commit({f"{DOC}/document.yaml": manifest(version="2", announced="2021-05-01",
                                                  effective="2021-06-15")},
                when="2021-05-21T10:00:00+08:00")
    repo.commit({f"{DOC}/document.yaml": manifest(announced="2021-07-01",
                                                  effective="2021-08-01")},
                when="2021-07-01T10:00:00+08:00")
    code, found = problems("--today", "2021-09-01")
    assert code == 1
    messages = [str(p["message"]) for p in found if p["rule"] == "release-order"]
    assert any("used again" in m for m in messages)
    assert any("effective dates must increase" in m for m in messages)


def test_announced_after_effective_fails(repo: GitRepo) -> None:
    base_repo(repo, announced="2021-08-01", effective="2021-07-01")
    code, found = problems("--today", "2021-09-01")
    assert code == 1 and any("announced" in str(p["message"]) and p["rule"] == "release-order"
                             for p in found)


# ---------------------------------------------------------------- pull-request mode

def test_backdated_release_in_a_pull_request_fails(repo: GitRepo) -> None:
    base_repo(repo)
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({f"{DOC}/document.yaml": manifest(version="2", announced="2021-07-15",
                                                  effective="2021-09-01"),
                 C1: clause("s1", "新服务。", "New services.")},
                when="2021-07-15T10:00:00+08:00")
    code, out = run("check", "--base", "main", "--today", "2021-08-01")
    assert code == 1 and "backdated" in out and "2021-07-15" in out
    code, _ = run("check", "--today", "2021-08-01")
    assert code == 0  # outside pull-request mode the same history is lawful


def test_release_announced_today_in_a_pull_request_passes(repo: GitRepo) -> None:
    base_repo(repo)
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({f"{DOC}/document.yaml": manifest(version="2", announced="2021-08-01",
                                                  effective="2021-08-31"),
                 C1: clause("s1", "新服务。", "New services.")},
                when="2021-08-01T10:00:00+08:00")
    code, found = problems("--base", "main", "--today", "2021-08-01")
    assert code == 0, found


def test_backdated_commit_in_a_pull_request_counts_as_made_today(repo: GitRepo) -> None:
    base_repo(repo)
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({C2: clause("s2", "您应按年支付费用。", "You shall pay the fees yearly.")},
                when="2021-05-25T10:00:00+08:00")  # pretends to predate the announcement
    code, found = problems("--today", "2021-08-01")
    assert code == 0  # by its own date it is lawful
    code, found = problems("--base", "main", "--today", "2021-08-01")
    assert code == 1 and any(p["rule"] == "frozen-text" for p in found)


def test_translation_stale_is_warning_then_error_in_pull_requests(repo: GitRepo) -> None:
    base_repo(repo)
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({f"{DOC}/document.yaml": manifest(version="2", announced="2021-08-01",
                                                  effective="2021-08-31"),
                 C1: clause("s1", "阿里云向您提供新服务。", "Alibaba Cloud provides the services.")},
                when="2021-08-01T10:00:00+08:00")
    code, found = problems("--today", "2021-08-01")
    assert code == 0 and [(p["rule"], p["severity"]) for p in found] == [
        ("translation-stale", "warning")]
    code, found = problems("--base", "main", "--today", "2021-08-01")
    assert code == 1 and [(p["rule"], p["severity"]) for p in found] == [
        ("translation-stale", "error")]
    repo.commit({C1: clause("s1", "阿里云向您提供新服务。", "Alibaba Cloud provides the services.",
                            extra="translation: pending\n")},
                when="2021-08-01T11:00:00+08:00")
    code, found = problems("--base", "main", "--today", "2021-08-01")
    assert code == 0 and [p["severity"] for p in found] == ["warning"]


def test_github_annotations_format(repo: GitRepo) -> None:
    base_repo(repo, announced="2021-06-01", effective="2021-06-30")
    code, out = run("check", "--format", "github", "--today", "2021-08-01")
    assert code == 1
    assert out.startswith(f"::error file={DOC}/document.yaml,line=1,title=notice-period::")
