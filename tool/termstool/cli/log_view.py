"""Release and clause histories in the terminal (rich tables)."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table

from termstool.cli.common import captured, stdout


def releases_terminal(data: dict[str, list[dict[str, object]]]) -> str:
    """The releases of each document (`terms log`), one table per document."""
    return captured(lambda console: _print_releases(data, console), stdout())


def _print_releases(data: dict[str, list[dict[str, object]]], console: Console) -> None:
    styles = {"in-effect": "bold green", "pending": "yellow", "draft": "magenta",
              "superseded": "dim"}
    for document in data["documents"]:
        table = Table(title=str(document["id"]), title_justify="left", box=None,
                      pad_edge=False, header_style="bold underline")
        releases = document["releases"]
        assert isinstance(releases, list)
        widest = max((len(str(r["version"])) for r in releases), default=7)
        for column, width in (("version", widest), ("announced", 10), ("effective", 10),
                              ("notice", 6), ("status", 10), ("commit", 10), ("changed", 11)):
            table.add_column(column, no_wrap=True, min_width=width)
        for r in releases:
            changed = r["changed"]
            status = str(r["status"])
            table.add_row(
                str(r["version"]), str(r["announced"]), str(r["effective"]),
                f"{r['notice_days']} d", f"[{styles.get(status, '')}]{status}[/]",
                str(r["commit"] or "working tree")[:10],
                f"+{changed['added']} −{changed['removed']} ~{changed['modified']}")
            if r.get("exception"):
                table.add_row("", f"[yellow]exception: {r['exception']}[/]", "", "", "", "", "")
        console.print(table)


def clause_terminal(data: dict[str, list[dict[str, object]]]) -> str:
    """The history of one clause (`terms log --clause`), one table per document."""
    return captured(lambda console: _print_clause(data, console), stdout())


def _print_clause(data: dict[str, list[dict[str, object]]], console: Console) -> None:
    for document in data["documents"]:
        table = Table(title=f"{document['id']} · clause {document['clause']}",
                      title_justify="left", box=box.SIMPLE_HEAD)
        for column in ("date", "commit", "version", "change", "class", "file"):
            table.add_column(column, no_wrap=column != "file")
        changes = document["changes"]
        assert isinstance(changes, list)
        for c in changes:
            table.add_row(str(c["date"] or "uncommitted"), str(c["commit"] or "working tree")[:12],
                          str(c["version"] or ""), str(c["kind"]), str(c["class"]),
                          str(c["file"]))
        console.print(table)
