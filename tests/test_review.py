"""`terms review` end to end: a bare origin, a clone, a feature branch, real git throughout."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import GIT_ENV, GitRepo, clause, manifest, run_terms
from conftest import check_golden as check_golden_file
from termstool.compare.clause_diff import diff_documents
from termstool.model.document import Clause, Document, Texts
from termstool.model.problems import Problem
from termstool.render.review_markdown import COMMENT_LIMIT, review_markdown
from termstool.report.review import Review

GOLDEN = Path(__file__).parent / "golden" / "review"
DOC = "terms/tos"
CHANGE = f"{DOC}/03-changes.md"
TODAY = "2021-09-01"
FEATURE_DAY = "2021-09-01T10:00:00+08:00"

OLD_ZH = "如本服务条款内容发生变动，阿里云应提前30天公告；如您不同意，您有权停止使用服务。"
OLD_EN = ("If these Terms change, Alibaba Cloud shall announce it 30 days in advance; if you "
          "disagree, you may stop using the services.")
NEW_ZH = "如本服务条款内容发生变动，阿里云应提前30天在官网公告；如您不同意，您有权停止使用服务。"
NEW_EN = ("If these Terms change, Alibaba Cloud shall announce it on its website 30 days in "
          "advance; if you disagree, you may stop using the services.")


def git(cwd: Path, *args: str, when: str | None = None) -> str:
    env = {**os.environ, **GIT_ENV}
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout


run = run_terms


def normalise(text: str) -> str:
    """Shas depend on git's object format; the golden file must not."""
    return re.sub(r"\b[0-9a-f]{12,40}\b", "<sha>", text)


def check_golden(name: str, text: str) -> None:
    """Compare with the golden file NAME of this test module."""
    check_golden_file(GOLDEN / name, text)


@pytest.fixture
def origin(repo: GitRepo, tmp_path: Path) -> Path:
    """A bare origin holding main with release 20210701 (announced 2021-06-01)."""
    repo.commit({
        f"{DOC}/document.yaml": manifest(doc_id="tos"),
        f"{DOC}/01-service.md": clause("s1", "阿里云向您提供服务。",
                                       "Alibaba Cloud provides the services.",
                                       title=("服务", "Services")),
        f"{DOC}/02-fees.md": clause("s2", "您应支付费用。", "You shall pay the fees."),
        CHANGE: clause("s3-2-11", OLD_ZH, OLD_EN, title=("条款变更", "Changes to these Terms")),
    }, when="2021-05-20T10:00:00+08:00", message="Terms of Service 20210701")
    bare = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    repo.git("remote", "add", "origin", str(bare))
    repo.git("push", "-q", "origin", "main")
    return bare


@pytest.fixture
def clone(origin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clone of origin on a feature branch; the current directory."""
    root = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(root))
    git(root, "switch", "-q", "-c", "feature")
    monkeypatch.chdir(root)
    return root


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).write_text(text, encoding="utf-8")


def test_review_blocks_short_notice_then_passes_after_release(clone: Path) -> None:
    # The branch changes the change clause and hand-writes a release with 20 days of notice.
    write(clone, {CHANGE: clause("s3-2-11", NEW_ZH, NEW_EN,
                                 title=("条款变更", "Changes to these Terms")),
                  f"{DOC}/document.yaml": manifest(doc_id="tos", version="20210921",
                                                   announced=TODAY, effective="2021-09-21")})
    git(clone, "commit", "-q", "-am", "Announce the change", when=FEATURE_DAY)

    code, out = run("review", "--today", TODAY)
    assert code == 1, out
    assert "must not merge" in out
    row = next(line for line in out.splitlines() if "`notice-period`" in line)
    assert r"3 \(s3-2-11\)" in row and "20 days" in row and "2021-10-01" in row
    check_golden("blocked.md", normalise(out))

    # The fix a user makes: drop the hand-written release, record one with `terms release`.
    git(clone, "reset", "-q", "HEAD~1")
    git(clone, "checkout", "-q", "--", f"{DOC}/document.yaml")
    code, out = run("release", "20211001", "--announced", TODAY, "--today", TODAY, "--effective", "2021-10-01",
                    DOC)
    assert code == 0, out
    git(clone, "commit", "-q", "-am", "Release 20211001", when=FEATURE_DAY)

    code, out = run("review", "--today", TODAY)
    assert code == 0, out
    assert "may merge" in out and "20210701 → 20211001" in out
    check_golden("passing.md", normalise(out))


def test_terminal_format_and_step_summary(clone: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    write(clone, {CHANGE: clause("s3-2-11", NEW_ZH, NEW_EN,
                                 title=("条款变更", "Changes to these Terms"))})
    git(clone, "commit", "-q", "-am", "Edit without a release", when=FEATURE_DAY)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    html = tmp_path / "review.html"

    code, out = run("review", "--format", "terminal", "--today", TODAY, "-o", str(html))
    assert code == 1
    assert "FAIL" in out and "[frozen-text]" in out and "s3-2-11" in out
    assert "2021-10-01" in out  # the earliest lawful effective date
    assert "[-阿里云应提前30天公告-]" not in out and "{+在官网+}" in out  # by character
    appended = summary.read_text(encoding="utf-8")
    assert appended.startswith("earlier step\n") and "## ❌ terms review" in appended
    assert "origin/main" in appended  # the base from $GITHUB_BASE_REF, named in the report
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_missing_default_base_says_to_pass_base(repo: GitRepo) -> None:
    repo.commit({f"{DOC}/document.yaml": manifest(doc_id="tos"),
                 CHANGE: clause("s3-2-11", OLD_ZH, OLD_EN)})
    code, out = run("review", "--today", TODAY)
    assert code == 2
    assert "origin/main" in out and "--base" in out and "Traceback" not in out


def test_unknown_base_exits_2(clone: Path) -> None:
    code, out = run("review", "--base", "origin/nope", "--today", TODAY)
    assert code == 2 and "origin/nope" in out and "Traceback" not in out


def test_shallow_clone_gets_the_fetch_advice(origin: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    repo = GitRepo.__new__(GitRepo)  # reuse the commit helper on the clone below
    root = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(root))
    repo.root = root
    monkeypatch.chdir(root)
    repo.commit({CHANGE: clause("s3-2-11", NEW_ZH, NEW_EN)}, when=FEATURE_DAY)
    code, out = run("review", "--today", TODAY)
    assert code == 2, out
    assert "fetch-depth: 0" in out and "git fetch --unshallow" in out
    assert "Traceback" not in out


# ------------------------------------------------------------------ the cut, without git

def _long_review(clauses: int) -> Review:
    body = "甲" * 2000

    def document(text: str) -> Document:
        from termstool.format.document_yaml import parse_manifest

        m, _ = parse_manifest("terms/tos/document.yaml", manifest(doc_id="tos").encode())
        assert m is not None
        items = tuple(Clause(f"c{i}", f"terms/tos/{i}.md", str(i + 1), Texts(),
                             Texts.of({"zh": text + str(i), "en": "x"})) for i in range(clauses))
        return Document("terms/tos", m, items)

    old, new = document(body), document(body.replace("甲", "乙", 1))
    redline = diff_documents([old], [new], ref_from="origin/main", ref_to="HEAD")
    from termstool.report.review import DocumentReview

    doc = DocumentReview(redline.documents[0], new.manifest, old.manifest,
                         (Problem("notice-period", "bad", document="tos"),), new)
    return Review("origin/main", "0" * 40, "HEAD", dt.date(2021, 9, 1),
                  doc.problems, (doc,), redline)


def test_long_report_is_cut_at_a_clause_boundary_with_a_note() -> None:
    review = _long_review(60)  # 60 redlines of 2,000 characters: well over the limit
    text = review_markdown(review, html_file="review.html")
    assert len(text) <= COMMENT_LIMIT
    assert text.count("<details>") == text.count("</details>")  # no redline cut in half
    shown = text.count("<details>")
    assert 0 < shown < 60
    assert f"{60 - shown} more clause redlines are not shown" in text
    assert "`review.html`" in text
    assert "`notice-period`" in text  # the verdict and checks survive every cut


def test_short_report_is_not_cut() -> None:
    text = review_markdown(_long_review(2))
    assert "cut at a clause boundary" not in text and text.count("<details>") == 2


def test_many_problems_keep_the_errors_and_count_the_rest() -> None:
    from dataclasses import replace

    from termstool.model.problems import Severity

    review = _long_review(1)
    warnings = tuple(Problem("translation-stale", "w" * 200, Severity.WARNING, document="tos")
                     for _ in range(1000))
    review = replace(review, problems=(*warnings, Problem("notice-period", "the error",
                                                          document="tos")))
    text = review_markdown(review)
    assert len(text) <= COMMENT_LIMIT
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert "the error" in rows[2]  # errors first, right under the table header
    assert "more: run `terms check --base origin/main`" in text
    assert "<details>" in text  # the redline still gets its share


def test_recorded_exception_and_added_waiver_are_shown(clone: Path) -> None:
    write(clone, {CHANGE: clause("s3-2-11", NEW_ZH, NEW_EN,
                                 title=("条款变更", "Changes to these Terms"))})
    code, out = run("release", "20210910", "--announced", TODAY, "--today", TODAY, "--effective", "2021-09-10",
                    DOC, "--exception", "required by the regulator")
    assert code == 0, out
    doc_yaml = clone / DOC / "document.yaml"
    doc_yaml.write_text(doc_yaml.read_text(encoding="utf-8") + "waivers:\n  - commit: "
                        "0123456789ab\n    rule: frozen-text\n    reason: fixed a typo late\n",
                        encoding="utf-8")
    git(clone, "commit", "-q", "-am", "Urgent release", when=FEATURE_DAY)

    code, out = run("review", "--today", TODAY)
    assert code == 0, out  # an exception turns the short notice into a warning
    assert "Notice exception (recorded by this change): required by the regulator" in out
    assert "Waiver added by this change: rule `frozen-text`, commit `0123456789ab`" in out
    assert "⚠️ warning | `notice-period`" in out and "9 days of notice" in out


def test_stale_translation_is_shown_with_its_document(clone: Path) -> None:
    write(clone, {CHANGE: clause("s3-2-11", NEW_ZH, OLD_EN,  # the English is not updated
                                 title=("条款变更", "Changes to these Terms"))})
    assert run("release", "20211001", "--announced", TODAY, "--today", TODAY, "--effective", "2021-10-01",
               DOC)[0] == 0
    git(clone, "commit", "-q", "-am", "Chinese only", when=FEATURE_DAY)
    code, out = run("review", "--today", TODAY)
    assert code == 1
    assert "| ❌ error | `translation-stale` | tos | 3 \\(s3-2-11\\) |" in out
    assert "- ❌ Translation: the authoritative text of clause s3-2-11 changed" in out
    assert "**English** (unchanged)" in out
