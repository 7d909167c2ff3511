"""Markdown rendering that displays correctly, and safely, on GitHub."""

from __future__ import annotations

from collections.abc import Sequence

from termstool.format.commonmark import escape_markdown, to_plain
from termstool.format.numbering import DEFAULT_STYLE, number_mark
from termstool.model.document import Clause, Document
from termstool.model.languages import language_name
from termstool.render import RenderOptions
from termstool.render.blocks import to_markdown
from termstool.render.document_text import release_labels
from termstool.report.banner import Banner


def _heading(clause: Clause, lang: str, style: str) -> str:
    title = escape_markdown(to_plain(clause.title.get(lang), {}))
    mark = number_mark(clause.number, style, lang)
    number = f"**{escape_markdown(mark)}**" if mark else ""
    return " ".join(part for part in (number, f"**{title}**" if title else "") if part)


def _clause_markdown(clause: Clause, lang: str, numbers: dict[str, str], prefix: str,
                     sep: str = "\n\n", style: str = DEFAULT_STYLE) -> str:
    heading = _heading(clause, lang, style)
    body = to_markdown(clause.body.get(lang), numbers, lambda target: prefix + target, sep)
    if heading and body and not clause.title.get(lang):
        return f"{heading} {body}"
    return sep.join(part for part in (heading, body) if part)


def banner_markdown(banner: Banner) -> str:
    """A banner as Markdown: its sentence escaped, then a link to the notice if any. The
    address is validated (https, no space, quote or angle bracket), so in ``<…>`` it is
    one destination that nothing can end early."""
    text = escape_markdown(banner.text)
    if banner.link:
        text += f" [{escape_markdown(banner.link_text)}](<{banner.link}>)"
    return text


def render_markdown(documents: Sequence[Document], options: RenderOptions) -> str:
    """The documents as GitHub-flavoured Markdown with an anchor per clause id."""
    out: list[str] = []
    many = len(documents) > 1
    languages = options.shown(documents)
    for document in documents:
        # Two documents may both have a "preamble": anchors are then prefixed by document.
        prefix = f"{document.id}--" if many else ""
        m = document.manifest
        numbers = document.numbers()
        style = m.numbering
        titles = " / ".join(escape_markdown(to_plain(m.title.get(lang), {}))
                            for lang in languages if m.title.get(lang))
        out.append(f"# {titles}")
        labels = " | ".join(escape_markdown(label) for label in release_labels(m))
        out.append(f"| {labels} |\n|---|---|---|\n"
                   f"| {escape_markdown(m.version)} | {m.announced.isoformat()} | "
                   f"{m.effective.isoformat()} |")
        for banner in options.banner:
            out.append(f"> [!IMPORTANT]\n> {banner_markdown(banner)}")
        parallel = options.layout == "parallel" and len(languages) > 1
        if parallel:
            header = " | ".join(escape_markdown(language_name(lang)) for lang in languages)
            rows = [f"| | {header} |", "|---|" + "---|" * len(languages)]
            for clause in document.walk():
                cells = [_clause_markdown(clause, lang, numbers, prefix, "<br><br>", style)
                         .replace("\n", " ") for lang in languages]
                mark = escape_markdown(number_mark(clause.number, style, languages[0]))
                rows.append(f'| <a id="{prefix}{clause.id}"></a>{mark} | '
                            + " | ".join(cells) + " |")
            out.append("\n".join(rows))
            continue
        for clause in document.walk():
            parts = [f'<a id="{prefix}{clause.id}"></a>']
            for lang in languages:
                text = _clause_markdown(clause, lang, numbers, prefix, style=style)
                if text:
                    parts.append(text)
            out.append("\n\n".join(parts))
    return "\n\n".join(out) + "\n"
