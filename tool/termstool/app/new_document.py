"""`terms new`: scaffold a document, so a second product does not start by copying a directory.

A new document is a ``document.yaml`` with every required key and a first clause with
one block per language. Defaults for the keys a provider keeps the same across products
(languages, authoritative language, days of notice, timezone) come from the documents
already in the repository; the title, version and dates have none and must be given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from termstool.app.workspace import DEFAULT_SCOPE
from termstool.errors import GitError, TermsError, UsageError
from termstool.format.clause_file import ID_RE, format_clause_file
from termstool.format.document_yaml import MANIFEST_NAME, parse_manifest
from termstool.format.loader import load_document, load_documents
from termstool.format.new_document import (
    DEFAULT_LANGUAGES,
    DEFAULT_NOTICE_DAYS,
    DEFAULT_TIMEZONE,
)
from termstool.format.restructure import text_slug
from termstool.importer.text_source import manifest_text
from termstool.model.document import Texts
from termstool.model.snapshot import Snapshot
from termstool.storage.files import apply_changes
from termstool.storage.gitrepo import Repository
from termstool.storage.lock import repository_lock, write_place
from termstool.storage.staging import recover_locked
from termstool.storage.working_tree import working_tree

FIRST_CLAUSE_ID = "s1"


@dataclass(frozen=True, slots=True)
class Defaults:
    """What a new document gets unless told otherwise, and where that comes from."""

    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    authoritative: str = DEFAULT_LANGUAGES[0]
    notice_days: int = DEFAULT_NOTICE_DAYS
    timezone: str = DEFAULT_TIMEZONE
    source: str | None = None  # the document the defaults were taken from


@dataclass(frozen=True, slots=True)
class NewDocument:
    """Everything ``document.yaml`` and the first clause need."""

    doc_id: str
    title: Texts
    languages: tuple[str, ...]
    authoritative: str
    notice_days: int
    timezone: str
    version: str
    announced: str
    effective: str
    first_title: Texts = field(default_factory=Texts)
    first_body: Texts = field(default_factory=Texts)


@dataclass(frozen=True, slots=True)
class Created:
    """What `terms new` wrote."""

    directory: str  # as the user should see it
    files: tuple[str, ...]
    placeholders: tuple[str, ...]  # languages whose first clause text is a placeholder
    staged: bool
    outside_default_scope: bool  # commands without PATH will not see it


def repository_defaults(target: Path) -> Defaults:
    """The settings of the first document under ./terms of the repository around
    ``target`` (a provider's products share them), else the built-in defaults."""
    try:
        root = Repository.discover(target).root
    except GitError:
        root = Path.cwd()
    loaded = load_documents(working_tree(root, DEFAULT_SCOPE))
    if not loaded.documents:
        return Defaults()
    manifest = loaded.documents[0].manifest
    return Defaults(manifest.languages, manifest.authoritative, manifest.notice_days,
                    manifest.timezone, loaded.documents[0].id)


def placeholder(lang: str) -> str:
    """The stand-in text of the first clause in a language nobody wrote yet."""
    return f"TODO: the text of clause 1 ({lang})."


def create_document(directory: Path, spec: NewDocument) -> Created:
    """Write ``document.yaml`` and the first clause into a new directory, all or nothing,
    and stage them in git when the directory is in a repository; under the repository's
    lock."""
    place = write_place(directory.resolve())
    with repository_lock(place, "new"):
        recover_locked(place)
        return _create(directory, spec)


def _create(directory: Path, spec: NewDocument) -> Created:
    target = directory.resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{directory} already exists and is not empty; a new document "
                         "needs a new directory")
    if not ID_RE.match(spec.doc_id):
        raise UsageError(f"--id {spec.doc_id!r} is not a lowercase ASCII slug (a-z, 0-9, '-')")
    languages = spec.languages
    if not languages or len(set(languages)) != len(languages):
        raise UsageError("--languages needs each language once, e.g. zh,en")
    for lang in languages:
        if not ID_RE.match(lang):
            raise UsageError(f"language {lang!r} is not a language code such as zh or en")
    if spec.authoritative not in languages:
        raise UsageError(f"--authoritative {spec.authoritative} is not one of the languages "
                         f"({', '.join(languages)})")
    missing = [lang for lang in languages if not spec.title.get(lang).strip()]
    if missing:
        raise UsageError(f"the document needs a title in every language: give --title-"
                         f"{missing[0]} TEXT")
    for texts in (spec.title, spec.first_title, spec.first_body):
        unknown = [lang for lang in texts.languages if lang not in languages]
        if unknown:
            raise UsageError(f"--{unknown[0]} / --title-{unknown[0]}: {unknown[0]!r} is not "
                             f"one of the languages ({', '.join(languages)})")
    try:
        announced = dt.date.fromisoformat(spec.announced)
        effective = dt.date.fromisoformat(spec.effective)
    except ValueError as exc:
        raise UsageError(f"not a date that exists: {exc}; write YYYY-MM-DD") from None
    days = (effective - announced).days
    if days < spec.notice_days:
        raise UsageError(f"--effective {effective} is {days} days after --announced "
                         f"{announced}; the document promises {spec.notice_days} days of "
                         "notice (--notice-days)")
    existing = target
    while not existing.exists():
        existing = existing.parent
    try:
        repo: Repository | None = Repository.discover(existing)
    except GitError:
        repo = None
    root = repo.root.resolve() if repo is not None else existing
    rel = target.relative_to(root).as_posix()
    manifest = manifest_text(doc_id=spec.doc_id, title=spec.title, languages=languages,
                             authoritative=spec.authoritative, version=spec.version,
                             announced=spec.announced, effective=spec.effective,
                             notice_days=spec.notice_days, timezone=spec.timezone)
    placeholders = tuple(lang for lang in languages if not spec.first_body.get(lang).strip())
    body = Texts(tuple((lang, spec.first_body.get(lang).strip() or placeholder(lang))
                       for lang in languages))
    first = f"{rel}/01-{text_slug(spec.first_title, spec.first_body, 'clause')}.md"
    files = {f"{rel}/{MANIFEST_NAME}": manifest,
             first: format_clause_file(FIRST_CLAUSE_ID, spec.first_title, body)}
    _check(files, rel)
    try:
        apply_changes(root, files, ())
    except OSError as exc:
        raise TermsError(f"cannot write {directory}: {exc.strerror or exc}; nothing was "
                         "written") from exc
    if repo is not None:
        repo.add(files)
    outside = not (rel == DEFAULT_SCOPE or rel.startswith(DEFAULT_SCOPE + "/"))
    return Created(str(directory), tuple(files), placeholders, repo is not None, outside)


def _check(files: dict[str, str], rel: str) -> None:
    """The new document must pass the format rules before anything is written."""
    manifest_path = f"{rel}/{MANIFEST_NAME}"
    manifest, problems = parse_manifest(manifest_path, files[manifest_path].encode("utf-8"))
    snapshot = Snapshot("new", {path: path for path in files},
                        lambda path: files[path].encode("utf-8"))
    if manifest is not None:
        _document, problems = load_document(snapshot, rel)
    blocking = [p for p in problems if p.blocking]
    if blocking:
        first = blocking[0]
        raise UsageError(f"the new document would not pass 'terms check': {first.message}")
