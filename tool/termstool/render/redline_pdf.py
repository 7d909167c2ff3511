"""A redline as PDF: the HTML redline page laid out for print (insertions underlined,
deletions struck through, so it reads in black and white)."""

from __future__ import annotations

from collections.abc import Sequence

from termstool.compare.clause_diff import Redline
from termstool.render.full_redline import FullRedline
from termstool.render.pdf import html_to_pdf
from termstool.render.redline_full_html import redline_full_html
from termstool.render.redline_html import redline_html


def redline_pdf(redline: Redline, languages: Sequence[str] | None = None) -> bytes:
    """The changed clauses, as the page of ``terms diff -f html``."""
    return html_to_pdf(redline_html(redline, languages))


def full_redline_pdf(full: FullRedline, languages: Sequence[str] | None = None) -> bytes:
    """The whole document, as the page of ``terms diff --full -f html``."""
    return html_to_pdf(redline_full_html(full, languages))
