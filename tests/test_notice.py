"""`terms notice`: the bilingual customer notice of a release, from real git history."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import GitRepo, clause, manifest, run_cli, run_terms
from conftest import check_golden as check_golden_file
from termstool.report.notice import notice_href

GOLDEN = Path(__file__).parent / "golden" / "notice"
DOC = "terms/tos"
CHANGE_ZH = "如本条款变动，我们提前30天公告；如您不同意，您有权停止使用服务。继续使用视为接受。"
CHANGE_EN = ("If these Terms change, we announce it 30 days ahead; if you disagree, you may "
             "stop using the services. Continued use means acceptance.")
HOSTILE = "<script>alert(1)</script> @everyone **bold** [x](javascript:alert(1))"
QUOTED = "change_clause: s3-2-11\n"  # the clause quoted under "what you may do"


run = run_terms


def check_golden(name: str, text: str) -> None:
    """Compare with the golden file NAME of this test module."""
    check_golden_file(GOLDEN / name, text)


@pytest.fixture
def two_releases(repo: GitRepo) -> GitRepo:
    """Release 20210701, then 20211001 that changes s2 and adds s4 (hostile text)."""
    repo.commit({
        f"{DOC}/document.yaml": manifest(doc_id="tos", extra=QUOTED),
        f"{DOC}/01-service.md": clause("s1", "阿里云向您提供服务。",
                                       "Alibaba Cloud provides the services.",
                                       title=("服务", "Services")),
        f"{DOC}/02-fees.md": clause("s2", "您应按月支付费用。", "You shall pay the fees monthly.",
                                    title=("费用", "Fees")),
        f"{DOC}/03-changes.md": clause("s3-2-11", CHANGE_ZH, CHANGE_EN),
    }, when="2021-05-20T10:00:00+08:00")
    repo.commit({
        f"{DOC}/document.yaml": manifest(doc_id="tos", version="20211001",
                                         announced="2021-09-01", effective="2021-10-01",
                                         extra=QUOTED),
        f"{DOC}/02-fees.md": clause("s2", "您应按年支付费用。", "You shall pay the fees yearly.",
                                    title=("费用", "Fees")),
        f"{DOC}/04-other.md": clause("s4", f"新条款 {HOSTILE}", f"New clause {HOSTILE}",
                                     title=("其他", "Other")),
    }, when="2021-09-01T10:00:00+08:00")
    return repo


def test_markdown_notice(two_releases: GitRepo) -> None:
    code, out = run("notice", "20211001")
    assert code == 0, out
    assert "# 服务条款 变更公告" in out and "Terms of Service: Notice of Changes" in out
    assert "| 20211001 | 2021-09-01 | 2021-10-01 |" in out
    assert "| 第2条 | 费用 / Fees | 修改 modified |" in out  # cited as written
    assert "| 第4条 | 其他 / Other | 新增 added |" in out
    assert "您应按<del>月</del><ins>年</ins>支付费用。" in out
    assert "fees <del>monthly</del><ins>yearly</ins>" in out
    # What the customer may do, quoted from clause s3-2-11 in both languages.
    assert f"> {CHANGE_ZH}" in out and "> If these Terms change, we announce it" in out
    assert "现行《服务条款》（版本 20210701）第3条" in out  # the terms in force
    # Clause text is escaped: no raw HTML, no @mention, no javascript link.
    assert "<script>" not in out and "\\<script\\>" in out
    assert " @everyone" not in out and "everyone" in out and "](javascript:" not in out
    check_golden("20211001.md", out)


def test_html_notice_is_escaped(two_releases: GitRepo, tmp_path: Path) -> None:
    target = tmp_path / notice_href("tos", "20211001")
    target.parent.mkdir(parents=True)
    code, out = run("notice", "20211001", "-o", str(target))
    assert code == 0, out
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<del>月</del><ins>年</ins>" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'href="javascript' not in page
    assert "您的权利 What you may do" in page and CHANGE_ZH in page


def test_text_notice(two_releases: GitRepo) -> None:
    code, out = run("notice", "20211001", "--format", "text")
    assert code == 0, out
    assert "  中文 修订对照 redline:\n    费用\n\n    您应按[-月-]{+年+}支付费用。" in out
    # quoted from the terms in force on the announcement day
    assert "Under clause 3 of the Terms of Service in force (version 20210701):" in out
    check_golden("20211001.txt", out)


def test_first_release_is_a_first_publication(two_releases: GitRepo) -> None:
    code, out = run("notice", "20210701")
    assert code == 0, out
    assert "首次发布 First publication" in out and "变更条款" not in out


def test_unknown_version_lists_the_known_ones(two_releases: GitRepo) -> None:
    code, out = run("notice", "20991231")
    assert code == 2
    assert "20210701" in out and "20211001" in out and "Traceback" not in out


def test_change_clause_can_be_named_and_must_exist(two_releases: GitRepo) -> None:
    code, out = run("notice", "20211001", "--change-clause", "nope")
    assert code == 2 and "--change-clause" in out
    code, out = run("notice", "20211001", "--change-clause", "s1")
    assert code == 0 and "> 阿里云向您提供服务。" in out


def test_change_clause_is_found_in_another_document(two_releases: GitRepo) -> None:
    sla = "terms/sla"
    two_releases.commit({
        f"{sla}/document.yaml": manifest(doc_id="sla", version="20211001",
                                         announced="2021-09-01", effective="2021-10-01",
                                         extra=QUOTED),
        f"{sla}/01-scope.md": clause("sla-1", "可用性不低于99.9%。", "Availability is at least "
                                     "99.9%."),
    }, when="2021-09-01T11:00:00+08:00")
    code, out = run("notice", "20211001", sla)
    assert code == 0, out
    assert f"> {CHANGE_ZH}" in out  # quoted from the Terms of Service


def test_renumbered_clauses_are_counted_not_listed(two_releases: GitRepo) -> None:
    two_releases.commit({
        f"{DOC}/document.yaml": manifest(doc_id="tos", version="20211201",
                                         announced="2021-11-01", effective="2021-12-01",
                                         extra=QUOTED),
        f"{DOC}/00-intro.md": clause("s0", "引言。", "Introduction.", title=("引言", "Intro")),
    }, when="2021-11-01T10:00:00+08:00")
    code, out = run("notice", "20211201")
    assert code == 0, out
    assert "| 第1条 | 引言 / Intro | 新增 added |" in out
    assert "另有 4 个条款仅编号或所引条款编号变化" in out and "| 2 | 服务" not in out


def test_document_yaml_names_its_change_clause(repo: GitRepo) -> None:
    repo.commit({
        f"{DOC}/document.yaml": manifest(doc_id="tos", extra="change_clause: notice-rule\n"),
        f"{DOC}/01-service.md": clause("s1", "服务。", "Services."),
        f"{DOC}/02-changes.md": clause("notice-rule", CHANGE_ZH, CHANGE_EN),
    }, when="2021-05-20T10:00:00+08:00")
    repo.commit({
        f"{DOC}/document.yaml": manifest(doc_id="tos", version="2", announced="2021-09-01",
                                         effective="2021-10-01",
                                         extra="change_clause: notice-rule\n"),
        f"{DOC}/01-service.md": clause("s1", "全部服务。", "All services."),
    }, when="2021-09-01T10:00:00+08:00")
    code, out = run("notice", "2")
    assert code == 0, out
    assert f"> {CHANGE_ZH}" in out
    code, out = run("notice", "2", "--change-clause", "s1")
    # as it reads in the release in force on the announcement day, not as amended
    assert code == 0 and "> 服务。" in out and "> 全部服务。" not in out and CHANGE_ZH not in out


def test_without_a_change_clause_the_notice_has_no_quote(two_releases: GitRepo,
                                                         tmp_path: Path) -> None:
    text = (two_releases.root / DOC / "document.yaml").read_text(encoding="utf-8")
    two_releases.commit({f"{DOC}/document.yaml": text.replace(QUOTED, "")},
                        when="2021-09-01T11:00:00+08:00")
    for fmt in ("markdown", "text", "html"):
        code, out, err = run_cli("notice", "20211001", "--format", fmt)
        assert code == 0, err
        assert "note: tos names no change_clause" in err and "--change-clause" in err
        assert CHANGE_ZH not in out and "What you may do" not in out
        assert "费用" in out and "2021-10-01" in out
    code, out, err = run_cli("notice", "20211001", "--change-clause", "s3-2-11")
    assert code == 0 and f"> {CHANGE_ZH}" in out and "note:" not in err
