"""Commands imported and built only when they are used: click's "lazily loading
subcommands", adapted to typer.

`terms --help` lists every command with its one-line summary and runs none of them, yet
typer would import every command module and build every click command (evaluating each
signature and its annotations) just to print that list: most of the time `--help` took.
Here a group holds, for each command of a static table (:class:`LazyEntry`), a light
stand-in (:class:`StandIn`) that carries what the list of commands shows: name, summary,
help panel. The first time click parses arguments for a command (to run it, to show its
own help, or to complete its arguments), the stand-in imports the command's module and
builds the real command exactly as ``Typer.command`` or ``Typer.add_typer`` would have,
then hands the parsing to it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import typer
from typer.core import MarkupMode, TyperCommand, TyperGroup
from typer.main import get_group

if TYPE_CHECKING:
    # The click that typer carries (typer 0.28 has its own copy); for annotations only.
    from typer import _click

# Context settings of a command that reads some of its options itself (``terms new
# --zh TEXT``: one option per language, which no signature can list).
_EXTRA_OPTIONS = {"allow_extra_args": True, "ignore_unknown_options": True}


@dataclass(frozen=True, slots=True)
class LazyEntry:
    """One command of a group, known without importing its module.

    ``attribute`` names, in ``module``, either the command's function or a
    :class:`typer.Typer` of subcommands (``terms clause``). ``summary`` is what the list
    of commands shows: the first paragraph of the command's help, word for word (a test
    holds the two together). ``panel`` is the help panel it is listed in (typer's
    ``rich_help_panel``; None: "Commands"); ``extra_options``, that the command takes
    options its signature does not declare, which it reads itself.
    """

    name: str
    module: str
    attribute: str
    summary: str
    panel: str | None = None
    extra_options: bool = False


def build_command(entry: LazyEntry, markup_mode: MarkupMode) -> _click.Command:
    """Import ``entry``'s module and build its click command, as typer builds a command
    registered on an application with this markup mode."""
    # Imported here: only a command that runs or shows its help needs it (and the
    # command module imports it anyway).
    from termstool.cli.common import unwrap_help

    target = getattr(importlib.import_module(entry.module), entry.attribute)
    # An application of this one command, standing for the real one: the command is
    # built by typer's own code, with the settings a subcommand of ours gets.
    holder = typer.Typer(rich_markup_mode=markup_mode)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=entry.name, rich_help_panel=entry.panel)
    else:
        holder.command(entry.name, help=unwrap_help(target.__doc__),
                       context_settings=_EXTRA_OPTIONS if entry.extra_options else None,
                       rich_help_panel=entry.panel)(target)
    return get_group(holder).commands[entry.name]


class StandIn(TyperCommand):
    """A command as the list of commands shows it; the real one is built when click
    makes a context for it, the only way click parses, runs or completes a command."""

    def __init__(self, entry: LazyEntry, markup_mode: MarkupMode) -> None:
        super().__init__(entry.name, help=entry.summary, rich_markup_mode=markup_mode,
                         rich_help_panel=entry.panel)
        self.entry = entry
        self._real: _click.Command | None = None

    def load(self) -> _click.Command:
        """The real command (built once)."""
        if self._real is None:
            self._real = build_command(self.entry, self.rich_markup_mode)
        return self._real

    def make_context(self, info_name: str | None, args: list[str],
                     parent: _click.Context | None = None, **extra: Any) -> _click.Context:
        """Parse with the real command: the context made is the real command's, so that
        running it, its help and its completions are the real command's too."""
        return self.load().make_context(info_name, args, parent=parent, **extra)


class LazyGroup(TyperGroup):
    """A typer group whose commands are those of :attr:`entries`, each a stand-in until
    it is used (pass a subclass naming its entries as ``cls=`` to :class:`typer.Typer`).

    The stand-ins sit in ``commands`` like any command, so typer's help listing, its
    "Did you mean" suggestions and shell completion of command names all see every
    command without building one.
    """

    entries: ClassVar[tuple[LazyEntry, ...]] = ()

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for entry in self.entries:
            self.commands.setdefault(entry.name, StandIn(entry, self.rich_markup_mode))
