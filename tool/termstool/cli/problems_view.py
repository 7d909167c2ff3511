"""Problems printed for a person: grouped by file, errors in red, warnings in yellow."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from termstool.app.check import CheckResult
from termstool.app.workspace import Workspace
from termstool.cli.common import captured, stdout
from termstool.format.characters import fold_lines
from termstool.model.problems import Problem


def problems_terminal(result: CheckResult) -> str:
    """What `terms check` found, for a person at a terminal."""
    return captured(lambda console: print_problems(list(result.problems), result.workspace,
                                                   console, result.documents,
                                                   skipped=result.skipped), stdout())


def _label(problem: Problem) -> tuple[str, str]:
    """The severity word and its style."""
    if problem.waived:
        return "waived", "dim"
    if problem.blocking:
        return "error", "bold red"
    return "warning", "yellow"


def print_problems(problems: list[Problem], workspace: Workspace, console: Console,
                   documents: int, skipped: str | None = None) -> None:
    """Print each problem as ``file:line: severity [rule] message`` and a summary line;
    ``skipped`` says why the notice rules were not checked, so that a ✓ never claims
    more than was checked."""
    for p in problems:
        where = workspace.display(p.file) if p.file else (p.document or "")
        if p.line:
            where += f":{p.line}"
        # One problem, one line: a line break in a message must not start a line of its own.
        line = Text.assemble(f"{where}: ", _label(p), " ", (f"[{p.rule}]", "cyan"), " ",
                             fold_lines(p.message))
        if p.commit:
            line.append(f" (commit {p.commit[:12]})")
        if p.waived:
            line.append(f" — waived: {fold_lines(p.waived)}", style="dim")
        console.print(line, soft_wrap=True)
    errors = sum(p.blocking for p in problems)
    warnings = len(problems) - errors
    status = ("✗", "bold red") if errors else ("!", "yellow") if skipped \
        else ("✓", "bold green")
    scope = "; file format only" if skipped else ""
    console.print(Text.assemble(status, f" {documents} document(s) checked: {errors} error(s), "
                                f"{warnings} warning(s) or waived{scope}"))
    if skipped:
        console.print(Text.assemble(("notice rules skipped:", "yellow"), f" {skipped}"),
                      soft_wrap=True)
