"""A store of cache entries under the git directory, that never hands out a doubtful one.

Entries live in ``<git dir>/terms-cache/<fingerprint>/<kind>/`` (``.git/terms-cache/``;
each worktree of a repository has its own), one file each,
written atomically (a temporary file renamed into place), so concurrent runs share them
safely. Each file starts with a header naming the store's format, the fingerprint of
the program that wrote it (its version and the format of what it stores), the entry's
kind and key, and a SHA-256 of the payload; an entry whose header or checksum does not
match is treated as absent, and is written again by whoever computes it next. What the
payload means is the caller's business: this module stores bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

_MAGIC = b"terms-cache 1\n"
DIRECTORY = "terms-cache"


class CacheStore:
    """Cache entries of one program fingerprint, in one directory."""

    def __init__(self, directory: Path, fingerprint: str) -> None:
        self.directory = directory
        self.fingerprint = fingerprint
        self._pruned = False

    def _path(self, kind: str, key: str) -> Path:
        name = hashlib.sha256(f"{kind}\0{key}".encode("utf-8", "surrogateescape")).hexdigest()
        return self.directory / self.fingerprint / kind / name[:2] / name[2:40]

    def _header(self, kind: str, key: str, digest: str) -> bytes:
        return b"".join((_MAGIC, self.fingerprint.encode(), b"\n", kind.encode(), b"\n",
                         key.encode("utf-8", "surrogateescape").hex().encode(), b"\n",
                         digest.encode(), b"\n"))

    def get(self, kind: str, key: str) -> bytes | None:
        """The payload stored under ``kind`` and ``key``; None when there is none, or when
        the entry is not exactly what this program wrote (corrupt, cut short, foreign)."""
        try:
            data = self._path(kind, key).read_bytes()
        except OSError:
            return None
        lines = data.split(b"\n", 5)
        if len(lines) < 6:
            return None
        payload = lines[5]
        expected = self._header(kind, key, hashlib.sha256(payload).hexdigest())
        if data[: len(data) - len(payload)] != expected:
            return None
        return payload

    def put(self, kind: str, key: str, payload: bytes) -> None:
        """Store a payload (atomically); a store that cannot be written is simply not
        used: the cache only saves time, it is never needed."""
        path = self._path(kind, key)
        header = self._header(kind, key, hashlib.sha256(payload).hexdigest())
        try:
            self._prune()
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(header + payload)
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError:
            return

    def _prune(self) -> None:
        """Remove the entries other versions of the program wrote: they are never read."""
        if self._pruned:
            return
        self._pruned = True
        with contextlib.suppress(OSError):
            for child in self.directory.iterdir():
                if child.name != self.fingerprint and child.is_dir():
                    shutil.rmtree(child, ignore_errors=True)

    def clear(self) -> int:
        """Remove every entry, of every version; return how many files there were."""
        if not self.directory.is_dir():
            return 0
        count = sum(1 for path in self.directory.rglob("*") if path.is_file())
        shutil.rmtree(self.directory, ignore_errors=True)
        return count
