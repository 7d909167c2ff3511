"""Plain-text rendering, numbered like the original document."""

from __future__ import annotations

from collections.abc import Sequence

from termstool.format.commonmark import to_plain
from termstool.model.document import Clause, Document
from termstool.render import RenderOptions


def header_lines(document: Document, languages: tuple[str, ...] | list[str]) -> list[str]:
    """Title in each language, then version and dates."""
    m = document.manifest
    lines = [to_plain(m.title.get(lang), {}) for lang in languages if m.title.get(lang)]
    lines.append(f"版本 Version {m.version} · 公告 Announced {m.announced.isoformat()} · "
                 f"生效 Effective {m.effective.isoformat()}")
    return lines


def numbered_clause(clause: Clause, lang: str, numbers: dict[str, str]) -> str:
    """The clause in one language: heading line (if titled) then body paragraphs."""
    body = to_plain(clause.body.get(lang), numbers)
    title = to_plain(clause.title.get(lang), {})
    number = f"{clause.number}. " if clause.number else ""
    if title:
        return f"{number}{title}" + (f"\n\n{body}" if body else "")
    return f"{number}{body}" if body else number.strip()


def render_text(documents: Sequence[Document], options: RenderOptions) -> str:
    """The full text of each document as plain text."""
    chunks: list[str] = []
    for document in documents:
        numbers = document.numbers()
        lines = header_lines(document, list(options.languages))
        if options.banner:
            lines.append(f"! {options.banner}")
        chunks.append("\n".join(lines) + "\n" + "=" * 60)
        if options.layout == "stacked" or len(options.languages) == 1:
            for clause in document.walk():
                for lang in options.languages:
                    text = numbered_clause(clause, lang, numbers)
                    if text:
                        chunks.append(text)
        else:
            for lang in options.languages:
                chunks.append("\n\n".join(
                    t for c in document.walk() if (t := numbered_clause(c, lang, numbers))))
    return "\n\n".join(chunks) + "\n"
