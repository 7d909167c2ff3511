"""Replace a whole directory as one step, so that a killed command leaves the old tree or
the new one, never a mixture, and the next command puts things right.

The new tree is built in one hidden directory beside the target (``.NAME.terms-new``):
unchanged files are hard-linked (or copied), new contents written. Then two renames swap
it in: the target moves aside to ``.NAME.terms-old`` and the new tree takes its name;
only then is the old tree removed. A journal (``terms-journal.json`` beside the
repository's lock) names the directories before the first of them is made and is removed
after the last is gone, so that whatever interrupts the work (``kill -9``, a crash, a
full disk) the next `terms` command that finds the journal, under the lock, either
undoes it (the new tree had not taken the target's name: the target is as it was) or
finishes it (it had: only the old tree is left to remove). The rename that puts the new
tree in place is the moment the write happens.

For tests, ``TERMS_TEST_FAULT=CHECKPOINT:kill`` kills the process at a checkpoint
(``journal``, ``staged-N`` after N files written, ``moved-aside``, ``swapped``) and
``CHECKPOINT:pause:FILE`` creates FILE there and waits until it is removed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import time
from collections.abc import Collection, Mapping
from pathlib import Path

from termstool.errors import TermsError
from termstool.storage.lock import LockHeld, WritePlace, repository_lock

NEW_SUFFIX = ".terms-new"
OLD_SUFFIX = ".terms-old"
FAULT_ENV = "TERMS_TEST_FAULT"


class UnsupportedFile(TermsError):
    """The directory to replace holds something that cannot be carried over."""


def checkpoint(name: str) -> None:
    """Let a test interrupt the write here (see the module docstring); otherwise nothing."""
    fault = os.environ.get(FAULT_ENV)
    if not fault:
        return
    at, _, action = fault.partition(":")
    if at != name:
        return
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action.startswith("pause:"):
        flag = Path(action.removeprefix("pause:"))
        flag.write_text(str(os.getpid()), encoding="utf-8")
        deadline = time.monotonic() + 120
        while flag.exists() and time.monotonic() < deadline:
            time.sleep(0.01)


def staging_paths(target: Path) -> tuple[Path, Path]:
    """The hidden directories beside ``target``: (the new tree, the old tree moved aside)."""
    return (target.parent / f".{target.name}{NEW_SUFFIX}",
            target.parent / f".{target.name}{OLD_SUFFIX}")


def replace_tree(place: WritePlace, target: Path, writes: Mapping[str, str],
                 deletes: Collection[str], *, command: str) -> None:
    """Make ``target`` its current files with ``writes`` (paths relative to it, new text)
    and without ``deletes``, as one step. The caller holds the repository lock.

    Text is written as UTF-8 with ``\\n`` line ends; a file keeps its permissions, a new
    one gets 0o666 minus the umask. A directory left empty by the deletes is removed.
    Any failure before the swap leaves ``target`` untouched.
    """
    new, old = staging_paths(target)
    _write_journal(place, {"command": command, "target": _rel(place, target),
                           "new": _rel(place, new), "old": _rel(place, old)})
    checkpoint("journal")
    for leftover in (new, old):
        if leftover.exists() or leftover.is_symlink():
            place.journal.unlink(missing_ok=True)
            raise TermsError(f"{leftover} is in the way: an earlier write into {target.name} "
                             "left it and no journal says what it holds; look at it (it may "
                             "hold the only copy of old files), move it away, and run again")
    try:
        _stage(target, new, writes, deletes)
        if target.exists():
            os.replace(target, old)
            checkpoint("moved-aside")
        os.replace(new, target)
    except BaseException:
        _undo_or_finish(target, new, old)
        place.journal.unlink(missing_ok=True)
        raise
    checkpoint("swapped")
    _remove_tree(old)
    place.journal.unlink(missing_ok=True)


# What recovery did in this process, for the command to tell its user at the end.
_RECOVERED: list[str] = []


def take_recovered() -> tuple[str, ...]:
    """The recoveries done since the last call, each said once."""
    found = tuple(_RECOVERED)
    _RECOVERED.clear()
    return found


def recover(place: WritePlace) -> str | None:
    """Undo or finish a write that a killed command left half done, under the lock; say
    which. None when there was none, or when its command is still running."""
    if not place.journal.exists():
        return None
    try:
        with repository_lock(place, "recover"):
            return _recover_locked(place)
    except LockHeld:
        return None  # the writer is alive: its journal is not a leftover


def recover_locked(place: WritePlace) -> str | None:
    """``recover`` for a caller that already holds the lock."""
    if not place.journal.exists():
        return None
    return _recover_locked(place)


def _recover_locked(place: WritePlace) -> str | None:
    try:
        entry = json.loads(place.journal.read_text(encoding="utf-8"))
        target, new, old = (place.root / entry[key] for key in ("target", "new", "old"))
        command = str(entry.get("command", "write"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise TermsError(f"cannot read the journal of an interrupted write: {exc}; look at "
                         "the directories it names, then remove it",
                         file=str(place.journal)) from exc
    if not new.exists() and not old.exists():
        place.journal.unlink(missing_ok=True)
        return None  # interrupted before it changed anything, or after it finished
    done = _undo_or_finish(target, new, old)
    place.journal.unlink(missing_ok=True)
    shown = entry["target"]
    if done == "finished":
        note = (f"'terms {command}' into {shown} was interrupted after its new files were in "
                "place; finished it (removed the old files it had set aside)")
    else:
        note = (f"'terms {command}' into {shown} was interrupted before it finished; undid "
                "it (the files are as they were before it)")
    _RECOVERED.append(note)
    return note


def _undo_or_finish(target: Path, new: Path, old: Path) -> str:
    """Put things right after an interruption: the new tree not yet in place means undo,
    in place means finish. Return "undone" or "finished"."""
    if new.exists():  # the swap had not happened: undo
        if old.exists() and not target.exists():
            os.replace(old, target)
        _remove_tree(new)
        return "undone"
    if old.exists():
        if target.exists():
            _remove_tree(old)
            return "finished"
        os.replace(old, target)
    return "undone"


def _write_journal(place: WritePlace, entry: Mapping[str, str]) -> None:
    tmp = place.journal.with_name(place.journal.name + ".tmp")
    tmp.write_text(json.dumps(entry) + "\n", encoding="utf-8")
    os.replace(tmp, place.journal)


def _rel(place: WritePlace, path: Path) -> str:
    return os.path.relpath(path.resolve(), place.root)


def _remove_tree(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def _umask() -> int:
    # os.umask can only be read by setting it; set it back at once.
    current = os.umask(0)
    os.umask(current)
    return current


def _stage(target: Path, new: Path, writes: Mapping[str, str], deletes: Collection[str]) -> None:
    """Build the new tree in ``new``: the target's files (minus deletes and rewrites)
    linked or copied, then the new contents written."""
    skip = set(deletes) | set(writes)
    new.mkdir(parents=True)
    emptied: set[Path] = set()
    if target.exists():
        shutil.copymode(target, new)
        for walked, dirnames, filenames in os.walk(target):
            here = Path(walked)
            rel_dir = here.relative_to(target)
            for name in dirnames:
                source = here / name
                if source.is_symlink():
                    os.symlink(os.readlink(source), new / rel_dir / name)
                    continue
                (new / rel_dir / name).mkdir()
                shutil.copymode(source, new / rel_dir / name)
            dirnames[:] = [name for name in dirnames if not (here / name).is_symlink()]
            for name in filenames:
                rel = (rel_dir / name).as_posix()
                if rel in skip:
                    if rel in deletes:
                        emptied.add(new / rel_dir)
                    continue
                _carry(here / name, new / rel_dir / name)
    umask = _umask()
    for count, (rel, content) in enumerate(writes.items(), 1):
        destination = new / rel
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode = stat.S_IMODE((target / rel).stat().st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~umask
        fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
        os.chmod(destination, mode)  # os.open applied the umask to an existing file's mode
        checkpoint(f"staged-{count}")
    for folder in sorted(emptied, key=lambda p: len(p.parts), reverse=True):
        while folder != new and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def _carry(source: Path, destination: Path) -> None:
    """Carry an unchanged file over: a hard link (nothing is copied, and the new tree
    never writes into it), or a copy where links cannot be made."""
    mode = source.lstat().st_mode
    if stat.S_ISLNK(mode):
        os.symlink(os.readlink(source), destination)
    elif stat.S_ISREG(mode):
        try:
            os.link(source, destination)
        except OSError:
            shutil.copy2(source, destination)
    else:
        raise UnsupportedFile(f"{source} is not a regular file, directory or symbolic link; "
                              "move it out of the document's directory first")
