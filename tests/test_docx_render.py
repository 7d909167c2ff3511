"""`terms render -f docx`: a clean Word document of one version, checked in its XML.

Also converted by LibreOffice where it is installed (the test says why it skips where it
is not): ``libreoffice --headless --convert-to pdf`` must succeed and keep every clause
number.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.text.paragraph import Paragraph
from lxml import etree

from conftest import TOS, GitRepo, clause, manifest, run_cli
from termstool.app.workspace import Workspace
from termstool.format.word import EXPORT_NS, W_NS
from termstool.importer.docx_reader import read_docx

DOC = "terms/api-gateway/terms-of-service"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def part(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))


def style_name(paragraph: Paragraph) -> str:
    style = paragraph.style
    assert style is not None
    return str(style.name)


def found(element: etree._Element | None) -> etree._Element:
    """An element that must be there."""
    assert element is not None
    return element


@pytest.fixture
def exported(repo: GitRepo) -> bytes:
    shutil.copytree(TOS, repo.root / DOC)
    repo.commit(message="Terms 20210701")
    code, _, err = run_cli("render", DOC, "-o", "terms.docx")
    assert code == 0, err
    return (repo.root / "terms.docx").read_bytes()


def test_title_page_headings_numbers_and_bookmarks(exported: bytes, repo: GitRepo) -> None:
    document = docx.Document(io.BytesIO(exported))  # python-docx opens it
    texts = [p.text for p in document.paragraphs]
    assert texts[:5] == ["阿里云 API 网关服务条款", "Alibaba Cloud API Gateway Terms of Service",
                         "版本 Version 20210701", "公告日期 Announced 2021-06-01",
                         "生效日期 Effective 2021-07-01"]
    assert style_name(document.paragraphs[0]) == "Title"
    body = part(exported, "word/document.xml")
    loaded = Workspace.open(repo.root / DOC).documents().documents[0]
    # a bookmark per clause, named by its id; each opens the clause's first paragraph
    names = [b.get(w("name")) for b in body.iter(w("bookmarkStart"))]
    assert names == [c.id.replace("-", "_") for c in loaded.walk()]
    paragraphs = {p.text: p for p in document.paragraphs}
    # titled clauses are headings of their depth, with the computed number as text
    assert style_name(paragraphs["2.3.1\t先付费后使用："]) == "Heading 3"
    assert style_name(paragraphs["1\t服务内容"]) == "Heading 1"
    assert style_name(paragraphs["1\tService Content"]) == "Terms Title (en)"
    # cross-references link to the target clause's bookmark
    anchors = {h.get(w("anchor")) for h in body.iter(w("hyperlink"))}
    assert "s3" in anchors


def test_fonts_fields_and_export_data(exported: bytes) -> None:
    styles = part(exported, "word/styles.xml")
    defaults = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('rFonts')}")
    assert defaults is not None and defaults.get(w("eastAsia")) == "SimSun"
    zh_body = styles.find(f"{w('style')}[@{w('styleId')}='TermsBody-zh']")
    assert zh_body is not None
    assert found(zh_body.find(f"{w('rPr')}/{w('rFonts')}")).get(w("hint")) == "eastAsia"
    assert found(zh_body.find(f"{w('rPr')}/{w('lang')}")).get(w("eastAsia")) == "zh-CN"
    heading = styles.find(f"{w('style')}[@{w('styleId')}='Heading1']/{w('rPr')}/{w('rFonts')}")
    assert heading is not None and heading.get(w("eastAsia")) == "SimHei"
    body = part(exported, "word/document.xml")
    instructions = "".join(t.text or "" for t in body.iter(w("instrText")))
    assert "TOC \\o" in instructions
    footer = part(exported, "word/footer1.xml")
    assert [(t.text or "").strip() for t in footer.iter(w("instrText"))] == ["PAGE",
                                                                             "NUMPAGES"]
    settings = part(exported, "word/settings.xml")
    assert settings.find(w("trackRevisions")) is not None
    word = read_docx(exported)
    assert word.export is not None and word.export.kind == "render"
    assert word.export.documents[0].version == "20210701"
    names = zipfile.ZipFile(io.BytesIO(exported)).namelist()
    assert any(etree.fromstring(zipfile.ZipFile(io.BytesIO(exported)).read(n)).tag
               == f"{{{EXPORT_NS}}}export" for n in names if n.startswith("customXml/item")
               and "Props" not in n)


def test_the_clean_document_reads_back_as_the_rendered_text(exported: bytes,
                                                           repo: GitRepo) -> None:
    code, out, err = run_cli("render", DOC, "-f", "text", "--layout", "stacked")
    assert code == 0, err
    word = read_docx(exported)
    chunks = []
    for per_language in word.view("accept").clauses().values():
        for lang in ("zh", "en"):
            text = per_language.get(lang)
            if text is not None:
                shown = text.plain()
                chunks.append(f"{text.number}. {shown}" if text.number else shown)
    assert "\n\n".join(chunks) + "\n" == out.split("=" * 60 + "\n\n", 1)[1]
    assert word.revisions == ()


def test_parallel_layout_is_a_two_column_table(repo: GitRepo) -> None:
    shutil.copytree(TOS, repo.root / DOC)
    repo.commit(message="Terms 20210701")
    code, _, err = run_cli("render", DOC, "--layout", "parallel", "-o", "p.docx")
    assert code == 0, err
    document = docx.Document(str(repo.root / "p.docx"))
    table = document.tables[0]
    assert len(table.columns) == 2
    assert [c.text for c in table.rows[0].cells] == ["中文", "English"]
    assert table.rows[2].cells[0].text.startswith("1\t服务内容")
    assert table.rows[2].cells[1].text.startswith("1\tService Content")


def test_a_word_file_needs_a_file_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from termstool.cli.common import write_output
    from termstool.errors import UsageError

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdout", Terminal())
    with pytest.raises(UsageError, match="write it with -o FILE"):
        write_output(b"PK", None, False)


def test_libreoffice_converts_the_word_files(exported: bytes, repo: GitRepo,
                                            tmp_path: Path) -> None:
    """Run with LibreOffice installed (Debian: apt-get install libreoffice-writer-nogui)."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        print("LibreOffice is not installed: skipping the conversion check "
              "(Debian: apt-get install libreoffice-writer-nogui)")
        pytest.skip("LibreOffice (libreoffice or soffice) is not installed")
    code, _, err = run_cli("diff", "HEAD", DOC, "-o", "redline.docx")
    assert code == 0, err
    (tmp_path / "terms.docx").write_bytes(exported)
    shutil.copy(repo.root / "redline.docx", tmp_path / "redline.docx")
    profile = tmp_path / "profile"
    for name in ("terms.docx", "redline.docx"):
        result = subprocess.run(
            [office, f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / name)],
            capture_output=True, text=True, timeout=300, check=False)
        assert result.returncode == 0, result.stderr
        pdf = tmp_path / name.replace(".docx", ".pdf")
        assert pdf.is_file() and pdf.stat().st_size > 10_000, result.stdout + result.stderr
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "terms.pdf").pages)
    assert "3.2.11" in text and "阿里云" in text


def test_numbers_follow_the_documents_numbering_style(repo: GitRepo) -> None:
    d = "terms/tos/"
    repo.commit({d + "document.yaml": manifest(extra="numbering: chinese-article\n"),
                 d + "01-a.md": clause("s1", "第一条的内容。", "The first article."),
                 d + "02-b.md": clause("s2", "第二条的内容。", "The second article.")})
    code, _, err = run_cli("render", "-o", "t.docx")
    assert code == 0, err
    texts = [p.text for p in docx.Document(str(repo.root / "t.docx")).paragraphs]
    assert "第一条\t第一条的内容。" in texts and "第二条\t第二条的内容。" in texts
    repo.commit({d + "015-new.md": clause("s1a", "新增的内容。", "New.")})
    code, _, err = run_cli("diff", "HEAD~1", "HEAD", "-o", "r.docx")
    assert code == 0, err
    texts = [p.text for p in docx.Document(str(repo.root / "r.docx")).paragraphs]
    assert "第三条 [第二条]\t第二条的内容。" in texts  # renumbered: old number in brackets
    code, out, err = run_cli("diff", "HEAD~1", "HEAD", "--full", "-f", "html")
    assert code == 0, err
    assert '<span class="num">第三条</span> <span class="was">[第二条]</span>' in out


def test_two_exports_of_the_same_text_are_the_same_bytes(
        exported: bytes, repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """python-docx dates every part of the package with the clock; the parts are dated
    alike, so a second export, an hour later, is byte for byte the first."""
    import time
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)
    code, _, err = run_cli("render", DOC, "-o", "again.docx")
    assert code == 0, err
    assert (repo.root / "again.docx").read_bytes() == exported
    assert {info.date_time for info in zipfile.ZipFile(io.BytesIO(exported)).infolist()} \
        == {(1980, 1, 1, 0, 0, 0)}
    assert docx.Document(io.BytesIO(exported)).paragraphs  # still a Word document
