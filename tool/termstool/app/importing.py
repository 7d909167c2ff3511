"""The import use case: read the source, plan the clause files, write them all or none.

``preview_import`` is the dry run: the same reading and planning, nothing written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from termstool.errors import (
    GitError,
    TermsError,
    UncommittedChanges,
    UnreadableInput,
    UsageError,
)
from termstool.format.characters import brief
from termstool.format.clause_file import ID_RE, parse_clause_file
from termstool.format.dates import label_problem, parse_date
from termstool.format.document_yaml import MANIFEST_NAME
from termstool.format.loader import load_document
from termstool.format.new_document import (
    DEFAULT_LANGUAGES,
    DEFAULT_NOTICE_DAYS,
    DEFAULT_TIMEZONE,
)
from termstool.importer.fidelity import check_files, check_parse
from termstool.importer.sources import read_source
from termstool.importer.text_source import (
    DroppedLine,
    ImportReport,
    PlannedClause,
    SourceDocument,
    clause_files,
    manifest_text,
    plan_import,
)
from termstool.model.document import Document, Texts
from termstool.model.languages import by_character
from termstool.storage.files import read_capped
from termstool.storage.gitrepo import Repository
from termstool.storage.lock import WritePlace, repository_lock, write_place
from termstool.storage.staging import recover_locked, replace_tree
from termstool.storage.working_tree import working_tree


@dataclass(frozen=True, slots=True)
class NewDocument:
    """What a new document's ``document.yaml`` says beyond what the source gives."""

    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    notice_days: int = DEFAULT_NOTICE_DAYS
    timezone: str = DEFAULT_TIMEZONE
    doc_id: str | None = None  # default: the directory name
    title: str | None = None  # in the imported language; default: the source's title
    version: str | None = None  # default: the version label found in the source
    effective: str | None = None  # YYYY-MM-DD; default: the version read as a date
    announced: str | None = None  # YYYY-MM-DD; default: effective minus notice_days

    def validate(self) -> None:
        """Refuse settings no document.yaml may have, before anything is read."""
        if not self.languages:
            raise UsageError("--languages: give at least one language code")
        if self.notice_days < 0:
            raise UsageError(f"--notice-days {self.notice_days}: give 0 or more days")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise UsageError(f"--timezone {brief(self.timezone)} is not an IANA time zone "
                             "name (Area/City), such as Europe/Paris") from None


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did."""

    action: str  # "created" or "updated"
    target: str
    lang: str
    clause_count: int
    written: int  # files created or changed
    removed: int  # files of clauses that are gone
    report: ImportReport
    renamed: int = 0  # files of kept clauses that moved to a new name (counted in written)
    read_as: str = ""  # the source's format and encoding, e.g. "GB18030 text"
    dropped: tuple[DroppedLine, ...] = ()  # source lines in no clause, and why


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What an import would do, for ``terms import --dry-run``."""

    source: SourceDocument
    target: str | None  # the document directory, when one was given
    lang: str
    report: ImportReport | None  # the changes to an existing document; None for a new one
    numbering: str  # the numbering style the document has, or would be given


def read_source_file(file: Path) -> SourceDocument:
    """Read and parse a source file of any supported kind."""
    return read_source(read_capped(file), str(file))


def preview_import(file: Path, into: Path | None = None, *, lang: str | None = None,
                   languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> ImportPreview:
    """Parse ``file`` and, given a document directory, plan the import; write nothing.
    ``languages`` are those a new document would have (an existing one has its own)."""
    source = read_source_file(file)
    if into is None:
        return ImportPreview(source, None, lang or languages[0], None, source.numbering)
    into = into.resolve()
    existing = _load_existing(into)
    if existing is None:
        return ImportPreview(source, str(into), lang or languages[0], None, source.numbering)
    manifest = existing.manifest
    lang = lang or manifest.authoritative
    if lang not in manifest.languages:
        raise UsageError(f"--lang {lang}: the document's languages are "
                         f"{', '.join(manifest.languages)}")
    _planned, report = plan_import(source, lang, manifest.languages, manifest.authoritative,
                                   existing, _retired_ids(into, existing))
    if lang == manifest.authoritative:  # a translation's numbers say nothing of the style
        report = _numbering_note(report, source, existing)
    return ImportPreview(source, str(into), lang, report, manifest.numbering)


def _load_existing(into: Path) -> Document | None:
    """The document already in ``into``, or None when there is none yet."""
    if into.exists() and not into.is_dir():
        raise UsageError(f"--into {into} is a file; give the document's directory")
    if not (into / MANIFEST_NAME).is_file():
        return None
    root = into.parent
    existing, problems = load_document(working_tree(root, into.name), into.name)
    if existing is None:
        first = next(p for p in problems if p.blocking)
        raise UnreadableInput(f"{first.message}; fix the existing document before "
                              "importing into it", file=str(root / (first.file or "")),
                              line=first.line)
    return existing


def _numbering_note(report: ImportReport, source: SourceDocument,
                    existing: Document) -> ImportReport:
    """Say so when the source is numbered in another style than the document declares."""
    declared = existing.manifest.numbering
    if source.numbering == declared:
        return report
    return replace(report, notes=(*report.notes, f"the source is numbered in the style "
                                  f"'{source.numbering}' but document.yaml says 'numbering: "
                                  f"{declared}'; change document.yaml if the source is right"))


def import_document(file: Path, into: Path, *, lang: str | None = None, force: bool = False,
                    new: NewDocument = NewDocument()) -> ImportResult:
    """Import ``file`` into the document directory ``into``; ``new`` says what a new
    document's ``document.yaml`` holds (an existing one keeps its own).

    Everything that can fail is checked before the first write: the source is parsed,
    the target is checked for uncommitted changes, and the whole plan is made and checked
    to hold every character of the source that no report says was dropped. Then, under
    the repository's lock, the new tree is built beside the target and swapped in: all
    files are written, or none, even when the process is killed (the next command undoes
    or finishes it).
    """
    new.validate()
    source = read_source_file(file)
    check_parse(source, str(file))
    into = into.resolve()
    if into.exists() and not into.is_dir():
        raise UsageError(f"--into {into} is a file; give the document's directory")
    _refuse_outside(into, force)
    missing = [p for p in (into.parent, *into.parent.parents) if not p.exists()]
    try:
        into.parent.mkdir(parents=True, exist_ok=True)  # the lock outside git is kept there
        place = write_place(into)
        with repository_lock(place, "import"):
            recover_locked(place)
            return _import_locked(source, file, into, place, lang=lang, force=force,
                                  new=new)
    except BaseException:
        for directory in missing:  # innermost first; only what this import made, if empty
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise


def _import_locked(source: SourceDocument, file: Path, into: Path, place: WritePlace, *,
                   lang: str | None, force: bool, new: NewDocument) -> ImportResult:
    """The import, from reading the target to swapping in its new files; under the lock."""
    _refuse_uncommitted(into, force)
    existing = _load_existing(into)
    root = into.parent
    rel_dir = into.name
    languages = existing.manifest.languages if existing else new.languages
    authoritative = existing.manifest.authoritative if existing else (lang or languages[0])
    lang = lang or authoritative
    if lang not in languages:
        raise UsageError(f"--lang {lang}: the document's languages are {', '.join(languages)}")
    retired = _retired_ids(into, existing) if existing else frozenset()
    planned, report = plan_import(source, lang, languages, authoritative, existing, retired)
    if existing is not None and lang == authoritative:
        report = _numbering_note(report, source, existing)
    current = {c.id: c.file for c in existing.walk()} if existing else {}
    # File names come from a language written with spaces (its words make a readable slug).
    slug_lang = next((code for code in languages if not by_character(code)), languages[0])
    files = clause_files(rel_dir, planned, slug_lang, existing=current)
    ids_by_number: dict[str, str] = {}
    for clause in _walk(planned):
        ids_by_number.setdefault(clause.number, clause.id)
    check_files(source, str(file), [ids_by_number.get(c.number) for c in source.clauses], lang,
                files, exact=existing is None or lang == authoritative)
    writes = dict(files)
    if existing is None:
        writes[f"{rel_dir}/{MANIFEST_NAME}"] = _new_manifest(
            source.version, source.title, into.name, lang, new, source.numbering)
    old_files = set(current.values())
    unchanged = {p for p in writes
                 if p in old_files and (root / p).read_bytes() == writes[p].encode("utf-8")}
    deletes = sorted(old_files - set(writes))
    inside = len(rel_dir) + 1  # the paths above are relative to the target's parent
    try:
        replace_tree(place, into, {p[inside:]: c for p, c in writes.items() if p not in unchanged},
                     {p[inside:] for p in deletes}, command="import")
    except OSError as exc:
        raise TermsError(f"cannot write the clause files: {exc.strerror or exc}; nothing was "
                         f"changed in {into}") from exc
    planned_ids = {c.id for c in _walk(planned)}
    moved = sum(1 for c in existing.walk() if c.id in planned_ids and c.file in deletes) \
        if existing else 0
    return ImportResult("updated" if existing else "created", str(into), lang, len(files),
                        len(writes) - len(unchanged), len(deletes) - moved, report, moved,
                        source.read_as, source.dropped)


def _refuse_outside(into: Path, force: bool) -> None:
    """Refuse a target inside a git directory, always, and one outside any git repository
    unless ``force``: there, nothing could give back what an import replaces."""
    try:
        repo = Repository.discover(into if into.exists() else _existing_parent(into))
    except GitError:
        repo = None
    git_dirs = repo.git_dirs() if repo is not None else ()
    if ".git" in into.parts or any(into.is_relative_to(d) for d in git_dirs) \
            or (repo is not None and repo.bare):
        raise UsageError(f"--into {into} is inside a git directory, which belongs to git; "
                         "give a document directory in the working tree, e.g. "
                         "terms/product/terms-of-service")
    if repo is None and not force:
        raise UncommittedChanges(f"--into {into} is not in a git repository, so nothing "
                                 "could give back what the import writes or replaces; "
                                 "import inside your terms repository, or pass --force")


def _existing_parent(path: Path) -> Path:
    while not path.exists():
        path = path.parent
    return path


def _walk(clauses: list[PlannedClause] | tuple[PlannedClause, ...]) -> Iterator[PlannedClause]:
    for clause in clauses:
        yield clause
        yield from _walk(clause.children)


def _retired_ids(into: Path, existing: Document) -> frozenset[str]:
    """Ids that clauses of this document had in any committed version: never reused.

    Read from the files that git history removed or changed; without git (or without
    commits) only the present ids are known, and those are never reused anyway.
    """
    try:
        repo = Repository.discover(into)
        head = repo.head()
        if head is None:
            return frozenset()
        rel = into.resolve().relative_to(repo.root.resolve()).as_posix()
        found: set[str] = set()
        for record in repo.first_parent_history(head, rel):
            for change in record.changes:
                if change.old_blob and change.path.endswith(".md"):
                    parsed = parse_clause_file(change.path, repo.read_blob(change.old_blob))
                    if parsed.id:
                        found.add(parsed.id)
    except (GitError, ValueError):
        return frozenset()
    return frozenset(found - {c.id for c in existing.walk()})


def _refuse_uncommitted(into: Path, force: bool) -> None:
    """Refuse to overwrite work that git could not give back, unless ``force``."""
    if force or not into.exists() or not any(into.iterdir()):
        return
    try:
        repo = Repository.discover(into)
    except GitError:
        raise UncommittedChanges(f"{into} is not in a git repository, so nothing protects its "
                                 "files from being overwritten; commit it first or pass "
                                 "--force") from None
    if repo.is_dirty(into):
        raise UncommittedChanges(f"{into} has uncommitted changes; commit or stash them first, "
                                 "or pass --force to overwrite them")


def _new_manifest(found_version: str | None, found_title: str | None, dirname: str, lang: str,
                  new: NewDocument, numbering: str) -> str:
    """The ``document.yaml`` of a new document, from the options or what the source says."""
    version = new.version or found_version
    effective, announced, days = new.effective, new.announced, new.notice_days
    if not version:
        raise UsageError("no version label found in the file; pass --version (and --effective)")
    why = label_problem(version)
    if why is not None:
        raise UsageError(f"version {brief(version)}: {why}; pass --version")
    try:
        eff = parse_date(effective) if effective else _date_from_label(version)
    except ValueError as exc:
        raise UsageError(f"--effective {brief(effective)} {exc}") from exc
    try:
        ann = parse_date(announced) if announced else eff - dt.timedelta(days=days)
    except ValueError as exc:
        raise UsageError(f"--announced {brief(announced)} {exc}") from exc
    comment = ""
    if not announced:
        comment = (f"The source states only version {version}. These dates are the latest\n"
                   f"consistent with the {days}-day notice rule: effective on the version "
                   f"date,\nannounced {days} days before.")
    new_id = new.doc_id or dirname
    if not ID_RE.match(new_id):
        raise UsageError(f"{new_id!r} cannot be a document id, which is a lowercase ASCII slug "
                         "(a-z, 0-9, '-'); pass --id")
    titles = {lang: new.title or found_title or dirname}
    return manifest_text(doc_id=new_id, title=Texts.of(titles), languages=new.languages,
                         authoritative=lang, version=version, announced=ann.isoformat(),
                         effective=eff.isoformat(), notice_days=days, timezone=new.timezone,
                         comment=comment, numbering=numbering)


def _date_from_label(version: str) -> dt.date:
    try:
        return parse_date(dt.datetime.strptime(version, "%Y%m%d").date().isoformat())
    except ValueError as exc:
        raise UsageError(f"version {brief(version)} is not a date the terms can use; pass "
                         "--effective") from exc
