"""PDF output (WeasyPrint, the pdf extra) and the whole-document HTML redline it lays out.

These tests need WeasyPrint and a CJK font; the README's test command installs both
(``pip install -e '.[test,pdf]'`` and ``scripts/install-system-deps``), so they run, and
are never skipped, on a machine set up that way.
"""

from __future__ import annotations

import builtins
import io
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import TERMS, GitRepo, clause, manifest, run_cli
from termstool.app.workspace import Workspace

DOC = "terms/api-gateway/terms-of-service"


def fonts(reader: PdfReader) -> dict[str, bool]:
    """Every font the pages use: base name -> whether its program is embedded."""
    out: dict[str, bool] = {}
    for page in reader.pages:
        resources = page.get("/Resources")
        font_dict = resources.get_object().get("/Font") if resources else None
        for ref in (font_dict or {}).values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2",
                                                         "/FontFile3"))
            out[str(font.get("/BaseFont"))] = embedded
    return out


@pytest.fixture(scope="module")
def terms_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The full bilingual terms (both documents) rendered to PDF once."""
    root = tmp_path_factory.mktemp("pdf")
    shutil.copytree(TERMS, root / "terms")
    import os

    cwd = os.getcwd()
    os.chdir(root)
    try:
        code, _, err = run_cli("render", "-o", "terms.pdf")
    finally:
        os.chdir(cwd)
    assert code == 0, err
    return (root / "terms.pdf").read_bytes()


def test_pdf_embeds_its_fonts_and_holds_every_clause_number(terms_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(terms_pdf))
    used = fonts(reader)
    assert used and all(used.values()), used
    assert any("CJK" in name for name in used), used
    text = "\n".join(page.extract_text() for page in reader.pages)
    documents = Workspace.open(TERMS).documents().documents
    numbers = [c.number for d in documents for c in d.walk() if c.number]
    assert len(numbers) > 100
    missing = [n for n in numbers if n not in text]
    assert not missing
    assert "阿里云 API 网关服务条款" in text.replace("\n", "")
    # page numbers from the print CSS: "1 / N" at the foot of the first page
    assert f"1 / {len(reader.pages)}" in reader.pages[0].extract_text()


def _small(repo: GitRepo) -> None:
    d = "terms/tos/"
    repo.commit({d + "document.yaml": manifest(),
                 d + "01-a.md": clause("s1", "您应在30日内付款。", "You shall pay within 30 days."),
                 d + "02-b.md": clause("s2", "本条将删除。", "This clause goes."),
                 d + "03-c.md": clause("s3", "适用法律。", "Governing law.")})
    repo.commit({d + "document.yaml": manifest(version="2", announced="2021-10-01",
                                               effective="2021-11-01"),
                 d + "01-a.md": clause("s1", "您应在45日内付款。", "You shall pay within 45 days."),
                 d + "02-b.md": None,
                 d + "015-new.md": clause("s1a", "新增<script>条款。", "A <b>new</b> clause.")},
                when="2021-10-01T10:00:00+08:00")


class Sections(HTMLParser):
    """Collects the whole-document page: section ids in order, ins and del texts."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.stack: list[str] = []
        self.marked: dict[str, list[str]] = {"ins": [], "del": []}
        self.elements: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(tag)
        values = dict(attrs)
        if tag == "section" and "entry" in (values.get("class") or ""):
            self.sections.append(values.get("id") or "")
        if tag in ("ins", "del"):
            self.stack.append(tag)
            self.marked[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ins", "del") and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.marked[self.stack[-1]][-1] += data


def test_diff_full_shows_every_clause_in_order_with_changes_inline(repo: GitRepo) -> None:
    _small(repo)
    code, out, err = run_cli("diff", "HEAD~1", "HEAD", "--full", "-f", "html")
    assert code == 0, err
    page = Sections()
    page.feed(out)
    assert page.sections == ["tos--s1", "tos--was-s2", "tos--s1a", "tos--s3"]
    assert "30" in page.marked["del"] and "45" in page.marked["ins"]
    assert "本条将删除。" in "".join(page.marked["del"])
    assert "新增<script>条款。" in "".join(page.marked["ins"])  # escaped text, not markup
    assert "script" not in page.elements and "b" not in page.elements
    # printable in black and white: the marks are underline and strike-through
    assert "ins { background: var(--ins); color: var(--ins-ink); text-decoration: underline; }" \
        in out
    assert "text-decoration: line-through" in out


def test_diff_pdf_in_both_modes(repo: GitRepo) -> None:
    _small(repo)
    for extra in ((), ("--full",)):
        code, _, err = run_cli("diff", "HEAD~1", "HEAD", *extra, "-o", "r.pdf")
        assert code == 0, err
        reader = PdfReader(repo.root / "r.pdf")
        text = "".join(page.extract_text() for page in reader.pages)
        assert "45" in text and "本条将删除" in text.replace("\n", "")
        assert all(fonts(reader).values())


def test_missing_weasyprint_is_named_with_how_to_install_it(
        repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    _small(repo)
    real_import = builtins.__import__

    def without_weasyprint(name: str, *args: object, **kwargs: object) -> object:
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise ImportError("No module named 'weasyprint'")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", without_weasyprint)
    code, _, err = run_cli("render", "-o", "t.pdf")
    assert code == 2
    assert "WeasyPrint" in err and "pip install 'terms-tool[pdf]'" in err
    assert "fonts-noto-cjk" in err
    assert not (repo.root / "t.pdf").exists()


def test_missing_cjk_font_is_named(repo: GitRepo, monkeypatch: pytest.MonkeyPatch,
                                   tmp_path: Path) -> None:
    _small(repo)
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "fc-list").write_text("#!/bin/sh\nexit 0\n")
    (fake / "fc-list").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}:/usr/bin:/bin")
    code, _, err = run_cli("render", "-o", "t.pdf")
    assert code == 2
    assert "apt-get install fonts-noto-cjk" in err
