"""`terms diff`: a clause-aware bilingual redline between two versions of the terms.

The command parses its arguments, loads both sides with
:func:`termstool.app.diff.load_sides`, calls the pure comparison
(:func:`termstool.compare.clause_diff.diff_documents`) and prints one of the renderings; the
terminal rendering lives here because it uses rich.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from termstool.cli.common import (
    ForceOpt,
    OutputOpt,
    handle_errors,
    languages_option,
    stderr,
    write_output,
)
from termstool.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from termstool.compare.clause_diff import Redline
    from termstool.compare.text_diff import Op
    from termstool.model.document import Document


class DiffFormat(StrEnum):
    """Output formats of `terms diff`."""

    terminal = "terminal"
    markdown = "markdown"
    html = "html"
    json = "json"


_SUFFIX_FORMATS = {".html": DiffFormat.html, ".htm": DiffFormat.html,
                   ".md": DiffFormat.markdown, ".json": DiffFormat.json,
                   ".txt": DiffFormat.terminal}


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
    fmt: Annotated[DiffFormat | None, typer.Option(
        "--format", "-f", help="terminal, markdown (for a GitHub pull-request comment), "
        "html (one page to open in a browser or print) or json. Default: terminal, or the "
        "format that -o's file extension names.", show_default=False)] = None,
    lang: Annotated[str, typer.Option(
        "--lang", "-l", help="Languages whose text to show, comma-separated: zh, en or "
        "zh,en. The list of changed clauses is the same whatever you choose.")] = "zh,en",
    exit_code: Annotated[bool, typer.Option(
        "--exit-code", help="Exit with 1 when there are differences and 0 when there are "
        "none, like git diff --exit-code; useful in scripts and CI.")] = False,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Show what changed between two versions, clause by clause, in both languages.

    Clauses are matched by their id, so inserting a clause shows one added clause and
    the clauses after it as renumbered, not as changed text. Each change has one kind:
    added, removed, modified, renamed (new id, same text), moved (new place in the
    outline), renumbered (only its number changed) or reference (only the numbers
    written in cross-references changed). A modification has a class: substantive (the
    authoritative Chinese changed: needs notice), editorial (only spacing, full-/half-width
    punctuation, formatting) or translation (only the English changed).

    Inside a clause, Chinese is compared character by character and English word by
    word; deletions are struck through and insertions underlined. Invisible characters
    are spelled out, e.g. ⟨U+200B⟩.

    Examples:

      terms diff                            # last commit -> files on disk

      terms diff 20210701                   # release 20210701 -> files on disk

      terms diff 20210701 20211101          # between two releases

      terms diff HEAD~3 HEAD -f markdown    # Markdown for a pull-request comment

      terms diff 20210701 -o redline.html   # a redline page to open or print
    """
    from termstool.app.diff import load_sides
    from termstool.app.workspace import Workspace
    from termstool.compare.clause_diff import diff_documents

    old_text, new_text, path = split_arguments(args or [])
    languages = languages_option(lang)
    if fmt is None:
        fmt = _SUFFIX_FORMATS.get(output.suffix.lower(), DiffFormat.terminal) if output \
            else DiffFormat.terminal
    sides = load_sides(Workspace.open(path), old_text, new_text)
    for warning in sides.warnings:
        stderr().print(f"warning: {warning}", markup=False, highlight=False)
    old_docs, new_docs = sides.old, sides.new
    old_label, new_label = sides.old_label, sides.new_label
    _check_languages(languages, [*old_docs, *new_docs])
    redline = diff_documents(old_docs, new_docs, ref_from=old_label, ref_to=new_label)
    write_redline(redline, languages, fmt, output, force)
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
    known: list[str] = []
    for document in documents:
        known += [lang for lang in document.manifest.languages if lang not in known]
    unknown = [lang for lang in languages if lang not in known]
    if unknown:
        raise UsageError(f"--lang {','.join(unknown)}: the documents are written in "
                         f"{', '.join(known)}; choose among those")


def write_redline(redline: Redline, languages: Sequence[str], fmt: DiffFormat,
                  output: Path | None, force: bool = False) -> None:
    """Render the redline in a format and print it or write it to ``-o FILE``."""
    if fmt is DiffFormat.markdown:
        from termstool.render.redline_markdown import redline_markdown

        write_output(redline_markdown(redline, languages), output, force)
    elif fmt is DiffFormat.html:
        from termstool.render.redline_html import redline_html

        write_output(redline_html(redline, languages), output, force)
    elif fmt is DiffFormat.json:
        from termstool.render.redline_json import redline_json

        write_output(redline_json(redline, languages), output, force)
    elif output is None:
        from termstool.cli.common import stdout

        print_redline(redline, languages, stdout())
    else:
        from rich.console import Console

        buffer = io.StringIO()
        print_redline(redline, languages, Console(file=buffer, width=100, color_system=None,
                                                  highlight=False, no_color=True))
        write_output(buffer.getvalue(), output, force)


# ------------------------------------------------------------------------- terminal

_NAMES = {"zh": "中文", "en": "English"}


def print_redline(redline: Redline, languages: Sequence[str], console: Console) -> None:
    """The summary table, then each changed clause's redline in every language.

    Deletions are red and struck through, insertions green and underlined. Without
    colour (NO_COLOR, or output to a file or pipe) they are also marked ``[-old-]`` and
    ``{+new+}``, as git's word diff does, so the redline never depends on styles alone.
    """
    from rich.rule import Rule
    from rich.table import Table
    from rich.text import Text

    from termstool.compare.clause_diff import describe
    from termstool.render.redline_markdown import (
        counts_line,
        kind_label,
        shows_text,
        versions_line,
    )

    plain = console.no_color or console.color_system is None
    console.print(Text(f"Redline {redline.ref_from} → {redline.ref_to}", style="bold"))
    if not redline.changed:
        console.print("No differences.")
    for document in redline.documents:
        langs = [lang for lang in languages if lang in document.languages]
        title = document.title.get(document.authoritative) or document.id
        console.print()
        console.print(Rule(Text(f"{title} ({document.id})", style="bold")))
        console.print(Text(f"Compared {versions_line(redline, document)}: "
                           f"{counts_line(document)}.", style="dim"))
        if not document.changes:
            continue
        table = Table(header_style="bold", expand=False, show_edge=False)
        for name in ("§", "Clause", "Id", "Change", "Languages"):
            table.add_column(name, overflow="fold")
        for change in document.changes:
            table.add_row(Text(change.number_label, style="cyan"), Text(change.label),
                          Text(change.id), Text(kind_label(change), style=_KIND_STYLE.get(
                              change.kind.value, "")),
                          Text(", ".join(change.languages_changed) or "—"))
        console.print(table)
        for change in document.changes:
            if not shows_text(change):
                continue
            console.print()
            heading = Text()
            heading.append(change.number_label, style="bold cyan")
            heading.append(f"  {change.label}  ", style="bold")
            heading.append(f"[{kind_label(change)}] ", style=_KIND_STYLE.get(
                change.kind.value, ""))
            heading.append(change.id, style="dim")
            console.print(heading)
            console.print(Text(describe(change), style="dim"))
            for lang in langs:
                diff = change.text(lang)
                if diff is None:
                    continue
                same = change.text_changed and lang not in change.languages_changed
                console.print(Text(_NAMES.get(lang, lang) + (" (unchanged)" if same else ""),
                                   style="bold underline"))
                console.print(redline_text(diff.ops, plain))


_KIND_STYLE = {"added": "green", "removed": "red", "modified": "yellow", "moved": "magenta",
               "renamed": "magenta", "reference": "blue", "renumbered": "dim"}


def redline_text(ops: Sequence[Op], plain: bool) -> Text:
    """A rich Text of one language's redline; ``plain`` adds [-…-] and {+…+} markers."""
    from rich.text import Text

    from termstool.compare.text_diff import DELETE, INSERT, segments

    text = Text()
    for segment in segments(ops):
        if segment.op == DELETE:
            body = f"[-{segment.text}-]" if plain else segment.text
            text.append(body, style="red strike")
        elif segment.op == INSERT:
            body = f"{{+{segment.text}+}}" if plain else segment.text
            text.append(body, style="green underline")
        else:
            text.append(segment.text)
        if segment.note:
            text.append(f" [{segment.note}]", style="dim italic")
    return text
