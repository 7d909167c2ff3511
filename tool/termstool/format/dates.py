"""Dates and version labels as the terms write them, checked before anything computes with them.

A date is ``YYYY-MM-DD`` between ``FIRST`` and ``LAST``: the notice rules add up to
``MAX_NOTICE_DAYS`` to a date, and a date near the end of the calendar (9999-12-31)
would overflow there. A version label is a short ASCII word that cannot be mistaken for
anything else on a command line or in git: not a git ref name such as ``HEAD``, no
``..`` (a git range), no spaces (``"20210701 "`` is not a new label).
"""

from __future__ import annotations

import datetime as dt
import re

FIRST = dt.date(1900, 1, 1)
LAST = dt.date(8999, 12, 31)
MAX_NOTICE_DAYS = 3650  # ten years: far beyond any notice period, far below overflow

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
LABEL_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
MAX_LABEL = 64
# Names git gives a meaning of its own, and the word `terms diff` reads as the working tree.
RESERVED_LABELS = frozenset({"HEAD", "FETCH_HEAD", "ORIG_HEAD", "MERGE_HEAD", "REBASE_HEAD",
                             "CHERRY_PICK_HEAD", "REVERT_HEAD", "BISECT_HEAD", "AUTO_MERGE",
                             "WORKTREE"})


def parse_date(value: object) -> dt.date:
    """The date ``value`` names (``YYYY-MM-DD``); ``ValueError`` with the reason otherwise."""
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        raise ValueError("is not a date; write YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("is not a date that exists; write YYYY-MM-DD") from None
    if not FIRST <= day <= LAST:
        raise ValueError(f"is outside the dates the terms can use ({FIRST} to {LAST})")
    return day


def label_problem(label: str) -> str | None:
    """Why ``label`` cannot be a version label, or None when it can."""
    if not LABEL_RE.fullmatch(label):
        return ("a version label is letters, digits, '.', '_' and '-', starting with a "
                "letter or digit, with no spaces or line breaks (e.g. 20211101)")
    if ".." in label:
        return "a version label cannot contain '..' (git reads it as a range of commits)"
    if label.upper() in RESERVED_LABELS:
        return f"{label} names something else to git or terms; choose a label such as 20211101"
    if len(label) > MAX_LABEL:
        return f"a version label has at most {MAX_LABEL} characters"
    return None
