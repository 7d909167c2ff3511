"""`terms import`: turn a numbered plain-text or Markdown document into clause files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from termstool.cli.common import escape, handle_errors, stderr, stdout


@handle_errors
def import_(
    file: Annotated[Path, typer.Argument(help="The numbered terms text (UTF-8 plain text or "
                                         "Markdown), e.g. a PDF-to-text extraction.",
                                         show_default=False)],
    into: Annotated[Path, typer.Option("--into", help="The document directory to create or "
                                       "update, e.g. terms/api-gateway/terms-of-service.",
                                       show_default=False)],
    lang: Annotated[str | None, typer.Option(
        "--lang", help="The language of FILE. The authoritative language (zh) creates or "
        "updates clauses; another language (en) fills that language's block of the clauses "
        "with the same numbers.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Write even though the target has "
                                        "uncommitted changes (they may be overwritten).")]
    = False,
    doc_id: Annotated[str | None, typer.Option("--id", help="New documents: the document id. "
                                               "Default: the directory name.",
                                               show_default=False)] = None,
    title: Annotated[str | None, typer.Option("--title", help="New documents: the title in "
                                              "FILE's language.", show_default=False)] = None,
    version: Annotated[str | None, typer.Option("--version", help="New documents: the "
                                                "version label. Default: the '文档版本' "
                                                "found in FILE.", show_default=False)] = None,
    effective: Annotated[str | None, typer.Option("--effective", help="New documents: the "
                                                  "effective date (YYYY-MM-DD). Default: the "
                                                  "version read as a date.",
                                                  show_default=False)] = None,
    announced: Annotated[str | None, typer.Option("--announced", help="New documents: the "
                                                  "announcement date. Default: effective "
                                                  "minus the 30 days of notice.",
                                                  show_default=False)] = None,
) -> None:
    """Import a numbered terms document into one Markdown file per clause.

    Copes with PDF-to-text extractions: page headers and footers, page-start
    indentation, lines wrapped mid-sentence, numbers written 2.3． or 10.1, an
    unnumbered preamble, short clause titles and clauses of several paragraphs.

    Onto an existing document it updates clauses in place: a clause keeps its id when
    its text is found again, even under a new number; an inserted clause gets a new id.
    Nothing is written when the input cannot be read, and all files are written or none.

    Examples:

      terms import seed.txt --into terms/api-gateway/terms-of-service

      terms import terms-en.txt --into terms/api-gateway/terms-of-service --lang en
    """
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.app.importing import import_document

    result = import_document(file, into, lang=lang, force=force, doc_id=doc_id, title=title,
                             version=version, effective=effective, announced=announced)
    out, err = stdout(), stderr()

    def say(text: str) -> None:
        out.print(text, highlight=False, soft_wrap=True)  # a report: one fact per line

    def warn(text: str) -> None:
        err.print(text, highlight=False, soft_wrap=True)

    r = result.report
    say(f"[bold]{result.action}[/] {escape(result.target)}: {result.clause_count} clauses "
        f"({escape(result.lang)})")
    for label, items in (("added", r.added), ("removed", r.removed),
                         ("authoritative text changed", r.changed),
                         ("translated", r.translated)):
        if items:
            more = f" … (+{len(items) - 12})" if len(items) > 12 else ""
            say(f"  {label}: {len(items)}  [dim]{escape(', '.join(items[:12]))}{more}[/]")
    for cid, old, new in r.renumbered:
        say(f"  renumbered: {escape(cid)} {old or '-'} → {new or '-'}")
    for number in r.unmatched:
        warn(f"[yellow]warning:[/] clause {escape(number)} of {escape(str(file))} has no "
             "clause with that number in the document; it was not imported")
    for note in r.notes:
        warn(f"[yellow]note:[/] {escape(note)}")
    if r.changed:
        warn("[yellow]note:[/] the authoritative text of the clauses above changed: they are "
             "marked 'translation: pending' until their translation is updated")
    renamed = f" ({result.renamed} renamed)" if result.renamed else ""
    say(f"  wrote {result.written} files{renamed}, removed {result.removed}. Next: review "
        "with 'git diff', then 'terms check'.")
