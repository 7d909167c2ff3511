"""The output registry: formats registered once with their suffixes, -o FILE choosing the
format in one place, and one clear error for a format or a suffix a command cannot write."""

from __future__ import annotations

from pathlib import Path, PurePath

import pytest

from conftest import GitRepo, clause, manifest, run_cli
from termstool.cli.common import write_output
from termstool.cli.outputs import BY_COMMAND, REDLINE
from termstool.errors import ExitCode, UsageError
from termstool.render.registry import Outputs, format_of, formats, register_format

D = "terms/tos/"


@pytest.fixture
def released(repo: GitRepo) -> GitRepo:
    """Two releases of a one-clause document."""
    repo.commit({D + "document.yaml": manifest(), D + "01-a.md": clause("s1", "甲。", "A.")})
    repo.commit({D + "document.yaml": manifest(version="20211101", announced="2021-10-01",
                                               effective="2021-11-01"),
                 D + "01-a.md": clause("s1", "乙。", "B.")}, when="2021-10-01T10:00:00+08:00")
    return repo


def test_every_suffix_names_one_format() -> None:
    suffixes = [s for f in formats() for s in f.suffixes]
    assert len(suffixes) == len(set(suffixes))
    assert all(s.startswith(".") and s == s.lower() for s in suffixes)


@pytest.mark.parametrize(("name", "fmt"), [
    ("terms.html", "html"), ("TERMS.HTM", "html"), ("a/b/TERMS.md", "markdown"),
    ("x.txt", "text"), ("redline.json", "json"), ("releases.atom", "atom"),
    ("feed.xml", "atom"), ("x.xyz", None), ("README", None), (".html", None),
])
def test_a_file_name_names_its_format(name: str, fmt: str | None) -> None:
    found = format_of(PurePath(name))
    assert (found.name if found else None) == fmt


def test_a_format_or_a_suffix_is_registered_once() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        register_format("html", (".xhtml",))
    with pytest.raises(ValueError, match=r"\.md names both markdown and notes"):
        register_format("notes", (".md",))
    assert "notes" not in [f.name for f in formats()]
    with pytest.raises(ValueError, match="two renderers for json"):
        REDLINE.add("json", lambda redline, languages: "")
    with pytest.raises(ValueError, match="not a registered output format"):
        REDLINE.add("yaml", lambda redline, languages: "")


def test_choose_prefers_the_format_named_then_the_suffix_then_the_default() -> None:
    outputs = Outputs.of("terms x", "terminal", lambda: "T").add("html", lambda: "H") \
        .add("text", lambda: "X")
    assert outputs.choose("html", Path("out.txt"), "terminal").format.name == "html"
    assert outputs.choose(None, Path("out.HTML"), "terminal").format.name == "html"
    assert outputs.choose(None, None, "terminal").format.name == "terminal"
    # A terminal rendering written to a file is the plain-text one.
    assert outputs.choose("terminal", Path("out.log"), "terminal").format.name == "text"
    with pytest.raises(UsageError, match=r"^--format json: terms x writes terminal, html or "
                                         r"text$"):
        outputs.choose("json", None, "terminal")
    with pytest.raises(UsageError, match=r"^-o out\.json: terms x cannot write json files; it "
                                         r"writes html \(\.html, \.htm\) or text \(\.txt\), "
                                         r"or give --format$"):
        outputs.choose(None, Path("out.json"), "terminal")
    with pytest.raises(UsageError, match="cannot write files named like that"):
        outputs.choose(None, Path("out"), "terminal")


def test_a_binary_format_writes_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    content = bytes(range(256))  # not text in any encoding: written exactly as given
    outputs = Outputs.of("terms x", "html", lambda: content)
    target = tmp_path / "page.html"
    write_output(outputs.choose(None, target, "html").render(), target)
    assert target.read_bytes() == content


@pytest.mark.parametrize(("args", "says"), [
    (["render", "-o", "terms.rtf"], "-o terms.rtf: terms render cannot write files named like "
     "that; it writes markdown (.md, .markdown), html (.html, .htm), text (.txt), docx "
     "(.docx) or pdf (.pdf), or give --format"),
    (["render", "-f", "json"], "--format json: terms render writes terminal, markdown, html, "
     "text, docx or pdf"),
    (["diff", "HEAD~1", "-o", "redline.xyz"], "-o redline.xyz: terms diff cannot write files "
     "named like that"),
    (["diff", "HEAD~1", "-f", "xml"], "--format xml: terms diff writes terminal, markdown, "
     "html, json, text or pdf"),
    (["diff", "HEAD~1", "--full", "-f", "json"], "--format json: terms diff --full writes "
     "html, pdf or docx"),
    (["notice", "20211101", "-o", "notice.json"], "-o notice.json: terms notice cannot write "
     "json files; it writes markdown (.md, .markdown), html (.html, .htm) or text (.txt)"),
    (["feed", "-o", "feed.html"], "-o feed.html: terms feed cannot write html files; it "
     "writes atom (.atom, .xml)"),
    (["check", "-f", "html"], "--format html: terms check writes terminal, json or github"),
    (["log", "-f", "markdown"], "--format markdown: terms log writes terminal or json"),
    (["outline", "-f", "text"], "--format text: terms outline writes terminal or json"),
    (["review", "-f", "json"], "--format json: terms review writes markdown, terminal or "
     "html"),
    (["review", "-o", "review.json"], "-o review.json: terms review -o cannot write json "
     "files; it writes html (.html, .htm), markdown (.md, .markdown) or text (.txt)"),
])
def test_an_unknown_format_or_suffix_is_one_usage_error(released: GitRepo, args: list[str],
                                                        says: str) -> None:
    before = sorted(p.name for p in released.root.iterdir())
    code, out, err = run_cli(*args)
    assert code == ExitCode.USAGE
    assert out == ""
    (line,) = err.strip().splitlines()
    assert line.startswith("error: ") and says in line
    assert sorted(p.name for p in released.root.iterdir()) == before  # nothing written


@pytest.mark.parametrize(("args", "name", "same_as"), [
    (["diff", "HEAD~1", "HEAD"], "redline.txt", ["diff", "HEAD~1", "HEAD", "-f", "text"]),
    (["diff", "HEAD~1", "HEAD"], "redline.md", ["diff", "HEAD~1", "HEAD", "-f", "markdown"]),
    (["diff", "HEAD~1", "HEAD"], "redline.JSON", ["diff", "HEAD~1", "HEAD", "-f", "json"]),
    (["render"], "terms.md", ["render", "-f", "markdown"]),
    (["render"], "terms.txt", ["render", "-f", "text"]),
    (["notice", "20211101", "--change-clause", "s1"], "notice.txt",
     ["notice", "20211101", "--change-clause", "s1", "-f", "text"]),
    (["feed", "--today", "2021-12-01"], "releases.xml", ["feed", "--today", "2021-12-01"]),
])
def test_the_suffix_picks_what_the_format_option_would(released: GitRepo, args: list[str],
                                                       name: str, same_as: list[str]) -> None:
    code, _out, _err = run_cli(*args, "-o", name)
    assert code == 0
    _code, expected, _err = run_cli(*same_as)
    assert (released.root / name).read_text(encoding="utf-8") == expected


def test_the_terminal_format_to_a_file_is_plain_text(released: GitRepo) -> None:
    code, _out, _err = run_cli("diff", "HEAD~1", "HEAD", "-f", "terminal", "-o", "r.log")
    assert code == 0
    _code, expected, _err = run_cli("diff", "HEAD~1", "HEAD", "-f", "text")
    assert (released.root / "r.log").read_text(encoding="utf-8") == expected
    assert "[-甲-]{+乙+}" in expected  # the markers that replace colours


def test_each_command_with_outputs_is_a_registered_command() -> None:
    from termstool.cli.app import COMMANDS

    names = {entry.name for entry in COMMANDS}
    assert set(BY_COMMAND) <= names
