"""`terms import`: turn a numbered terms document (text, Markdown, HTML, Word) into clause files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from termstool.cli.common import handle_errors, languages_option, stdout, warn
from termstool.errors import UsageError
from termstool.format.new_document import (
    DEFAULT_LANGUAGES,
    DEFAULT_NOTICE_DAYS,
    DEFAULT_TIMEZONE,
)
from termstool.format.numbering import CHINESE_NUMERAL_CHARS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from termstool.app.importing import ImportPreview
    from termstool.importer.text_source import DroppedLine

FIRST_WORDS = 24  # characters of an untitled clause's text shown in the dry-run outline


@handle_errors
def import_(
    file: Annotated[Path, typer.Argument(help="The numbered terms: plain text (UTF-8, GB18030 "
                                         "or Big5) or Markdown, e.g. a PDF-to-text "
                                         "extraction; an HTML page (.html); or a Word file "
                                         "(.docx).", show_default=False)],
    into: Annotated[Path | None, typer.Option("--into", help="The document directory to "
                                              "create or update, e.g. "
                                              "terms/product/terms-of-service. Needed "
                                              "unless --dry-run.", show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the outline the import "
                                          "would create (numbers, first words of each "
                                          "clause, dropped lines) and write nothing.")]
    = False,
    lang: Annotated[str | None, typer.Option(
        "--lang", help="The language of FILE, one of the document's languages. The "
        "authoritative language creates or updates clauses; another language fills its "
        "block of the clauses with the same numbers. Default: the authoritative language.",
        show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Write even though the target has "
                                        "uncommitted changes (they may be overwritten).")]
    = False,
    doc_id: Annotated[str | None, typer.Option("--id", help="New documents: the document id. "
                                               "Default: the directory name.",
                                               show_default=False)] = None,
    title: Annotated[str | None, typer.Option("--title", help="New documents: the title in "
                                              "FILE's language. Default: FILE's first line "
                                              "when it is a title.", show_default=False)]
    = None,
    version: Annotated[str | None, typer.Option("--version", help="New documents: the "
                                                "version label. Default: the 'Document "
                                                "version' (文档版本) found in FILE.",
                                                show_default=False)] = None,
    effective: Annotated[str | None, typer.Option("--effective", help="New documents: the "
                                                  "effective date (YYYY-MM-DD). Default: the "
                                                  "version read as a date.",
                                                  show_default=False)] = None,
    announced: Annotated[str | None, typer.Option("--announced", help="New documents: the "
                                                  "announcement date. Default: effective "
                                                  "minus --notice-days.",
                                                  show_default=False)] = None,
    languages: Annotated[str, typer.Option(
        "--languages", help="New documents: the language codes of every clause, "
        "comma-separated, the authoritative one first unless --lang names another.")]
    = ",".join(DEFAULT_LANGUAGES),
    notice_days: Annotated[int, typer.Option(
        "--notice-days", help="New documents: the days of notice the terms promise before "
        "a change takes effect (notice_days in document.yaml).")] = DEFAULT_NOTICE_DAYS,
    timezone: Annotated[str, typer.Option(
        "--timezone", help="New documents: the IANA time zone (Area/City) in which the "
        "terms' dates are days (timezone in document.yaml).")] = DEFAULT_TIMEZONE,
) -> None:
    """Import a numbered terms document into one Markdown file per clause.

    Reads clause numbers written 1. 2.3． 7.1.您 １．２ 第一条 第1条 第一條 or 一、 (with
    3.1. items below), and keeps list items such as （一） (1) 1) a. inside their clause.
    Copes with PDF-to-text extractions: page headers and footers, page-start indentation,
    lines wrapped mid-sentence, an unnumbered preamble, short clause titles and clauses of
    several paragraphs. Every line that no clause takes is reported as dropped.

    Onto an existing document it updates clauses in place: a clause keeps its id when
    its text is found again, even under a new number; an inserted clause gets a new id.
    Nothing is written when the input cannot be read, and all files are written or none.
    Check the structure first with --dry-run. The options marked "New documents" write
    the new document.yaml; an existing document keeps its own.

    Examples:

      terms import terms.html --dry-run

      terms import original.txt --into terms/product/terms-of-service

      terms import translation.txt --into terms/product/terms-of-service --lang en

      terms import terms.txt --into terms/product/terms --languages ja,en \\
          --notice-days 60 --timezone Asia/Tokyo
    """
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    codes = languages_option(languages, "--languages")
    if dry_run:
        from termstool.app.importing import preview_import

        _print_preview(preview_import(file, into, lang=lang, languages=codes), file)
        return
    if into is None:
        raise UsageError("--into is needed: the document directory to create or update "
                         "(or pass --dry-run to see the outline only)")
    from termstool.app.importing import NewDocument, import_document

    options = NewDocument(languages=codes, notice_days=notice_days, timezone=timezone,
                          doc_id=doc_id, title=title, version=version, effective=effective,
                          announced=announced)
    result = import_document(file, into, lang=lang, force=force, new=options)
    out = stdout()

    def say(text: str | Text) -> None:
        out.print(text, soft_wrap=True)  # a report: one fact per line

    r = result.report
    say(Text.assemble((result.action, "bold"), f" {result.target}: {result.clause_count} "
                      f"clauses ({result.lang})"))
    say(f"  read {file} as {result.read_as}")
    for label, items in (("added", r.added), ("removed", r.removed),
                         ("authoritative text changed", r.changed),
                         ("translated", r.translated)):
        if items:
            more = f" … (+{len(items) - 12})" if len(items) > 12 else ""
            say(Text.assemble(f"  {label}: {len(items)}  ", (", ".join(items[:12]) + more,
                                                              "dim")))
    for cid, old, new in r.renumbered:
        say(f"  renumbered: {cid} {old or '-'} → {new or '-'}")
    if result.dropped:
        say(f"  dropped {len(result.dropped)} lines that are in no clause: "
            f"{dropped_lines(result.dropped)}; see their text with --dry-run")
    for number in r.unmatched:
        warn(f"clause {number} of {file} has no clause with that number in the document; it "
             "was not imported")
    for note in r.notes:
        warn(note, "note")
    if r.changed:
        warn("the authoritative text of the clauses above changed: they are marked "
             "'translation: pending' until their translation is updated", "note")
    renamed = f" ({result.renamed} renamed)" if result.renamed else ""
    say(f"  wrote {result.written} files{renamed}, removed {result.removed}. Next: review "
        "with 'git diff', then 'terms check'.")


def _print_preview(preview: ImportPreview, file: Path) -> None:
    """The outline a dry run found: each clause's number as written, and the dropped lines."""
    out = stdout()

    def say(text: str | Text) -> None:
        out.print(text, soft_wrap=True)

    source = preview.source
    numbered = [c for c in source.clauses if c.number]
    where = f" {preview.target}" if preview.target else ""
    verb = "would update" if preview.report is not None else "would create"
    say(Text.assemble((verb, "bold"), f"{where}: {len(source.clauses)} clauses, "
                      f"{len(numbered)} numbered, numbering: {preview.numbering}"))
    say(f"read {file} as {source.read_as}")
    if source.title:
        say(f"title: {source.title}")
    if source.version:
        say(f"version: {source.version}")
    for clause in source.clauses:
        depth = clause.number.count(".") if clause.number else 0
        number = clause.written or ("·" if not clause.number else clause.number)
        if number[0] in CHINESE_NUMERAL_CHARS:
            number += "、"  # a section number is written with its 、
        text = clause.title or " ".join(clause.paragraphs[:1])
        words = text if clause.title or len(text) <= FIRST_WORDS \
            else text[:FIRST_WORDS] + "…"
        say(Text.assemble("  " * depth, (number, "cyan"), f"  {words}  ",
                          (f"line {clause.line}", "dim")))
    if source.dropped:
        say(f"dropped {len(source.dropped)} lines:")
        for dropped in source.dropped:
            say(Text.assemble(f"  line {dropped.line}: {dropped.text}  ",
                              (f"({dropped.reason})", "dim")))
    report = preview.report
    if report is not None:
        for label, items in (("added", report.added), ("removed", report.removed),
                             ("authoritative text changed", report.changed),
                             ("translated", report.translated)):
            if items:
                say(Text.assemble(f"{label}: {len(items)}  ", (", ".join(items), "dim")))
        for cid, old, new in report.renumbered:
            say(f"renumbered: {cid} {old or '-'} → {new or '-'}")
        for note in report.notes:
            say(f"note: {note}")
    else:
        for note in source.notes:
            say(f"note: {note}")
    say("Nothing was written (--dry-run).")


def dropped_lines(dropped: Sequence[DroppedLine]) -> str:
    """The dropped lines' numbers by reason, stretches of lines as ranges: "lines 1–107
    (before the document's text), 165, 227 (page header or footer)"."""
    parts: list[str] = []
    index = 0
    while index < len(dropped):
        reason = dropped[index].reason
        # text before or after the document is one stretch, blank lines and all
        gap = 3 if reason.startswith(("before ", "after ")) else 1
        numbers: list[str] = []
        while index < len(dropped) and dropped[index].reason == reason:
            first = last = dropped[index].line
            index += 1
            while index < len(dropped) and dropped[index].reason == reason \
                    and dropped[index].line <= last + gap:
                last = dropped[index].line
                index += 1
            numbers.append(str(first) if first == last else f"{first}–{last}")
        parts.append(f"{', '.join(numbers)} ({reason})")
    word = "line" if len(dropped) == 1 else "lines"
    return f"{word} {', '.join(parts)}"
