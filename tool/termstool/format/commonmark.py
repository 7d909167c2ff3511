"""Clause text is CommonMark: its one parser, its plain-text form, and escaping text into it.

The parser has raw HTML and images turned off, so nothing in a clause can become markup
or load an external asset. :func:`to_plain` is the text a reader sees, used wherever a
clause or a title must fit on a line (labels, feed titles, the terminal).
:func:`escape_markdown` is the one escaper for text written into Markdown, both into
clause files (``terms import``) and into reports read on GitHub.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from termstool.format.characters import needs_space, reveal
from termstool.format.references import rewrite_references

Anchor = Callable[[str], str]  # clause id -> the anchor a cross-reference links to


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The CommonMark parser for clause text (one per process)."""
    # "commonmark" with html disabled: raw HTML in a clause is text, never markup. Images
    # are disabled too: an image would load an external asset (a tracking pixel) when the
    # page is opened; ![x](url) shows as "!" and a link instead.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    return md.disable("image")


def tokens(text: str, numbers: Mapping[str, str], anchor: Anchor) -> list[Token]:
    """The block tokens of a clause text, invisible characters revealed and every
    cross-reference written with its target's current number."""
    return parser().parse(prepare(text, numbers, anchor))


def prepare(text: str, numbers: Mapping[str, str], anchor: Anchor) -> str:
    """The text with invisible characters revealed and cross-references renumbered."""
    return rewrite_references(reveal(text), numbers,
                              lambda number, target: f"[{number}](#{anchor(target)})")


def join_soft_breaks(text: str) -> str:
    """Resolve soft line breaks, marked ``\\x00``: a space in Latin text, nothing in Chinese."""
    return re.sub("\x00", lambda m: _join_soft(text[: m.start()], text[m.end():]), text)


def _join_soft(left: str, right: str) -> str:
    return " " if needs_space(left, right) or not (left and right) else ""


# Addresses a reader of plain text is shown after a link's text: web and mail only (a
# cross-reference ``#id`` reads as its clause number; anything else is not a link).
_ADDRESS = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)


def to_plain(text: str, numbers: Mapping[str, str], *, addresses: bool = False) -> str:
    """Plain text: paragraphs separated by blank lines, links shown as their text.

    With ``addresses``, a web or mail link is followed by its address in brackets
    ("请参见这里 (https://…)"), for a reader who cannot click: the text and terminal
    renders. Labels, diffs and searches keep the text alone.
    """
    out: list[str] = []
    for token in tokens(text, numbers, lambda target: target):
        if token.type == "inline":
            out.append(_plain_inline(token.children or [], addresses))
        elif token.type in ("code_block", "fence"):
            out.append(token.content.rstrip("\n"))
    return "\n\n".join(out)


def single_line(text: str) -> str:
    """A title or a short text as plain text on one line."""
    return " ".join(to_plain(text, {}).split())


def _plain_inline(children: list[Token], addresses: bool = False) -> str:
    result = ""
    # (address, where its text starts) of each open link, when it is shown
    links: list[tuple[str, int] | None] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            result += child.content
        elif child.type == "softbreak":
            result += "\x00"
        elif child.type == "hardbreak":
            result += "\n"
        elif addresses and child.type == "link_open":
            # The parser's normalised address: percent-encoded, so it holds no control
            # character or space that could act in a terminal or break the line.
            href = str(child.attrGet("href") or "")
            links.append((href, len(result)) if _ADDRESS.match(href) else None)
        elif addresses and child.type == "link_close" and links:
            link = links.pop()
            # An autolink's text is its address already: never written twice.
            if link is not None and result[link[1]:] not in (link[0], _bare(link[0])):
                result += f" ({link[0]})"
    return join_soft_breaks(result)


def _bare(href: str) -> str:
    """A mail address without its ``mailto:``, as an autolink shows it."""
    return href[len("mailto:"):] if href.lower().startswith("mailto:") else href


# ------------------------------------------------------------------------------ escaping

@dataclass(frozen=True, slots=True)
class Escaping:
    """What an escaper must neutralise for one kind of reader."""

    inline: re.Pattern[str]  # characters escaped wherever they are (group 1, else "&")
    block: re.Pattern[str]  # a block start: group 1 a marker, else groups 2-3 "1" "."
    references: bool  # split GitHub's @mentions and #references


# Clause files, read by people in an editor: only what CommonMark would act on, so the
# source stays readable (a parenthesis or a hash inside a sentence is left alone).
CLAUSE_FILE = Escaping(
    inline=re.compile(r"([\\`*_\[\]<~])|&(?=#?[A-Za-z0-9]+;)"),
    block=re.compile(r"^(?:([#>+=-])|(\d+)([.)]))"),
    references=False,
)

# Markdown shown on GitHub: every control character, and what GitHub links after
# rendering, where a backslash escape is already gone. Only "- " or "=" and "1. " or
# "1) " still open a block at the start of a line once the rest is escaped.
GITHUB = Escaping(
    inline=re.compile(r"([\\`*_{}\[\]<>()#+!|~@&$])"),
    block=re.compile(r"^(?:([=-])|(\d{1,9})([.)])(?=\s|$))", re.MULTILINE),
    references=True,
)

# An empty HTML comment splits the text node so that "@name" and "#12" never link.
_GITHUB_REFERENCE = re.compile(r"([@#])(?=[A-Za-z0-9])")


def escape_markdown(text: str, escaping: Escaping = GITHUB, *,
                    at_line_start: bool = True) -> str:
    """Escape ``text`` so that Markdown shows it as written and nothing in it acts.

    ``at_line_start`` False: the text continues a line, so its start cannot open a block.
    """
    text = escaping.inline.sub(lambda m: "\\" + (m.group(1) or "&"), text)
    if escaping.references:
        text = _GITHUB_REFERENCE.sub(r"\1<!-- -->", text)

    def block(match: re.Match[str]) -> str:
        if match.start() == 0 and not at_line_start:
            return match.group(0)
        if match.group(1):
            return "\\" + match.group(1)
        return f"{match.group(2)}\\{match.group(3)}"

    return escaping.block.sub(block, text)
