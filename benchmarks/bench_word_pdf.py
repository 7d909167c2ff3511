"""Benchmark Word and PDF output: prints figures; not a test, nothing is asserted.

    .venv/bin/python benchmarks/bench_word_pdf.py            # 1,000 clauses
    .venv/bin/python benchmarks/bench_word_pdf.py --clauses 250

For a synthetic bilingual document (about 150 Chinese characters and 40 English words per
clause, three levels deep) and a second version with 5 % of its clauses edited
(:func:`synthetic.mutate`), both loaded from disk: the Word redline of the two (whole
document, tracked changes, stacked), the clean Word document, and the PDF of the new
version (WeasyPrint; the pdf extra and a CJK font must be installed). Targets for 1,000
clauses: Word redline under 2 s, PDF under 10 s. Each figure is the median of a few runs
(PDF: one run unless --pdf-repeat says otherwise), given as wall-clock time and as the CPU
time of this process beside it: on a shared machine the wall-clock time grows with the
load, which is printed with the figures, and the CPU time much less.

Where headless Chromium is installed (Debian: ``chromium``), the same page is also printed
by it, for comparison only: terms does not use it. Both PDFs are then checked the way
tests/test_pdf.py checks ours: how many fonts are embedded as font programs, how many are
Type 3 (glyphs drawn as shapes, no font: Chromium does this to OpenType CFF fonts such
as Noto CJK), and how many Kangxi or CJK radicals appear in the extracted text of the
first pages (ideographs that a reader's search or copy gets wrong).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import make_document, mutate  # noqa: E402
from termstool.compare.clause_diff import diff_documents  # noqa: E402
from termstool.format.loader import load_documents  # noqa: E402
from termstool.model.document import Document  # noqa: E402
from termstool.render import RenderOptions  # noqa: E402
from termstool.render.document_docx import render_docx  # noqa: E402
from termstool.render.document_html import render_html  # noqa: E402
from termstool.render.document_pdf import document_pdf  # noqa: E402
from termstool.render.docx_writer import Revision  # noqa: E402
from termstool.render.full_redline import full_redline  # noqa: E402
from termstool.render.redline_docx import redline_docx, revisions_by  # noqa: E402
from termstool.storage.working_tree import working_tree  # noqa: E402

TARGET_DOCX = 2.0  # seconds, the Word redline of 1,000 clauses
TARGET_PDF = 10.0  # seconds, the PDF of 1,000 clauses

# Headless Chromium printing a local file without reaching any server: no first-run,
# sync, component updates or background requests, and a fresh profile every run.
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-pdf-header-footer")
CHECKED_PAGES = 10  # pages whose text is extracted to look for wrongly mapped ideographs


def median_time(func: Callable[[], object], repeat: int) -> float:
    """The median of ``repeat`` wall-clock timings, in seconds."""
    return timed(func, repeat)[0]


def _cpu() -> float:
    """CPU seconds of this process and of the programs it ran and waited for (fc-list)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def timed(func: Callable[[], object], repeat: int) -> tuple[float, float]:
    """The medians of ``repeat`` wall-clock and CPU timings (this process), in seconds."""
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), _cpu()
        func()
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def chromium_pdf(html: str, chromium: str) -> bytes:
    """The page printed to PDF by headless Chromium, from a private temporary directory."""
    with tempfile.TemporaryDirectory(prefix="terms-bench-pdf-") as tmp:
        page, out = Path(tmp) / "page.html", Path(tmp) / "page.pdf"
        page.write_text(html, encoding="utf-8")
        subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}",
                        f"--print-to-pdf={out}", page.as_uri()],
                       capture_output=True, timeout=600, check=True)
        return out.read_bytes()


def font_check(pdf: bytes) -> str:
    """Fonts embedded as programs, Type 3 fonts, and radicals in the extracted text."""
    reader = PdfReader(io.BytesIO(pdf))
    programs: set[str] = set()
    type3 = 0
    for page in reader.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources else None
        for ref in (fonts or {}).values():
            font = ref.get_object()
            if font.get("/Subtype") == "/Type3":
                type3 += 1
                continue
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                programs.add(str(font.get("/BaseFont")))
    text = "".join(page.extract_text() for page in reader.pages[:CHECKED_PAGES])
    # U+2E80-U+2FDF: CJK and Kangxi radicals, which share glyphs with common ideographs
    # (里 and ⾥); a PDF that maps the glyph back to the radical breaks search and copy.
    radicals = sum(1 for char in text if 0x2E80 <= ord(char) <= 0x2FDF)
    cjk = ", ".join(sorted(name for name in programs if "CJK" in name)) or "none"
    return (f"{len(programs)} fonts embedded (CJK: {cjk}), {type3} Type 3 font resources, "
            f"{radicals} radicals in the text of {min(CHECKED_PAGES, len(reader.pages))} pages")


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
    parser.add_argument("--chromium", default=shutil.which("chromium"),
                        help="Chromium to compare with (default: chromium on PATH; '' skips)")
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
        docx_clean = median_time(lambda: render_docx(new, RenderOptions(("zh", "en"), "stacked")),
                                 args.repeat)
        stacked, parallel = RenderOptions(layout="stacked"), RenderOptions(layout="parallel")
        start = time.perf_counter()
        import weasyprint  # noqa: F401  # the import, once per command, is timed apart
        imported = time.perf_counter() - start
        pdf_bytes: list[bytes] = []
        pdf = timed(lambda: pdf_bytes.append(document_pdf(new, stacked)), args.pdf_repeat)
        pdf_parallel = timed(lambda: document_pdf(new, parallel), args.pdf_repeat)
        chromium_bytes: list[bytes] = []
        if args.chromium:  # the page the PDF is made from, for print
            html = render_html(new, stacked, for_print=True)
            html_parallel = render_html(new, parallel, for_print=True)
            chromium = timed(lambda: chromium_bytes.append(
                chromium_pdf(html, args.chromium)), args.pdf_repeat)
            chromium_parallel = timed(lambda: chromium_pdf(html_parallel, args.chromium),
                                      args.pdf_repeat)
    averages = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"Word and PDF output, synthetic bilingual document of {count} clauses "
          f"({changed} edited in the new version)")
    print(f"load average {averages} (1 / 5 / 15 min) on {os.cpu_count()} cores\n")
    print(f"{'what':<44} {'wall s':>7} {'CPU s':>7} {'KiB':>6} {'pages':>6}")
    print(f"{'Word redline (whole document, tracked)':<44} {docx_redline:>7.3f} "
          f"{'':>7} {len(data) / 1024:>6.0f}")
    print(f"{'Word document of one version':<44} {docx_clean:>7.3f}")
    print(f"{'import WeasyPrint (once per command)':<44} {imported:>7.3f}")
    pages = len(PdfReader(io.BytesIO(pdf_bytes[0])).pages)
    print(f"{'PDF of one version (stacked, the default)':<44} {pdf[0]:>7.3f} {pdf[1]:>7.3f} "
          f"{len(pdf_bytes[0]) / 1024:>6.0f} {pages:>6}")
    print(f"{'PDF of one version (--layout parallel)':<44} {pdf_parallel[0]:>7.3f} "
          f"{pdf_parallel[1]:>7.3f}")
    if chromium_bytes:
        # No CPU time: Chromium's renderers are not this process's children to count.
        print(f"{'Chromium print to PDF, stacked (comparison)':<44} {chromium[0]:>7.3f} "
              f"{'':>7} {len(chromium_bytes[0]) / 1024:>6.0f}")
        print(f"{'Chromium print to PDF, parallel (comparison)':<44} "
              f"{chromium_parallel[0]:>7.3f}")
    print(f"\nWeasyPrint PDF: {font_check(pdf_bytes[0])}")
    if chromium_bytes:
        print(f"Chromium PDF: {font_check(chromium_bytes[0])}")
    docx_verdict = "meets" if docx_redline < TARGET_DOCX else "MISSES"
    pdf_verdict = "meets" if min(pdf) < TARGET_PDF else "MISSES"
    print(f"\nWord redline {docx_verdict} the target of {TARGET_DOCX:.0f} s; "
          f"PDF {pdf_verdict} the target of {TARGET_PDF:.0f} s (stacked, CPU time where the "
          f"load makes the wall-clock time longer).")


if __name__ == "__main__":
    main()
