"""The cache of results derived from commits: what it may hold, and how it is read back.

Commits are immutable, so what the tool derives from a commit (a document's history up
to the last commit that touched it, the problems found in it) can be kept between runs,
keyed by commit ids, in the git directory (``storage/cache_store.py``). The fingerprint
of every entry names this program: its version, :data:`FORMAT` (the shape of what is
stored) and the size and modification time of each of its source files, so a new
version, or an edited checkout of the tool, never reads what another one wrote.

Entries are pickled, and read back with an unpickler that builds only the tool's own
frozen dataclasses and enums, dates and times, and plain containers: an entry can
never make the program run anything. An entry that cannot be read back is ignored
(and rebuilt by whoever needs it), never trusted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import importlib
import io
import pickle
from pathlib import Path

import termstool
from termstool.storage.cache_store import DIRECTORY, CacheStore

# The shape of the stored objects: raise it when a stored dataclass changes.
FORMAT = 1

_DATETIME = {"date": dt.date, "datetime": dt.datetime, "timedelta": dt.timedelta,
             "timezone": dt.timezone}
_BUILTINS = {"set": set, "frozenset": frozenset}


class _SafeUnpickler(pickle.Unpickler):
    """Builds only termstool dataclasses and enums, dates, and plain containers."""

    def find_class(self, module: str, name: str) -> type:
        if module == "datetime" and name in _DATETIME:
            return _DATETIME[name]
        if module == "builtins" and name in _BUILTINS:
            return _BUILTINS[name]
        if module.startswith("termstool.") and "." not in name:
            found = getattr(importlib.import_module(module), name, None)
            if isinstance(found, type) and (dataclasses.is_dataclass(found)
                                            or issubclass(found, enum.Enum)):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


def fingerprint() -> str:
    """This program's identity for the cache: version, stored format, source files."""
    package = Path(termstool.__file__).parent
    digest = hashlib.sha256(f"{termstool.__version__}\0{FORMAT}".encode())
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".j2") and path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(package)}\0{stat.st_size}\0"
                          f"{stat.st_mtime_ns}\0".encode())
    return f"{termstool.__version__}-{digest.hexdigest()[:16]}"


class Cache:
    """Objects by kind and key, in a store; a disabled cache finds nothing, keeps nothing."""

    def __init__(self, store: CacheStore | None) -> None:
        self.store = store

    @classmethod
    def at(cls, git_dir: Path, enabled: bool = True) -> Cache:
        """The cache of the repository (or worktree) whose git directory is ``git_dir``."""
        if not enabled:
            return cls(None)
        return cls(CacheStore(git_dir / DIRECTORY, fingerprint()))

    @property
    def enabled(self) -> bool:
        """False with ``--no-cache``: nothing is read or written."""
        return self.store is not None

    def load(self, kind: str, key: str) -> object | None:
        """The object stored under ``kind`` and ``key``, or None (absent or unreadable)."""
        if self.store is None:
            return None
        payload = self.store.get(kind, key)
        if payload is None:
            return None
        try:
            found: object = _SafeUnpickler(io.BytesIO(payload)).load()
        except Exception:  # a damaged or foreign entry is ignored and rebuilt, never trusted
            return None
        return found

    def save(self, kind: str, key: str, value: object) -> None:
        """Keep an object for later runs."""
        if self.store is not None:
            self.store.put(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def clear_cache(git_dir: Path) -> int:
    """Remove every cache entry of the repository; return how many files there were."""
    return CacheStore(git_dir / DIRECTORY, "").clear()
