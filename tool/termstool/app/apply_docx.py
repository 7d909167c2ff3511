"""`terms apply`: bring the edits made to an exported Word file back into the clause files.

The file says what was exported (its custom XML part: each clause's bookmark, number and
Markdown text). Paragraphs are mapped to clauses by their bookmarks and to languages by
their styles; a clause language whose text (with bold, italic, code and links) is what
was exported is left alone, so exporting and applying without edits changes no byte.
A changed paragraph is written back as a small edit of its Markdown where that renders
exactly to the new text (links and emphasis around the edit are kept); otherwise the
paragraph is written anew from the Word runs.

Refused, with nothing written: unresolved revisions (unless ``accept_all``), text outside
every clause (unless ``add``, which makes new clauses of it), and edits to clauses whose
text in the working tree is no longer what was exported (the file is from another
version and its changes do not apply cleanly).
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from termstool.app.importing import _retired_ids
from termstool.app.workspace import Workspace
from termstool.compare.text_diff import DELETE, EQUAL, INSERT, diff_text
from termstool.errors import ExitCode, TermsError, UnreadableInput, UsageError
from termstool.format.clause_file import MARKER_RE, format_clause_file
from termstool.format.commonmark import CLAUSE_FILE, escape_markdown, tokens
from termstool.format.naming import clause_id_for, slug
from termstool.format.rich_text import Paragraph, Span, Style, merge, paragraphs, plain
from termstool.importer.docx_reader import (
    ClauseText,
    Export,
    ExportedClause,
    ExportedDocument,
    ParagraphText,
    read_docx,
)
from termstool.model.document import Clause, Document, Texts
from termstool.model.languages import by_character
from termstool.storage.files import apply_changes, read_capped


class ApplyRefused(TermsError):
    """The edits cannot be applied as they are; the message says what to resolve."""

    exit_code = ExitCode.PROBLEMS


@dataclass(frozen=True, slots=True)
class AppliedClause:
    """One clause whose text changed (or that was added)."""

    number: str
    id: str
    languages: tuple[str, ...]
    file: str
    added: bool = False


@dataclass(frozen=True, slots=True)
class ApplyResult:
    """What ``terms apply`` did, and what it could not keep."""

    changed: tuple[AppliedClause, ...]
    notes: tuple[str, ...]  # formatting that cannot be kept, and similar remarks
    other_version: str | None = None  # the file is from another version (applied cleanly)


@dataclass(slots=True)
class _Plan:
    writes: dict[str, str] = field(default_factory=dict)
    changed: list[AppliedClause] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def apply_docx(workspace: Workspace, file: Path, *, accept_all: bool = False,
               add: bool = False) -> ApplyResult:
    """Apply the edits in ``file`` to the working tree (see the module docstring)."""
    word = read_docx(read_capped(file), str(file))
    export = word.export
    if export is None:
        raise UnreadableInput("this Word file carries no record of what terms exported, so "
                              "its paragraphs cannot be matched to clauses; export with "
                              "'terms render -o FILE.docx' and edit that file (a program "
                              "other than Word may have dropped the record when saving)",
                              file=str(file))
    if export.kind != "render":
        raise UsageError(f"{file} is a redline; terms apply takes a file exported with "
                         "'terms render -o FILE.docx'")
    bookmarks = export.by_bookmark()
    if word.revisions and not accept_all:
        lines = []
        for mark in word.revisions:
            where = "outside the clauses"
            if mark.bookmark in bookmarks:
                record = bookmarks[mark.bookmark][1]
                where = f"clause {record.number or '·'} ({record.id})"
            who = f" by {mark.author}" if mark.author else ""
            text = f": {mark.text!r}" if mark.text else ""
            lines.append(f"{where}: {mark.kind}{who}{text}")
        raise ApplyRefused(f"{file} has {len(word.revisions)} unresolved tracked change(s); "
                           "accept or reject them in Word, or pass --accept-all to accept "
                           "them all:\n  " + "\n  ".join(lines))
    view = word.view("accept")
    loaded = workspace.require_documents()
    current = {document.id: document for document in loaded.documents}
    texts = view.clauses()
    plan = _Plan()
    for note in view.formatting:
        found = bookmarks.get(note.bookmark)
        where = f"clause {found[1].number or '·'} ({found[1].id})" if found else "?"
        plan.notes.append(f"{where}: {note.what} on {note.text.strip()!r} cannot be kept "
                          "in a clause file; the text is kept without it")
    other_version: str | None = None
    for exported in export.documents:
        document = current.get(exported.id)
        if document is None:
            raise ApplyRefused(f"{file} holds document {exported.id!r}, which is not in "
                               f"{workspace.where()}")
        if _differs(exported, document):
            other_version = exported.version or "?"
        _document(plan, workspace, exported, document, texts, bookmarks)
    outside = view.outside(export.front)
    if outside and not add:
        listed = "\n  ".join(f"after {_after(p, bookmarks)}: {p.text.strip()!r}"
                             for p in outside)
        raise ApplyRefused(f"{file} has {len(outside)} paragraph(s) outside every clause; "
                           "move them into a clause in Word, or pass --add to make each "
                           "group a new clause after the clause before it:\n  " + listed)
    if outside:
        _new_clauses(plan, workspace, export, current, outside, bookmarks)
    if plan.conflicts:
        raise ApplyRefused(
            f"{file} was exported from version {other_version or '?'} and the working tree "
            "has changed since in the clauses it edits; nothing was written. Export the "
            "current text again, or bring these edits over by hand:\n  "
            + "\n  ".join(plan.conflicts))
    if plan.writes:
        try:
            apply_changes(workspace.root, plan.writes, ())
        except OSError as exc:
            raise TermsError(f"cannot write the clause files: {exc.strerror or exc}; "
                             "nothing was changed") from exc
    return ApplyResult(tuple(plan.changed), tuple(plan.notes),
                       other_version if plan.changed else None)


def _after(para: ParagraphText, bookmarks: Mapping[str, tuple[ExportedDocument,
                                                               ExportedClause]]) -> str:
    if para.previous is None or para.previous not in bookmarks:
        return "the start"
    record = bookmarks[para.previous][1]
    return f"clause {record.number or '·'} ({record.id})"


def _differs(exported: ExportedDocument, document: Document) -> bool:
    """True when the working tree's text is not what was exported."""
    if exported.version is not None and exported.version != document.manifest.version:
        return True
    ids = [c.id for c in document.walk()]
    if ids != [c.id for c in exported.clauses]:
        return True
    for record in exported.clauses:
        clause = document.clause(record.id)
        assert clause is not None
        if _exported_texts(clause, document) != record.texts:
            return True
    return False


def _exported_texts(clause: Clause, document: Document) -> tuple[tuple[str, str, str], ...]:
    out: list[tuple[str, str, str]] = []
    for lang in document.manifest.languages:
        if clause.title.has(lang):
            out.append((lang, "title", clause.title.get(lang)))
        if clause.body.has(lang):
            out.append((lang, "body", clause.body.get(lang)))
    return tuple(out)


# ------------------------------------------------------------------------ changed clauses


def _document(plan: _Plan, workspace: Workspace, exported: ExportedDocument,
              document: Document, texts: Mapping[str, Mapping[str, ClauseText]],
              bookmarks: Mapping[str, tuple[ExportedDocument, ExportedClause]]) -> None:
    old_numbers = {record.id: record.number for record in exported.clauses}
    numbers = {c.id: c.number for c in document.walk()}
    ids = {bookmark: record.id for bookmark, (_, record) in bookmarks.items()}
    for record in exported.clauses:
        shown = texts.get(record.bookmark, {})
        titles: dict[str, str] = {}
        bodies: dict[str, str] = {}
        langs: list[str] = []
        for lang in document.manifest.languages:
            got = shown.get(lang)
            new_title = tuple(_links(p, ids) for p in got.title) if got else ()
            new_body = tuple(_links(p, ids) for p in got.body) if got else ()
            base_title = record.text(lang, "title")
            base_body = record.text(lang, "body")
            if new_title != paragraphs(base_title or "", {}):
                titles[lang] = _rewrite(base_title or "", paragraphs(base_title or "", {}),
                                        new_title, numbers, lang, inline=True)
            if new_body != paragraphs(base_body or "", old_numbers):
                bodies[lang] = _rewrite(base_body or "", paragraphs(base_body or "",
                                                                    old_numbers),
                                        new_body, numbers, lang)
            if lang in titles or lang in bodies:
                langs.append(lang)
        if not langs:
            continue
        clause = document.clause(record.id)
        if clause is None:
            plan.conflicts.append(f"clause {record.number} ({record.id}) is edited in the "
                                  "file but no longer exists")
            continue
        stale = [lang for lang in langs
                 if (lang in titles and clause.title.get(lang) != (record.text(lang, "title")
                                                                   or ""))
                 or (lang in bodies and clause.body.get(lang) != (record.text(lang, "body")
                                                                  or ""))]
        if stale:
            plan.conflicts.append(f"clause {clause.number or '·'} ({clause.id}), "
                                  f"{', '.join(stale)}: changed both in the file and in "
                                  "the working tree")
            continue
        path = workspace.root / clause.file
        source = path.read_text(encoding="utf-8")
        plan.writes[clause.file] = _write_clause(source, clause, titles, bodies)
        plan.changed.append(AppliedClause(clause.number, clause.id, tuple(langs),
                                          clause.file))


def _links(para: Paragraph, ids: Mapping[str, str]) -> Paragraph:
    """Links to a bookmark become links to its clause id (``#s3-2``); others stay."""
    out = []
    for span in para:
        link = span.style.link
        if link is not None and link.startswith("#"):
            target = ids.get(link[1:])
            style = Style(span.style.bold, span.style.italic, span.style.code,
                          f"#{target}" if target else None)
            out.append(Span(span.text, style))
        else:
            out.append(span)
    return merge(out)


def _write_clause(source: str, clause: Clause, titles: Mapping[str, str],
                  bodies: Mapping[str, str]) -> str:
    """The clause file with new texts: only the changed language blocks are replaced,
    unless a title changed (the front matter is then written anew)."""
    if titles:
        title = Texts(tuple((lang, titles.get(lang, text)) for lang, text in clause.title.items)
                      + tuple((lang, text) for lang, text in titles.items()
                              if not clause.title.has(lang)))
        body = Texts(tuple((lang, bodies.get(lang, text)) for lang, text in clause.body.items)
                     + tuple((lang, text) for lang, text in bodies.items()
                             if not clause.body.has(lang)))
        return format_clause_file(clause.id, title, body, numbered=clause.numbered,
                                  translation_pending=clause.translation_pending)
    lines = source.split("\n")
    for lang, text in bodies.items():
        lines = _replace_block(lines, lang, text)
    return "\n".join(lines)


def _replace_block(lines: list[str], lang: str, text: str) -> list[str]:
    start = next((i for i, line in enumerate(lines)
                  if (m := MARKER_RE.match(line)) and m.group(1) == lang), None)
    if start is None:  # no block yet: add one at the end
        tail = lines[:-1] if lines and lines[-1] == "" else lines
        return [*tail, "", f"<!-- {lang} -->", *text.split("\n"), ""]
    end = next((i for i in range(start + 1, len(lines)) if MARKER_RE.match(lines[i])),
               len(lines))
    block = lines[start + 1:end]
    first = next((i for i, line in enumerate(block) if line.strip()), len(block))
    last = max((i for i, line in enumerate(block) if line.strip()), default=first - 1)
    return [*lines[:start + 1], *block[:first], *text.split("\n"), *block[last + 1:],
            *lines[end:]]


# ------------------------------------------------------------------------ Markdown back


def _rewrite(source: str, old: Sequence[Paragraph], new: Sequence[Paragraph],
             numbers: Mapping[str, str], lang: str, *, inline: bool = False) -> str:
    """New Markdown for a text whose rendered paragraphs went from ``old`` to ``new``:
    unchanged paragraphs keep their source, a changed one is edited in place where
    possible, anything else is written from the runs."""
    blocks = _blocks(source) if not inline else [source]
    if len(blocks) != len(old):  # a construct the paragraphs do not map onto one by one
        blocks = []
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=list(old), b=list(new), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" and blocks:
            out += blocks[i1:i2]
            continue
        if tag == "replace" and blocks and i2 - i1 == j2 - j1:
            for index in range(i2 - i1):
                spliced = _splice(blocks[i1 + index], old[i1 + index], new[j1 + index],
                                  numbers, lang)
                out.append(spliced if spliced is not None
                           else to_markdown(new[j1 + index], numbers))
            continue
        out += [to_markdown(para, numbers) for para in new[j1:j2]]
    return ("\n\n" if not inline else " ").join(out)


def _blocks(source: str) -> list[str]:
    """The source of each rendered paragraph, by the line map of its block token."""
    lines = source.split("\n")
    out = []
    for token in tokens(source, {}, lambda target: target):
        if token.type in ("inline", "code_block", "fence") and token.map:
            start, end = token.map
            out.append("\n".join(lines[start:end]).strip("\n"))
    return out


def _splice(source: str, old: Paragraph, new: Paragraph, numbers: Mapping[str, str],
            lang: str) -> str | None:
    """``source`` with the text edits from ``old`` to ``new`` made in place, when the
    result renders exactly as ``new``; None otherwise."""
    old_plain, new_plain = plain([old]), plain([new])
    where = _positions(old_plain, source)
    edits = diff_text(old_plain, new_plain, lang)
    for prefer_after in (True, False):
        result = _edit(source, where, edits, prefer_after)
        if result is not None and paragraphs(result, numbers) == (new,):
            return result
    return None


def _positions(text: str, source: str) -> list[int | None]:
    """For each character of the rendered text, its offset in the source (or None)."""
    out: list[int | None] = [None] * len(text)
    at_text = at_source = 0
    for op, chunk in diff_text(text, source):  # by character, whatever the language
        if op == EQUAL:
            for k in range(len(chunk)):
                out[at_text + k] = at_source + k
        if op != INSERT:
            at_text += len(chunk)
        if op != DELETE:
            at_source += len(chunk)
    return out


def _edit(source: str, where: list[int | None], edits: Sequence[tuple[str, str]],
          prefer_after: bool) -> str | None:
    deleted: set[int] = set()
    inserts: list[tuple[int, str]] = []
    at = 0
    for op, chunk in edits:
        if op == EQUAL:
            at += len(chunk)
        elif op == DELETE:
            for k in range(at, at + len(chunk)):
                if where[k] is None:
                    return None
                deleted.add(where[k])  # type: ignore[arg-type]
            at += len(chunk)
        else:
            before = where[at - 1] if at > 0 else None
            after = where[at] if at < len(where) else None
            if prefer_after and before is not None:
                point = before + 1
            elif after is not None:
                point = after
            elif before is not None:
                point = before + 1
            elif not where:
                point = len(source)
            else:
                return None
            inserts.append((point, _escape(chunk, point == 0 or source[point - 1] == "\n")))
    out = []
    pending = sorted(inserts, key=lambda item: item[0])
    index = 0
    for offset, char in enumerate(source):
        while index < len(pending) and pending[index][0] == offset:
            out.append(pending[index][1])
            index += 1
        if offset not in deleted:
            out.append(char)
    out += [text for _, text in pending[index:]]
    return "".join(out)


def _escape(text: str, at_line_start: bool) -> str:
    """Plain text as Markdown that shows it literally; a line break as a hard break."""
    parts = text.split("\n")
    escaped = [escape_markdown(part, CLAUSE_FILE, at_line_start=at_line_start or index > 0)
               for index, part in enumerate(parts)]
    return "\\\n".join(escaped)


def to_markdown(para: Paragraph, numbers: Mapping[str, str]) -> str:
    """A paragraph of spans as Markdown: emphasis, code and links as the format writes
    them, text escaped so it shows as written."""
    out: list[str] = []
    for span in para:
        if span.style.code:
            ticks = "``" if "`" in span.text else "`"
            text = f"{ticks}{span.text}{ticks}"
        else:
            text = _escape(span.text, not out)
        if span.style.italic:
            text = f"*{text}*"
        if span.style.bold:
            text = f"**{text}**"
        link = span.style.link
        if link is not None:
            if link.startswith("#"):
                target = link[1:]
                text = f"[{numbers.get(target, span.text)}](#{target})"
            else:
                text = f"[{text}](<{link}>)"
        out.append(text)
    return "".join(out)


# ------------------------------------------------------------------------ new clauses


def _new_clauses(plan: _Plan, workspace: Workspace, export: Export,
                 current: Mapping[str, Document], outside: Sequence[ParagraphText],
                 bookmarks: Mapping[str, tuple[ExportedDocument, ExportedClause]]) -> None:
    """Each run of paragraphs outside the clauses becomes a new clause after the clause
    before it (a sibling), or first in the document."""
    groups: dict[str | None, list[ParagraphText]] = {}
    for para in outside:
        groups.setdefault(para.previous, []).append(para)
    taken_names: set[str] = set()
    for previous, paras in groups.items():
        if previous is not None and previous in bookmarks:
            doc_id = bookmarks[previous][0].id
            document = current[doc_id]
            after = document.clause(bookmarks[previous][1].id)
        else:
            document = current[export.documents[0].id]
            after = None
        languages = document.manifest.languages
        texts: dict[str, list[str]] = {}
        numbers = {c.id: c.number for c in document.walk()}
        for para in paras:
            lang = para.lang if para.lang in languages else document.manifest.authoritative
            texts.setdefault(lang, []).append(to_markdown(para.spans, numbers))
        taken = {c.id for c in document.walk()} | set(_retired_ids(
            workspace.root / document.path, document)) | {c.id for c in plan.changed}
        number = _next_number(after.number) if after is not None and after.number else "1"
        clause_id = clause_id_for(number, taken)
        body = Texts(tuple((lang, "\n\n".join(texts[lang])) for lang in languages
                           if lang in texts))
        pending = any(lang not in texts for lang in languages)
        path = _new_path(workspace.root, document, after, clause_id, texts, taken_names)
        plan.writes[path] = format_clause_file(clause_id, Texts(), body,
                                               translation_pending=pending)
        plan.changed.append(AppliedClause(number, clause_id, tuple(texts), path, added=True))


def _next_number(number: str) -> str:
    parts = number.split(".")
    return ".".join([*parts[:-1], str(int(parts[-1]) + 1)])


def _new_path(root: Path, document: Document, after: Clause | None, clause_id: str,
              texts: Mapping[str, list[str]], taken: set[str]) -> str:
    """A file name that sorts right after ``after`` (``05-x.md`` -> ``05a-…md``)."""
    if after is None:
        directory, prefix = document.path, "00"
    else:
        path = after.file
        if posixpath.basename(path) == "_index.md":
            path = posixpath.dirname(path)
        directory = posixpath.dirname(path)
        prefix = re.match(r"[0-9]*[a-z]?", posixpath.basename(path).removesuffix(".md"))\
            .group(0) or "0"  # type: ignore[union-attr]
    # The name's words come from a language written with spaces, as the importer's do.
    spaced = next((lang for lang in document.manifest.languages if not by_character(lang)),
                  None)
    words = slug(" ".join(texts.get(spaced, [])) if spaced else clause_id, clause_id)
    for letter in "abcdefghijklmnopqrstuvwxyz":
        name = f"{directory}/{prefix}{letter}-{words}.md"
        if name not in taken and not (root / name).exists():
            taken.add(name)
            return name
    raise UsageError(f"no free file name after {after.file if after else document.path}")

