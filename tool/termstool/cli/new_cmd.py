"""`terms new`: scaffold a new document: document.yaml and a first clause."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from termstool.cli.common import handle_errors, stdout
from termstool.errors import UsageError
from termstool.format.new_document import (
    DEFAULT_LANGUAGES,
    DEFAULT_NOTICE_DAYS,
    DEFAULT_TIMEZONE,
)


def _ask(value: str | None, option: str, question: str, default: str | None,
         missing: list[str]) -> str:
    """The option's value; else, at a terminal, the answer to a question (with the
    default offered); else the default; else it is noted as missing."""
    if value is not None:
        return value
    if sys.stdin.isatty():
        answer = typer.prompt(question, default=default) if default is not None \
            else typer.prompt(question)
        return str(answer).strip()
    if default is not None:
        return default
    missing.append(option)
    return ""


@handle_errors
def new(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(
        help="The new document's directory, e.g. terms/acme/terms-of-service. It must not "
        "exist yet, or be empty.", show_default=False, metavar="DOCUMENT_DIR")],
    doc_id: Annotated[str | None, typer.Option(
        "--id", help="The document id, a lowercase slug. Default: the directory name.",
        show_default=False)] = None,
    languages: Annotated[str | None, typer.Option(
        "--languages", help="The languages every clause is written in, comma-separated. "
        "Default: those of the documents already here, else "
        f"{','.join(DEFAULT_LANGUAGES)}.",
        show_default=False)] = None,
    authoritative: Annotated[str | None, typer.Option(
        "--authoritative", help="The language that binds. Default: the first language.",
        show_default=False)] = None,
    notice_days: Annotated[int | None, typer.Option(
        "--notice-days", help="Days of notice a change needs. Default: that of the "
        f"documents already here, else {DEFAULT_NOTICE_DAYS}.", show_default=False)] = None,
    timezone: Annotated[str | None, typer.Option(
        "--timezone", help="The timezone whose calendar dates count (IANA name). Default: "
        f"that of the documents already here, else {DEFAULT_TIMEZONE}.", show_default=False)]
    = None,
    version: Annotated[str | None, typer.Option(
        "--version", help="The label of the first release, e.g. 20220101.",
        show_default=False)] = None,
    announced: Annotated[str | None, typer.Option(
        "--announced", help="The day the first release is published (YYYY-MM-DD).",
        show_default=False)] = None,
    effective: Annotated[str | None, typer.Option(
        "--effective", help="The day it takes effect (YYYY-MM-DD), at least --notice-days "
        "after --announced.", show_default=False)] = None,
) -> None:
    """Create a new document: document.yaml with every required key, and a first clause
    with one block per language.

    The title is given per language as --title-LANG TEXT (--title-zh 服务条款 --title-en
    'Terms of Service'), the first clause's text as --LANG TEXT; a language without text
    gets a placeholder to replace. At a terminal, every value not given is asked for;
    languages, notice days and timezone default to those of the documents already in
    the repository. The files are staged in git.

    Example:

      terms new terms/acme/terms-of-service --title-zh 服务条款 --title-en 'Terms of
      Service' --version 20220101 --announced 2021-12-01 --effective 2022-01-01
    """
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.app.new_document import NewDocument, create_document, repository_defaults
    from termstool.cli.clause_cmd import language_options
    from termstool.model.document import Texts

    if str(directory).startswith("-"):
        raise UsageError("give DOCUMENT_DIR first, then the options: terms new "
                         "terms/acme/terms-of-service --title-zh 服务条款 ...")
    titles, bodies = language_options(ctx.args)
    defaults = repository_defaults(directory)
    missing: list[str] = []
    name = directory.resolve().name
    doc_id = _ask(doc_id, "--id", "Document id", name, missing)
    langs = tuple(part.strip() for part in _ask(
        languages, "--languages", "Languages (comma-separated)",
        ",".join(defaults.languages), missing).split(",") if part.strip())
    auth = _ask(authoritative, "--authoritative", "Authoritative language",
                langs[0] if langs else None, missing)
    for lang in langs:
        if lang not in titles:
            answer = _ask(None, f"--title-{lang}", f"Title ({lang})", None, missing)
            if answer:
                titles[lang] = answer
    days = _ask(str(notice_days) if notice_days is not None else None, "--notice-days",
                "Days of notice", str(defaults.notice_days), missing)
    zone = _ask(timezone, "--timezone", "Timezone", defaults.timezone, missing)
    label = _ask(version, "--version", "Version label of the first release", None, missing)
    ann = _ask(announced, "--announced", "Announced on (YYYY-MM-DD)", None, missing)
    eff = _ask(effective, "--effective", "Effective on (YYYY-MM-DD)", None, missing)
    if missing:
        raise UsageError("a new document needs " + ", ".join(missing) + " (or run it at a "
                         "terminal to be asked)")
    if not days.isdigit():
        raise UsageError(f"--notice-days {days!r} is not a whole number of days")
    spec = NewDocument(doc_id, Texts.of(titles), langs, auth, int(days), zone, label, ann,
                       eff, first_body=Texts.of(bodies))
    created = create_document(directory, spec)
    console = stdout()
    console.print(Text.assemble(("created", "bold"), f" {created.directory} ({doc_id}):"))
    for path in created.files:
        console.print(f"  {path}", highlight=False, soft_wrap=True)
    if created.placeholders:
        console.print(Text.assemble(("note:", "yellow"), " the first clause has placeholder "
                                    f"text in {', '.join(created.placeholders)}: write it, "
                                    "then 'terms check'"))
    if created.outside_default_scope:
        console.print(Text.assemble(("note:", "yellow"), " commands without a PATH look in "
                                    f"./terms only; name this document as "
                                    f"{created.directory}"))
    if created.staged:
        console.print("The files are staged in git. Next: add clauses with 'terms clause "
                      "add', then commit.", highlight=False)
