"""Benchmark: `terms check` and `terms log` over 1,000 commits of a 1,000-clause document.

Builds the repository with one `git fast-import` (commits at controlled dates, a new
release every 100 commits, each commit editing one clause before its release is
announced, so the history is lawful), then times the two commands as a user runs them, start-up included: cold (``--no-cache``)
and warm (the cache the earlier runs filled). Targets: both under 3 s. Prints a table.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import synthetic

COMMITS = 1000
CLAUSES = 1000
ENV = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
       "NO_COLOR": "1"}


def _data(text: str) -> bytes:
    raw = text.encode("utf-8")
    return b"data %d\n" % len(raw) + raw + b"\n"


def build(root: Path) -> None:
    """A repository of COMMITS commits over a CLAUSES-clause document."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env=ENV)
    rng = random.Random(7)
    layout = synthetic.layout(CLAUSES)
    texts = {rel: synthetic.clause_text(cid, rng) for rel, cid in layout}
    stream = bytearray()
    start = dt.datetime(2020, 1, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    release = 0
    for n in range(COMMITS):
        when = start + dt.timedelta(days=n)
        stamp = f"{int(when.timestamp())} +0800"
        stream += b"commit refs/heads/main\nmark :%d\n" % (n + 1)
        stream += f"author Bench <b@example.com> {stamp}\ncommitter Bench <b@example.com> {stamp}\n".encode()
        stream += _data(f"commit {n}")
        if n:
            stream += b"from :%d\n" % n
        if n % 100 == 0:
            # a new release, drafted for 100 days, announced after its last edit and
            # effective 30 days later: a lawful history, so check does all its work
            release += 1
            announced = when.date() + dt.timedelta(days=99)
            manifest = synthetic.manifest(str(release), announced.isoformat(),
                                          (announced + dt.timedelta(days=30)).isoformat())
            stream += b"M 100644 inline terms/synthetic/document.yaml\n" + _data(manifest)
        if n == 0:
            for rel, text in texts.items():
                stream += f"M 100644 inline terms/synthetic/{rel}\n".encode() + _data(text)
        else:
            rel, cid = layout[rng.randrange(len(layout))]
            texts[rel] = synthetic.clause_text(cid, rng)
            stream += f"M 100644 inline terms/synthetic/{rel}\n".encode() + _data(texts[rel])
        stream += b"\n"
    subprocess.run(["git", "fast-import", "--quiet"], input=bytes(stream), cwd=root,
                   check=True, env=ENV)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=root, check=True, env=ENV)


def timed(args: list[str], cwd: Path, runs: int = 3) -> tuple[float, int]:
    """Median wall time of a command and its exit code."""
    times, code = [], 0
    for _ in range(runs):
        began = time.perf_counter()
        result = subprocess.run(args, cwd=cwd, env=ENV, capture_output=True)
        times.append(time.perf_counter() - began)
        code = result.returncode
    return statistics.median(times), code


def main() -> None:
    terms = str(Path(sys.executable).with_name("terms"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        began = time.perf_counter()
        build(root)
        built = time.perf_counter() - began
        count = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=root, env=ENV,
                               capture_output=True, text=True).stdout.strip()
        print(f"repository: {count} commits, {CLAUSES} clauses (built in {built:.1f} s)")
        print(f"{'command':<44} {'median (s)':>10} {'exit':>5} {'target':>8}")
        # cold: nothing kept from an earlier run; warm: the cache in .git/terms-cache
        # holds what the runs before found (the first run fills it)
        for args in (["check", "--no-cache", "--today", "2023-01-01"],
                     ["check", "--today", "2023-01-01"],
                     ["log", "--no-cache", "--today", "2023-01-01"],
                     ["log", "--today", "2023-01-01"],
                     ["log", "--format", "json", "--today", "2023-01-01"]):
            seconds, code = timed([terms, *args], root)
            print(f"{'terms ' + ' '.join(args):<44} {seconds:>10.2f} {code:>5} {'< 3 s':>8}")


if __name__ == "__main__":
    main()
