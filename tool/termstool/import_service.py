"""The import use case: read the source, plan the clause files, write them all or none."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from termstool.document import Document, Texts
from termstool.errors import UncommittedChanges, UnreadableInput, UsageError
from termstool.files import apply_changes
from termstool.gitrepo import Repository
from termstool.importer import (
    ImportReport,
    clause_files,
    manifest_text,
    parse_source,
    plan_import,
)
from termstool.loader import load_document
from termstool.manifest import MANIFEST_NAME
from termstool.snapshot import working_tree


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did."""

    action: str  # "created" or "updated"
    target: str
    lang: str
    clause_count: int
    written: int
    removed: int
    report: ImportReport


def import_document(file: Path, into: Path, *, lang: str | None = None, force: bool = False,
                    doc_id: str | None = None, title: str | None = None,
                    version: str | None = None, effective: str | None = None,
                    announced: str | None = None) -> ImportResult:
    """Import ``file`` into the document directory ``into``."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise UnreadableInput(f"cannot read: {exc.strerror}", file=str(file)) from exc
    source = parse_source(data, str(file))
    into = into.resolve()
    _refuse_uncommitted(into, force)
    manifest_file = into / MANIFEST_NAME
    existing: Document | None = None
    root = into.parent
    rel_dir = into.name
    if manifest_file.is_file():
        snapshot = working_tree(root, rel_dir)
        existing, problems = load_document(snapshot, rel_dir)
        if existing is None:
            first = problems[0]
            raise UnreadableInput(first.message, file=str(root / (first.file or "")),
                                  line=first.line)
    languages = existing.manifest.languages if existing else ("zh", "en")
    authoritative = existing.manifest.authoritative if existing else (lang or "zh")
    lang = lang or authoritative
    if lang not in languages:
        raise UsageError(f"--lang {lang}: the document's languages are {', '.join(languages)}")
    if existing is None and lang != authoritative:
        raise UsageError(f"{into} has no document yet: import the authoritative text first")
    planned, report = plan_import(source, lang, languages, authoritative, existing)
    files = clause_files(rel_dir, planned)
    writes = dict(files)
    if existing is None:
        writes[f"{rel_dir}/{MANIFEST_NAME}"] = _new_manifest(
            source.version, source.title, into.name, lang, languages, doc_id, title, version,
            effective, announced)
    old_files = {c.file for c in existing.walk()} if existing else set()
    unchanged = {p for p in writes if p in old_files and (root / p).read_text("utf-8") == writes[p]}
    deletes = sorted(old_files - set(writes))
    apply_changes(root, {p: c for p, c in writes.items() if p not in unchanged}, deletes)
    count = sum(1 for p in files)
    return ImportResult("updated" if existing else "created", str(into), lang, count,
                        len(writes) - len(unchanged), len(deletes), report)


def _refuse_uncommitted(into: Path, force: bool) -> None:
    if force or not into.exists() or not any(into.iterdir()):
        return
    try:
        repo = Repository.discover(into)
    except Exception:
        raise UncommittedChanges(f"{into} is not in a git repository, so nothing protects its "
                                 "files from being overwritten; commit it first or pass --force")
    if repo.is_dirty(into):
        raise UncommittedChanges(f"{into} has uncommitted changes; commit or stash them first, "
                                 "or pass --force to overwrite them")


def _new_manifest(found_version: str | None, found_title: str | None, dirname: str, lang: str,
                  languages: tuple[str, ...], doc_id: str | None, title: str | None,
                  version: str | None, effective: str | None, announced: str | None) -> str:
    version = version or found_version
    if not version:
        raise UsageError("no version label found in the file; pass --version (and --effective)")
    try:
        eff = dt.date.fromisoformat(effective) if effective else _date_from_label(version)
        ann = dt.date.fromisoformat(announced) if announced else eff - dt.timedelta(days=30)
    except ValueError as exc:
        raise UsageError(f"not a date: {exc}; write YYYY-MM-DD") from exc
    comment = ""
    if not announced:
        comment = (f"The source states only version {version}. These dates are the latest\n"
                   f"consistent with the {30}-day notice rule: effective on the version date,\n"
                   "announced 30 days before.")
    titles = {lang: title or found_title or dirname}
    return manifest_text(doc_id=doc_id or dirname, title=Texts.of(titles), languages=languages,
                         authoritative=lang, version=version, announced=ann.isoformat(),
                         effective=eff.isoformat(), comment=comment)


def _date_from_label(version: str) -> dt.date:
    try:
        return dt.datetime.strptime(version, "%Y%m%d").date()
    except ValueError as exc:
        raise UsageError(f"version {version!r} is not a date; pass --effective") from exc


def relative(path: Path) -> str:
    """A path relative to the current directory when possible."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
