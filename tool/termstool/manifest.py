"""``document.yaml``: parsing with located problems, and rewriting a release in place."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from termstool.clause_file import decode
from termstool.document import Manifest, Texts, Waiver
from termstool.problems import Problem
from termstool.text import find_invisible

MANIFEST_NAME = "document.yaml"
REQUIRED = ("id", "title", "languages", "authoritative", "notice_days", "timezone", "version",
            "announced", "effective")


def parse_manifest(file: str, data: bytes) -> tuple[Manifest | None, list[Problem]]:
    """Parse ``document.yaml``; return the manifest (None if unusable) and every problem."""
    text, problems = decode(data, file)
    if text is None:
        return None, problems
    for hit in find_invisible(text):
        problems.append(Problem("invisible-character", f"invisible character {hit.codepoint} "
                                f"({hit.name}) at column {hit.column}", file=file, line=hit.line))
    lines = text.split("\n")
    try:
        # BaseLoader keeps every scalar a string, so dates are validated here with a clear message.
        raw = yaml.load(text, Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds no objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problems.append(Problem("yaml", f"not valid YAML: {getattr(exc, 'problem', exc)}",
                                file=file, line=line))
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

    for key in REQUIRED:
        if key not in raw:
            fail(key, f"missing required key {key!r}")
    doc_id = raw.get("id", "")
    title = raw.get("title", {})
    if not isinstance(title, dict):
        fail("title", "title must map languages to text, e.g. {zh: 服务条款, en: Terms}")
        title = {}
    languages = raw.get("languages", ["zh", "en"])
    if not isinstance(languages, list) or not languages:
        fail("languages", "languages must be a list such as [zh, en]")
        languages = ["zh", "en"]
    authoritative = raw.get("authoritative", languages[0])
    if authoritative not in languages:
        fail("authoritative", f"authoritative language {authoritative!r} is not in languages")
    for lang in languages:
        if lang not in title:
            fail("title", f"title has no {lang!r} text")
    notice_raw = raw.get("notice_days", "30")
    notice_days = 30
    if not isinstance(notice_raw, str) or not notice_raw.isdigit():
        fail("notice_days", f"notice_days must be a whole number of days, not {notice_raw!r}")
    else:
        notice_days = int(notice_raw)
    timezone = raw.get("timezone", "UTC")
    try:
        ZoneInfo(str(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        fail("timezone", f"unknown timezone {timezone!r}; use an IANA name such as Asia/Shanghai")
        timezone = "UTC"
    announced = _date(raw.get("announced"), "announced", fail)
    effective = _date(raw.get("effective"), "effective", fail)
    waivers = _waivers(raw.get("waivers", []), fail)
    exception = raw.get("exception")
    if exception is not None and not isinstance(exception, str):
        fail("exception", "exception must be a sentence giving the reason")
        exception = None
    if any(p.file == file and p.rule in ("manifest", "yaml", "encoding") for p in problems):
        if "id" not in raw or announced is None or effective is None or "version" not in raw:
            return None, problems
    assert announced is not None and effective is not None
    manifest = Manifest(
        id=str(doc_id), title=Texts.of({str(k): str(v) for k, v in title.items()}),
        languages=tuple(str(x) for x in languages), authoritative=str(authoritative),
        notice_days=notice_days, timezone=str(timezone), version=str(raw.get("version", "")),
        announced=announced, effective=effective, exception=exception, waivers=waivers)
    return manifest, problems


def _date(value: object, key: str, fail: object) -> dt.date | None:
    report = fail  # typed loosely above to keep the signature short
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        report(key, f"{key} {value!r} is not a date that exists; write YYYY-MM-DD")  # type: ignore[operator]
        return None


def _waivers(raw: object, fail: object) -> tuple[Waiver, ...]:
    if not isinstance(raw, list):
        fail("waivers", "waivers must be a list of {commit, rule, reason}")  # type: ignore[operator]
        return ()
    out = []
    for item in raw:
        if not isinstance(item, dict) or not {"commit", "rule", "reason"} <= item.keys():
            fail("waivers", "each waiver needs commit, rule and reason")  # type: ignore[operator]
            continue
        out.append(Waiver(str(item["commit"]), str(item["rule"]), str(item["reason"])))
    return tuple(out)


def with_release(source: str, *, version: str, announced: dt.date, effective: dt.date,
                 exception: str | None) -> str:
    """Rewrite the release keys of a ``document.yaml`` text, keeping comments and order."""
    values = {"version": _quote(version), "announced": announced.isoformat(),
              "effective": effective.isoformat()}
    lines = source.split("\n")
    seen: set[str] = set()
    out: list[str] = []
    for line in lines:
        match = re.match(r"^(version|announced|effective|exception)\s*:(.*)$", line)
        if match:
            key = match.group(1)
            seen.add(key)
            if key == "exception":
                if exception is not None:
                    out.append(f"exception: {_quote(exception)}")
                continue
            comment = ""
            if "#" in match.group(2):
                comment = "  #" + match.group(2).split("#", 1)[1]
            out.append(f"{key}: {values[key]}{comment}")
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    for key in ("version", "announced", "effective"):
        if key not in seen:
            out.append(f"{key}: {values[key]}")
    if exception is not None:
        out.append(f"exception: {_quote(exception)}")
    return "\n".join(out) + "\n"


def _quote(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True, default_style='"', width=10_000).strip()
