"""Benchmark Word and PDF output: prints figures; not a test, nothing is asserted.

    .venv/bin/python benchmarks/bench_word_pdf.py            # 1,000 clauses
    .venv/bin/python benchmarks/bench_word_pdf.py --clauses 250

For a synthetic bilingual document (about 150 Chinese characters and 40 English words per
clause, three levels deep) and a second version with 5 % of its clauses edited
(:func:`synthetic.mutate`), both loaded from disk: the Word redline of the two (whole
document, tracked changes, stacked), the clean Word document, and the PDF of the new
version (WeasyPrint; the pdf extra and a CJK font must be installed). Targets for 1,000
clauses: Word redline under 2 s, PDF under 10 s. Each figure is the median of a few runs
(PDF: one run unless --repeat says otherwise).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import make_document, mutate  # noqa: E402
from termstool.compare.clause_diff import diff_documents  # noqa: E402
from termstool.format.loader import load_documents  # noqa: E402
from termstool.model.document import Document  # noqa: E402
from termstool.render import RenderOptions  # noqa: E402
from termstool.render.document_docx import render_docx  # noqa: E402
from termstool.render.document_html import render_html  # noqa: E402
from termstool.render.docx_writer import Revision  # noqa: E402
from termstool.render.full_redline import full_redline  # noqa: E402
from termstool.render.pdf import html_to_pdf  # noqa: E402
from termstool.render.redline_docx import redline_docx, revisions_by  # noqa: E402
from termstool.storage.working_tree import working_tree  # noqa: E402

TARGET_DOCX = 2.0  # seconds, the Word redline of 1,000 clauses
TARGET_PDF = 10.0  # seconds, the PDF of 1,000 clauses


def median_time(func: Callable[[], object], repeat: int) -> float:
    """The median of ``repeat`` wall-clock timings, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def load(root: Path) -> list[Document]:
    """The documents under ``root/terms``."""
    return list(load_documents(working_tree(root)).documents)


def redline(old: list[Document], new: list[Document]) -> bytes:
    """What `terms diff OLD NEW -o redline.docx` computes after loading both sides."""
    languages = ("zh", "en")
    compared = diff_documents(old, new, ref_from="old", ref_to="new")
    full = full_redline(old, new, languages, redline=compared)
    revision = Revision("terms", dt.datetime(2021, 10, 1, tzinfo=dt.UTC))
    return redline_docx(full, revisions_by(revision))


def main() -> None:
    """Measure and print a table and the verdicts against the targets."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clauses", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per Word figure")
    parser.add_argument("--pdf-repeat", type=int, default=1, help="runs of the PDF")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old_root, new_root = Path(tmp) / "old", Path(tmp) / "new"
        make_document(old_root, args.clauses)
        shutil.copytree(old_root, new_root)
        changed = mutate(new_root, 0.05)
        old, new = load(old_root), load(new_root)
        count = sum(1 for _ in new[0].walk())
        data = redline(old, new)
        docx_redline = median_time(lambda: redline(old, new), args.repeat)
        docx_clean = median_time(lambda: render_docx(new, RenderOptions(layout="stacked")),
                                 args.repeat)
        html = render_html(new, RenderOptions(layout="stacked"))
        pdf_bytes: list[bytes] = []
        pdf = median_time(lambda: pdf_bytes.append(html_to_pdf(html)), args.pdf_repeat)
        html_parallel = render_html(new, RenderOptions(layout="parallel"))
        pdf_parallel = median_time(lambda: html_to_pdf(html_parallel), args.pdf_repeat)
    print(f"Word and PDF output, synthetic bilingual document of {count} clauses "
          f"({changed} edited in the new version); seconds")
    print(f"{'what':<44} {'seconds':>8} {'size KiB':>9}")
    print(f"{'Word redline (whole document, tracked)':<44} {docx_redline:>8.3f} "
          f"{len(data) / 1024:>9.0f}")
    print(f"{'Word document of one version':<44} {docx_clean:>8.3f}")
    print(f"{'PDF of one version (stacked, the default)':<44} {pdf:>8.3f} "
          f"{len(pdf_bytes[0]) / 1024:>9.0f}")
    print(f"{'PDF of one version (--layout parallel)':<44} {pdf_parallel:>8.3f}")
    docx_verdict = "meets" if docx_redline < TARGET_DOCX else "MISSES"
    pdf_verdict = "meets" if pdf < TARGET_PDF else "MISSES"
    print(f"\nWord redline {docx_verdict} the target of {TARGET_DOCX:.0f} s; "
          f"PDF {pdf_verdict} the target of {TARGET_PDF:.0f} s.")


if __name__ == "__main__":
    main()
