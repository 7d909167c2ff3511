"""The last step before any output leaves `terms`: nothing in it may act on its reader.

Text from the repository (clause text, titles, labels, file names, messages) reaches
terminals, CI logs, files and browsers. Two kinds of text act instead of showing:

- **Control characters.** ESC starts the sequences that clear a terminal, move its
  cursor, retitle its window or hide text; a lone CR overwrites a line. Every control
  character but tab and line feed is written as ``⟨ESC⟩`` or ``⟨U+0007⟩``, and invisible
  or bidirectional characters as ``⟨U+200B⟩`` (JSON writes them all as ``\\u001b``).
- **CI workflow commands.** The GitHub Actions runner reads every line of a job's output
  that starts, after any white space, with ``::`` (``::error file=…::``,
  ``::stop-commands::``, ``::add-mask::``) or that contains ``##[`` (the older syntax),
  and obeys it. Such a line is escaped so that it reads the same and does nothing: a
  backslash in plain text and Markdown (``\\::error``; Markdown shows ``::error``), a
  character reference in HTML and XML (``&#58;:error``), ``\\u005b`` inside JSON strings.

Our own annotations (``terms check -f github``, style ``github``) are written by
:mod:`termstool.render.problems_github`, which escapes the text inside them, and are the
only lines that may start with ``::``.
"""

from __future__ import annotations

import re
from typing import Literal

from termstool.format.characters import CONTROL, INVISIBLE, reveal, visible_char

Style = Literal["terminal", "text", "markdown", "html", "xml", "json", "github"]

# A line the runner reads as a command: ``::`` after any white space (it trims Unicode
# white space; invisible characters are trimmed here too, to be safe). The runner splits
# lines at LF and CR; a CR never gets this far (it is a control character, revealed).
_SPACE = r"(?:[^\S\n]|[" + "".join(sorted(INVISIBLE)) + r"])*"
_COMMAND_LINE = re.compile(rf"(?:^|(?<=\n))({_SPACE}):(?=:)")
_OLD_COMMAND = "##["
_COLON = {"terminal": "\\:", "text": "\\:", "markdown": "\\:", "html": "&#58;",
          "xml": "&#58;", "json": ":", "github": ":"}
_BRACKET = {"terminal": "\\[", "text": "\\[", "markdown": "\\[", "html": "&#91;",
            "xml": "&#91;", "json": "\\u005b", "github": "["}
# Characters JSON leaves raw inside strings that a terminal or a viewer would act on:
# C1 controls and DEL (json.dumps escapes only C0), invisible and bidi characters, and
# the two Unicode line separators.
_JSON_HIDDEN = re.compile("[" + "".join(re.escape(c) for c in sorted(
    (CONTROL | INVISIBLE | {"\u2028", "\u2029"}) - set(map(chr, range(0x20))))) + "]")
# A style code of rich's (select graphic rendition): kept in terminal output, where rich
# has already revealed every control character of the text it drew.
_TERMINAL = re.compile(r"(\x1b\[[0-9;]*m)|([" + "".join(
    re.escape(c) for c in sorted(CONTROL | INVISIBLE)) + "])")
# XML 1.0 forbids these besides the C0 controls; reveal() does not know them.
_XML_FORBIDDEN = re.compile("[\ufffe\uffff]")


def safe_output(text: str, style: Style) -> str:
    """``text`` made inert for its reader (see the module docstring); it is taken to
    start a line. ``terminal`` is text drawn by rich: its style codes are kept."""
    if style == "json":  # JSON text from json.dumps, which escapes the C0 controls itself
        text = _JSON_HIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    elif style == "terminal":
        text = _TERMINAL.sub(lambda m: m.group(1) or visible_char(m.group(2)), text)
    else:
        text = reveal(text)
        if style == "xml":
            text = _XML_FORBIDDEN.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)
    if style == "github":  # our annotations: their lines are the commands we mean to give
        return text
    return neutralise_commands(text, style)


def neutralise_commands(text: str, style: Style) -> str:
    """Escape every CI workflow command in ``text`` (only that; see ``safe_output``)."""
    colon = _COLON[style]
    if style != "json":  # a JSON line starts with white space and a quote or a bracket
        text = _COMMAND_LINE.sub(lambda m: m.group(1) + colon, text)
    if _OLD_COMMAND in text:
        text = text.replace(_OLD_COMMAND, "##" + _BRACKET[style])
    return text


def command_lines(text: str) -> list[str]:
    """The lines of ``text`` that a CI runner would read as workflow commands (for tests
    and for asserting that an output is safe)."""
    lines = re.split(r"\r\n|\r|\n", text)
    return [line for line in lines if line.lstrip().startswith("::") or _OLD_COMMAND in line]
