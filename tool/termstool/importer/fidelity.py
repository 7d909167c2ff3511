"""The import's fidelity check: every character of the source is in a clause file, or the
import reported the line that held it as dropped.

It runs on every import, after the clause files are planned and before any is written,
and it does not trust the parser: it starts again from the source's lines. Whitespace is
not compared (wrapped lines are joined, Latin ones with a space), nor the clause numbers
as the source writes them (with the separator after them), which become the files'
order; everything else is compared character by character, in order, and the clause
files are read back as plain text (Markdown escapes, emphasis and links undone). A
difference is a bug in the importer, and nothing is written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from termstool.errors import ExitCode, TermsError
from termstool.format.clause_file import parse_clause_file
from termstool.format.commonmark import to_plain
from termstool.importer.text_source import SourceClause, SourceDocument

_HEADING = re.compile(r"^#{1,6}\s+")
_SPACE = re.compile(r"\s+")
_SEPARATORS = ".．、 "  # what may follow a clause number before its text


def plain(text: str) -> str:
    """Text without whitespace: how wrapped lines and clause text are compared."""
    return _SPACE.sub("", text)


class ImportWouldLoseText(TermsError):
    """The clause files would not hold every character of the source: an importer bug."""

    exit_code = ExitCode.BUG


@dataclass(frozen=True, slots=True)
class _Piece:
    text: str  # without whitespace
    line: int  # the source line it comes from


def _source_pieces(source: SourceDocument, file: str) -> list[_Piece]:
    """The text of every line no dropped-line report names, without clause numbers."""
    dropped = {item.line for item in source.dropped}
    starts = {clause.line: clause.written for clause in source.clauses if clause.number}
    pieces: list[_Piece] = []
    for raw, number in zip(source.lines, source.line_numbers, strict=True):
        text = raw.strip()
        if not text or number in dropped:
            continue
        text = _HEADING.sub("", text)
        written = starts.get(number)
        if written is not None:
            if not text.startswith(written):
                raise ImportWouldLoseText(f"a clause numbered {written!r} starts on this line, "
                                          "but the line does not start with it; nothing was "
                                          "written (a bug in terms import: please report it)",
                                          file=file, line=number)
            text = text[len(written):].lstrip(_SEPARATORS)
        if plain(text):
            pieces.append(_Piece(plain(text), number))
    return pieces


def _clause_plain(clause: SourceClause) -> str:
    return plain(clause.title + "".join(clause.paragraphs))


def check_parse(source: SourceDocument, file: str) -> None:
    """Raise ``ImportWouldLoseText`` unless the clauses hold every kept line's text."""
    pieces = _source_pieces(source, file)
    expected = "".join(piece.text for piece in pieces)
    found = "".join(_clause_plain(clause) for clause in source.clauses)
    if expected == found:
        return
    at = next((i for i, (a, b) in enumerate(zip(expected, found, strict=False)) if a != b),
              min(len(expected), len(found)))
    offset = 0
    for piece in pieces:
        if offset + len(piece.text) > at:
            raise _lost(file, piece.line, piece.text)
        offset += len(piece.text)
    raise _lost(file, pieces[-1].line if pieces else 1, found[at:at + 30])


def check_files(source: SourceDocument, file: str, ids: Sequence[str | None], lang: str,
                files: Mapping[str, str], *, exact: bool) -> None:
    """Raise ``ImportWouldLoseText`` unless the clause file of ``ids[i]`` holds the text of
    source clause ``i`` in ``lang`` (exactly, or ``exact=False``: among other text, for a
    translation that keeps what the source does not replace). ``None``: not imported, and
    reported."""
    written: dict[str, str] = {}
    for path, content in files.items():
        parsed = parse_clause_file(path, content.encode("utf-8"))
        if parsed.id is not None:
            written[parsed.id] = plain(to_plain(parsed.title.get(lang), {})
                                       + to_plain(parsed.body.get(lang), {}))
    for clause, clause_id in zip(source.clauses, ids, strict=True):
        if clause_id is None:
            continue
        want = _clause_plain(clause)
        have = written.get(clause_id)
        if have is None or (have != want if exact else want not in have):
            line = _first_line_of(clause, want, have or "", source)
            index = source.line_numbers.index(line) if line in source.line_numbers else 0
            raise _lost(file, line, plain(source.lines[index]) if source.lines else want)


def _first_difference(want: str, have: str) -> str:
    at = next((i for i, (a, b) in enumerate(zip(want, have, strict=False)) if a != b),
              min(len(want), len(have)))
    return want[at:at + 30]


def _first_line_of(clause: SourceClause, want: str, have: str, source: SourceDocument) -> int:
    """The source line where the clause's text and the file's text part."""
    missing = _first_difference(want, have)
    if not missing:
        return clause.line
    for raw, number in zip(source.lines, source.line_numbers, strict=True):
        if number >= clause.line and missing[:4] in plain(raw):
            return number
    return clause.line


def _lost(file: str, line: int, text: str) -> ImportWouldLoseText:
    shown = json.dumps(text[:40] + ("…" if len(text) > 40 else ""), ensure_ascii=False)
    return ImportWouldLoseText(f"the clause files would not hold the text {shown} of this "
                               "line, and no report says it was dropped; nothing was written "
                               "(a bug in terms import: please report it, with the file)",
                               file=file, line=line)
