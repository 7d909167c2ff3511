"""The working tree as a snapshot: clause files and manifests as they are on disk."""

from __future__ import annotations

from pathlib import Path

from termstool.model.snapshot import Snapshot


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
