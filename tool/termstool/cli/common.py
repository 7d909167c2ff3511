"""What every command shares: consoles, the error-to-exit-code hook, options, output files."""

from __future__ import annotations

import functools
import inspect
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape as rich_escape

from termstool import __version__
from termstool.errors import ExitCode, TermsError, UsageError
from termstool.render.registry import Output

F = TypeVar("F", bound=Callable[..., Any])

DEBUG = {"on": False}


def stdout() -> Console:
    """The console for results (respects NO_COLOR and the terminal width)."""
    return Console(highlight=False, soft_wrap=False)


def stderr() -> Console:
    """The console for messages, warnings and errors.

    Messages are never wrapped: a ``file:line: message`` must stay on one line for the
    people and scripts that search it.
    """
    return Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, code: ExitCode = ExitCode.USAGE) -> typer.Exit:
    """Print ``error: message`` to stderr and return the exit to raise."""
    stderr().print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    return typer.Exit(int(code))


def handle_errors(func: F) -> F:
    """Turn ``TermsError`` (and any unexpected exception) into a message and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt):
            raise
        except TermsError as exc:
            if DEBUG["on"]:
                traceback.print_exc()
            raise fail(escape(str(exc)), exc.exit_code) from None
        except Exception as exc:  # the promise is: never a bare traceback
            if DEBUG["on"]:
                traceback.print_exc()
            raise fail(escape(internal_error_message(exc)), ExitCode.BUG) from None
        finally:
            _tell_recovered()

    return wrapper  # type: ignore[return-value]


def _tell_recovered() -> None:
    """Say what this command put right of an earlier one that was killed mid-write."""
    # Imported here for start-up time, like storage.files below.
    from termstool.storage.staging import take_recovered

    for note in take_recovered():
        stderr().print(f"[yellow]note:[/] {escape(note)}", highlight=False)


def internal_error_message(exc: BaseException) -> str:
    """What an unexpected exception tells the user: a bug, what to report, what was written."""
    # Imported here for start-up time: storage.files brings in git, which `--help` and
    # most errors never need.
    from termstool.storage.files import changed_files

    changed = changed_files()
    if changed:
        shown = ", ".join(str(p) for p in changed[:5]) + (" …" if len(changed) > 5 else "")
        written = f"{len(changed)} file(s) had already been written: {shown}"
    else:
        written = "nothing had been written"
    return (f"internal error in terms {__version__}: {type(exc).__name__}: {exc} — please "
            f"report it; run with --debug for the traceback ({written})")


def escape(text: str) -> str:
    """``text`` with rich markup escaped, so ``[3](#s3)`` in a message prints as written."""
    return rich_escape(text)


def languages_option(value: str) -> tuple[str, ...]:
    """Parse ``--lang zh,en`` into a tuple of distinct languages, in the order given."""
    langs = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    if not langs:
        raise typer.BadParameter("give one or more languages, e.g. zh,en", param_hint="--lang")
    return langs


def captured(draw: Callable[[Console], None], console: Console) -> str:
    """What ``draw`` prints on ``console``, as text: a terminal rendering is an output like
    any other, with colours when the console has them."""
    with console.capture() as capture:
        draw(console)
    return capture.get()


def write_output(content: Output, output: Path | None = None, force: bool = False) -> None:
    """Write to ``-o FILE`` atomically (never over uncommitted changes without ``force``),
    or to standard output."""
    if output is None:
        if isinstance(content, bytes):
            if sys.stdout.isatty():
                raise UsageError("this format is a binary file: write it with -o FILE")
            sys.stdout.buffer.write(content)
        else:
            sys.stdout.write(content)
        sys.stdout.flush()
        return
    # Imported here for start-up time: storage.files brings in git.
    from termstool.storage.files import guard_overwrite, write_atomic

    guard_overwrite(output, force)
    try:
        write_atomic(output, content)
    except OSError as exc:
        raise TermsError(f"cannot write {output}: {exc.strerror or exc}; nothing was written",
                         file=None) from exc
    stderr().print(f"wrote {escape(str(output))}", highlight=False)


PathArg = Annotated[
    Path | None,
    typer.Argument(help="A terms repository, a group of documents or one document directory. "
                   "Default: ./terms of the current repository.", show_default=False),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file (atomically) instead of the "
                 "terminal.", show_default=False),
]


def unwrap_help(doc: str | None) -> str:
    """Join the lines of each prose paragraph of a docstring: typer would show every
    newline as a line break. Indented paragraphs (examples) keep their lines."""
    paragraphs = inspect.cleandoc(doc or "").split("\n\n")
    return "\n\n".join(p if p.startswith(" ") else " ".join(p.split("\n"))
                       for p in paragraphs)


ForceOpt = Annotated[bool, typer.Option(
    "--force", help="Overwrite the -o file even if git shows uncommitted changes in it.")]
