"""Benchmark the commands on a provider's catalogue: prints figures, asserts nothing.

    .venv/bin/python benchmarks/bench_catalogue.py                 # 300 x 100 x 1,000
    .venv/bin/python benchmarks/bench_catalogue.py --documents 75 --runs 3
    .venv/bin/python benchmarks/bench_catalogue.py --growth        # 75 / 300 / 1,200 documents

Builds the repository with ``catalogue.build`` (300 documents of 100 bilingual clauses,
1,000 commits, three releases a document, a one-document pull request on ``feature``),
then times each command as a user runs it (a fresh process, start-up included), with
its peak memory, beside the git command that does the nearest job on the same
repository. Medians of ``--runs`` runs, each command once first to warm the file cache
(and, where the tool keeps one, its cache: "warm" rows say so; "cold" rows run with
``--no-cache`` when the tool has that option).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import catalogue

TERMS = str(Path(sys.executable).with_name("terms"))


def run(args: list[str], cwd: Path, runs: int) -> tuple[float, float, int]:
    """Median wall seconds, peak MiB of the slowest run, and the exit code of a command."""
    times, peak, code = [], 0.0, 0
    subprocess.run(args, cwd=cwd, env=catalogue.ENV, capture_output=True)  # warm-up
    for _ in range(runs):
        began = time.perf_counter()
        result = subprocess.run(["/usr/bin/time", "-f", "%M", *args], cwd=cwd,
                                env=catalogue.ENV, capture_output=True)
        times.append(time.perf_counter() - began)
        code = result.returncode
        last = result.stderr.decode().strip().splitlines()[-1]
        peak = max(peak, int(last) / 1024 if last.isdigit() else 0.0)
    return statistics.median(times), peak, code


def has_option(option: str) -> bool:
    """Whether this version of terms knows a `check` option (e.g. --no-cache)."""
    out = subprocess.run([TERMS, "check", "--help"], capture_output=True, text=True,
                         env=catalogue.ENV)
    return option in out.stdout


def git(cwd: Path, *args: str) -> str:
    """Output of a git command in the benchmark repository."""
    return subprocess.run(["git", *args], cwd=cwd, env=catalogue.ENV, check=True,
                          capture_output=True, text=True).stdout.strip()


def measure(root: Path, facts: dict[str, str], runs: int) -> list[tuple[str, float, float,
                                                                         int, str]]:
    """(what, seconds, MiB, exit code, reference) for every command of the table."""
    today = ["--today", facts["today"]]
    no_cache = ["--no-cache"] if has_option("--no-cache") else []
    first = git(root, "rev-list", "--max-parents=0", "main")
    rows: list[tuple[str, float, float, int, str]] = []

    def add(what: str, args: list[str], reference: str = "") -> None:
        seconds, mib, code = run(args, root, runs)
        rows.append((what, seconds, mib, code, reference))

    git_log = run(["git", "log", "--name-only", "main"], root, runs)[0]
    git_one = run(["git", "diff", "--word-diff-regex=.", "main~1", "main"], root, runs)[0]
    git_all = run(["git", "diff", "--word-diff-regex=.", first, "main"], root, runs)[0]
    add("check (whole history, cold)", [TERMS, "check", *no_cache, *today],
        f"git log --name-only {git_log:.2f} s")
    if no_cache:
        add("check (whole history, warm cache)", [TERMS, "check", *today])
    add("log", [TERMS, "log", *no_cache])
    add("diff main~1 main (one document)", [TERMS, "diff", "main~1", "main"],
        f"git diff --word-diff-regex=. {git_one:.3f} s")
    add("diff <first> main (everything)", [TERMS, "diff", first, "main"],
        f"git diff --word-diff-regex=. {git_all:.2f} s")
    add("outline --format json (all)", [TERMS, "outline", "--format", "json"])
    add("outline one document", [TERMS, "outline", facts["one_document"]])
    add("render one document to HTML", [TERMS, "render", facts["one_document"], "-f", "html"])
    add("render all to HTML", [TERMS, "render", "-f", "html"])
    git(root, "checkout", "-q", "feature")
    try:
        add("check --base main (one-document PR)", [TERMS, "check", "--base", "main", *today])
        add("review --base main (one-document PR)", [TERMS, "review", "--base", "main",
                                                     *today])
    finally:
        git(root, "checkout", "-q", "main")
    return rows


def help_rows(runs: int) -> list[str]:
    """`terms --help` beside importing typer and rich alone."""
    def median(args: list[str]) -> float:
        subprocess.run(args, capture_output=True)
        times = []
        for _ in range(runs * 3):
            began = time.perf_counter()
            subprocess.run(args, capture_output=True, env=catalogue.ENV)
            times.append(time.perf_counter() - began)
        return statistics.median(times)

    ours = median([TERMS, "--help"])
    floor = median([sys.executable, "-c", "import typer, rich.console"])
    return [f"terms --help {ours:.3f} s; import typer + rich {floor:.3f} s; "
            f"ratio {ours / floor:.2f} (target <= 1.5)"]


def print_table(title: str, rows: list[tuple[str, float, float, int, str]]) -> None:
    """A Markdown table of one repository's figures."""
    print(f"\n### {title}\n")
    print("| command | s | MiB | exit | reference on the same repository |")
    print("|---|---|---|---|---|")
    for what, seconds, mib, code, reference in rows:
        print(f"| `{what}` | {seconds:.2f} | {mib:.0f} | {code} | {reference} |")


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
    with tempfile.TemporaryDirectory() as tmp:
        if args.growth:
            print("| documents | commits | check --base (s) | review --base (s) | check, cold (s) "
                  "| peak MiB |")
            print("|---|---|---|---|---|---|")
            for documents, commits in ((75, 1000), (300, 1000), (1200, 1000), (300, 250),
                                       (300, 4000)):
                root = Path(tmp) / f"d{documents}-c{commits}"
                facts = catalogue.build(root, documents, args.clauses, commits)
                today = ["--today", facts["today"]]
                no_cache = ["--no-cache"] if has_option("--no-cache") else []
                cold, mib, _ = run([TERMS, "check", *no_cache, *today], root, args.runs)
                git(root, "checkout", "-q", "feature")
                pr, mib2, _ = run([TERMS, "check", "--base", "main", *today], root, args.runs)
                rv, mib3, _ = run([TERMS, "review", "--base", "main", *today], root,
                                  args.runs)
                git(root, "checkout", "-q", "main")
                print(f"| {documents} | {commits} | {pr:.2f} | {rv:.2f} | {cold:.2f} | "
                      f"{max(mib, mib2, mib3):.0f} |")
            return
        root = Path(tmp) / "catalogue"
        began = time.perf_counter()
        facts = catalogue.build(root, args.documents, args.clauses, args.commits)
        print(f"built {args.documents} documents x {args.clauses} clauses x {args.commits} "
              f"commits in {time.perf_counter() - began:.1f} s; {os.cpu_count()} cores")
        print_table(f"{args.documents} x {args.clauses} x {args.commits}",
                    measure(root, facts, args.runs))
        print()
        for line in help_rows(args.runs):
            print(line)


if __name__ == "__main__":
    main()
