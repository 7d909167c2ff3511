"""`terms render`: the bilingual full text in the terminal, Markdown, HTML or plain text."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from termstool.cli.common import (
    ForceOpt,
    OutputOpt,
    escape,
    handle_errors,
    languages_option,
    stderr,
    write_output,
)
from termstool.errors import UsageError


class RenderFormat(StrEnum):
    """Output formats of `terms render`."""

    terminal = "terminal"
    markdown = "markdown"
    html = "html"
    text = "text"


class Layout(StrEnum):
    """How two languages are arranged."""

    parallel = "parallel"
    stacked = "stacked"


_SUFFIX_FORMATS = {".html": RenderFormat.html, ".htm": RenderFormat.html,
                   ".md": RenderFormat.markdown, ".txt": RenderFormat.text}


@handle_errors
def render(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Documents to render: a repository, a group or a document directory. "
             "Default: every document under ./terms.", show_default=False)] = None,
    lang: Annotated[str, typer.Option("--lang", "-l",
                                      help="Languages, comma-separated: zh, en or zh,en.")]
    = "zh,en",
    layout: Annotated[Layout | None, typer.Option(
        help="parallel: languages side by side, clause by clause; stacked: each clause in "
             "Chinese then English. Default: parallel for terminal and HTML, stacked for "
             "Markdown and text.", show_default=False)] = None,
    fmt: Annotated[RenderFormat | None, typer.Option(
        "--format", "-f", help="terminal, markdown, html or text. Default: terminal, or the "
        "format that -o's file extension names.", show_default=False)] = None,
    at: Annotated[str | None, typer.Option(
        "--at", help="Render the terms as they were at a version (20210701), a date "
        "(@2021-08-01: the release in effect that day) or any git revision (a commit, tag, "
        "branch, HEAD~2). Read from git; the working tree is not touched.",
        show_default=False)] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Render the full text with computed clause numbers and resolved cross-references.

    Examples:

      terms render                          # both languages, side by side, in the terminal

      terms render --lang en -f markdown    # English only, as Markdown

      terms render -o terms.html            # a self-contained HTML page

      terms render --at @2021-08-01         # the text in effect on 1 August 2021
    """
    from termstool.app.render import load_for_render
    from termstool.app.workspace import Workspace
    from termstool.render import RenderOptions

    languages = languages_option(lang)
    if fmt is None:
        fmt = _SUFFIX_FORMATS.get(output.suffix.lower(), RenderFormat.text) if output \
            else RenderFormat.terminal
    if layout is None:
        layout = Layout.parallel if fmt in (RenderFormat.terminal, RenderFormat.html) \
            else Layout.stacked
    targets: list[Path | None] = list(paths) if paths else [None]
    found = load_for_render([Workspace.open(target) for target in targets], at)
    documents, problems, banner = found.documents, found.warnings, found.banner
    known = {lang for document in documents for lang in document.manifest.languages}
    unknown = [lang for lang in languages if lang not in known]
    if unknown:
        raise UsageError(f"--lang {','.join(unknown)}: the documents are in "
                         f"{', '.join(sorted(known))}")
    for problem in problems:
        stderr().print(f"[yellow]warning:[/] {escape(problem)}", highlight=False)
    options = RenderOptions(languages=languages, layout=layout.value, banner=banner)
    if fmt is RenderFormat.terminal and output is None:
        from termstool.cli.terminal import print_documents

        print_documents(documents, options)
        return
    # -o FILE with the terminal format writes plain text: a file has no terminal width.
    if fmt is RenderFormat.html:
        from termstool.render.html import render_html

        write_output(render_html(documents, options), output, force)
    elif fmt is RenderFormat.markdown:
        from termstool.render.markdown import render_markdown

        write_output(render_markdown(documents, options), output, force)
    else:
        from termstool.render.text import render_text

        write_output(render_text(documents, options), output, force)
