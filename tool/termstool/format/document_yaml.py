"""``document.yaml``: parsing with located problems, and rewriting a release in place."""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from termstool.format import safe_yaml
from termstool.format.characters import brief, fold_lines
from termstool.format.clause_file import (
    ID_RE,
    character_problems,
    decode,
    escaped_character_problems,
    one_line,
    yaml_message,
)
from termstool.format.dates import MAX_NOTICE_DAYS, label_problem, parse_date
from termstool.format.new_document import DEFAULT_LANGUAGES, DEFAULT_NOTICE_DAYS
from termstool.format.numbering import DEFAULT_STYLE, STYLES
from termstool.model.document import Manifest, Texts, Waiver
from termstool.model.problems import Problem, Severity

MANIFEST_NAME = "document.yaml"
REQUIRED = ("id", "title", "languages", "authoritative", "notice_days", "timezone", "version",
            "announced", "effective")
OPTIONAL = ("exception", "historical", "waivers", "change_clause", "numbering", "notice_url")


def parse_manifest(file: str, data: bytes) -> tuple[Manifest | None, list[Problem]]:
    """Parse ``document.yaml``; return the manifest (None if unusable) and every problem.

    The manifest is None when it cannot be read or lacks what every command needs: an id,
    a version and valid ``announced`` and ``effective`` dates (the notice rule reads them,
    so no stand-in value is ever invented).
    """
    text, problems = decode(data, file)
    if text is None:
        return None, problems
    problems += character_problems(text, file)
    lines = text.split("\n")
    try:
        raw = load_yaml_strings(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problems.append(Problem("yaml", yaml_message(exc).removeprefix("is "), file=file,
                                line=line))
        return None, problems
    if not isinstance(raw, dict):
        problems.append(Problem("manifest", "must be a mapping of keys such as 'id: ...'",
                                file=file, line=1))
        return None, problems

    def line_of(key: str) -> int:
        pattern = re.compile(rf"^{re.escape(key)}\s*:")
        return next((n for n, ln in enumerate(lines, 1) if pattern.match(ln)), 1)

    def fail(key: str, message: str) -> None:
        problems.append(Problem("manifest", message, file=file, line=line_of(key)))

    problems += escaped_character_problems(raw, text, file, line_of)
    for key in REQUIRED:
        if key not in raw:
            fail(key, f"missing required key {brief(key)}")
    unknown = sorted(str(k) for k in raw if k not in REQUIRED + OPTIONAL)
    for key in unknown:  # a warning: a later version of the tool may know more keys
        problems.append(Problem("manifest", f"unknown key {brief(key)} (known: "
                                f"{', '.join(REQUIRED + OPTIONAL)})", Severity.WARNING,
                                file=file, line=line_of(key)))
    doc_id = raw.get("id")
    if doc_id is not None and (not isinstance(doc_id, str) or not ID_RE.match(doc_id)):
        fail("id", f"id {brief(doc_id)} must be a lowercase ASCII slug (a-z, 0-9, '-')")
        doc_id = None
    title = raw.get("title", {})
    if not isinstance(title, dict) or not all(isinstance(v, str) for v in title.values()):
        fail("title", "title must map languages to text, e.g. {zh: 服务条款, en: Terms}")
        title = {}
    for lang, value in title.items():
        if not one_line(value):
            fail("title", f"the {brief(str(lang))} title must be one line: a title is shown in "
                 "headings, tables and CI logs, where a line break would start a line of its "
                 "own")
    languages = raw.get("languages", list(DEFAULT_LANGUAGES))
    if not isinstance(languages, list) or not languages \
            or not all(isinstance(x, str) for x in languages):
        fail("languages", "languages must be a list of language codes, the authoritative "
             "one first, such as [zh, en]")
        languages = list(DEFAULT_LANGUAGES)
    authoritative = raw.get("authoritative", languages[0])
    if authoritative not in languages:
        fail("authoritative", f"authoritative language {brief(authoritative)} is not in "
             "languages")
        authoritative = languages[0]
    if title:
        for lang in languages:
            if lang not in title:
                fail("title", f"title has no {brief(lang)} text")
    notice_raw = raw.get("notice_days", str(DEFAULT_NOTICE_DAYS))
    notice_days = DEFAULT_NOTICE_DAYS  # a stand-in once the problem is reported
    if not isinstance(notice_raw, str) or not re.fullmatch(r"[0-9]{1,9}", notice_raw):
        fail("notice_days", f"notice_days must be a whole number of days, not "
             f"{brief(notice_raw)}")
    elif int(notice_raw) > MAX_NOTICE_DAYS:
        fail("notice_days", f"notice_days {int(notice_raw)} is more than {MAX_NOTICE_DAYS} "
             "days (ten years); give the notice period in days")
    else:
        notice_days = int(notice_raw)
    timezone = raw.get("timezone", "UTC")
    try:
        ZoneInfo(str(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        fail("timezone", f"unknown timezone {brief(timezone)}; use an IANA time zone name "
             "(Area/City), such as Europe/Paris")
        timezone = "UTC"
    version = raw.get("version")
    if version is not None and (not isinstance(version, str) or not version.strip()):
        fail("version", "version must be a label such as \"20210701\"")
        version = None
    elif version is not None and (why := label_problem(version)) is not None:
        fail("version", f"version {brief(version)}: {why}")
        version = None
    announced = _date(raw.get("announced"), "announced", fail)
    effective = _date(raw.get("effective"), "effective", fail)
    waivers = _waivers(raw.get("waivers", []), fail)
    change_clause = raw.get("change_clause")
    if change_clause is not None and not isinstance(change_clause, str):
        fail("change_clause", "change_clause must be the id of one clause, as in its front "
             "matter")
        change_clause = None
    exception = raw.get("exception")
    if exception is not None and not isinstance(exception, str):
        fail("exception", "exception must be a sentence giving the reason")
        exception = None
    historical_text = raw.get("historical", "false")
    if historical_text not in ("true", "false"):
        fail("historical", "historical must be true (a past release entered from records) "
             "or left out")
    historical = historical_text == "true"
    numbering = raw.get("numbering", DEFAULT_STYLE)
    if numbering not in STYLES:
        fail("numbering", f"numbering {brief(numbering)} is not a known style (known: "
             f"{', '.join(STYLES)})")
        numbering = DEFAULT_STYLE
    notice_url = raw.get("notice_url")
    if notice_url is not None and (why := notice_url_problem(notice_url)) is not None:
        fail("notice_url", f"notice_url {brief(notice_url)}: {why}")
        notice_url = None
    if doc_id is None or version is None or announced is None or effective is None:
        return None, problems
    manifest = Manifest(
        id=doc_id, title=Texts.of({str(k): fold_lines(str(v)) for k, v in title.items()}),
        languages=tuple(languages), authoritative=str(authoritative),
        notice_days=notice_days, timezone=str(timezone), version=version,
        announced=announced, effective=effective, exception=exception, waivers=waivers,
        change_clause=change_clause, numbering=str(numbering), historical=historical,
        notice_url=notice_url if isinstance(notice_url, str) else None)
    return manifest, problems


VERSION_PLACEHOLDER = "{version}"
# What an address may hold, beyond letters and digits: RFC 3986's reserved and unreserved
# characters and '%'. No space, quote, '<', '>', '\' or control character, so it is one
# token in text and one attribute value in HTML, whatever the reader.
_URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")


def notice_url_problem(value: object) -> str | None:
    """Why ``notice_url`` is unusable, or None: an https:// address with a host, whose
    only placeholder is ``{version}``."""
    if not isinstance(value, str):
        return "must be one https:// address"
    bare = value.replace(VERSION_PLACEHOLDER, "")
    if "{" in bare or "}" in bare:
        return (f"{VERSION_PLACEHOLDER} is the only placeholder (the release's version), "
                "e.g. https://example.com/notices/{version}")
    try:
        parts = urllib.parse.urlsplit(bare) if _URL_CHARACTERS.fullmatch(bare) else None
        host = parts.hostname if parts is not None else None
    except ValueError:  # e.g. an unclosed IPv6 bracket
        parts = host = None
    if parts is None or parts.scheme != "https" or not host \
            or not bare.startswith("https://"):
        return ("must be an https:// address with a host and no spaces or quotes, e.g. "
                "https://example.com/notices/{version}")
    return None


# libyaml's loader when PyYAML has it (about fifteen times faster: a catalogue holds
# thousands of document.yaml versions); the pure loader when it has not.
_C_BASE_LOADER: type[yaml.BaseLoader] | None = getattr(yaml, "CBaseLoader", None)
# Texts where the two loaders are known to differ: control characters, tabs, exotic line
# breaks, tags (``!``) and directives (``%`` at a line's start).
_DIVERGES = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff!]|^%",
                       re.MULTILINE)


def load_yaml_strings(text: str) -> object:
    """YAML with every scalar kept a string (BaseLoader), so dates are validated here with
    a clear message (safe_load would turn 2021-02-30 into a bare ValueError).

    libyaml reads the document when it can; when it refuses one, the pure loader reads
    it again, so an error is always reported with the same message and line. The two
    differ on tabs and on exotic line breaks and control characters (libyaml accepts
    ``id: x<TAB>y``, the pure loader does not): such a text goes to the pure loader, so
    that what is accepted never depends on whether libyaml is installed
    (tests/test_format.py compares both on generated documents). Either way anchors,
    aliases and deep nesting are refused (``safe_yaml``).
    """
    simple = simple_manifest(text)
    if simple is not None:
        return simple
    if _C_BASE_LOADER is not None and _DIVERGES.search(text) is None:
        try:
            return safe_yaml.load(text, _C_BASE_LOADER)
        except yaml.YAMLError:
            pass
    return safe_yaml.load(text, yaml.BaseLoader)


# The document.yaml layout the tool and its users write is read without YAML: one key per
# line, the title's languages indented by two spaces below it, languages as [zh, en],
# every value a plain scalar or a double-quoted one without escapes. Anything else
# (comments, waivers, quotes with escapes, blank lines...) goes to YAML;
# tests/test_format.py proves both readings equal.
_KEY_RE = re.compile(r"([a-z][a-z_]*):(?: +(.*))?")
_NESTED_RE = re.compile(r"  ([A-Za-z][A-Za-z0-9_-]*): +(.*)")
_LIST_RE = re.compile(r"\[([A-Za-z0-9_-]+(?:, [A-Za-z0-9_-]+)*)\]")
_QUOTED_RE = re.compile(r'"([^"\\]*)"')
_NOT_PLAIN = re.compile("[^\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD"
                        "\U00010000-\U0010FFFF]|: | #|:$|[\\[\\]{},]")
_STARTS = frozenset("-?:,[]{}#&*!|>'\"%@` ")


def _scalar(text: str) -> str | None:
    """The string YAML's BaseLoader reads from a one-line value, or None (YAML decides)."""
    quoted = _QUOTED_RE.fullmatch(text)
    if quoted is not None:
        inner = quoted.group(1)
        return inner if _NOT_PLAIN.search(inner.replace(": ", "").replace(" #", "")
                                           .replace(",", "")) is None else None
    if not text or text[0] in _STARTS or text[-1] == " " or _NOT_PLAIN.search(text):
        return None
    return text


def simple_manifest(text: str) -> dict[str, object] | None:
    """``document.yaml`` as YAML's BaseLoader reads it, for the common layout; None for
    anything else."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out: dict[str, object] = {}
    nested: dict[str, str] | None = None
    for line in lines:
        if nested is not None:
            inner = _NESTED_RE.fullmatch(line)
            if inner is not None:
                value = _scalar(inner.group(2).rstrip(" "))
                if value is None or inner.group(1) in nested:
                    return None
                nested[inner.group(1)] = value
                continue
            if not nested:
                return None
            nested = None
        match = _KEY_RE.fullmatch(line)
        if match is None or match.group(1) in out:
            return None
        key, raw = match.group(1), (match.group(2) or "").rstrip(" ")
        listed = _LIST_RE.fullmatch(raw)
        if not raw:
            out[key] = nested = {}
        elif listed is not None:
            out[key] = listed.group(1).split(", ")
        elif (value := _scalar(raw)) is not None:
            out[key] = value
        else:
            return None
    if (nested is not None and not nested) or not out:
        return None
    return out


def parse_manifest_data(data: bytes) -> tuple[Manifest | None, list[Problem]]:
    """Parse the bytes of a ``document.yaml``; its problems name no file (the caller
    places them, so one parse serves every path that holds the same content)."""
    return parse_manifest("", data)


def manifest_at_path(problems: list[Problem], file: str) -> list[Problem]:
    """Problems of :func:`parse_manifest_data` located in ``file``."""
    return [replace(p, file=file) for p in problems]


_Fail = Callable[[str, str], None]


def _date(value: object, key: str, fail: _Fail) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        fail(key, f"{key} {brief(value)} {exc}")
        return None


def _waivers(raw: object, fail: _Fail) -> tuple[Waiver, ...]:
    if not isinstance(raw, list):
        fail("waivers", "waivers must be a list of {commit, rule, reason}")
        return ()
    out = []
    for item in raw:
        if not isinstance(item, dict) or not {"commit", "rule", "reason"} <= item.keys():
            fail("waivers", "each waiver needs commit, rule and reason")
            continue
        out.append(Waiver(str(item["commit"]), str(item["rule"]), str(item["reason"])))
    return tuple(out)


def with_release(source: str, *, version: str, announced: dt.date, effective: dt.date,
                 exception: str | None, historical: bool = False) -> str:
    """The ``document.yaml`` text with a new release recorded: ``version``, ``announced``,
    ``effective`` and ``exception`` (removed when None) replaced, ``historical: true``
    written for a release entered from records after its announcement (removed
    otherwise), everything else kept.

    The file is edited as YAML, not as lines: comments, key order, quoting and block
    values (``>``, ``|``, a value on the line after its key) survive. Comment lines
    written directly above the release keys described the release being replaced
    ("the dates below are ..."), so they go with it; a comment set apart by a blank line
    stays. The version and the reason are written in double quotes, dates as YYYY-MM-DD.
    """
    # Imported here, not at the top, for start-up time: ruamel.yaml is needed only by
    # the command that edits document.yaml, and every other command reads it.
    from termstool.format.yaml_edit import YamlDocument, double_quoted, quoted_like

    document = YamlDocument(source)
    document.set("version", quoted_like(document.get("version"), version, plain=False))
    document.set("announced", _date_like(document.get("announced"), announced),
                 after="version")
    document.set("effective", _date_like(document.get("effective"), effective),
                 after="announced")
    if exception is None:
        document.delete("exception")
    else:
        document.set("exception", double_quoted(exception), after="effective")
    if historical:
        document.set("historical", True, after="exception" if exception else "effective",
                     comment="entered from records, after its announcement")
    else:
        document.delete("historical")
    return document.text()


def _date_like(old: object, day: dt.date) -> object:
    """A date written as the old one was: plain (the usual), or quoted."""
    from termstool.format.yaml_edit import quoted_like  # see with_release

    return quoted_like(old, day.isoformat()) if isinstance(old, str) else day
