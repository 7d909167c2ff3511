"""A snapshot: the files of a repository at one point, from git objects or the working tree."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, eq=False)
class Snapshot:
    """Repository-relative paths mapped to content keys, and the function that reads a key.

    For a commit the key is the blob id, so unchanged files are recognised (and parsed)
    once across history; for the working tree the key is the path itself.
    """

    label: str
    files: Mapping[str, str]
    read: Callable[[str], bytes]
    commit: str | None = None

    def under(self, prefix: str) -> list[str]:
        """Paths below a directory prefix ("" for all)."""
        prefix = prefix.strip("/")
        if not prefix:
            return list(self.files)
        start = prefix + "/"
        return [p for p in self.files if p.startswith(start)]

    def content(self, path: str) -> bytes:
        """The bytes of one file."""
        return self.read(self.files[path])
