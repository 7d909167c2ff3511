"""Atomic writes: all files or none, so an interrupted command never leaves half its work."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path


def write_atomic(path: Path, content: str) -> None:
    """Replace one file atomically (write a temporary file beside it, then rename)."""
    apply_changes(path.parent, {path.name: content}, ())


def apply_changes(root: Path, writes: Mapping[str, str], deletes: Iterable[str]) -> None:
    """Write and delete files under ``root`` as one unit; on any failure restore everything."""
    deletes = [d for d in deletes if d not in writes]
    staged: list[tuple[Path, Path]] = []
    backups: list[tuple[Path, Path]] = []
    created_dirs: list[Path] = []
    placed: list[Path] = []
    try:
        for rel, content in writes.items():
            target = root / rel
            missing = []
            parent = target.parent
            while not parent.exists():
                missing.append(parent)
                parent = parent.parent
            for directory in reversed(missing):
                directory.mkdir()
                created_dirs.append(directory)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(content)
            staged.append((Path(tmp), target))
        for rel in [*writes, *deletes]:
            target = root / rel
            if target.exists():
                fd, bak = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".bak",
                                           dir=target.parent)
                os.close(fd)
                os.replace(target, bak)
                backups.append((Path(bak), target))
        for tmp, target in staged:
            os.replace(tmp, target)
            placed.append(target)
    except BaseException:
        for tmp, _target in staged:
            tmp.unlink(missing_ok=True)
        backed_up = {target for _bak, target in backups}
        for target in placed:
            if target not in backed_up:
                target.unlink(missing_ok=True)
        for bak, target in backups:
            os.replace(bak, target)
        for directory in reversed(created_dirs):
            try:
                directory.rmdir()
            except OSError:
                pass
        raise
    for bak, _target in backups:
        bak.unlink(missing_ok=True)
    for rel in deletes:
        parent = (root / rel).parent
        while parent != root and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
