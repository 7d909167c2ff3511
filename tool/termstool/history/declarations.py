"""What a commit declares about its own change, in its message's trailers.

``Correction: <clause id> — <old> → <new>, <reason>`` declares a typo fix in released
text: it passes the frozen-text rule for that change only, and only when the commit's
change to that clause is exactly that replacement, in every language it touches.
``Translation-checked: <clause id>`` records that the translation of a clause whose
authoritative text the commit changes was read and needs no change.

A declaration is read from the commit that makes the change, never from another one, so
a pull request can only declare its own changes, and a reviewer sees each one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CORRECTION = "correction"
TRANSLATION_CHECKED = "translation-checked"
MAX_CORRECTION = 20  # characters on each side: a typo, never a rewritten sentence

_CORRECTION = re.compile(r"^(?P<clause>\S+)\s+(?:—|–|--?)\s+(?P<old>.+?)\s*(?:→|->)\s*"
                         r"(?P<new>.+?)\s*,\s*(?P<reason>\S.*)$")


@dataclass(frozen=True, slots=True)
class Correction:
    """A declared correction: ``old`` becomes ``new`` in one clause, for ``reason``."""

    clause: str
    old: str
    new: str
    reason: str

    def applies(self, before: str, after: str) -> bool:
        """True when ``after`` is ``before`` with this replacement made, and nothing else."""
        return self.old in before and before.replace(self.old, self.new) == after


def corrections(trailers: tuple[tuple[str, str], ...]) -> tuple[Correction, ...]:
    """The well-formed ``Correction`` trailers of one commit."""
    out = []
    for key, value in trailers:
        if key.lower() != CORRECTION:
            continue
        match = _CORRECTION.match(value.strip())
        if match is None:
            continue
        old, new = match["old"], match["new"]
        if len(old) <= MAX_CORRECTION and len(new) <= MAX_CORRECTION:
            out.append(Correction(match["clause"], old, new, match["reason"].strip()))
    return tuple(out)


def translation_checked(trailers: tuple[tuple[str, str], ...]) -> frozenset[str]:
    """The clause ids a commit's ``Translation-checked`` trailers name."""
    return frozenset(item for key, value in trailers if key.lower() == TRANSLATION_CHECKED
                     for item in re.split(r"[\s,]+", value.strip()) if item)


def parse_trailers(text: str) -> tuple[tuple[str, str], ...]:
    """``Key: value`` lines (git's ``%(trailers:only,unfold)``) as pairs."""
    out = []
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and " " not in key.strip():
            out.append((key.strip(), value.strip()))
    return tuple(out)
