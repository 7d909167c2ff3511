"""Sharing the groups of documents among processes gives what one process gives.

A cold `terms check` or `terms log` of a catalogue walks its document groups in forked
worker processes (``app/parallel_groups.py``). Over random histories of a small
catalogue (documents edited, released, moved, deleted and restored: moves make groups
merge while they are walked), the histories and the check found by several processes
equal those of one; a worker that fails has its share done again here; the command line
gives the same output with ``--jobs 1`` and ``--jobs 2``.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import GitRepo, clause, manifest, run_cli
from termstool.app import parallel_groups
from termstool.app.check import run_check
from termstool.app.histories import Group
from termstool.app.workspace import Workspace
from termstool.errors import TermsError
from test_scale import NOW, OPS, SETTINGS, build, steps


def opened(root: Path, jobs: int) -> Workspace:
    return Workspace.open(root / "terms", use_cache=False, jobs=jobs)


@contextmanager
def every_group_shared() -> Iterator[None]:
    """Fan out even a handful of groups (the catalogue of the model has three or four)."""
    with mock.patch.object(parallel_groups, "GROUPS_PER_PROCESS", 1):
        yield


@SETTINGS
@given(main=steps, working=st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 50)),
                                    max_size=2))
def test_histories_and_checks_found_by_several_processes_are_those_of_one(
        main: list[tuple[str, int]], working: list[tuple[str, int]]) -> None:
    with tempfile.TemporaryDirectory() as tmp, every_group_shared():
        root = Path(tmp)
        model = build(root, main, [], working)
        today = model.day + dt.timedelta(days=1)
        assert opened(root, 3).all_histories() == opened(root, 1).all_histories()
        try:
            alone = run_check(opened(root, 1), now=NOW, today=today)
        except TermsError as exc:
            try:
                run_check(opened(root, 3), now=NOW, today=today)
            except TermsError as refused:
                assert str(refused) == str(exc)
                return
            raise AssertionError("several processes judged what one could not read") from exc
        shared = run_check(opened(root, 3), now=NOW, today=today)
        assert shared.problems == alone.problems
        assert shared.documents == alone.documents


def test_a_worker_that_fails_has_its_share_done_here(tmp_path: Path) -> None:
    build(tmp_path, [("edit-zh", 1), ("release", 2), ("new-document", 0)], [], [])
    expected = opened(tmp_path, 1).all_histories()
    done_here: list[int] = []
    share_in_turn = Workspace.share_in_turn

    def recorded(self: Workspace, groups: Sequence[Group], work: Callable[[Group], object],
                 tell: Callable[[int], None]) -> list[object]:
        done_here.append(len(groups))
        return share_in_turn(self, groups, work, tell)

    def broken(self: Workspace) -> None:  # runs in the worker only
        raise OSError("no git here")

    with every_group_shared(), mock.patch.object(Workspace, "share_in_turn", recorded), \
            mock.patch.object(Workspace, "after_fork", broken):
        found = opened(tmp_path, 2).all_histories()
    assert found == expected
    # this process did its own share, then the failed worker's
    assert len(done_here) == 2 and sum(done_here) == len(
        opened(tmp_path, 1).reader().groups_within("terms"))


def test_the_commands_print_the_same_with_one_or_two_processes(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path)
    files: dict[str, str | bytes | None] = {}
    for index in range(70):  # enough groups for two processes without any patching
        files[f"terms/d{index:02}/document.yaml"] = manifest(doc_id=f"d{index:02}")
        files[f"terms/d{index:02}/c1.md"] = clause(f"c{index}", "您应支付费用。",
                                                    "You shall pay the fees.")
    repo.commit(files, when="2021-05-01T10:00:00+08:00")
    repo.commit({"terms/d07/c1.md": clause("c7", "您应在三十日内付款。", "Pay within 30 days.")},
                when="2021-05-02T10:00:00+08:00")
    for command in (["log"], ["check", "--today", "2021-08-01"]):
        one = run_cli(*command, str(tmp_path / "terms"), "--no-cache", "--jobs", "1")
        two = run_cli(*command, str(tmp_path / "terms"), "--no-cache", "--jobs", "2")
        assert one == two
        assert one[0] in (0, 1)
    assert parallel_groups.processes_for(70, 2) == 2  # two processes did run


def test_few_groups_are_walked_in_this_process() -> None:
    assert parallel_groups.processes_for(31, 4) == 1
    assert parallel_groups.processes_for(64, 4) == 2
    assert parallel_groups.processes_for(1000, 1) == 1


def test_shares_have_about_equal_cost_and_keep_the_order() -> None:
    groups: list[Group] = [(f"terms/d{i}",) for i in range(6)]
    cost = dict(zip(groups, [10, 1, 1, 1, 1, 6], strict=True))
    dealt = parallel_groups.shares(groups, list(cost.values()), 2)
    assert sorted(g for share in dealt for g in share) == sorted(groups)
    assert all(share == [g for g in groups if g in share] for share in dealt)
    assert sorted(sum(cost[g] for g in share) for share in dealt) == [10, 10]


def test_this_process_is_dealt_a_little_more_than_a_worker() -> None:
    groups: list[Group] = [(f"terms/d{i:03}",) for i in range(200)]
    dealt = parallel_groups.shares(groups, [1] * 200, 2)
    assert [len(share) for share in dealt] == [104, 96]  # 8 % of a share more


def test_no_worker_is_left_behind_when_this_process_fails(tmp_path: Path) -> None:
    build(tmp_path, [("edit-zh", 1), ("new-document", 0), ("new-document", 0)], [], [])
    parent = os.getpid()
    forked: list[int] = []
    fork = os.fork

    def recorded_fork() -> int:
        pid = fork()
        if pid:
            forked.append(pid)
        return pid

    share_in_turn = Workspace.share_in_turn

    def failing_here(self: Workspace, groups: Sequence[Group],
                     work: Callable[[Group], object], tell: Callable[[int], None]
                     ) -> list[object]:
        if os.getpid() == parent:
            raise KeyboardInterrupt  # the user stops the command during its own share
        return share_in_turn(self, groups, work, tell)

    with every_group_shared(), mock.patch.object(os, "fork", recorded_fork), \
            mock.patch.object(Workspace, "share_in_turn", failing_here), \
            pytest.raises(KeyboardInterrupt):
        opened(tmp_path, 3).all_histories()
    assert len(forked) == 2
    for pid in forked:  # stopped and reaped: no such process any more
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_progress_counts_every_group_of_every_process(tmp_path: Path) -> None:
    build(tmp_path, [("new-document", 0), ("new-document", 0), ("edit-en", 1)], [], [])
    told: list[tuple[str, int, int]] = []
    workspace = opened(tmp_path, 3)
    workspace.progress = lambda what, done, total: told.append((what, done, total))
    with every_group_shared():
        workspace.all_histories()
    total = len(opened(tmp_path, 1).reader().groups_within("terms"))
    assert told and all(0 <= done <= total == whole for _, done, whole in told)
    assert told[-1] == ("reading history", total, total)
