"""`terms feed`: an Atom feed that parses, with one stable entry per announced release."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from conftest import GitRepo, clause, manifest, run_terms
from termstool.report.feed import entry_id

ATOM = "{http://www.w3.org/2005/Atom}"
DOC = "terms/tos"
HOSTILE = "]]></title><script>alert(1)</script>&amp;"


run = run_terms


def releases(repo: GitRepo) -> None:
    """20210701, then 20211001 (changes s2, adds a clause titled with hostile text)."""
    repo.commit({
        f"{DOC}/document.yaml": manifest(doc_id="tos"),
        f"{DOC}/01-service.md": clause("s1", "阿里云向您提供服务。", "Alibaba Cloud provides."),
        f"{DOC}/02-fees.md": clause("s2", "您应按月付费。", "You pay monthly.",
                                    title=("费用", "Fees")),
    }, when="2021-05-20T10:00:00+08:00")
    repo.commit({
        f"{DOC}/document.yaml": manifest(doc_id="tos", version="20211001",
                                         announced="2021-09-01", effective="2021-10-01"),
        f"{DOC}/02-fees.md": clause("s2", "您应按年付费。", "You pay yearly.",
                                    title=("费用", "Fees")),
        f"{DOC}/03-other.md": clause("s3", "其他。", "Other.", title=("其他", f"'{HOSTILE}'")),
    }, when="2021-09-01T10:00:00+08:00")


def parse(text: str) -> ET.Element:
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{ATOM}feed"
    return root


def test_one_entry_per_release_newest_first(repo: GitRepo) -> None:
    releases(repo)
    code, out = run("feed", "--today", "2021-09-15")
    assert code == 0, out
    root = parse(out)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    newest, first = entries
    assert newest.findtext(f"{ATOM}id") == entry_id("tos", "20211001")
    assert first.findtext(f"{ATOM}id") == entry_id("tos", "20210701")
    assert newest.findtext(f"{ATOM}updated") == "2021-09-01T00:00:00+08:00"
    assert root.findtext(f"{ATOM}updated") == "2021-09-01T00:00:00+08:00"
    link = newest.find(f"{ATOM}link")
    assert link is not None and link.get("href") == "notices/tos/20211001.html"
    content = newest.findtext(f"{ATOM}content") or ""
    assert "费用 / Fees (修改 modified)" in content and "2021-10-01" in content
    # The hostile title is text inside the entry's HTML, escaped, never markup.
    assert "<script>" not in content and "&lt;script&gt;" in content
    assert "First publication" in (first.findtext(f"{ATOM}summary") or "")
    assert root.find(f"{ATOM}author/{ATOM}name") is not None


def test_ids_are_stable_across_runs_and_options(repo: GitRepo) -> None:
    releases(repo)
    _, first = run("feed", "--today", "2021-09-15")
    _, second = run("feed", "--today", "2021-12-01", "--site", "https://example.com/terms/")
    ids = [[e.findtext(f"{ATOM}id") for e in parse(text).findall(f"{ATOM}entry")]
           for text in (first, second)]
    assert ids[0] == ids[1] and len(set(ids[0])) == 2
    assert parse(first).findtext(f"{ATOM}id") == parse(second).findtext(f"{ATOM}id")
    link = parse(second).find(f"{ATOM}entry/{ATOM}link")
    assert link is not None
    assert link.get("href") == "https://example.com/terms/notices/tos/20211001.html"


def test_unannounced_release_is_not_published(repo: GitRepo) -> None:
    releases(repo)
    code, out = run("feed", "--today", "2021-08-31")
    assert code == 0
    entries = parse(out).findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [entry_id("tos", "20210701")]


def test_feed_of_one_document_or_all(repo: GitRepo) -> None:
    releases(repo)
    repo.commit({"terms/sla/document.yaml": manifest(doc_id="sla"),
                 "terms/sla/01.md": clause("a1", "可用性。", "Availability.")},
                when="2021-09-02T10:00:00+08:00")
    _, everything = run("feed", "--today", "2021-09-15")
    _, one = run("feed", DOC, "--today", "2021-09-15")
    assert len(parse(everything).findall(f"{ATOM}entry")) == 3
    assert {c.get("term") for c in parse(one).iter(f"{ATOM}category")} == {"tos"}
    assert parse(one).findtext(f"{ATOM}id") != parse(everything).findtext(f"{ATOM}id")


def test_no_release_yet_announced_is_an_empty_valid_feed(repo: GitRepo) -> None:
    repo.commit({f"{DOC}/document.yaml": manifest(doc_id="tos", announced="2021-06-01"),
                 f"{DOC}/01.md": clause("s1", "甲。", "A.")})
    code, out = run("feed", "--today", "2021-05-01")
    assert code == 0
    root = parse(out)
    assert root.findall(f"{ATOM}entry") == []
    updated = root.findtext(f"{ATOM}updated") or ""
    assert dt.datetime.fromisoformat(updated).date() == dt.date(2021, 5, 1)
