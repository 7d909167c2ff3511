"""Benchmark `terms render`: prints figures; not a test, nothing is asserted.

    .venv/bin/python benchmarks/bench_render.py            # 1,000 clauses, and 250 to 4,000
    .venv/bin/python benchmarks/bench_render.py --quick    # 1,000 clauses only

For a synthetic bilingual document (about 150 Chinese characters and 40 English words per
clause, three levels deep) written to a temporary directory: the time to load it from
the working tree (read, parse, number, check references), to render it to HTML, Markdown
and text, and of the whole command in a fresh process (`terms render -f html -o FILE`).
Target: HTML of 1,000 clauses in under 1 s. Each figure is the median of
several runs; loads are cold (the parse cache is cleared) as in a fresh process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import make_document  # noqa: E402
from termstool.format.clause_file import parse_clause_data  # noqa: E402
from termstool.format.loader import load_documents  # noqa: E402
from termstool.model.document import Document  # noqa: E402
from termstool.render import RenderOptions  # noqa: E402
from termstool.render.document_html import render_html  # noqa: E402
from termstool.render.document_markdown import render_markdown  # noqa: E402
from termstool.render.document_text import render_text  # noqa: E402
from termstool.storage.working_tree import working_tree  # noqa: E402

TERMS = str(Path(sys.executable).with_name("terms"))
TARGET_HTML = 1.0  # seconds, for 1,000 clauses


def median_time(func: Callable[[], object], repeat: int) -> float:
    """The median of ``repeat`` wall-clock timings, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def load(root: Path) -> list[Document]:
    """Load the synthetic document cold: as a fresh `terms render` process does."""
    parse_clause_data.cache_clear()
    loaded = load_documents(working_tree(root))
    return list(loaded.documents)


def measure(base: Path, clauses: int, repeat: int) -> dict[str, float]:
    """Every figure for one document size, written under ``base``."""
    root = base / f"doc-{clauses}"
    make_document(root, clauses)
    documents = load(root)
    count = sum(1 for _ in documents[0].walk())
    options = RenderOptions(layout="parallel")
    html = render_html(documents, options)
    out = root / "out.html"
    command = [TERMS, "render", "terms", "-f", "html", "-o", str(out)]
    env = {**os.environ, "NO_COLOR": "1"}
    return {
        "clauses": count,
        "load": median_time(lambda: load(root), repeat),
        "html": median_time(lambda: render_html(documents, options), repeat),
        "html_stacked": median_time(
            lambda: render_html(documents, RenderOptions(layout="stacked")), repeat),
        "markdown": median_time(lambda: render_markdown(documents, RenderOptions(
            layout="stacked")), repeat),
        "text": median_time(lambda: render_text(documents, RenderOptions(layout="stacked")),
                            repeat),
        "command": median_time(lambda: subprocess.run(command, cwd=root, env=env, check=True,
                                                      capture_output=True), repeat),
        "kib": len(html.encode()) / 1024,
    }


def main() -> None:
    """Measure each size and print a table and the verdict against the target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="1,000 clauses only")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    args = parser.parse_args()
    sizes = [1000] if args.quick else [250, 1000, 2000, 4000]
    print(f"terms render, synthetic bilingual document; median of {args.repeat} runs, seconds")
    print(f"{'clauses':>8} {'load':>7} {'html':>7} {'html-st':>7} {'md':>7} {'text':>7} "
          f"{'command':>8} {'html KiB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        figures = {}
        for size in sizes:
            f = measure(Path(tmp), size, args.repeat)
            figures[size] = f
            print(f"{f['clauses']:>8.0f} {f['load']:>7.3f} {f['html']:>7.3f} "
                  f"{f['html_stacked']:>7.3f} {f['markdown']:>7.3f} {f['text']:>7.3f} "
                  f"{f['command']:>8.3f} {f['kib']:>9.0f}")
    at = figures[1000]
    verdict = "meets" if at["html"] < TARGET_HTML and at["command"] < TARGET_HTML else "MISSES"
    print(f"\n1,000 clauses: load {at['load']:.3f} s + HTML {at['html']:.3f} s; whole command "
          f"{at['command']:.3f} s; {verdict} the target of {TARGET_HTML:.0f} s.")


if __name__ == "__main__":
    main()
