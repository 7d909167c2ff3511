"""`terms cache`: the cache of what terms learned from commits; `--no-cache`; progress.

Commits never change, so what terms derives from them (each document's history, the
problems in it) is kept in ``.git/terms-cache/`` and reused by the next run. The cache
is only ever a shortcut: an entry written by another version of terms, or damaged, is
ignored and written again, and clearing it is always safe.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TYPE_CHECKING, Annotated

import typer

from termstool.cli.common import PathArg, handle_errors, stderr, unwrap_help

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

NoCacheOpt = Annotated[bool, typer.Option(
    "--no-cache", help="Read the whole history afresh instead of reusing what earlier runs "
    "kept in .git/terms-cache/ (the result is the same; only slower). Nothing is kept "
    "either.")]
JobsOpt = Annotated[int | None, typer.Option(
    "--jobs", "-j", min=1, metavar="N", show_default=False,
    help="Processes that read history without a cache (default: one per core, up to 4, "
    "when there are enough documents to share; 1 reads in this process only).")]

cache_app = typer.Typer(
    name="cache", no_args_is_help=True, rich_markup_mode="rich",
    help="The cache of what terms learned from commits (in .git/terms-cache/). It only "
    "makes the next run faster: clearing it is always safe.")


@cache_app.command("clear")
@handle_errors
def clear(path: PathArg = None) -> None:
    """Remove every cache entry of the repository (the next run rebuilds what it needs).

    Examples:

      terms cache clear
    """
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.app.cache import clear_cache
    from termstool.app.workspace import Workspace

    repo = Workspace.open(path, need_git=True).git()
    removed = clear_cache(repo.git_dir)
    stderr().print(f"removed {removed} cache file(s) from "
                   f"{repo.git_dir / 'terms-cache'}", markup=False, highlight=False)


# typer would show each newline of the docstring as a line break (see unwrap_help)
clear.__doc__ = unwrap_help(clear.__doc__)


class TerminalProgress:
    """A progress bar on standard error for work that takes more than half a second, and
    only when standard error is a terminal (never in a pipe, a log or machine output)."""

    DELAY = 0.5

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._began = time.monotonic()
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __call__(self, what: str, done: int, total: int) -> None:
        """Told by the use case: ``done`` of ``total`` steps of ``what``."""
        if not self.enabled:
            return
        if self._bar is None:
            if done >= total or time.monotonic() - self._began < self.DELAY:
                return
            # Imported here: only a slow command on a terminal ever shows a bar.
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), console=stderr(), transient=True)
            self._bar.start()
            self._task = self._bar.add_task(what, total=total)
        assert self._task is not None
        self._bar.update(self._task, description=what, completed=done, total=total)

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
