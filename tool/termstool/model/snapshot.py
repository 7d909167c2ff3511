"""A snapshot: the files of a repository at one point, from git objects or the working tree."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass


class Deferred(Mapping[str, str]):
    """A mapping computed the first time it is used: a snapshot whose files are listed
    only if a command needs them (one that only asks git what changed never does)."""

    def __init__(self, compute: Callable[[], Mapping[str, str]]) -> None:
        self._compute: Callable[[], Mapping[str, str]] | None = compute
        self._found: Mapping[str, str] = {}

    def _files(self) -> Mapping[str, str]:
        if self._compute is not None:
            self._found, self._compute = self._compute(), None
        return self._found

    def __getitem__(self, path: str) -> str:
        return self._files()[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._files())

    def __len__(self) -> int:
        return len(self._files())


@dataclass(frozen=True, slots=True, eq=False)
class Snapshot:
    """Repository-relative paths mapped to content keys, and the function that reads a key.

    With ``blob_ids`` the key is the file's git blob id (a commit, or a working tree read
    through git), so unchanged files are recognised, read and parsed once across history
    and the working tree; otherwise (a directory outside git) the key is the path itself.
    """

    label: str
    files: Mapping[str, str]
    read: Callable[[str], bytes]
    commit: str | None = None
    blob_ids: bool = False
    # reads many keys at once (one round trip to git); None: one ``read`` per key
    prefetch: Callable[[Iterable[str]], Mapping[str, bytes]] | None = None
    # in a working tree read through git: the files that differ from the index
    changed: frozenset[str] = frozenset()

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

    def read_many(self, keys: Iterable[str]) -> Mapping[str, bytes]:
        """The bytes of many keys, in one round trip where the source allows it."""
        if self.prefetch is not None:
            return self.prefetch(keys)
        return {key: self.read(key) for key in dict.fromkeys(keys)}
