"""Every command's --help: it works, shows its usage, gives an example, and names every
output format the command can write (the help is documentation, for a reader new to git)."""

from __future__ import annotations

import re

import pytest

from conftest import run_cli
from termstool.cli.app import app
from termstool.cli.outputs import BY_COMMAND

COMMANDS = [info.name for info in app.registered_commands if info.name]


def test_the_list_of_commands_is_complete() -> None:
    # Guards the parametrisation below: a command registered without a name would be missed.
    assert len(COMMANDS) == len(app.registered_commands) >= 11
    code, out, _err = run_cli("--help")
    assert code == 0
    assert "Usage: terms [OPTIONS] COMMAND" in out
    for name in COMMANDS:
        assert re.search(rf"^\W*{re.escape(name)}\s", out, re.MULTILINE), name


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
