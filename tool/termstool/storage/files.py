"""Atomic writes: all files or none, so an interrupted command never leaves half its work.

Every new content is first written to a temporary file beside its target; only when all
are written are the old files moved aside and the new ones renamed into place. Any
failure before the end puts every old file back and removes what was added.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from termstool.errors import GitError, UncommittedChanges, UnreadableInput, UsageError
from termstool.storage.gitrepo import Repository

# Every file this process wrote or deleted, so that an internal error can say whether
# anything had already changed on disk before it happened.
_CHANGED: list[Path] = []


def changed_files() -> tuple[Path, ...]:
    """The files this process has written or deleted so far, in order."""
    return tuple(_CHANGED)


def start_command() -> None:
    """Forget what earlier commands of this process wrote (a test runs many commands in
    one process): an internal error reports what its own command wrote."""
    _CHANGED.clear()


# The largest file read as a source (import) or an edited export (apply): the Terms of
# Service are 33 KB as text; 64 MiB leaves room for a Word file with pictures. Without a
# bound, `terms import /dev/zero` never ends.
MAX_SOURCE_BYTES = 64 * 1024 * 1024


def read_capped(file: Path) -> bytes:
    """The bytes of a source file, at most ``MAX_SOURCE_BYTES``.

    A pipe or process substitution (``<(pdftotext terms.pdf -)``) is read like a file;
    whatever it is, reading stops one byte past the limit.
    """
    if file.is_dir():
        raise UsageError(f"{file} is a directory; give the file to read")
    try:
        with file.open("rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        raise UnreadableInput(f"cannot read: {exc.strerror or exc}", file=str(file)) from exc
    if len(data) > MAX_SOURCE_BYTES:
        raise UnreadableInput(f"larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MiB: not a "
                              "terms document", file=str(file))
    return data


def write_atomic(path: Path, content: str | bytes) -> None:
    """Replace one file atomically (write a temporary file beside it, then rename)."""
    apply_changes(path.parent, {path.name: content}, ())


def _umask() -> int:
    # os.umask can only be read by setting it; set it back at once.
    current = os.umask(0)
    os.umask(current)
    return current


def _mode_for(target: Path, umask: int) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0o666 minus umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~umask


def apply_changes(root: Path, writes: Mapping[str, str | bytes],
                  deletes: Iterable[str]) -> None:
    """Write and delete files under ``root`` as one unit; on any failure restore everything.

    ``writes`` maps paths relative to ``root`` to their new text (written as UTF-8 with
    ``\\n`` line ends) or bytes (written as they are); ``deletes`` lists paths to remove.
    Directories are created as needed, and directories left empty by a delete are removed.
    """
    to_delete = [rel for rel in deletes if rel not in writes]
    umask = _umask()
    scratch: list[Path] = []  # every temporary name made, removed at the end whatever happens
    staged: list[tuple[Path, Path]] = []  # (temporary file, target)
    backups: list[tuple[Path, Path]] = []  # (old content moved aside, target)
    created_dirs: list[Path] = []
    placed: list[Path] = []
    try:
        for rel, content in writes.items():
            target = root / rel
            missing: list[Path] = []
            parent = target.parent
            while not parent.exists():
                missing.append(parent)
                parent = parent.parent
            for directory in reversed(missing):
                directory.mkdir()
                created_dirs.append(directory)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                            dir=target.parent)
            scratch.append(Path(tmp_name))
            staged.append((Path(tmp_name), target))
            if isinstance(content, bytes):
                with os.fdopen(fd, "wb") as binary:
                    binary.write(content)
            else:
                with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                    handle.write(content)
            # mkstemp creates 0o600 files; keep what the file had, or what a new file gets.
            os.chmod(tmp_name, _mode_for(target, umask))
        for rel in [*writes, *to_delete]:
            target = root / rel
            if target.exists():
                fd, bak_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".bak",
                                                dir=target.parent)
                os.close(fd)
                scratch.append(Path(bak_name))
                os.replace(target, bak_name)
                backups.append((Path(bak_name), target))
        for tmp, target in staged:
            os.replace(tmp, target)
            placed.append(target)
    except BaseException:
        kept = _roll_back(backups, placed)
        _remove([path for path in scratch if path not in kept])
        for directory in reversed(created_dirs):
            with contextlib.suppress(OSError):  # not empty: something we must not remove
                directory.rmdir()
        raise
    _remove(scratch)  # the old contents moved aside; the temporary files are renamed away
    _CHANGED.extend(root / rel for rel in [*writes, *to_delete])
    for rel in to_delete:
        _remove_empty_parents(root, (root / rel).parent)


def _roll_back(backups: list[tuple[Path, Path]], placed: list[Path]) -> set[Path]:
    """Undo a partial ``apply_changes``; return the backups that could not be put back.

    Those are kept on disk (``.<name>.*.bak`` beside their file): they hold the only copy
    of the old content.
    """
    backed_up = {target for _bak, target in backups}
    for target in placed:
        if target not in backed_up:  # a new file: remove it
            target.unlink(missing_ok=True)
    kept: set[Path] = set()
    for bak, target in backups:  # an old file: put it back over whatever was placed
        try:
            os.replace(bak, target)
        except OSError:
            kept.add(bak)
    return kept


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _remove_empty_parents(root: Path, parent: Path) -> None:
    while parent != root and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def guard_overwrite(path: Path, force: bool) -> None:
    """Refuse to overwrite a file git tracks whose changes are not committed, unless
    ``force``; untracked outputs (generated pages, feeds) are replaced freely."""
    if force or not path.is_file():
        return
    try:
        repo = Repository.discover(path.resolve().parent)
    except GitError:
        return
    if repo.is_dirty(path, untracked=False):
        raise UncommittedChanges(f"{path} has uncommitted changes that this would overwrite; "
                                 "commit them, write elsewhere with -o, or pass --force")


_KINDS = ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISDIR, "a directory"))


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is, or None for a regular file."""
    return next((name for test, name in _KINDS if test(mode)), None)


def refuse_links_on_path(path: Path) -> None:
    """Refuse a relative ``-o`` path that passes through a symbolic link (a repository
    could point one at any directory its user can write)."""
    if path.is_absolute():
        return
    prefix = Path()
    for part in path.parts[:-1]:
        prefix /= part
        if part not in (".", "..") and prefix.is_symlink():
            raise UsageError(f"-o {path}: {prefix} is a symbolic link (to "
                             f"{os.readlink(prefix)}); -o never writes through a link: "
                             "name a path without one")


def repository_around_output(target: Path, shown: str) -> Repository | None:
    """The work tree's repository around a resolved ``-o`` target (None outside git or in a
    bare repository); refuse a target inside any git directory, which belongs to git."""
    if ".git" in target.parts:
        raise UsageError(f"-o {shown} is inside a .git directory, which belongs to git; "
                         "write elsewhere")
    existing = target if target.is_dir() else target.parent
    while not existing.exists():
        existing = existing.parent
    try:
        repo = Repository.discover(existing)
    except GitError:
        return None
    if any(target.is_relative_to(git_dir) for git_dir in repo.git_dirs()):
        raise UsageError(f"-o {shown} is inside the repository's git directory, which "
                         "belongs to git; write elsewhere")
    return None if repo.bare else repo


def check_output(path: Path, *, protected: str = "terms") -> None:
    """Refuse an output path that ``-o`` must not replace; see README "Writing files".

    ``-o`` writes a regular file, atomically (a new file renamed over the old one). It
    refuses a device, a FIFO, a socket or a directory (standard output is ``-o -``); a
    symbolic link, either the file itself or a directory of a relative path leading to
    it (a repository could point one at any file its user can write); anything inside a
    git directory; and the files of the terms themselves: files git tracks under
    ``protected`` (``terms/``), and clause files and ``document.yaml`` there, which the
    next command would read as part of the terms.
    """
    shown = str(path)
    target = path.resolve()
    try:
        kind = _kind(target.stat().st_mode)
    except OSError:
        kind = None
    if kind is not None and kind != "a directory":
        raise UsageError(f"-o {shown} is not a regular file but {kind}: -o writes regular "
                         "files (atomically); use -o - for standard output")
    if path.is_symlink():
        raise UsageError(f"-o {shown} is a symbolic link (to {os.readlink(path)}): -o never "
                         "writes through a link, which a repository could point at any of "
                         "your files; name the file itself, or remove the link")
    refuse_links_on_path(path)
    if kind == "a directory":
        raise UsageError(f"-o {shown} is a directory; name a file in it")
    repo = repository_around_output(target, shown)
    if repo is None:
        return
    root = repo.root.resolve()
    if not target.is_relative_to(root / protected):
        return
    rel = target.relative_to(root).as_posix()
    if repo.is_tracked(target) or target.suffix == ".md" or target.name == "document.yaml":
        raise UsageError(f"-o {shown} is part of the terms ({rel}); writing output there "
                         "would replace or add to the clauses: write it outside "
                         f"{protected}/")
