"""Benchmark `terms --help`: prints figures; not a test, nothing is asserted.

    .venv/bin/python benchmarks/bench_help.py             # 15 runs
    .venv/bin/python benchmarks/bench_help.py --runs 30

The wall time of `terms --help` in a fresh process (the median of several runs, after
one warm-up run so the file cache is warm), against the target of 0.3 s.
Then the modules that take longest to import at startup (``python -X importtime``),
so that whoever needs to cut the time knows what to make lazy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

TERMS = str(Path(sys.executable).with_name("terms"))
TARGET = 0.3  # seconds
# Measured as users run it: bytecode cached after the first run (see synthetic.py).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def wall_time(command: list[str]) -> float:
    """Seconds that one run of ``command`` takes, start to exit."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def slowest_imports(count: int) -> list[tuple[int, str]]:
    """(cumulative microseconds, module) of the slowest imports of the CLI at startup."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-c",
                             "import termstool.cli.app"], capture_output=True, text=True,
                            check=True)
    rows = []
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    return sorted(rows, reverse=True)[:count]


def main() -> None:
    """Time `terms --help`, compare with the floor and the target, list slow imports."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    wall_time([TERMS, "--help"])  # warm-up
    help_times = [wall_time([TERMS, "--help"]) for _ in range(args.runs)]
    python_times = [wall_time([sys.executable, "-c", "pass"]) for _ in range(args.runs)]
    median = statistics.median(help_times)
    print(f"terms --help: median {median:.3f} s over {args.runs} runs "
          f"(min {min(help_times):.3f}, max {max(help_times):.3f}); "
          f"{'meets' if median < TARGET else 'MISSES'} the target of {TARGET} s")
    print(f"python -c pass: median {statistics.median(python_times):.3f} s (the floor)")
    print("\nslowest imports of termstool.cli.app (cumulative, ms):")
    for micros, module in slowest_imports(12):
        print(f"  {micros / 1000:7.1f}  {module}")


if __name__ == "__main__":
    main()
