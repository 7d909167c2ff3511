"""Release and clause histories in the terminal (aligned columns and rich tables)."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from termstool.cli.common import captured, stdout
from termstool.history.clause_log import events


def releases_terminal(data: dict[str, list[dict[str, object]]]) -> str:
    """The releases of each document (`terms log`), one table per document."""
    return captured(lambda console: _print_releases(data, console), stdout())


_COLUMNS = ("version", "announced", "effective", "notice", "status", "commit", "changed")
_STATUS_STYLES = {"in-effect": "bold green", "pending": "yellow", "draft": "magenta",
                  "superseded": "dim"}


def _print_releases(data: dict[str, list[dict[str, object]]], console: Console) -> None:
    # One text of aligned columns for every document, not one rich Table each: a
    # catalogue has hundreds of documents, and measuring hundreds of tables cost more
    # than reading their history.
    documents = data["documents"]
    # Without colours (a pipe, NO_COLOR) rich would drop every style anyway; a text
    # with no spans is written at once, one with thousands is cut into segments first.
    styled = console.color_system is not None
    rows_of = [_release_rows(d) for d in documents]
    widths = [max([len(c), *(len(row[i][0]) for rows in rows_of for row in rows)])
              for i, c in enumerate(_COLUMNS)]
    out = Text()

    def line(cells: list[tuple[str, str]]) -> None:
        for i, (cell, style) in enumerate(cells):
            out.append(cell, style if styled else None)
            if i < len(cells) - 1:
                out.append(" " * (widths[i] - len(cell) + 2))
        out.append("\n")

    for document, rows in zip(documents, rows_of, strict=True):
        out.append(str(document["id"]), "italic" if styled else None)
        out.append("\n")
        line([(column, "bold underline") for column in _COLUMNS])
        for row in rows:
            line(row)
        releases = document["releases"]
        assert isinstance(releases, list)
        # Below the table, whole: a reason is a sentence that no column could hold.
        for r in releases:
            if r.get("exception"):
                out.append("exception", "yellow" if styled else None)
                out.append(f" of {r['version']}: {r['exception']}\n")
    console.print(out, end="", soft_wrap=True, highlight=False)


def _release_rows(document: dict[str, object]) -> list[list[tuple[str, str]]]:
    """Each release of a document as its cells, each with its style."""
    releases = document["releases"]
    assert isinstance(releases, list)
    rows = []
    for r in releases:
        changed = r["changed"]
        status = str(r["status"])
        rows.append([(str(r["version"]), ""), (str(r["announced"]), ""),
                     (str(r["effective"]), ""), (f"{r['notice_days']} d", ""),
                     (status, _STATUS_STYLES.get(status, "")),
                     (str(r["commit"] or "working tree")[:10], ""),
                     (f"+{changed['added']} −{changed['removed']} ~{changed['modified']}", "")])
    return rows


def clause_terminal(data: dict[str, list[dict[str, object]]]) -> str:
    """The history of one clause (`terms log --clause`), one table per document."""
    return captured(lambda console: _print_clause(data, console), stdout())


def _print_clause(data: dict[str, list[dict[str, object]]], console: Console) -> None:
    for document in data["documents"]:
        now = document["number"]
        where = f"now {now or '·'}, {document['file']}" if document["file"] else "removed"
        console.print(f"{document['id']} · clause {document['clause']} ({where})",
                      markup=False, highlight=False, soft_wrap=True, style="bold")
        releases = Table(box=box.SIMPLE_HEAD, title="its number in each release",
                         title_justify="left")
        for column in ("release", "announced", "effective", "recorded", "number"):
            releases.add_column(column, no_wrap=True)
        for r in _rows(document, "releases"):
            number = "—" if r["number"] is None else str(r["number"] or "·")
            releases.add_row(str(r["version"]), str(r["announced"]),
                             str(r["effective"]),
                             "uncommitted" if r["draft"] else str(r["recorded"] or ""), number)
        console.print(releases)
        table = Table(box=box.SIMPLE_HEAD, title="its changes", title_justify="left")
        for column in ("recorded", "commit", "release", "change"):
            table.add_column(column, no_wrap=column != "change")
        for event in events(document):
            table.add_row(str(event["recorded"] or "uncommitted"),
                          str(event["commit"] or "working tree")[:12],
                          str(event["version"] or ""), _describe(event))
        console.print(table)


def _rows(document: dict[str, object], key: str) -> list[dict[str, object]]:
    found = document.get(key)
    return [row for row in found if isinstance(row, dict)] if isinstance(found, list) else []


def _describe(event: dict[str, object]) -> str:
    """'moved 6.6 → 11.4', 'renumbered 2.3.1 → 2.3.2', 'added as 2.3.1 (substantive)'."""
    if "from" in event:
        return f"{event['kind']} {event['from'] or '·'} → {event['to'] or '·'}"
    kind, number = str(event["kind"]), event["number"]
    langs = event.get("languages")
    shown = ", ".join(str(x) for x in langs) if isinstance(langs, list) else ""
    if kind == "added":
        return f"added as {number or '·'} ({event['class']})"
    if kind == "removed":
        return f"removed ({event['class']})"
    return f"text changed: {event['class']}" + (f" ({shown})" if shown else "")
