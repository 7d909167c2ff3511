"""`terms clause` in the terminal: one clause, and what a change to the tree did.

Everything from the repository (ids, paths, text) is printed as text, never as markup: the
console reads none (:func:`termstool.cli.common.stdout`); styles are rich Text.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from termstool.app.clause_edit import ClauseView, EditResult
from termstool.app.fix import FixResult
from termstool.app.workspace import Workspace
from termstool.cli.common import captured, stdout
from termstool.format.commonmark import to_plain
from termstool.format.restructure import Renumbering


def clause_show_data(view: ClauseView) -> dict[str, object]:
    """`terms clause show --format json`: the clause, its texts and its last change."""
    clause, document = view.ref.clause, view.ref.document
    last = view.last_change
    return {
        "document": document.id, "id": clause.id, "number": clause.number,
        "file": clause.file, "at": view.point,
        "title": {lang: clause.title.get(lang) or None for lang in document.manifest.languages},
        "text": {lang: clause.body.get(lang) or None for lang in document.manifest.languages},
        "sub_clauses": [child.number or child.id for child in clause.children],
        "link": f"[{clause.number}](#{clause.id})" if clause.number else None,
        "last_change": None if last is None else {
            "commit": last.commit or None,
            "recorded": last.recorded.isoformat() if last.recorded else None,
            "kind": last.kind, "class": last.change_class, "version": last.version,
            "announced": last.announced.isoformat() if last.announced else None,
            "effective": last.effective.isoformat() if last.effective else None},
    }


def clause_show_terminal(view: ClauseView) -> str:
    """One clause: number, id, file, the link to it, its last change, then each language."""
    return captured(lambda console: _print_view(view, console), stdout())


def _print_view(view: ClauseView, console: Console) -> None:
    clause, document = view.ref.clause, view.ref.document

    def say(text: str) -> None:
        console.print(text, markup=False, highlight=False, soft_wrap=True)

    say(f"{clause.number or '·'}  {clause.id}  ({document.id}, {view.point})")
    say(f"file:         {clause.file}")
    if clause.number:
        say(f"refer to it:  [{clause.number}](#{clause.id})")
    if clause.children:
        say("sub-clauses:  " + ", ".join(c.number or c.id for c in clause.children))
    last = view.last_change
    if last is not None:
        commit = "uncommitted" if not last.commit else f"commit {last.commit[:12]}"
        release = ""
        if last.version:
            release = f"; release {last.version}"
            if last.announced and last.effective:
                release += f" (announced {last.announced}, effective {last.effective})"
        recorded = f" recorded {last.recorded}" if last.recorded else ""
        say(f"last change:  {last.kind} ({last.change_class}), {commit}{recorded}{release}")
    for lang in document.manifest.languages:
        console.print(Rule(lang, align="left", style="dim"))
        title = clause.title.get(lang)
        if title:
            console.print(title, markup=False, highlight=False, style="bold")
        body = to_plain(clause.body.get(lang), view.numbers)
        if body:
            say(body)


def _fold(changes: Sequence[Renumbering]) -> list[tuple[Renumbering, int]]:
    """Renumberings with the sub-clauses that simply follow their parent folded in."""
    out: list[tuple[Renumbering, int]] = []
    for change in changes:
        if out and change.old and change.new and not change.moved:
            parent, count = out[-1]
            if parent.old and parent.new and change.old.startswith(parent.old + ".") \
                    and change.new == parent.new + change.old[len(parent.old):]:
                out[-1] = (parent, count + 1)
                continue
        out.append((change, 0))
    return out


def print_renumbering(changes: Sequence[Renumbering], console: Console) -> None:
    """Each clause whose number changed, old → new, sub-clauses that follow folded in."""
    for change, folded in _fold(changes):
        old = "—" if change.old is None else change.old or "·"
        new = "—" if change.new is None else change.new or "·"
        if change.old is None:
            what = "added"
        elif change.new is None:
            what = "removed"
        elif change.moved:
            what = "moved"
        else:
            what = "renumbered"
        more = f" (and its {folded} sub-clause{'s' if folded > 1 else ''})" if folded else ""
        console.print(f"  {what:<10} {old:>9} → {new:<9} {change.id}{more}",
                      highlight=False)


def edit_report(result: EditResult, workspace: Workspace) -> str:
    """What `terms clause add|move|remove` did: the new clause, the renumbering, the
    links rewritten, and what git now holds."""
    return captured(lambda console: _print_edit(result, workspace, console), stdout())


def _print_edit(result: EditResult, workspace: Workspace, console: Console) -> None:
    plan = result.plan
    if plan.empty:
        console.print("nothing to do: the clause is already there", highlight=False)
        return
    document = result.document.id
    if plan.added is not None:
        number = result.number(plan.added) or "·"
        console.print(Text.assemble(("added", "bold"), f" clause {number} (id {plan.added}) "
                                    f"to {document}: "
                                    f"{workspace.display(plan.files[plan.added])}"),
                      soft_wrap=True)
    else:
        console.print(Text.assemble(("changed", "bold"), f" {document}:"))
    print_renumbering(plan.renumbering, console)
    if plan.relinked:
        console.print("  cross-references updated in: " +
            ", ".join(f"{result.number(cid) or '·'} ({cid})" for cid in plan.relinked),
            highlight=False, soft_wrap=True)
    if plan.unlinked:
        console.print(Text.assemble(
            ("warning:", "yellow"), " links to the removed clause became plain text in "
            + ", ".join(f"{result.number(cid) or '·'} ({cid})" for cid in plan.unlinked)
            + "; rewrite those sentences"), soft_wrap=True)
    counts = [f"{len(plan.renames)} renamed"] if plan.renames else []
    if len(plan.writes) > len(plan.renames):
        counts.append(f"{len(plan.writes) - len(plan.renames)} written")
    if len(plan.deletes) > len(plan.renames):
        counts.append(f"{len(plan.deletes) - len(plan.renames)} deleted")
    where = "staged in git" if result.staged else "written"
    console.print(f"{where}: {', '.join(counts)}. Next: 'terms diff' to review, then commit "
                  "(git status shows the renames).", highlight=False, soft_wrap=True)


def print_fixes(result: FixResult, workspace: Workspace, console: Console) -> None:
    """What `terms check --fix` changed, file by file, and the renumbering it caused."""
    if not result.fixes:
        console.print("--fix: nothing to fix", highlight=False)
        return
    for fix in result.fixes:
        console.print(f"fixed {workspace.display(fix.file)}: {fix.what}",
                      highlight=False, soft_wrap=True)
    for document, changes in result.renumbering:
        console.print(f"renumbered in {document}:", highlight=False)
        print_renumbering(changes, console)
    if result.staged:
        console.print("renamed files are staged in git; review everything with 'git diff "
                      "HEAD'", highlight=False)
