"""A snapshot: the files of a repository at one point, from git objects or the working tree."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path


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


def working_tree(root: Path, under: str = "terms") -> Snapshot:
    """The files below ``root/under`` as they are on disk (clause files and manifests)."""
    base = root / under
    files: dict[str, str] = {}
    if base.is_dir():
        for path in base.rglob("*"):
            if path.is_file() and (path.suffix == ".md" or path.name == "document.yaml"):
                rel = path.relative_to(root).as_posix()
                if not any(part.startswith(".") for part in rel.split("/")):
                    files[rel] = rel
    elif base.is_file():
        rel = base.relative_to(root).as_posix()
        files[rel] = rel

    cache: dict[str, bytes] = {}

    def read(key: str) -> bytes:
        # the loader and the history both read the working tree: read each file once
        if key not in cache:
            cache[key] = (root / key).read_bytes()
        return cache[key]

    return Snapshot("working tree", files, read)
