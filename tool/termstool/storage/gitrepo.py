"""The one module that talks to git: commits, trees and blobs become our own models at once.

Every revision given by a user is resolved with ``rev-parse --verify --end-of-options``
before it is used anywhere, so a revision can never be read as an option. Reads are
batched: one ``ls-tree`` per snapshot, one ``log`` for a whole history, and blobs through
one persistent ``cat-file --batch`` process that is fed every id a step needs at once.
Git runs as a plain subprocess (``LC_ALL=C``, no terminal prompt); paths are passed as
literal pathspecs, so a directory named ``*`` is never a pattern.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from termstool.errors import GitError, RevisionError, UnreadableInput
from termstool.model.commits import CommitRecord, FileChange
from termstool.model.snapshot import Deferred, Snapshot
from termstool.storage.working_tree import link_refusal

FETCH_ADVICE = ("the history is incomplete (a shallow clone?): run 'git fetch --unshallow' "
                "(in GitHub Actions, check out with 'fetch-depth: 0')")

MANIFEST_NAME = "document.yaml"
# Blob ids per request to the cat-file process: the ids written before the answers are
# read stay far below a pipe's buffer, so neither side can block the other.
_BATCH = 512
_LOG_FORMAT = "%x1e%H%x1f%P%x1f%aI%x1f%cI%x1f%s%x1f%(trailers:only,unfold)%x1f"


class GitCommandFailed(Exception):
    """A git process exited with an error (turned into ``GitError`` by ``Repository``)."""

    def __init__(self, stderr: str) -> None:
        super().__init__(stderr)
        self.stderr = stderr


def _environment() -> dict[str, str]:
    return {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}


def _run(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    result = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True,
                            env=_environment(), check=False)
    if result.returncode != 0:
        raise GitCommandFailed(result.stderr.decode("utf-8", "replace"))
    return result.stdout


def _text(data: bytes) -> str:
    # Paths are bytes to git; surrogateescape keeps a name that is not UTF-8 round-trippable.
    return data.decode("utf-8", "surrogateescape")


def blob_id(data: bytes) -> str:
    """The id git gives a blob with this content."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def literal(path: str) -> str:
    """A pathspec that matches exactly this path (and what is below it), never a pattern."""
    return f":(literal){path or '.'}"


class Repository:
    """A git repository, read through the git command line."""

    def __init__(self, root: Path, git_dir: Path, common_dir: Path, *,
                 bare: bool = False) -> None:
        self.root = root
        self.git_dir = git_dir.resolve()  # this work tree's (.git, or a linked worktree's)
        self.common_dir = common_dir  # shared by every worktree of the repository
        self.bare = bare  # a repository without a working tree
        self._batch: subprocess.Popen[bytes] | None = None
        self._pinned: dict[str, bytes] = {}  # blobs read ahead for the work at hand

    @classmethod
    def discover(cls, path: Path) -> Repository:
        """The repository containing ``path``; ``GitError`` when there is none."""
        cwd = path if path.is_dir() else path.parent
        try:
            try:
                out = _text(_run(["rev-parse", "--absolute-git-dir", "--git-common-dir",
                                  "--show-toplevel"], cwd)).split("\n")
                root, bare = Path(out[2]), False
            except GitCommandFailed:  # a bare repository has no work tree
                out = _text(_run(["rev-parse", "--absolute-git-dir", "--git-common-dir"],
                                 cwd)).split("\n")
                root, bare = Path(out[0]), True
        except (GitCommandFailed, OSError, IndexError) as exc:
            raise GitError(f"{path} is not inside a git repository; run 'git init' there, or "
                           "pass a path inside your terms repository") from exc
        git_dir = Path(out[0])
        return cls(root, git_dir, (cwd / out[1]).resolve(), bare=bare)

    def _git_bytes(self, *args: str, stdin: bytes | None = None) -> bytes:
        return self._answer(args, lambda: _run(list(args), self.root, stdin))

    def _started(self, *args: str) -> Callable[[], str]:
        """Start a git command now; the function returned waits for its output (failures
        are raised then, as :meth:`_git` raises them)."""
        try:
            process = subprocess.Popen(["git", *args], cwd=self.root, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, env=_environment())
        except OSError as exc:
            raise GitError(f"cannot run git: {exc}") from exc

        def finish() -> bytes:
            out, err = process.communicate()
            if process.returncode != 0:
                raise GitCommandFailed(err.decode("utf-8", "replace"))
            return out

        return lambda: _text(self._answer(args, finish))

    def _answer(self, args: tuple[str, ...], call: Callable[[], bytes]) -> bytes:
        """The output of a git command run by ``call``, its failure told in our words."""
        try:
            return call()
        except GitCommandFailed as exc:
            stderr = exc.stderr.strip().removeprefix("fatal:").strip(" '\n")
            command = next((a for a in args if not a.startswith("-")), "")  # not an option
            if "shallow" in stderr or "does not have any commits" in stderr:
                raise GitError(f"git {command}: {stderr}; {FETCH_ADVICE}") from exc
            raise GitError(f"git {command} failed: {stderr or exc}") from exc
        except OSError as exc:
            raise GitError(f"cannot run git: {exc}") from exc

    def _git(self, *args: str) -> str:
        return _text(self._git_bytes(*args))

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
            out = _run(["rev-parse", "--verify", "--quiet", "--end-of-options",
                        f"{revision}^{{commit}}"], self.root)
        except (GitCommandFailed, OSError) as exc:
            hint = f"; {FETCH_ADVICE}" if self.is_shallow() else ""
            raise RevisionError(f"unknown revision {revision!r}{hint}") from exc
        return _text(out).strip()

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

    def first_parent_chain(self, tip: str, since: str) -> list[str] | None:
        """The commits on the first-parent line from ``since`` (excluded) to ``tip``,
        oldest first; None when ``since`` is not on that line."""
        if since == tip:
            return []
        out = self._git("rev-list", "--first-parent", "--parents", f"{since}..{tip}")
        lines = [line.split() for line in out.splitlines() if line.strip()]
        if not lines or len(lines[-1]) < 2 or lines[-1][1] != since:
            return None
        return [line[0] for line in reversed(lines)]

    def snapshot(self, commit: str, under: str = "terms") -> Snapshot:
        """The files below ``under`` in a resolved commit, read from git objects. The
        tree is listed when a file is first asked for: a command that only needs the
        commit (to ask git what changed) never pays for listing a large tree."""
        return Snapshot(commit[:12], Deferred(lambda: self.list_tree(commit, [under])),
                        self.read_blob, commit=commit, blob_ids=True,
                        prefetch=self.read_blobs)

    def snapshot_of(self, commit: str, dirs: Iterable[str]) -> Snapshot:
        """The files below each of ``dirs`` in a resolved commit, in one ``ls-tree``."""
        return Snapshot(commit[:12], self.list_tree(commit, dirs), self.read_blob,
                        commit=commit, blob_ids=True, prefetch=self.read_blobs)

    def list_tree(self, commit: str, dirs: Iterable[str]) -> dict[str, str]:
        """Clause files and manifests below ``dirs`` in a commit: path -> blob id."""
        specs = [literal(d.strip("/")) for d in dirs]
        files: dict[str, str] = {}
        if specs:
            out = self._git("ls-tree", "-r", "-z", "--full-tree", commit, "--", *specs)
            for entry in out.split("\0"):
                if not entry:
                    continue
                meta, path = entry.split("\t", 1)
                _mode, kind, sha = meta.split(" ")
                if kind == "blob" and (path.endswith(".md")
                                       or path.endswith("/" + MANIFEST_NAME)
                                       or path == MANIFEST_NAME):
                    files[path] = sha
        return files

    def manifests_at(self, commit: str | None, under: str) -> dict[str, str]:
        """Every ``document.yaml`` below ``under`` in a commit (or, for None, in the
        index) with its blob id: path -> blob id."""
        found: dict[str, str] = {}
        if commit is None:
            prefix = "" if under in ("", ".") else _glob_escape(under.strip("/")) + "/"
            out = self._git("ls-files", "-s", "-t", "-z", "--",
                            f":(glob){prefix}**/{MANIFEST_NAME}")
            for entry in out.split("\0"):
                if entry:
                    meta, path = entry.split("\t", 1)
                    tag, mode, sha, _stage = meta.split(" ")
                    if tag == "H" and mode in ("100644", "100755") and _wanted(path):
                        found[path] = sha
            return found
        out = self._git("ls-tree", "-r", "-z", "--full-tree", commit, "--",
                        literal(under.strip("/")))
        for entry in out.split("\0"):
            if entry.endswith("/" + MANIFEST_NAME) or entry.endswith("\t" + MANIFEST_NAME):
                meta, path = entry.split("\t", 1)
                _mode, kind, sha = meta.split(" ")
                if kind == "blob" and _wanted(path):
                    found[path] = sha
        return found

    def existing(self, commit: str, paths: Iterable[str]) -> set[str]:
        """Which of ``paths`` are files in a commit (one ``ls-tree``)."""
        specs = [literal(p) for p in dict.fromkeys(paths)]
        if not specs:
            return set()
        out = self._git("ls-tree", "-z", "--full-tree", "--name-only", commit, "--", *specs)
        return {p for p in out.split("\0") if p}

    def tree_ids(self, commit: str, under: str) -> dict[str, str]:
        """Every directory below ``under`` in a commit, with its tree id (one call)."""
        out = self._git("ls-tree", "-r", "-d", "-z", "--full-tree", commit, "--",
                        literal(under))
        found: dict[str, str] = {}
        for entry in out.split("\0"):
            if entry:
                meta, path = entry.split("\t", 1)
                found[path] = meta.split(" ")[2]
        return found

    # ------------------------------------------------------------------------- blobs

    def _batch_process(self) -> subprocess.Popen[bytes]:
        if self._batch is None or self._batch.poll() is not None:
            try:
                self._batch = subprocess.Popen(
                    ["git", "cat-file", "--batch"], cwd=self.root, stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_environment())
            except OSError as exc:
                raise GitError(f"cannot run git: {exc}") from exc
        return self._batch

    def read_blob(self, sha: str) -> bytes:
        """A blob's bytes through the persistent ``cat-file --batch`` process."""
        return self.read_blobs([sha])[sha]

    def pin(self, shas: Iterable[str]) -> None:
        """Read many blobs now, in one request, and keep them until :meth:`unpin`: for
        work that will ask for them a few at a time (each request costs a round trip)."""
        self._pinned.update(self.read_blobs(shas))

    def unpin(self) -> None:
        """Forget the blobs read ahead."""
        self._pinned = {}

    def read_blobs(self, shas: Iterable[str]) -> dict[str, bytes]:
        """Many blobs in as few round trips as possible: every id is written, then every
        answer read (in slices that fit a pipe's buffer)."""
        found: dict[str, bytes] = {}
        wanted = []
        for sha in dict.fromkeys(shas):
            data = self._pinned.get(sha)
            if data is None:
                wanted.append(sha)
            else:
                found[sha] = data
        for start in range(0, len(wanted), _BATCH):
            chunk = wanted[start:start + _BATCH]
            process = self._batch_process()
            assert process.stdin is not None and process.stdout is not None
            try:
                process.stdin.write("".join(f"{sha}\n" for sha in chunk).encode("ascii"))
                process.stdin.flush()
                for sha in chunk:
                    found[sha] = _read_answer(process.stdout, sha)
            except (OSError, ValueError, UnicodeEncodeError) as exc:
                self.close()
                raise GitError(f"cannot read object {chunk[0]}: {exc}; {FETCH_ADVICE}") \
                    from exc
        return found

    def forget_processes(self) -> None:
        """In a forked child: leave the parent's cat-file process to the parent (only
        this process's copies of its pipes are closed; nothing is pending in them, every
        request is flushed and answered whole) and start one of its own when needed."""
        process, self._batch = self._batch, None
        if process is not None:
            for pipe in (process.stdin, process.stdout):
                if pipe is not None:
                    pipe.close()
        self._pinned = {}

    def close(self) -> None:
        """Stop the cat-file process (it also stops by itself when we exit)."""
        if self._batch is not None:
            for pipe in (self._batch.stdin, self._batch.stdout):
                if pipe is not None:
                    pipe.close()
            self._batch.wait()
            self._batch = None

    # ----------------------------------------------------------------------- history

    def first_parent_history(self, tip: str, under: str = "terms", *,
                             paths: Iterable[str] | None = None,
                             since: str | None = None,
                             manifests_only: bool = False) -> list[CommitRecord]:
        """Commits touching ``under`` on the first-parent line to ``tip``, oldest first.

        One ``git log`` for the whole history; merges are compared with their first parent.
        Renames are detected (``R`` changes with ``old_path``), so a document whose
        directory moves, or whose id changes as it moves, keeps its history. ``paths``
        narrows the log to those directories, ``since`` to the commits after that one,
        ``manifests_only`` to the ``document.yaml`` files.
        """
        if manifests_only:
            prefix = "" if under in ("", ".") else under.strip("/") + "/"
            specs = [f":(glob){_glob_escape(prefix)}**/{MANIFEST_NAME}"]
        elif paths is not None:
            specs = [literal(p) for p in paths]
            if not specs:
                return []
        else:
            specs = [literal(under.strip("/"))]
        revs = f"{since}..{tip}" if since is not None else tip
        out = self._git("log", "--first-parent", "--diff-merges=first-parent", "--raw", "-z",
                        "--find-renames", "--no-abbrev", f"--format={_LOG_FORMAT}", revs,
                        "--", *specs)
        records = list(_parse_log(out))
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

    def changed_files(self, old: str, new: str, under: str) -> list[FileChange]:
        """The files that differ between two resolved commits below ``under`` (one call)."""
        out = self._git("diff", "--raw", "-z", "--find-renames", "--no-abbrev", old, new,
                        "--", literal(under.strip("/")))
        return _parse_changes(out.split("\0"))

    # ------------------------------------------------------------------ working tree

    def worktree(self, dirs: Iterable[str], changed: Iterable[str] | None = None
                 ) -> Snapshot:
        """The files below ``dirs`` as they are on disk, keyed by blob id: clean files by
        the index's id (their bytes read from git, shared with history), changed and new
        ones read from disk and hashed. ``changed`` is what :meth:`worktree_changes` said
        (asked here when not given). Two git calls, whatever the size of the tree."""
        specs = [literal(d.strip("/")) for d in dirs]
        if not specs:
            return Snapshot("working tree", {}, self.read_blob, blob_ids=True,
                            prefetch=self.read_blobs)
        index: dict[str, str] = {}
        dirty: set[str] = set()
        out = self._git("ls-files", "-s", "-t", "-z", "--", *specs)
        for entry in out.split("\0"):
            if not entry:
                continue
            meta, path = entry.split("\t", 1)
            tag, mode, sha, _stage = meta.split(" ")
            if tag == "H" and mode in ("100644", "100755"):
                index[path] = sha
            elif tag == "H" and mode == "120000":
                dirty.add(path)  # a symbolic link: its target is read from disk
        dirty.update(self._status(specs) if changed is None else changed)
        files: dict[str, str] = {}
        contents: dict[str, bytes] = {}
        refused: dict[str, str] = {}
        inside = [d.strip("/") for d in dirs]
        for path in sorted({*index, *dirty}):
            if not _wanted(path) or not any(_below(path, d) for d in inside):
                continue
            if path in index and path not in dirty:
                files[path] = index[path]
                continue
            full = self.root / path
            if not full.is_file():  # deleted, or a directory git lists for a new repository
                continue
            why = link_refusal(self.root, full)
            if why is not None:  # listed, so that reading it says why
                files[path] = refused_key = f"refused:{path}"
                refused[refused_key] = why
                continue
            try:
                data = full.read_bytes()
            except OSError as exc:
                files[path] = refused_key = f"refused:{path}"
                refused[refused_key] = f"cannot be read: {exc.strerror or exc}"
                continue
            sha = blob_id(data)
            contents[sha] = data
            files[path] = sha

        def read(key: str) -> bytes:
            if key in refused:
                raise UnreadableInput(refused[key], file=key.removeprefix("refused:"))
            data = contents.get(key)
            return data if data is not None else self.read_blob(key)

        def prefetch(keys: Iterable[str]) -> dict[str, bytes]:
            keys = [k for k in keys if k not in refused]  # read (and refused) one by one
            found = {k: contents[k] for k in keys if k in contents}
            found.update(self.read_blobs(k for k in keys if k not in contents))
            return found

        return Snapshot("working tree", files, read, blob_ids=True, prefetch=prefetch,
                        changed=frozenset(p for p in files if p in dirty))

    _STATUS = ("status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored",
               "--no-renames", "--")

    def _status(self, specs: list[str]) -> dict[str, str]:
        return _status_entries(self._git(*self._STATUS, *specs))

    def worktree_changes(self, under: str) -> dict[str, str]:
        """Paths below ``under`` whose file on disk differs from the index or HEAD, or is
        new or gone, with git's two-letter status (``??`` untracked, ``!!`` ignored):
        one ``git status``."""
        return self._status([literal(under.strip("/"))])

    def worktree_changes_started(self, under: str) -> Callable[[], dict[str, str]]:
        """:meth:`worktree_changes`, its ``git status`` started now and waited for when
        the function returned is called: git looks at the working tree meanwhile."""
        finish = self._started(*self._STATUS, literal(under.strip("/")))
        return lambda: _status_entries(finish())

    def manifest_changes(self, under: str) -> dict[str, str]:
        """:meth:`worktree_changes` of the ``document.yaml`` files below ``under`` only."""
        prefix = "" if under in ("", ".") else _glob_escape(under.strip("/")) + "/"
        return self._status([f":(glob){prefix}**/{MANIFEST_NAME}"])

    def is_dirty(self, path: Path, *, untracked: bool = True) -> bool:
        """True when ``path`` has uncommitted changes (or, with ``untracked``, new files)."""
        rel = os.path.relpath(path.resolve(), self.root.resolve())
        if rel.startswith(".."):
            return False
        mode = "--untracked-files=all" if untracked else "--untracked-files=no"
        out = self._git("status", "--porcelain", "-z", mode, "--", literal(rel))
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

    def git_dirs(self) -> tuple[Path, ...]:
        """This clone's git directory and the common one (they differ in a linked
        worktree): no file of ours is ever written inside them."""
        return tuple(sorted({self.git_dir, self.common_dir.resolve()}))

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


def _wanted(path: str) -> bool:
    """Clause files and manifests outside hidden directories (what the loader reads)."""
    name = path.rsplit("/", 1)[-1]
    if not (name.endswith(".md") or name == MANIFEST_NAME):
        return False
    return not any(part.startswith(".") for part in path.split("/"))


def _below(path: str, directory: str) -> bool:
    return directory in ("", ".") or path.startswith(directory + "/") or path == directory


def _glob_escape(path: str) -> str:
    return "".join(f"\\{c}" if c in "*?[]\\" else c for c in path)


def _read_answer(stream: IO[bytes], sha: str) -> bytes:
    header = stream.readline()
    parts = header.split()
    if len(parts) != 3 or parts[1] != b"blob":
        raise ValueError(f"not a blob in this repository ({header.decode(errors='replace')!r})")
    size = int(parts[2])
    data = stream.read(size)
    stream.read(1)  # the newline after the content
    if len(data) != size:
        raise ValueError("the answer of git cat-file was cut short")
    return data


def _status_entries(out: str) -> dict[str, str]:
    """Path -> two-letter code, from ``git status --porcelain=v1 -z --no-renames``."""
    return {entry[3:]: entry[:2] for entry in out.split("\0") if len(entry) > 3}


def _parse_changes(tokens: list[str], start: int = 0) -> list[FileChange]:
    changes: list[FileChange] = []
    index = start
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
    return changes


def _parse_log(out: str) -> Iterator[CommitRecord]:
    for chunk in out.split("\x1e"):
        if not chunk.strip("\0\n"):
            continue
        sha, parents, authored, committed, subject, trailers, rest = chunk.split("\x1f", 6)
        changes = _parse_changes(rest.lstrip("\n").split("\0"))
        yield CommitRecord(sha, tuple(parents.split()), dt.datetime.fromisoformat(authored),
                           dt.datetime.fromisoformat(committed), subject, tuple(changes),
                           trailers.strip("\n"))
