"""The file format in the core: clause files, document.yaml, characters, numbering."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from conftest import PROJECT, manifest
from termstool.format import safe_yaml
from termstool.format.characters import (
    NO_LINE_END,
    NO_LINE_START,
    find_invisible,
    join_wrapped,
    line_breaks,
    needs_space,
    normalise_width,
    reveal,
)
from termstool.format.clause_file import (
    _SAFE_LOADER,
    decode,
    format_clause_file,
    parse_clause_file,
    simple_front_matter,
)
from termstool.format.document_yaml import load_yaml_strings, parse_manifest, simple_manifest
from termstool.format.numbering import number_key, number_siblings, sort_key
from termstool.model.document import Texts

# ---------------------------------------------------------------- clause files


def test_parse_a_full_clause_file() -> None:
    text = ("---\nid: s2-3-1\ntitle:\n  zh: 先付费后使用：\n  en: 'Pay Before Use:'\n"
            "translation: pending\n---\n\n<!-- zh -->\n第一段。\n\n第二段。\n\n<!-- en -->\n"
            "First paragraph.\n")
    parsed = parse_clause_file("c.md", text.encode())
    assert parsed.problems == ()
    assert parsed.id == "s2-3-1"
    assert parsed.title == Texts((("zh", "先付费后使用："), ("en", "Pay Before Use:")))
    assert parsed.body == Texts((("zh", "第一段。\n\n第二段。"), ("en", "First paragraph.")))
    assert parsed.numbered is True and parsed.translation_pending is True
    assert parsed.body_lines == (("zh", 9), ("en", 14))
    assert parsed.text_lines == (("zh", 10), ("en", 15))
    assert (parsed.id_line, parsed.title_line, parsed.body_start) == (2, 3, 8)


def test_unnumbered_clause_and_crlf() -> None:
    text = "---\r\nid: preamble\r\nnumbered: false\r\n---\r\n\r\n<!-- zh -->\r\n序言。\r\n"
    parsed = parse_clause_file("p.md", text.encode())
    assert parsed.problems == ()
    assert parsed.numbered is False
    assert parsed.body.get("zh") == "序言。"


@pytest.mark.parametrize(("text", "rule", "line", "says"), [
    ("", "front-matter", 1, "must start with a '---' line"),
    ("id: s1\n", "front-matter", 1, "must start with a '---' line"),
    ("---\nid: s1\nnumbered: maybe\n---\n", "front-matter", 3, "'numbered' must be true"),
    ("---\nid: s1\ntranslation: done\n---\n", "front-matter", 3, "'done' is not known"),
    ("---\nid: s1\ntitel: {zh: a}\n---\n", "front-matter", 3, "unknown key 'titel'"),
    ("---\nid: s1\ntitle: [a, b]\n---\n", "front-matter", 3, "title must map languages"),
    ("---\n- s1\n---\n", "front-matter", 2, "must be a mapping"),
    ("---\nid: 7\n---\n", "id", 2, "id 7 must be a lowercase ASCII slug"),
])
def test_front_matter_problems(text: str, rule: str, line: int, says: str) -> None:
    problems = parse_clause_file("c.md", text.encode()).problems
    assert any(p.rule == rule and p.line == line and says in p.message for p in problems), \
        problems


def test_unreadable_yaml_is_one_problem_not_a_cascade() -> None:
    parsed = parse_clause_file("c.md", b"---\nid: s1\ntitle: {zh: a\n---\n")
    assert [(p.rule, p.line) for p in parsed.problems] == [("yaml", 3)]
    assert parsed.id is None


def test_decode() -> None:
    assert decode("文".encode(), "f") == ("文", [])
    text, problems = decode(b"\xef\xbb\xbfa\r\nb", "f")
    assert text == "a\nb" and [p.line for p in problems] == [1]
    text, problems = decode(b"ok\n\xff", "f")
    assert text is None and problems[0].line == 2 and "byte 0xff at offset 3" in problems[0].message
    text, problems = decode(b"a\nb\n\x00", "f")
    assert text is None and problems[0].line == 3 and "binary" in problems[0].message


def test_format_writes_the_canonical_layout() -> None:
    text = format_clause_file("s1", Texts((("zh", "费用"), ("en", "Fees: all"))),
                              Texts((("zh", "甲。"), ("en", "A."))), numbered=False,
                              translation_pending=True)
    assert text == ("---\nid: s1\nnumbered: false\ntitle:\n  zh: 费用\n  en: 'Fees: all'\n"
                    "translation: pending\n---\n\n<!-- zh -->\n甲。\n\n<!-- en -->\nA.\n")


# Text a person writes in a clause: no marker lines, no invisible characters, no line
# breaks in titles; bodies are paragraphs of such lines.
_CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Cf", "Co", "Cn"))
_LINE = st.text(_CHARS, min_size=1, max_size=40).map(str.strip).filter(
    lambda s: bool(s) and not s.startswith("<!--") and s != "---")
_BODY = st.lists(_LINE, min_size=1, max_size=4).map("\n\n".join)
_ID = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,20}\Z")


@settings(max_examples=200, deadline=None)
@given(clause_id=_ID, zh_title=st.none() | _LINE, en_title=_LINE, zh=_BODY, en=_BODY,
       numbered=st.booleans(), pending=st.booleans())
def test_format_then_parse_round_trips(clause_id: str, zh_title: str | None, en_title: str,
                                       zh: str, en: str, numbered: bool, pending: bool) -> None:
    title = Texts((("zh", zh_title), ("en", en_title))) if zh_title else Texts()
    body = Texts((("zh", zh), ("en", en)))
    text = format_clause_file(clause_id, title, body, numbered=numbered,
                              translation_pending=pending)
    parsed = parse_clause_file("c.md", text.encode())
    assert parsed.problems == ()
    assert (parsed.id, parsed.title, parsed.body) == (clause_id, title, body)
    assert (parsed.numbered, parsed.translation_pending) == (numbered, pending)


# Values a front matter may hold: text of every kind, with the characters YAML treats
# specially (indicators, ": ", " #", quotes, line breaks other than \n, booleans...).
_TRICKY = st.sampled_from(["yes", "No", "null", "~", "true", "On", "0x1f", "2021-07-01",
                           "1e3", ".inf", "- item", "? q", "a: b", "a #b", "a#b", "b:",
                           "'q'", '"q"', "@x", "`x`", "%x", "!x", "&x", "*x", "|", ">",
                           "[x]", "{x}", "x\u0085y", "x\u2028y", "x\ty", "é", "附则",
                           "x ", " x", "\u00a0x", "x\ufeffy", "<<", "=", "12", "-1"])
_VALUE = _TRICKY | st.text(min_size=1, max_size=12) | st.builds(
    "".join, st.lists(_TRICKY | st.text(max_size=3), min_size=1, max_size=4))
_KEY = st.sampled_from(["id", "title", "numbered", "translation", "other", "no"])
_FRONT_LINE = st.one_of(
    st.builds(lambda k, v: f"{k}: {v}", _KEY, _VALUE),
    st.builds(lambda v: f"  zh: {v}", _VALUE),
    st.builds(lambda lang, v: f"  {lang}: {v}", st.sampled_from(["en", "no", "on", "x-y"]),
              _VALUE),
    st.sampled_from(["title:", "numbered: false", "numbered: true", "numbered: yes",
                     "translation: pending", "id: s1", "id:s1", "# comment", "", "  "]))


@settings(max_examples=1500, deadline=None)
@given(lines=st.lists(_FRONT_LINE, min_size=1, max_size=5))
def test_front_matter_read_without_yaml_is_what_yaml_reads(lines: list[str]) -> None:
    source = "\n".join(lines)
    fast = simple_front_matter(source)
    if fast is None:
        return  # read by YAML itself
    assert fast == yaml.load(source, Loader=_SAFE_LOADER)


@pytest.mark.parametrize("source", [
    "id: s3-2-11\ntitle:\n  zh: 变更\n  en: Changes to These Terms",
    "id: s1\nnumbered: false\ntranslation: pending",
    "id: c2-3",
])
def test_the_layout_the_tool_writes_is_read_without_yaml(source: str) -> None:
    assert simple_front_matter(source) == yaml.load(source, Loader=_SAFE_LOADER)


_MANIFEST_LINE = st.one_of(
    st.builds(lambda k, v: f"{k}: {v}", st.sampled_from(
        ["id", "version", "announced", "effective", "notice_days", "timezone", "title",
         "languages", "authoritative", "waivers"]), _VALUE),
    st.sampled_from(["title:", "  zh: 服务条款", "  en: Terms", "languages: [zh, en]",
                     "waivers:", "  - commit: abc1234", "    rule: frozen-text",
                     "    reason: a reason", 'version: "20210701"', "announced: 2021-06-01",
                     "# note", "", "\t", "key: [unclosed", "- x", "a: {b: c}", "x: 'q''q'",
                     'y: "\\u00e9"', "z: &a 1", "w: *a", "--- ", "..."]))


@settings(max_examples=1500, deadline=None)
@given(lines=st.lists(_MANIFEST_LINE | st.builds(lambda v: f"  zh: {v}", _VALUE)
                      | st.builds(lambda k, v: f'{k}: "{v}"', st.sampled_from(["id", "x"]),
                                  _VALUE), min_size=1, max_size=8),
       newline=st.booleans())
def test_document_yaml_read_without_yaml_is_what_yaml_reads(lines: list[str],
                                                             newline: bool) -> None:
    text = "\n".join(lines) + ("\n" if newline else "")
    fast = simple_manifest(text)
    if fast is None:
        return  # read by YAML itself
    assert fast == yaml.load(text, Loader=yaml.BaseLoader)


def test_the_document_yaml_layout_is_read_without_yaml() -> None:
    text = manifest()
    assert simple_manifest(text) == yaml.load(text, Loader=yaml.BaseLoader) is not None


@settings(max_examples=1500, deadline=None)
@given(lines=st.lists(_MANIFEST_LINE, min_size=1, max_size=8))
def test_libyaml_reads_document_yaml_as_the_pure_loader_does(lines: list[str]) -> None:
    text = "\n".join(lines)
    try:  # the pure loader, as the terms use it (no anchors, bounded depth)
        pure: object = safe_yaml.load(text, yaml.BaseLoader)
    except yaml.YAMLError as exc:
        pure = ("error", str(exc))
    try:
        ours: object = load_yaml_strings(text)
    except yaml.YAMLError as exc:
        ours = ("error", str(exc))
    assert ours == pure


# ---------------------------------------------------------------- document.yaml


def test_parse_manifest() -> None:
    parsed, problems = parse_manifest("d.yaml", manifest().encode())
    assert problems == []
    assert parsed is not None
    assert parsed.id == "tos"
    assert parsed.title.get("en") == "Terms of Service"
    assert parsed.languages == ("zh", "en") and parsed.authoritative == "zh"
    assert (parsed.notice_days, parsed.timezone, parsed.version) == (30, "Asia/Shanghai",
                                                                     "20210701")
    assert (parsed.announced, parsed.effective) == (dt.date(2021, 6, 1), dt.date(2021, 7, 1))


@pytest.mark.parametrize(("text", "line", "says", "usable"), [
    (manifest(announced="2021-02-30"), 10, "announced '2021-02-30' is not a date", False),
    (manifest(effective="1 July 2021"), 11, "effective '1 July 2021' is not a date", False),
    (manifest().replace("notice_days: 30", "notice_days: thirty"), 7, "whole number", True),
    (manifest().replace("Asia/Shanghai", "Mars/Olympus"), 8, "unknown timezone", True),
    (manifest().replace("authoritative: zh", "authoritative: fr"), 6, "'fr' is not in", True),
    (manifest().replace("id: tos", "id: Terms Of Service"), 1, "lowercase ASCII slug", False),
    (manifest().replace("languages: [zh, en]", "languages: zh"), 5, "must be a list", True),
    (manifest().replace('version: "20210701"\n', ""), 1, "missing required key 'version'",
     False),
    (manifest(extra="efective: 2021-07-01\n"), 12, "unknown key 'efective'", True),
    ("- a\n- b\n", 1, "must be a mapping", False),
])
def test_manifest_problems(text: str, line: int, says: str, usable: bool) -> None:
    parsed, problems = parse_manifest("d.yaml", text.encode())
    assert any(p.line == line and says in p.message for p in problems), problems
    assert (parsed is not None) == usable


def test_unknown_manifest_key_is_only_a_warning() -> None:
    _parsed, problems = parse_manifest("d.yaml", manifest(extra="owner: legal\n").encode())
    assert [(p.severity.value, p.line) for p in problems] == [("warning", 12)]


# ---------------------------------------------------------------- characters


@pytest.mark.parametrize("char", ["\u200b", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069",
                                  "\ufeff"])
def test_every_listed_invisible_character_is_found(char: str) -> None:
    hits = list(find_invisible(f"ab\nc{char}d"))
    assert [(h.line, h.column, h.char) for h in hits] == [(2, 2, char)]
    assert reveal(f"c{char}d") == f"c⟨U+{ord(char):04X}⟩d"


def test_ordinary_text_has_no_invisible_characters() -> None:
    assert list(find_invisible("本服务条款 API Gateway（“SLA”）— ok…")) == []


@pytest.mark.parametrize(("lines", "joined"), [
    (["本服务条款是阿里云计算有限公司（以下简称“阿里云", "”）与您就"], "本服务条款是阿里云计算有限公司（以下简称“阿里云”）与您就"),
    (["you shall pay the", "fees"], "you shall pay the fees"),
    (["the “Service”", "means"], "the “Service” means"),
    (["以下简称“", "阿里云”"], "以下简称“阿里云”"),
    (["阿里云 API 网关（API", "Gateway）服务"], "阿里云 API 网关（API Gateway）服务"),
    (["  indented start", "", "next"], "indented start next"),
])
def test_join_wrapped(lines: list[str], joined: str) -> None:
    assert join_wrapped(lines) == joined


def test_needs_space_at_the_edges() -> None:
    assert needs_space("", "a") is False and needs_space("a", "") is False
    assert needs_space("…", "a") is False


# ---------------------------------------------------------------- numbering


def test_numbers_come_from_position_skipping_unnumbered() -> None:
    assert number_siblings("", [False, True, True]) == ["", "1", "2"]
    assert number_siblings("3.1", [True, False, True]) == ["3.1.1", "", "3.1.2"]


def test_sort_key_and_number_key() -> None:
    names = ["10-b.md", "02-a", "01-z.md", "00-preamble.md"]
    assert sorted(names, key=sort_key) == ["00-preamble.md", "01-z.md", "02-a", "10-b.md"]
    assert sorted(["3.10", "3.9", "10", "3"], key=number_key) == ["3", "3.9", "3.10", "10"]
    assert number_key("") == ()


# ---------------------------------------------------------------- docs/format.md


def doc_examples(language: str) -> list[str]:
    """The fenced examples of one language in docs/format.md."""
    text = (PROJECT / "docs" / "format.md").read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


def test_the_examples_in_the_format_documentation_are_valid() -> None:
    [manifest_example] = doc_examples("yaml")
    parsed, problems = parse_manifest("document.yaml", manifest_example.encode())
    assert problems == [] and parsed is not None and parsed.version == "20210701"
    clause_example, reference_example = doc_examples("markdown")
    parsed_clause = parse_clause_file("c.md", clause_example.encode())
    assert parsed_clause.problems == () and parsed_clause.id == "s2-3-1"
    assert parsed_clause.title.get("en") == "Pay Before Use:"
    assert "[3](#s3)" in reference_example


_IDEOGRAPH = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
_OPENING = st.sampled_from("（「“")
_CLOSING = st.sampled_from("。，、）」”：；？！")
_WORD = st.text(alphabet=st.sampled_from("abcdefgXYZ"), min_size=1, max_size=5) | st.text(
    alphabet=st.sampled_from("abc/-_"), min_size=10, max_size=90)  # a path, folded
_PIECE = st.one_of(
    _IDEOGRAPH, st.builds(lambda a, b: a + b, _IDEOGRAPH, _CLOSING),
    st.builds(lambda a, b: a + b, _OPENING, _IDEOGRAPH),
    st.builds(lambda w: f" {w} ", _WORD), st.builds(lambda w, c: w + c, _WORD, _CLOSING))


@settings(max_examples=500, deadline=None)
@given(pieces=st.lists(_PIECE, min_size=1, max_size=60), width=st.integers(12, 60))
def test_line_breaks_fit_the_width_and_follow_kinsoku(pieces: list[str], width: int) -> None:
    text = "".join(pieces)
    breaks = line_breaks(text, width, cell_len)
    assert breaks == sorted(set(breaks)) and all(0 < b < len(text) for b in breaks)
    bounds = [0, *breaks, len(text)]
    lines = [text[a:b] for a, b in itertools.pairwise(bounds)]
    assert "".join(lines) == text
    for number, line in enumerate(lines):
        assert cell_len(line.rstrip(" ")) <= width
        if number:
            assert line[0] not in NO_LINE_START
        if number < len(lines) - 1:
            assert line.rstrip(" ")[-1:] not in NO_LINE_END


# Full-width forms, the ideographic space, combining marks that compose with what a
# full-width form folds to (＝ + U+0338 is ≠), other compatibility characters, and any text.
_WIDTH_ALPHABET = st.one_of(
    st.sampled_from("，。：；（）＝＜＞ＡＺａｚ０９　\u0338\u0301\u3099ｶﾞﬁ①²ｈé"),
    st.characters(codec="utf-8"))


@settings(max_examples=500)
@given(st.text(_WIDTH_ALPHABET, max_size=12))
def test_width_folding_is_nfkc(text: str) -> None:
    assert normalise_width(text) == unicodedata.normalize("NFKC", text)


def test_width_folding_is_nfkc_for_every_character() -> None:
    for code in range(0x110000):
        if not 0xD800 <= code < 0xE000:
            assert normalise_width(chr(code)) == unicodedata.normalize("NFKC", chr(code))
