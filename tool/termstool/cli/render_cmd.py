"""`terms render`: the bilingual full text in the terminal, Markdown, HTML, plain text, Word
or PDF."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from termstool.cli.check_cmd import TodayOpt, parse_day
from termstool.cli.common import (
    ForceOpt,
    OutputOpt,
    handle_errors,
    languages_option,
    warn,
    write_output,
)
from termstool.errors import UsageError


class Layout(StrEnum):
    """How two languages are arranged."""

    parallel = "parallel"
    stacked = "stacked"


@handle_errors
def render(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Documents to render: a repository, a group or a document directory. "
             "Default: every document under ./terms.", show_default=False)] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", "-l", help="Languages to show: codes from the documents' languages in "
        "document.yaml, comma-separated, in the order to show them. Default: all of the "
        "documents' languages.", show_default=False)] = None,
    layout: Annotated[Layout | None, typer.Option(
        help="parallel: languages side by side, clause by clause (in Word: a two-column "
             "table); stacked: each clause in one language after the other. Default: "
             "parallel for "
             "terminal and HTML, stacked for Markdown, text, Word and PDF (a long table "
             "takes twice as long to lay out for print).", show_default=False)] = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", metavar="FORMAT",
        help="terminal, markdown, html, text, docx (Word: headings, a table of contents, "
        "a bookmark per clause; edit it and bring the edits back with terms apply) or pdf "
        "(the HTML page laid out for print; needs the pdf extra). Default: terminal, or "
        "the format that -o's file extension names (.md, .html, .txt, .docx, .pdf).",
        show_default=False)] = None,
    at: Annotated[str | None, typer.Option(
        "--at", help="Render the terms as they were at a version (20210701), a date "
        "(@2021-08-01: the release in effect that day) or any git revision (a commit, tag, "
        "branch, HEAD~2). Read from git; the working tree is not touched.",
        show_default=False)] = None,
    in_force: Annotated[bool, typer.Option(
        "--in-force", help="Render the text customers are bound by today (the same as "
        "--at @today): during a notice period, the release before the amendment.")] = False,
    today: TodayOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Render the full text with computed clause numbers and resolved cross-references.

    Examples:

      terms render                          # every language, side by side, in the terminal

      terms render --lang en -f markdown    # one language (here en) only, as Markdown

      terms render -o terms.html            # a self-contained HTML page

      terms render --at @2021-08-01         # the text in effect on 1 August 2021

      terms render -o terms.docx            # Word, to edit and send back (terms apply)

      terms render -o terms.pdf             # PDF with the Chinese fonts embedded

      terms render --in-force               # the text customers are bound by today

    During a notice period the working tree holds the amended text: every format then
    carries a banner saying when it was announced, when it takes effect and which version
    is in force until then, linked to the notice when document.yaml gives notice_url.
    Text and terminal output write a link's address after its text.
    """
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.app.render import load_for_render
    from termstool.app.workspace import Workspace
    from termstool.cli.outputs import DOCUMENTS
    from termstool.model.languages import union
    from termstool.render import RenderOptions

    asked = languages_option(lang) if lang is not None else None
    renderer = DOCUMENTS.choose(fmt, output, "terminal")
    if layout is None:
        wide = fmt == "terminal" or renderer.format.name in ("terminal", "html")
        layout = Layout.parallel if wide else Layout.stacked
    targets: list[Path | None] = list(paths) if paths else [None]
    now = dt.datetime.now(dt.UTC)
    day = parse_day(today)
    if in_force:
        if at is not None:
            raise UsageError("--in-force and --at name two different texts; give one")
        at = f"@{day or now.date()}"
    found = load_for_render([Workspace.open(target) for target in targets], at, now, day)
    documents, problems, banner = found.documents, found.warnings, found.banner
    known = union(document.manifest.languages for document in documents)
    languages = asked or known
    unknown = [lang for lang in languages if lang not in known]
    if unknown:
        raise UsageError(f"--lang {','.join(unknown)}: the documents are in "
                         f"{', '.join(sorted(known))}")
    for problem in problems:
        warn(problem)
    options = RenderOptions(languages=languages, layout=layout.value, banner=banner)
    write_output(renderer.render(documents, options), output, force,
                 fmt=renderer.format.name)
