"""Benchmark `terms import` re-matching: prints a table of figures; not a test.

    .venv/bin/python benchmarks/bench_import.py            # 505, 1,000 and 5,000 clauses
    .venv/bin/python benchmarks/bench_import.py --quick    # 505 and 5,000 clauses

A numbered source of N clauses (about 150 Chinese characters each, from
``synthetic.numbered_source``) is imported into a real git repository and committed; then
a second source in which every clause's text changed a little (``synthetic.edit_source``)
is imported onto it, so that no clause can be matched by its exact text. Figures: the
time to match the clauses (``match_clauses`` alone), the whole re-import in a fresh
process (`terms import`: parse, read the document and its history, match, check, stage
and swap the files), and how many clauses kept their id (all of them should).
Target: 5,000 clauses re-imported in under 10 s (it was 171 s for 505 before the index).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import GIT_ENV, TERMS, edit_source, git, numbered_source  # noqa: E402
from termstool.format.loader import load_documents  # noqa: E402
from termstool.importer.text_source import match_clauses, parse_source  # noqa: E402
from termstool.storage.working_tree import working_tree  # noqa: E402

INTO = "terms/synthetic"
TARGET = 10.0  # seconds, for re-importing 5,000 clauses


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_import(root: Path, source: Path, *extra: str) -> tuple[float, float]:
    """(wall-clock, CPU) seconds of one `terms import` in a new process (git included)."""
    start, cpu = time.perf_counter(), children_cpu()
    subprocess.run([TERMS, "import", str(source), "--into", INTO, *extra], cwd=root,
                   env=GIT_ENV, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, children_cpu() - cpu


def ids(root: Path) -> dict[str, str]:
    document = load_documents(working_tree(root), INTO).documents[0]
    return {c.number: c.id for c in document.walk()}


def figures(base: Path, clauses: int) -> dict[str, float]:
    """Timings of importing, then re-importing with every clause's text changed."""
    root = base / f"repo-{clauses}"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    first, second = root / "v1.txt", root / "v2.txt"
    text = numbered_source(clauses)
    first.write_text(text, encoding="utf-8")
    second.write_text(edit_source(text), encoding="utf-8")
    created, _cpu = timed_import(root, first, "--version", "1", "--effective", "2021-07-01")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "import")
    before = ids(root)
    existing = list(load_documents(working_tree(root), INTO).documents[0].walk())
    source = parse_source(second.read_bytes(), str(second))
    start, cpu = time.perf_counter(), time.process_time()
    match_clauses(list(source.clauses), existing, "zh")
    matching, matching_cpu = time.perf_counter() - start, time.process_time() - cpu
    reimport, reimport_cpu = timed_import(root, second)
    after = ids(root)
    kept = sum(1 for number, cid in after.items() if before.get(number) == cid)
    return {"clauses": clauses, "create": created, "match": matching,
            "match_cpu": matching_cpu, "reimport": reimport, "reimport_cpu": reimport_cpu,
            "kept": kept}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer sizes")
    options = parser.parse_args()
    sizes = (505, 5000) if options.quick else (505, 1000, 5000)
    base = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        print("Re-import with every clause's text changed (seconds; one run each)")
        print(f"{'clauses':>8} {'first import':>13} {'match':>7} {'(CPU)':>7} "
              f"{'re-import':>10} {'(CPU)':>7} {'ids kept':>11}")
        for size in sizes:
            f = figures(base, size)
            print(f"{f['clauses']:>8.0f} {f['create']:>13.2f} {f['match']:>7.2f} "
                  f"{f['match_cpu']:>7.2f} {f['reimport']:>10.2f} {f['reimport_cpu']:>7.2f} "
                  f"{f['kept']:>5.0f}/{f['clauses']:<5.0f}")
        print(f"   match = match_clauses alone; re-import = the whole `terms import` in a new "
              f"process (CPU: its own and git's).\n   Target: 5,000 clauses re-imported in "
              f"under {TARGET:.0f} s. Load average now: {os.getloadavg()[0]:.1f}.")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
