"""PDF from the same HTML as ``-f html``, laid out by WeasyPrint.

WeasyPrint is an optional extra (``pip install 'terms-tool[pdf]'``) and needs Pango and a
CJK font from the system (Debian: ``fonts-noto-cjk``; ``scripts/install-system-deps``
installs both). It embeds the fonts it uses, subsetted; the page numbers and the
black-and-white redline marks (underline, strike-through) come from the pages' print CSS.
Nothing is fetched from elsewhere while the PDF is made.

WeasyPrint lays out in Python, about 8 ms of CPU a bilingual clause stacked and 13 ms in
the parallel table (narrower columns, twice the lines); the page of ``terms render`` is
marked up for print (``render_html(..., for_print=True)``) so that alike clauses share
their computed styles. Not headless Chromium, though it is several times faster: its PDF
writer (Skia) draws the glyphs of an OpenType CFF font such as Noto CJK as Type 3 shapes,
so no CJK font is embedded and the extracted text has radicals for common ideographs
(``benchmarks/bench_word_pdf.py``).
"""

from __future__ import annotations

import re
import shutil
import subprocess

from termstool.errors import TermsError

INSTALL_HINT = ("pip install 'terms-tool[pdf]' (in this repository: .venv/bin/pip install "
                "-e '.[pdf]'), and a CJK font, on Debian or Ubuntu: apt-get install "
                "fonts-noto-cjk (scripts/install-system-deps does both)")


class PdfUnavailable(TermsError):
    """What PDF output needs is not installed."""


def html_to_pdf(html: str) -> bytes:
    """The page laid out as PDF; ``PdfUnavailable`` names what is missing."""
    try:
        import weasyprint
    except ImportError as exc:
        raise PdfUnavailable(f"PDF output needs WeasyPrint, which is not installed "
                             f"({exc}); install it with: {INSTALL_HINT}") from None
    except OSError as exc:  # the Python package is there, Pango is not
        raise PdfUnavailable(f"WeasyPrint cannot load the system libraries it needs ({exc});"
                             f" on Debian or Ubuntu: apt-get install libpango-1.0-0 "
                             f"libpangoft2-1.0-0; then {INSTALL_HINT}") from None
    missing = missing_cjk_font()
    if missing:
        raise PdfUnavailable(missing)

    def no_fetch(url: str, timeout: int = 10, ssl_context: object = None) -> dict[str, str]:
        raise ValueError(f"not fetched: {url}")

    # The pages never load anything, and a URL in a clause must not be fetched either:
    # no protocol is allowed (WeasyPrint 66 and later take a fetcher object).
    fetcher_class = getattr(weasyprint.urls, "URLFetcher", None)
    fetcher = fetcher_class(allowed_protocols=()) if fetcher_class is not None else no_fetch
    document = weasyprint.HTML(string=inline_custom_properties(html), url_fetcher=fetcher,
                               base_url=".")
    data = document.write_pdf()
    assert isinstance(data, bytes)
    return data


def missing_cjk_font() -> str | None:
    """A message when fontconfig knows no Chinese font (the PDF would show empty boxes);
    None when one is installed or fontconfig's ``fc-list`` is not there to ask."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        found = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True,
                               text=True, timeout=30, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    if found:
        return None
    return ("PDF output needs a font with Chinese characters and none is installed; on "
            "Debian or Ubuntu: apt-get install fonts-noto-cjk (or run "
            "scripts/install-system-deps)")


_STYLE = re.compile(r"(<style>)(.*?)(</style>)", re.DOTALL)
_PROPERTY = re.compile(r"(--[A-Za-z0-9-]+)\s*:\s*([^;}]+)[;}]")
_VAR = re.compile(r"var\((--[A-Za-z0-9-]+)\)")


def inline_custom_properties(html: str) -> str:
    """The page with each ``var(--x)`` of its own style sheets replaced by the value.

    The computed styles are the same; WeasyPrint resolves ``var()`` anew for every
    element and property, which costs a third of its layout time on these pages.
    Only the pages' ``<style>`` elements are touched (clause text is escaped, so it
    holds none).
    """

    def style(match: re.Match[str]) -> str:
        css = match.group(2)
        values = {name: value.strip() for name, value in _PROPERTY.findall(css)}
        css = _VAR.sub(lambda m: values.get(m.group(1), m.group(0)), css)
        return match.group(1) + css + match.group(3)

    return _STYLE.sub(style, html)
