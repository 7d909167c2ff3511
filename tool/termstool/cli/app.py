"""The `terms` application: assembles the commands, each defined in its own module."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from termstool import __version__
from termstool.cli import (
    apply_cmd,
    check_cmd,
    clause_cmd,
    diff_cmd,
    feed_cmd,
    git_setup_cmd,
    import_cmd,
    log_cmd,
    new_cmd,
    notice_cmd,
    outline_cmd,
    release_cmd,
    render_cmd,
    review_cmd,
    site_cmd,
)
from termstool.cli.common import DEBUG, unwrap_help

app = typer.Typer(
    name="terms",
    help=(
        "Terms of service kept as code.\n\n"
        "Each clause of a document is a Markdown file under terms/ holding its text in "
        "each of the document's languages: the authoritative original and its "
        "translations. `terms` renders the text side by side, shows what changed between "
        "versions clause by clause, and checks the notice rule: a change is announced at "
        "least the notice period of the document's document.yaml (notice_days) before it "
        "takes effect.\n\n"
        "Exit codes: 0 ok, 1 problems or differences found, 2 bad usage or unreadable input."
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"terms {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    DEBUG["on"] = debug
    # Only a process that already ran a command (tests run many) has writes to forget;
    # a fresh one does not pay for importing the storage layer here.
    files = sys.modules.get("termstool.storage.files")
    if files is not None:
        files.start_command()


_COMMANDS = (
    ("render", render_cmd.render),
    ("outline", outline_cmd.outline),
    ("check", check_cmd.check),
    ("diff", diff_cmd.diff),
    ("log", log_cmd.log),
    ("release", release_cmd.release),
    ("review", review_cmd.review),
    ("notice", notice_cmd.notice),
    ("feed", feed_cmd.feed),
    ("site", site_cmd.site),
    ("import", import_cmd.import_),
    ("apply", apply_cmd.apply),
    ("git-setup", git_setup_cmd.git_setup),
)
for _name, _command in _COMMANDS:
    _command.__doc__ = unwrap_help(_command.__doc__)
    app.command(_name)(_command)
new_cmd.new.__doc__ = unwrap_help(new_cmd.new.__doc__)
app.command("new", context_settings={"allow_extra_args": True,
                                     "ignore_unknown_options": True})(new_cmd.new)
app.add_typer(clause_cmd.app, name="clause")


def main() -> None:
    """Console-script entry point."""
    app()
