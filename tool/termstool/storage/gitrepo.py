"""The one module that talks to git: commits, trees and blobs become our own models at once.

Every revision given by a user is resolved with ``rev-parse --verify --end-of-options``
before it is used anywhere, so a revision can never be read as an option. Reads are
batched: one ``ls-tree`` per snapshot, one ``log`` for a whole history, and blobs
through git's persistent ``cat-file --batch`` process.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import git
from git.exc import GitCommandError, InvalidGitRepositoryError, NoSuchPathError

from termstool.errors import GitError, RevisionError
from termstool.model.commits import CommitRecord, FileChange
from termstool.model.snapshot import Snapshot

FETCH_ADVICE = ("the history is incomplete (a shallow clone?): run 'git fetch --unshallow' "
                "(in GitHub Actions, check out with 'fetch-depth: 0')")


class Repository:
    """A git repository, read through GitPython."""

    def __init__(self, repo: git.Repo) -> None:
        self._repo = repo
        self._repo.git.update_environment(LC_ALL="C", GIT_TERMINAL_PROMPT="0")
        self.root = Path(repo.working_tree_dir or repo.git_dir)
        self._blobs: dict[str, bytes] = {}

    @property
    def git_dir(self) -> Path:
        """This work tree's git directory (``.git``, or a linked worktree's own)."""
        return Path(self._repo.git_dir).resolve()

    @classmethod
    def discover(cls, path: Path) -> Repository:
        """The repository containing ``path``; ``GitError`` when there is none."""
        try:
            return cls(git.Repo(path, search_parent_directories=True))
        except (InvalidGitRepositoryError, NoSuchPathError) as exc:
            raise GitError(f"{path} is not inside a git repository; run 'git init' there, or "
                           "pass a path inside your terms repository") from exc

    def _git(self, *args: str) -> str:
        try:
            return str(self._repo.git.execute(["git", *args], strip_newline_in_stdout=False))
        except GitCommandError as exc:
            stderr = str(exc.stderr or "").strip().removeprefix("stderr:").strip(" '\n")
            command = next((a for a in args if not a.startswith("-")), "")  # not an option
            if "shallow" in stderr or "does not have any commits" in stderr:
                raise GitError(f"git {command}: {stderr}; {FETCH_ADVICE}") from exc
            raise GitError(f"git {command} failed: {stderr or exc}") from exc

    def head(self) -> str | None:
        """The commit HEAD points to, or None in a repository without commits."""
        try:
            return self._git("rev-parse", "--verify", "--quiet", "HEAD^{commit}").strip() or None
        except GitError:
            return None

    def is_shallow(self) -> bool:
        """True in a shallow clone, where old history is missing."""
        return self._git("rev-parse", "--is-shallow-repository").strip() == "true"

    def resolve(self, revision: str) -> str:
        """The full sha of the commit ``revision`` names; never reads it as an option."""
        if not revision or revision.startswith("-") or "\x00" in revision:
            raise RevisionError(f"{revision!r} is not a revision (revisions cannot start "
                                "with '-')")
        try:
            out = self._repo.git.execute(
                ["git", "rev-parse", "--verify", "--quiet", "--end-of-options",
                 f"{revision}^{{commit}}"])
        except GitCommandError as exc:
            hint = f"; {FETCH_ADVICE}" if self.is_shallow() else ""
            raise RevisionError(f"unknown revision {revision!r}{hint}") from exc
        return str(out).strip()

    def merge_base(self, a: str, b: str) -> str | None:
        """The best common ancestor of two resolved commits, like ``git merge-base``."""
        try:
            return self._git("merge-base", a, b).strip() or None
        except GitError:
            return None

    def commits_between(self, base: str, tip: str) -> set[str]:
        """Commits reachable from ``tip`` but not from ``base`` (both resolved), in one call."""
        out = self._git("rev-list", f"{base}..{tip}")
        return set(out.split())

    def snapshot(self, commit: str, under: str = "terms") -> Snapshot:
        """The files below ``under`` in a resolved commit, read from git objects."""
        out = self._git("ls-tree", "-r", "-z", "--full-tree", commit, "--", under)
        files: dict[str, str] = {}
        for entry in out.split("\0"):
            if not entry:
                continue
            meta, path = entry.split("\t", 1)
            _mode, kind, sha = meta.split(" ")
            if kind == "blob" and (path.endswith(".md") or path.endswith("/document.yaml")):
                files[path] = sha
        return Snapshot(commit[:12], files, self.read_blob, commit=commit)

    def read_blob(self, sha: str) -> bytes:
        """A blob's bytes through the persistent ``cat-file --batch`` process."""
        cached = self._blobs.get(sha)
        if cached is None:
            try:
                cached = self._repo.odb.stream(bytes.fromhex(sha)).read()
            except (ValueError, GitCommandError) as exc:
                raise GitError(f"cannot read object {sha}: {exc}; {FETCH_ADVICE}") from exc
            self._blobs[sha] = cached
        return cached

    def first_parent_history(self, tip: str, under: str = "terms") -> list[CommitRecord]:
        """Commits touching ``under`` on the first-parent line to ``tip``, oldest first.

        One ``git log`` for the whole history, with each message's trailers; merges are
        compared with their first parent.
        Renames are detected (``R`` changes with ``old_path``), so a document whose
        directory moves, or whose id changes as it moves, keeps its history.
        """
        fmt = "%x1e%H%x1f%P%x1f%aI%x1f%cI%x1f%s%x1f%(trailers:only,unfold)%x1f"
        out = self._git("log", "--first-parent", "--diff-merges=first-parent", "--raw", "-z",
                        "--find-renames", "--no-abbrev", f"--format={fmt}", tip, "--", under)
        records = [rec for rec in _parse_log(out)]
        records.reverse()
        return records

    def author_names(self, commits: list[str]) -> dict[str, str]:
        """The author name of each resolved commit, in one ``git log --no-walk``."""
        if not commits:
            return {}
        out = self._git("log", "--no-walk=unsorted", "--format=%H%x1f%an", *commits, "--")
        names: dict[str, str] = {}
        for line in out.splitlines():
            sha, _, name = line.partition("\x1f")
            if sha:
                names[sha] = name
        return names

    def is_dirty(self, path: Path, *, untracked: bool = True) -> bool:
        """True when ``path`` has uncommitted changes (or, with ``untracked``, new files)."""
        rel = os.path.relpath(path.resolve(), self.root.resolve())
        if rel.startswith(".."):
            return False
        mode = "--untracked-files=all" if untracked else "--untracked-files=no"
        out = self._git("status", "--porcelain", "-z", mode, "--", rel)
        return bool(out.strip("\0\n "))

    def status(self, under: str) -> dict[str, str]:
        """``git status`` of the files below ``under``: path -> two-letter code.

        The code is git's porcelain ``XY``: X is the index against HEAD, Y the working tree
        against the index, ``??`` an untracked file. Renames are listed as a deletion and
        an addition (``--no-renames``), so every path stands on its own.
        """
        out = self._git("status", "--porcelain=v1", "-z", "--no-renames",
                        "--untracked-files=all", "--", under or ".")
        found: dict[str, str] = {}
        for entry in out.split("\0"):
            if len(entry) > 3:
                found[entry[3:]] = entry[:2]
        return found

    def add(self, paths: Iterable[str]) -> None:
        """Stage the current state of ``paths`` (repository-relative), deletions included,
        as ``git add --all`` does; paths are taken literally, never as patterns."""
        listed = sorted(set(paths))
        if listed:
            self._git("--literal-pathspecs", "add", "--all", "--", *listed)

    @property
    def bare(self) -> bool:
        """True for a bare repository: one without a working tree."""
        return bool(self._repo.bare)

    def git_dirs(self) -> tuple[Path, ...]:
        """This clone's git directory and the common one (they differ in a linked
        worktree): no file of ours is ever written inside them."""
        dirs = {Path(self._repo.git_dir).resolve(), Path(self._repo.common_dir).resolve()}
        return tuple(sorted(dirs))

    def is_tracked(self, path: Path) -> bool:
        """True when git tracks the file at ``path`` (committed or staged)."""
        rel = os.path.relpath(path, self.root.resolve())
        if rel.startswith(".."):
            return False
        # Literal: a file named ":(glob)*" names itself, not a pattern.
        return bool(self._git("--literal-pathspecs", "ls-files", "-z", "--", rel).strip("\0"))

    def local_config(self, key: str) -> str | None:
        """A value from this clone's own ``.git/config`` (never global or system), or None."""
        # --default keeps a missing key from being an error (exit 1) we would have to parse;
        # the unit separator never occurs in a real value.
        unset = "\x1f"
        out = self._git("config", "--local", "--default", unset, "--get", key)
        value = out.removesuffix("\n")
        return None if value == unset else value

    def set_local_config(self, key: str, value: str) -> None:
        """Set a value in this clone's ``.git/config`` only (``git config --local``)."""
        self._git("config", "--local", key, value)


def _parse_log(out: str) -> Iterator[CommitRecord]:
    for chunk in out.split("\x1e"):
        if not chunk.strip("\0\n"):
            continue
        sha, parents, authored, committed, subject, trailers, rest = chunk.split("\x1f", 6)
        tokens = [t for t in rest.lstrip("\n").split("\0")]
        changes: list[FileChange] = []
        index = 0
        while index < len(tokens):
            token = tokens[index].strip("\n")
            index += 1
            if not token.startswith(":"):
                continue
            _old_mode, _new_mode, old_blob, new_blob, status = token[1:].split(" ")
            old_path = ""
            if status[0] in "RC":  # a rename or copy names the old path, then the new
                old_path = tokens[index]
                index += 1
            path = tokens[index]
            index += 1
            zero = "0" * len(old_blob)
            changes.append(FileChange(status[0], path, "" if old_blob == zero else old_blob,
                                      "" if new_blob == zero else new_blob, old_path))
        yield CommitRecord(sha, tuple(parents.split()), dt.datetime.fromisoformat(authored),
                           dt.datetime.fromisoformat(committed), subject, tuple(changes),
                           trailers.strip("\n"))
