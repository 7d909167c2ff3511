"""Benchmark the commands on a provider's catalogue: prints figures, asserts nothing.

    .venv/bin/python benchmarks/bench_catalogue.py                 # 300 x 100 x 1,000
    .venv/bin/python benchmarks/bench_catalogue.py --documents 75 --runs 3
    .venv/bin/python benchmarks/bench_catalogue.py --growth        # 75 / 300 / 1,200 documents

Builds the repository with ``catalogue.build`` (300 documents of 100 bilingual clauses,
1,000 commits, three releases a document, a one-document pull request on ``feature``),
then times each command as a user runs it (a fresh process, start-up included): wall
and CPU seconds (git's processes included: on a machine shared with other work the CPU
time is the steadier figure) and peak memory, beside the git command that does the
nearest job on the same repository. Medians of ``--runs`` runs, each command once first
to warm the file cache (and, where the tool keeps one, its cache: "warm" rows say so;
"cold" rows run with ``--no-cache``). "after one new commit" commits an edit to one
document before each run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import catalogue

TERMS = str(Path(sys.executable).with_name("terms"))


@dataclass(frozen=True)
class Timing:
    """Medians of one command's runs: wall and CPU seconds (git's processes included),
    peak memory of the largest run, and the exit code."""

    wall: float
    cpu: float
    mib: float
    code: int


def run(args: list[str], cwd: Path, runs: int, before: Callable[[], None] | None = None,
        warm: bool = True) -> Timing:
    """Time a command as a user runs it (a fresh process, start-up included); ``before``
    runs untimed before each run (e.g. a new commit)."""
    walls, cpus, peak, code = [], [], 0.0, 0
    if warm:
        subprocess.run(args, cwd=cwd, env=catalogue.ENV, capture_output=True)
    for _ in range(runs):
        if before is not None:
            before()
        began = time.perf_counter()
        result = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", *args], cwd=cwd,
                                env=catalogue.ENV, capture_output=True)
        walls.append(time.perf_counter() - began)
        code = result.returncode
        fields = result.stderr.decode().strip().splitlines()[-1].split()
        if len(fields) == 3:
            cpus.append(float(fields[0]) + float(fields[1]))
            peak = max(peak, int(fields[2]) / 1024)
    return Timing(statistics.median(walls), statistics.median(cpus) if cpus else 0.0,
                  peak, code)


def has_option(option: str) -> bool:
    """Whether this version of terms knows a `check` option (e.g. --no-cache)."""
    out = subprocess.run([TERMS, "check", "--help"], capture_output=True, text=True,
                         env=catalogue.ENV)
    return option in out.stdout


def git(cwd: Path, *args: str) -> str:
    """Output of a git command in the benchmark repository."""
    return subprocess.run(["git", *args], cwd=cwd, env=catalogue.ENV, check=True,
                          capture_output=True, text=True).stdout.strip()


Row = tuple[str, str, Timing, Timing | None, str]  # what, target, terms, git, git command


def measure(root: Path, facts: dict[str, str], runs: int) -> list[Row]:
    """Every command of the table beside the git command that does the nearest job."""
    today = ["--today", facts["today"]]
    no_cache = ["--no-cache"] if has_option("--no-cache") else []
    first = git(root, "rev-list", "--max-parents=0", "main")
    one = facts["one_document"]
    rows: list[Row] = []

    def add(what: str, target: str, args: list[str], reference: list[str] | None = None,
            **kwargs: Any) -> None:
        ours = run(args, root, runs, **kwargs)
        theirs = run(["git", *reference], root, runs) if reference else None
        rows.append((what, target, ours, theirs, " ".join(["git", *reference])
                     if reference else ""))

    log_names = ["log", "--name-only", "main", "--", "terms"]
    add("check, whole history, cold (--no-cache)", "≤ 3 s", [TERMS, "check", *no_cache, *today],
        log_names)
    if no_cache:
        add("check, warm cache", "", [TERMS, "check", *today], log_names)
    add("log, cold (--no-cache)", "≤ 2 s", [TERMS, "log", *no_cache], log_names)
    if no_cache:
        add("log, warm cache", "", [TERMS, "log"], log_names)
    add("diff main~1 main (one document)", "≤ 0.5 s", [TERMS, "diff", "main~1", "main"],
        ["diff", "--word-diff-regex=.", "main~1", "main"])
    add("diff <first> main (everything)", "", [TERMS, "diff", first, "main"],
        ["diff", "--word-diff-regex=.", first, "main"])
    add("outline one document", "≤ 0.4 s", [TERMS, "outline", one],
        ["grep", "-h", "-e", "^id:", "main", "--", one])
    add("render one document to HTML", "≤ 0.4 s", [TERMS, "render", one, "-f", "html"],
        ["grep", "-h", "-e", ".", "main", "--", one])
    add("outline --format json (all)", "", [TERMS, "outline", "--format", "json"],
        ["grep", "-h", "-e", "^id:", "main", "--", "terms"])
    add("render all to HTML", "", [TERMS, "render", "-f", "html"],
        ["grep", "-h", "-e", ".", "main", "--", "terms"])
    git(root, "checkout", "-q", "feature")
    try:
        add("check --base main (one-document pull request)", "≤ 1.0 s",
            [TERMS, "check", "--base", "main", *today],
            ["diff", "--stat", "main...feature"])
        add("review --base main (one-document pull request)", "≤ 1.0 s",
            [TERMS, "review", "--base", "main", *today],
            ["diff", "--word-diff-regex=.", "main...feature"])
    finally:
        git(root, "checkout", "-q", "main")
    if no_cache:
        # last: it adds commits to main
        add("check, warm cache, after one new commit", "≤ 0.5 s", [TERMS, "check", *today],
            ["log", "--name-only", "-1", "main", "--", "terms"],
            before=lambda: new_commit(root), warm=True)
    return rows


def new_commit(root: Path) -> None:
    """One more commit on main that edits one clause of one document (untimed)."""
    target = root / "terms" / "p0001" / "01-section" / "01-item.md"
    with target.open("a", encoding="utf-8") as out:
        out.write("One more sentence.\n")
    git(root, "-c", "user.name=Bench", "-c", "user.email=b@example.com", "commit", "-q", "-a",
        "-m", "edit p0001")


MINIMAL_TYPER_APP = """
import typer
app = typer.Typer(rich_markup_mode="rich", no_args_is_help=True)
@app.command()
def check(path: str = "") -> None:
    "Check."
@app.command()
def render(path: str = "") -> None:
    "Render."
app()
"""


def help_rows(runs: int) -> list[str]:
    """`terms --help` beside importing typer and rich alone, and beside the help of a
    two-command typer application (typer's own help rendering), measured in turns."""
    commands = {"terms --help": [TERMS, "--help"],
                "import typer + rich": [sys.executable, "-c", "import typer, rich.console"],
                "a two-command typer app --help": [sys.executable, "-c", MINIMAL_TYPER_APP,
                                                   "--help"]}
    found: dict[str, list[float]] = {name: [] for name in commands}
    for args in commands.values():
        subprocess.run(args, capture_output=True)
    for _ in range(runs * 5):
        for name, args in commands.items():
            began = time.perf_counter()
            subprocess.run(args, capture_output=True, env=catalogue.ENV)
            found[name].append(time.perf_counter() - began)
    median = {name: statistics.median(times) for name, times in found.items()}
    ours, floor = median["terms --help"], median["import typer + rich"]
    return ["; ".join(f"{name} {seconds:.3f} s" for name, seconds in median.items())
            + f"; ratio to importing typer + rich {ours / floor:.2f} (target ≤ 1.5)"]


def print_table(title: str, rows: list[Row]) -> None:
    """A Markdown table of one repository's figures."""
    print(f"\n### {title}\n")
    print("| command | target | wall s | CPU s | MiB | exit | git, same job | git wall s | "
          "ratio (wall) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for what, target, ours, theirs, reference in rows:
        ratio = f"{ours.wall / theirs.wall:.0f}×" if theirs and theirs.wall else ""
        git_wall = f"{theirs.wall:.3f}" if theirs else ""
        print(f"| `{what}` | {target} | {ours.wall:.2f} | {ours.cpu:.2f} | {ours.mib:.0f} | "
              f"{ours.code} | `{reference}` | {git_wall} | {ratio} |")


def growth(runs: int, clauses: int, tmp: Path) -> None:
    """The one-document pull request at 75, 300 and 1,200 documents; the full cold check
    at 250, 1,000 and 4,000 commits."""
    print("| documents | commits | check --base s (CPU) | review --base s (CPU) | "
          "check, cold s (CPU) | peak MiB |")
    print("|---|---|---|---|---|---|")
    no_cache = ["--no-cache"] if has_option("--no-cache") else []
    for documents, commits in ((75, 1000), (300, 1000), (1200, 1000), (300, 250),
                               (300, 4000)):
        root = tmp / f"d{documents}-c{commits}"
        facts = catalogue.build(root, documents, clauses, commits)
        today = ["--today", facts["today"]]
        cold = run([TERMS, "check", *no_cache, *today], root, runs)
        git(root, "checkout", "-q", "feature")
        pr = run([TERMS, "check", "--base", "main", *today], root, runs)
        rv = run([TERMS, "review", "--base", "main", *today], root, runs)
        git(root, "checkout", "-q", "main")
        peak = max(cold.mib, pr.mib, rv.mib)
        print(f"| {documents} | {commits} | {pr.wall:.2f} ({pr.cpu:.2f}) | "
              f"{rv.wall:.2f} ({rv.cpu:.2f}) | {cold.wall:.2f} ({cold.cpu:.2f}) | {peak:.0f} |",
              flush=True)
        shutil.rmtree(root)


def main() -> None:
    """Build the repositories, time the commands, print tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--clauses", type=int, default=100)
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--growth", action="store_true",
                        help="time the one-document pull request at 75, 300 and 1,200 "
                        "documents, and full check at 250, 1,000 and 4,000 commits")
    args = parser.parse_args()
    # stopped from outside: still remove the repositories built in the temporary directory
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        if args.growth:
            growth(args.runs, args.clauses, Path(tmp))
            return
        root = Path(tmp) / "catalogue"
        began = time.perf_counter()
        facts = catalogue.build(root, args.documents, args.clauses, args.commits)
        print(f"built {args.documents} documents x {args.clauses} clauses x {args.commits} "
              f"commits in {time.perf_counter() - began:.1f} s")
        print_table(f"{args.documents} x {args.clauses} x {args.commits}",
                    measure(root, facts, args.runs))
        print()
        for line in help_rows(args.runs):
            print(line)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
