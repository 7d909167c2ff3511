"""Clause text (CommonMark) turned into safe Markdown or safe HTML.

Everything taken from a clause file is escaped: raw HTML shows as text, links keep
only safe targets, and Markdown controls are backslash-escaped in Markdown output. The
parser and the plain-text form are the clause format's own
(:mod:`termstool.format.commonmark`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from markdown_it.token import Token

from termstool.format.characters import reveal
from termstool.format.commonmark import (
    Anchor,
    escape_markdown,
    join_soft_breaks,
    parser,
    prepare,
    tokens,
)

_SAFE_URL = re.compile(r"^(https?://|mailto:|#)", re.IGNORECASE)


def to_markdown(text: str, numbers: Mapping[str, str], anchor: Anchor,
                paragraph_sep: str = "\n\n") -> str:
    """Markdown that renders the clause text safely on GitHub."""
    out: list[str] = []
    prefix = ""
    for token in tokens(text, numbers, anchor):
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
    return join_soft_breaks(result)


def _escape_url(url: str) -> str:
    return re.sub(r"[()<>\s]", lambda m: f"%{ord(m.group()):02X}", url)


def to_html(text: str, numbers: Mapping[str, str], anchor: Anchor) -> str:
    """HTML for a clause text; raw HTML in the source is escaped by the parser."""
    return str(parser().render(prepare(text, numbers, anchor)))


def to_html_inline(text: str) -> str:
    """HTML for a one-line text such as a title (no paragraph element)."""
    return str(parser().renderInline(reveal(text)))
