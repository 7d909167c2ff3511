"""Build documents from a snapshot: find manifests, read clause files, compute numbers."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from termstool.clause_file import parse_clause_file
from termstool.document import Clause, Document
from termstool.manifest import MANIFEST_NAME, parse_manifest
from termstool.numbering import number_siblings, sort_key
from termstool.problems import Problem
from termstool.references import check_references
from termstool.snapshot import Snapshot

INDEX_NAME = "_index.md"


@dataclass(frozen=True, slots=True)
class Loaded:
    """The documents of a snapshot and every problem met while reading them."""

    documents: tuple[Document, ...]
    problems: tuple[Problem, ...]


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


def load_documents(snapshot: Snapshot, scope: str = "") -> Loaded:
    """Load every document in scope; problems are collected, never raised."""
    documents: list[Document] = []
    problems: list[Problem] = []
    dirs = document_dirs(snapshot, scope)
    for doc_dir in dirs:
        nested = [d for d in dirs if d.startswith(doc_dir + "/")]
        document, found = load_document(snapshot, doc_dir, exclude=nested)
        problems += found
        if document is not None:
            documents.append(document)
    return Loaded(tuple(documents), tuple(problems))


def load_document(snapshot: Snapshot, doc_dir: str,
                  exclude: list[str] | None = None) -> tuple[Document | None, list[Problem]]:
    """Load one document directory from a snapshot."""
    manifest_path = posixpath.join(doc_dir, MANIFEST_NAME)
    manifest, problems = parse_manifest(manifest_path, snapshot.content(manifest_path))
    if manifest is None:
        return None, problems
    root = _Node()
    for path in snapshot.under(doc_dir):
        if not path.endswith(".md") or any(path.startswith(d + "/") for d in exclude or []):
            continue
        parts = posixpath.relpath(path, doc_dir).split("/")
        node = root
        for part in parts[:-1]:
            node = node.dirs.setdefault(part, _Node())
        if parts[-1] == INDEX_NAME:
            node.index = path
        else:
            node.files[parts[-1]] = path
    seen: dict[str, str] = {}
    clauses = _children(snapshot, root, "", doc_dir, manifest.id, seen, problems)
    if root.index is not None:
        problems.append(Problem("layout", "a document directory has no _index.md; "
                                "its title lives in document.yaml", document=manifest.id,
                                file=root.index, line=1))
    index = {}
    document = Document(doc_dir, manifest, tuple(clauses), index)
    for clause in document.walk():
        index[clause.id] = clause
        for problem in _language_problems(clause, manifest.languages, manifest.id):
            problems.append(problem)
    problems += check_references(document)
    return document, problems


def _children(snapshot: Snapshot, node: _Node, parent_number: str, where: str, doc_id: str,
              seen: dict[str, str], problems: list[Problem]) -> list[Clause]:
    entries: list[tuple[str, str, _Node | None]] = [
        (sort_key(name), path, None) for name, path in node.files.items()]
    for name, child in node.dirs.items():
        if child.index is None:
            problems.append(Problem(
                "layout", f"directory '{name}/' has clause files but no _index.md; a clause "
                "with sub-clauses keeps its own title and text in _index.md",
                document=doc_id, file=posixpath.join(where, name) + "/", line=None))
            continue
        entries.append((sort_key(name), child.index, child))
    entries.sort(key=lambda entry: entry[0])
    parsed = [parse_clause_file(path, snapshot.content(path)) for _, path, _ in entries]
    numbers = number_siblings(parent_number, [p.numbered for p in parsed])
    clauses: list[Clause] = []
    for (name, path, sub), data, number in zip(entries, parsed, numbers, strict=True):
        problems.extend(_with_doc(data.problems, doc_id))
        if data.id is None:
            continue
        if data.id in seen:
            problems.append(Problem("duplicate-id", f"id {data.id!r} is already used by "
                                    f"{seen[data.id]}; ids are unique and never reused",
                                    document=doc_id, clause=data.id, file=path, line=2))
            continue
        seen[data.id] = path
        children: tuple[Clause, ...] = ()
        if sub is not None:
            children = tuple(_children(snapshot, sub, number, posixpath.join(where, name),
                                       doc_id, seen, problems))
        clauses.append(Clause(id=data.id, file=path, number=number, title=data.title,
                              body=data.body, numbered=data.numbered,
                              translation_pending=data.translation_pending,
                              children=children, body_lines=data.body_lines))
    return clauses


def _with_doc(problems: tuple[Problem, ...], doc_id: str) -> list[Problem]:
    from dataclasses import replace
    return [replace(p, document=doc_id) for p in problems]


def _language_problems(clause: Clause, languages: tuple[str, ...], doc_id: str) -> list[Problem]:
    out: list[Problem] = []
    for lang, text in clause.body.items:
        if lang not in languages:
            out.append(Problem("language-block", f"unknown language block <!-- {lang} -->; "
                               f"this document has {', '.join(languages)}", document=doc_id,
                               clause=clause.id, file=clause.file, line=clause.block_line(lang)))
        elif not text.strip():
            out.append(Problem("language-block", f"the <!-- {lang} --> block is empty",
                               document=doc_id, clause=clause.id, file=clause.file,
                               line=clause.block_line(lang)))
    for lang in languages:
        if not clause.body.has(lang) and not (clause.title.has(lang) and clause.children):
            out.append(Problem("language-block", f"no <!-- {lang} --> block", document=doc_id,
                               clause=clause.id, file=clause.file, line=None))
        if clause.title and not clause.title.has(lang):
            out.append(Problem("language-block", f"the title has no {lang!r} text",
                               document=doc_id, clause=clause.id, file=clause.file, line=2))
    return out
