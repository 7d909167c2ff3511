"""`terms clause show|add|move|remove`: edit the clause tree by clause number.

A clause is named by its number (2.3.1), its id (s2-3-1) or its file, with DOC: in
front when several documents have it (terms-of-service:2.3.1). The commands write the
files, keep prefixes dense, rewrite stale cross-reference numbers, print the renumbering
and stage everything in git; the use cases are in :mod:`termstool.app.clause_edit`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from termstool.cli.common import handle_errors, unwrap_help, write_output
from termstool.errors import UsageError

if TYPE_CHECKING:
    from termstool.app.workspace import Workspace
    from termstool.model.document import Document

app = typer.Typer(
    name="clause",
    help=("Show, add, move and remove clauses by their number.\n\n"
          "A CLAUSE is its number (2.3.1), its id (s2-3-1) or its file; put DOC: in front "
          "when several documents have it (terms-of-service:2.3.1). File names, ids and "
          "renumbering are taken care of, and every change is staged in git.\n\n"
          "Examples:\n\n"
          "  terms clause show 2.3.1\n\n"
          "  terms clause add --after 6.1 --zh 新条款。 --en 'A new clause.'\n\n"
          "  terms clause move 6.6 --under 11\n\n"
          "  terms clause remove 3.2.10"),
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)

ClauseArg = Annotated[str, typer.Argument(
    help="The clause: its number (2.3.1), id (s2-3-1) or file; DOC:2.3.1 picks a "
    "document when several have that clause.", show_default=False, metavar="CLAUSE")]
AfterOpt = Annotated[str | None, typer.Option(
    "--after", help="Put it right after this clause, at the same level.", show_default=False,
    metavar="CLAUSE")]
BeforeOpt = Annotated[str | None, typer.Option(
    "--before", help="Put it right before this clause, at the same level.", show_default=False,
    metavar="CLAUSE")]
UnderOpt = Annotated[str | None, typer.Option(
    "--under", help="Make it a sub-clause of this clause: the last one, or the first with "
    "--first. A clause without sub-clauses becomes a directory with _index.md.",
    show_default=False, metavar="CLAUSE")]
FirstOpt = Annotated[bool, typer.Option("--first", help="With --under: the first sub-clause "
                                        "instead of the last.")]
ForceOpt = Annotated[bool, typer.Option(
    "--force", help="Change clause files even though they have changes git does not hold "
    "yet (edited but not staged, or untracked).")]


def _placement(after: str | None, before: str | None, under: str | None,
               first: bool) -> tuple[str, str, bool]:
    given = [(value, where) for value, where in ((after, "after"), (before, "before"),
                                                 (under, "under")) if value is not None]
    if len(given) != 1:
        raise UsageError("say where the clause goes with exactly one of --after CLAUSE, "
                         "--before CLAUSE or --under CLAUSE")
    if first and under is None:
        raise UsageError("--first goes with --under (the first sub-clause of a clause)")
    return given[0][0], given[0][1], first


def _workspace() -> Workspace:
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.app.workspace import Workspace

    return Workspace.open()


# ---------------------------------------------------------------------------- show


def show(
    clause: ClauseArg,
    at: Annotated[str | None, typer.Option(
        "--at", help="Show the clause as it was in a version: a version label (20210701), "
        "@2021-08-01 (in effect that day) or a git revision. The CLAUSE is looked up in "
        "that version, with the numbers it had then.", show_default=False)] = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", metavar="FORMAT", help="terminal or json.")] = "terminal",
) -> None:
    """Show one clause in every language, with its number, id, file, the link to write to
    refer to it, and the commit and release that last changed it.

    Examples:

      terms clause show 2.3.1

      terms clause show s2-3-1 --at 20210701
    """
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.app.clause_edit import show_clause
    from termstool.cli.outputs import CLAUSE_SHOW

    renderer = CLAUSE_SHOW.choose(fmt, None, "terminal")
    write_output(renderer.render(show_clause(_workspace(), clause, at)),
                 fmt=renderer.format.name)


# ---------------------------------------------------------------------------- add


def language_options(args: Sequence[str]) -> tuple[dict[str, str], dict[str, str]]:
    """``--zh TEXT --title-en TEXT ...`` from the arguments typer left over."""
    body: dict[str, str] = {}
    title: dict[str, str] = {}
    items = list(args)
    while items:
        option = items.pop(0)
        if not option.startswith("--") or len(option) < 3:
            raise UsageError(f"unexpected argument {option!r}; the text of each language is "
                             "given as --LANG TEXT, e.g. --zh 条款。 --en 'The clause.'")
        name, equals, value = option[2:].partition("=")
        if not equals:
            if not items:
                raise UsageError(f"{option} needs a text after it")
            value = items.pop(0)
        if name.startswith("title-"):
            title[name.removeprefix("title-")] = value
        else:
            body[name] = value
    return title, body


def _edit(document: Document, where: str, anchor: str) -> str:
    """Open $VISUAL or $EDITOR (as git does: through the shell, so it may carry options)
    on a template, and return what was saved."""
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.format.draft import draft_template

    comments = [f"New clause of {document.id}, {where} {anchor}.",
                "Write the text of each language under its marker; the title is optional.",
                "Lines starting with '#' up here are ignored. Save and close to add the",
                "clause; close without writing any text to cancel."]
    template = draft_template(document.manifest.languages, comments)
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.TemporaryDirectory(prefix="terms-clause-") as tmp:
        path = Path(tmp) / "new-clause.md"
        path.write_text(template, encoding="utf-8")
        try:
            done = subprocess.run(["sh", "-c", f'{editor} "$1"', "editor", str(path)],
                                  check=False)
        except OSError as exc:
            raise UsageError(f"cannot start the editor {editor!r}: {exc}") from None
        if done.returncode != 0:
            raise UsageError(f"the editor {editor!r} exited with {done.returncode}; nothing "
                             "was added")
        edited = path.read_text(encoding="utf-8")
    if edited == template:
        raise UsageError("the clause was not written (the template is unchanged); nothing "
                         "was added")
    return edited


def add(
    ctx: typer.Context,
    after: AfterOpt = None,
    before: BeforeOpt = None,
    under: UnderOpt = None,
    first: FirstOpt = False,
    source: Annotated[Path | None, typer.Option(
        "--from", help="Read the clause from this file: language blocks (<!-- zh --> ...), "
        "optionally after front matter with a title, or plain text in the authoritative "
        "language.", show_default=False, metavar="FILE")] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Write the clause in $EDITOR, from a "
                                       "template (the default at a terminal when no text is "
                                       "given).")] = False,
    clause_id: Annotated[str | None, typer.Option(
        "--id", help="The new clause's id. Default: a fresh one made from its number "
        "(s6-2, or s6-2-v2 when s6-2 is or ever was taken).", show_default=False)] = None,
    force: ForceOpt = False,
) -> None:
    """Add a clause after, before or under another one.

    The text of each language is given as --LANG TEXT, in the languages of the document
    (--zh 条款。 --en 'The clause.'), a title as --title-LANG TEXT; or with --from FILE
    or --edit. Without the text of a non-authoritative language the clause is marked
    'translation: pending'.

    The file gets a readable name in the right place, the clauses after it are renamed
    to keep the numbering dense, cross-references to renumbered clauses are updated,
    and the renumbering is printed. Everything is staged in git.

    Examples:

      terms clause add --after 6.1 --zh 双方应妥善保管保密信息。 --en 'Keep it safe.'

      terms clause add --under 3.2 --first --from new-clause.md

      terms clause add --before 11 --edit
    """
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.app.clause_edit import add_clause, find_clause
    from termstool.cli.clause_view import edit_report
    from termstool.format.draft import parse_draft
    from termstool.model.document import Texts

    anchor, where, first = _placement(after, before, under, first)
    title_given, body_given = language_options(ctx.args)
    workspace = _workspace()
    document = find_clause(workspace, anchor).document
    manifest = document.manifest
    chosen_id = clause_id
    if source is not None or edit or (not body_given and sys.stdin.isatty()):
        if body_given or title_given:
            raise UsageError("give the text either as --LANG options or with --from/--edit, "
                             "not both")
        if source is not None:
            try:
                text = source.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise UsageError(f"cannot read {source}: {exc}") from None
            name = str(source)
        else:
            text, name = _edit(document, where, anchor), "the edited clause"
        draft = parse_draft(text, manifest.languages, manifest.authoritative, name)
        if draft.empty:
            raise UsageError(f"{name} holds no clause text; nothing was added")
        title, body = draft.title, draft.body
        chosen_id = chosen_id or draft.id
    elif not body_given:
        raise UsageError(f"give the clause's text: --{manifest.authoritative} TEXT (and the "
                         "other languages), --from FILE or --edit")
    else:
        title, body = Texts.of(title_given), Texts.of(body_given)
    result = add_clause(workspace, (anchor, where, first), title=title, body=body,
                        clause_id=chosen_id, force=force)
    write_output(edit_report(result, workspace))


# ---------------------------------------------------------------------------- move


def move(
    clause: ClauseArg,
    after: AfterOpt = None,
    before: BeforeOpt = None,
    under: UnderOpt = None,
    first: FirstOpt = False,
    force: ForceOpt = False,
) -> None:
    """Move a clause, with its sub-clauses, after, before or under another clause.

    The clause keeps its id (so its history and the links to it follow it); its file is
    moved with git and the clauses around it are renamed to keep the numbering dense.
    Cross-references whose number changed are updated and the renumbering is printed.

    Examples:

      terms clause move 6.6 --under 11

      terms clause move 3.2.4 --after 3.2.6

      terms clause move s8-2 --under 8.1 --first
    """
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.app.clause_edit import move_clause
    from termstool.cli.clause_view import edit_report

    workspace = _workspace()
    result = move_clause(workspace, clause, _placement(after, before, under, first),
                         force=force)
    write_output(edit_report(result, workspace))


# ---------------------------------------------------------------------------- remove


def remove(
    clause: ClauseArg,
    recursive: Annotated[bool, typer.Option(
        "--recursive", "-r", help="Remove a clause that has sub-clauses, with all of them.")]
    = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Remove it even though other clauses refer to it (their links "
        "become plain text: rewrite them), and change files that have changes git does not "
        "hold yet.")] = False,
) -> None:
    """Remove a clause; the clauses after it move up a number.

    Refuses while other clauses refer to it, and lists them; a clause with sub-clauses
    needs --recursive. The id of a removed clause is never given to a new clause.

    Examples:

      terms clause remove 3.2.10

      terms clause remove 6.4 --recursive
    """
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.app.clause_edit import remove_clause
    from termstool.cli.clause_view import edit_report

    workspace = _workspace()
    result = remove_clause(workspace, clause, recursive=recursive, force=force)
    write_output(edit_report(result, workspace))


_ADD_SETTINGS = {"allow_extra_args": True, "ignore_unknown_options": True}
for _name, _command, _settings in (("show", show, {}), ("add", add, _ADD_SETTINGS),
                                   ("move", move, {}), ("remove", remove, {})):
    _command.__doc__ = unwrap_help(_command.__doc__)
    app.command(_name, context_settings=_settings)(handle_errors(_command))
