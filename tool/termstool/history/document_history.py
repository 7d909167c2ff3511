"""Releases and clause changes of each document, read from git history in one pass.

A document is followed by identity, never by path. Its history goes on when its directory
is renamed or moved (found again by the document's ``id``, or by git's rename detection of
``document.yaml``), and when ``document.yaml`` is missing, renamed or unreadable for a
while: a missing manifest never resets a history. During such a gap the clause files left
in the document's directory are still its clauses and every change to them is recorded
against the last release; when the whole document vanishes and comes back, the first
commit after the gap is compared with the last state before it.

The releases of a document are the history of its ``document.yaml``: each commit where
``version`` takes a new value starts a release, and the release's text is the document at
the last commit that still carries that version. Each step records the rule settings in
force *before* it (notice days, authoritative language, languages, timezone, waivers), so
a commit is never judged by settings it brings itself, and each clause change records
which languages changed and how (substantive or editorial), so the rules can judge it
under any authoritative language. Clause history follows ids, not paths; only the blobs a
commit changes are parsed, and each blob once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from zoneinfo import ZoneInfo

from termstool.compare.change_class import ChangeClass, classify, clause_text, editorial_form
from termstool.format.clause_file import ClauseFile
from termstool.format.document_yaml import MANIFEST_NAME
from termstool.format.parse_cache import ParseCache
from termstool.history.declarations import (
    Correction,
    corrections,
    parse_trailers,
    translation_checked,
)
from termstool.model.commits import CommitRecord, FileChange, is_manifest_name, parent_dir
from termstool.model.document import Clause, Manifest, RuleSettings
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
    change: ChangeClass  # the class under the settings in force before the commit
    commit: str  # WORKING for the working tree
    when: dt.datetime | None  # committer date; None for the working tree
    file: str
    version: str | None  # the version document.yaml carried after this commit
    languages: tuple[str, ...] = ()  # languages whose text changed
    lines: tuple[tuple[str, int], ...] = ()  # language -> line of its block, in ``file``
    # every language whose text changed -> SUBSTANTIVE or EDITORIAL (for a modified clause)
    edits: tuple[tuple[str, ChangeClass], ...] = ()
    # what the commit's message declares about this change (history/declarations.py)
    correction: Correction | None = None  # a declared correction that matches the change
    refused: Correction | None = None  # a declared correction that does not match it
    translation_checked: bool = False

    def line(self, lang: str) -> int:
        """The line of a language block in the file, for messages (1 when unknown)."""
        return next((n for key, n in self.lines if key == lang), 1)

    def class_under(self, authoritative: str) -> ChangeClass:
        """The class of this change when ``authoritative`` is the language that binds.

        An added or removed clause is always substantive; a modified one takes the class of
        its authoritative text's change, and is a translation when only other texts changed.
        """
        if self.kind != "modified":
            return ChangeClass.SUBSTANTIVE
        return dict(self.edits).get(authoritative, ChangeClass.TRANSLATION)

    def __reduce__(self) -> tuple[type[ClauseChange], tuple[object, ...]]:
        # Rebuilt by its constructor: pickle's own way for a frozen dataclass with slots
        # looks its fields up again for every object, and a catalogue's histories hold
        # tens of thousands of changes (sent back by workers, kept in the cache).
        return (ClauseChange, tuple(getattr(self, name) for name in _CHANGE_FIELDS))


_CHANGE_FIELDS = tuple(f.name for f in fields(ClauseChange))


@dataclass(frozen=True, slots=True)
class IdReturn:
    """A clause id that a commit brings back after an earlier commit removed it."""

    clause: str
    removed_in: str  # the commit that removed the id
    before: Clause  # the clause as it was when it was removed
    after: Clause  # the clause that carries the id now


@dataclass(frozen=True, slots=True)
class Step:
    """A commit that touched the document, and what it did."""

    commit: str
    when: dt.datetime | None
    subject: str
    version: str | None
    starts_release: bool
    changes: tuple[ClauseChange, ...]
    settings: RuleSettings | None = None  # in force before this commit; None before the first
    manifest: Manifest | None = None  # the last readable document.yaml after this commit
    present: bool = True  # document.yaml exists after this commit
    path: str = ""  # the document's directory after this commit
    returns: tuple[IdReturn, ...] = ()

    @property
    def rules(self) -> RuleSettings | None:
        """The settings that judge this commit: those in force before it, else (for the
        commit that creates the document) its own."""
        if self.settings is not None:
            return self.settings
        return self.manifest.settings if self.manifest is not None else None


@dataclass(frozen=True, slots=True)
class Release:
    """A version of a document: its dates and the commits that record it."""

    version: str
    announced: dt.date
    effective: dt.date
    notice_days: int  # as recorded with this release: what it promises for later ones
    exception: str | None
    record: str  # the commit that first carries this version (WORKING for a draft)
    commit: str  # the last commit that carries it (WORKING for a draft)
    changed: ChangeCount = ChangeCount()
    path: str = ""  # the document's directory at ``commit``
    settings: RuleSettings | None = None  # the rule settings recorded with this release
    historical: bool = False  # entered from records after its announcement

    @property
    def draft(self) -> bool:
        """True for a release that exists only in the working tree."""
        return self.record == WORKING


@dataclass(frozen=True, slots=True)
class DocumentHistory:
    """Everything git knows about one document."""

    path: str  # its directory now (where it was last seen, for a removed document)
    manifest: Manifest  # the newest readable manifest (working tree first)
    releases: tuple[Release, ...]
    steps: tuple[Step, ...]
    problems: tuple[Problem, ...]
    translation_pending: frozenset[str] = frozenset()  # ids marked so in the newest text
    present: bool = True  # document.yaml exists now (False: removed or renamed away)
    paths: tuple[str, ...] = ()  # every directory it has lived in, oldest first

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

    def governing(self, release: Release) -> Release:
        """The release whose notice period ``release`` must give: the one in force on its
        announcement day, else the one before it, else (a first release) itself.

        So a release that raises ``notice_days`` is itself judged by the old period, and
        the new one applies to releases announced once it is in force.
        """
        index = self.releases.index(release)
        return _in_force(self.releases[:index], release.announced) or release

    def required_notice(self, release: Release) -> int:
        """The days of notice ``release`` must give (see :meth:`governing`)."""
        return self.governing(release).notice_days

    def notice_for(self, announced: dt.date, *, without: str | None = None) -> int | None:
        """The days of notice a new release announced on that day must give, by the
        committed releases other than version ``without`` (None before the first)."""
        found = _in_force([r for r in self.releases if not r.draft and r.version != without],
                          announced)
        return found.notice_days if found is not None else None

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


def _in_force(earlier: Sequence[Release], day: dt.date) -> Release | None:
    """Of ``earlier`` releases, the one in force on ``day``, else the last one."""
    in_force = [r for r in earlier if r.effective <= day]
    if in_force:
        return max(in_force, key=lambda r: r.effective)
    return earlier[-1] if earlier else None


def git_blob_id(data: bytes) -> str:
    """The id git gives a blob with this content, to compare working files with commits."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _relevant(path: str) -> bool:
    """Files the history reads: clause files and manifests, outside hidden directories
    (as the working tree is read)."""
    if not (path.endswith(".md") or is_manifest_name(path)):
        return False
    return not path.startswith(".") and "/." not in path  # no part of it is hidden


def _full_text(clause: ClauseFile, lang: str) -> str:
    """A clause file's title and body in one language, as a correction reads them."""
    return f"{clause.title.get(lang)}\n{clause.body.get(lang)}"


def _edits(old: ClauseFile, new: ClauseFile) -> tuple[tuple[str, ChangeClass], ...]:
    """Every language whose text (title and body) differs, and how much it changed."""
    langs = dict.fromkeys((*old.title.languages, *old.body.languages,
                           *new.title.languages, *new.body.languages))
    old_view, new_view = _as_clause(old, ""), _as_clause(new, "")
    out = []
    for lang in langs:
        before, after = clause_text(old_view, lang), clause_text(new_view, lang)
        if before == after:
            continue
        same = editorial_form(before) == editorial_form(after)
        out.append((lang, ChangeClass.EDITORIAL if same else ChangeClass.SUBSTANTIVE))
    return tuple(out)


@dataclass(slots=True, eq=False)
class _Lineage:
    """One document followed through history, wherever its files are."""

    dir: str
    manifest: Manifest | None = None  # the last readable manifest
    present: bool = True  # its document.yaml exists now
    bound: bool = True  # it owns ``dir`` (False once it vanished entirely)
    paths: dict[str, ClauseFile] = field(default_factory=dict)  # clause files it holds
    holders: dict[str, set[str]] = field(default_factory=dict)  # id -> paths holding it
    clauses: dict[str, tuple[str, ClauseFile]] = field(default_factory=dict)  # id -> text
    removed: dict[str, tuple[str, Clause]] = field(default_factory=dict)  # id -> (commit, last)
    releases: list[Release] = field(default_factory=list)
    # the text at each release end: id -> (path, parsed file)
    states: list[dict[str, tuple[str, ClauseFile]]] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dirs: list[str] = field(default_factory=list)
    created: tuple[int, str] = (0, "")  # (position of the commit, directory): the order

    def state(self) -> dict[str, tuple[str, ClauseFile]]:
        return dict(self.clauses)


class _Walk:
    """Follows every document through the commits, one commit at a time."""

    def __init__(self, read: Callable[[str], bytes], *, cache: ParseCache | None = None,
                 read_many: Callable[[Iterable[str]], Mapping[str, bytes]] | None = None,
                 position: Callable[[str], int] | None = None) -> None:
        self.read = read
        self.read_many = read_many
        self.cache = cache if cache is not None else ParseCache()
        self.position = position or (lambda _commit: 0)
        self.files: dict[str, str] = {}  # path -> blob id, every relevant file
        self.lineages: list[_Lineage] = []
        self.owner: dict[str, _Lineage] = {}  # directory -> the document it belongs to
        self.held_by: dict[str, _Lineage] = {}  # clause path -> the document holding it
        self.trailers: tuple[tuple[str, str], ...] = ()  # of the commit being applied
        self.key = ""  # the commit being applied
        self.lookups: list[int] = []  # positions of commits that looked beyond a directory
        self._fetched: Mapping[str, bytes] = {}

    def _read(self, blob: str) -> bytes:
        data = self._fetched.get(blob)
        return data if data is not None else self.read(blob)

    def _fetch(self, paths: Iterable[str]) -> None:
        """Read every blob of ``paths`` not parsed yet in one request to git."""
        if self.read_many is None:
            return
        blobs = self.cache.missing(self.files[p] for p in paths if p in self.files)
        if blobs:
            self._fetched = self.read_many(blobs)

    # -------------------------------------------------------------------- ownership

    def owner_of(self, path: str) -> _Lineage | None:
        """The innermost document whose directory contains ``path``."""
        directory = parent_dir(path)
        while True:
            lineage = self.owner.get(directory)
            if lineage is not None:
                return lineage
            if not directory:
                return None
            directory = parent_dir(directory)

    def _bind(self, lineage: _Lineage, directory: str, moved: set[str]) -> _Lineage:
        if lineage.bound and self.owner.get(lineage.dir) is lineage:
            del self.owner[lineage.dir]
            moved.add(lineage.dir)
        self.owner[directory] = lineage
        lineage.bound = True
        if not lineage.dirs or lineage.dirs[-1] != directory:
            lineage.dirs.append(directory)
        lineage.dir = directory
        moved.add(directory)
        return lineage

    def _resolve(self, path: str, manifest: Manifest | None, renamed_from: str | None,
                 moved: set[str]) -> _Lineage:
        """The document a manifest written at ``path`` belongs to.

        The same place first (a manifest edited, or restored where it was); then the
        document whose manifest git saw renamed to here; then a missing document with the
        same id (a move, or a return after a gap); else a new document.
        """
        directory = parent_dir(path)
        here = self.owner.get(directory)
        if here is None or (here.manifest is None and manifest is not None):
            # The answer may depend on documents elsewhere (one missing, one renamed):
            # a reader of one document at a time must know it looked here.
            self.lookups.append(self.position(self.key))
        if here is not None and here.manifest is None and manifest is not None:
            # never readable here: a missing document with this id takes its place back
            missing = self._missing(manifest.id)
            if missing is not None:
                self._drop(here)
                return self._bind(missing, directory, moved)
        if here is not None:
            return here
        if renamed_from and posixpath.basename(renamed_from) == MANIFEST_NAME:
            source = self.owner.get(parent_dir(renamed_from))
            if source is not None and not source.present:
                return self._bind(source, directory, moved)
        if manifest is not None:
            missing = self._missing(manifest.id)
            if missing is not None:
                return self._bind(missing, directory, moved)
        lineage = _Lineage(directory, created=(self.position(self.key), directory))
        self.lineages.append(lineage)
        return self._bind(lineage, directory, moved)

    def _missing(self, doc_id: str) -> _Lineage | None:
        return next((lineage for lineage in self.lineages if not lineage.present
                     and lineage.manifest is not None and lineage.manifest.id == doc_id), None)

    def _drop(self, lineage: _Lineage) -> None:
        for path in lineage.paths:
            self.held_by.pop(path, None)
        if self.owner.get(lineage.dir) is lineage:
            del self.owner[lineage.dir]
        self.lineages.remove(lineage)

    # ----------------------------------------------------------------------- commits

    def apply(self, key: str, when: dt.datetime | None, subject: str,
              changes: Iterable[FileChange], trailers: str = "") -> None:
        """Apply the file changes of one commit (or of the working tree)."""
        self.trailers = parse_trailers(trailers)
        updates: dict[str, str] = {}
        renamed_from: dict[str, str] = {}
        for change in changes:
            if change.old_path:
                updates.setdefault(change.old_path, "")
                renamed_from[change.path] = change.old_path
            updates[change.path] = change.new_blob
        touched = set()
        for path, blob in updates.items():
            if not _relevant(path) or self.files.get(path, "") == blob:
                continue
            touched.add(path)
            if blob:
                self.files[path] = blob
            else:
                self.files.pop(path, None)
        if not touched:
            return
        self.key = key
        try:
            self._apply(key, when, subject, touched, renamed_from)
        finally:
            self._fetched = {}

    def _apply(self, key: str, when: dt.datetime | None, subject: str, touched: set[str],
               renamed_from: dict[str, str]) -> None:
        active: dict[_Lineage, None] = {}  # the documents this commit touches, in order
        readable: dict[_Lineage, Manifest] = {}
        moved: set[str] = set()
        manifests = sorted(p for p in touched if is_manifest_name(p))
        self._fetch(manifests)
        for path in manifests:  # removals first, so a move finds its document missing
            lineage = self.owner.get(parent_dir(path))
            if path not in self.files and lineage is not None:
                lineage.present = False
                active[lineage] = None
        for path in manifests:
            if path not in self.files:
                continue
            manifest = self._read_manifest(path, key)
            lineage = self._resolve(path, manifest[0], renamed_from.get(path), moved)
            lineage.present = True
            lineage.problems += manifest[1]
            if manifest[0] is not None:
                readable[lineage] = manifest[0]
            active[lineage] = None
        paths = {p for p in touched if p.endswith(".md")}
        for directory in moved:  # ownership changed: every file below is looked at again
            prefix = directory + "/" if directory else ""
            paths.update(p for p in self.files if p.startswith(prefix) and p.endswith(".md"))
            paths.update(p for p in self.held_by if p.startswith(prefix))
        per_document: dict[_Lineage, set[str]] = {}
        self._fetch(paths)
        for path in sorted(paths):
            for lineage in (self.held_by.get(path),
                            self.owner_of(path) if path in self.files else None):
                if lineage is not None:
                    per_document.setdefault(lineage, set()).add(path)
                    active[lineage] = None
        for lineage in active:
            if lineage not in self.lineages:
                continue  # dropped: a missing document took its directory back
            self._step(lineage, key, when, subject, per_document.get(lineage, set()),
                       readable.get(lineage), rebuilt=lineage.dir in moved)

    def _read_manifest(self, path: str, key: str) -> tuple[Manifest | None, list[Problem]]:
        manifest, problems = self.cache.manifest_at(self.files[path], path, self._read)
        errors = [p for p in problems if p.severity is Severity.ERROR]
        if manifest is not None and not errors:
            return manifest, []
        where = "the working tree" if key == WORKING else f"commit {key[:12]}"
        first = (errors or problems)[:1]
        detail = first[0].message if first else "it cannot be parsed"
        # A manifest with errors is not trusted either: its fallbacks (the first language
        # for an unknown authoritative one, UTC for an unknown timezone) would judge changes.
        return None, [Problem(
            "history", f"document.yaml in {where} cannot be read ({detail}); that commit's "
            "release data and settings are skipped, the rest is still checked",
            Severity.WARNING, file=path, line=first[0].line if first else 1,
            commit=key or None)]

    def _step(self, lineage: _Lineage, key: str, when: dt.datetime | None, subject: str,
              paths: set[str], manifest: Manifest | None, *, rebuilt: bool) -> None:
        settings = lineage.manifest.settings if lineage.manifest is not None else None
        ids = set(lineage.clauses) if rebuilt else set()
        for path in paths:
            old = lineage.paths.pop(path, None)
            if old is not None and old.id:
                lineage.holders[old.id].discard(path)
                ids.add(old.id)
            if self.held_by.get(path) is lineage:
                del self.held_by[path]
            if path in self.files and self.owner_of(path) is lineage:
                parsed = self.cache.clause(self.files[path], self._read)
                if parsed.id:
                    lineage.paths[path] = parsed
                    lineage.holders.setdefault(parsed.id, set()).add(path)
                    self.held_by[path] = lineage
                    ids.add(parsed.id)
        starts = False
        if manifest is not None:
            current = lineage.releases[-1] if lineage.releases else None
            if current is None or current.version != manifest.version:
                if current is not None:
                    lineage.states.append(lineage.state())
                starts = True
                lineage.releases.append(Release(
                    manifest.version, manifest.announced, manifest.effective,
                    manifest.notice_days, manifest.exception, key, key, path=lineage.dir,
                    settings=manifest.settings, historical=manifest.historical))
            lineage.manifest = manifest
        gone = not lineage.present and not lineage.paths
        if gone and lineage.bound:
            # The whole document vanished: a gap, not the removal of every clause. Its text
            # stays as it was, and is compared with what comes back.
            if self.owner.get(lineage.dir) is lineage:
                del self.owner[lineage.dir]
            lineage.bound = False
        judge = settings or (lineage.manifest.settings if lineage.manifest else None)
        version = lineage.manifest.version if lineage.manifest is not None else None
        clause_changes: list[ClauseChange] = []
        returns: list[IdReturn] = []
        for cid in sorted(ids) if not gone else ():
            change = self._compare(lineage, cid, key, when, version, judge, returns)
            if change is not None:
                clause_changes.append(change)
        if lineage.releases and not starts and lineage.manifest is not None and lineage.present:
            last = lineage.releases[-1]
            if last.version == lineage.manifest.version:
                # uncommitted edits are a draft on top: the release's text stays committed
                m = lineage.manifest
                lineage.releases[-1] = replace(
                    last, commit=key if key != WORKING else last.commit,
                    path=lineage.dir if key != WORKING else last.path,
                    announced=m.announced, effective=m.effective, exception=m.exception,
                    historical=m.historical)
        lineage.steps.append(Step(key, when, subject, version, starts, tuple(clause_changes),
                                  settings, lineage.manifest, lineage.present, lineage.dir,
                                  tuple(returns)))

    def _compare(self, lineage: _Lineage, cid: str, key: str, when: dt.datetime | None,
                 version: str | None, judge: RuleSettings | None,
                 returns: list[IdReturn]) -> ClauseChange | None:
        """The change of one clause id in this commit (None when its text is the same)."""
        old = lineage.clauses.get(cid)
        holders = lineage.holders.get(cid)
        new = None
        if holders:
            path = min(holders)  # two files with one id: the first one, as sorted
            new = (path, lineage.paths[path])
        if new is not None:
            lineage.clauses[cid] = new
        else:
            lineage.clauses.pop(cid, None)
        if old is None and new is None:
            return None
        if old is not None and new is not None:
            # one parse per content: the same object is the same text
            edits = _edits(old[1], new[1]) if old[1] is not new[1] else ()
            if not edits:
                return None
            kind = "modified"
        elif new is not None:
            kind, edits = "added", ()
            gone = lineage.removed.pop(cid, None)
            if gone is not None:
                returns.append(IdReturn(cid, gone[0], gone[1], _as_clause(new[1], new[0])))
        else:
            assert old is not None
            kind, edits = "removed", ()
            lineage.removed[cid] = (key, _as_clause(old[1], old[0]))
        entry = new or old
        assert entry is not None
        if not edits:
            texts = entry[1]
            edits = tuple((lang, ChangeClass.SUBSTANTIVE) for lang in dict.fromkeys(
                (*texts.title.languages, *texts.body.languages)))
        kind_class = ChangeClass.SUBSTANTIVE  # what ClauseChange.class_under says, inline
        if judge is not None and kind == "modified":
            kind_class = dict(edits).get(judge.authoritative, ChangeClass.TRANSLATION)
        change = ClauseChange(cid, kind, kind_class, key, when, entry[0], version,
                              tuple(lang for lang, _ in edits), entry[1].body_lines, edits)
        return self._declared(change, old, new, edits)

    def _declared(self, change: ClauseChange, old: tuple[str, ClauseFile] | None,
                  new: tuple[str, ClauseFile] | None,
                  edits: tuple[tuple[str, ChangeClass], ...]) -> ClauseChange:
        """What the commit's trailers declare about this change: a correction counts only
        when every changed language is exactly the declared replacement."""
        if not self.trailers:  # most commits declare nothing
            return change
        cid = change.clause
        if cid in translation_checked(self.trailers):
            change = replace(change, translation_checked=True)
        declared = [c for c in corrections(self.trailers) if c.clause == cid]
        if not declared or old is None or new is None:
            return change
        for correction in declared:
            if all(correction.applies(_full_text(old[1], lang), _full_text(new[1], lang))
                   for lang, _ in edits):
                return replace(change, correction=correction)
        return replace(change, refused=declared[0])

    # ------------------------------------------------------------------------ result


def _history(lineage: _Lineage) -> DocumentHistory:
    manifest = lineage.manifest
    assert manifest is not None
    states = [*lineage.states, lineage.state()]
    auth, langs = manifest.authoritative, manifest.languages
    counted = []
    for index, release in enumerate(lineage.releases):
        before = states[index - 1] if index else {}
        after = states[index]
        added = sum(1 for cid in after if cid not in before)
        removed = sum(1 for cid in before if cid not in after)
        # one parse per content: the same object is the same text, no comparison needed
        modified = sum(1 for cid, (path, data) in after.items() if cid in before
                       and before[cid][1] is not data
                       and classify(_as_clause(before[cid][1], before[cid][0]),
                                    _as_clause(data, path), auth, langs) is not None)
        counted.append(replace(release, changed=ChangeCount(added, removed, modified)))
    pending = frozenset(cid for cid, (_path, data) in lineage.clauses.items()
                        if data.translation_pending)
    return DocumentHistory(lineage.dir, manifest, tuple(counted), tuple(lineage.steps),
                           tuple(lineage.problems), pending, lineage.present,
                           tuple(lineage.dirs))


@dataclass(frozen=True, slots=True)
class Walked:
    """The histories one walk found, in the order their documents first appeared, and
    where it had to look beyond a document's own directory (commit positions)."""

    histories: tuple[DocumentHistory, ...]
    order: tuple[tuple[int, str], ...]  # for each history: (position, directory) of its start
    lookups: tuple[int, ...]


def build_histories(commits: Iterable[CommitRecord], read: Callable[[str], bytes],
                    working: Snapshot | None = None, scope: str = "") -> list[DocumentHistory]:
    """The history of every document the commits ever held (a removed one included, with
    ``present`` False); the working tree, limited to ``scope``, is a draft on top."""
    return list(walk_histories(commits, read, working, scope).histories)


def walk_histories(commits: Iterable[CommitRecord], read: Callable[[str], bytes],
                   working: Snapshot | None = None, scope: str = "", *,
                   cache: ParseCache | None = None,
                   read_many: Callable[[Iterable[str]], Mapping[str, bytes]] | None = None,
                   position: Callable[[str], int] | None = None,
                   working_position: int = 0) -> Walked:
    """:func:`build_histories` with what a reader of documents one at a time needs: a
    shared parse cache, blobs read many at a time, and each commit's ``position`` in the
    whole history (the working tree's is ``working_position``) to order documents and
    to say where the walk looked beyond a document's directory."""
    where = position or (lambda _commit: 0)

    def at(commit: str) -> int:
        return working_position if commit == WORKING else where(commit)

    walk = _Walk(read, cache=cache, read_many=read_many, position=at)
    for commit in commits:
        if commit.changes:
            walk.apply(commit.sha, commit.committed, commit.subject, commit.changes,
                       commit.trailers)
    if working is not None:
        _apply_working(walk, working, scope)
    found = [(lineage.created, _history(lineage)) for lineage in walk.lineages
             if lineage.manifest is not None and lineage.releases]
    return Walked(tuple(h for _, h in found), tuple(o for o, _ in found), tuple(walk.lookups))


def _apply_working(walk: _Walk, working: Snapshot, scope: str) -> None:
    """Uncommitted changes inside ``scope`` form a draft step on top of the last commit."""
    committed = {p: b for p, b in walk.files.items() if inside(p, scope)}
    present = sorted(p for p in working.files if _relevant(p) and inside(p, scope))
    if working.blob_ids:  # keyed by blob id already: nothing to read or hash
        blobs = {path: working.files[path] for path in present}
        read_working = working.read
    else:
        contents: dict[str, bytes] = {}
        blobs = {}
        for path in present:
            data = working.content(path)
            blobs[path] = blob = git_blob_id(data)
            contents[blob] = data

        def read_working(key: str) -> bytes:
            return contents[key]
    changes = [FileChange("M", path, committed.get(path, ""), blob)
               for path, blob in blobs.items() if committed.get(path) != blob]
    changes += [FileChange("D", path, blob, "") for path, blob in committed.items()
                if path not in blobs]
    if not changes:
        return
    read = walk.read
    new = {change.new_blob for change in changes}

    def read_both(key: str) -> bytes:
        return read_working(key) if key in new else read(key)

    walk.read = read_both
    if working.blob_ids and walk.read_many is not None:
        walk.read_many = working.read_many
    walk.apply(WORKING, None, "uncommitted changes", changes)


def inside(path: str, scope: str) -> bool:
    """True when a repository path is ``scope`` or below it ("" is everything)."""
    scope = scope.strip("/")
    return not scope or path == scope or path.startswith(scope + "/")


def in_scope(history: DocumentHistory, scope: str) -> bool:
    """True when the document lives (or, removed, last lived) inside ``scope``."""
    return inside(history.path, scope)


def today_for(history: DocumentHistory, now: dt.datetime, fixed: dt.date | None,
              timezone: str | None = None) -> dt.date:
    """``--today`` if given, else today's date in ``timezone`` (default: the document's)."""
    if fixed is not None:
        return fixed
    return now.astimezone(ZoneInfo(timezone or history.manifest.timezone)).date()


def first_new_step(history: DocumentHistory, is_new: Callable[[str], bool]) -> int:
    """The index of the first step a pull request adds (len(steps) when none)."""
    return next((i for i, step in enumerate(history.steps) if is_new(step.commit)),
                len(history.steps))


def settings_at(history: DocumentHistory, index: int) -> RuleSettings:
    """The rule settings in force before step ``index`` (the newest after the last step)."""
    steps: Sequence[Step] = history.steps
    if index < len(steps):
        rules = steps[index].rules
        if rules is not None:
            return rules
    for step in reversed(steps[:index]):
        if step.manifest is not None:
            return step.manifest.settings
    return history.manifest.settings
