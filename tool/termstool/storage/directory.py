"""A generated directory written as one unit: the new tree replaces the old one whole.

The files are written into a new directory beside the target, then swapped in by two
renames, so a web server reading the target never sees half a site and a failure leaves
the old one as it was. Nothing is deleted that the same command did not write: a
directory that holds anything else is refused unless the caller forces it.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from termstool.errors import TermsError, UsageError
from termstool.storage.files import refuse_links_on_path, repository_around_output

INDEX = "index.html"


def _check_relative(rel: str) -> None:
    norm = posixpath.normpath(rel)
    if rel != norm or rel.startswith("/") or norm.startswith("..") or not rel:
        raise ValueError(f"not a relative path inside the directory: {rel!r}")


def _ours(target: Path, marker: bytes) -> bool:
    """True when ``target`` is empty or holds a tree this command wrote (its index.html
    carries ``marker``)."""
    if not any(target.iterdir()):
        return True
    index = target / INDEX
    try:
        return index.is_file() and marker in index.read_bytes()[:4096]
    except OSError:
        return False


def check_directory(target: Path, *, protected: str = "terms") -> None:
    """Refuse a directory that ``-o`` must not replace, even with ``--force``: a symbolic
    link (the directory, or one on the relative path to it: a repository could point one
    anywhere), anything inside a git directory, the terms themselves (``protected`` of
    the repository), and the repository or a directory that holds it."""
    shown = str(target)
    if target.is_symlink():
        raise UsageError(f"-o {shown} is a symbolic link; -o never writes through a link: "
                         "name the directory itself")
    refuse_links_on_path(target)
    resolved = target.resolve()
    repo = repository_around_output(resolved, shown)
    if repo is None:
        return
    root = repo.root.resolve()
    if root.is_relative_to(resolved):
        raise UsageError(f"-o {shown} holds the repository itself; write the site to a "
                         "directory of its own, e.g. -o public/")
    if resolved.is_relative_to(root / protected):
        raise UsageError(f"-o {shown} is inside {protected}/, where the terms are; write "
                         "the site outside it, e.g. -o public/")


def write_tree(target: Path, files: Iterable[tuple[str, bytes]], *, marker: bytes,
               force: bool = False) -> int:
    """Replace the directory ``target`` by exactly ``files`` ((relative path, bytes), each
    path once, taken one at a time); return how many were written.

    ``target`` may be new, empty, or a tree written before (recognised by ``marker`` in
    its index.html); anything else is refused unless ``force``, before any file is made.
    What :func:`check_directory` refuses is refused whatever ``force`` says.
    """
    check_directory(target)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} is a file; the site is a directory: give a new or "
                         "empty directory")
    if target.is_dir() and not force and not _ours(target, marker):
        raise UsageError(f"{target} holds files that terms site did not write; give a new or "
                         "empty directory, or pass --force to replace it whole")
    parent = target.resolve().parent if target.exists() else target.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".new", dir=parent))
    except OSError as exc:
        raise TermsError(f"cannot write {target}: {exc.strerror or exc}; nothing was "
                         "written") from exc
    old: Path | None = None
    try:
        umask = os.umask(0)
        os.umask(umask)
        fresh.chmod(0o777 & ~umask)  # mkdtemp makes it private; a site is for reading
        written: set[str] = set()
        for rel, content in files:
            _check_relative(rel)
            if rel in written:
                raise ValueError(f"{rel} is written twice")
            written.add(rel)
            path = fresh / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=parent))
            os.replace(target, old)
        try:
            os.replace(fresh, target)
        except OSError:
            if old is not None:
                os.replace(old, target)
                old = None
            raise
    except OSError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise TermsError(f"cannot write {target}: {exc.strerror or exc}; it is left as it "
                         "was") from exc
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return len(written)
