"""Importing every numbering style, from plain text (UTF-8, GB18030, Big5), HTML and Word.

Each document in tests/data/import/ is written for one style (two mix styles). Each is
imported, its outline compared with the numbers the source writes, its text checked
against the source character by character, rendered, and the rendering imported again:
nothing may change.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph

from conftest import SEED, GitRepo, run_cli
from termstool.errors import UnreadableInput
from termstool.format.commonmark import to_plain
from termstool.format.loader import load_documents
from termstool.importer.numbering import is_list_item, parse_token
from termstool.importer.sources import read_source
from termstool.importer.text_source import SourceDocument, parse_source
from termstool.model.document import Document
from termstool.storage.working_tree import working_tree

DATA = Path(__file__).parent / "data" / "import"
INTO = "terms/doc"

SECTIONS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]
ARTICLES = [f"第{n}条" for n in [*SECTIONS, "十二"]]
# document, its numbering style, and the numbers it writes (as it writes them, folded to
# half width), in order
STYLES = [
    ("decimal-dotted.txt", "decimal",
     ["1", "1.1", "1.2", "2", "2.1", "2.2", "3", "3.1", "3.2", "3.3"]),
    ("decimal-bare.txt", "decimal", ["1", "1.1", "1.2", "2", "2.1", "2.1.1", "2.1.2", "2.2"]),
    ("decimal-nospace.txt", "decimal",
     ["1", "1.1", "1.2", "1.3", "1.3.1", "1.3.2", "1.3.2.1", "1.3.2.2", "2", "2.1"]),
    ("fullwidth.txt", "decimal", ["1", "1.1", "1.2", "2", "2.1", "2.2"]),
    ("chinese-article.txt", "chinese-article", ARTICLES),
    ("chinese-article-digits.txt", "chinese-article-digits", ["第1条", "第2条", "第3条", "第4条"]),
    ("chinese-section.txt", "chinese-section", SECTIONS),
    ("traditional.txt", "chinese-article-traditional", ["第一條", "第二條", "第三條", "第四條"]),
    ("mixed-section.txt", "chinese-section",
     ["一", "1.1", "1.2", "二", "2.1", "三", "3.1", "3.2", "3.2.1", "3.2.1.1", "3.2.1.2",
      "3.2.2", "3.3"]),
    ("mixed-article.txt", "chinese-article",
     ["第一条", "1.1", "1.2", "第二条", "2.1", "2.2", "第三条"]),
]


def fold(text: str) -> str:
    """Full-width digits and dots as ASCII: "１．２" is the number 1.2."""
    return unicodedata.normalize("NFKC", text)


def outline_labels(path: str) -> list[str]:
    code, out, _ = run_cli("outline", path, "--format", "json")
    assert code == 0
    return [c["label"] for c in json.loads(out)["documents"][0]["clauses"] if c["number"]]


def document(root: Path, path: str = INTO) -> Document:
    return load_documents(working_tree(root), path).documents[0]


def clause_files(root: Path, path: str = INTO) -> dict[str, str]:
    base = root / path
    return {p.relative_to(base).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(base.rglob("*.md"))}


def assert_faithful(lines: Sequence[str], source: SourceDocument, imported: Document) -> None:
    """Every character of the source is in the clause files, or its line was reported as
    dropped; clause numbers are the only other thing taken out of the text."""
    dropped = {d.line for d in source.dropped}
    starts = {c.line: c.written for c in source.clauses if c.number}
    kept: list[str] = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or number in dropped:
            continue
        if number in starts:
            assert text.startswith(starts[number]), (number, text)
            text = text[len(starts[number]):].lstrip(".．、 ")
        kept.append(text)
    numbers = {c.id: c.number for c in imported.walk()}
    stored = "".join(to_plain(c.title.get("zh"), {}) + to_plain(c.body.get("zh"), numbers)
                     for c in imported.walk())
    assert re.sub(r"\s+", "", "".join(kept)) == re.sub(r"\s+", "", stored)


# ---------------------------------------------------------------- one document per style


@pytest.mark.parametrize(("name", "style", "numbers"), STYLES, ids=[s[0] for s in STYLES])
def test_each_style_imports_renders_and_imports_again_unchanged(
        repo: GitRepo, tmp_path: Path, name: str, style: str, numbers: list[str]) -> None:
    path = DATA / name
    source = parse_source(path.read_bytes(), str(path))
    assert [fold(c.written) for c in source.clauses if c.number] == numbers
    assert source.numbering == style

    code, out, err = run_cli("import", str(path), "--into", INTO, "--version", "20210701")
    assert code == 0, err
    assert outline_labels(INTO) == numbers  # the outline writes the source's numbers
    manifest = (repo.root / INTO / "document.yaml").read_text(encoding="utf-8")
    assert (f"numbering: {style}" in manifest) == (style != "decimal")
    assert_faithful(path.read_text(encoding="utf-8").split("\n"), source, document(repo.root))
    assert run_cli("check", INTO)[0] == 0
    repo.commit(message="import")
    ids = [(c.number, c.id) for c in document(repo.root).walk()]

    code, rendered, _ = run_cli("render", INTO, "--lang", "zh", "--format", "text")
    assert code == 0
    again = tmp_path / "rendered.txt"
    again.write_text(rendered, encoding="utf-8")
    reparsed = parse_source(again.read_bytes(), str(again))
    assert [c.written for c in reparsed.clauses if c.number] == numbers
    assert_faithful(rendered.split("\n"), reparsed, document(repo.root))
    code, out, err = run_cli("import", str(again), "--into", INTO)
    assert code == 0, err
    assert "wrote 0 files" in out and err == ""
    assert repo.git("status", "--porcelain") == ""
    assert [(c.number, c.id) for c in document(repo.root).walk()] == ids

    code, out, err = run_cli("import", str(path), "--into", INTO)  # the source, again
    assert code == 0 and "wrote 0 files" in out and err == "", err


def test_the_dry_run_prints_the_sources_numbers_and_dropped_lines_and_writes_nothing(
        repo: GitRepo) -> None:
    code, out, err = run_cli("import", str(DATA / "decimal-dotted.txt"), "--dry-run")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "would create: 11 clauses, 10 numbered, numbering: decimal"
    assert "title: 通用服务条款" in lines and "version: 20210701" in lines
    outline = [m.groups() for line in lines
               if (m := re.match(r"^( *)(\S+)  (.*)  line (\d+)$", line))]
    assert outline[:4] == [
        ("", "·", "【审慎阅读】您在申请注册流程中点击同意本条款之前…", "3"),
        ("", "1", "服务内容", "6"),
        ("  ", "1.1", "本条款中的“服务”指云计算服务，具体以官网展示为…", "7"),
        ("  ", "1.2", "您可以通过官网开通服务，开通后即可使用。", "9")]
    assert [number for _, number, _, _ in outline[1:]] == STYLES[0][2]
    assert "dropped 2 lines:" in lines
    assert "  line 1: 通用服务条款  (document title)" in lines
    assert "  line 27: 文档版本：20210701  (version line)" in lines
    assert lines[-1] == "Nothing was written (--dry-run)."
    assert repo.git("status", "--porcelain", "--untracked-files=all") == ""

    code, out, _ = run_cli("import", str(DATA / "mixed-section.txt"), "--dry-run")
    numbers = [line.split()[0] for line in out.splitlines() if "  line " in line]
    assert numbers == ["一、", "1.1", "1.2", "二、", "2.1", "三、", "3.1", "3.2", "3.2.1",
                       "3.2.1.1", "3.2.1.2", "3.2.2", "3.3"]


def test_a_dry_run_onto_a_document_says_what_would_change(repo: GitRepo, tmp_path: Path) -> None:
    path = DATA / "mixed-article.txt"
    assert run_cli("import", str(path), "--into", INTO, "--version", "1",
                   "--effective", "2021-07-01")[0] == 0
    repo.commit(message="import")
    edited = tmp_path / "edited.txt"
    edited.write_text(path.read_text(encoding="utf-8").replace("第三条 其他", "第三条 附则"),
                      encoding="utf-8")
    before = clause_files(repo.root)
    code, out, err = run_cli("import", str(edited), "--into", INTO, "--dry-run")
    assert code == 0, err
    assert out.startswith(f"would update {repo.root / INTO}: 7 clauses")
    assert "authoritative text changed: 1  s3" in out
    assert clause_files(repo.root) == before


def test_import_without_into_is_a_usage_error(repo: GitRepo) -> None:
    code, out, err = run_cli("import", str(DATA / "mixed-article.txt"))
    assert code == 2 and out == "" and "--into is needed" in err


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize(("name", "encoding", "shown"), [
    ("chinese-article.txt", "gb18030", "GB18030"), ("traditional.txt", "big5", "Big5"),
    ("traditional.txt", "utf-8", "UTF-8"), ("mixed-section.txt", "gb18030", "GB18030")])
def test_gb18030_and_big5_texts_import_like_utf8_and_the_encoding_is_reported(
        repo: GitRepo, tmp_path: Path, name: str, encoding: str, shown: str) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    encoded = tmp_path / name
    encoded.write_bytes(text.encode(encoding))
    code, out, err = run_cli("import", str(encoded), "--into", "terms/encoded",
                             "--version", "1", "--effective", "2021-07-01")
    assert code == 0, err
    assert f"read {encoded} as {shown} text" in out
    assert run_cli("import", str(DATA / name), "--into", INTO, "--version", "1",
                   "--effective", "2021-07-01")[0] == 0
    assert clause_files(repo.root, "terms/encoded") == clause_files(repo.root)
    code, out, _ = run_cli("import", str(encoded), "--dry-run")
    assert f"as {shown} text" in out


# ---------------------------------------------------------------- what starts a clause


@pytest.mark.parametrize("line", [
    "2021. 年度结算日", "2021.07.01起", "0.05% 支付违约金", "0.05%", "3.5倍", "１０％", "V1.3，自",
    "v2.0 版本", "12月起", "7日内应续费", "第3.1条约定", "如上第3.1条", "（一）预付费", "(1) 散布",
    "1) 散布", "a. 包括", "【审慎阅读】您在", "通用服务条款", "一二、", "十百、", "Articles 3",
    "Article 0"])
def test_what_never_starts_a_clause(line: str) -> None:
    assert parse_token(line) is None


@pytest.mark.parametrize(("line", "kind", "parts", "rest", "spaced"), [
    ("1 服务内容", "decimal", (1,), "服务内容", True),
    ("1. 服务内容", "decimal", (1,), "服务内容", True),
    ("1.1 您应", "decimal", (1, 1), "您应", True),
    ("1.1. 您应", "decimal", (1, 1), "您应", True),
    ("7.3.2.1. 您应", "decimal", (7, 3, 2, 1), "您应", True),
    ("7.1.您自开通之日起", "decimal", (7, 1), "您自开通之日起", True),
    ("7.1您自开通之日起", "decimal", (7, 1), "您自开通之日起", False),
    ("１．２ 价格", "decimal", (1, 2), "价格", True),
    ("1、服务", "decimal", (1,), "服务", True),
    ("第一条 服务项目", "article", (1,), "服务项目", True),
    ("第十二条", "article", (12,), "", True),
    ("第1条 总则", "article", (1,), "总则", True),
    ("第一百零一條 附則", "article", (101,), "附則", True),
    ("第三条规定的", "article", (3,), "规定的", False),
    ("Article 12. Fees", "article", (12,), "Fees", True),
    ("一、账户", "section", (1,), "账户", True),
    ("十一、其他", "section", (11,), "其他", True)])
def test_clause_numbers_in_every_style(line: str, kind: str, parts: tuple[int, ...], rest: str,
                                       spaced: bool) -> None:
    token = parse_token(line)
    assert token is not None
    assert (token.kind, token.parts, token.rest, token.spaced) == (kind, parts, rest, spaced)


@pytest.mark.parametrize(("line", "item"), [
    ("（一）不得", True), ("(一) 不得", True), ("（1）不得", True), ("(1) 不得", True),
    ("1) 不得", True), ("1）不得", True), ("a. 包括", True), ("b) 包括", True), ("① 包括", True),
    ("1. 注销", True), ("一、信息", True), ("1.1 您应", False), ("您应", False),
    ("第一条 服务", False), ("a.m. 开始", False)])
def test_list_items(line: str, item: bool) -> None:
    assert is_list_item(line) is item


def test_list_items_stay_in_their_clause_one_paragraph_each() -> None:
    source = parse_source((DATA / "decimal-dotted.txt").read_bytes(), "d.txt")
    clause = {c.number: c for c in source.clauses}["3.2"]
    assert clause.title == "您承诺不从事以下行为："
    assert clause.paragraphs == ("(1) 散布垃圾邮件；", "(2) 攻击他人网络；", "a. 包括拒绝服务攻击；",
                                 "b. 包括端口扫描。")
    article = parse_source((DATA / "chinese-article.txt").read_bytes(), "a.txt")
    ninth = {c.number: c for c in article.clauses}["9"]
    assert ninth.paragraphs == ("您可随时停止使用服务：", "1. 在控制台注销账户；", "2. 结清全部费用。")
    # A year, an amount and a version at the start of a wrapped line stay in the sentence.
    first = {c.number: c for c in source.clauses}
    assert first["1.1"].paragraphs[0].endswith("本条款版本号为V1.3，自2021年7月1日起适用。")
    assert "每日按未付金额的0.05% 支付违约金" in first["2.1"].paragraphs[0]
    assert "暂停期间自2021. 年度结算日起" in first["3.3"].paragraphs[0]
    # 【审慎阅读】 leads into the preamble's paragraph; it is not a heading.
    assert source.clauses[0].number == "" and \
        source.clauses[0].paragraphs[0].startswith("【审慎阅读】您在申请注册流程中")


def test_a_reference_at_the_start_of_a_wrapped_line_is_text() -> None:
    text = "第一条 双方应当依照本协议\n第三条规定的方式付款。\n第二条 乙。\n第三条 丙。\n"
    source = parse_source(text.encode(), "t.txt")
    assert [(c.written, c.paragraphs) for c in source.clauses] == [
        ("第一条", ("第三条规定的方式付款。",)), ("第二条", ("乙。",)), ("第三条", ("丙。",))]


def test_an_unnumbered_heading_inside_the_text_stays_in_it() -> None:
    source = parse_source("1. 甲。\n2. 乙。\n\n补充条款\n\n3. 丙。\n".encode(), "t.txt")
    assert [(c.number, c.paragraphs) for c in source.clauses] == [
        ("1", ("甲。",)), ("2", ("乙。", "补充条款")), ("3", ("丙。",))]
    assert source.dropped == ()


@pytest.mark.parametrize(("text", "says"), [
    ("1. 甲。\n2. 乙。\n3. 丙。\n\n2. 又是乙。\n4. 丁。\n",
     "t.txt:5: numbering goes back from 3 to 2"),
    ("1. 甲。\n1.1 乙。\n1.1 乙乙。\n", "t.txt:3: numbering goes back from 1.1 to 1.1"),
    ("第一条 甲。\n第二条 乙。\n第四条 丁。\n", "t.txt:3: numbering jumps from 第二条 to 第四条"),
    ("第一条 甲。\n第二条 乙。\n第三条 丙。\n第二条 乙。\n",
     "t.txt:4: numbering goes back from 第三条 to 第二条"),
    ("一、总则\n1.1 甲。\n1.2 乙。\n二、分则\n1.1 丙。\n", "t.txt:5: numbering goes back from 二、 to 1.1"),
    ("一、总则\n1.1 甲。\n三、分则\n3.1 丙。\n", "t.txt:3: numbering jumps from 1.1 to 三、"),
    ("本协议。\n再无编号。\n", "t.txt: no numbered clauses found")])
def test_numbers_that_go_back_or_skip_are_reported_with_their_line(text: str,
                                                                    says: str) -> None:
    with pytest.raises(UnreadableInput) as caught:
        parse_source(text.encode(), "t.txt")
    assert str(caught.value).startswith(says)


# ---------------------------------------------------------------- HTML and Word


SMALL = DATA / "decimal-dotted.txt"


def in_list(paragraph: Paragraph, num_id: int, level: int) -> None:
    """Put a Word paragraph in list ``num_id`` at ``level``: Word numbers it, not the text."""
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/>'
        '</w:numPr>'))


def small_docx(path: Path, *, emphasis: bool = False) -> None:
    """decimal-dotted.txt as a Word file whose clause numbers are Word list numbering."""
    document_ = docx.Document()
    numbering = next(rel.target_part.element for rel in document_.part.rels.values()
                     if rel.reltype.endswith("/numbering"))
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:lvlText w:val="{text}"/><w:suff w:val="space"/></w:lvl>'
        for i, text in enumerate(("%1.", "%1.%2.")))
    numbering.find(qn("w:num")).addprevious(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90">'
                               '<w:abstractNumId w:val="90"/></w:num>'))
    source = parse_source(SMALL.read_bytes(), str(SMALL))

    def paragraph(text: str, level: int | None = None) -> None:
        p = document_.add_paragraph()
        if emphasis and text.startswith("【审慎阅读】"):
            p.add_run("【审慎阅读】").bold = True
            text = text.removeprefix("【审慎阅读】")
        p.add_run(text)
        if level is not None:
            in_list(p, 90, level)

    paragraph(str(source.title))
    for clause in source.clauses:
        level = clause.number.count(".") if clause.number else None
        parts = [clause.title] if clause.title else []
        parts += clause.paragraphs
        paragraph(parts[0], level)
        for part in parts[1:]:
            paragraph(part)
    paragraph("文档版本：20210701")
    document_.save(str(path))


SMALL_HTML = """<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>通用服务条款 - 阿里云</title>
<style>p {{ margin: 0 }}</style>
<script>var notice = "1. 这不是条款";</script></head>
<body>
<header><a href="/">阿里云</a> 首页</header>
<nav><ul><li><a href="/products">产品</a></li><li>定价</li></ul></nav>
<main>
<h1>通用服务条款</h1>
<p>{preamble}</p>
{clauses}
<p>文档版本：20210701</p>
</main>
<footer>© 2021 阿里云 版权所有</footer>
</body></html>
"""


def small_html(*, emphasis: bool = False) -> str:
    """decimal-dotted.txt as a web page: headings, paragraphs, page furniture."""
    source = parse_source(SMALL.read_bytes(), str(SMALL))
    parts = []
    for clause in source.clauses[1:]:
        written = clause.written + ". "
        if clause.title and not clause.paragraphs:
            parts.append(f"<h2>{written}{clause.title}</h2>")
            continue
        first = [clause.title] if clause.title else []
        rest = [*first, *clause.paragraphs]
        parts.append(f"<p>{written}{rest[0]}</p>")
        parts += [f"<p>{text}</p>" for text in rest[1:]]
    preamble = source.clauses[0].paragraphs[0]
    if emphasis:
        preamble = preamble.replace("【审慎阅读】", "<strong>【审慎阅读】</strong>")
        preamble = preamble.replace("免除或者限制责任的条款", "<u>免除或者限制责任的条款</u>")
    # wrapped like a hand-written page: a line break between two Chinese characters
    preamble = preamble.replace("请您务必", "请您\n务必")
    return SMALL_HTML.format(preamble=preamble, clauses="\n".join(parts))


def test_an_html_page_and_a_word_file_import_to_the_same_clause_files_as_the_text(
        repo: GitRepo, tmp_path: Path) -> None:
    page, word = tmp_path / "terms.html", tmp_path / "terms.docx"
    page.write_text(small_html(), encoding="utf-8")
    small_docx(word)
    results = {}
    for name, path in (("text", SMALL), ("html", page), ("word", word)):
        code, out, err = run_cli("import", str(path), "--into", f"terms/{name}", "--id", "doc")
        assert code == 0, err
        results[name] = clause_files(repo.root, f"terms/{name}")
        manifest = (repo.root / "terms" / name / "document.yaml").read_text(encoding="utf-8")
        assert "zh: 通用服务条款" in manifest and 'version: "20210701"' in manifest
    assert len(results["text"]) == 11
    assert results["html"] == results["text"]
    assert results["word"] == results["text"]
    assert "read" in out and "as Word (.docx)" in out

    code, out, _ = run_cli("import", str(page), "--dry-run")
    assert "read " + str(page) + " as HTML (utf-8)" in out
    for line in ("  line 6: 阿里云 首页  (page header)", "  line 7: 产品  (navigation)",
                 "  line 7: 定价  (navigation)", "  line 9: 通用服务条款  (document title)",
                 "  line 28: 文档版本：20210701  (version line)",
                 "  line 30: © 2021 阿里云 版权所有  (page footer)"):
        assert line in out.splitlines(), out
    assert "这不是条款" not in out and "margin" not in out


def test_emphasis_and_links_are_kept_as_markdown(repo: GitRepo, tmp_path: Path) -> None:
    page = tmp_path / "terms.html"
    page.write_text(small_html(emphasis=True).replace(
        "具体以官网展示为准", '具体以<a href="https://www.aliyun.com/terms">官网</a>展示为准')
        .replace("逾期未付的", '<a href="#late">逾期</a>未付的'), encoding="utf-8")
    assert run_cli("import", str(page), "--into", INTO, "--id", "doc")[0] == 0
    imported = document(repo.root)
    preamble = imported.clause("preamble")
    assert preamble is not None
    assert preamble.body.get("zh").startswith("【**审慎阅读**】您在申请注册流程中")
    assert "特别是*免除或者限制责任的条款*。" in preamble.body.get("zh")
    first = imported.clause("s1-1")
    assert first is not None and "具体以[官网](https://www.aliyun.com/terms)展示为准" in \
        first.body.get("zh")
    second = imported.clause("s2-1")
    assert second is not None and "逾期未付的" in second.body.get("zh")  # a link on the page
    code, out, _ = run_cli("render", INTO, "--lang", "zh", "--format", "html")
    assert "【<strong>审慎阅读</strong>】" in out and "<em>免除或者限制责任的条款</em>" in out
    assert '<a href="https://www.aliyun.com/terms">官网</a>' in out
    assert run_cli("check", INTO)[0] == 0
    repo.commit(message="import")
    code, out, err = run_cli("import", str(page), "--into", INTO)
    assert code == 0 and "wrote 0 files" in out, err

    word = tmp_path / "terms.docx"
    small_docx(word, emphasis=True)
    assert run_cli("import", str(word), "--into", "terms/word", "--id", "doc")[0] == 0
    body = document(repo.root, "terms/word").clause("preamble")
    assert body is not None and body.body.get("zh").startswith("【**审慎阅读**】您在")


def test_word_tracked_changes_are_refused_naming_the_paragraph(repo: GitRepo,
                                                               tmp_path: Path) -> None:
    word = tmp_path / "terms.docx"
    small_docx(word)
    changed = docx.Document(str(word))
    paragraph = changed.paragraphs[3]
    paragraph._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="1" w:author="法务" w:date="2021-06-01T00:00:00Z">'
        '<w:r><w:t>新增文字</w:t></w:r></w:ins>'))
    changed.save(str(word))
    code, out, err = run_cli("import", str(word), "--into", INTO)
    assert code == 2 and out == ""
    assert err.startswith(f"error: {word}:4: the file has tracked changes: accept or reject")
    assert not (repo.root / INTO).exists()


def test_word_numbering_in_chinese_articles(repo: GitRepo, tmp_path: Path) -> None:
    document_ = docx.Document()
    numbering = next(rel.target_part.element for rel in document_.part.rels.values()
                     if rel.reltype.endswith("/numbering"))
    numbering.find(qn("w:num")).addprevious(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91"><w:lvl w:ilvl="0">'
        '<w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="第%1条"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="91">'
                               '<w:abstractNumId w:val="91"/></w:num>'))
    for index in range(11):
        in_list(document_.add_paragraph(f"条款{index + 1}的内容。"), 91, 0)
    path = tmp_path / "articles.docx"
    document_.save(str(path))
    source = read_source(path.read_bytes(), str(path))
    assert source.numbering == "chinese-article"
    assert [c.written for c in source.clauses] == ARTICLES[:11]
    assert source.clauses[10].paragraphs == ("条款11的内容。",)


@pytest.mark.parametrize(("name", "data", "says"), [
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Word 97-2003 .doc file cannot be read"),
    ("bad.docx", b"not a zip", "not a Word .docx file"),
    ("empty.html", b"<html><body><nav>menu</nav></body></html>",
     "the page has no text in its main content")])
def test_unreadable_rich_sources_exit_2(repo: GitRepo, tmp_path: Path, name: str,
                                        data: bytes, says: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    code, out, err = run_cli("import", str(path), "--into", INTO)
    assert code == 2 and out == "" and says in err


def test_html_in_gb2312_and_ordered_lists(repo: GitRepo, tmp_path: Path) -> None:
    page = tmp_path / "gb.html"
    page.write_bytes(
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        '</head><body><article><p>1. 服务</p><p>1.1 您应付费：</p><ol><li>按月；<ol>'
        '<li>首月免费；</li></ol></li><li>按年。</li></ol><p>1.2 其他。</p>'
        '</article></body></html>'.encode("gb18030"))
    source = read_source(page.read_bytes(), str(page))
    assert source.read_as == "HTML (gb18030)"
    # The list's numbers are the browser's; introduced by a colon, they stay in the clause.
    assert [(c.number, c.title, c.paragraphs) for c in source.clauses] == [
        ("1", "服务", ()), ("1.1", "您应付费：", ("1. 按月；", "1.1. 首月免费；", "2. 按年。")),
        ("1.2", "", ("其他。",))]


def test_a_source_in_another_style_than_the_document_is_noted(repo: GitRepo,
                                                               tmp_path: Path) -> None:
    assert run_cli("import", str(DATA / "mixed-article.txt"), "--into", INTO, "--version", "1",
                   "--effective", "2021-07-01")[0] == 0
    repo.commit(message="import")
    decimal = tmp_path / "decimal.txt"
    decimal.write_text("1. 服务项目\n1.1 本公司向您提供云服务器服务。\n", encoding="utf-8")
    code, _out, err = run_cli("import", str(decimal), "--into", INTO)
    assert code == 0
    assert "the source is numbered in the style 'decimal' but document.yaml says " \
        "'numbering: chinese-article'" in err


def test_a_numbered_list_after_a_colon_stays_in_its_clause() -> None:
    text = "1. 服务\n1.1 您应付费：\n1. 按月；\n2. 按年。\n1.2 其他。\n2. 费用\n2.1 另计。\n"
    source = parse_source(text.encode(), "t.txt")
    assert [(c.number, c.title, c.paragraphs) for c in source.clauses] == [
        ("1", "服务", ()), ("1.1", "您应付费：", ("1. 按月；", "2. 按年。")), ("1.2", "", ("其他。",)),
        ("2", "费用", ()), ("2.1", "", ("另计。",))]


def test_the_english_translation_of_an_article_document_imports_by_article(
        repo: GitRepo, tmp_path: Path) -> None:
    assert run_cli("import", str(DATA / "mixed-article.txt"), "--into", INTO, "--version", "1",
                   "--effective", "2021-07-01")[0] == 0
    repo.commit(message="import")
    english = tmp_path / "en.txt"
    english.write_text("Article 1 Services\n1.1 We provide cloud servers.\n1.2 See the website."
                       "\nArticle 2 Fees\n2.1 You pay the listed price.\n2.2 Fees include:\n"
                       "(1) base fees;\n(2) traffic fees.\nArticle 3 Other\nThe law applies.\n",
                       encoding="utf-8")
    code, out, err = run_cli("import", str(english), "--into", INTO, "--lang", "en")
    assert code == 0, err
    assert "translated: 7" in out and "warning" not in err
    assert run_cli("check", INTO)[0] == 0
    code, rendered, _ = run_cli("render", INTO, "--lang", "en", "--format", "text")
    assert "Article 2. Fees" in rendered and "2.2. Fees include:\n\n(1) base fees;" in rendered


def test_every_line_of_the_seed_is_in_a_clause_or_reported_as_dropped(repo: GitRepo) -> None:
    source = parse_source(SEED.read_bytes(), str(SEED))
    assert run_cli("import", str(SEED), "--into", INTO)[0] == 0
    assert_faithful(SEED.read_text(encoding="utf-8").split("\n"), source, document(repo.root))
    inside = [d for d in source.dropped if 111 < d.line < 489]  # the body: page furniture only
    assert [(d.text, d.reason) for d in inside] == [
        ("1.API 网关 服务条款", "page header or footer"),
        ("相关协议·API 网关 服务条款 API 网关", "page header or footer"),
        ("相关协议·API 网关 服务条款 API 网关", "page header or footer"),
        ("API 网关 相关协议·API 网关 服务条款", "page header or footer")]
