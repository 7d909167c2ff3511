"""Problems printed for a person: grouped by file, errors in red, warnings in yellow."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

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


def print_problems(problems: list[Problem], workspace: Workspace, console: Console,
                   documents: int, skipped: str | None = None) -> None:
    """Print each problem as ``file:line: severity [rule] message`` and a summary line;
    ``skipped`` says why the notice rules were not checked, so that a ✓ never claims
    more than was checked."""
    for p in problems:
        where = workspace.display(p.file) if p.file else (p.document or "")
        if p.line:
            where += f":{p.line}"
        if p.waived:
            label = "[dim]waived[/]"
        elif p.blocking:
            label = "[bold red]error[/]"
        else:
            label = "[yellow]warning[/]"
        commit = f" (commit {p.commit[:12]})" if p.commit else ""
        waived = f" [dim]— waived: {escape(fold_lines(p.waived))}[/]" if p.waived else ""
        # One problem, one line: a line break in a message must not start a line of its own.
        message = escape(fold_lines(p.message))
        console.print(f"{escape(where)}: {label} [cyan]\\[{p.rule}][/] {message}"
                      f"{commit}{waived}", highlight=False, soft_wrap=True)
    errors = sum(p.blocking for p in problems)
    warnings = len(problems) - errors
    status = "[bold red]✗[/]" if errors else ("[yellow]![/]" if skipped else "[bold green]✓[/]")
    scope = "; file format only" if skipped else ""
    console.print(f"{status} {documents} document(s) checked: {errors} error(s), "
                  f"{warnings} warning(s) or waived{scope}", highlight=False)
    if skipped:
        console.print(f"[yellow]notice rules skipped:[/] {escape(skipped)}", highlight=False,
                      soft_wrap=True)
