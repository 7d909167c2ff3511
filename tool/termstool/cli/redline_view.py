"""A redline in the terminal: the summary table, then each changed clause in every language.

Deletions are red and struck through, insertions green and underlined. Without colour
(NO_COLOR, or output to a file or pipe) they are also marked ``[-old-]`` and ``{+new+}``,
as git's word diff does, so the redline never depends on styles alone.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from termstool.cli.common import captured, stdout
from termstool.cli.line_breaking import LineBroken
from termstool.compare.clause_diff import DocumentDiff, Redline, describe
from termstool.compare.text_diff import DELETE, INSERT, Segment
from termstool.model.languages import language_name
from termstool.render.redline_text import (
    alike_line,
    counts_line,
    kind_label,
    listed,
    renumbered_only,
    shown_languages,
    shows_text,
    versions_line,
    without_differences,
)

PLAIN_WIDTH = 100  # columns of the plain-text redline written to a file


def redline_terminal(redline: Redline, languages: Sequence[str] | None) -> str:
    """The redline for the terminal, in colour when it has colours."""
    return captured(lambda console: print_redline(redline, languages, console), stdout())


def redline_plain(redline: Redline, languages: Sequence[str] | None) -> str:
    """The same redline without colour, at a fixed width, for a file or a log."""
    console = Console(file=io.StringIO(), width=PLAIN_WIDTH, color_system=None,
                      highlight=False, no_color=True, markup=False)
    return captured(lambda c: print_redline(redline, languages, c), console)


def print_redline(redline: Redline, languages: Sequence[str] | None,
                  console: Console) -> None:
    """Print the summary table, then each changed clause's redline in every language."""
    plain = console.no_color or console.color_system is None
    console.print(Text(f"Redline {redline.ref_from} → {redline.ref_to}", style="bold"))
    if not redline.changed:
        console.print("No differences.")
    # A catalogue's redline lists hundreds of documents, most without a difference: one
    # line names those, after the ones that changed.
    alike = without_differences(redline)
    for document in redline.documents:
        if not document.changed:
            continue
        langs = shown_languages(document, languages)
        title = document.title.get(document.authoritative) or document.id
        console.print()
        console.print(Rule(Text(f"{title} ({document.id})", style="bold")))
        console.print(Text(f"Compared {versions_line(redline, document)}: "
                           f"{counts_line(document)}.", style="dim"))
        if not document.changes:
            continue
        if listed(document):
            table = Table(header_style="bold", expand=False, show_edge=False)
            for name in ("§", "Clause", "Id", "Change", "Languages"):
                table.add_column(name, overflow="fold")
            for change in listed(document):
                table.add_row(Text(change.number_label, style="cyan"),
                              LineBroken(Text(change.label)),
                              Text(change.id), Text(kind_label(change), style=_KIND_STYLE.get(
                                  change.kind.value, "")),
                              Text(", ".join(change.languages_changed) or "—"))
            console.print(table)
        print_renumbered(document, console)
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
            console.print(LineBroken(heading))
            console.print(Text(describe(change), style="dim"))
            for lang in langs:
                diff = change.text(lang)
                if diff is None:
                    continue
                same = change.text_changed and lang not in change.languages_changed
                console.print(Text(language_name(lang) + (" (unchanged)" if same else ""),
                                   style="bold underline"))
                console.print(LineBroken(_redline_rich(diff.shown(), plain)))
    if alike:
        console.print()
        console.print(Text(alike_line(alike), style="dim"))


def print_renumbered(document: DocumentDiff, console: Console) -> None:
    """The one old → new table of the clauses only renumbered, if any."""
    renumbered = renumbered_only(document)
    if not renumbered:
        return
    console.print()
    console.print(Text(f"Renumbered only, text unchanged ({len(renumbered)}):", style="dim"))
    table = Table(header_style="bold", expand=False, show_edge=False)
    for name in ("Old", "New", "Clause", "Id"):
        table.add_column(name, overflow="fold")
    for change in renumbered:
        table.add_row(Text(change.shown_from, style="cyan"),
                      Text(change.shown_to, style="cyan"), Text(change.label),
                      Text(change.id))
    console.print(table)


_KIND_STYLE = {"added": "green", "removed": "red", "modified": "yellow", "moved": "magenta",
               "renamed": "magenta", "reference": "blue", "renumbered": "dim"}

def _redline_rich(shown: Sequence[Segment], plain: bool) -> Text:
    """A rich Text of one language's redline; ``plain`` adds [-…-] and {+…+} markers."""
    text = Text()
    for segment in shown:
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
