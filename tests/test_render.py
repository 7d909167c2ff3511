"""`terms render`: golden files, safe HTML and Markdown, references, terminal, --at.

Golden files live in tests/golden/render/; after an intended change, regenerate them
with ``TERMS_REGEN_GOLDEN=1 .venv/bin/pytest tests/test_render.py`` and review the diff.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from rich.cells import cell_len
from typer.testing import CliRunner

from conftest import PROJECT, GitRepo, check_golden, clause, manifest
from termstool.cli.app import app
from termstool.format.clause_file import format_clause_file
from termstool.format.loader import load_documents
from termstool.model.document import Document, Texts
from termstool.model.snapshot import Snapshot
from termstool.render import RenderOptions
from termstool.render.document_html import render_html
from termstool.render.document_markdown import render_markdown
from termstool.render.document_text import render_text

GOLDEN = Path(__file__).parent / "golden" / "render"
DOC = "terms/tos"

HOSTILE_ZH = ("本条含有 <script>alert(1)</script>、@mention、| pipes |、#12 与 "
              "[link](javascript:alert(1))，以及[官网](https://www.aliyun.com)。")
HOSTILE_EN = ("This clause holds <script>alert(1)</script>, @mention, | pipes |, #12, "
              "![pixel](https://evil.example/p.png) and [link](javascript:alert(1)); "
              "see [the website](https://www.aliyun.com).")


def fixture_files() -> dict[str, str]:
    """A small bilingual document with every feature the renderers must show."""
    return {
        f"{DOC}/document.yaml": manifest(),
        f"{DOC}/00-preamble.md": clause("preamble", "本服务条款是阿里云与您订立的有效合约。",
                                        "These Terms are a contract between Alibaba Cloud "
                                        "and you.", extra="numbered: false\n"),
        f"{DOC}/01-service.md": clause("s1", "本条款中“服务”指API网关服务。",
                                       'In these Terms, "services" means API Gateway.',
                                       title=("服务内容", "Service Content")),
        f"{DOC}/02-fees/_index.md": "---\nid: s2\ntitle:\n  zh: 服务费用\n  en: Fees\n---\n",
        f"{DOC}/02-fees/01-prices.md": clause(
            "s2-1", "价格以官网为准。\n\n您应按时支付。", "Prices are as listed.\n\n"
            "You shall pay on time."),
        f"{DOC}/02-fees/02-before.md": format_clause_file(
            "s2-2", Texts((("zh", "先付费后使用："), ("en", "Pay Before Use:"))),
            Texts((("zh", "您购买服务，付清费用后，阿里云提供服务：（1）下单；（2）付款。"),
                   ("en", "You buy, pay, and Alibaba Cloud provides: (1) order; (2) payment.")))),
        # The written numbers are stale (the clause is 1 and 2.2): renders the computed ones.
        f"{DOC}/03-breach.md": clause("s3", "违反第[9](#s1)条或第[2.1](#s2-2)条的，阿里云有权终止。",
                                      "If you breach Section [9](#s1) or [2.1](#s2-2), "
                                      "Alibaba Cloud may terminate."),
        f"{DOC}/04-hostile.md": clause("s4", HOSTILE_ZH, HOSTILE_EN),
    }


def snapshot(files: dict[str, str]) -> Snapshot:
    data = {path: text.encode() for path, text in files.items()}
    return Snapshot("test", {path: path for path in data}, data.__getitem__)


def fixture_documents() -> list[Document]:
    loaded = load_documents(snapshot(fixture_files()))
    assert [p.rule for p in loaded.problems] == ["reference-number", "reference-number",
                                                 "reference-number", "reference-number"]
    return list(loaded.documents)


RENDERERS = {"md": render_markdown, "html": render_html, "txt": render_text}


@pytest.mark.parametrize("layout", ["parallel", "stacked"])
@pytest.mark.parametrize("ext", ["md", "html", "txt"])
def test_golden(ext: str, layout: str) -> None:
    rendered = RENDERERS[ext](fixture_documents(), RenderOptions(layout=layout))
    check_golden(GOLDEN / f"{layout}.{ext}", rendered)


# ---------------------------------------------------------------- HTML


class _Page(HTMLParser):
    """Collects what the checks below need, and whether every element is closed."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.errors: list[str] = []
        self.style = ""
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.in_style = tag == "style"
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.style += data
        else:
            self.text.append(data)


def parse_html(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


@pytest.mark.parametrize("layout", ["parallel", "stacked"])
def test_html_is_well_formed_safe_and_self_contained(layout: str) -> None:
    documents = fixture_documents()
    html = render_html(documents, RenderOptions(layout=layout))
    page = parse_html(html)
    assert page.errors == [] and page.stack == []
    assert html.startswith("<!DOCTYPE html>")
    # one anchor per clause id
    ids = [str(attrs["id"]) for _tag, attrs in page.tags if attrs.get("id")]
    clause_ids = [c.id for c in documents[0].walk()]
    assert sorted(i for i in ids if not i.startswith("doc-")) == sorted(clause_ids)
    assert len(ids) == len(set(ids))
    # no script element, though a clause contains one: it shows as text
    assert all(tag != "script" for tag, _ in page.tags)
    assert "<script>alert(1)</script>" in "".join(page.text)
    assert "<script" not in html
    # nothing loads from elsewhere; the only external links are those written in clauses
    external = [(tag, name, value) for tag, attrs in page.tags for name, value in attrs.items()
                if name in ("src", "href") and value and re.match(r"(?i)https?:|//", value)]
    assert external and all((tag, name) == ("a", "href") for tag, name, _ in external)
    assert {value for *_, value in external} == {"https://www.aliyun.com",
                                                  "https://evil.example/p.png"}
    assert all(tag not in ("img", "link", "iframe", "object", "embed") for tag, _ in page.tags)
    assert not any(v and v.lower().startswith("javascript:") for _, a in page.tags
                   for v in a.values())
    # inline style with print rules and a CJK font stack; a policy that forbids scripts
    assert "@media print" in page.style and "Noto Serif CJK SC" in page.style
    csp = [a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp == ["default-src 'none'; style-src 'unsafe-inline'; img-src data:"]


@pytest.mark.parametrize("layout", ["parallel", "stacked"])
def test_print_page_has_the_same_text_and_every_link_target(layout: str) -> None:
    documents = fixture_documents()
    options = RenderOptions(layout=layout)
    screen = render_html(documents, options)
    printed = render_html(documents, options, for_print=True)
    page = parse_html(printed)
    assert not page.errors
    # the same text in the same order, less the table of contents that print hides
    without_toc = re.sub(r"<nav class=\"toc\".*?</nav>\n", "", screen, flags=re.DOTALL)
    assert without_toc != screen
    assert page.text == parse_html(without_toc).text
    assert "nav" not in [tag for tag, _ in page.tags]
    # every clause keeps its anchor, and every link in the text still finds its target
    ids = [str(attrs["id"]) for _, attrs in page.tags if attrs.get("id")]
    screen_ids = [str(attrs["id"]) for _, attrs in parse_html(screen).tags if attrs.get("id")]
    assert sorted(ids) == sorted(screen_ids)
    targets = {str(attrs["href"])[1:] for tag, attrs in page.tags
               if tag == "a" and str(attrs.get("href") or "").startswith("#")}
    assert targets and targets <= set(ids)
    # a cell in the page's own language inherits it: the layout engine shares its style
    page_lang = page.tags[0][1]["lang"] if page.tags[0][0] == "html" else None
    assert page_lang == "zh"
    cells = [attrs for tag, attrs in page.tags if tag in ("td", "div") and "lang" in attrs]
    assert cells and all(attrs["lang"] != page_lang for attrs in cells)


def test_html_header_table_of_contents_and_layouts() -> None:
    documents = fixture_documents()
    parallel = render_html(documents, RenderOptions(layout="parallel"))
    stacked = render_html(documents, RenderOptions(layout="stacked"))
    for html in (parallel, stacked):
        assert '<span lang="zh">服务条款</span>' in html
        assert '<span class="alt" lang="en">Terms of Service</span>' in html
        assert "20210701" in html and "2021-06-01" in html and "2021-07-01" in html
        assert '<nav class="toc"' in html and 'href="#s2-2"' in html
    assert '<table class="parallel">' in parallel and "<table" not in stacked
    assert '<section class="clause depth-2" id="s2-1">' in stacked


def test_html_of_several_documents_prefixes_anchors() -> None:
    files = fixture_files()
    files.update({"terms/sla/document.yaml": manifest(doc_id="sla"),
                  "terms/sla/00-preamble.md": clause("preamble", "范围。", "Scope.",
                                                     extra="numbered: false\n")})
    documents = list(load_documents(snapshot(files)).documents)
    page = parse_html(render_html(documents, RenderOptions()))
    ids = [a["id"] for _t, a in page.tags if a.get("id")]
    assert "sla--preamble" in ids and "tos--preamble" in ids and len(ids) == len(set(ids))


# ---------------------------------------------------------------- Markdown


def markdown_html(markdown: str) -> str:
    """How a CommonMark renderer that allows HTML (as GitHub does, sanitised) shows it."""
    return str(MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown))


@pytest.mark.parametrize("layout", ["parallel", "stacked"])
def test_markdown_renders_hostile_text_inert(layout: str) -> None:
    markdown = render_markdown(fixture_documents(), RenderOptions(layout=layout))
    html = markdown_html(markdown)
    page = parse_html(html)
    assert all(tag != "script" for tag, _ in page.tags)
    assert "<script>alert(1)</script>" in "".join(page.text)
    hrefs = [a.get("href") for t, a in page.tags if t == "a" and a.get("href")]
    assert "javascript:alert(1)" not in " ".join(str(h) for h in hrefs)
    assert {h for h in hrefs if not str(h).startswith("#")} == {
        "https://www.aliyun.com", "https://evil.example/p.png"}  # links written in clauses
    assert all(t != "img" for t, _ in page.tags)
    text = "".join(page.text)
    for fragment in ("@mention", "| pipes |", "#12", "link"):
        assert fragment in text
    # @mention and #12 are split by an empty comment, so GitHub links neither
    assert "@<!-- -->mention" in markdown and "#<!-- -->12" in markdown


def test_markdown_parallel_is_a_table_with_one_row_per_clause() -> None:
    documents = fixture_documents()
    markdown = render_markdown(documents, RenderOptions(layout="parallel"))
    html = markdown_html(markdown)
    # + the version table's two rows and the clause table's header row
    assert html.count("<tr>") == len(list(documents[0].walk())) + 3
    assert "| pipes |" in "".join(parse_html(html).text)


# ---------------------------------------------------------------- references


@pytest.mark.parametrize("render", [render_markdown, render_html, render_text])
def test_references_show_the_computed_number_even_when_the_written_one_is_stale(
        render: object) -> None:
    out = render(fixture_documents(), RenderOptions(languages=("zh",)))  # type: ignore[operator]
    assert "第9条" not in out and "第[9]" not in out and ">9<" not in out
    if render is render_text:
        assert "违反第1条或第2.2条的" in out
    elif render is render_markdown:
        assert "违反第[1](#s1)条或第[2.2](#s2-2)条的" in out
    else:
        assert '违反第<a href="#s1">1</a>条或第<a href="#s2-2">2.2</a>条的' in out


# ---------------------------------------------------------------- CLI and terminal


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner(env=env).invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def fixture_repo(repo: GitRepo) -> GitRepo:
    repo.commit(fixture_files(), message="the fixture document")
    return repo


def test_cli_output_equals_the_core_and_warns_about_stale_references(
        fixture_repo: GitRepo) -> None:
    code, out, err = run("render", "--format", "html")
    assert code == 0
    assert out == render_html(fixture_documents(), RenderOptions(layout="parallel"))
    assert f"warning: {DOC}/03-breach.md:6: link to '#s1' says '9'" in err
    code, out, _ = run("render", "--format", "markdown", "--lang", "en")
    assert out == render_markdown(fixture_documents(), RenderOptions(languages=("en",),
                                                                     layout="stacked"))


def test_output_file_format_follows_its_extension(fixture_repo: GitRepo) -> None:
    for name, start in (("out/t.html", "<!DOCTYPE html>"), ("t.md", "# 服务条款"),
                        ("t.txt", "服务条款\n")):
        code, _out, err = run("render", "-o", name)
        assert code == 0 and f"wrote {name}" in err
        assert (fixture_repo.root / name).read_text(encoding="utf-8").startswith(start)


def test_unknown_language_is_a_usage_error(fixture_repo: GitRepo) -> None:
    code, _out, err = run("render", "--lang", "fr")
    assert code == 2 and "error: --lang fr: the documents are in en, zh" in err


def terminal_lines(out: str) -> list[str]:
    return [line for line in out.split("\n") if line]


def test_terminal_respects_columns_and_keeps_cjk_columns(fixture_repo: GitRepo) -> None:
    code, out, _ = run("render", env={"COLUMNS": "80"})
    assert code == 0
    lines = terminal_lines(out)
    assert max(cell_len(line) for line in lines) == 80
    start = next(i for i, line in enumerate(lines) if line.startswith("┏"))
    end = next(i for i, line in enumerate(lines) if line.startswith("└") and i > start)
    table = lines[start: end + 1]
    assert {cell_len(line) for line in table} == {80}
    rows = [line for line in table if line[0] in "┃│"]
    assert any(re.search(r"[\u4e00-\u9fff]", line) for line in rows)

    def borders(line: str) -> tuple[int, ...]:
        """Display columns of the cell borders in a row."""
        return tuple(cell_len(line[:i]) for i, ch in enumerate(line) if ch in "┃│")

    # the column borders sit at the same display column on every row, CJK or not
    assert len({borders(line) for line in rows}) == 1 and len(borders(rows[0])) == 4
    assert "服务内容" in out and "Service Content" in out

    code, wide, _ = run("render", env={"COLUMNS": "140"})
    assert max(cell_len(line) for line in terminal_lines(wide)) == 140


def test_terminal_respects_no_color(fixture_repo: GitRepo) -> None:
    colour = re.compile(r"\x1b\[[0-9;]*m")
    _code, coloured, _ = run("render", env={"FORCE_COLOR": "1", "NO_COLOR": None,  # type: ignore[dict-item]
                                            "TERM": "xterm-256color"})
    assert re.search(r"\x1b\[[0-9;]*3[0-9;]*m", coloured)  # a foreground colour
    _code, plain, _ = run("render", env={"FORCE_COLOR": "1", "NO_COLOR": "1",
                                         "TERM": "xterm-256color"})
    assert not re.search(r"\x1b\[(?:[0-9]+;)*3[0-8](?:;[0-9]+)*m", plain)
    assert colour.sub("", plain) == colour.sub("", coloured)


def test_terminal_stacked_layout(fixture_repo: GitRepo) -> None:
    code, out, _ = run("render", "--layout", "stacked", "--lang", "en,zh")
    assert code == 0
    assert out.index("Service Content") < out.index("服务内容") < out.index("Fees")


def test_render_at_an_older_commit_reads_git_objects_only(fixture_repo: GitRepo) -> None:
    old = fixture_repo.git("rev-parse", "HEAD").strip()
    fixture_repo.commit({f"{DOC}/01-service.md": clause(
        "s1", "本条款中“服务”指新的服务。", "Services now means something else.",
        title=("服务内容", "Service Content"))}, message="change s1")
    (fixture_repo.root / f"{DOC}/01-service.md").write_text(
        clause("s1", "未提交的修改。", "Uncommitted.", title=("服务内容", "Service Content")),
        encoding="utf-8")
    before = {p: p.read_bytes() for p in (fixture_repo.root / DOC).rglob("*") if p.is_file()}
    status = fixture_repo.git("status", "--porcelain")

    code, out, _ = run("render", "--at", old, "--format", "text")
    assert code == 0
    assert "本条款中“服务”指API网关服务。" in out and "未提交" not in out and "新的服务" not in out
    code, out, _ = run("render", "--at", "HEAD", "--format", "text")
    assert "新的服务" in out and "未提交" not in out
    code, out, _ = run("render", "--format", "text")
    assert "未提交的修改。" in out

    after = {p: p.read_bytes() for p in (fixture_repo.root / DOC).rglob("*") if p.is_file()}
    assert after == before and fixture_repo.git("status", "--porcelain") == status


def test_render_at_an_unknown_revision_exits_2(fixture_repo: GitRepo) -> None:
    code, _out, err = run("render", "--at", "no-such-rev")
    assert code == 2 and "error:" in err and "no-such-rev" in err


def test_render_with_no_arguments_shows_both_documents_of_this_repository(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT)
    code, out, err = run("render", "--format", "text")
    assert code == 0, err
    assert "阿里云 API 网关服务条款" in out and "Alibaba Cloud API Gateway Terms of Service" in out
    assert "阿里云 API 网关服务等级协议（SLA）" in out
    assert "Alibaba Cloud API Gateway Service Level Agreement (SLA)" in out
    code, out, _ = run("render", env={"COLUMNS": "100"})
    assert code == 0
    assert "服务条款" in out and "Service Level Agreement" in out


def test_render_one_document_by_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT)
    code, out, _ = run("render", "terms/api-gateway/service-level-agreement", "-f", "markdown")
    assert code == 0
    assert "Service Level Agreement" in out and "Terms of Service" not in out



def test_terminal_lines_follow_cjk_line_breaking(repo: GitRepo) -> None:
    """No line of the terminal render starts with 。 or ） or ends with （, at any width
    (rich alone folds Chinese text at whichever character reaches the edge)."""
    sentence = "本服务等级协议（以下简称“协议”）规定了阿里云向客户提供的服务可用性等级指标及赔偿方案。"
    repo.commit({**fixture_files(), f"{DOC}/01-service.md": clause(
        "s1", sentence * 3, "Services means the API Gateway service.",
        title=("服务内容", "Service Content"))}, message="long Chinese")
    for layout in ("parallel", "stacked"):
        for columns in range(40, 121, 7):
            code, out, _ = run("render", "--layout", layout, env={"COLUMNS": str(columns)})
            assert code == 0
            for line in terminal_lines(out):
                for cell in re.split(r"[│┃]", line):
                    text = cell.strip()
                    assert not text or text[0] not in "。，、）”：；", (layout, columns, line)
                    assert not text or text[-1] not in "（“", (layout, columns, line)
            assert sentence[:10] in out.replace("\n", "") or layout == "parallel"
