"""The clause file format: YAML front matter, then one block per language.

    ---
    id: s2-3-1
    title: {zh: 变更, en: Changes}
    ---

    <!-- zh -->
    如本服务条款内容发生变动……

    <!-- en -->
    If these Terms change ...
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

import yaml

from termstool.format import safe_yaml
from termstool.format.characters import (
    CONTROL,
    INVISIBLE,
    brief,
    find_control,
    find_invisible,
    fold_lines,
    has_hidden,
    visible_char,
)
from termstool.model.document import Texts
from termstool.model.problems import Problem

# libyaml's loader when PyYAML has it: parsing front matter is most of loading a document.
_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MARKER_RE = re.compile(r"^<!--\s*([A-Za-z][A-Za-z0-9_-]*)\s*-->\s*$")


@dataclass(frozen=True, slots=True)
class ClauseFile:
    """A parsed clause file, before it takes its place in a document.

    The ``*_line`` fields locate parts of the file for messages; they are 1-based.
    """

    id: str | None
    title: Texts
    body: Texts
    numbered: bool
    translation_pending: bool
    body_lines: tuple[tuple[str, int], ...]  # language -> line of its <!-- lang --> marker
    problems: tuple[Problem, ...]
    id_line: int = 2
    title_line: int = 2
    text_lines: tuple[tuple[str, int], ...] = ()  # language -> line of its first text line
    body_start: int = 1  # the first line after the front matter

    def text_line(self, lang: str) -> int | None:
        """The line where the text of ``lang`` starts (after any blank lines)."""
        return next((line for key, line in self.text_lines if key == lang), None)


def decode(data: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 text, reporting a BOM or bytes that are not UTF-8."""
    problems: list[Problem] = []
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, [Problem("encoding", "binary file (NUL byte); clause files and "
                              "document.yaml are UTF-8 text", file=file, line=line)]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        msg = f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
        return None, [Problem("encoding", msg, file=file, line=line)]
    if text.startswith("\ufeff"):
        problems.append(Problem("encoding", "starts with a byte-order mark (BOM); save it as "
                                "UTF-8 without BOM", file=file, line=1))
        text = text[1:]
    return text.replace("\r\n", "\n"), problems


def _unreadable(problems: list[Problem]) -> ClauseFile:
    return ClauseFile(None, Texts(), Texts(), True, False, (), tuple(problems))


def parse_clause_file(file: str, data: bytes) -> ClauseFile:
    """Parse one clause file; every problem found is returned, none is raised."""
    return at_path(parse_clause_data(data), file)


def at_path(parsed: ClauseFile, file: str) -> ClauseFile:
    """A clause file parsed without its path, with its problems located in ``file``."""
    if not parsed.problems:
        return parsed
    return replace(parsed, problems=tuple(replace(p, file=file) for p in parsed.problems))


# Cached by content: the same text is met in many commits. Small, because the history and
# the loader share a ParseCache keyed by blob id; this one serves the other callers.
@lru_cache(maxsize=1024)
def parse_clause_data(data: bytes) -> ClauseFile:
    """Parse the bytes of a clause file; its problems name no file (see :func:`at_path`)."""
    file = ""
    text, problems = decode(data, file)
    if text is None:
        return _unreadable(problems)
    problems += character_problems(text, file)
    lines = text.split("\n")
    if lines[0].strip() != "---":
        problems.append(Problem("front-matter", "must start with a '---' line, then YAML front "
                                "matter such as 'id: s2-3-1', then '---'", file=file, line=1))
        return _unreadable(problems)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        problems.append(Problem("front-matter", "front matter is not closed by a '---' line",
                                file=file, line=1))
        return _unreadable(problems)
    head = lines[:end]
    meta = _front_matter("\n".join(lines[1:end]), file, head, problems)
    if meta is None:  # unreadable YAML: whatever else would be said about it is noise
        return _unreadable(problems)
    id_line = _key_line(head, "id")
    clause_id = meta.get("id")
    if clause_id is None:
        problems.append(Problem("id", "front matter has no 'id'; give the clause a lowercase "
                                "ASCII id such as 's2-3-1' that no other clause has or had",
                                file=file, line=id_line))
    elif not isinstance(clause_id, str) or not ID_RE.match(clause_id):
        hint = "; YAML reads it as a number, so write it in quotes" \
            if isinstance(clause_id, int | float) else ""
        problems.append(Problem("id", f"id {brief(clause_id)} must be a lowercase ASCII slug "
                                f"(a-z, 0-9, '-'), such as 's2-3-1'{hint}", file=file,
                                line=id_line))
        clause_id = None
    title_line = _key_line(head, "title")
    title = _title(meta.get("title"), file, title_line, problems)
    numbered = meta.get("numbered", True)
    if not isinstance(numbered, bool):
        problems.append(Problem("front-matter", "'numbered' must be true or false", file=file,
                                line=_key_line(head, "numbered")))
        numbered = True
    translation = meta.get("translation")
    if translation is not None and translation != "pending":
        problems.append(Problem("front-matter", f"translation: {brief(translation)} is not "
                                "known; write 'translation: pending' or remove the key",
                                file=file, line=_key_line(head, "translation")))
    body, body_lines, text_lines = _blocks(lines, end + 1, file, problems)
    return ClauseFile(clause_id, title, body, numbered, translation == "pending", body_lines,
                      tuple(problems), id_line=id_line, title_line=title_line,
                      text_lines=text_lines, body_start=end + 2)


KNOWN_KEYS = ("id", "title", "numbered", "translation")


def _front_matter(source: str, file: str, head: list[str],
                  problems: list[Problem]) -> dict[str, object] | None:
    """The front matter's keys; None when it is not YAML at all."""
    try:
        simple = simple_front_matter(source)
        if simple is not None:
            # every value is a plain scalar taken as written: no YAML escape can hide a
            # character in it, and every key is known
            return simple
        meta: object = safe_yaml.load(source, _SAFE_LOADER) if source.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # + the opening '---' line; an error found at the end is on the last line
        line = min(mark.line + 2, len(head)) if mark is not None else 2
        problems.append(Problem("yaml", f"front matter {yaml_message(exc)}", file=file,
                                line=line))
        return None
    if not isinstance(meta, dict):
        problems.append(Problem("front-matter", "front matter must be a mapping of keys "
                                "such as 'id: s2-3-1'", file=file, line=2))
        return {}
    problems += escaped_character_problems(meta, source, file, lambda key: _key_line(head, key))
    for key in meta:
        if key not in KNOWN_KEYS:
            problems.append(Problem("front-matter", f"unknown key {brief(key)} (known: "
                                    f"{', '.join(KNOWN_KEYS)})", file=file,
                                    line=_key_line(head, str(key))))
    return meta


# The front matter the tool writes (format_clause_file) is read without YAML: one key per
# line, the title's languages indented by two spaces below it, every value a plain YAML
# scalar that YAML would read as that very string. Anything else (quotes, comments, flow
# mappings, a value YAML would read as a number, a date or a boolean...) goes to YAML;
# tests/test_format.py proves both readings equal.
_LINE_RE = re.compile(r"([a-z][a-z_]*):(?: +(.*))?")
_TITLE_RE = re.compile(r"  ([A-Za-z][A-Za-z0-9_-]*): +(.*)")
# Characters YAML refuses, or reads as a line break, or that start something other than
# a plain scalar; a plain scalar also ends at ": " and " #".
_NOT_PLAIN_RE = re.compile("[^\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFFFD"
                           "\U00010000-\U0010FFFF]|: | #|:$")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`\\+.~=<0123456789 ")
# Plain scalars YAML reads as something other than a string (booleans, null).
_RESOLVED = frozenset(("yes", "no", "true", "false", "on", "off", "null"))


def _plain(text: str) -> bool:
    """True when YAML reads ``text``, written as a plain scalar, as exactly that string."""
    return (bool(text) and text[0] not in _INDICATORS and text[-1] != " "
            and text.lower() not in _RESOLVED and _NOT_PLAIN_RE.search(text) is None)


def simple_front_matter(source: str) -> dict[str, object] | None:
    """The front matter as YAML reads it, for the canonical layout; None for anything
    else (YAML must read it)."""
    meta: dict[str, object] = {}
    title: dict[str, object] | None = None
    for line in source.split("\n"):
        if title is not None:
            nested = _TITLE_RE.fullmatch(line)
            if nested is not None:
                lang, text = nested.group(1), nested.group(2).rstrip(" ")
                if lang in title or not _plain(lang) or not _plain(text):
                    return None
                title[lang] = text
                continue
            if not title:
                return None
            title = None
        match = _LINE_RE.fullmatch(line)
        if match is None or match.group(1) in meta or match.group(1) not in KNOWN_KEYS:
            return None
        key, value = match.group(1), (match.group(2) or "").rstrip(" ")
        if key == "title" and not value:
            meta[key] = title = {}
        elif key == "numbered" and value in ("true", "false"):
            meta[key] = value == "true"
        elif value and _plain(value):
            meta[key] = value
        else:
            return None
    if title is not None and not title:
        return None
    return meta


def _title(raw: object, file: str, line: int, problems: list[Problem]) -> Texts:
    if raw is None:
        return Texts()
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        problems.append(Problem("front-matter", "title must map languages to text, "
                                "e.g. {zh: 附则, en: Miscellaneous}", file=file, line=line))
        return Texts()
    for lang, text in raw.items():
        if not one_line(text):
            problems.append(Problem("front-matter", f"the {brief(str(lang))} title must be one "
                                    "line: a title is shown in headings, tables and CI logs, "
                                    "where a line break would start a line of its own",
                                    file=file, line=line))
    # Folded to one line even when that was reported: no output ever shows a line break in
    # a title (one could fake a line of a report, such as its verdict).
    return Texts.of({str(k): fold_lines(v) for k, v in raw.items()})


def yaml_message(exc: yaml.YAMLError) -> str:
    """What a YAML error says, on one short line and without quoting the input."""
    if isinstance(exc, safe_yaml.RefusedYaml):
        return f"is refused: {exc.problem}"
    what = getattr(exc, "problem", None) or str(exc).split("\n", 1)[0]
    return f"is not valid YAML: {what[:120]}"


def one_line(text: str) -> bool:
    """True when ``text`` has no line break of any kind once its ends are trimmed."""
    return len(text.strip().splitlines()) <= 1


def escaped_character_problems(data: object, source: str, file: str,
                               line_of: Callable[[str], int]) -> list[Problem]:
    """Problems for hidden characters that YAML escapes (``"\\e[2J"``, ``"\\u200b"``) put
    into the values of a mapping parsed from ``source``: the text does not show them.
    A character that also occurs as itself in ``source`` is already reported there."""
    problems: list[Problem] = []

    def walk(value: object, key: str) -> None:
        if isinstance(value, dict):
            for sub_key, sub in value.items():
                walk(sub_key, key)
                walk(sub, key)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif isinstance(value, str):
            hidden = [ch for ch in value
                      if (ch in CONTROL or ch in INVISIBLE) and ch not in source]
            if hidden:
                shown = "".join(dict.fromkeys(visible_char(ch) for ch in hidden))
                rule = "control-character" if any(ch in CONTROL for ch in hidden) \
                    else "invisible-character"
                problems.append(Problem(rule, f"the value of {brief(key)} holds {shown}, "
                                        "written as a YAML escape: hidden characters can hide "
                                        "a change from a reviewer or rewrite what a terminal "
                                        "shows; remove it", file=file, line=line_of(key)))

    if isinstance(data, dict):
        for key, value in data.items():
            walk(value, str(key))
    return problems


def character_problems(text: str, file: str) -> list[Problem]:
    """A problem for every invisible, bidirectional or terminal control character."""
    if not has_hidden(text):  # nearly always: one scan instead of two
        return []
    problems = [Problem(
        "invisible-character",
        f"invisible or bidirectional control character {hit.codepoint} ({hit.name}) at "
        f"column {hit.column}: it can hide a change from a reviewer; remove it",
        file=file, line=hit.line) for hit in find_invisible(text)]
    problems += [Problem(
        "control-character",
        f"terminal control character {hit.shown} ({hit.name}) at column {hit.column}: it "
        "can rewrite what a terminal or a CI log shows (it is printed as "
        f"{hit.shown}); remove it", file=file, line=hit.line) for hit in find_control(text)]
    return problems


def _blocks(lines: list[str], start: int, file: str, problems: list[Problem]
            ) -> tuple[Texts, tuple[tuple[str, int], ...], tuple[tuple[str, int], ...]]:
    """The language blocks after the front matter, with the lines where each opens."""
    blocks: dict[str, list[str]] = {}
    where: dict[str, int] = {}
    first_text: dict[str, int] = {}
    current: str | None = None
    for index in range(start, len(lines)):
        line = lines[index]
        marker = MARKER_RE.match(line) if line.startswith("<!--") else None
        if marker:
            current = marker.group(1)
            if current in blocks:
                problems.append(Problem("language-block", f"second <!-- {current} --> block; "
                                        f"the first is on line {where[current]}",
                                        file=file, line=index + 1))
            blocks[current] = []
            where[current] = index + 1
            first_text.pop(current, None)
            continue
        if current is None:
            if line.strip():
                problems.append(Problem("language-block", "text before the first language "
                                        "marker such as <!-- zh -->", file=file, line=index + 1))
            continue
        if current not in first_text and line.strip():
            first_text[current] = index + 1
        blocks[current].append(line)
    body = Texts(tuple((lang, "\n".join(text).strip("\n")) for lang, text in blocks.items()))
    return body, tuple(where.items()), tuple(first_text.items())


def _key_line(head: list[str], key: str) -> int:
    """The line of a top-level front-matter key (line 2 when it is absent)."""
    for number, line in enumerate(head, start=1):
        if line.startswith(f"{key}:"):
            return number
    return 2


def format_clause_file(clause_id: str, title: Texts, body: Texts, *, numbered: bool = True,
                       translation_pending: bool = False) -> str:
    """Write a clause file in the canonical layout."""
    out = ["---", f"id: {yaml_scalar(clause_id)}"]  # quoted when YAML would read a number
    if not numbered:
        out.append("numbered: false")
    if title:
        out.append("title:")
        for lang, text in title.items:
            out.append(f"  {lang}: {yaml_scalar(text)}")
    if translation_pending:
        out.append("translation: pending")
    out.append("---")
    for lang, text in body.items:
        out += ["", f"<!-- {lang} -->", text.strip("\n")]
    return "\n".join(out) + "\n"


def yaml_scalar(text: str) -> str:
    """``text`` as one YAML flow scalar, quoted only when YAML needs it (``'Pay: now'``)."""
    dumped = yaml.safe_dump(text, allow_unicode=True, default_flow_style=True, width=10_000)
    return dumped.removesuffix("\n...\n").strip()
