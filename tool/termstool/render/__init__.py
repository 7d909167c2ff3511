"""Rendering documents to strings: plain text, Markdown and HTML, one module each.

The terminal renderer lives in the CLI layer because it uses rich.
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
