"""The working tree as a snapshot: clause files and manifests as they are on disk.

Only files of the repository are read. A symbolic link is followed only when it leads
to a file inside the repository and outside its ``.git`` directory: a link to
``/etc/passwd`` or ``~/.ssh/id_rsa`` committed as a clause file would otherwise be read
and rendered into a page that someone publishes. Such a file stays listed, so that the
loader reports it (with its path) instead of losing a clause without a word; reading it
raises :class:`~termstool.errors.UnreadableInput`, as does a file the user may not read.
"""

from __future__ import annotations

import os
from pathlib import Path

from termstool.errors import UnreadableInput
from termstool.model.snapshot import Snapshot


def link_refusal(root: Path, path: Path) -> str | None:
    """Why a file below ``root`` must not be read (a symbolic link on its way that leads
    out of the repository or into its git directory), or None when it may be."""
    real_root = root.resolve()
    target = path.resolve()
    if target == real_root / path.relative_to(root):
        return None  # no symbolic link on the way
    if not target.is_relative_to(real_root):
        return (f"is a symbolic link to {target}, outside the repository; it is not read "
                "(a clause file holds its own text)")
    if ".git" in target.relative_to(real_root).parts:
        return "is a symbolic link into the .git directory; it is not read"
    return None


def _files_below(base: Path) -> list[Path]:
    """Every entry below ``base`` that is not a directory, without following links to
    directories; iterative, so that no depth of directories exhausts the recursion."""
    found: list[Path] = []
    stack = [base]
    while stack:
        directory = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue  # an unreadable directory holds nothing we could read
        for entry in entries:
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                stack.append(path)
            else:
                found.append(path)
    return found


def working_tree(root: Path, under: str = "terms") -> Snapshot:
    """The files below ``root/under`` as they are on disk (clause files and manifests)."""
    base = root / under
    files: dict[str, str] = {}
    refused: dict[str, str] = {}
    candidates: list[Path] = []
    if base.is_dir():
        candidates = [path for path in _files_below(base)
                      if path.suffix == ".md" or path.name == "document.yaml"]
    elif base.is_file():
        candidates = [base]
    for path in candidates:
        rel = path.relative_to(root).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        why = link_refusal(root, path)
        if why is not None:
            files[rel] = rel
            refused[rel] = why
        elif path.is_file():
            files[rel] = rel

    cache: dict[str, bytes] = {}

    def read(key: str) -> bytes:
        # the loader and the history both read the working tree: read each file once
        if key in refused:
            raise UnreadableInput(refused[key], file=key)
        if key not in cache:
            try:
                cache[key] = (root / key).read_bytes()
            except OSError as exc:
                raise UnreadableInput(f"cannot be read: {exc.strerror or exc}",
                                      file=key) from exc
        return cache[key]

    return Snapshot("working tree", files, read)
