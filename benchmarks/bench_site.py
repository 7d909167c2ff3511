"""Benchmark `terms site`: prints figures; not a test, nothing is asserted.

    .venv/bin/python benchmarks/bench_site.py                    # 300 documents x 3 releases
    .venv/bin/python benchmarks/bench_site.py --documents 30     # a quick look

Builds the catalogue of ``catalogue.build`` (bilingual documents of 100 clauses, 3,000
commits: enough edits that every document gets its three releases), then runs ``terms site -o DIR`` once as a user
does (a fresh process, start-up included) on the day after the last commit, when some
third releases are announced but not yet in force. Prints the wall time, the peak
memory, the number of pages and the size of the site, then builds it a second time into
another directory and says whether the two are byte for byte the same.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import catalogue

TERMS = str(Path(sys.executable).with_name("terms"))


def build_site(root: Path, out: Path, today: str) -> tuple[float, float]:
    """Wall seconds and peak MiB of one `terms site` run."""
    began = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M", TERMS, "site", "-o", str(out),
                             "--today", today], cwd=root, env=catalogue.ENV,
                            capture_output=True, text=True)
    seconds = time.perf_counter() - began
    if result.returncode != 0:
        raise SystemExit(f"terms site failed:\n{result.stderr}")
    last = result.stderr.strip().splitlines()[-1]
    return seconds, int(last) / 1024 if last.isdigit() else 0.0


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` and its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def main() -> None:
    """Build the catalogue, time the site once, check a second build is identical."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--clauses", type=int, default=100)
    parser.add_argument("--commits", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "catalogue"
        began = time.perf_counter()
        facts = catalogue.build(root, args.documents, args.clauses, args.commits)
        made = time.perf_counter() - began
        today = facts["today"]
        first, second = Path(tmp) / "site-1", Path(tmp) / "site-2"
        seconds, mib = build_site(root, first, today)
        files = tree(first)
        pages = sum(1 for name in files if name.endswith(".html"))
        releases = sum(1 for name in files if name.endswith("/text.html"))
        size = sum(len(data) for data in files.values()) / 2**20
        build_site(root, second, today)
        same = files == tree(second)
    print(f"terms site: {args.documents} documents x {args.clauses} clauses, "
          f"{args.commits} commits (repository made in {made:.1f} s), as of {today}")
    print(f"  {releases} releases, {pages} pages, {len(files)} files, {size:.0f} MiB")
    print(f"  one build, fresh process: {seconds:.1f} s, peak {mib:.0f} MiB "
          f"({seconds / max(releases, 1) * 1000:.0f} ms a release)")
    print(f"  a second build is {'byte for byte the same' if same else 'DIFFERENT'}")


if __name__ == "__main__":
    main()
