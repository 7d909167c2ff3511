"""Every command's --help: it works, shows its usage, gives an example, and names every
output format the command can write (the help is documentation, for a reader new to git).

`terms --help` lists the commands from the table in cli/app.py without importing or
building any of them: the table must say what the commands themselves say."""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
from typing import Any

import pytest
from typer.core import TyperGroup

from conftest import run_cli
from termstool.cli.app import COMMANDS as TABLE
from termstool.cli.app import app
from termstool.cli.lazy import LazyEntry, LazyGroup, StandIn, build_command
from termstool.cli.outputs import BY_COMMAND

# The real command of every entry of the table, built as when it runs.
REAL = {entry.name: build_command(entry, app.rich_markup_mode) for entry in TABLE}
# The commands (not the groups of subcommands, `terms clause`, `terms cache`).
COMMANDS = [name for name, command in REAL.items() if not isinstance(command, TyperGroup)]


def test_the_list_of_commands_is_complete() -> None:
    # Guards the parametrisation below: every entry builds a command of its own name.
    assert [command.name for command in REAL.values()] == [entry.name for entry in TABLE]
    assert len(COMMANDS) >= 11
    code, out, _err = run_cli("--help")
    assert code == 0
    assert "Usage: terms [OPTIONS] COMMAND" in out
    for entry in TABLE:
        assert re.search(rf"^\W*{re.escape(entry.name)}\s", out, re.MULTILINE), entry.name


@pytest.mark.parametrize("entry", TABLE, ids=lambda entry: entry.name)
def test_each_summary_is_what_the_command_says(entry: LazyEntry) -> None:
    """The summary in the table is the first paragraph of the command's own help, the line
    typer would have listed had it built the command."""
    real = REAL[entry.name]
    first_paragraph = inspect.cleandoc(real.short_help or real.help or "").split("\n\n")[0]
    assert entry.summary == first_paragraph


@pytest.mark.parametrize("columns", ["100", "60"])
def test_the_list_of_commands_looks_as_if_every_command_were_built(
        columns: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """`terms --help` from the stand-ins is, to the character, typer's help from the real
    commands: names, summaries, panels, order and wrapping."""
    monkeypatch.setenv("COLUMNS", columns)
    code, listed, _err = run_cli("--help")
    assert code == 0

    class Built(LazyGroup):
        entries = TABLE

        def __init__(self, **attrs: Any) -> None:
            super().__init__(**attrs)
            for name, command in self.commands.items():
                assert isinstance(command, StandIn)
                self.commands[name] = command.load()

    monkeypatch.setattr(app.info, "cls", Built)
    code, built, _err = run_cli("--help")
    assert code == 0
    assert listed == built


def _startup(*args: str) -> tuple[list[str], list[str]]:
    """Run `terms ARGS` in a fresh interpreter: the termstool modules it imported and the
    commands it built."""
    script = (
        "import json, sys\n"
        "import termstool.cli.lazy as lazy\n"
        "built = []\n"
        "real_build = lazy.build_command\n"
        "def counting(entry, mode):\n"
        "    built.append(entry.name)\n"
        "    return real_build(entry, mode)\n"
        "lazy.build_command = counting\n"
        "from termstool.cli.app import main\n"
        f"sys.argv = ['terms', *{list(args)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as stop:\n"
        "    assert stop.code == 0, stop.code\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('termstool'))\n"
        "print(json.dumps([loaded, built]), file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    modules, built = json.loads(result.stderr.splitlines()[-1])
    return modules, built


def test_help_imports_no_command_module() -> None:
    """`terms --help` imports none of the commands, nor what they use: only the table
    and the stand-ins."""
    modules, built = _startup("--help")
    assert [m for m in modules if re.fullmatch(r"termstool\.cli\.\w+_cmd", m)] == []
    assert modules == ["termstool", "termstool.cli", "termstool.cli.app", "termstool.cli.lazy"]
    assert built == []


def test_a_commands_help_builds_that_command_alone() -> None:
    modules, built = _startup("check", "--help")
    assert "termstool.cli.check_cmd" in modules
    assert "termstool.cli.render_cmd" not in modules
    assert built == ["check"]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_help_shows_its_usage_and_an_example(name: str) -> None:
    code, out, err = run_cli(name, "--help")
    assert code == 0, err
    assert f"Usage: terms {name} [OPTIONS]" in out
    # An "Example:" or "Examples:" paragraph, followed by at least one command line of
    # this very command (the lines a reader copies).
    _head, found, examples = out.partition("Example")
    assert found, f"terms {name} --help has no example"
    assert re.search(rf"^\W*terms {re.escape(name)}\b", examples, re.MULTILINE), examples


@pytest.mark.parametrize("name", sorted(BY_COMMAND))
def test_every_help_names_each_format_its_command_writes(name: str) -> None:
    _code, out, _err = run_cli(name, "--help")
    options = " ".join(out.partition("--format")[2].split())  # the option's help, unwrapped
    for fmt in BY_COMMAND[name].names:
        assert re.search(rf"\b{fmt}\b", options), f"terms {name} --help does not name {fmt}"


def test_help_does_not_import_what_it_does_not_use() -> None:
    """typer's help module asks for rich.markdown and rich.traceback (markdown-it and
    pygments behind them); `terms --help` never uses them, so they are not imported, and
    a real use still gets the real thing."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from termstool.cli.app import app\n"
        "result = CliRunner().invoke(app, ['--help'])\n"
        "assert result.exit_code == 0 and 'Usage: terms' in result.stdout\n"
        "print(sorted(m for m in ('markdown_it', 'pygments') if m in sys.modules))\n"
        "from rich.markdown import Markdown\n"
        "print(type(Markdown('*x*')).__module__)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert out[0] == "[]"
    assert out[1] == "rich.markdown"
