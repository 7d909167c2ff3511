"""What every command shares: consoles, the error-to-exit-code hook, options, output files.

Everything a command prints or writes passes through here, and through
:func:`termstool.render.output_safety.safe_output` on its way: the consoles reveal
control characters in what they render and escape CI workflow commands in every line
they write, and :func:`write_output` does the same for every output, on standard
output or in a file.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import IO, Annotated, Any, TypeVar

import typer
from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderHook, RenderResult
from rich.segment import Segment
from rich.text import Text

from termstool import __version__
from termstool.errors import ExitCode, TermsError, UsageError
from termstool.format.characters import reveal
from termstool.render.output_safety import Style, neutralise_commands, safe_output
from termstool.render.registry import Output

F = TypeVar("F", bound=Callable[..., Any])

DEBUG = {"on": False}

# The exit status when whoever reads our output has gone (`terms log | head`): 128 +
# SIGPIPE, what git and other commands killed by the signal return.
PIPE_CLOSED = 141


class _Revealed:
    """A renderable whose text segments have their control characters revealed.

    Rich writes its own escape sequences for styles; only the text inside the segments
    comes from the repository, so that is where ESC and the rest are made visible.
    """

    def __init__(self, inner: ConsoleRenderable) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.inner, options):
            if segment.control or not segment.text:
                yield segment
            else:
                yield Segment(reveal(segment.text), segment.style, segment.control)


class _RevealHook(RenderHook):
    def process_renderables(self, renderables: list[ConsoleRenderable]
                            ) -> list[ConsoleRenderable]:
        return [_Revealed(renderable) for renderable in renderables]


class _CommandGuard:
    """The stream a console writes to: every line that would be a CI workflow command
    is escaped (see :mod:`termstool.render.output_safety`).

    Each write is taken to start a line: rich writes whole lines, and escaping a ``::``
    that happened to continue a line costs one backslash, never a command.
    """

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(neutralise_commands(text, "text"))

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self._stream, "encoding", None) or "utf-8"


class SafeConsole(Console):
    """A rich console that nothing from the repository can drive (see the module
    docstring), and that exits quietly when its reader goes away."""

    def __init__(self, *, stderr: bool = False, **kwargs: Any) -> None:
        stream = sys.stderr if stderr else sys.stdout
        super().__init__(file=_CommandGuard(stream), **kwargs)  # type: ignore[arg-type]
        self.push_render_hook(_RevealHook())

    def on_broken_pipe(self) -> None:
        """Exit quietly, as git does, when the reader of the output has gone."""
        raise pipe_closed()


# Both consoles read no markup: every string printed, put in a table cell or a title is
# shown as written, so "[/]" or "[link=...]" in a clause, a version label, a reason or a
# path can neither vanish nor make rich fail. Styles are given as data, with rich Text
# (``Text.assemble(("error:", "bold red"), " ", message)``) or a ``style=`` argument.

def stdout() -> Console:
    """The console for results (respects NO_COLOR and the terminal width)."""
    return SafeConsole(highlight=False, soft_wrap=False, markup=False)


def stderr() -> Console:
    """The console for messages, warnings and errors.

    Messages are never wrapped: a ``file:line: message`` must stay on one line for the
    people and scripts that search it.
    """
    return SafeConsole(stderr=True, highlight=False, soft_wrap=True, markup=False)


def pipe_closed() -> typer.Exit:
    """The quiet exit when standard output is a pipe whose reader has gone.

    Standard output is pointed at /dev/null first, so that the flush at interpreter exit
    does not fail (and print) a second time.
    """
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return typer.Exit(PIPE_CLOSED)


def fail(message: str, code: ExitCode = ExitCode.USAGE) -> typer.Exit:
    """Print ``error: message`` to stderr and return the exit to raise."""
    stderr().print(Text.assemble(("error:", "bold red"), " ", message))
    return typer.Exit(int(code))


def warn(message: str, label: str = "warning") -> None:
    """Print ``warning: message`` (or another label, such as ``note``) to stderr."""
    stderr().print(Text.assemble((f"{label}:", "yellow"), " ", message))


def handle_errors(func: F) -> F:
    """Turn ``TermsError`` (and any unexpected exception) into a message and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            raise pipe_closed() from None
        except TermsError as exc:
            if DEBUG["on"]:
                traceback.print_exc()
            raise fail(str(exc), exc.exit_code) from None
        except Exception as exc:  # the promise is: never a bare traceback
            if DEBUG["on"]:
                traceback.print_exc()
            raise fail(internal_error_message(exc), ExitCode.BUG) from None
        finally:
            _tell_recovered()

    return wrapper  # type: ignore[return-value]


def _tell_recovered() -> None:
    """Say what this command put right of an earlier one that was killed mid-write."""
    # Imported here for start-up time, like storage.files below.
    from termstool.storage.staging import take_recovered

    for note in take_recovered():
        warn(note, "note")


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


def languages_option(value: str, option: str = "--lang") -> tuple[str, ...]:
    """Parse a comma-separated list of language codes (``--lang``) into a tuple of
    distinct languages, in the order given."""
    langs = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    if not langs:
        raise typer.BadParameter("give one or more language codes, comma-separated",
                                 param_hint=option)
    return langs


def captured(draw: Callable[[Console], None], console: Console) -> str:
    """What ``draw`` prints on ``console``, as text: a terminal rendering is an output like
    any other, with colours when the console has them."""
    with console.capture() as capture:
        draw(console)
    return capture.get()


# How each output format is made safe (see render/output_safety.py); a format not listed
# is treated as plain text. A terminal rendering keeps rich's style codes.
_STYLES: dict[str, Style] = {"terminal": "terminal", "text": "text", "markdown": "markdown",
                             "html": "html", "json": "json", "atom": "xml",
                             "github": "github"}


def is_stdout(output: Path | None) -> bool:
    """True when an ``-o`` option means standard output: not given, or ``-o -``."""
    return output is None or str(output) == "-"


def write_output(content: Output, output: Path | None = None, force: bool = False, *,
                 fmt: str = "terminal") -> None:
    """Write an output of format ``fmt`` to ``-o FILE``, or to standard output (no ``-o``,
    or ``-o -``).

    Text is made safe for its format first (see the module docstring). A file is written
    atomically, and only where ``check_output`` allows: a regular file outside git's
    directory and the terms, never over uncommitted changes without ``force``.
    """
    if isinstance(content, str):
        content = safe_output(content, _STYLES.get(fmt, "text"))
    if output is None or is_stdout(output):
        if isinstance(content, bytes):
            if sys.stdout.isatty():
                raise UsageError("this format is a binary file: write it with -o FILE")
            sys.stdout.buffer.write(content)
        else:
            sys.stdout.write(content)
        sys.stdout.flush()
        return
    # Imported here for start-up time: storage.files brings in git.
    from termstool.storage.files import check_output, guard_overwrite, write_atomic

    check_output(output)
    guard_overwrite(output, force)
    try:
        write_atomic(output, content)
    except OSError as exc:
        raise TermsError(f"cannot write {output}: {exc.strerror or exc}; nothing was written",
                         file=None) from exc
    stderr().print(f"wrote {output}")


def refuse_stdout(output: Path | None, why: str) -> None:
    """``UsageError`` for ``-o -`` where standard output already carries something else."""
    if output is not None and str(output) == "-":
        raise UsageError(f"-o -: {why}; give -o a file name")


PathArg = Annotated[
    Path | None,
    typer.Argument(help="A terms repository, a group of documents or one document directory. "
                   "Default: ./terms of the current repository.", show_default=False),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file (atomically) instead of the "
                 "terminal; - is standard output. Refuses devices, pipes, symbolic links, "
                 "the .git directory and the files of the terms.", show_default=False),
]


def unwrap_help(doc: str | None) -> str:
    """Join the lines of each prose paragraph of a docstring: typer would show every
    newline as a line break. Indented paragraphs (examples) keep their lines."""
    paragraphs = inspect.cleandoc(doc or "").split("\n\n")
    return "\n\n".join(p if p.startswith(" ") else " ".join(p.split("\n"))
                       for p in paragraphs)


ForceOpt = Annotated[bool, typer.Option(
    "--force", help="Overwrite the -o file even if git shows uncommitted changes in it.")]
