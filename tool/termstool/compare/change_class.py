"""Classes of change to a clause: substantive, editorial, or translation only.

Only a substantive change needs notice. A change is editorial when the authoritative
text is the same after folding whitespace and line wrapping, full-/half-width forms of
punctuation and digits, Markdown formatting, and the written numbers of cross-references.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache

from termstool.format.characters import normalise_width
from termstool.format.references import LINK_RE
from termstool.model.document import Clause


class ChangeClass(StrEnum):
    """How much a change to a clause matters legally."""

    SUBSTANTIVE = "substantive"
    EDITORIAL = "editorial"
    TRANSLATION = "translation"


_FORMATTING = re.compile(r"[*_`~\\]|^#+|^>", re.MULTILINE)
# CJK punctuation that has no half-width form under NFKC but is the same mark to a reader.
_PUNCTUATION = str.maketrans({"。": ".", "、": ",", "“": '"', "”": '"', "‘": "'", "’": "'",
                              "「": '"', "」": '"', "『": '"', "』": '"', "【": "[", "】": "]",
                              "《": "<", "》": ">", "〈": "<", "〉": ">", "—": "-", "…": "...",
                              "·": "."})


_OTHER_LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\s]*)\)")
_SPACE = re.compile(r"\s+")


# Bounded: each entry holds two clause texts; a catalogue's history meets tens of thousands.
@lru_cache(maxsize=8192)
def editorial_form(text: str) -> str:
    """The text with everything an editorial change may touch folded away."""
    if "](" in text:  # links (most texts have none)
        text = LINK_RE.sub(lambda m: f"⟦{m.group(2)}⟧", text)
        text = _OTHER_LINK.sub(r"\1⟨\2⟩", text)  # other links: keep their target
    text = _FORMATTING.sub("", normalise_width(text).translate(_PUNCTUATION))
    return _SPACE.sub("", text)


def clause_text(clause: Clause | None, lang: str) -> str:
    """A clause in one language as it is compared, by the classifier and by the redline
    alike: the title, a blank line, then the body; the body alone when it has no title."""
    if clause is None:
        return ""
    title, body = clause.title.get(lang), clause.body.get(lang)
    return f"{title}\n\n{body}" if title else body


def classify(old: Clause | None, new: Clause | None, authoritative: str,
             languages: tuple[str, ...]) -> ChangeClass | None:
    """The class of the change from ``old`` to ``new`` (None when the texts are equal)."""
    before, after = clause_text(old, authoritative), clause_text(new, authoritative)
    if before != after:
        if old is None or new is None:
            return ChangeClass.SUBSTANTIVE
        if editorial_form(before) == editorial_form(after):
            return ChangeClass.EDITORIAL
        return ChangeClass.SUBSTANTIVE
    others = [lang for lang in languages if lang != authoritative]
    if any(clause_text(old, lang) != clause_text(new, lang) for lang in others):
        return ChangeClass.TRANSLATION
    return None


def languages_changed(old: Clause | None, new: Clause | None,
                      languages: tuple[str, ...]) -> tuple[str, ...]:
    """The languages whose text differs between two versions of a clause."""
    return tuple(lang for lang in languages if clause_text(old, lang) != clause_text(new, lang))
