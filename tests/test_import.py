"""`terms import`: the parser, the seed, update in place, bad input, refusal and atomicity."""

from __future__ import annotations

import json
import os
import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ENGLISH, PROJECT, SEED, TOS, GitRepo, run_cli
from termstool.app.importing import NewDocument, import_document
from termstool.errors import UncommittedChanges, UnreadableInput
from termstool.format.commonmark import CLAUSE_FILE, escape_markdown
from termstool.format.loader import load_documents
from termstool.importer.text_source import link_references, parse_source
from termstool.storage.working_tree import working_tree

INTO = "terms/api-gateway/terms-of-service"


run = run_cli


def state(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` except git's own, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(root).parts}


def outline(path: str | Path) -> list[tuple[str, str]]:
    code, out, _ = run("outline", str(path), "--format", "json")
    assert code == 0
    [document] = json.loads(out)["documents"]
    return [(c["number"], c["id"]) for c in document["clauses"]]


# ---------------------------------------------------------------- the parser

PAGED = """\
本服务条款是阿里云与您订立的有效合约，请您仔细阅读本服务条款的全部内容。

1. 服务内容
本条款中“服务”指：阿里云向您提供阿里云官网上所展示的 API网关（API Gateway）服务以及相关的技术
及网络支持服务。
2. 服务价格及费用
2.1. 价格均在阿里云官网的价格页面上列明，您应按照该网站上现时有效的价格体系支付相应
费用。

2.2．您可以通过支付宝、网银等途径向您的阿里云账户充值，然后再购买具体的服务。

相关协议·API 网关 服务条款 API 网关

> 文档版本：20210701 5

  2.3 根据您所订购的服务类型的不同，您应按照阿里云官网页面显示的付款时间向阿里云支付服务费用：
2.3.1 先付费后使用：
您购买阿里云以包年、包月形式售卖的服务，付清全部服务费用后，阿里云将为您提供服务。

当前的服务期届满，您仍须使用服务的，至少应在服务期满前7天内支付续费款项。
3. 权利义务
3.1 您的权利义务

1.API 网关 服务条款
 3.1.1 您应按照阿里云的页面提示及本服务条款的约定支付相应服务费用。

相关协议·API 网关 服务条款 API 网关

> 文档版本：20210701 6

  10.1 本条款另有约定的，从其约定，违反本服务第3条的承诺的除外。
"""


def test_parser_copes_with_page_artefacts_and_number_forms() -> None:
    source = parse_source(PAGED.replace("10.1", "3.1.2").encode(), "paged.txt")
    assert source.version == "20210701"
    got = [(c.number, c.title, c.paragraphs) for c in source.clauses]
    assert got == [
        ("", "", ("本服务条款是阿里云与您订立的有效合约，请您仔细阅读本服务条款的全部内容。",)),
        ("1", "服务内容", ("本条款中“服务”指：阿里云向您提供阿里云官网上所展示的 API网关（API Gateway）"
                          "服务以及相关的技术及网络支持服务。",)),
        ("2", "服务价格及费用", ()),
        ("2.1", "", ("价格均在阿里云官网的价格页面上列明，您应按照该网站上现时有效的价格体系支付相应费用。",)),
        ("2.2", "", ("您可以通过支付宝、网银等途径向您的阿里云账户充值，然后再购买具体的服务。",)),
        ("2.3", "", ("根据您所订购的服务类型的不同，您应按照阿里云官网页面显示的付款时间向阿里云支付服务费用：",)),
        ("2.3.1", "先付费后使用：", ("您购买阿里云以包年、包月形式售卖的服务，付清全部服务费用后，阿里云将为您提供服务。",
                                   "当前的服务期届满，您仍须使用服务的，至少应在服务期满前7天内支付续费款项。")),
        ("3", "权利义务", ()),
        ("3.1", "您的权利义务", ()),
        ("3.1.1", "", ("您应按照阿里云的页面提示及本服务条款的约定支付相应服务费用。",)),
        ("3.1.2", "", ("本条款另有约定的，从其约定，违反本服务第3条的承诺的除外。",)),
    ]
    assert [c.line for c in source.clauses][:4] == [1, 3, 6, 7]


def test_a_number_that_skips_ahead_is_an_error_naming_the_line() -> None:
    with pytest.raises(UnreadableInput) as caught:
        parse_source(PAGED.encode(), "paged.txt")  # 3.1.1 is followed by 10.1
    assert str(caught.value) == ("paged.txt:31: numbering jumps from 3.1.1 to 10.1: a clause "
                                 "is missing or mis-numbered; fix the source and import again")


def test_a_number_at_the_start_of_a_wrapped_line_is_text() -> None:
    text = "1. 当前的服务期届满，您仍须使用服务的，至少应在服务期满前\n7 日内支付续费款项。\n2. 其他约定。\n"
    source = parse_source(text.encode(), "t.txt")
    assert [(c.number, c.paragraphs) for c in source.clauses] == [
        ("1", ("当前的服务期届满，您仍须使用服务的，至少应在服务期满前7 日内支付续费款项。",)),
        ("2", ("其他约定。",))]


def test_the_longest_run_is_the_document_and_other_numbers_are_text() -> None:
    text = ("Notice\n\n1. Read this first.\n2. Then this.\n\n"
            "1. Service. The services are the API Gateway service and the related technical\n"
            "support services.\n2. Fees. You shall pay.\n2.1 Prices are listed.\n"
            "3. Other. You agree that the following list of items, which is not exhaustive,\n"
            "1. first item\n3.1 Nothing else.\n")
    source = parse_source(text.encode(), "t.md")
    assert [c.number for c in source.clauses] == ["1", "2", "2.1", "3", "3.1"]
    assert source.clauses[0].paragraphs == ("Service. The services are the API Gateway "
                                            "service and the related technical support "
                                            "services.",)
    assert source.clauses[3].paragraphs == ("Other. You agree that the following list of "
                                            "items, which is not exhaustive, 1. first item",)


def test_markdown_headings_are_read() -> None:
    text = "# 服务条款\n\n## 1. 服务内容\n\n本条款中的服务。\n\n## 2. 费用\n\n您应付费。\n"
    source = parse_source(text.encode(), "t.md")
    assert source.title == "服务条款"
    assert [(c.number, c.title, c.paragraphs) for c in source.clauses] == [
        ("1", "服务内容", ("本条款中的服务。",)), ("2", "费用", ("您应付费。",))]


def test_invisible_characters_are_removed_and_noted() -> None:
    source = parse_source("1. 您应\u200b支付费用。\n2. 其\u202e他。\n".encode(), "t.txt")
    assert [c.paragraphs for c in source.clauses] == [("您应支付费用。",), ("其他。",)]
    assert source.notes == ("removed 2 invisible character(s) from the source: U+200B at "
                            "line 1 column 6, U+202E at line 2 column 5",)


def test_plain_text_is_escaped_and_references_linked() -> None:
    assert escape_markdown("# a *b* <i> [x] &amp; 1. ~", CLAUSE_FILE) == \
        r"\# a \*b\* \<i> \[x\] \&amp; 1. \~"
    assert escape_markdown("1. first", CLAUSE_FILE) == r"1\. first"
    ids = {"3": "s3"}
    assert link_references("违反本服务第3条的承诺", "zh", ids) == "违反本服务第[3](#s3)条的承诺"
    assert link_references("《网络安全法》第3条", "zh", ids) == "《网络安全法》第3条"
    assert link_references("违反第9条", "zh", ids) == "违反第9条"
    assert link_references("breach of Section 3 of", "en", ids) == \
        "breach of Section [3](#s3) of"


# Generated numbered documents: the parser must give back the numbers, titles and
# paragraphs, however the lines are wrapped and the numbers written.
HAN = "阿里云服务条款您应按照页面提示及本约定支付相应费用对自己存放在平台上的数据负责"
WORDS = ["you", "shall", "pay", "the", "fees", "for", "services", "according", "to", "these", "terms", "and", "keep", "data", "safe"]


@st.composite
def sentences(draw: st.DrawFn, latin: bool) -> str:
    if latin:
        parts = [" ".join(draw(st.lists(st.sampled_from(WORDS), min_size=4, max_size=9)))
                 for _ in range(draw(st.integers(2, 5)))]
        return ", ".join(parts) + "."
    parts = ["".join(draw(st.lists(st.sampled_from(HAN), min_size=5, max_size=12)))
             for _ in range(draw(st.integers(2, 5)))]
    return "，".join(parts) + "。"


@st.composite
def titles(draw: st.DrawFn, latin: bool) -> str:
    if latin:
        return " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))).title()
    return "".join(draw(st.lists(st.sampled_from(HAN), min_size=2, max_size=8)))


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[tuple[str, str, tuple[str, ...]]]]:
    """A numbered text and the (number, title, paragraphs) it holds."""
    latin = draw(st.booleans())
    # Real extractions wrap at 80 or more Latin characters, 24 or more Chinese ones: a
    # shorter first line without a full stop would read as a clause title.
    width = draw(st.integers(80, 100) if latin else st.integers(24, 45))
    clauses: list[tuple[str, str, tuple[str, ...]]] = []
    lines: list[str] = []

    def wrap(text: str) -> list[str]:
        if latin:
            return textwrap.wrap(text, width, break_on_hyphens=False)
        return [text[i:i + width] for i in range(0, len(text), width)]

    if draw(st.booleans()):
        preamble = tuple(draw(st.lists(sentences(latin), min_size=1, max_size=2)))
        clauses.append(("", "", preamble))
        for paragraph in preamble:
            lines += [*wrap(paragraph), ""]

    def emit(parent: str, depth: int) -> None:
        for position in range(1, draw(st.integers(1, 4 if depth == 1 else 3)) + 1):
            number = f"{parent}.{position}" if parent else str(position)
            has_children = depth < 3 and draw(st.booleans())
            sep = draw(st.sampled_from([". ", "．", ".", " "] if depth > 1 else [". ", "．"]))
            paragraphs: tuple[str, ...]
            if has_children and draw(st.booleans()):
                title, paragraphs = draw(titles(latin)), ()
                lines.append(f"{number}{sep}{title}")
            else:
                title = draw(titles(latin)) + (":" if latin else "：") \
                    if draw(st.booleans()) else ""
                paragraphs = tuple(draw(st.lists(sentences(latin), min_size=1, max_size=3)))
                first = wrap(f"{number}{sep}{title or paragraphs[0]}")
                lines.extend(first)
                rest = paragraphs if title else paragraphs[1:]
                if not title and len(paragraphs) > 1:
                    lines.append("")
                for paragraph in rest:
                    lines.extend(wrap(paragraph))
                    lines.append("")
            clauses.append((number, title, paragraphs))
            if has_children:
                emit(number, depth + 1)

    emit("", 1)
    return "\n".join(lines) + "\n", clauses


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_parser_round_trips_generated_documents(
        doc: tuple[str, list[tuple[str, str, tuple[str, ...]]]]) -> None:
    text, expected = doc
    source = parse_source(text.encode(), "generated.txt")
    assert [(c.number, c.title, c.paragraphs) for c in source.clauses] == expected


# ---------------------------------------------------------------- the seed


def seed_numbers() -> list[str]:
    """The clause numbers written in the seed's Terms of Service, read independently."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith("本服务条款是阿里云计算有限公司"))
    end = next(i for i, ln in enumerate(lines) if ln.startswith("11.3 "))
    numbers = [m.group(1).rstrip(".．") for ln in lines[start: end + 1]
               if (m := re.match(r"^\s*(\d+(?:[.．]\d+)*[.．]?)(?=\s|[^\d.．A])", ln))]
    return numbers


def test_the_seed_parses_to_the_preamble_and_101_numbered_clauses() -> None:
    source = parse_source(SEED.read_bytes(), str(SEED))
    numbers = [c.number for c in source.clauses]
    assert numbers[0] == "" and len(numbers) == 102
    assert numbers[1:] == [n.replace("．", ".") for n in seed_numbers()]
    assert "3.1.8.6" in numbers and numbers[-1] == "11.3"


def test_importing_the_seed_reproduces_the_numbering_of_terms(repo: GitRepo) -> None:
    code, out, _ = run("import", str(SEED), "--into", INTO)
    assert code == 0, out
    assert "created" in out and "102 clauses (zh)" in out and "wrote 103 files" in out
    assert outline(INTO) == outline(TOS)
    numbers = [number for number, _ in outline(INTO)]
    assert numbers[0] == "" and numbers[1:] == seed_numbers()
    manifest = (repo.root / INTO / "document.yaml").read_text(encoding="utf-8")
    assert 'version: "20210701"' in manifest
    assert "announced: 2021-06-01" in manifest and "effective: 2021-07-01" in manifest


def test_english_import_aligns_by_number_and_reproduces_the_data(repo: GitRepo) -> None:
    assert run("import", str(SEED), "--into", INTO)[0] == 0
    repo.commit(message="import the Chinese")
    code, out, err = run("import", str(ENGLISH), "--into", INTO, "--lang", "en")
    assert code == 0, err
    assert "updated" in out and "translated: 102" in out
    imported = load_documents(working_tree(repo.root), INTO).documents[0]
    ours = load_documents(working_tree(PROJECT), INTO).documents[0]
    assert [(c.number, c.id, c.title, c.body.get("en")) for c in imported.walk()] == \
        [(c.number, c.id, c.title, c.body.get("en")) for c in ours.walk()]
    # The files are named from the English, as in terms/, and no translation is pending.
    assert {c.file for c in imported.walk()} == {c.file for c in ours.walk()}
    assert not any(c.translation_pending for c in imported.walk())
    code, out, _ = run("outline", INTO, "--format", "json")
    assert all(c["languages"] == ["zh", "en"] for c in json.loads(out)["documents"][0]["clauses"])


# ---------------------------------------------------------------- update in place

ORIGINAL = """\
1. 服务内容
1.1. 阿里云向您提供API网关服务以及相关的技术支持服务，具体以官网展示为准。
1.2. 您应按照页面提示及本服务条款的约定支付相应的服务费用，逾期未付的，阿里云有权停止服务。
1.3. 您应对自己存放在云平台上的数据以及进入和管理云平台上各类产品与服务的口令负责。
2. 其他
2.1. 本服务条款的订立、效力、解释、履行及争议解决，均适用中华人民共和国大陆地区法律。
2.2. 如本服务条款内容发生变动，阿里云应通过官网提前三十天公布最新的服务条款。
"""


@pytest.fixture
def imported(repo: GitRepo) -> GitRepo:
    """A repository holding ORIGINAL imported and committed."""
    source = repo.root / "source.txt"
    source.write_text(ORIGINAL, encoding="utf-8")
    import_document(source, repo.root / "terms" / "doc", new=NewDocument(version="20210701"))
    repo.commit(message="import")
    return repo


def reimport(repo: GitRepo, text: str) -> tuple[dict[str, str], object]:
    source = repo.root / "source.txt"
    source.write_text(text, encoding="utf-8")
    result = import_document(source, repo.root / "terms" / "doc", force=True)
    document = load_documents(working_tree(repo.root), "terms/doc").documents[0]
    return {c.number: c.id for c in document.walk()}, result.report


def test_first_import_ids_come_from_numbers(imported: GitRepo) -> None:
    document = load_documents(working_tree(imported.root), "terms/doc").documents[0]
    assert [(c.number, c.id) for c in document.walk()] == [
        ("1", "s1"), ("1.1", "s1-1"), ("1.2", "s1-2"), ("1.3", "s1-3"), ("2", "s2"),
        ("2.1", "s2-1"), ("2.2", "s2-2")]
    assert all(c.translation_pending for c in document.walk())  # no English yet


def test_an_inserted_clause_gets_a_new_id_not_its_neighbours(imported: GitRepo) -> None:
    text = ORIGINAL.replace("1.1. 阿里云向您", "1.1. 您理解并同意，阿里云可能根据业务需要调整服务的具体内容。\n"
                                              "1.2. 阿里云向您")
    text = text.replace("1.2. 您应按照", "1.3. 您应按照").replace("1.3. 您应对", "1.4. 您应对")
    ids, report = reimport(imported, text)
    assert ids == {"1": "s1", "1.1": "s1-1-v2", "1.2": "s1-1", "1.3": "s1-2", "1.4": "s1-3",
                   "2": "s2", "2.1": "s2-1", "2.2": "s2-2"}
    assert report.added == ("s1-1-v2",)  # type: ignore[attr-defined]
    assert report.changed == () and report.removed == ()  # type: ignore[attr-defined]
    assert ("s1-1", "1.1", "1.2") in report.renumbered  # type: ignore[attr-defined]


def test_a_slightly_edited_clause_keeps_its_id_and_is_reported(imported: GitRepo) -> None:
    ids, report = reimport(imported, ORIGINAL.replace("提前三十天", "提前三十日"))
    assert ids["2.2"] == "s2-2"
    assert report.changed == ("s2-2",)  # type: ignore[attr-defined]
    document = load_documents(working_tree(imported.root), "terms/doc").documents[0]
    assert "提前三十日" in document.clause("s2-2").body.get("zh")  # type: ignore[union-attr]


def test_a_moved_clause_keeps_its_id(imported: GitRepo) -> None:
    lines = ORIGINAL.splitlines()
    moved = lines[3].replace("1.3. ", "2.3. ")  # 1.3 becomes the last clause of 2
    text = "\n".join([*lines[:3], *lines[4:], moved]) + "\n"
    ids, report = reimport(imported, text)
    assert ids == {"1": "s1", "1.1": "s1-1", "1.2": "s1-2", "2": "s2", "2.1": "s2-1",
                   "2.2": "s2-2", "2.3": "s1-3"}
    assert report.renumbered == (("s1-3", "1.3", "2.3"),)  # type: ignore[attr-defined]
    assert report.added == () and report.changed == ()  # type: ignore[attr-defined]


def test_a_removed_clause_id_is_never_given_again(imported: GitRepo) -> None:
    text = ORIGINAL.replace(
        "2.2. 如本服务条款内容发生变动，阿里云应通过官网提前三十天公布最新的服务条款。\n", "")
    ids, report = reimport(imported, text)
    assert report.removed == ("s2-2",)  # type: ignore[attr-defined]
    imported.commit(message="remove 2.2")
    ids, report = reimport(imported, text + "2.2. 阿里云可以将本服务条款项下的权利转让给关联公司，无需另行通知。\n")
    assert ids["2.2"] == "s2-2-v2"


def test_the_cli_prints_what_it_did(imported: GitRepo) -> None:
    (imported.root / "source.txt").write_text(ORIGINAL.replace("提前三十天", "提前三十日"),
                                               encoding="utf-8")
    code, out, err = run("import", "source.txt", "--into", "terms/doc")
    assert code == 0, err
    assert "updated" in out and "authoritative text changed: 1" in out and "s2-2" in out
    assert "wrote 1 files, removed 0" in out
    assert "translation: pending" in err


# ---------------------------------------------------------------- bad input: exit 2, nothing written


BAD_INPUTS = [
    ("binary", b"1. \xe6\x9c\x8d\n\x00\x01\x02\x03", "bad.txt:2: binary file (NUL byte)"),
    # GB18030 and Big5 are read too (test_import_styles.py): 0xff is none of the three.
    ("no known encoding", "1. 服务内容\n2. 费用".encode() + b"\xff\n",
     "bad.txt:2: not UTF-8, GB18030 or Big5 text (byte 0xff"),
    ("no numbered clauses", "本服务条款是有效合约。\n请仔细阅读。\n".encode(),
     "bad.txt: no numbered clauses found"),
    ("numbering that jumps", "1. 服务。\n1.1 甲。\n1.3 丙。\n".encode(),
     "bad.txt:3: numbering jumps from 1.1 to 1.3"),
]


@pytest.mark.parametrize(("name", "data", "says"), BAD_INPUTS)
def test_bad_input_is_refused_by_the_parser_naming_file_and_line(name: str, data: bytes,
                                                                 says: str) -> None:
    with pytest.raises(UnreadableInput) as caught:
        parse_source(data, "bad.txt")
    where = says.split(": ", 1)[0].split(":")
    assert caught.value.file == "bad.txt"
    assert caught.value.line == (int(where[1]) if len(where) > 1 else None)
    assert str(caught.value).startswith(says)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(("name", "data", "says"), BAD_INPUTS)
def test_bad_input_exits_2_and_writes_nothing(repo: GitRepo, name: str, data: bytes,
                                              says: str) -> None:
    (repo.root / "bad.txt").write_bytes(data)
    before = state(repo.root)
    code, out, err = run("import", "bad.txt", "--into", "terms/doc")
    assert code == 2
    assert out == ""
    assert err.startswith(f"error: {says}")
    assert state(repo.root) == before


def test_missing_file_exits_2(repo: GitRepo) -> None:
    code, _out, err = run("import", "nowhere.txt", "--into", "terms/doc")
    assert code == 2 and "nowhere.txt: cannot read: No such file or directory" in err


def test_refuses_uncommitted_changes_unless_forced(imported: GitRepo) -> None:
    clause_file = next((imported.root / "terms" / "doc").glob("02-*/01-*.md"))
    clause_file.write_text(clause_file.read_text(encoding="utf-8") + "\n手工修改。\n",
                           encoding="utf-8")
    before = state(imported.root)
    code, _out, err = run("import", "source.txt", "--into", "terms/doc")
    assert code == 2
    assert "has uncommitted changes; commit or stash them first, or pass --force" in err
    assert state(imported.root) == before
    with pytest.raises(UncommittedChanges):
        import_document(imported.root / "source.txt", imported.root / "terms" / "doc")

    code, _out, err = run("import", "source.txt", "--into", "terms/doc", "--force")
    assert code == 0, err
    assert "手工修改" not in clause_file.read_text(encoding="utf-8")


def test_an_untracked_file_counts_as_uncommitted(imported: GitRepo) -> None:
    (imported.root / "terms" / "doc" / "99-draft.md").write_text("draft\n", encoding="utf-8")
    code, _out, err = run("import", "source.txt", "--into", "terms/doc")
    assert code == 2 and "uncommitted changes" in err


def test_outside_git_a_non_empty_target_needs_force(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "source.txt").write_text(ORIGINAL, encoding="utf-8")
    # Outside git even a new target needs --force (issue 9, item 17).
    assert run("import", "source.txt", "--into", "doc", "--version", "1",
               "--effective", "2021-07-01", "--force")[0] == 0
    code, _out, err = run("import", "source.txt", "--into", "doc")
    assert code == 2 and "is not in a git repository" in err
    assert run("import", "source.txt", "--into", "doc", "--force")[0] == 0


def test_a_failure_mid_write_leaves_the_tree_unchanged(
        imported: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """The third rename fails: every file written so far is rolled back."""
    text = ORIGINAL.replace("1.1. 阿里云向您", "1.1. 您理解并同意，阿里云可能调整服务的具体内容。\n1.2. 阿里云向您")
    text = text.replace("1.2. 您应按照", "1.3. 您应按照").replace("1.3. 您应对", "1.4. 您应对")
    text = text.replace("提前三十天", "提前三十日")
    (imported.root / "source.txt").write_text(text, encoding="utf-8")
    imported.commit(message="new source")
    before = state(imported.root)
    real_replace = os.replace
    calls = {"n": 0}

    def failing_replace(src: object, dst: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", failing_replace)
    code, _out, err = run("import", "source.txt", "--into", "terms/doc")
    assert calls["n"] > 3  # the failure happened mid-way and the rollback ran
    assert code == 2
    assert "No space left on device" in err and "nothing was changed" in err
    assert state(imported.root) == before
    assert imported.git("status", "--porcelain") == ""
