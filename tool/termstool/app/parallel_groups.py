"""Working through many document groups in several processes.

Documents are independent once grouped (``history/partition.py``), so a command that
walks hundreds of them without a cache (the first `terms check` or `terms log` of a
catalogue) shares the groups among forked worker processes. Each worker inherits what
was read before the fork (the log, the grouping, the working tree), does its share with
its own ``git cat-file``, and sends the results back pickled; this process does a share
too. A worker that fails or dies has its share done here again, so the result (or the
error) is the one a run in one process gives.

Forking, not spawning: a spawned worker would import the program and read the log
again, which costs more than the walk it takes over. Where fork is missing, or for a
few groups, everything is walked in this process.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import pickle
import signal
import struct
import sys
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar, cast

from termstool.app.histories import Group, Regroup

T = TypeVar("T")

# Below this many groups a process, forking and pickling cost more than they save.
GROUPS_PER_PROCESS = 32
# Processes chosen by default: more rarely pays, the git processes need cores too.
AUTO_LIMIT = 4
_SLOT = struct.Struct("q")


class Walker(Protocol):
    """What the workers share: the workspace, which does a share of the groups."""

    def share_in_turn(self, groups: Sequence[Group], work: Callable[[Group], T],
                      tell: Callable[[int], None]) -> list[T]: ...

    def regroup(self, group: Group) -> None: ...

    def after_fork(self) -> None: ...


def processes_for(groups: int, wanted: int | None) -> int:
    """How many processes walk ``groups`` groups: ``wanted`` (None: the cores, up to
    :data:`AUTO_LIMIT`), fewer when the groups are too few to be worth a process."""
    if not hasattr(os, "fork"):
        return 1
    if wanted is None:
        wanted = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                     else os.cpu_count() or 1, AUTO_LIMIT)
    return max(1, min(wanted, groups // GROUPS_PER_PROCESS))


# What a worker's share costs beyond its walk, as a part of it: pickling its results,
# and their unpickling here, which this process does after its own share.
WORKER_EXTRA = 0.08


def shares(groups: Sequence[Group], costs: Sequence[int], count: int) -> list[list[Group]]:
    """``groups`` dealt into ``count`` shares of about equal cost (the largest first, each
    to the share that costs least so far), each share in the original order. The first
    is this process's: it is dealt a little more, so that the workers' results arrive as
    it finishes (see :data:`WORKER_EXTRA`)."""
    extra = WORKER_EXTRA * sum(costs) / count
    totals = [0.0] + [extra] * (count - 1)
    dealt: list[list[int]] = [[] for _ in range(count)]
    for index in sorted(range(len(groups)), key=lambda i: -costs[i]):
        least = totals.index(min(totals))
        dealt[least].append(index)
        totals[least] += costs[index]
    return [[groups[i] for i in sorted(share)] for share in dealt if share]


def in_processes(walker: Walker, share_list: list[list[Group]], work: Callable[[Group], T],
                 tell: Callable[[int], None]) -> dict[Group, T]:
    """``work`` of every group: the first share done here, every other one in a forked
    worker; ``tell`` hears how many groups are done in all. Regroup when a worker found
    its group does not stand alone (the grouping is merged here as the worker merged
    it)."""
    done = mmap.mmap(-1, _SLOT.size * len(share_list))
    # What is buffered now would be written once more by every worker at its exit.
    sys.stdout.flush()
    sys.stderr.flush()
    workers: list[tuple[int, int, list[Group]]] = []
    try:
        for slot, share in enumerate(share_list[1:], start=1):
            receive, send = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker: never returns
                os.close(receive)
                _work(walker, share, work, send, done, slot)
            os.close(send)
            workers.append((pid, receive, share))

        def count(own: int) -> None:
            tell(own + sum(_SLOT.unpack_from(done, _SLOT.size * slot)[0]
                           for slot in range(1, len(share_list))))

        found = dict(zip(share_list[0], walker.share_in_turn(share_list[0], work, count),
                         strict=True))
        while workers:
            pid, receive, share = workers.pop(0)
            answer = _answer(pid, receive)
            if isinstance(answer, list) and len(answer) == len(share):
                found.update(zip(share, cast("list[T]", answer), strict=True))
            elif isinstance(answer, tuple):  # ("regroup", group)
                walker.regroup(answer[1])
                raise Regroup(answer[1])
            else:  # the worker failed: its share is done here, errors and all
                found.update(zip(share, walker.share_in_turn(share, work, lambda _n: None),
                                 strict=True))
            count(len(share_list[0]))
        return found
    finally:
        for pid, receive, _share in workers:  # stopped early: none is left behind
            _stop(pid, receive)
        done.close()


def _work(walker: Walker, share: list[Group], work: Callable[[Group], object], send: int,
          done: mmap.mmap, slot: int) -> None:
    """A worker's life: do its share, write the outcome to ``send``, exit at once
    (nothing of the parent's, buffers or handlers, runs in it)."""
    code = 1
    try:
        walker.after_fork()
        payload: object
        try:
            payload = walker.share_in_turn(
                share, work, lambda count: _SLOT.pack_into(done, _SLOT.size * slot, count))
        except Regroup as exc:
            payload = ("regroup", exc.args[0])
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(send, "wb") as out:
            out.write(data)
        code = 0
    except BaseException:  # the exit code says so: the parent does the share again
        code = 1
    finally:
        os._exit(code)


def _answer(pid: int, receive: int) -> list[object] | tuple[str, Group] | None:
    """What a worker sent (its results, or a group to regroup); None when it failed."""
    with os.fdopen(receive, "rb") as source:
        data = source.read()
    _pid, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return None
    answer: object = pickle.loads(data)  # our own worker wrote it
    if isinstance(answer, list):
        return answer
    if isinstance(answer, tuple) and len(answer) == 2 and answer[0] == "regroup":
        return ("regroup", answer[1])
    return None


def _stop(pid: int, receive: int) -> None:
    """End a worker whose answer is no longer wanted."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.close(receive)
    os.waitpid(pid, 0)
