"""Benchmark `terms clause add` and `terms clause move`: prints figures; nothing is asserted.

    .venv/bin/python benchmarks/bench_authoring.py              # median of 3 runs each
    .venv/bin/python benchmarks/bench_authoring.py --repeat 1

A synthetic bilingual document of 1,000 clauses (10 sections of 10 groups of 9 items,
about 150 Chinese characters and 40 English words a clause) is committed to a temporary
git repository. Each figure is the whole command in a fresh process, as a person runs
it: find the clause, read the history for a fresh id, plan, check the planned tree in
memory, write atomically and stage in git. The repository is reset between runs.
Targets: adding a clause and moving one across sections, each under 1 s. The worst case
is also shown: a clause inserted before section 1 renames every file of the document.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import make_document  # noqa: E402

TERMS = str(Path(sys.executable).with_name("terms"))
TARGET = 1.0  # seconds
GIT_ENV = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
           "GIT_AUTHOR_DATE": "2021-05-20T10:00:00+08:00",
           "GIT_COMMITTER_DATE": "2021-05-20T10:00:00+08:00", "NO_COLOR": "1"}

CASES = (
    ("add a clause inside a group (5.3.4 -> 5.3.5)",
     ["clause", "add", "--after", "5.3.4", "--zh", "双方应妥善保管保密信息。",
      "--en", "Both parties shall keep Confidential Information safe."]),
    ("move a clause across sections (2.4.5 -> 7.2.10)",
     ["clause", "move", "2.4.5", "--under", "7.2"]),
    ("worst case: add before section 1 (every file renamed)",
     ["clause", "add", "--before", "1", "--zh", "新条款。", "--en", "A new clause."]),
)


def git(root: Path, *args: str) -> None:
    """Run git quietly in ``root``."""
    subprocess.run(["git", *args], cwd=root, env={**os.environ, **GIT_ENV}, check=True,
                   capture_output=True)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(root: Path, args: list[str]) -> tuple[float, float, str]:
    """One run of `terms ARGS` in a fresh process: wall-clock seconds, CPU seconds (terms
    and the git processes it starts: on a shared machine the steadier figure), output."""
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run([TERMS, *args], cwd=root, env={**os.environ, **GIT_ENV},
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"terms {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return elapsed, _children_cpu() - cpu, done.stdout


def main() -> None:
    """Build the repository, time each case and print a table and the verdict."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        git(root, "init", "-q", "-b", "main")
        files = make_document(root, 1000)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "synthetic terms")
        print(f"terms clause, synthetic bilingual document of {len(files)} clauses in git; "
              f"whole command, median of {args.repeat} runs, seconds")
        print(f"{'wall':>7} {'cpu':>7}  what")
        figures = []
        for label, command in CASES:
            walls, cpus = [], []
            summary = ""
            for _ in range(args.repeat):
                wall, cpu, out = timed(root, command)
                walls.append(wall)
                cpus.append(cpu)
                summary = out.strip().splitlines()[-1]
                git(root, "reset", "-q", "--hard", "HEAD")
                git(root, "clean", "-q", "-fd")
            figures.append((statistics.median(walls), statistics.median(cpus)))
            print(f"{figures[-1][0]:7.3f} {figures[-1][1]:7.3f}  {label}")
            print(f"                 ({summary[:80]})")
    (add_wall, add_cpu), (move_wall, move_cpu), (worst_wall, _) = figures
    verdict = "meets" if max(add_wall, move_wall) < TARGET else "MISSES"
    print(f"\nadd {add_wall:.3f} s (cpu {add_cpu:.3f} s), move {move_wall:.3f} s (cpu "
          f"{move_cpu:.3f} s): {verdict} the target of {TARGET:.0f} s each in wall-clock "
          f"time (worst case {worst_wall:.3f} s). Load average now: "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.")

if __name__ == "__main__":
    main()
