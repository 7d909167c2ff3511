"""Benchmark `terms diff`: prints a table of figures; not a test, nothing is asserted.

    .venv/bin/python benchmarks/bench_diff.py            # all figures (about a minute)
    .venv/bin/python benchmarks/bench_diff.py --quick    # fewer sizes and repeats

1. A synthetic bilingual document (about 150 Chinese characters and 40 English words per
   clause) committed twice in a real git repository, the second commit editing 5 % of the
   clauses. For 250 to 2,000 clauses: the time to read both revisions from git and parse
   them, to compare them, to render Markdown, and of the whole command in a fresh process
   (`terms diff HEAD~1 HEAD -f json`). Target: under 1 s at 1,000 clauses, and linear.
2. One clause of 10,000 characters rewritten completely (and other lengths, to show how
   the cost grows). Target: under 1 s at 10,000.
3. `git diff --word-diff-regex=. HEAD~1 HEAD -- terms/` on the same revisions, and the
   ratio of `terms diff` to it.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import GIT_ENV, HAN, TERMS, WORDS, git, make_document, mutate  # noqa: E402
from termstool.app.workspace import Workspace  # noqa: E402
from termstool.compare.change_class import editorial_form  # noqa: E402
from termstool.compare.clause_diff import diff_documents  # noqa: E402
from termstool.compare.text_diff import diff_text, segments  # noqa: E402
from termstool.format.clause_file import parse_clause_data  # noqa: E402
from termstool.model.document import Document  # noqa: E402
from termstool.render.redline_markdown import redline_markdown  # noqa: E402


def best(func: Callable[[], object], repeat: int) -> float:
    """The best of ``repeat`` wall-clock timings, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def cold() -> None:
    """Forget parsed files, so each timing parses both revisions as a first run does."""
    parse_clause_data.cache_clear()
    editorial_form.cache_clear()


def release_repo(base: Path, clauses: int) -> tuple[Path, int]:
    """A repository whose HEAD changes 5 % of the clauses of HEAD~1."""
    root = base / f"repo-{clauses}"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    make_document(root, clauses)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "release 1")
    changed = mutate(root, 0.05)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "release 2")
    return root, changed


def document_figures(base: Path, clauses: int, repeat: int) -> dict[str, float]:
    """Timings of diffing one synthetic document between two commits."""
    root, changed = release_repo(base, clauses)
    os.chdir(root)

    def load() -> tuple[tuple[Document, ...], tuple[Document, ...]]:
        cold()
        workspace = Workspace.open(None)  # a new repository object: no blob read is cached
        return (workspace.load(workspace.at("HEAD~1")).documents,
                workspace.load(workspace.at("HEAD")).documents)

    old_docs, new_docs = load()
    redline = diff_documents(old_docs, new_docs, ref_from="HEAD~1", ref_to="HEAD")
    found = sum(1 for d in redline.documents for c in d.changes if c.text_changed)
    chars = sum(len(c.body.get("zh")) for d in new_docs for c in d.walk())
    figures = {
        "clauses": clauses, "changed": changed, "found": found, "zh_chars": chars,
        "load": best(load, repeat),
        "compare": best(lambda: diff_documents(old_docs, new_docs), repeat),
        "markdown": best(lambda: redline_markdown(redline), repeat),
        "command": best(lambda: subprocess.run(
            [TERMS, "diff", "HEAD~1", "HEAD", "-f", "json"], cwd=root, env=GIT_ENV,
            check=True, stdout=subprocess.DEVNULL), repeat),
        "git": best(lambda: subprocess.run(
            ["git", "diff", "--word-diff-regex=.", "HEAD~1", "HEAD", "--", "terms/"],
            cwd=root, env=GIT_ENV, check=True, stdout=subprocess.DEVNULL), repeat),
    }
    os.chdir(base)
    return figures


def rewrite_figures(length: int, repeat: int) -> dict[str, float]:
    """Timings of one clause of ``length`` characters rewritten completely."""
    rng = random.Random(length)
    zh_old = "".join(rng.choice(HAN) for _ in range(length))
    zh_new = "".join(rng.choice(HAN) for _ in range(length))
    words_old: list[str] = []
    words_new: list[str] = []
    while sum(map(len, words_old)) < length:
        words_old.append(rng.choice(WORDS))
    while sum(map(len, words_new)) < length:
        words_new.append(rng.choice(WORDS))
    en_old, en_new = " ".join(words_old)[:length], " ".join(words_new)[:length]
    return {
        "length": length,
        "zh": best(lambda: segments(diff_text(zh_old, zh_new, "zh")), repeat),
        "en": best(lambda: segments(diff_text(en_old, en_new, "en")), repeat),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer sizes and repeats")
    options = parser.parse_args()
    repeat = 1 if options.quick else 3
    sizes = (250, 1000) if options.quick else (250, 500, 1000, 2000)
    lengths = (10_000,) if options.quick else (2_500, 5_000, 10_000, 20_000)
    base = Path(tempfile.mkdtemp(prefix="bench-diff-"))
    try:
        print("1. One document between two commits, 5 % of the clauses edited "
              f"(best of {repeat}, seconds)")
        print(f"{'clauses':>8} {'zh chars':>9} {'changed':>8} {'found':>6} {'load':>7} "
              f"{'compare':>8} {'markdown':>9} {'terms diff':>11} {'git diff':>9} "
              f"{'ratio':>6} {'per 1k':>7}")
        at_1000: dict[str, float] = {}
        for size in sizes:
            f = document_figures(base, size, repeat)
            at_1000 = f if size == 1000 else at_1000
            print(f"{f['clauses']:>8.0f} {f['zh_chars']:>9.0f} {f['changed']:>8.0f} "
                  f"{f['found']:>6.0f} {f['load']:>7.3f} {f['compare']:>8.3f} "
                  f"{f['markdown']:>9.3f} {f['command']:>11.3f} {f['git']:>9.3f} "
                  f"{f['command'] / f['git']:>6.1f} "
                  f"{(f['load'] + f['compare']) * 1000 / f['clauses']:>7.3f}")
        print("   load = read both revisions from git and parse them; compare = match and "
              "redline;\n   terms diff = the whole command in a new process (Python start "
              "included); per 1k = (load + compare) per 1,000 clauses")
        if at_1000:
            startup = best(lambda: subprocess.run([TERMS, "--version"], check=True,
                                                  stdout=subprocess.DEVNULL), repeat)
            print(f"   At 1,000 clauses `terms diff` takes {at_1000['command']:.3f} s against "
                  f"{at_1000['git']:.3f} s for git diff --word-diff-regex=. "
                  f"({at_1000['command'] / at_1000['git']:.0f}x): starting Python and "
                  f"importing takes {startup:.3f} s,\n   reading and parsing both "
                  f"versions {at_1000['load']:.3f} s, comparing "
                  f"{at_1000['compare'] * 1000:.0f} ms.")
        print()
        print(f"2. One clause rewritten completely (best of {repeat}, seconds)")
        print(f"{'chars':>8} {'Chinese':>8} {'English':>8}")
        for length in lengths:
            r = rewrite_figures(length, repeat)
            print(f"{r['length']:>8.0f} {r['zh']:>8.3f} {r['en']:>8.3f}")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
