"""One lock per repository: a `terms` command that writes holds it from its first read of
what it will change to its last write, so two writes never interleave.

The lock is ``terms.lock`` in the repository's git directory (``.git/terms.lock``; a
linked worktree has its own), or ``.terms.lock`` beside the directory written when there
is no git. It is held with ``flock``, so the kernel releases it when its holder dies
however it dies: a lock file left behind by a killed process is stale and simply taken
over, while a live holder makes the next command stop with a message naming it (its
process id, command and start time). The file is removed when the lock is released.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from termstool.errors import GitError, TermsError

if TYPE_CHECKING:
    from termstool.storage.gitrepo import Repository


class LockHeld(TermsError):
    """Another `terms` command is writing to the same repository."""


@dataclass(frozen=True, slots=True)
class WritePlace:
    """Where the lock and the journal of unfinished writes are kept for a repository."""

    lock: Path
    journal: Path
    root: Path  # the journal's paths are relative to this directory


def write_place(path: Path) -> WritePlace:
    """The lock and journal for writing at ``path``: in the git directory (paths relative
    to the work tree), or outside git hidden in the directory above ``path``."""
    from termstool.storage.gitrepo import Repository  # git is slow to import: only here

    probe = path
    while not probe.exists():
        probe = probe.parent
    try:
        repo = Repository.discover(probe if probe.is_dir() else probe.parent)
    except GitError:
        parent = path.resolve().parent
        return WritePlace(parent / ".terms.lock", parent / ".terms-journal.json", parent)
    return repository_place(repo)


def repository_place(repo: Repository) -> WritePlace:
    """The lock and journal of a git repository: in its git directory."""
    git_dir = repo.git_dir
    return WritePlace(git_dir / "terms.lock", git_dir / "terms-journal.json",
                      repo.root.resolve())


@contextmanager
def repository_lock(place: WritePlace, command: str) -> Iterator[None]:
    """Hold the repository's lock while the block runs; ``LockHeld`` when a live process
    holds it."""
    path = place.lock
    fd = _acquire(path)
    try:
        info = {"pid": os.getpid(), "command": command,
                "since": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.write(fd, (json.dumps(info) + "\n").encode("utf-8"))
        yield
    finally:
        # Remove the file while still holding the lock: whoever opened it meanwhile
        # notices (its inode is no longer the path's) and opens the new one.
        try:
            path.unlink(missing_ok=True)
        finally:
            os.close(fd)


def _acquire(path: Path) -> int:
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise TermsError(f"cannot create the lock {path}: {exc.strerror or exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise LockHeld(f"another terms command is writing to this repository ({holder}); "
                           "wait for it to finish and run this again. If no such process "
                           "runs any more, the lock is released already: just run again",
                           file=str(path)) from None
        try:
            current = os.stat(path).st_ino
        except FileNotFoundError:
            current = None
        if current == os.fstat(fd).st_ino:
            return fd
        os.close(fd)  # its holder removed the file as we opened it: take the new one


def _holder(fd: int) -> str:
    """Who holds the lock, as its file says."""
    try:
        data = json.loads(os.pread(fd, 4096, 0).decode("utf-8") or "{}")
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict) or "pid" not in data:
        return "a process that has just started"
    return f"'terms {data.get('command', '?')}', process {data['pid']}, since " \
           f"{data.get('since', '?')}"
