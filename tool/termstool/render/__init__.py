"""Renderers: documents, redlines and reports turned into text, HTML, JSON or Atom.

One module per kind and format, named ``<kind>_<format>.py`` (``redline_html.py``,
``notice_markdown.py``); ``registry.py`` registers each output format once with its file
suffixes. Everything taken from the repository is escaped for its output. The terminal
renderings live in the CLI layer because they use rich.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from termstool.model.document import Document
from termstool.model.languages import union

if TYPE_CHECKING:
    from termstool.report.banner import Banner


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """What to render: which languages, in which layout, with which banner."""

    languages: Sequence[str] = ()  # () for all the documents' own languages
    layout: str = "parallel"  # or "stacked"
    banner: tuple[Banner, ...] = ()  # e.g. "these terms change on 2021-11-01", a link

    def shown(self, documents: Sequence[Document]) -> tuple[str, ...]:
        """The languages to show: those asked for, else every language of the documents."""
        return tuple(self.languages) or union(d.manifest.languages for d in documents)
