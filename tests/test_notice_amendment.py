"""The notice a lawyer signs, for an amendment with everything at once: a clause inserted,
one deleted, one moved, the change clause itself amended (30 → 45 days) and a declared
correction. Real git, every step through the CLI; the notice is a golden file."""

from __future__ import annotations

import re

from conftest import GOLDEN, GitRepo, check_golden, clause, manifest, run_terms

DOC = "terms/tos"
YAML = f"{DOC}/document.yaml"
PREAMBLE = clause("preamble", "本协议由双方经协商达成合议。", "The parties agree to these terms.",
                  extra="numbered: false\n")
SERVICE = clause("s1", "我们提供服务。", "We provide the services.", title=("服务", "Service"))
DAYS30 = clause("s2", "变更应提前30天公告；如您不同意，可停止使用服务。",
                "Changes are announced 30 days ahead; if you disagree, you may stop using "
                "the services.", title=("变更", "Changes"))
DAYS45 = clause("s2", "变更应提前45天公告；如您不同意，可停止使用服务。",
                "Changes are announced 45 days ahead; if you disagree, you may stop using "
                "the services.", title=("变更", "Changes"))
FEES = clause("s3", "您应支付费用。", "You shall pay the fees.", title=("费用", "Fees"))
DATA = clause("s4", "我们保存您的数据。", "We keep your data.", title=("数据", "Data"))
LAW = clause("s5", "适用中国法律。", "Chinese law applies.", title=("法律", "Law"))
MISC = clause("s6", "其他事项另行约定。", "Other matters are agreed separately.",
              title=("其他", "Other"))
SUPPORT = clause("s7", "我们提供技术支持。", "We provide technical support.",
                 title=("支持", "Support"))


def amended(repo: GitRepo) -> None:
    """Release 20210701; then, on 1 October 2021, a typo fix and the amendment."""
    repo.commit({YAML: manifest(extra="change_clause: s2\n"),
                 f"{DOC}/00-preamble.md": PREAMBLE, f"{DOC}/01-service.md": SERVICE,
                 f"{DOC}/02-changes.md": DAYS30, f"{DOC}/03-fees.md": FEES,
                 f"{DOC}/04-data.md": DATA, f"{DOC}/05-law.md": LAW,
                 f"{DOC}/06-misc.md": MISC}, when="2021-06-01T10:00:00+08:00")
    repo.commit({f"{DOC}/00-preamble.md": PREAMBLE.replace("合议", "合意")},
                when="2021-10-01T09:00:00+08:00",
                message="Fix a typo\n\nCorrection: preamble — 合议 → 合意, typo")
    # Other moves up after Service, Support is inserted, Data is deleted, and the change
    # clause promises 45 days (document.yaml follows it).
    repo.write({f"{DOC}/02-changes.md": None, f"{DOC}/03-fees.md": None,
                f"{DOC}/04-data.md": None, f"{DOC}/05-law.md": None,
                f"{DOC}/06-misc.md": None,
                f"{DOC}/02-misc.md": MISC, f"{DOC}/03-support.md": SUPPORT,
                f"{DOC}/04-changes.md": DAYS45, f"{DOC}/05-fees.md": FEES,
                f"{DOC}/06-law.md": LAW,
                YAML: manifest(extra="change_clause: s2\n", notice_days=45)})
    code, out = run_terms("release", "20211101", "--announced", "2021-10-01", "--effective",
                          "2021-10-31", "--today", "2021-10-01", "--force", DOC)
    assert code == 0, out  # 30 days: the period of the release in force on 1 October
    repo.commit(when="2021-10-01T10:00:00+08:00", message="Release 20211101")


def test_the_amendment_notice(repo: GitRepo) -> None:
    amended(repo)
    code, out = run_terms("check", "--today", "2021-10-01")
    assert code == 0 and "correction" in out, out
    code, out = run_terms("notice", "20211101")
    assert code == 0, out
    check_golden(GOLDEN / "notice" / "amendment-20211101.md", out)
    # old and new numbers; the removed clause by its old number; the move
    # (Markdown escapes the parentheses of the English)
    assert r"### 第4条（原第2条） / clause 4 \(formerly 2\) 变更 / Changes (修改 modified)" in out
    assert "### 第4条 / clause 4 数据 / Data (删除 removed)" in out
    assert r"### 第2条（由第6条移至第2条） / clause 2 \(moved from 6 to 2\)" in out
    moved = out[out.index("第2条（由第6条移至第2条）"):]
    moved = moved[:moved.index("\n### ")]
    assert "修订对照" not in moved  # moved, text unchanged: no redline
    assert "| 6 | 2 |" in out and "| 3 | 5 |" in out  # the renumbering table
    # the customer's rights as they stand: the 30-day clause in force, not the amended one
    rights = out[out.index("## 您的权利 What you may do"):]
    assert "30" in rights and "45" not in rights.split("## 条款编号对照")[0]
    assert "version 20210701" in rights
    # the correction, and no internal id or command anywhere
    assert "## 更正 Corrections" in out and "序言 / Preamble" not in out.split("## 更正")[0]
    assert "- 序言 / Preamble: “合议” → “合意” (typo)" in out
    assert not re.search(r"\b(preamble|s[0-9])\b", out), out
    assert "terms " not in out.replace("Terms of Service", "")
    code, text = run_terms("notice", "20211101", "-f", "text")
    assert code == 0 and "clause 4 (formerly 2)" in text and "“合议” → “合意”" in text
    assert not re.search(r"\b(preamble|s[0-9])\b", text), text


def test_render_during_the_notice_window(repo: GitRepo) -> None:
    amended(repo)
    for fmt in ("text", "markdown", "html", "terminal"):
        code, out = run_terms("render", "-f", fmt, "--today", "2021-10-15", DOC)
        assert code == 0, out
        flat = " ".join(out.split())
        assert "announced 2021-10-01, effective 2021-10-31; the text in force until then " \
               "is version 20210701" in flat, (fmt, out)
        assert "2021-10-01 公告" in flat and "45" in flat  # bilingual; the amended text
        assert "terms notice" not in out
    code, out = run_terms("render", "-f", "text", "--in-force", "--today", "2021-10-15", DOC)
    assert code == 0 and "30" in out and "45天" not in out, out
    assert "these terms change on 2021-10-31 (version 20211101" in " ".join(out.split())
    assert "terms notice" not in out
    # once in effect, no banner
    code, out = run_terms("render", "-f", "text", "--today", "2021-11-01", DOC)
    assert code == 0 and "in force until then" not in out
