"""The release workflow as a lawyer runs it, through the CLI on real git repositories:
the notice period follows the terms (30 → 45 days), a release still under review is
re-dated, a past release needs --historical, and refusals exit as documented."""

from __future__ import annotations

import json

from conftest import GitRepo, clause, manifest, run_terms

DOC = "terms/tos"
YAML = f"{DOC}/document.yaml"
C1 = f"{DOC}/01-changes.md"
C2 = f"{DOC}/02-fees.md"
DAYS30 = clause("s1", "变更应提前30天公告。", "Changes are announced 30 days ahead.")
DAYS45 = clause("s1", "变更应提前45天公告。", "Changes are announced 45 days ahead.")
FEES = clause("s2", "您应支付费用。", "You shall pay the fees.")
FEES_2 = clause("s2", "您应按月支付费用。", "You shall pay the fees monthly.")
FEES_3 = clause("s2", "您应按年支付费用。", "You shall pay the fees yearly.")
CHANGE_CLAUSE = "change_clause: s1\n"


def rules(today: str, *args: str) -> tuple[int, list[tuple[str, str]]]:
    """`terms check` as JSON: exit code and (rule, message) of each problem."""
    code, out = run_terms("check", "--format", "json", "--today", today, *args)
    found = json.loads(out[out.index("{"):])["problems"]
    return code, [(str(p["rule"]), str(p["message"])) for p in found]


def release(version: str, announced: str, effective: str, *extra: str,
            today: str | None = None) -> tuple[int, str]:
    """`terms release` as run on the announcement day (or on ``today``)."""
    return run_terms("release", version, "--announced", announced, "--effective", effective,
                     "--today", today or announced, *extra, DOC)


def test_the_notice_period_follows_the_terms_30_then_45(repo: GitRepo) -> None:
    repo.commit({YAML: manifest(extra=CHANGE_CLAUSE), C1: DAYS30, C2: FEES},
                when="2021-06-01T10:00:00+08:00")
    # The amendment promises 45 days from now on; document.yaml says so too.
    repo.write({C1: DAYS45, YAML: manifest(extra=CHANGE_CLAUSE, notice_days=45)})
    # (--force: document.yaml's new notice_days is part of this release, not committed)
    code, out = release("20211101", "2021-10-01", "2021-10-31", "--force")
    assert code == 0, out  # judged by the 30 days of the release in force on 1 October
    repo.commit(when="2021-10-01T10:00:00+08:00", message="Release 20211101")
    code, found = rules("2021-11-15")
    assert code == 0 and found == [], found  # the 2021 release and the amendment stand
    # The next release is announced when the 45-day promise is in force.
    repo.write({C2: FEES_2})
    code, out = release("20220101", "2021-12-01", "2021-12-31")
    assert code == 1 and "30 days of notice is less than the 45" in out, out
    code, out = release("20220115", "2021-12-01", "2022-01-15")
    assert code == 0, out
    repo.commit(when="2021-12-01T10:00:00+08:00", message="Release 20220115")
    code, found = rules("2022-02-01")
    assert code == 0 and found == [], found
    code, out = run_terms("log", "--format", "json", "--today", "2022-02-01")
    releases = json.loads(out)["documents"][0]["releases"]
    assert [(r["version"], r["required_notice_days"]) for r in releases] == [
        ("20210701", 30), ("20211101", 30), ("20220115", 45)]


def test_notice_days_the_change_clause_does_not_state_is_a_warning(repo: GitRepo) -> None:
    repo.commit({YAML: manifest(extra=CHANGE_CLAUSE, notice_days=45, announced="2021-05-17"),
                 C1: DAYS30, C2: FEES}, when="2021-06-01T10:00:00+08:00")
    code, found = rules("2021-08-01")
    assert code == 0 and [r for r, _ in found] == ["notice-clause"]
    assert "notice_days: 45" in found[0][1] and "s1" in found[0][1]


def test_a_release_under_review_is_re_dated_not_refused(repo: GitRepo) -> None:
    repo.commit({YAML: manifest(), C1: DAYS30, C2: FEES}, when="2021-06-01T10:00:00+08:00")
    repo.git("checkout", "-q", "-b", "amend")
    repo.write({C2: FEES_2})
    assert release("20211101", "2021-10-01", "2021-11-01")[0] == 0
    repo.commit(when="2021-10-01T10:00:00+08:00", message="Release 20211101")
    # Review took ten days: the branch's announcement date is stale.
    code, found = rules("2021-10-11", "--base", "main")
    assert code == 1 and "backdated" in [r for r, _ in found]
    code, out = release("20211101", "2021-10-11", "2021-11-10")
    assert code == 0, out
    assert "updated release 20211101" in out and "it was announced 2021-10-01" in out
    assert "announced: 2021-10-11" in (repo.root / YAML).read_text(encoding="utf-8")
    repo.commit(when="2021-10-11T10:00:00+08:00", message="New dates")
    code, found = rules("2021-10-11", "--base", "main")
    assert code == 0, found
    # Once merged, the release is part of the record: its label is never reused.
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "amend")
    code, out = release("20211101", "2021-10-20", "2021-11-30")
    assert code == 2 and "already used" in out, out


def test_announcing_before_today_needs_historical_which_check_shows(repo: GitRepo) -> None:
    repo.commit({YAML: manifest(), C1: DAYS30, C2: FEES}, when="2021-06-01T10:00:00+08:00")
    repo.write({C2: FEES_2})
    code, out = release("20211101", "2021-09-05", "2021-10-05", today="2021-10-01")
    assert code == 2 and "before today (2021-10-01)" in out and "--historical" in out, out
    code, out = release("20211101", "2021-09-05", "2021-10-05", "--historical",
                        today="2021-10-01")
    assert code == 0 and "historical" in out, out
    assert "historical: true" in (repo.root / YAML).read_text(encoding="utf-8")
    repo.commit(when="2021-10-01T10:00:00+08:00", message="Release 20211101 from records")
    code, found = rules("2021-10-01")
    assert code == 0 and [r for r, _ in found] == ["historical"], found
    assert "20211101" in found[0][1] and "from records" in found[0][1]
    # A new release is not marked historical.
    repo.write({C2: FEES_3})
    assert release("20211201", "2021-11-01", "2021-12-01")[0] == 0
    assert "historical" not in (repo.root / YAML).read_text(encoding="utf-8")


def test_release_exit_codes_and_messages(repo: GitRepo) -> None:
    repo.commit({YAML: manifest(), C1: DAYS30, C2: FEES}, when="2021-06-01T10:00:00+08:00")
    code, out = release("20211101", "2021-10-01", "2021-10-20")
    assert code == 1 and "19 days of notice is less than the 30" in out  # a rule
    code, out = release("20211101", "27/11/2026", "2021-12-01", today="2021-10-01")
    assert code == 2 and "is not a date; write YYYY-MM-DD" in out and "exists" not in out
    code, out = release("20211101", "2021-02-30", "2021-12-01", today="2021-01-01")
    assert code == 2 and "not a date that exists" in out
    # An editorial change to released text: the warning reads as English.
    repo.commit({C2: clause("s2", "您应支付费用.", "You shall pay the fees.")},
                when="2021-08-01T10:00:00+08:00")
    code, found = rules("2021-08-01")
    messages = " ".join(m for _, m in found)
    assert "makes an editorial change" in messages and "a editorial" not in messages, found
