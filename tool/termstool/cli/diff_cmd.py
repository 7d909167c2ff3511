"""`terms diff`: a clause-aware bilingual redline between two versions of the terms.

The command parses its arguments, loads both sides with
:func:`termstool.app.diff.load_sides`, calls the pure comparison
(:func:`termstool.compare.clause_diff.diff_documents`) and writes the rendering that
``--format`` or ``-o`` names (:mod:`termstool.cli.outputs`); the terminal one is
:mod:`termstool.cli.redline_view`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from termstool.cli.cache_cmd import JobsOpt, NoCacheOpt, TerminalProgress
from termstool.cli.common import (
    ForceOpt,
    OutputOpt,
    handle_errors,
    languages_option,
    warn,
    write_output,
)
from termstool.errors import ExitCode, UsageError

if TYPE_CHECKING:  # an annotation only: the model is not needed to start
    from termstool.model.document import Document


class DiffLayout(StrEnum):
    """How the Word redline arranges two languages."""

    stacked = "stacked"
    parallel = "parallel"


@handle_errors
def diff(
    args: Annotated[list[str] | None, typer.Argument(
        metavar="[OLD] [NEW] [PATH]",
        help="OLD and NEW are versions to compare: a version label (20210701), a date "
        "(@2021-08-01: the release in effect that day), any git revision (a commit, tag, "
        "branch, HEAD~2), or WORKTREE for the files on disk with uncommitted changes. "
        "Default: OLD is HEAD (the last commit) and NEW the working tree, as in git diff. "
        "PATH limits the comparison to a group of documents or one document; it comes "
        "last and must exist on disk.", show_default=False)] = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", metavar="FORMAT",
        help="terminal, markdown (for a GitHub pull-request comment), "
        "html (one page to open in a browser or print), json, text (the terminal's "
        "redline without colours), pdf (the HTML page laid out for print; needs the pdf "
        "extra) or docx (the whole document as Word tracked changes, to accept or reject "
        "in Word). Default: terminal, or the format that -o's file extension names (.md, "
        ".html, .json, .txt, .pdf, .docx).", show_default=False)] = None,
    full: Annotated[bool, typer.Option(
        "--full", help="HTML and PDF: the whole document, every clause in order with the "
        "changes inline (the same document as the Word redline), instead of the changed "
        "clauses only.")] = False,
    author: Annotated[str | None, typer.Option(
        "--author", help="Word: the author named on every tracked change. Default: the "
        "author of the commit that made each change ('terms' for uncommitted changes).",
        show_default=False)] = None,
    layout: Annotated[DiffLayout, typer.Option(
        "--layout", help="Word: stacked (each clause in one language after the other) or "
        "parallel (a table with a column per language, a row per clause).")]
    = DiffLayout.stacked,
    lang: Annotated[str | None, typer.Option(
        "--lang", "-l", help="Languages whose text to show: codes from the documents' "
        "languages in document.yaml, comma-separated. Default: all of each document's "
        "languages. The list of changed clauses is the same whatever you choose.",
        show_default=False)] = None,
    exit_code: Annotated[bool, typer.Option(
        "--exit-code", help="Exit with 1 when there are differences and 0 when there are "
        "none, like git diff --exit-code; useful in scripts and CI.")] = False,
    output: OutputOpt = None,
    force: ForceOpt = False,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = None,
) -> None:
    """Show what changed between two versions, clause by clause, in every language.

    Clauses are matched by their id, so inserting a clause shows one added clause and
    the clauses after it as renumbered, not as changed text. Each change has one kind:
    added, removed, modified, renamed (new id, same text), moved (new place in the
    outline), renumbered (only its number changed) or reference (only the numbers
    written in cross-references changed). A modification has a class: substantive (the
    authoritative text changed: needs notice), editorial (only spacing, full-/half-width
    punctuation, formatting) or translation (only a translation changed).

    Inside a clause, languages written without spaces (such as Chinese or Japanese) are
    compared character by character, the others word by word; deletions are struck
    through and insertions underlined. Invisible characters are spelled out, e.g.
    ⟨U+200B⟩.

    Examples:

      terms diff                            # last commit -> files on disk

      terms diff 20210701                   # release 20210701 -> files on disk

      terms diff 20210701 20211101          # between two releases

      terms diff HEAD~3 HEAD -f markdown    # Markdown for a pull-request comment

      terms diff 20210701 -o redline.html   # a redline page to open or print

      terms diff 20210701 20211101 -o redline.docx   # Word, with tracked changes

      terms diff 20210701 --full -o redline.pdf      # the whole document, for print
    """
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.app.diff import load_sides
    from termstool.app.workspace import Workspace
    from termstool.cli.outputs import FULL_REDLINE, REDLINE
    from termstool.compare.clause_diff import diff_documents
    from termstool.model.languages import union
    from termstool.render.registry import format_of

    old_text, new_text, path = split_arguments(args or [])
    languages = languages_option(lang) if lang is not None else None
    found = format_of(output) if output is not None else None
    named = fmt or (found.name if found is not None else None)
    whole = full or named == "docx"  # a Word redline is always the whole document
    if whole:
        full_renderer = FULL_REDLINE.choose(fmt, output, "html")
    else:
        renderer = REDLINE.choose(fmt, output, "terminal")
    workspace = Workspace.open(path, use_cache=not no_cache, jobs=jobs)
    terminal = not whole and renderer.format.name == "terminal" and output is None
    with TerminalProgress(terminal) as progress:
        workspace.progress = progress
        # the whole document shows every clause, changed or not: every document is read
        sides = load_sides(workspace, old_text, new_text, every_document=whole)
    for warning in sides.warnings:
        warn(warning)
    old_docs, new_docs = sides.old, sides.new
    old_label, new_label = sides.old_label, sides.new_label
    if languages is not None:
        _check_languages(languages, [*old_docs, *new_docs])
    redline = diff_documents(old_docs, new_docs, ref_from=old_label, ref_to=new_label)
    if whole:
        # Imported here: only the whole-document redline needs them (Word's writer too).
        from termstool.app.redline_authors import redline_revisions
        from termstool.render.full_redline import full_redline

        shown = languages or union(d.manifest.languages for d in (*new_docs, *old_docs))
        whole_doc = full_redline(old_docs, new_docs, shown, ref_from=old_label,
                                 ref_to=new_label, redline=redline)
        revisions = redline_revisions(workspace, new_text, whole_doc, old_docs, new_docs,
                                      author=author, now=dt.datetime.now(dt.UTC))
        write_output(full_renderer.render(whole_doc, revisions, layout.value), output, force,
                     fmt=full_renderer.format.name)
    else:
        write_output(renderer.render(redline, languages), output, force,
                     fmt=renderer.format.name)
    if exit_code and redline.changed:
        raise typer.Exit(int(ExitCode.PROBLEMS))


def split_arguments(args: Sequence[str]) -> tuple[str | None, str | None, Path | None]:
    """OLD, NEW and PATH from the positional arguments: a trailing one that exists on disk
    is the PATH; the ones before it are revisions."""
    items = list(args)
    path: Path | None = None
    if len(items) > 3:
        raise UsageError(f"too many arguments ({len(items)}): give at most OLD, NEW and "
                         "PATH, e.g. terms diff 20210701 HEAD terms/")
    if items and (len(items) == 3 or Path(items[-1]).exists()):
        last = items.pop()
        if not Path(last).exists():
            raise UsageError(f"{last} does not exist; the third argument is a PATH to a "
                             "document or a group of documents")
        path = Path(last)
    old = items[0] if items else None
    new = items[1] if len(items) > 1 else None
    return old, new, path


def _check_languages(languages: Sequence[str], documents: Sequence[Document]) -> None:
    if not documents:  # nothing differs: no document was read, no text will be shown
        return
    known: list[str] = []
    for document in documents:
        known += [lang for lang in document.manifest.languages if lang not in known]
    unknown = [lang for lang in languages if lang not in known]
    if unknown:
        raise UsageError(f"--lang {','.join(unknown)}: the documents are written in "
                         f"{', '.join(known)}; choose among those")
