"""Benchmark the bounded comparison: prints a table of figures; not a test.

    .venv/bin/python benchmarks/bench_rewrite.py            # every figure
    .venv/bin/python benchmarks/bench_rewrite.py --quick    # the targets only

1. One clause rewritten completely, Chinese (sentences of 20 to 60 characters) and
   English (words of ``synthetic.WORDS``), at 10,000 to 100,000 characters: the time to
   compare and lay out the redline (``compare_text`` and ``segments``), and whether it
   was compared by character (word) or by sentence. Target: 100,000 characters under
   5 s (it was 57 s, with no bound on diff-match-patch).
2. Rename detection: 200 clauses replaced by 200 new ids whose random 1,000-character
   texts (in both languages) share most of their bigrams (a three-letter alphabet) or
   not (Chinese), compared in memory (``diff_documents``) and by the whole `terms diff`
   in a fresh process on a real git repository. It ran past 120 s (about 450 s
   projected) before the exact LCS filter and the budget.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import GIT_ENV, HAN, TERMS, WORDS, manifest  # noqa: E402
from termstool.compare.clause_diff import diff_documents  # noqa: E402
from termstool.compare.text_diff import compare_text, new_text, old_text, segments  # noqa: E402
from termstool.format.clause_file import format_clause_file  # noqa: E402
from termstool.model.document import Clause, Document, Manifest, Texts  # noqa: E402

TARGET_REWRITE = 5.0  # seconds, 100,000 characters


def chinese(rng: random.Random, length: int) -> str:
    out: list[str] = []
    while sum(map(len, out)) < length:
        out.append("".join(rng.choice(HAN) for _ in range(rng.randint(20, 60))) + "。")
    return "".join(out)[:length]


def english(rng: random.Random, length: int) -> str:
    words: list[str] = []
    while sum(len(word) + 1 for word in words) < length:
        words.append(rng.choice(WORDS) + ("." if rng.random() < 0.06 else ""))
    return " ".join(words)[:length]


def rewrite(length: int, lang: str) -> tuple[float, str]:
    """CPU seconds to compare and lay out one clause rewritten completely; how."""
    rng = random.Random(length)
    make = chinese if lang == "zh" else english
    old, new = make(rng, length), make(rng, length)
    start = time.process_time()
    comparison = compare_text(old, new, lang)
    segments(comparison.ops, comparison.coarse, lang)
    elapsed = time.process_time() - start
    assert old_text(comparison.ops) == old and new_text(comparison.ops) == new
    return elapsed, "by sentence" if comparison.coarse else "fine"


def document(prefix: str, count: int, seed: int, alphabet: str) -> Document:
    rng = random.Random(seed)
    clauses = tuple(
        Clause(f"{prefix}{i}", f"f{i}", str(i + 1), Texts(), Texts((
            ("zh", "".join(rng.choice(alphabet) for _ in range(1000))),
            ("en", "".join(rng.choice(alphabet) for _ in range(1000))))))
        for i in range(count))
    meta = Manifest("d", Texts(), ("zh", "en"), "zh", 30, "Asia/Shanghai", "1",
                    dt.date(2021, 6, 1), dt.date(2021, 7, 1))
    return Document("terms/synthetic", meta, clauses)


def renames_in_memory(alphabet: str) -> float:
    old, new = document("a", 200, 1, alphabet), document("b", 200, 2, alphabet)
    start = time.perf_counter()
    diff_documents([old], [new])
    return time.perf_counter() - start


def renames_command(base: Path, alphabet: str) -> float:
    """Seconds of `terms diff HEAD~1 HEAD -f json` in a fresh process."""
    root = base / f"renames-{len(alphabet)}"
    docs = root / "terms" / "synthetic"
    docs.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, env=GIT_ENV, check=True)
    (docs / "document.yaml").write_text(manifest(), encoding="utf-8")
    for commit, (prefix, seed) in enumerate((("a", 1), ("b", 2))):
        for path in docs.glob("*.md"):
            path.unlink()
        for clause in document(prefix, 200, seed, alphabet).clauses:
            (docs / f"{clause.id}.md").write_text(
                format_clause_file(clause.id, Texts(), clause.body), encoding="utf-8")
        subprocess.run(["git", "add", "-A"], cwd=root, env=GIT_ENV, check=True)
        subprocess.run(["git", "commit", "-q", "-m", f"commit {commit}"], cwd=root,
                       env=GIT_ENV, check=True)
    start = time.perf_counter()
    subprocess.run([TERMS, "diff", "HEAD~1", "HEAD", "-f", "json"], cwd=root, env=GIT_ENV,
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the targets only")
    options = parser.parse_args()
    lengths = (100_000,) if options.quick else (10_000, 20_000, 40_000, 100_000)
    print("1. One clause rewritten completely (CPU seconds, one run each)")
    print(f"{'chars':>8} {'Chinese':>8} {'':<12} {'English':>8} {'':<12}")
    for length in lengths:
        zh, zh_how = rewrite(length, "zh")
        en, en_how = rewrite(length, "en")
        print(f"{length:>8} {zh:>8.2f} {zh_how:<12} {en:>8.2f} {en_how:<12}")
    print(f"   Target: 100,000 characters under {TARGET_REWRITE:.0f} s; the redline gives back "
          "both texts exactly (asserted).")
    print()
    print("2. 200 clauses replaced by 200 new ids, random 1,000-character texts in two "
          "languages (seconds)")
    print(f"{'alphabet':>10} {'diff_documents':>15} {'terms diff':>11}")
    base = Path(tempfile.mkdtemp(prefix="bench-rewrite-"))
    try:
        for name, alphabet in (("'ab '", "ab "), ("Chinese", HAN)):
            memory = renames_in_memory(alphabet)
            command = renames_command(base, alphabet)
            print(f"{name:>10} {memory:>15.2f} {command:>11.2f}")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print("   diff_documents in memory; terms diff = the whole command in a new process "
          "(Python start included), wall-clock.")
    print(f"   Load average now: {os.getloadavg()[0]:.1f} (the machine is shared).")


if __name__ == "__main__":
    main()
