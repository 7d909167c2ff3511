"""Clause addresses: how a person names a clause on the command line.

A clause is named by its current number (``2.3.1``), its id (``s2-3-1``) or its file
(``terms/product/terms-of-service/02-fees/.../01-pay-before-use.md``, or the
directory of a clause with sub-clauses). ``DOC:`` in front picks a document when several
have a match: the document's id, its directory name or its path
(``terms-of-service:2.3.1``). A pure dotted number is always a number, never an id; an
argument with a ``/`` or ending in ``.md`` is a file. An argument that names several
clauses is an error listing them, so nobody edits the wrong clause by accident.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass

from termstool.errors import UsageError
from termstool.format.loader import INDEX_NAME
from termstool.model.document import Clause, Document

NUMBER_RE = re.compile(r"^\d+(?:\.\d+)*\.?$")  # 3, 2.3.1 and 2.3.1. (as written in text)


@dataclass(frozen=True, slots=True)
class ClauseRef:
    """A clause found by its address, with the document it belongs to."""

    document: Document
    clause: Clause

    @property
    def label(self) -> str:
        """``DOC:NUMBER`` (or ``DOC:ID`` for an unnumbered clause): an unambiguous address."""
        return f"{self.document.id}:{self.clause.number or self.clause.id}"

    def describe(self) -> str:
        """The address, the id and the file, for messages that list candidates."""
        return f"{self.label} (id {self.clause.id}, {self.clause.file})"


class AddressError(UsageError):
    """A clause address that names no clause, or more than one."""


@dataclass(frozen=True, slots=True)
class Address:
    """A parsed address: which documents to look in, what kind of name, and the name."""

    document: str | None  # the DOC: part, if any
    kind: str  # "number", "id" or "path"
    value: str


def parse_address(text: str) -> Address:
    """Split ``DOC:`` off and tell a number, an id and a file path apart."""
    text = text.strip()
    document: str | None = None
    head, sep, rest = text.partition(":")
    if sep and head and "/" not in rest[:1]:
        document, text = head, rest.strip()
    if not text:
        raise AddressError(f"{document}: names a document but no clause; write "
                           f"{document}:NUMBER, e.g. {document}:2.3.1")
    if NUMBER_RE.match(text):
        return Address(document, "number", text.rstrip("."))
    if "/" in text or "\\" in text or text.endswith(".md"):
        return Address(document, "path", text.replace("\\", "/"))
    return Address(document, "id", text)


def _documents_named(documents: Sequence[Document], name: str, cwd: str) -> list[Document]:
    here = posixpath.normpath(posixpath.join(cwd, name)) if cwd else posixpath.normpath(name)
    return [d for d in documents if name in (d.id, posixpath.basename(d.path), d.path)
            or here == d.path]


def _paths(value: str, cwd: str) -> list[str]:
    """The repository paths a path argument may mean: from the current directory, or
    from the repository root."""
    out = []
    for base in (cwd, ""):
        path = posixpath.normpath(posixpath.join(base, value)) if base \
            else posixpath.normpath(value)
        path = path.rstrip("/")
        if not path.endswith(".md"):
            path = f"{path}/{INDEX_NAME}"
        if path not in out:
            out.append(path)
    return out


def find_clauses(documents: Sequence[Document], text: str, *, cwd: str = "") -> list[ClauseRef]:
    """Every clause the address names (usually one); ``cwd`` is the current directory
    relative to the repository root, for file paths."""
    address = parse_address(text)
    pool = list(documents)
    if address.document is not None:
        pool = _documents_named(documents, address.document, cwd)
        if not pool:
            known = ", ".join(d.id for d in documents) or "none"
            raise AddressError(f"{address.document!r} in {text!r} is not a document here "
                               f"(documents: {known}); write DOC:CLAUSE with a document id")
    hits: list[ClauseRef] = []
    paths = _paths(address.value, cwd) if address.kind == "path" else []
    for document in pool:
        for clause in document.walk():
            if (address.kind == "number" and clause.number == address.value) \
                    or (address.kind == "id" and clause.id == address.value) \
                    or (address.kind == "path" and clause.file in paths):
                hits.append(ClauseRef(document, clause))
    return hits


def resolve_clause(documents: Sequence[Document], text: str, *, cwd: str = "") -> ClauseRef:
    """The one clause an address names; ``AddressError`` when it names none or several."""
    hits = find_clauses(documents, text, cwd=cwd)
    if len(hits) == 1:
        return hits[0]
    address = parse_address(text)
    if hits:
        listing = "; ".join(hit.describe() for hit in hits)
        raise AddressError(f"{text!r} names {len(hits)} clauses: {listing}; write DOC:CLAUSE "
                           f"to choose, e.g. {hits[0].label}")
    where = ", ".join(d.id for d in documents) or "no document"
    what = {"number": f"no clause is numbered {address.value}",
            "id": f"no clause has the id {address.value!r}",
            "path": f"no clause is in the file {address.value}"}[address.kind]
    raise AddressError(f"{what} in {where}; 'terms outline' lists every clause with its "
                       "number, id and file")
