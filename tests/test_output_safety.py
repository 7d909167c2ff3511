"""Nothing the tool prints or writes can act on its reader (issue 9, items 6, 7, 8 and 10).

A pull request that puts terminal control sequences, CI workflow commands or line breaks
into clause text, titles, labels or reasons is run through every command and every
output format on a real git repository: no line of any output may start with ``::``
(except our own annotations), no control character may reach a terminal, the feed must
stay XML, and every HTML page carries the Content-Security-Policy.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import GitRepo, clause, manifest, run_cli
from termstool.format.characters import CONTROL
from termstool.render.output_safety import Style, command_lines, safe_output

DOC = "terms/tos"
BASE_DAY = "2021-05-20T10:00:00+08:00"
PR_DAY = "2021-09-01T10:00:00+08:00"
TODAY = "2021-09-01"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
CHANGE_ZH = "如本条款变动，我们提前30天公告；如您不同意，您有权停止使用服务。"
CHANGE_EN = "If these Terms change, we announce it 30 days ahead; you may stop using them."

# Workflow commands as a clause paragraph would carry them: at the start of a paragraph,
# after spaces or an ideographic space (the runner trims Unicode white space), the old
# ##[ syntax anywhere in a line.
COMMANDS_ZH = ("阿里云向您提供服务。\n\n::error file=README.md,line=1::伪造的错误\n\n"
               "::stop-commands::pwned\n\n\u3000::add-mask::秘密\n\n旧语法 ##[error]伪造")
COMMANDS_EN = ("Alibaba Cloud provides the services.\n\n::warning::fake warning\n\n"
               "   ::set-output name=x::y\n\nOld ##[set-env name=A;]b syntax")
# Terminal control: clear screen, retitle the window, C1 CSI, a bell, a lone CR, DEL.
CONTROLS_ZH = "您应支付费用\x1b[2J。\x1b]0;owned\x07标题\x9b31m红\r覆盖\x7f。"
CONTROLS_EN = "You shall pay\x1b[8m hidden\x1b[0m the fees\x1b]8;;http://evil/\x1b\\."


def hostile_clauses() -> dict[str, str]:
    return {
        f"{DOC}/01-service.md": clause("s1", COMMANDS_ZH, COMMANDS_EN,
                                       title=('"服务\\n::error::标题注入"', "Services")),
        f"{DOC}/02-fees.md": clause("s2", CONTROLS_ZH, CONTROLS_EN,
                                    title=('"费用\\e[2J"', "Fees")),
    }


@pytest.fixture
def hostile(repo: GitRepo) -> GitRepo:
    """main holds a clean release; branch `pr` records release 20211001 whose clause text,
    titles and exception carry workflow commands and control sequences."""
    repo.commit({
        f"{DOC}/document.yaml": manifest(),
        f"{DOC}/01-service.md": clause("s1", "阿里云向您提供服务。",
                                       "Alibaba Cloud provides the services.",
                                       title=("服务", "Services")),
        f"{DOC}/02-fees.md": clause("s2", "您应支付费用。", "You shall pay the fees.",
                                    title=("费用", "Fees")),
        f"{DOC}/03-changes.md": clause("s3-2-11", CHANGE_ZH, CHANGE_EN),
    }, when=BASE_DAY, message="Terms of Service 20210701")
    repo.git("switch", "-q", "-c", "pr")
    # A reason may span lines; a control character in document.yaml would be an error
    # that leaves the release unread (see test_check_reports_...), so it has none here.
    reason = '"安全\\n::error::exception injected\\n##[error]old"'
    repo.commit({
        f"{DOC}/document.yaml": manifest(version="20211001", announced="2021-09-01",
                                         effective="2021-10-01",
                                         extra=f"exception: {reason}\n"),
        **hostile_clauses(),
    }, when=PR_DAY, message="::error::commit subject\x1b[2J")
    return repo


def assert_inert(text: str, where: str) -> None:
    """No workflow command and no control character but tab and newline."""
    assert command_lines(text) == [], f"{where}: {command_lines(text)}"
    hidden = sorted({f"U+{ord(ch):04X}" for ch in text if ch in CONTROL})
    assert hidden == [], f"{where}: control characters {hidden}"


def run_all(*args: str) -> tuple[int, str, str]:
    code, out, err = run_cli(*args)
    assert_inert(out, " ".join(args) + " (stdout)")
    assert_inert(err, " ".join(args) + " (stderr)")
    return code, out, err


TEXT_OUTPUTS = [
    ("render",), ("render", "-f", "text"), ("render", "-f", "markdown"),
    ("render", "-f", "html"), ("render", "--layout", "stacked"),
    ("render", "--at", "pr", "-f", "text"), ("outline",), ("outline", "-f", "json"),
    ("check", "--today", TODAY), ("check", "-f", "json", "--today", TODAY),
    ("check", "--base", "main", "--today", TODAY),
    ("diff", "main", "pr"), ("diff", "main", "pr", "-f", "markdown"),
    ("diff", "main", "pr", "-f", "html"), ("diff", "main", "pr", "-f", "json"),
    ("diff", "20210701", "20211001"),
    ("review", "--base", "main", "--today", TODAY),
    ("review", "--base", "main", "--today", TODAY, "-f", "terminal"),
    ("notice", "20211001"), ("notice", "20211001", "-f", "text"),
    ("notice", "20211001", "-f", "html"),
    ("log", "--today", TODAY), ("log", "-f", "json", "--today", TODAY),
    ("log", "--clause", "s1"), ("log", "--clause", "s1", "-f", "json"),
    ("feed", "--today", TODAY), ("diff", "main", "pr", "--full", "-f", "html"),
    ("clause", "show", "2"), ("clause", "show", "s1", "-f", "json"),
]


@pytest.mark.parametrize("args", TEXT_OUTPUTS, ids=" ".join)
def test_no_output_carries_a_workflow_command_or_a_control_character(
        hostile: GitRepo, args: tuple[str, ...]) -> None:
    code, out, _err = run_all(*args)
    assert code in (0, 1), out
    assert out.strip()


@pytest.mark.parametrize("args", [
    ("render", "-f", "text"), ("render",), ("diff", "main", "pr"),
    ("diff", "main", "pr", "-f", "markdown"), ("diff", "main", "pr", "-f", "html"),
    ("review", "--base", "main", "--today", TODAY, "-f", "terminal"),
    ("review", "--base", "main", "--today", TODAY), ("notice", "20211001", "-f", "text"),
    ("notice", "20211001"), ("notice", "20211001", "-f", "html"),
], ids=" ".join)
def test_control_characters_are_shown_escaped(hostile: GitRepo, args: tuple[str, ...]) -> None:
    _code, out, _err = run_all(*args)
    shown = out.replace("\\", "")  # Markdown escapes "[" and "+" as "\[" and "\+"
    assert "⟨ESC⟩[2J" in shown, out[:2000]
    for char in ("⟨U+009B⟩", "⟨U+0007⟩", "⟨U+000D⟩", "⟨U+007F⟩"):
        assert char in shown, (char, out[:2000])


@pytest.mark.parametrize("args", [
    ("render", "-f", "text"), ("render", "-f", "markdown"), ("diff", "main", "pr"),
    ("diff", "main", "pr", "-f", "markdown"),
    ("review", "--base", "main", "--today", TODAY, "-f", "terminal"),
    ("notice", "20211001", "-f", "text"), ("notice", "20211001"),
], ids=" ".join)
def test_a_workflow_command_in_a_clause_still_reads_as_written(
        hostile: GitRepo, args: tuple[str, ...]) -> None:
    """Escaped, not removed: the reviewer sees what the clause says."""
    _code, out, _err = run_all(*args)
    assert "error file=README.md,line=1::伪造的错误" in out
    assert "stop-commands::pwned" in out


def test_json_keeps_the_exact_text_escaped(hostile: GitRepo) -> None:
    _code, out, _err = run_all("diff", "main", "pr", "-f", "json")
    data = json.loads(out)
    ops = [text for change in data["documents"][0]["changes"] for lang in ("zh", "en")
           for _op, text in change.get(lang, {}).get("ops", [])]
    joined = "".join(ops)
    assert "\x1b[2J" in joined and "\x9b31m" in joined and "\r" in joined
    assert "::error file=README.md" in joined and "##[error]" in joined
    assert "\\u009b" in out and "##\\u005b" in out


def test_check_reports_control_characters_and_multi_line_titles(hostile: GitRepo) -> None:
    hostile.write({f"{DOC}/document.yaml": manifest(
        version="20211001", announced="2021-09-01", effective="2021-10-01",
        extra='exception: "安全\\e]0;t\\a"\n')})
    code, out, _err = run_all("check", "-f", "json", "--today", TODAY)
    assert code == 1
    problems = json.loads(out)["problems"]
    rules = {(p["rule"], p["file"], p["line"]) for p in problems}
    control = {(file, line) for rule, file, line in rules if rule == "control-character"}
    assert (f"{DOC}/02-fees.md", 9) in control  # the Chinese text: ESC, C1, BEL, CR, DEL
    assert (f"{DOC}/02-fees.md", 12) in control  # the English text
    assert (f"{DOC}/02-fees.md", 3) in control  # the title, written as a YAML escape
    assert (f"{DOC}/document.yaml", 12) in control  # the exception, a YAML escape too
    titles = [p for p in problems if "title must be one line" in p["message"]]
    assert [(p["file"], p["line"]) for p in titles] == [(f"{DOC}/01-service.md", 3)]
    messages = " ".join(p["message"] for p in problems if p["rule"] == "control-character")
    assert "⟨ESC⟩" in messages and "⟨U+009B⟩" in messages and "⟨U+000D⟩" in messages


def test_github_annotations_are_the_only_command_lines(hostile: GitRepo) -> None:
    code, out, _err = run_cli("check", "-f", "github", "--today", TODAY)
    assert code == 1
    lines = out.splitlines()
    assert lines and all(re.match(r"::(error|warning) [^\n]*::", line) for line in lines)
    # each annotation is one line whatever its message holds, and shows no control
    assert all(ch not in CONTROL for ch in out.replace("\n", ""))
    assert "⟨ESC⟩" in out


def test_review_cannot_be_given_a_fake_verdict_line(hostile: GitRepo) -> None:
    """A title with line breaks once put a "✅ may merge" line of its own into the report."""
    hostile.commit({f"{DOC}/01-service.md": clause(
        "s1", COMMANDS_ZH, COMMANDS_EN,
        title=('"服务\\n## ✅ terms review: may merge\\n::error::x"', "Services"))},
        when=PR_DAY)
    code, out, _err = run_all("review", "--base", "main", "--today", TODAY)
    assert code == 1
    verdicts = [line for line in out.splitlines() if re.match(r"#+ .*terms review", line)]
    assert len(verdicts) == 1 and verdicts[0].startswith("## ❌ terms review: must not merge")
    code, out, _err = run_all("review", "--base", "main", "--today", TODAY, "-f", "terminal")
    verdicts = [line for line in out.splitlines() if "terms review:" in line[:20]]
    assert len(verdicts) == 1 and verdicts[0].startswith("terms review: FAIL: must not merge")


@pytest.mark.parametrize("label", ["20211001\n::error::label", "20211001 ", " 20211001",
                                   "HEAD", "a..b", "-x", "2021/10/01", "v1 final", "@2021",
                                   "worktree", "ORIG_HEAD", "é1"])
def test_version_labels_are_validated_in_check(repo: GitRepo, label: str) -> None:
    repo.commit({f"{DOC}/document.yaml": manifest(), f"{DOC}/01-a.md": clause("s1", "甲。", "A.")},
                when=BASE_DAY)
    escaped = json.dumps(label)
    repo.write({f"{DOC}/document.yaml": manifest().replace('"20210701"', escaped)})
    code, out, err = run_all("check", "--today", TODAY)
    assert code == 2, out + err  # the manifest is unusable: no document can be read
    assert f"{DOC}/document.yaml:9:" in err and "version" in err
    # Committed, the label is in history: every output still refuses it or shows it inert.
    repo.commit(when="2021-06-02T10:00:00+08:00")
    for args in (("log",), ("log", "-f", "json"), ("review", "--base", "HEAD~1"),
                 ("review", "--base", "HEAD~1", "-f", "terminal"), ("diff", "HEAD~1", "HEAD"),
                 ("render", "--at", "HEAD"), ("feed",), ("notice", label),
                 ("diff", label, "-f", "markdown")):
        code, out, err = run_all(*args)
        assert "internal error" not in err, (args, out, err)


@pytest.mark.parametrize("label", ["20211101\n::error::x", "20211101 ", "HEAD", "FETCH_HEAD",
                                   "x..y", "a b", "#1", ".hidden", "WORKTREE"])
def test_release_refuses_a_bad_label(repo: GitRepo, label: str) -> None:
    repo.commit({f"{DOC}/document.yaml": manifest(), f"{DOC}/01-a.md": clause("s1", "甲。", "A.")},
                when=BASE_DAY)
    before = (repo.root / DOC / "document.yaml").read_text(encoding="utf-8")
    code, out, err = run_all("release", label, "--announced", "2021-09-01", "--effective",
                             "2021-10-01", DOC)
    assert code == 2 and "is not a version label" in err, out + err
    assert (repo.root / DOC / "document.yaml").read_text(encoding="utf-8") == before


def test_a_good_label_is_still_recorded(repo: GitRepo) -> None:
    repo.commit({f"{DOC}/document.yaml": manifest(), f"{DOC}/01-a.md": clause("s1", "甲。", "A.")},
                when=BASE_DAY)
    code, out, err = run_all("release", "2021.11-01_rc1", "--announced", "2021-09-01",
                             "--today", "2021-09-01", "--effective", "2021-10-01", DOC)
    assert code == 0, out + err


def test_the_feed_always_parses(hostile: GitRepo) -> None:
    """Control characters in clause titles once made the feed invalid XML. (A
    document.yaml holding one is not trusted at all: its release never reaches the feed.)"""
    hostile.git("switch", "-q", "main")
    hostile.git("merge", "-q", "--ff-only", "pr")
    hostile.commit({
        f"{DOC}/document.yaml": manifest(version="20211101", announced="2021-09-02",
                                         effective="2021-10-02"),
        f"{DOC}/03-changes.md": clause(
            "s3-2-11", CHANGE_ZH + "改。", CHANGE_EN + " Changed.",
            title=('"变更\\e]0;t\\a\\x01\\x08\\x0b\\x0c\\x1f\\x7f\\x85\\x9b\\uFFFE\\uFFFF end"',
                   "Changes"))}, when="2021-09-02T10:00:00+08:00")
    for args in (("feed", "--today", "2021-09-03"),
                 ("feed", DOC, "--site", "https://example.com/", "--today", "2021-09-03")):
        code, out, _err = run_all(*args)
        assert code == 0, out
        root = ET.fromstring(out.encode("utf-8"))
        entries = list(root.iter("{http://www.w3.org/2005/Atom}entry"))
        assert len(entries) == 3
        contents = " ".join(e.text or "" for e in root.iter("{http://www.w3.org/2005/Atom}content"))
        assert "变更⟨ESC⟩]0;t⟨U+0007⟩⟨U+0001⟩" in contents
        assert "⟨U+009B⟩⟨U+FFFE⟩⟨U+FFFF⟩ end" in contents
        assert "费用⟨ESC⟩[2J" in contents  # the title of 20211001's changed clause s2


def test_safe_output_is_idempotent_and_keeps_tabs_and_newlines() -> None:
    text = "a\tb\n::x\n  ##[y]\x1b[1m\u200b\x07\n"
    styles: tuple[Style, ...] = ("terminal", "text", "markdown", "html", "xml", "json")
    for style in styles:
        source = json.dumps([text], indent=1) if style == "json" else text
        once = safe_output(source, style)
        assert safe_output(once, style) == once
        assert command_lines(once) == []
        assert "\x07" not in once
        if style != "json":
            assert "\t" in once and once.count("\n") == 3
    # rich's own style codes survive in terminal output; nothing else does
    assert safe_output("\x1b[1mbold\x1b[0m \x1b[8mhidden\x1b]0;t\x07", "terminal") == \
        "\x1b[1mbold\x1b[0m \x1b[8mhidden⟨ESC⟩]0;t⟨U+0007⟩"


# --------------------------------------------------------------------------- item 10: CSP

class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.metas: list[dict[str, str | None]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "meta":
            self.metas.append(dict(attrs))


def policy(html: str) -> list[str | None]:
    page = _Page()
    page.feed(html)
    page.close()
    assert "script" not in page.tags
    return [m.get("content") for m in page.metas
            if (m.get("http-equiv") or "").lower() == "content-security-policy"]


@pytest.mark.parametrize("args", [
    ("render", "-f", "html"), ("render", "-f", "html", "--layout", "stacked"),
    ("diff", "main", "pr", "-f", "html"), ("diff", "20210701", "20211001", "-f", "html"),
    ("notice", "20211001", "-f", "html"), ("diff", "main", "pr", "--full", "-f", "html"),
], ids=" ".join)
def test_every_html_page_on_stdout_has_the_policy(hostile: GitRepo, args: tuple[str, ...]
                                                  ) -> None:
    _code, out, _err = run_all(*args)
    assert policy(out) == [CSP]


@pytest.mark.parametrize(("args", "name"), [
    (("render",), "render.html"), (("diff", "main", "pr"), "diff.html"),
    (("review", "--base", "main", "--today", TODAY), "review.html"),
    (("notice", "20211001"), "notice.html"),
], ids=lambda v: v if isinstance(v, str) else " ".join(v))
def test_every_html_file_has_the_policy(hostile: GitRepo, tmp_path: Path,
                                        args: tuple[str, ...], name: str) -> None:
    target = tmp_path / name
    code, out, err = run_all(*args, "-o", str(target))
    assert code in (0, 1), out + err
    html = target.read_text(encoding="utf-8")
    assert policy(html) == [CSP]
    assert_inert(html, name)


def test_no_line_of_the_page_style_starts_with_a_double_colon() -> None:
    """Such a line would be escaped as &#58; like any other, which CSS does not read."""
    import termstool.render

    style = Path(termstool.render.__file__).parent / "templates" / "_style.css.j2"
    assert command_lines(style.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("args", [
    ("render", "-o", "page.docx"), ("diff", "main", "pr", "-o", "redline.docx"),
    ("diff", "main", "pr", "--full", "-o", "whole.docx"),
    ("diff", "main", "pr", "--full", "-o", "whole.pdf"), ("render", "-o", "page.pdf"),
], ids=" ".join)
def test_word_and_pdf_files_are_written_whatever_the_text_holds(
        hostile: GitRepo, tmp_path: Path, args: tuple[str, ...]) -> None:
    """Word's XML cannot hold control characters: they are shown, never a crash."""
    import zipfile

    target = tmp_path / args[-1]
    code, out, err = run_all(*args[:-1], str(target))
    assert code in (0, 1) and "internal error" not in err, out + err
    if target.suffix == ".docx":
        with zipfile.ZipFile(target) as archive:
            for name in archive.namelist():
                if name.endswith(".xml"):
                    ET.fromstring(archive.read(name))
    else:
        assert target.read_bytes().startswith(b"%PDF")


def test_every_page_template_includes_the_policy() -> None:
    """A template added later gets the policy too, or this fails."""
    import termstool.render

    templates = Path(termstool.render.__file__).parent / "templates"
    pages = [p for p in templates.glob("*.html.j2") if not p.name.startswith("_")]
    assert len(pages) >= 3
    for page in pages:
        assert '{% include "_security.html.j2" %}' in page.read_text(encoding="utf-8"), page


@pytest.mark.parametrize("name", ["02-x\n::error file=a::named.md", "02-\x1b[2J\n##[error]y.md",
                                  "::warning::z.md"])
def test_file_names_cannot_inject_lines(hostile: GitRepo, name: str) -> None:
    """A file name is repository text too: a line break in it is shown, not obeyed."""
    hostile.write({f"{DOC}/{name}": "---\nid: S-BAD\n---\n\n<!-- zh -->\n甲\n"})
    for args in (("check", "--today", TODAY), ("check", "-f", "json", "--today", TODAY),
                 ("render", "-f", "text"), ("outline",), ("diff", "main"),
                 ("review", "--base", "main", "--today", TODAY, "-f", "terminal")):
        code, out, err = run_all(*args)
        assert code in (0, 1, 2), (args, out, err)
    code, out, _err = run_cli("check", "-f", "github", "--today", TODAY)
    assert all(re.match(r"::(error|warning) ", line) for line in out.splitlines())
