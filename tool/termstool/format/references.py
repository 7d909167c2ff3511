"""Cross-references between clauses: Markdown links to a clause id, e.g. ``第[3](#s3)条``."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from termstool.model.document import Clause, Document
from termstool.model.problems import Problem

# Not after "!" (an image) or a backslash (an escaped bracket, i.e. literal text).
LINK_RE = re.compile(r"(?<![!\\])\[([^\]\n]*)\]\(#([A-Za-z0-9_-]+)\)")


@dataclass(frozen=True, slots=True)
class Reference:
    """A link in clause text: the number written in it and the id it points to."""

    written: str
    target: str
    start: int  # offset of the link in the block text


def find_references(text: str) -> Iterator[Reference]:
    """Every clause link in a block of text."""
    if "](#" not in text:  # most text links nothing: no regular expression needed
        return
    for match in LINK_RE.finditer(text):
        yield Reference(match.group(1).strip(), match.group(2), match.start())


def rewrite_references(text: str, numbers: Mapping[str, str],
                       link: Callable[[str, str], str] | None = None) -> str:
    """Write each link with its target's computed number; ``link`` may reshape the link."""

    def replace(match: re.Match[str]) -> str:
        target = match.group(2)
        number = numbers.get(target) or match.group(1)
        if link is not None:
            return link(number, target)
        return f"[{number}](#{target})"

    return LINK_RE.sub(replace, text)


TextLine = Callable[[Clause, str], int | None]  # where a block's text starts in its file


def check_references(document: Document, text_line: TextLine | None = None) -> list[Problem]:
    """Report links to unknown ids and links whose written number is stale.

    ``text_line(clause, lang)`` gives the file line where a block's text starts; without
    it, the line after the block's marker is assumed.
    """
    numbers = document.numbers()
    problems: list[Problem] = []
    for clause in document.walk():
        for lang, text in clause.body.items:
            first = (text_line(clause, lang) if text_line else None) \
                or (clause.block_line(lang) or 0) + 1
            for ref in find_references(text):
                line = first + text[: ref.start].count("\n")
                if ref.target not in numbers:
                    problems.append(Problem(
                        "reference-target", f"link to unknown clause id '#{ref.target}': no "
                        "clause of this document has that id; link to an existing clause id",
                        document=document.id, clause=clause.id, file=clause.file, line=line))
                elif numbers[ref.target] and ref.written != numbers[ref.target]:
                    problems.append(Problem(
                        "reference-number",
                        f"link to '#{ref.target}' says {ref.written!r} but that clause is now "
                        f"{numbers[ref.target]}; write [{numbers[ref.target]}](#{ref.target})",
                        document=document.id, clause=clause.id, file=clause.file, line=line))
    return problems
