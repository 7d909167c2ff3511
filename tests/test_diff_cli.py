"""`terms diff` end to end on a real git repository, in every format, against golden files.

Regenerate the golden files after an intended change of output with
``TERMS_REGEN_GOLDEN=1 .venv/bin/pytest tests/test_diff_cli.py`` and review their diff.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from conftest import GitRepo, clause, manifest
from conftest import check_golden as check_golden_file
from termstool.cli.app import app
from termstool.cli.diff_cmd import split_arguments
from termstool.errors import UsageError

GOLDEN = Path(__file__).parent / "golden" / "diff"
D = "terms/tos/"
HOSTILE_ZH = "您应在15日内支付费用，<script>alert(1)</script> 请联系 @user 或 **bold**。"
HOSTILE_EN = ("You shall pay the fees within 15 days; <script>alert(1)</script> write to "
              "@user or **bold**.")

RELEASE_1: dict[str, str | None] = {
    D + "document.yaml": manifest(),
    D + "01-intro.md": clause("s1", "本条款适用于您对服务的使用。",
                              "These Terms apply to your use of the services."),
    D + "02-service/_index.md": clause("s2", "服务内容见下列各款。", "The services are set out "
                                       "below.", title=("服务", "Services")),
    D + "02-service/01-scope.md": clause("s2-1", "服务范围以产品页面为准。",
                                         "The scope of the services is as shown on the "
                                         "product page."),
    D + "02-service/02-fees.md": clause("s2-2", "您应在30日内支付费用。",
                                        "You shall pay the fees within 30 days."),
    D + "02-service/03-refund.md": clause("s2-3", "退款规则见退款政策。",
                                          "Refunds follow the refund policy."),
    D + "03-data/_index.md": clause("s3", "数据条款如下。", "Data terms are as follows.",
                                    title=("数据", "Data")),
    D + "03-data/01-security.md": clause("s3-1", "您应(1)妥善保管密码,(2)及时更新。",
                                         "You shall (1) keep passwords safe and (2) update "
                                         "them promptly."),
    D + "03-data/02-backup.md": clause("s3-2", "您应自行备份数据。",
                                       "You shall back up you data yourself."),
    D + "04-law.md": clause("s4", "违反第[3](#s3)条的，乙方有权终止服务。",
                            "If you breach Section [3](#s3), Party B may terminate the "
                            "services."),
    D + "05-misc.md": clause("s5", "本条款另有约定的除外。",
                             "Unless otherwise agreed in these Terms."),
}
RELEASE_2: dict[str, str | None] = {
    D + "document.yaml": manifest(version="20211101", announced="2021-10-01",
                                  effective="2021-11-01"),
    # inserted: every later clause renumbers
    D + "015-definitions.md": clause("s1a", "本条款中“服务”指API网关服务。",
                                     'In these Terms, "services" means the API Gateway '
                                     "services."),
    # substantive, with text that must never act in Markdown or HTML
    D + "02-service/02-fees.md": clause("s2-2", HOSTILE_ZH, HOSTILE_EN),
    # moved to another parent
    D + "02-service/03-refund.md": None,
    D + "03-data/03-refund.md": clause("s2-3", "退款规则见退款政策。",
                                       "Refunds follow the refund policy."),
    # editorial: half-width punctuation in Chinese made full-width
    D + "03-data/01-security.md": clause("s3-1", "您应（1）妥善保管密码，（2）及时更新。",
                                         "You shall (1) keep passwords safe and (2) update "
                                         "them promptly."),
    # translation: only the English
    D + "03-data/02-backup.md": clause("s3-2", "您应自行备份数据。",
                                       "You shall back up your data yourself."),
    # its link follows clause s3 from 3 to 4
    D + "04-law.md": clause("s4", "违反第[4](#s3)条的，乙方有权终止服务。",
                            "If you breach Section [4](#s3), Party B may terminate the "
                            "services."),
    # deleted
    D + "05-misc.md": None,
}
EXPECTED = {
    "s1a": ("added", "substantive", "— → 2"),
    "s2": ("renumbered", None, "2 → 3"),
    "s2-1": ("renumbered", None, "2.1 → 3.1"),
    "s2-2": ("modified", "substantive", "2.2 → 3.2"),
    "s3": ("renumbered", None, "3 → 4"),
    "s3-1": ("modified", "editorial", "3.1 → 4.1"),
    "s3-2": ("modified", "translation", "3.2 → 4.2"),
    "s2-3": ("moved", None, "2.3 → 4.3"),
    "s4": ("reference", "editorial", "4 → 5"),
    "s5": ("removed", "substantive", "5 → —"),
}


@pytest.fixture
def released(repo: GitRepo) -> GitRepo:
    """Release 20210701, then release 20211101 with one change of every kind."""
    repo.commit(RELEASE_1, when="2021-06-01T10:00:00+08:00", message="Release 20210701")
    repo.commit(RELEASE_2, when="2021-10-01T10:00:00+08:00", message="Release 20211101")
    return repo


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["diff", *args])
    return result.exit_code, result.stdout, result.stderr


def check_golden(name: str, text: str) -> None:
    """Compare with tests/golden/diff/NAME."""
    check_golden_file(GOLDEN / name, text)


# ------------------------------------------------------------------ the release scenario


def test_json_reports_exactly_the_changes_of_the_release(released: GitRepo) -> None:
    code, out, _ = run("HEAD~1", "HEAD", "--format", "json")
    assert code == 0
    data = json.loads(out)
    (document,) = data["documents"]
    assert set(document) == {"id", "from", "to", "summary", "changes"}
    assert document["from"] == {"ref": "HEAD~1", "version": "20210701"}
    assert document["to"] == {"ref": "HEAD", "version": "20211101"}
    assert document["summary"] == {"added": 1, "removed": 1, "modified": 3, "renumbered": 3,
                                   "moved": 1, "renamed": 0, "reference": 1}
    got = {c["id"]: (c["kind"], c["class"],
                     f"{c['number_from'] or '—'} → {c['number_to'] or '—'}")
           for c in document["changes"]}
    assert got == EXPECTED
    for change in document["changes"]:
        assert set(change) == {"id", "id_from", "kind", "class", "number_from", "number_to",
                               "languages_changed", "zh", "en"}
        assert change["id_from"] == (None if change["kind"] == "added" else change["id"])
        assert all(op in ("=", "-", "+") and isinstance(text, str)
                   for lang in ("zh", "en") for op, text in change[lang]["ops"])
    fees = next(c for c in document["changes"] if c["id"] == "s2-2")
    assert "".join(t for op, t in fees["zh"]["ops"] if op != "-") == HOSTILE_ZH
    assert "".join(t for op, t in fees["zh"]["ops"] if op != "+") == "您应在30日内支付费用。"
    assert fees["languages_changed"] == ["zh", "en"]
    backup = next(c for c in document["changes"] if c["id"] == "s3-2")
    assert backup["languages_changed"] == ["en"]
    assert ["-", "you"] in backup["en"]["ops"] and ["+", "your"] in backup["en"]["ops"]
    check_golden("release.json", out)


def test_terminal_lists_the_changes_with_a_redline(released: GitRepo) -> None:
    code, out, _ = run("HEAD~1", "HEAD")
    assert code == 0
    rows = [line for line in out.splitlines() if re.match(r"^ \S+ → \S+ ", line)]
    assert [line.split("│")[2].strip() for line in rows] == \
        [cid for cid, (kind, _, _) in EXPECTED.items() if kind != "renumbered"]
    # the clauses only renumbered share one old │ new table
    for cid, (kind, _class, numbers) in EXPECTED.items():
        if kind == "renumbered":
            old, new = numbers.split(" → ")
            assert re.search(rf"^ {re.escape(old)} +│ {re.escape(new)} +│ .*│ {cid} *$", out,
                             re.M), cid
    assert "您应在[-30-]{+15+}日内" in out
    assert "back up [-you-]{+your+} data" in out
    assert "[half-width → full-width]" in out
    check_golden("release.txt", out)


def test_markdown_escapes_clause_text_for_github(released: GitRepo) -> None:
    code, out, _ = run("HEAD~1", "HEAD", "--format", "markdown", "--lang", "zh,en")
    assert code == 0
    # A table row and a <details> for every change except renumberings, which share one
    # old | new table.
    assert out.count("<details>") == 7 and out.count("</details>") == 7
    for cid, (kind, _class, numbers) in EXPECTED.items():
        if kind == "renumbered":
            old, new = numbers.split(" → ")
            assert re.search(rf"^\| {re.escape(old)} \| {re.escape(new)} \| .* \| `{cid}` \|$",
                             out, re.M), cid
        else:
            assert re.search(rf"^\| {re.escape(numbers)} \| .* \| `{cid}` \| {kind}", out,
                             re.M), cid
    assert "<del>30</del><ins>15</ins>" in out
    # Nothing from the clause is live: no raw tag, no bare mention, no emphasis.
    assert "<script>" not in out and re.search(r"(?<!\\)@user", out) is None
    assert "**bold**" not in out
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(out)
    assert "<script>" not in html and "<strong>bold</strong>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "**bold**" in html
    check_golden("release.md", out)


class _Page(HTMLParser):
    """Collects ids, links, open elements and text; fails on unbalanced tags."""

    VOID: ClassVar[set[str]] = {"meta", "br", "link", "img", "hr", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.tags: list[str] = []
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_one_escaped_page_with_navigation(released: GitRepo, tmp_path: Path) -> None:
    target = tmp_path / "redline.html"
    code, _, err = run("HEAD~1", "HEAD", "-o", str(target))
    assert code == 0 and "wrote" in err
    page = _Page()
    out = target.read_text(encoding="utf-8")
    page.feed(out)
    page.close()
    assert page.stack == []
    assert "script" not in page.tags and "link" not in page.tags  # self-contained, inert
    text = "".join(page.text)
    assert "<script>alert(1)</script>" in text and "**bold**" in text
    sections = [i for i in page.ids if i.startswith("tos--")]
    assert sections == [f"tos--{cid}" for cid, (kind, _, _) in EXPECTED.items()
                        if kind != "renumbered"]
    assert all(link[1:] in page.ids for link in page.links if link.startswith("#"))
    assert page.links.count("#tos--s2-2") >= 3  # summary, previous of next, next of previous
    assert "@media print" in out
    assert "<del>30</del><ins>15</ins>" in out
    check_golden("release.html", out)


def test_lang_limits_the_text_shown_not_the_changes(released: GitRepo) -> None:
    _, out, _ = run("HEAD~1", "HEAD", "--format", "json", "--lang", "en")
    changes = json.loads(out)["documents"][0]["changes"]
    assert len(changes) == len(EXPECTED)
    assert all("en" in c and "zh" not in c for c in changes)


# ------------------------------------------------------------- revisions and exit codes


def test_defaults_compare_head_with_the_working_tree(released: GitRepo) -> None:
    assert run("--exit-code") == (0, run()[1], "")
    released.write({D + "04-law.md": clause("s4", "违反第[4](#s3)条的，乙方可以终止服务。",
                                             "If you breach Section [4](#s3), Party B may "
                                             "terminate the services.")})
    code, out, _ = run("--format", "json", "--exit-code")
    assert code == 1
    document = json.loads(out)["documents"][0]
    assert document["from"]["ref"] == "HEAD" and document["to"]["ref"] == "working tree"
    assert [(c["id"], c["kind"], c["class"]) for c in document["changes"]] == [
        ("s4", "modified", "substantive")]


def test_one_revision_is_compared_with_the_working_tree(released: GitRepo) -> None:
    _, out, _ = run("HEAD~1", "--format", "json")
    assert len(json.loads(out)["documents"][0]["changes"]) == len(EXPECTED)


def test_version_labels_name_releases(released: GitRepo) -> None:
    code, out, err = run("20210701", "20211101", "--format", "json")
    assert code == 0, err
    document = json.loads(out)["documents"][0]
    assert (document["from"]["version"], document["to"]["version"]) == ("20210701",
                                                                        "20211101")
    assert len(document["changes"]) == len(EXPECTED)


def test_exit_code_reports_differences(released: GitRepo) -> None:
    assert run("HEAD~1", "HEAD", "--exit-code", "-f", "json")[0] == 1
    assert run("HEAD", "HEAD", "--exit-code")[0] == 0
    assert run("HEAD~1", "HEAD")[0] == 0  # without --exit-code a difference is no failure


def test_no_differences_are_said_plainly(released: GitRepo) -> None:
    code, out, _ = run("HEAD", "HEAD", "-f", "markdown")
    assert code == 0 and "No differences." in out


def test_a_path_limits_the_documents(released: GitRepo) -> None:
    released.commit({"terms/sla/document.yaml": manifest(doc_id="sla"),
                     "terms/sla/01-a.md": clause("a1", "可用性。", "Availability.")})
    _, out, _ = run("HEAD~2", "HEAD", "-f", "json")
    assert sorted(d["id"] for d in json.loads(out)["documents"]) == ["sla", "tos"]
    _, out, _ = run("HEAD~2", "HEAD", "terms/sla", "-f", "json")
    assert [d["id"] for d in json.loads(out)["documents"]] == ["sla"]
    sla = json.loads(out)["documents"][0]
    assert sla["from"]["version"] is None and sla["changes"][0]["kind"] == "added"


def test_unknown_revision_exits_2(released: GitRepo) -> None:
    code, _, err = run("no-such-rev", "HEAD")
    assert code == 2 and "no-such-rev" in err


def test_a_revision_cannot_be_an_option(released: GitRepo) -> None:
    code, _, err = run("--", "--output=/tmp/x", "HEAD")
    assert code == 2 and "error:" in err


def test_unknown_language_exits_2(released: GitRepo) -> None:
    code, _, err = run("HEAD~1", "HEAD", "--lang", "fr")
    assert code == 2 and "zh, en" in err


def test_a_repository_without_commits_says_what_to_do(repo: GitRepo) -> None:
    repo.write(RELEASE_1)
    code, _, err = run()
    assert code == 2 and "no commits yet" in err


def test_too_many_arguments_exit_2(released: GitRepo) -> None:
    code, _, err = run("HEAD~1", "HEAD", "terms", "extra")
    assert code == 2 and "too many arguments" in err


def test_arguments_split_into_revisions_and_a_path(released: GitRepo) -> None:
    assert split_arguments([]) == (None, None, None)
    assert split_arguments(["HEAD~1"]) == ("HEAD~1", None, None)
    assert split_arguments(["terms"]) == (None, None, Path("terms"))
    assert split_arguments(["HEAD~1", "terms"]) == ("HEAD~1", None, Path("terms"))
    assert split_arguments(["a", "b"]) == ("a", "b", None)
    assert split_arguments(["a", "b", "terms"]) == ("a", "b", Path("terms"))
    with pytest.raises(UsageError, match="does not exist"):
        split_arguments(["a", "b", "nowhere"])


def test_a_clause_that_cannot_be_read_is_reported_not_silently_removed(
        released: GitRepo) -> None:
    released.write({D + "05-extra.md": "---\nid: [broken\n---\n\n<!-- zh -->\n文\n"})
    code, out, err = run("-f", "json")
    assert code == 0
    assert "warning: in NEW (working tree): " in err and "05-extra.md" in err
    assert json.loads(out)["documents"][0]["changes"] == []


def test_redlines_show_cross_references_as_the_reader_sees_them(released: GitRepo) -> None:
    for fmt in ("text", "markdown", "json"):
        code, out, _ = run("HEAD~1", "HEAD", "-f", fmt)
        assert code == 0
        assert "](#s3)" not in out and "(#s3)" not in out.replace("\\", ""), fmt
    code, out, _ = run("HEAD~1", "HEAD", "-f", "text")
    assert "违反第[-3-]{+4+}条的" in out


def test_terminal_redline_breaks_chinese_lines_as_chinese_typesetting_does(
        repo: GitRepo) -> None:
    sentence = "本服务等级协议（以下简称“协议”）规定了阿里云向客户提供的服务可用性等级指标及赔偿方案。"
    repo.commit({D + "document.yaml": manifest(),
                 D + "01-a.md": clause("s1", sentence * 2, "The agreement.")})
    repo.commit({D + "01-a.md": clause("s1", sentence.replace("赔偿", "补偿") * 2,
                                       "The agreement.")})
    for columns in range(50, 120, 9):
        result = CliRunner(env={"COLUMNS": str(columns)}).invoke(
            app, ["diff", "HEAD~1", "HEAD", "--format", "terminal"])
        assert result.exit_code == 0, result.output
        lines = [line.strip() for line in result.stdout.split("\n") if line.strip()]
        assert "{+补+}偿" in result.stdout
        assert not [line for line in lines if line[0] in "。，、）”：；"], columns
        assert not [line for line in lines if line[-1] in "（“"], columns
