"""Releases and clause changes of a document, read from its git history.

The releases of a document are the history of its ``document.yaml``: each commit where
``version`` takes a new value starts a release, and the release's text is the document
at the last commit that still carries that version. History follows clause ids, not
paths, so renaming or moving a clause file keeps its history. Only the blobs a commit
changes are parsed, and each blob once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from termstool.compare.change_class import ChangeClass, classify, languages_changed
from termstool.format.clause_file import ClauseFile, parse_clause_file
from termstool.format.document_yaml import MANIFEST_NAME, parse_manifest
from termstool.model.commits import CommitRecord
from termstool.model.document import Clause, Manifest
from termstool.model.problems import Problem, Severity
from termstool.model.snapshot import Snapshot

WORKING = ""  # the commit id of the working tree (uncommitted changes)


@dataclass(frozen=True, slots=True)
class ChangeCount:
    """How many clauses a release added, removed and modified against the one before."""

    added: int = 0
    removed: int = 0
    modified: int = 0


@dataclass(frozen=True, slots=True)
class ClauseChange:
    """One clause changed by one commit (or by the working tree)."""

    clause: str
    kind: str  # added, removed, modified
    change: ChangeClass
    commit: str  # WORKING for the working tree
    when: dt.datetime | None  # committer date; None for the working tree
    file: str
    version: str | None  # the version document.yaml carried after this commit
    languages: tuple[str, ...] = ()  # languages whose text changed
    lines: tuple[tuple[str, int], ...] = ()  # language -> line of its block, in ``file``

    def line(self, lang: str) -> int:
        """The line of a language block in the file, for messages (1 when unknown)."""
        return next((n for key, n in self.lines if key == lang), 1)


@dataclass(frozen=True, slots=True)
class Step:
    """A commit that touched the document, and what it did."""

    commit: str
    when: dt.datetime | None
    subject: str
    version: str | None
    starts_release: bool
    changes: tuple[ClauseChange, ...]


@dataclass(frozen=True, slots=True)
class Release:
    """A version of a document: its dates and the commits that record it."""

    version: str
    announced: dt.date
    effective: dt.date
    notice_days: int
    exception: str | None
    record: str  # the commit that first carries this version (WORKING for a draft)
    commit: str  # the last commit that carries it (WORKING for a draft)
    changed: ChangeCount = ChangeCount()

    @property
    def draft(self) -> bool:
        """True for a release that exists only in the working tree."""
        return self.record == WORKING


@dataclass(frozen=True, slots=True)
class DocumentHistory:
    """Everything git knows about one document."""

    path: str
    manifest: Manifest  # the newest readable manifest (working tree first)
    releases: tuple[Release, ...]
    steps: tuple[Step, ...]
    problems: tuple[Problem, ...]
    translation_pending: frozenset[str] = frozenset()  # ids marked so in the newest text

    @property
    def id(self) -> str:
        """The document id."""
        return self.manifest.id

    def local_date(self, when: dt.datetime) -> dt.date:
        """The calendar date of a moment in the document's timezone."""
        return when.astimezone(ZoneInfo(self.manifest.timezone)).date()

    def release(self, version: str) -> Release | None:
        """The release with this label, if any."""
        return next((r for r in self.releases if r.version == version), None)

    def in_effect(self, day: dt.date) -> Release | None:
        """The committed release in effect on ``day`` (latest effective date not after it)."""
        candidates = [r for r in self.releases if r.effective <= day and not r.draft]
        return max(candidates, key=lambda r: r.effective) if candidates else None

    def status(self, release: Release, today: dt.date) -> str:
        """in-effect, superseded, pending (announced, not yet effective) or draft."""
        if release.draft:
            return "draft"
        if release.effective > today:
            return "pending"
        current = self.in_effect(today)
        return "in-effect" if current is not None and current.version == release.version \
            else "superseded"


def known_versions(histories: Iterable[DocumentHistory]) -> tuple[str, ...]:
    """Every version label recorded in these histories, once each, oldest first, for
    messages that list what a reader may ask for."""
    return tuple(dict.fromkeys(r.version for h in histories for r in h.releases))


def _as_clause(data: ClauseFile, path: str) -> Clause:
    return Clause(id=data.id or "", file=path, number="", title=data.title, body=data.body,
                  numbered=data.numbered, translation_pending=data.translation_pending)


def git_blob_id(data: bytes) -> str:
    """The id git gives a blob with this content, to compare working files with commits."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


class _Walker:
    """Accumulates the state of one document directory commit by commit."""

    def __init__(self, doc_dir: str, read: Callable[[str], bytes]) -> None:
        self.doc_dir = doc_dir
        self.manifest_path = posixpath.join(doc_dir, MANIFEST_NAME)
        self.read = read
        self.files: dict[str, str] = {}  # path -> blob id
        self.clauses: dict[str, tuple[str, ClauseFile]] = {}  # id -> (path, parsed)
        self.manifest: Manifest | None = None
        self.problems: list[Problem] = []
        self.releases: list[Release] = []
        self.states: list[dict[str, Clause]] = []
        self.steps: list[Step] = []

    def parse(self, path: str, blob: str) -> ClauseFile:
        return parse_clause_file(path, self.read(blob))

    def apply(self, key: str, when: dt.datetime | None, subject: str,
              changes: Iterable[tuple[str, str, str]]) -> None:
        """Apply (path, old key, new key) changes made by one commit or the working tree."""
        old_by_id: dict[str, tuple[str, ClauseFile]] = {}
        new_by_id: dict[str, tuple[str, ClauseFile]] = {}
        manifest_changed = False
        for path, old, new in changes:
            if path == self.manifest_path:
                manifest_changed = True
                self._read_manifest(path, new, key)
                continue
            if not path.endswith(".md"):
                continue
            if old:
                parsed = self.parse(path, old)
                if parsed.id:
                    old_by_id[parsed.id] = (path, parsed)
            if new:
                self.files[path] = new
                parsed = self.parse(path, new)
                if parsed.id:
                    new_by_id[parsed.id] = (path, parsed)
            else:
                self.files.pop(path, None)
        version = self.manifest.version if self.manifest else None
        starts = False
        if manifest_changed and self.manifest is not None:
            current = self.releases[-1] if self.releases else None
            if current is None or current.version != self.manifest.version:
                if current is not None:
                    self.states.append(self._state())
                starts = True
                self.releases.append(self._release(key))
        clause_changes: list[ClauseChange] = []
        langs = self.manifest.languages if self.manifest else ("zh", "en")
        auth = self.manifest.authoritative if self.manifest else langs[0]
        for cid in {**old_by_id, **new_by_id}:
            old_entry = old_by_id.get(cid)
            new_entry = new_by_id.get(cid)
            if old_entry is None and cid in self.clauses and new_entry is not None \
                    and self.clauses[cid][0] != new_entry[0]:
                old_entry = self.clauses[cid]  # copied or moved without deleting: same id
            old_clause = _as_clause(old_entry[1], old_entry[0]) if old_entry else None
            new_clause = _as_clause(new_entry[1], new_entry[0]) if new_entry else None
            change = classify(old_clause, new_clause, auth, langs)
            if new_entry is not None:
                self.clauses[cid] = new_entry
            elif old_entry is not None and self.clauses.get(cid, ("",))[0] == old_entry[0]:
                del self.clauses[cid]
            if change is None:
                continue
            kind = "added" if old_clause is None else "removed" if new_clause is None \
                else "modified"
            entry = new_entry or old_entry
            assert entry is not None
            clause_changes.append(ClauseChange(
                cid, kind, change, key, when, entry[0], version,
                languages_changed(old_clause, new_clause, langs), entry[1].body_lines))
        if self.releases and not starts and self.manifest is not None:
            last = self.releases[-1]
            if last.version == self.manifest.version:
                # uncommitted edits are a draft on top: the release's text stays committed
                self.releases[-1] = replace(
                    last, commit=key if key != WORKING else last.commit,
                    announced=self.manifest.announced,
                    effective=self.manifest.effective, exception=self.manifest.exception,
                    notice_days=self.manifest.notice_days)
        self.steps.append(Step(key, when, subject, version, starts, tuple(clause_changes)))

    def _read_manifest(self, path: str, blob: str, key: str) -> None:
        if not blob:
            self.manifest = None
            return
        manifest, problems = parse_manifest(path, self.read(blob))
        if manifest is None:
            where = "the working tree" if key == WORKING else f"commit {key[:12]}"
            for problem in problems[:1]:
                self.problems.append(replace(
                    problem, rule="history", severity=Severity.WARNING, commit=key or None,
                    message=f"document.yaml in {where} cannot be read ({problem.message}); "
                    "that commit's release data is skipped, the rest is still checked"))
            return
        self.manifest = manifest

    def _release(self, key: str) -> Release:
        m = self.manifest
        assert m is not None
        return Release(m.version, m.announced, m.effective, m.notice_days, m.exception,
                       key, key)

    def _state(self) -> dict[str, Clause]:
        return {cid: _as_clause(data, path) for cid, (path, data) in self.clauses.items()}

    def finish(self) -> tuple[list[Release], list[dict[str, Clause]]]:
        states = [*self.states, self._state()] if self.releases else []
        return self.releases, states


def build_history(doc_dir: str, commits: Iterable[CommitRecord], read: Callable[[str], bytes],
                  working: Snapshot | None = None) -> DocumentHistory | None:
    """The history of the document in ``doc_dir``; None when it never had a manifest."""
    walker = _Walker(doc_dir, read)
    prefix = doc_dir + "/"
    for commit in commits:
        changes = [(c.path, c.old_blob, c.new_blob) for c in commit.changes
                   if c.path.startswith(prefix)]
        if changes:
            walker.apply(commit.sha, commit.committed, commit.subject, changes)
    if working is not None:
        _apply_working(walker, working, prefix)
    releases, states = walker.finish()
    if walker.manifest is None or not releases:
        return None
    counted = []
    auth, langs = walker.manifest.authoritative, walker.manifest.languages
    for index, release in enumerate(releases):
        before = states[index - 1] if index else {}
        after = states[index]
        added = sum(1 for cid in after if cid not in before)
        removed = sum(1 for cid in before if cid not in after)
        modified = sum(1 for cid in after if cid in before
                       and classify(before[cid], after[cid], auth, langs) is not None)
        counted.append(replace(release, changed=ChangeCount(added, removed, modified)))
    pending = frozenset(cid for cid, (_path, data) in walker.clauses.items()
                        if data.translation_pending)
    return DocumentHistory(doc_dir, walker.manifest, tuple(counted), tuple(walker.steps),
                           tuple(walker.problems), pending)


def _apply_working(walker: _Walker, working: Snapshot, prefix: str) -> None:
    """Uncommitted changes form a draft step on top of the last commit."""
    committed = dict(walker.files)
    manifest_blob = None
    changes: list[tuple[str, str, str]] = []
    contents: dict[str, bytes] = {}
    present = {p for p in working.files if p.startswith(prefix)}
    for path in sorted(present):
        data = working.content(path)
        blob = git_blob_id(data)
        contents[blob] = data
        if path == walker.manifest_path:
            manifest_blob = blob
            continue
        if committed.get(path) != blob:
            changes.append((path, committed.get(path, ""), blob))
    for path, blob in committed.items():
        if path not in present:
            changes.append((path, blob, ""))
    if manifest_blob is not None and (walker.manifest is None or
                                      _manifest_differs(walker, manifest_blob, contents)):
        changes.append((walker.manifest_path, "", manifest_blob))
    if not changes:
        return
    read = walker.read

    def read_both(key: str) -> bytes:
        return contents[key] if key in contents else read(key)

    walker.read = read_both
    walker.apply(WORKING, None, "uncommitted changes", changes)


def _manifest_differs(walker: _Walker, blob: str, contents: dict[str, bytes]) -> bool:
    manifest, _ = parse_manifest(walker.manifest_path, contents[blob])
    return manifest is not None and manifest != walker.manifest


def today_for(history: DocumentHistory, now: dt.datetime, fixed: dt.date | None) -> dt.date:
    """``--today`` if given, else today's date in the document's timezone."""
    if fixed is not None:
        return fixed
    return now.astimezone(ZoneInfo(history.manifest.timezone)).date()
