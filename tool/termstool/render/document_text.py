"""Plain-text rendering, numbered like the original document."""

from __future__ import annotations

from collections.abc import Sequence

from termstool.format.commonmark import to_plain
from termstool.format.numbering import DEFAULT_STYLE, number_lead
from termstool.model.document import Clause, Document, Manifest
from termstool.model.languages import say_all
from termstool.render import RenderOptions


def release_labels(manifest: Manifest) -> tuple[str, str, str]:
    """"Version", "Announced" and "Effective" in the document's languages."""
    languages = manifest.languages
    return (say_all("version", languages), say_all("announced", languages),
            say_all("effective", languages))


def header_lines(document: Document, languages: Sequence[str]) -> list[str]:
    """Title in each language, then version and dates (labelled in the document's
    languages, whichever are shown)."""
    m = document.manifest
    lines = [to_plain(m.title.get(lang), {}) for lang in languages if m.title.get(lang)]
    version, announced, effective = release_labels(m)
    lines.append(f"{version} {m.version} · {announced} {m.announced.isoformat()} · "
                 f"{effective} {m.effective.isoformat()}")
    return lines


def numbered_clause(clause: Clause, lang: str, numbers: dict[str, str],
                    style: str = DEFAULT_STYLE, *, addresses: bool = True) -> str:
    """The clause in one language: heading line (if titled) then body paragraphs.

    The number is written in the document's numbering ``style`` ("第三条 ", "三、", "3.1. ").
    A link's address follows its text unless ``addresses`` is false (the text of a
    format that keeps the link itself, as Word does).
    """
    body = to_plain(clause.body.get(lang), numbers, addresses=addresses)
    title = to_plain(clause.title.get(lang), {})
    number = number_lead(clause.number, style, lang)
    if title:
        return f"{number}{title}" + (f"\n\n{body}" if body else "")
    return f"{number}{body}" if body else number.strip()


def render_text(documents: Sequence[Document], options: RenderOptions) -> str:
    """The full text of each document as plain text."""
    chunks: list[str] = []
    languages = options.shown(documents)
    for document in documents:
        numbers = document.numbers()
        style = document.manifest.numbering
        lines = header_lines(document, languages)
        lines += [f"! {banner.plain()}" for banner in options.banner]
        chunks.append("\n".join(lines) + "\n" + "=" * 60)
        if options.layout == "stacked" or len(languages) == 1:
            for clause in document.walk():
                for lang in languages:
                    text = numbered_clause(clause, lang, numbers, style)
                    if text:
                        chunks.append(text)
        else:
            for lang in languages:
                chunks.append("\n\n".join(
                    t for c in document.walk()
                    if (t := numbered_clause(c, lang, numbers, style))))
    return "\n\n".join(chunks) + "\n"
