"""Names the tool gives: ids of new clauses and the readable part of file names.

One rule for every way a clause is made (`terms import`, `terms clause add`): a new
clause's id is ``s`` and its number with dashes (``s2-3-1``), ``preamble`` for the
unnumbered text before clause 1, with ``-v2``, ``-v3``... when that id is, or ever was,
taken; its file name is a sort prefix and a short ASCII slug of its title or text.
"""

from __future__ import annotations

import re


def clause_id_for(number: str, taken: set[str]) -> str:
    """The id a new clause gets: s2-3-1 from 2.3.1, never one already taken."""
    base = "preamble" if not number else "s" + number.replace(".", "-")
    candidate, suffix = base, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{base}-v{suffix}"
    return candidate


def slug(text: str, fallback: str) -> str:
    """A short readable ASCII slug for a file name."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    stop = {"the", "a", "an", "of", "and", "or", "to", "in", "on", "for", "by", "with"}
    picked = [w for w in words if w not in stop][:5]
    return "-".join(picked) or fallback
