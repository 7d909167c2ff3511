"""`terms review -f html` and `-o review.html`: the whole review as one page (verdict,
every check, the release facts, then the redline), checked by an HTML parser."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import GitRepo, clause, manifest, run_cli
from test_declarations import C1, FIXED, TYPO, _release_with_chinese_change, released
from test_diff_cli import HOSTILE_EN, RELEASE_1, RELEASE_2

TODAY = "2021-10-01"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


class _Page(HTMLParser):
    """Element ids in order, tags, the CSP, facts (dt → dd), and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.tags: list[str] = []
        self.csp: str | None = None
        self.facts: list[tuple[str, str]] = []
        self.text: list[str] = []
        self._in: str | None = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag == "meta" and found.get("http-equiv") == "Content-Security-Policy":
            self.csp = found.get("content")
        if tag in ("dt", "dd"):
            self._in, self._buffer = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "dt":
            self.facts.append(("".join(self._buffer).strip(), ""))
        elif tag == "dd" and self.facts:
            self.facts[-1] = (self.facts[-1][0], "".join(self._buffer).strip())
        if tag in ("dt", "dd"):
            self._in = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in:
            self._buffer.append(data)

    @property
    def flat(self) -> str:
        return " ".join("".join(self.text).split())


def parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    return parser


@pytest.fixture
def pull_request(repo: GitRepo) -> GitRepo:
    """Main has release 20210701; the branch records release 20211101 (one change of
    every kind, hostile text in one clause)."""
    repo.commit(RELEASE_1, when="2021-06-01T10:00:00+08:00")
    repo.git("checkout", "-q", "-b", "change")
    repo.commit(RELEASE_2, when="2021-10-01T10:00:00+08:00")
    return repo


def test_review_html_is_the_whole_review(pull_request: GitRepo) -> None:
    code, out, err = run_cli("review", "--base", "main", "--today", TODAY, "-f", "html")
    assert code in (0, 1), err
    assert out.startswith("<!DOCTYPE html>")
    page = parse(out)
    assert page.csp == CSP and "script" not in page.tags
    text = page.flat
    # the verdict, the checks, the release facts, then the redline, in that order
    assert page.ids.index("top") < page.ids.index("checks") < page.ids.index("releases") \
        < page.ids.index("release-tos") < page.ids.index("redline") \
        < page.ids.index("doc-tos") < page.ids.index("tos--s2-2")
    assert "terms review" in text and ("may merge" in text or "must not merge" in text)
    facts = dict(page.facts)
    assert facts["Version"] == "20210701 → 20211101 (new release)"
    assert facts["Announced"] == "2021-10-01" and facts["Effective"] == "2021-11-01"
    assert facts["Days of notice"] == "31 (30 required)"
    assert facts["Clauses"].startswith("1 added · 1 removed · 3 modified")
    # the redline: each changed clause, the hostile text as text
    assert " ".join(HOSTILE_EN.split()) in text
    assert "<script>alert(1)</script>" not in out


def test_review_html_lists_every_check(pull_request: GitRepo) -> None:
    # a change without a new release: the frozen-text errors are in the checks table
    pull_request.commit({"terms/tos/05-misc.md": clause("s5", "另有约定。", "Otherwise.")},
                        when="2021-10-02T10:00:00+08:00")
    code, out, err = run_cli("review", "--base", "main", "--today", "2021-10-02", "-f", "html")
    assert code == 1, err
    text = parse(out).flat
    assert "must not merge" in text and "❌ error" in text, text
    assert "frozen-text" in text and "backdated" in text and "file-order" in text, text


def test_o_writes_the_whole_review_and_prints_the_report(pull_request: GitRepo,
                                                         tmp_path: Path) -> None:
    code, out, err = run_cli("review", "--base", "main", "--today", TODAY, "-o", "review.html")
    assert code in (0, 1), err
    assert out.startswith("## ") and "terms review" in out  # the Markdown report
    written = (pull_request.root / "review.html").read_text(encoding="utf-8")
    page = parse(written)
    assert {"checks", "releases", "release-tos", "redline", "doc-tos"} <= set(page.ids)
    assert dict(page.facts)["Days of notice"] == "31 (30 required)"
    # .md and .txt name the whole review in those formats, never cut
    for name, head in (("review.md", "## "), ("review.txt", "terms review: ")):
        code, _out, err = run_cli("review", "--base", "main", "--today", TODAY, "-o", name)
        assert code in (0, 1), err
        whole = (pull_request.root / name).read_text(encoding="utf-8")
        assert whole.startswith(head) and "20211101" in whole and "s2-2" in whole


def test_the_step_summary_stays_markdown(pull_request: GitRepo, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, err = run_cli("review", "--base", "main", "--today", TODAY, "-f", "html")
    assert code in (0, 1), err
    assert out.startswith("<!DOCTYPE html>")
    assert summary.read_text(encoding="utf-8").startswith("## ")


def test_declared_correction_is_a_release_fact(repo: GitRepo) -> None:
    released(repo)
    repo.commit({C1: FIXED}, when="2021-08-01T10:00:00+08:00", message=TYPO)
    code, out, err = run_cli("review", "--base", "main", "--today", "2021-08-01", "-f", "html")
    assert code == 0, err
    facts = dict(parse(out).facts)
    assert "“合议” → “合意” (typo in the released text)" in facts["Declared correction"]


def test_translation_checked_is_a_release_fact(repo: GitRepo) -> None:
    _release_with_chinese_change(repo, "Monthly fees\n\nTranslation-checked: s2")
    code, out, err = run_cli("review", "--base", "main", "--today", "2021-08-01", "-f", "html")
    assert code == 0, err
    facts = dict(parse(out).facts)
    assert "translation of clause s2 was checked" in facts["Translation checked"]


def test_a_hostile_reason_is_text_in_the_page(repo: GitRepo) -> None:
    released(repo)
    repo.commit({C1: FIXED}, when="2021-08-01T10:00:00+08:00",
                message="Fix\n\nCorrection: s1 — 合议 → 合意, typo <b>x</b><script>y</script>")
    repo.commit({"terms/tos/document.yaml": manifest(
        extra='exception: "<img src=x onerror=alert(1)>"\n')}, when="2021-08-01T11:00:00+08:00")
    _code, out, err = run_cli("review", "--base", "main", "--today", "2021-08-01", "-f", "html")
    page = parse(out)
    assert "script" not in page.tags and "img" not in page.tags and "b" not in page.tags, err
    assert "typo <b>x</b><script>y</script>" in page.flat
