"""Renderers: documents, redlines and reports turned into text, HTML, JSON or Atom.

One module per kind and format, named ``<kind>_<format>.py`` (``redline_html.py``,
``notice_markdown.py``); ``registry.py`` registers each output format once with its file
suffixes. Everything taken from the repository is escaped for its output. The terminal
renderings live in the CLI layer because they use rich.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """What to render: which languages, in which layout, with which banner."""

    languages: Sequence[str] = ("zh", "en")
    layout: str = "parallel"  # or "stacked"
    banner: str | None = None  # e.g. "these terms change on 2021-11-01"
