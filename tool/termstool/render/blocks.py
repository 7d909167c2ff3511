"""Clause text (CommonMark) turned into plain text, safe Markdown or safe HTML.

Everything taken from a clause file is escaped: raw HTML shows as text, links keep
only safe targets, and Markdown controls are backslash-escaped in Markdown output.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from termstool.format.characters import needs_space, reveal
from termstool.format.references import rewrite_references

Anchor = Callable[[str], str]


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "commonmark" with html disabled: raw HTML in a clause is text, never markup. Images
    # are disabled too: an image would load an external asset (a tracking pixel) when the
    # page is opened; ![x](url) shows as "!" and a link instead.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    return md.disable("image")


def _tokens(text: str) -> list[Token]:
    return _parser().parse(text)


def _prepare(text: str, numbers: Mapping[str, str], anchor: Anchor) -> str:
    return rewrite_references(reveal(text), numbers,
                              lambda number, target: f"[{number}](#{anchor(target)})")


def _join_soft(left: str, right: str) -> str:
    """A soft line break becomes a space in Latin text and nothing in Chinese."""
    return " " if needs_space(left, right) or not (left and right) else ""


def to_plain(text: str, numbers: Mapping[str, str]) -> str:
    """Plain text: paragraphs separated by blank lines, links shown as their text."""
    out: list[str] = []
    for token in _tokens(_prepare(text, numbers, lambda target: target)):
        if token.type == "inline":
            out.append(_plain_inline(token.children or []))
        elif token.type in ("code_block", "fence"):
            out.append(token.content.rstrip("\n"))
    return "\n\n".join(out)


def _plain_inline(children: list[Token]) -> str:
    result = ""
    for child in children:
        if child.type in ("text", "code_inline"):
            result += child.content
        elif child.type == "softbreak":
            result += "\x00"
        elif child.type == "hardbreak":
            result += "\n"
    return re.sub(r"\x00", lambda m: _join_soft(result[: m.start()], result[m.end():]), result)


_MD_ESCAPE = re.compile(r"([\\`*_{}\[\]<>()#+!|~@&$])")
_SAFE_URL = re.compile(r"^(https?://|mailto:|#)", re.IGNORECASE)


# GitHub links "@name" and "#12" after rendering, where a backslash escape is already
# gone; an empty HTML comment splits the text node so that neither becomes a link.
_GITHUB_REFERENCE = re.compile(r"([@#])(?=[A-Za-z0-9])")


# What starts a block only at the start of a line: "- " or "=" (lists, headings, rules)
# and "1. " or "1) " (an ordered list).
_BLOCK_START = re.compile(r"^(?:([=-])|(\d{1,9})([.)])(?=\s|$))", re.MULTILINE)


def escape_markdown(text: str, *, at_line_start: bool = True) -> str:
    """Escape Markdown controls, HTML, @mentions and #references so text shows as written.

    ``at_line_start`` False: the text continues a line, so its start cannot open a block.
    """
    text = _MD_ESCAPE.sub(r"\\\1", text)
    text = _GITHUB_REFERENCE.sub(r"\1<!-- -->", text)

    def block(match: re.Match[str]) -> str:
        if match.start() == 0 and not at_line_start:
            return match.group(0)
        if match.group(1):
            return "\\" + match.group(1)
        return f"{match.group(2)}\\{match.group(3)}"

    return _BLOCK_START.sub(block, text)


def to_markdown(text: str, numbers: Mapping[str, str], anchor: Anchor,
                paragraph_sep: str = "\n\n") -> str:
    """Markdown that renders the clause text safely on GitHub."""
    out: list[str] = []
    prefix = ""
    for token in _tokens(_prepare(text, numbers, anchor)):
        if token.type == "list_item_open":
            prefix = f"{token.info}{token.markup} " if token.info else "- "
        elif token.type == "inline":
            out.append(prefix + _markdown_inline(token.children or []))
            prefix = ""
        elif token.type in ("code_block", "fence"):
            out.append(escape_markdown(token.content.rstrip("\n")))
    return paragraph_sep.join(out)


def _markdown_inline(children: list[Token]) -> str:
    result = ""
    link_stack: list[str | None] = []
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            result += escape_markdown(child.content,
                                      at_line_start=not result or result.endswith("\n"))
        elif kind == "softbreak":
            result += "\x00"
        elif kind == "hardbreak":
            result += "<br>"
        elif kind in ("strong_open", "strong_close"):
            result += "**"
        elif kind in ("em_open", "em_close"):
            result += "*"
        elif kind == "link_open":
            href = str(child.attrGet("href") or "")
            safe = href if _SAFE_URL.match(href) else None
            link_stack.append(safe)
            if safe is not None:
                result += "["
        elif kind == "link_close":
            safe = link_stack.pop() if link_stack else None
            if safe is not None:
                result += f"]({_escape_url(safe)})"
    return re.sub(r"\x00", lambda m: _join_soft(result[: m.start()], result[m.end():]), result)


def _escape_url(url: str) -> str:
    return re.sub(r"[()<>\s]", lambda m: f"%{ord(m.group()):02X}", url)


def to_html(text: str, numbers: Mapping[str, str], anchor: Anchor) -> str:
    """HTML for a clause text; raw HTML in the source is escaped by the parser."""
    return str(_parser().render(_prepare(text, numbers, anchor)))


def to_html_inline(text: str) -> str:
    """HTML for a one-line text such as a title (no paragraph element)."""
    return str(_parser().renderInline(reveal(text)))
