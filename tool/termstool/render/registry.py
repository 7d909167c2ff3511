"""The output registry: every output format once, with the file suffixes that name it,
and for each kind of report one renderer per format it can be written in.

A :class:`Format` (``html``) is registered once, here, with its suffixes (``.html``,
``.htm``); :func:`format_of` is the one place where ``-o FILE`` picks a format from a
file name. A kind of report (the full text, a redline, a notice, the review…) has an
:class:`Outputs`: one :class:`Renderer` per format, a function from that report to the
text (``str``) or the file content (``bytes``, for formats such as Word or PDF) to write.
The commands' outputs are assembled in :mod:`termstool.cli.outputs`, because the terminal
renderings need rich; every other renderer is a pure function of :mod:`termstool.render`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Generic, ParamSpec

from termstool.errors import UsageError

Output = str | bytes  # text, or the bytes of a binary file format

P = ParamSpec("P")


@dataclass(frozen=True, slots=True)
class Format:
    """An output format: its name (``--format NAME``) and the file suffixes that name it."""

    name: str
    suffixes: tuple[str, ...] = ()  # lower case, with the dot; () when no file has it
    binary: bool = False  # renderers return bytes: written to a file, never to a terminal

    def describe(self) -> str:
        """The format and its suffixes, for messages: ``html (.html, .htm)``."""
        return f"{self.name} ({', '.join(self.suffixes)})" if self.suffixes else self.name


_FORMATS: dict[str, Format] = {}


def register_format(name: str, suffixes: tuple[str, ...] = (), *,
                    binary: bool = False) -> Format:
    """Add an output format; a name or a suffix may be registered only once."""
    if name in _FORMATS:
        raise ValueError(f"output format {name!r} is registered twice")
    taken = {s: f.name for f in _FORMATS.values() for s in f.suffixes}
    for suffix in suffixes:
        if suffix in taken:
            raise ValueError(f"suffix {suffix} names both {taken[suffix]} and {name}")
    fmt = Format(name, tuple(s.lower() for s in suffixes), binary)
    _FORMATS[name] = fmt
    return fmt


TERMINAL = register_format("terminal")  # rich output for a person at a terminal
TEXT = register_format("text", (".txt",))
MARKDOWN = register_format("markdown", (".md", ".markdown"))
HTML = register_format("html", (".html", ".htm"))
JSON = register_format("json", (".json",))
GITHUB = register_format("github")  # workflow commands (annotations) on standard output
ATOM = register_format("atom", (".atom", ".xml"))
DOCX = register_format("docx", (".docx",), binary=True)  # Word
PDF = register_format("pdf", (".pdf",), binary=True)


def formats() -> tuple[Format, ...]:
    """Every registered format, in the order registered."""
    return tuple(_FORMATS.values())


def format_of(path: PurePath) -> Format | None:
    """The format a file name's suffix names (case-insensitive), if any: the one place
    where ``-o FILE`` decides what to write."""
    suffix = path.suffix.lower()
    return next((f for f in _FORMATS.values() if suffix and suffix in f.suffixes), None)


@dataclass(frozen=True, slots=True)
class Renderer(Generic[P]):
    """One kind of report in one format."""

    format: Format
    render: Callable[P, Output]


@dataclass(frozen=True, slots=True)
class Outputs(Generic[P]):
    """The renderers of one kind of report, one per format, and the command that writes
    them (for messages)."""

    command: str  # e.g. "terms diff"
    renderers: tuple[Renderer[P], ...]

    @classmethod
    def of(cls, command: str, name: str, render: Callable[P, Output]) -> Outputs[P]:
        """The outputs of a command, starting with the renderer of one format (which also
        fixes what every renderer takes)."""
        return cls(command, (Renderer(_registered(name), render),))

    def add(self, name: str, render: Callable[P, Output]) -> Outputs[P]:
        """These outputs and the renderer of one more format (each format once)."""
        if name in self.names:
            raise ValueError(f"{self.command} has two renderers for {name}")
        return replace(self, renderers=(*self.renderers, Renderer(_registered(name), render)))

    @property
    def names(self) -> tuple[str, ...]:
        """The formats this kind of report can be written in, in the order added."""
        return tuple(r.format.name for r in self.renderers)

    def get(self, name: str) -> Renderer[P]:
        """The renderer of a format; a usage error listing the choices when there is none."""
        for renderer in self.renderers:
            if renderer.format.name == name:
                return renderer
        raise UsageError(f"--format {name}: {self.command} writes "
                         f"{_either(list(self.names))}")

    def choose(self, name: str | None, output: PurePath | None,
               default: str) -> Renderer[P]:
        """The renderer for ``--format NAME`` and ``-o FILE``: the format named; else the
        one the file's suffix names; else ``default``. A terminal rendering written to a
        file is the plain-text one: a file has no terminal width or colours. ``-o -`` is
        standard output, as if no file were given."""
        if output is not None and str(output) == "-":
            output = None
        if name is not None:
            chosen = self.get(name)
        elif output is not None:
            fmt = format_of(output)
            if fmt is None or fmt.name not in self.names:
                known = [r.format.describe() for r in self.renderers if r.format.suffixes]
                what = f"{fmt.name} files" if fmt is not None else "files named like that"
                raise UsageError(f"-o {output}: {self.command} cannot write {what}; it "
                                 f"writes {_either(known)}, or give --format")
            chosen = self.get(fmt.name)
        else:
            chosen = self.get(default)
        if chosen.format is TERMINAL and output is not None and TEXT.name in self.names:
            return self.get(TEXT.name)
        return chosen


def _registered(name: str) -> Format:
    fmt = _FORMATS.get(name)
    if fmt is None:
        raise ValueError(f"{name!r} is not a registered output format")
    return fmt


def _either(items: list[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
