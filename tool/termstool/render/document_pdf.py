"""The full text as PDF: the HTML page of `terms render`, laid out for print."""

from __future__ import annotations

from collections.abc import Sequence

from termstool.model.document import Document
from termstool.render import RenderOptions
from termstool.render.document_html import render_html
from termstool.render.pdf import html_to_pdf


def document_pdf(documents: Sequence[Document], options: RenderOptions) -> bytes:
    """The documents as one PDF (the page of ``-f html``, marked up for print)."""
    return html_to_pdf(render_html(documents, options, for_print=True))
