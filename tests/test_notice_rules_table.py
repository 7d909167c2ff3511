"""The notice rules at their boundaries, on histories built in memory (no git).

Each table row is one case: the history, then the problems the rule must report.
"""

from __future__ import annotations

import datetime as dt

import pytest

from history_builder import HistoryBuilder, sha
from termstool.compare.change_class import ChangeClass
from termstool.history.document_history import DocumentHistory
from termstool.model.document import Waiver
from termstool.model.problems import Problem, Severity
from termstool.rules.notice import (
    Judge,
    RuleContext,
    backdated,
    check_history,
    frozen_text,
    notice_period,
    release_order,
    translation_stale,
)

TODAY = dt.date(2022, 1, 1)


def judge(history: DocumentHistory, ctx: RuleContext | None = None) -> Judge:
    """The rules' view of a history: outside a pull request unless ``ctx`` says so."""
    return Judge.of(history, ctx or RuleContext(TODAY))


def outcome(problems: list[Problem]) -> list[tuple[str, str]]:
    """(rule, severity, or "waived") of each problem, to compare with a table row."""
    return [(p.rule, "waived" if p.waived is not None else p.severity.value)
            for p in problems]


# ------------------------------------------------------------------ notice-period

@pytest.mark.parametrize(("announced", "effective", "notice_days", "exception", "expected"), [
    ("2021-06-01", "2021-06-30", 30, None, [("notice-period", "error")]),  # 29 days
    ("2021-06-01", "2021-07-01", 30, None, []),  # 30 days: exactly enough
    ("2021-06-01", "2021-07-02", 30, None, []),  # 31 days
    ("2021-06-01", "2021-06-01", 30, None, [("notice-period", "error")]),  # announced = effective
    ("2021-06-01", "2021-06-01", 0, None, []),  # notice_days: 0 allows the same day
    ("2021-06-01", "2021-06-02", 0, None, []),
    ("2021-06-01", "2021-06-30", 30, "security fix", [("notice-period", "warning")]),
    ("2021-06-01", "2021-07-30", 60, None, [("notice-period", "error")]),  # 59 of 60
    ("2021-06-01", "2021-07-31", 60, None, []),  # 60 of 60
    ("2024-02-01", "2024-03-02", 30, None, []),  # 30 days across 29 February
    ("2023-02-01", "2023-03-02", 30, None, [("notice-period", "error")]),  # 29: no 29 Feb
])
def test_notice_period(announced: str, effective: str, notice_days: int,
                       exception: str | None, expected: list[tuple[str, str]]) -> None:
    history = HistoryBuilder(notice_days=notice_days).release(
        "1", announced=announced, effective=effective, at=f"{announced}T09:00:00+00:00",
        exception=exception).build()
    assert outcome(notice_period(judge(history))) == expected


def test_notice_period_message_gives_the_days_and_the_earliest_date() -> None:
    history = HistoryBuilder().release("2", announced="2021-06-01", effective="2021-06-30",
                                       at="2021-06-01T09:00:00+00:00").build()
    [problem] = notice_period(judge(history))
    assert "29 days of notice" in problem.message and "30 are required" in problem.message
    assert "on or after 2021-07-01" in problem.message
    assert problem.commit == history.releases[0].record


@pytest.mark.parametrize(("first", "second", "announced", "days", "expected"), [
    # a release gives the notice promised by the release in force when it is announced
    (30, 60, "2021-06-01", 30, []),  # raising the period: judged by the old one
    (60, 30, "2021-06-01", 30, ["release 2"]),  # lowering it: still judged by the old one
    (60, 30, "2021-06-01", 60, []),
    (30, 30, "2021-06-01", 29, ["release 2"]),
    # announced before release 1 takes effect: the last release before it governs
    (45, 30, "2021-01-15", 44, ["release 2"]),
])
def test_the_release_in_force_on_the_announcement_day_sets_the_period(
        first: int, second: int, announced: str, days: int, expected: list[str]) -> None:
    effective = dt.date.fromisoformat(announced) + dt.timedelta(days=days)
    history = (HistoryBuilder()
               .release("1", announced="2020-09-01", effective="2021-01-31",
                        at="2020-09-01T09:00:00+00:00", notice_days=first)
               .release("2", announced=announced, effective=effective.isoformat(),
                        at=f"{announced}T09:00:00+00:00", notice_days=second)
               .build())
    assert [p.message.split(" gives")[0] for p in notice_period(judge(history))] == expected


# ------------------------------------------------------------------ release-order

@pytest.mark.parametrize(("releases", "expected"), [
    ([("1", "2021-06-01", "2021-07-01"), ("2", "2021-09-01", "2021-10-01")], 0),
    ([("1", "2021-06-01", "2021-06-01")], 0),  # announced = effective is in order
    ([("1", "2021-07-02", "2021-07-01")], 1),  # announced after effective
    ([("1", "2021-06-01", "2021-07-01"), ("1", "2021-09-01", "2021-10-01")], 1),  # reused
    ([("1", "2021-06-01", "2021-07-01"), ("2", "2021-06-01", "2021-07-01")], 1),  # same day
    ([("1", "2021-06-01", "2021-07-01"), ("2", "2021-05-01", "2021-06-30")], 1),  # earlier
])
def test_release_order(releases: list[tuple[str, str, str]], expected: int) -> None:
    builder = HistoryBuilder(notice_days=0)
    for index, (version, announced, effective) in enumerate(releases):
        builder.release(version, announced=announced, effective=effective,
                        at=f"2021-01-{index + 1:02d}T09:00:00+00:00")
    found = release_order(builder.build())
    assert [p.rule for p in found] == ["release-order"] * expected


# -------------------------------------------------------------------- frozen-text

ANNOUNCED = "2021-06-01"


@pytest.mark.parametrize(("timezone", "at", "change", "expected"), [
    # the announcement day, by the clock of the document's timezone
    ("Asia/Shanghai", "2021-06-01T23:59:59+08:00", ChangeClass.SUBSTANTIVE, []),
    ("Asia/Shanghai", "2021-06-02T00:00:00+08:00", ChangeClass.SUBSTANTIVE,
     [("frozen-text", "error")]),
    # 16:30 UTC on 1 June is 00:30 on 2 June in Shanghai, still 1 June in UTC
    ("Asia/Shanghai", "2021-06-01T16:30:00+00:00", ChangeClass.SUBSTANTIVE,
     [("frozen-text", "error")]),
    ("UTC", "2021-06-01T16:30:00+00:00", ChangeClass.SUBSTANTIVE, []),
    # 23:00 on 1 June in New York is already 2 June in UTC
    ("America/New_York", "2021-06-02T03:00:00+00:00", ChangeClass.SUBSTANTIVE, []),
    ("UTC", "2021-06-02T03:00:00+00:00", ChangeClass.SUBSTANTIVE,
     [("frozen-text", "error")]),
    # before the announcement, anything goes
    ("UTC", "2021-05-31T12:00:00+00:00", ChangeClass.SUBSTANTIVE, []),
    # after it, editorial and translation changes are warnings
    ("UTC", "2021-06-02T12:00:00+00:00", ChangeClass.EDITORIAL, [("frozen-text", "warning")]),
    ("UTC", "2021-06-02T12:00:00+00:00", ChangeClass.TRANSLATION,
     [("frozen-text", "warning")]),
])
def test_frozen_text_on_the_announcement_day(timezone: str, at: str, change: ChangeClass,
                                             expected: list[tuple[str, str]]) -> None:
    history = (HistoryBuilder(timezone=timezone)
               .release("1", announced=ANNOUNCED, effective="2021-07-01",
                        at="2021-05-20T09:00:00+00:00")
               .change("s1", at=at, change=change)
               .build())
    assert outcome(frozen_text(judge(history))) == expected


@pytest.mark.parametrize(("notice_days", "lawful"), [(30, "2021-07-02"), (0, "2021-06-02"),
                                                      (60, "2021-08-01")])
def test_frozen_text_gives_the_earliest_lawful_date(notice_days: int, lawful: str) -> None:
    history = (HistoryBuilder(notice_days=notice_days)
               .release("1", announced=ANNOUNCED, effective="2021-08-01",
                        at="2021-05-20T09:00:00+00:00")
               .change("s1", at="2021-06-02T09:00:00+00:00")
               .build())
    [problem] = frozen_text(judge(history))
    assert "of 2021-06-02" in problem.message and f"on or after {lawful}" in problem.message
    assert problem.file == "terms/tos/s1.md" and problem.line == 5  # the zh block


def test_the_commit_that_records_a_release_is_not_a_change_to_it() -> None:
    history = (HistoryBuilder()
               .release("1", announced="2021-06-01", effective="2021-07-01",
                        at="2021-05-20T09:00:00+00:00")
               .release("2", announced="2021-05-01", effective="2021-07-02",
                        at="2021-06-10T09:00:00+00:00")
               .build())
    assert frozen_text(judge(history)) == []


@pytest.mark.parametrize(("at", "pull_request", "expected"), [
    # the working tree counts as today
    (None, False, [("frozen-text", "error")]),
    # a commit the pull request adds counts as made today, whatever date it carries
    ("2021-05-30T09:00:00+00:00", True, [("frozen-text", "error")]),
    # outside a pull request, a commit's own date counts
    ("2021-05-30T09:00:00+00:00", False, []),
])
def test_frozen_text_dates_new_work_today(at: str | None, pull_request: bool,
                                          expected: list[tuple[str, str]]) -> None:
    builder = (HistoryBuilder()
               .release("1", announced=ANNOUNCED, effective="2021-07-01",
                        at="2021-05-20T09:00:00+00:00")
               .change("s1", at=at, label="the change"))
    history = builder.build()
    after = {builder.commits[-1]} if pull_request else None
    assert outcome(frozen_text(judge(history, RuleContext(TODAY, after)))) == expected


# ----------------------------------------------------------------------- backdated

@pytest.mark.parametrize(("announced", "new", "expected"), [
    ("2021-12-31", True, ["backdated"]),  # new in the pull request, announced yesterday
    ("2022-01-01", True, []),  # announced today
    ("2022-01-15", True, []),  # announced later
    ("2021-12-31", False, []),  # already on the base branch
])
def test_backdated(announced: str, new: bool, expected: list[str]) -> None:
    builder = HistoryBuilder().release("2", announced=announced, effective="2022-03-01",
                                       at="2021-12-01T09:00:00+00:00")
    after = set(builder.commits) if new else set()
    assert [p.rule for p in backdated(builder.build(), RuleContext(TODAY, after))] == expected
    assert backdated(builder.build(), RuleContext(TODAY)) == []  # not a pull request


# ---------------------------------------------------------------- translation-stale

@pytest.mark.parametrize(("changes", "new", "expected"), [
    ([ChangeClass.SUBSTANTIVE], False, [("translation-stale", "warning")]),
    ([ChangeClass.SUBSTANTIVE], True, [("translation-stale", "error")]),
    ([ChangeClass.SUBSTANTIVE, ChangeClass.TRANSLATION], True, []),
    ([ChangeClass.TRANSLATION, ChangeClass.SUBSTANTIVE], True,
     [("translation-stale", "error")]),
])
def test_translation_stale(changes: list[ChangeClass], new: bool,
                           expected: list[tuple[str, str]]) -> None:
    builder = HistoryBuilder().release("1", announced="2021-06-01", effective="2021-07-01",
                                       at="2021-05-20T09:00:00+00:00")
    for index, change in enumerate(changes):
        languages = ("zh",) if change is ChangeClass.SUBSTANTIVE else ("en",)
        builder.change("s1", at=f"2021-05-2{index + 1}T09:00:00+00:00", change=change,
                       languages=languages)
    after = set(builder.commits[1:]) if new else None
    found = translation_stale(judge(builder.build(), RuleContext(TODAY, after)))
    assert outcome(found) == expected


# -------------------------------------------------------------------------- waivers

LATE = "late change"


@pytest.mark.parametrize(("commit", "rule", "expected"), [
    (sha(LATE), "frozen-text", "waived"),  # the whole commit id
    (sha(LATE)[:12], "frozen-text", "waived"),  # a prefix, as git shows it
    (sha(LATE)[:7], "frozen-text", "waived"),  # the shortest prefix accepted
    (sha(LATE)[:6], "frozen-text", "error"),  # too short to name one commit
    (sha(LATE).upper()[:12], "frozen-text", "error"),  # ids are lower-case hex
    (sha("another commit")[:12], "frozen-text", "error"),  # another commit
    (sha(LATE)[:12], "notice-period", "error"),  # another rule
])
def test_waivers_accept_one_rule_for_one_commit(commit: str, rule: str,
                                                expected: str) -> None:
    history = (HistoryBuilder(waivers=(Waiver(commit, rule, "agreed with legal"),))
               .release("1", announced=ANNOUNCED, effective="2021-07-01",
                        at="2021-05-20T09:00:00+00:00")
               .change("s1", at="2021-06-15T09:00:00+00:00", label=LATE)
               .build())
    found = check_history(history, RuleContext(TODAY))
    assert outcome(found) == [("frozen-text", expected)]
    if expected == "waived":
        assert found[0].waived == "agreed with legal" and not found[0].blocking


def test_a_waiver_names_the_commit_that_recorded_a_release() -> None:
    record = sha("short release")
    history = (HistoryBuilder(waivers=(Waiver(record[:10], "notice-period", "regulator"),))
               .release("1", announced="2021-06-01", effective="2021-06-10",
                        at="2021-06-01T09:00:00+00:00", label="short release")
               .build())
    [problem] = check_history(history, RuleContext(TODAY))
    assert (problem.rule, problem.waived, problem.severity) == (
        "notice-period", "regulator", Severity.ERROR)
    assert not problem.blocking


def test_an_uncommitted_change_is_never_waived() -> None:
    history = (HistoryBuilder(waivers=(Waiver("0000000", "frozen-text", "x"),))
               .release("1", announced=ANNOUNCED, effective="2021-07-01",
                        at="2021-05-20T09:00:00+00:00")
               .change("s1", at=None)
               .build())
    [problem] = check_history(history, RuleContext(TODAY))
    assert problem.commit is None and problem.waived is None and problem.blocking
