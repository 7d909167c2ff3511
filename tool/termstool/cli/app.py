"""The `terms` application: assembles the commands, each defined in its own module."""

from __future__ import annotations

import gc
import importlib
import sys
import types
from typing import Annotated, Any

import typer

from termstool import __version__
from termstool.cli import (
    apply_cmd,
    cache_cmd,
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
cache_cmd.clear.__doc__ = unwrap_help(cache_cmd.clear.__doc__)
app.add_typer(cache_cmd.cache_app)


def main() -> None:
    """Console-script entry point."""
    # A command over a catalogue makes millions of small objects that live until it ends
    # (parsed clauses, changes); collected every 700 new objects, as by default, the
    # growing heap is scanned again and again for cycles it hardly has (12 % of a cold
    # `terms log`). Collected every 10,000, cycles are still freed.
    gc.set_threshold(10_000, 10, 10)
    app()
