"""The clause file format: YAML front matter, then one block per language.

    ---
    id: s3-2-11
    title: {zh: 变更, en: Changes}
    ---

    <!-- zh -->
    如本服务条款内容发生变动……

    <!-- en -->
    If these Terms change ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from termstool.document import Texts
from termstool.problems import Problem
from termstool.text import find_invisible

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MARKER_RE = re.compile(r"^<!--\s*([A-Za-z][A-Za-z0-9_-]*)\s*-->\s*$")


@dataclass(frozen=True, slots=True)
class ClauseFile:
    """A parsed clause file, before it takes its place in a document."""

    id: str | None
    title: Texts
    body: Texts
    numbered: bool
    translation_pending: bool
    body_lines: tuple[tuple[str, int], ...]
    problems: tuple[Problem, ...]


def decode(data: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 text, reporting a BOM or bytes that are not UTF-8."""
    problems: list[Problem] = []
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, [Problem("encoding", "binary file (NUL byte)", file=file, line=line)]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        msg = f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
        return None, [Problem("encoding", msg, file=file, line=line)]
    if text.startswith("\ufeff"):
        problems.append(Problem("encoding", "starts with a byte-order mark (BOM); remove it",
                                file=file, line=1))
        text = text[1:]
    return text.replace("\r\n", "\n"), problems


@lru_cache(maxsize=65536)
def parse_clause_file(file: str, data: bytes) -> ClauseFile:
    """Parse one clause file; every problem found is returned, none is raised."""
    text, problems = decode(data, file)
    if text is None:
        return ClauseFile(None, Texts(), Texts(), True, False, (), tuple(problems))
    for hit in find_invisible(text):
        problems.append(Problem(
            "invisible-character",
            f"invisible or bidirectional control character {hit.codepoint} ({hit.name}) at "
            f"column {hit.column}: it can hide a change from a reviewer; remove it",
            file=file, line=hit.line))
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.append(Problem("front-matter", "must start with a '---' line of YAML front matter",
                                file=file, line=1))
        return ClauseFile(None, Texts(), Texts(), True, False, (), tuple(problems))
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        problems.append(Problem("front-matter", "front matter is not closed by a '---' line",
                                file=file, line=1))
        return ClauseFile(None, Texts(), Texts(), True, False, (), tuple(problems))
    meta = _front_matter("\n".join(lines[1:end]), file, problems)
    clause_id = meta.get("id")
    if clause_id is None:
        problems.append(Problem("id", "front matter has no 'id'", file=file, line=2))
    elif not isinstance(clause_id, str) or not ID_RE.match(clause_id):
        problems.append(Problem("id", f"id {clause_id!r} must be a lowercase ASCII slug "
                                "(a-z, 0-9, '-')", file=file, line=_key_line(lines, "id")))
        clause_id = None
    title = _title(meta.get("title"), file, _key_line(lines, "title"), problems)
    numbered = meta.get("numbered", True)
    if not isinstance(numbered, bool):
        problems.append(Problem("front-matter", "'numbered' must be true or false", file=file,
                                line=_key_line(lines, "numbered")))
        numbered = True
    pending = meta.get("translation") == "pending"
    body, body_lines = _blocks(lines, end + 1, file, problems)
    return ClauseFile(clause_id, title, body, numbered, pending, body_lines, tuple(problems))


def _front_matter(source: str, file: str, problems: list[Problem]) -> dict[str, object]:
    try:
        meta = yaml.safe_load(source) if source.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        problems.append(Problem("yaml", f"front matter is not valid YAML: "
                                f"{getattr(exc, 'problem', exc)}", file=file, line=line))
        return {}
    if not isinstance(meta, dict):
        problems.append(Problem("front-matter", "front matter must be a mapping of keys",
                                file=file, line=2))
        return {}
    known = {"id", "title", "numbered", "translation"}
    for key in meta:
        if key not in known:
            problems.append(Problem("front-matter", f"unknown key {key!r} (known: "
                                    f"{', '.join(sorted(known))})", file=file, line=2))
    return meta


def _title(raw: object, file: str, line: int, problems: list[Problem]) -> Texts:
    if raw is None:
        return Texts()
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        problems.append(Problem("front-matter", "title must map languages to text, "
                                "e.g. {zh: 附则, en: Miscellaneous}", file=file, line=line))
        return Texts()
    return Texts.of({str(k): v.strip() for k, v in raw.items()})


def _blocks(lines: list[str], start: int, file: str,
            problems: list[Problem]) -> tuple[Texts, tuple[tuple[str, int], ...]]:
    blocks: dict[str, list[str]] = {}
    where: dict[str, int] = {}
    current: str | None = None
    for index in range(start, len(lines)):
        line = lines[index]
        marker = MARKER_RE.match(line)
        if marker:
            current = marker.group(1)
            if current in blocks:
                problems.append(Problem("language-block", f"second <!-- {current} --> block; "
                                        f"the first is on line {where[current]}",
                                        file=file, line=index + 1))
            blocks[current] = []
            where[current] = index + 1
            continue
        if current is None:
            if line.strip():
                problems.append(Problem("language-block", "text before the first language "
                                        "marker such as <!-- zh -->", file=file, line=index + 1))
            continue
        blocks[current].append(line)
    body = Texts(tuple((lang, "\n".join(text).strip("\n")) for lang, text in blocks.items()))
    return body, tuple(where.items())


def _key_line(lines: list[str], key: str) -> int:
    for number, line in enumerate(lines, start=1):
        if line.startswith(f"{key}:"):
            return number
    return 2


def format_clause_file(clause_id: str, title: Texts, body: Texts, *, numbered: bool = True,
                       translation_pending: bool = False) -> str:
    """Write a clause file in the canonical layout."""
    out = ["---", f"id: {clause_id}"]
    if not numbered:
        out.append("numbered: false")
    if title:
        out.append("title:")
        for lang, text in title.items:
            out.append(f"  {lang}: {_yaml_scalar(text)}")
    if translation_pending:
        out.append("translation: pending")
    out.append("---")
    for lang, text in body.items:
        out += ["", f"<!-- {lang} -->", text.strip("\n")]
    return "\n".join(out) + "\n"


def _yaml_scalar(text: str) -> str:
    dumped = yaml.safe_dump(text, allow_unicode=True, default_flow_style=True, width=10_000)
    return dumped.removesuffix("\n...\n").strip()
