"""Parsed files by content key: a blob met in many commits and in the working tree is
parsed once.

The key is a git blob id, so the same text under two paths, in two commits or in the
working tree shares one parse. Parses are stored without their path (their problems
name no file) and placed in a file when they are handed out. The cache holds parsed
objects, never bytes; :meth:`ParseCache.clear` lets a reader of many documents keep
only one document's files at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from termstool.format.clause_file import ClauseFile, at_path, parse_clause_data
from termstool.format.document_yaml import manifest_at_path, parse_manifest_data
from termstool.model.document import Manifest
from termstool.model.problems import Problem

_Parsed = tuple[Manifest | None, list[Problem]]


class ParseCache:
    """Clause files and manifests parsed once per blob id."""

    def __init__(self) -> None:
        self._clauses: dict[str, ClauseFile] = {}
        self._manifests: dict[str, _Parsed] = {}

    def missing(self, keys: Iterable[str]) -> list[str]:
        """The keys of ``keys`` not parsed yet (to read them from git in one request)."""
        return [key for key in dict.fromkeys(keys)
                if key not in self._clauses and key not in self._manifests]

    def clause(self, key: str, read: Callable[[str], bytes]) -> ClauseFile:
        """The clause file with this content key, its problems naming no file."""
        found = self._clauses.get(key)
        if found is None:
            found = self._clauses[key] = parse_clause_data(read(key))
        return found

    def clause_at(self, key: str, path: str, read: Callable[[str], bytes]) -> ClauseFile:
        """The clause file with this content key as found at ``path``."""
        return at_path(self.clause(key, read), path)

    def manifest_at(self, key: str, path: str, read: Callable[[str], bytes]) -> _Parsed:
        """The ``document.yaml`` with this content key as found at ``path``."""
        found = self._manifests.get(key)
        if found is None:
            found = self._manifests[key] = parse_manifest_data(read(key))
        return found[0], manifest_at_path(found[1], path)

    def clear(self) -> None:
        """Forget every parse (a reader moves on to another document)."""
        self._clauses.clear()
        self._manifests.clear()


def reader(read: Callable[[str], bytes], fetched: Mapping[str, bytes]) -> Callable[[str], bytes]:
    """``read``, answering first from bytes already fetched in one request."""
    def read_key(key: str) -> bytes:
        data = fetched.get(key)
        return data if data is not None else read(key)
    return read_key
