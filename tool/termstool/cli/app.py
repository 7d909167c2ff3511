"""The `terms` application: the table of its commands, each defined in its own module.

A command's module is imported, and its click command built, only when that command is
used (:mod:`termstool.cli.lazy`): `terms --help` lists the commands from the table.
"""

from __future__ import annotations

import gc
import importlib
import sys
import types
from typing import Annotated, Any

import typer

from termstool import __version__
from termstool.cli.lazy import LazyEntry, LazyGroup


def _defer(module: str, *names: str) -> None:
    """Register a stand-in for ``module`` until someone really uses it: the first use
    (one of ``names`` called, or any other name) imports the real module in its place.

    typer's help module imports rich.markdown (with markdown-it) and rich.traceback
    (with pygments) for a markup mode and an exception display this program does not
    use: most of what `terms --help` spent beyond typer's own help.
    """
    if module in sys.modules:
        return

    def real() -> types.ModuleType:
        if isinstance(sys.modules.get(module), _StandIn):
            del sys.modules[module]
        return importlib.import_module(module)

    class _StandIn(types.ModuleType):
        def __getattr__(self, name: str) -> Any:
            if name.startswith("__"):  # the import system asks (__path__...): not a use
                raise AttributeError(name)
            return getattr(real(), name)

    class _Deferred(type):
        """Makes a stand-in class: creating one, or asking it for anything, is a use (a
        class, so that annotations such as ``Markdown | Text`` still work)."""

        def __call__(cls, *args: Any, **kwargs: Any) -> Any:
            return getattr(real(), cls.__name__)(*args, **kwargs)

        def __getattr__(cls, attribute: str) -> Any:
            return getattr(getattr(real(), cls.__name__), attribute)

    stand_in = _StandIn(module)
    for name in names:
        setattr(stand_in, name, _Deferred(name, (), {}))
    sys.modules[module] = stand_in


# before typer's help module (imported when help is shown) asks for them
_defer("rich.markdown", "Markdown")
_defer("rich.traceback", "Traceback")

# Each command: its name, the module and function (or typer application of subcommands)
# that define it, and the summary `terms --help` shows for it, which is the first
# paragraph of the command's help word for word (tests/test_help.py holds them together).
COMMANDS = (
    LazyEntry("render", "termstool.cli.render_cmd", "render",
              "Render the full text with computed clause numbers and resolved "
              "cross-references."),
    LazyEntry("outline", "termstool.cli.outline_cmd", "outline",
              "List every clause: computed number, id, titles, file, and a mark where a "
              "language block is missing."),
    LazyEntry("check", "termstool.cli.check_cmd", "check",
              "Check the terms: the file format, and the notice promise the terms make."),
    LazyEntry("diff", "termstool.cli.diff_cmd", "diff",
              "Show what changed between two versions, clause by clause, in every "
              "language."),
    LazyEntry("log", "termstool.cli.log_cmd", "log",
              "List the releases of each document, read from git history."),
    LazyEntry("release", "termstool.cli.release_cmd", "release",
              "Record a new release: version and dates go into document.yaml, comments "
              "kept."),
    LazyEntry("review", "termstool.cli.review_cmd", "review",
              "Review a change to the terms before it merges: may it merge, and what "
              "changes?"),
    LazyEntry("notice", "termstool.cli.notice_cmd", "notice",
              "Write the customer notice of a release, in each of the document's "
              "languages."),
    LazyEntry("feed", "termstool.cli.feed_cmd", "feed",
              "Write an Atom feed with one entry per release: version, dates, changed "
              "clauses."),
    LazyEntry("site", "termstool.cli.site_cmd", "site",
              "Build the public archive of the terms: a static website for any web host."),
    LazyEntry("import", "termstool.cli.import_cmd", "import_",
              "Import a numbered terms document into one Markdown file per clause."),
    LazyEntry("apply", "termstool.cli.apply_cmd", "apply",
              "Write the edits made in a Word file back into the clause files, both "
              "languages."),
    LazyEntry("git-setup", "termstool.cli.git_setup_cmd", "git_setup",
              "Make `git diff --word-diff` and `git log -p --word-diff` compare text "
              "written without spaces (Chinese, Japanese, ...) by character."),
    LazyEntry("new", "termstool.cli.new_cmd", "new",
              "Create a new document: document.yaml with every required key, and a first "
              "clause with one block per language.", extra_options=True),
    LazyEntry("clause", "termstool.cli.clause_cmd", "app",
              "Show, add, move and remove clauses by their number."),
    LazyEntry("cache", "termstool.cli.cache_cmd", "cache_app",
              "The cache of what terms learned from commits (in .git/terms-cache/). It "
              "only makes the next run faster: clearing it is always safe."),
)


class _Commands(LazyGroup):
    """The group of `terms`: the commands of the table, each built when it is used."""

    entries = COMMANDS


app = typer.Typer(
    name="terms",
    cls=_Commands,
    help=(
        "Terms of service kept as code.\n\n"
        "Each clause of a document is a Markdown file under terms/ holding its text in "
        "each of the document's languages: the authoritative original and its "
        "translations. `terms` renders the text side by side, shows what changed between "
        "versions clause by clause, and checks the notice rule: a change is announced at "
        "least the notice period of the document's document.yaml (notice_days) before it "
        "takes effect.\n\n"
        "Exit codes: 0 ok, 1 problems or differences found, 2 bad usage or unreadable input, "
        "3 a bug in terms (please report it)."
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
    # Imported here for start-up time: it runs only before a command, whose module
    # imports common anyway; `terms --help` and `--version` never get here.
    from termstool.cli.common import DEBUG

    DEBUG["on"] = debug
    # Only a process that already ran a command (tests run many) has writes to forget;
    # a fresh one does not pay for importing the storage layer here.
    files = sys.modules.get("termstool.storage.files")
    if files is not None:
        files.start_command()


def main() -> None:
    """Console-script entry point."""
    # A command over a catalogue makes millions of small objects that live until it ends
    # (parsed clauses, changes); collected every 700 new objects, as by default, the
    # growing heap is scanned again and again for cycles it hardly has (12 % of a cold
    # `terms log`, and 5 % more for its rarer full scans). Young cycles are still freed.
    gc.set_threshold(10_000, 50, 100)
    app()
