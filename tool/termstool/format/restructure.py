"""Plans for changing a document's clause tree: add, move and remove clauses, reorder files.

Pure: a document and a way to read its files' text come in; a :class:`Plan` of files
to write and delete comes out, with the renumbering it causes. Nothing is written here.

The rules every plan keeps (docs/format.md, "Editing the structure"):

- A clause keeps its id and its file's slug wherever it goes; only the sort prefix of a
  file name follows its position. Every directory an operation changes is re-prefixed
  densely (``01-``, ``02-``, ...; a leading unnumbered clause such as the preamble is
  ``00-``), so there is never a ``01a-``; directories it does not change keep their names.
- A clause that receives its first sub-clause becomes a directory with ``_index.md``;
  a clause that loses its last one becomes a file again.
- Cross-references whose written number went stale are rewritten to the new number
  (``第[6.2](#s6-2)条`` -> ``第[6.3](#s6-2)条``); nothing else in a file changes.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field

from termstool.errors import UsageError
from termstool.format.clause_file import format_clause_file
from termstool.format.loader import INDEX_NAME
from termstool.format.naming import clause_id_for, slug
from termstool.format.numbering import number_siblings
from termstool.format.references import LINK_RE, find_references
from termstool.model.document import Clause, Document, Texts

_PREFIX_RE = re.compile(r"^(\d+)[a-z]*-")  # "03-", and "02a-" of a hand-made insertion

ReadText = Callable[[str], str]  # the text of a repository file


@dataclass(frozen=True, slots=True)
class Renumbering:
    """One clause whose number changed; ``None`` on a side where it does not exist."""

    id: str
    old: str | None
    new: str | None
    moved: bool = False  # the clause the operation moved (not just pushed along)


@dataclass(frozen=True, slots=True)
class Plan:
    """What an operation writes and deletes, and what it does to numbers and links."""

    document: str  # the document directory
    writes: Mapping[str, str]  # repository path -> new text
    deletes: tuple[str, ...]
    renames: tuple[tuple[str, str], ...]  # (old file, new file) of clauses that stay
    renumbering: tuple[Renumbering, ...]  # in document order; removed clauses last
    relinked: tuple[str, ...]  # ids of clauses whose cross-reference numbers were rewritten
    unlinked: tuple[str, ...]  # ids of clauses whose links to a removed clause became text
    numbers: Mapping[str, str]  # id -> number after the operation
    files: Mapping[str, str]  # id -> file after the operation
    added: str | None = None  # the id of a new clause

    @property
    def empty(self) -> bool:
        """True when nothing would change on disk."""
        return not self.writes and not self.deletes

    def touched(self) -> tuple[str, ...]:
        """Every path the plan writes or deletes."""
        return tuple(sorted({*self.writes, *self.deletes}))


@dataclass(frozen=True, slots=True)
class NewClause:
    """The text of a clause to add; ``id`` None means: make a fresh one."""

    title: Texts
    body: Texts
    id: str | None = None
    translation_pending: bool = False


@dataclass(slots=True, eq=False)
class _Node:
    id: str
    numbered: bool
    file: str | None  # the clause's current file; None for a new clause
    name: str  # the current entry name: file name without .md, or the directory name
    clause: Clause | None
    children: list[_Node] = field(default_factory=list)
    content: str | None = None  # the text of a new clause


def entry_name(file: str) -> str:
    """A clause's entry in its directory: ``03-rights`` for ``03-rights/_index.md``,
    ``01-service`` for ``01-service.md``."""
    if file.endswith("/" + INDEX_NAME):
        return posixpath.basename(posixpath.dirname(file))
    return posixpath.basename(file).removesuffix(".md")


def slug_of(name: str) -> str:
    """The readable part of an entry name, without its sort prefix."""
    return _PREFIX_RE.sub("", name, count=1)


def prefix_value(name: str) -> int | None:
    """The number a name's sort prefix stands for (``9`` for ``9-x``), if it has one."""
    match = _PREFIX_RE.match(name)
    return int(match.group(1)) if match else None


def prefixed_names(numbered: list[bool], slugs: list[str], current: list[str | None]) -> list[str]:
    """Dense, readable names for a run of siblings in their order.

    A numbered clause's prefix is its number among the siblings and an unnumbered one
    takes the count before it (a preamble is ``00-``); if that gives two siblings the
    same prefix, the prefix is simply the position (1, 2, 3...). The width is the one
    the directory already uses, at least two digits.
    """
    values: list[int] = []
    count = 0
    for flag in numbered:
        count += flag
        values.append(count)
    if len(set(values)) != len(values):
        values = list(range(1, len(numbered) + 1))
    widths = {len(m.group(1)) for name in current if name and (m := _PREFIX_RE.match(name))}
    width = max(2, len(str(max(values, default=0))), *(widths if len(widths) == 1 else ()))
    return [f"{value:0{width}d}-{text}" for value, text in zip(values, slugs, strict=True)]


def rewrite_links(text: str, numbers: Mapping[str, str],
                  unlink: Collection[str] = ()) -> str:
    """A clause file's text with each stale cross-reference number rewritten, and links to
    the ids in ``unlink`` turned into their written text; the front matter is untouched."""
    lines = text.split("\n")
    end = None
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        return text
    head, body = "\n".join(lines[: end + 1]), "\n".join(lines[end + 1:])

    def replace(match: re.Match[str]) -> str:
        written, target = match.group(1), match.group(2)
        if target in unlink:
            return written
        number = numbers.get(target)
        if number and written.strip() != number:
            return f"[{number}](#{target})"
        return match.group(0)

    return head + "\n" + LINK_RE.sub(replace, body)


def _needs_links(clause: Clause, numbers: Mapping[str, str], unlink: Collection[str]) -> bool:
    for _lang, text in clause.body.items:
        for ref in find_references(text):
            if ref.target in unlink:
                return True
            number = numbers.get(ref.target)
            if number and ref.written != number:
                return True
    return False


def text_slug(title: Texts, body: Texts, fallback: str) -> str:
    """A file-name slug for a new clause: from the title, else the text, in whichever
    language is written most in ASCII letters (slugs are ASCII)."""
    for texts in (title, body):
        scored = [(sum(c.isascii() and c.isalpha() for c in text) / max(1, len(text)), text)
                  for _lang, text in texts.items if text.strip()]
        if scored:
            best = max(scored, key=lambda item: item[0])
            if best[0] >= 0.3:
                return slug(best[1], fallback)
    return fallback


def _slug(node: _Node) -> str:
    """The readable part of a clause's file name; its id when the name has none (``01.md``)."""
    found = slug_of(node.name)
    return found if found and not found.isdigit() else node.id


class Tree:
    """An editable copy of one document's clause tree; :meth:`plan` lays it out as files."""

    def __init__(self, document: Document, read: ReadText) -> None:
        self.document = document
        self.read = read
        self.root = _Node("", True, None, "", None)
        self._nodes: dict[str, _Node] = {}
        self._parents: dict[str, _Node] = {}
        self._relaid: set[int] = set()  # ids (id()) of parents whose children are re-prefixed
        self._order: dict[int, Callable[[list[_Node]], list[_Node]]] = {}
        self._moved: set[str] = set()
        self._removed: list[_Node] = []
        self._unlink: set[str] = set()
        self._added: str | None = None

        def build(clauses: tuple[Clause, ...], parent: _Node) -> None:
            for clause in clauses:
                node = _Node(clause.id, clause.numbered, clause.file, entry_name(clause.file),
                             clause)
                parent.children.append(node)
                self._nodes[clause.id] = node
                self._parents[clause.id] = parent
                build(clause.children, node)

        build(document.clauses, self.root)

    # ------------------------------------------------------------------ looking up

    def node(self, clause_id: str) -> _Node:
        """The node of a clause of this document."""
        found = self._nodes.get(clause_id)
        if found is None:
            raise UsageError(f"no clause {clause_id!r} in {self.document.id}")
        return found

    def _walk(self, node: _Node) -> Iterator[_Node]:
        yield node
        for child in node.children:
            yield from self._walk(child)

    def _place(self, anchor: str, where: str, first: bool) -> tuple[_Node, int]:
        """The parent and index an ``--after``/``--before``/``--under`` anchor means."""
        target = self.node(anchor)
        if where == "under":
            return target, 0 if first else len(target.children)
        parent = self._parents[anchor]
        index = parent.children.index(target)
        return parent, index + 1 if where == "after" else index

    def _detach(self, node: _Node) -> None:
        parent = self._parents[node.id]
        parent.children.remove(node)
        self._relaid.add(id(parent))

    def _check_leaves(self) -> None:
        """A clause left without sub-clauses needs text of its own in every language."""
        languages = self.document.manifest.languages
        for node in self._walk(self.root):
            clause = node.clause
            if clause is None or not clause.children or node.children:
                continue
            if not all(clause.body.get(lang).strip() for lang in languages):
                raise UsageError(
                    f"clause {clause.number or clause.id} ({clause.id}) would have no "
                    "sub-clauses left and has no text of its own, only a title: remove it "
                    "with its sub-clauses (terms clause remove --recursive), or write its "
                    "text first")

    def _attach(self, node: _Node, parent: _Node, index: int) -> None:
        parent.children.insert(index, node)
        self._parents[node.id] = parent
        self._relaid.add(id(parent))

    # ------------------------------------------------------------------ operations

    def add(self, new: NewClause, anchor: str, where: str, first: bool,
            taken: Collection[str]) -> str:
        """Insert a new clause; returns its id (``new.id``, or a fresh one made from the
        number it gets, see :func:`~termstool.format.naming.clause_id_for`)."""
        parent, index = self._place(anchor, where, first)
        node = _Node("\0new", True, None, "", None)  # a stand-in id until it has a number
        parent.children.insert(index, node)
        self._relaid.add(id(parent))
        node.id = new.id or clause_id_for(self._numbers()[node.id], set(taken))
        if node.id in self._nodes:
            raise UsageError(f"id {node.id!r} is already used by clause "
                             f"{self._label(self._nodes[node.id])}; ids are never reused")
        self._nodes[node.id] = node
        self._parents[node.id] = parent
        node.name = text_slug(new.title, new.body, node.id)
        node.content = format_clause_file(node.id, new.title, new.body,
                                          translation_pending=new.translation_pending)
        self._added = node.id
        return node.id

    def move(self, clause_id: str, anchor: str, where: str, first: bool) -> None:
        """Move a clause (with its sub-clauses) next to or under another clause."""
        node = self.node(clause_id)
        if anchor == clause_id:
            raise UsageError(f"cannot move clause {self._label(node)} {where} itself")
        target = self.node(anchor)
        if any(n is target for n in self._walk(node)):
            raise UsageError(f"cannot move clause {self._label(node)} {where} "
                             f"{self._label(target)}, which is one of its own sub-clauses")
        old_parent = self._parents[clause_id]
        old_index = old_parent.children.index(node)
        self._detach(node)
        parent, index = self._place(anchor, where, first)
        if parent is old_parent and index == old_index:
            self._attach(node, parent, index)  # already there: nothing moves or is renamed
            self._relaid.discard(id(parent))
            return
        self._attach(node, parent, index)
        self._moved.add(clause_id)

    def remove(self, clause_id: str, *, recursive: bool, unlink: bool) -> list[Clause]:
        """Remove a clause; returns the clauses (outside it) that still refer to it.

        Without ``unlink`` those references make it an error; with it, their links
        become plain text.
        """
        node = self.node(clause_id)
        if node.children and not recursive:
            numbers = ", ".join(self._label(child) for child in node.children)
            raise UsageError(f"clause {self._label(node)} has sub-clauses ({numbers}); "
                             "pass --recursive to remove them with it")
        gone = {n.id for n in self._walk(node)}
        referring = [c for c in self.document.walk() if c.id not in gone and any(
            ref.target in gone for _lang, text in c.body.items for ref in find_references(text))]
        if referring and not unlink:
            listing = "; ".join(f"{c.number or '·'} ({c.id}, {c.file})" for c in referring)
            raise UsageError(f"clause {self._label(node)} is referred to by {listing}; change "
                             "those references first, or pass --force to turn them into plain "
                             "text")
        self._detach(node)
        self._removed.append(node)
        self._unlink |= gone
        return referring

    def reorder(self, directory: str) -> None:
        """Put the clauses of one directory in the order of their prefixes' values and
        re-prefix them densely (``terms check --fix`` for ``9-x`` sorted after ``10-y``).

        A name without a prefix stays behind the name before it."""
        parent = self.root if directory == self.document.path else next(
            (n for n in self._nodes.values() if n.file == f"{directory}/{INDEX_NAME}"), None)
        if parent is None:
            return
        keys: dict[int, tuple[int, int]] = {}
        value = -1
        for index, child in enumerate(parent.children):
            found = prefix_value(child.name)
            value = found if found is not None else value
            keys[id(child)] = (value, index)
        parent.children.sort(key=lambda child: keys[id(child)])
        self._relaid.add(id(parent))

    def _label(self, node: _Node) -> str:
        return (node.clause.number if node.clause is not None else "") or node.id

    # ------------------------------------------------------------------ layout

    def _numbers(self) -> dict[str, str]:
        out: dict[str, str] = {}

        def visit(node: _Node, number: str) -> None:
            numbers = number_siblings(number, [child.numbered for child in node.children])
            for child, child_number in zip(node.children, numbers, strict=True):
                out[child.id] = child_number
                visit(child, child_number)

        visit(self.root, "")
        return out

    def _files(self) -> dict[str, str]:
        out: dict[str, str] = {}

        def visit(node: _Node, where: str) -> None:
            names = [child.name for child in node.children]
            if id(node) in self._relaid:
                names = prefixed_names([c.numbered for c in node.children],
                                       [_slug(c) for c in node.children],
                                       [c.name if c.file else None for c in node.children])
            for child, name in zip(node.children, names, strict=True):
                if child.children:
                    out[child.id] = f"{where}/{name}/{INDEX_NAME}"
                    visit(child, f"{where}/{name}")
                else:
                    out[child.id] = f"{where}/{name}.md"

        visit(self.root, self.document.path)
        return out

    def plan(self) -> Plan:
        """The files to write and delete for the tree as it now is."""
        self._check_leaves()
        numbers = self._numbers()
        files = self._files()
        old_numbers = {c.id: c.number for c in self.document.walk()}
        old_files = {c.file for c in self.document.walk()}
        writes: dict[str, str] = {}
        renames: list[tuple[str, str]] = []
        relinked: list[str] = []
        unlinked: list[str] = []
        for node in self._walk(self.root):
            if node is self.root:
                continue
            path = files[node.id]
            if node.clause is None:
                assert node.content is not None
                writes[path] = rewrite_links(node.content, numbers)
                continue
            assert node.file is not None
            stale = _needs_links(node.clause, numbers, self._unlink)
            if not stale and path == node.file:
                continue
            text = self.read(node.file)
            if stale:
                new_text = rewrite_links(text, numbers, self._unlink)
                if new_text != text:
                    text = new_text
                    if any(ref.target in self._unlink for _l, body in node.clause.body.items
                           for ref in find_references(body)):
                        unlinked.append(node.id)
                    else:
                        relinked.append(node.id)
            if path != node.file:
                renames.append((node.file, path))
            writes[path] = text
        deletes = tuple(sorted(old_files - set(files.values())))
        renumbering = [Renumbering(cid, old_numbers.get(cid), number, cid in self._moved)
                       for cid, number in numbers.items()
                       if old_numbers.get(cid) != number or cid in self._moved]
        renumbering += [Renumbering(n.id, old_numbers[n.id], None)
                        for removed in self._removed for n in self._walk(removed)]
        return Plan(self.document.path, writes, deletes, tuple(renames), tuple(renumbering),
                    tuple(relinked), tuple(unlinked), numbers, files, self._added)
