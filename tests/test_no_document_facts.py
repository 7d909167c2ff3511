"""The tool knows no fact of one document: no clause id, day count, time zone, company or
language pair in its code, templates or help, except the importer's defaults, declared
once in termstool/format/new_document.py."""

from __future__ import annotations

import re

from conftest import PROJECT

PACKAGE = PROJECT / "tool" / "termstool"
DEFAULTS = PACKAGE / "format" / "new_document.py"
FACTS = re.compile(
    r"s3-2-11|3\.2\.11|Asia/Shanghai|Alibaba|阿里云"
    # 30 as a count of days: "30 days", "30-day", "30 天", days=30, notice_days: 30, "(30)"
    r"|(?<![\d.-])30\s*-?\s*(?:days?\b|天|日)|days\s*[=:]\s*[\"']?30\b|\(30\)|else 30\b|[\"']30[\"']"
    r"""|\(["']zh["'], ["']en["']\)""")


def test_no_document_facts_in_the_tool() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix not in (".py", ".j2") or path == DEFAULTS:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FACTS.search(line):
                found.append(f"{path.relative_to(PROJECT)}:{number}: {line.strip()}")
    assert found == []


def test_the_defaults_are_declared() -> None:
    text = DEFAULTS.read_text(encoding="utf-8")
    assert 'DEFAULT_TIMEZONE = "Asia/Shanghai"' in text and "DEFAULT_NOTICE_DAYS = 30" in text
