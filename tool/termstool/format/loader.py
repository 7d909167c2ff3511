"""Build documents from a snapshot: find manifests, read clause files, compute numbers."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from termstool.errors import UnreadableInput
from termstool.format.clause_file import ClauseFile, parse_clause_file
from termstool.format.document_yaml import MANIFEST_NAME, parse_manifest
from termstool.format.numbering import number_siblings, sort_key
from termstool.format.parse_cache import ParseCache, reader
from termstool.format.references import check_references
from termstool.model.document import Clause, Document, Manifest, Texts
from termstool.model.problems import Problem, Severity
from termstool.model.snapshot import Snapshot

INDEX_NAME = "_index.md"


@dataclass(frozen=True, slots=True)
class Loaded:
    """The documents of a snapshot and every problem met while reading them."""

    documents: tuple[Document, ...]
    problems: tuple[Problem, ...]
    # Problems that left a file out of its document (unreadable, no id, duplicate id...):
    # the documents are then incomplete, and their clause numbers may be wrong.
    dropped: tuple[Problem, ...] = ()


def _manifest(snapshot: Snapshot, path: str, cache: ParseCache | None,
              read: Callable[[str], bytes]) -> tuple[Manifest | None, list[Problem]]:
    """A document's ``document.yaml`` parsed, or None with an ``unreadable`` problem (a
    refused link, no access)."""
    try:
        if cache is None:
            return parse_manifest(path, snapshot.content(path))
        return cache.manifest_at(snapshot.files[path], path, read)
    except UnreadableInput as exc:
        return None, [Problem("unreadable", str(exc).removeprefix(f"{path}: "), file=path)]


def document_dirs(snapshot: Snapshot, scope: str = "") -> list[str]:
    """Directories holding a ``document.yaml`` inside ``scope``, or the one containing it."""
    scope = scope.strip("/")
    dirs = sorted(posixpath.dirname(p) for p in snapshot.files
                  if posixpath.basename(p) == MANIFEST_NAME)
    inside = [d for d in dirs if not scope or d == scope or d.startswith(scope + "/")]
    if inside:
        return inside
    containing = [d for d in dirs if scope.startswith(d + "/")]
    return containing[-1:]


@dataclass(slots=True)
class _Node:
    index: str | None = None
    files: dict[str, str] = field(default_factory=dict)  # name -> path
    dirs: dict[str, _Node] = field(default_factory=dict)


def load_documents(snapshot: Snapshot, scope: str = "",
                   cache: ParseCache | None = None) -> Loaded:
    """Load every document in scope; problems are collected, never raised."""
    documents: list[Document] = []
    problems: list[Problem] = []
    dropped: list[Problem] = []
    dirs = document_dirs(snapshot, scope)
    for doc_dir in dirs:
        nested = [d for d in dirs if d.startswith(doc_dir + "/")]
        document, found = load_document(snapshot, doc_dir, exclude=nested, dropped=dropped,
                                        cache=cache)
        problems += found
        if document is not None:
            documents.append(document)
    return Loaded(tuple(documents), tuple(problems), tuple(dropped))


def load_document(snapshot: Snapshot, doc_dir: str, exclude: list[str] | None = None,
                  dropped: list[Problem] | None = None, cache: ParseCache | None = None,
                  paths: list[str] | None = None) -> tuple[Document | None, list[Problem]]:
    """Load one document directory from a snapshot.

    The document is None when its ``document.yaml`` is unusable; its clause files are
    still read then, so that every problem is reported at once. ``dropped`` collects,
    for every file left out of the document, the problem that left it out. With a
    ``cache`` (and a snapshot keyed by blob id) each file is parsed once across
    snapshots, and the files not parsed yet are read in one request. ``paths`` are the
    snapshot's files below ``doc_dir`` when the caller knows them already.
    """
    manifest_path = posixpath.join(doc_dir, MANIFEST_NAME)
    below = snapshot.under(doc_dir) if paths is None else paths
    read = snapshot.read
    if cache is None or not snapshot.blob_ids:
        cache = None
    else:
        keys = [snapshot.files[p] for p in (manifest_path, *below) if p in snapshot.files]
        read = reader(snapshot.read, snapshot.read_many(cache.missing(keys)))
    manifest, problems = _manifest(snapshot, manifest_path, cache, read)
    root = _Node()
    for path in below:
        if not path.endswith(".md") or any(path.startswith(d + "/") for d in exclude or []):
            continue
        parts = (path[len(doc_dir) + 1:] if doc_dir and path.startswith(doc_dir + "/")
                 else posixpath.relpath(path, doc_dir)).split("/")
        node = root
        for part in parts[:-1]:
            node = node.dirs.setdefault(part, _Node())
        if parts[-1] == INDEX_NAME:
            node.index = path
        else:
            node.files[parts[-1]] = path
    context = _Context(snapshot, manifest.id if manifest else posixpath.basename(doc_dir),
                       manifest.languages if manifest else None,
                       manifest.authoritative if manifest else "", problems,
                       dropped if dropped is not None else [], cache, read)
    clauses = _children(context, root, "", doc_dir)
    if root.index is not None:
        problems.append(Problem("layout", "_index.md directly in a document directory is not "
                                "read: the document's title lives in document.yaml and its "
                                "text in clause files", document=context.doc_id,
                                file=root.index, line=1))
    if manifest is None:
        return None, problems
    index: dict[str, Clause] = {}
    document = Document(doc_dir, manifest, tuple(clauses), index)
    for clause in document.walk():
        index[clause.id] = clause
    problems += check_references(document, context.text_line)
    return document, problems


@dataclass(slots=True)
class _Context:
    """What the walk over one document's clause files shares."""

    snapshot: Snapshot
    doc_id: str
    languages: tuple[str, ...] | None  # None when document.yaml is unusable
    authoritative: str
    problems: list[Problem]
    dropped: list[Problem]  # why each file left out of the document was left out
    cache: ParseCache | None
    read: Callable[[str], bytes]
    seen: dict[str, str] = field(default_factory=dict)  # id -> file
    text_lines: dict[tuple[str, str], int] = field(default_factory=dict)

    def parse(self, path: str) -> ClauseFile:
        """One clause file of the document, parsed once per content; an unreadable one
        becomes a clause file without an id."""
        key = self.snapshot.files[path]
        try:
            if self.cache is None:
                return parse_clause_file(path, self.read(key))
            return self.cache.clause_at(key, path, self.read)
        except UnreadableInput as exc:
            problem = Problem("unreadable", str(exc).removeprefix(f"{path}: "), file=path)
            return ClauseFile(None, Texts(), Texts(), True, False, (), (problem,))

    def text_line(self, clause: Clause, lang: str) -> int | None:
        """Where the text of one language block of a clause starts, for messages."""
        return self.text_lines.get((clause.file, lang))


_PREFIX_RE = re.compile(r"^(\d+)")


# Sub-clauses nest at most this deep (3.1.8.6 is four levels). A deeper tree is not a
# document but an attempt to exhaust the recursion of whoever walks it.
MAX_DEPTH = 32


def _children(context: _Context, node: _Node, parent_number: str, where: str,
              depth: int = 1) -> list[Clause]:
    """The clauses of one directory level in file-name order, numbered from position."""
    entries: list[tuple[str, str, str, _Node | None]] = [
        (sort_key(name), name, path, None) for name, path in node.files.items()]
    for name, child in node.dirs.items():
        if depth >= MAX_DEPTH:
            problem = Problem(
                "layout", f"directory '{name}/' nests clauses more than {MAX_DEPTH} levels "
                "deep; its files are not read", document=context.doc_id,
                file=posixpath.join(where, name) + "/", line=None)
            context.problems.append(problem)
            context.dropped.append(problem)
            continue
        if child.index is None:
            problem = Problem(
                "layout", f"directory '{name}/' has no _index.md; a clause with sub-clauses "
                "keeps its own id, title and text in its _index.md", document=context.doc_id,
                file=posixpath.join(where, name) + "/", line=None)
            context.problems.append(problem)
            context.dropped.append(problem)
            continue
        entries.append((sort_key(name), name, child.index, child))
    entries.sort(key=lambda entry: entry[0])
    _check_order(context, [(name, path) for _, name, path, _ in entries])
    parsed = [context.parse(path) for *_, path, _ in entries]
    numbers = number_siblings(parent_number, [p.numbered for p in parsed])
    clauses: list[Clause] = []
    for (_, name, path, sub), data, number in zip(entries, parsed, numbers, strict=True):
        context.problems.extend(replace(p, document=context.doc_id) for p in data.problems)
        keep = data.id is not None and data.id not in context.seen
        if data.id is not None and not keep:
            duplicate = Problem(
                "duplicate-id", f"id {data.id!r} is already used by {context.seen[data.id]}; "
                "ids are unique in a document and never reused: give this clause a new id",
                document=context.doc_id, clause=data.id, file=path, line=data.id_line)
            context.problems.append(duplicate)
            context.dropped.append(duplicate)
        elif data.id is None:
            reason = next((p for p in data.problems if p.blocking),
                          Problem("unreadable", "no usable clause in this file", file=path))
            context.dropped.append(replace(reason, document=context.doc_id))
        else:
            context.seen[data.id] = path
        children: list[Clause] = []
        if sub is not None:
            # Walked even when this clause is dropped, so that its files are still checked.
            children = _children(context, sub, number, posixpath.join(where, name), depth + 1)
        if not keep or data.id is None:
            continue
        for lang, line in data.text_lines:
            context.text_lines[(path, lang)] = line
        if context.languages is not None:
            context.problems.extend(_language_problems(context, data, path, bool(children)))
        clauses.append(Clause(id=data.id, file=path, number=number, title=data.title,
                              body=data.body, numbered=data.numbered,
                              translation_pending=data.translation_pending,
                              children=tuple(children), body_lines=data.body_lines))
    return clauses


def _check_order(context: _Context, entries: list[tuple[str, str]]) -> None:
    """Warn when file-name order contradicts the numeric sort prefixes (9-x after 10-y)."""
    previous: tuple[int, str] | None = None
    for name, path in entries:
        match = _PREFIX_RE.match(name)
        if match is None:
            continue
        value = int(match.group(1))
        if previous is not None and value < previous[0]:
            context.problems.append(Problem(
                "file-order", f"'{name}' sorts after '{previous[1]}' because siblings are "
                "ordered by file name, not by the value of the prefix; give the prefixes the "
                "same number of digits (e.g. 09-, 10-)", Severity.WARNING,
                document=context.doc_id, file=path, line=None))
        previous = (value, name)


def _language_problems(context: _Context, data: ClauseFile, path: str,
                       has_children: bool) -> list[Problem]:
    languages = context.languages or ()
    out: list[Problem] = []

    def problem(message: str, line: int | None, lang: str) -> None:
        # A translation marked pending may lag behind: a warning, not an error.
        pending = data.translation_pending and lang != context.authoritative
        out.append(Problem("language-block", message + ("; the clause is marked "
                           "'translation: pending'" if pending else ""),
                           Severity.WARNING if pending else Severity.ERROR,
                           document=context.doc_id, clause=data.id, file=path, line=line))

    for lang, text in data.body.items:
        if lang not in languages:
            problem(f"unknown language block <!-- {lang} -->; this document's languages are "
                    f"{', '.join(languages)} (document.yaml)", _line(data.body_lines, lang), lang)
        elif not text.strip():
            problem(f"the <!-- {lang} --> block is empty; write the {lang} text or remove "
                    "the block", _line(data.body_lines, lang), lang)
    for lang in languages:
        # A clause with sub-clauses may be a title only (e.g. "3. 权利义务"): no block needed.
        if not data.body.has(lang) and not (data.title.has(lang) and has_children):
            problem(f"no <!-- {lang} --> block; add a line '<!-- {lang} -->' followed by the "
                    f"{lang} text", data.body_start - 1, lang)
        if data.title and not data.title.has(lang):
            problem(f"the title has no {lang!r} text", data.title_line, lang)
    return out


def _line(pairs: tuple[tuple[str, int], ...], lang: str) -> int | None:
    return next((line for key, line in pairs if key == lang), None)
