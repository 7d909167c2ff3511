"""`terms site`: the static archive of the terms, read back with an HTML parser.

A repository with three releases of one document (the third announced, not yet in
force) must show the text in force, the banner, three permalinks, the timeline of a
clause changed twice and a redline per release; every link of the site must lead to a
page and an anchor that exist; the same repository must give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import posixpath
import re
import subprocess
import sys
import threading
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

from conftest import PROJECT, GitRepo, clause, manifest, run_cli
from termstool.app.site import load_site, preview_server
from termstool.render.output_safety import command_lines
from termstool.render.site_html import render_site
from termstool.report.site import absolute, href, segment

D = "terms/tos"
TODAY = "2022-02-15"
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
CSP = ("default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
       "form-action 'none'")


# ------------------------------------------------------------------------- the parser


@dataclass(eq=False)
class Node:
    """An element: its tag, attributes and children (elements and text)."""

    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        """Its text, whitespace folded."""
        out: list[str] = []

        def walk(node: Node) -> None:
            for child in node.children:
                if isinstance(child, str):
                    out.append(child)
                else:
                    walk(child)

        walk(self)
        return " ".join("".join(out).split())

    def all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        """Every element below with this tag and these attribute values (class_ = class)."""
        found: list[Node] = []
        wanted = {k.rstrip("_"): v for k, v in attrs.items()}

        def walk(node: Node) -> None:
            for child in node.children:
                if isinstance(child, Node):
                    if (tag is None or child.tag == tag) and all(
                            (v in child.attrs.get(k, "").split()) if k == "class"
                            else child.attrs.get(k) == v for k, v in wanted.items()):
                        found.append(child)
                    walk(child)

        walk(self)
        return found

    def one(self, tag: str | None = None, **attrs: str) -> Node:
        """The one element below with this tag and these attributes."""
        found = self.all(tag, **attrs)
        assert len(found) == 1, f"{len(found)} <{tag} {attrs}>"
        return found[0]

    def ancestor(self, tag: str) -> Node | None:
        """The nearest enclosing element with this tag."""
        node = self.parent
        while node is not None and node.tag != tag:
            node = node.parent
        return node


class _Parser(HTMLParser):
    VOID: ClassVar[set[str]] = {"meta", "br", "link", "img", "hr", "input"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in self.VOID:
            self.current = node

    def handle_endtag(self, tag: str) -> None:
        assert self.current.tag == tag, f"</{tag}> closes <{self.current.tag}>"
        assert self.current.parent is not None
        self.current = self.current.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> Node:
    """The document tree of a page; fails on an element closed out of order."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    assert parser.current is parser.root, f"<{parser.current.tag}> is never closed"
    return parser.root


def page(site: Path, path: str) -> Node:
    return parse((site / path).read_text(encoding="utf-8"))


# ------------------------------------------------------------------------ repositories


def three_releases(repo: GitRepo) -> None:
    """20210701; 20211101 changes 2 and adds 4; 20220301 (announced 2022-01-20, effective
    2022-03-01) changes 2 again and removes 3. Clause 4 holds hostile text."""
    repo.commit({
        f"{D}/document.yaml": manifest(doc_id="tos"),
        f"{D}/01-service.md": clause("s1", "阿里云提供服务，费用见第[2](#s2)条。",
                                     "Alibaba Cloud provides; see clause [2](#s2) for fees.",
                                     title=("服务", "Service")),
        f"{D}/02-fees.md": clause("s2", "您应按月付费。", "You pay monthly.",
                                  title=("费用", "Fees")),
        f"{D}/03-other.md": clause("s3", "其他事项。", "Other matters."),
    }, when="2021-06-01T10:00:00+08:00")
    repo.commit({
        f"{D}/document.yaml": manifest(doc_id="tos", version="20211101",
                                       announced="2021-10-01", effective="2021-11-01"),
        f"{D}/02-fees.md": clause("s2", "您应按季付费。", "You pay quarterly.",
                                  title=("费用", "Fees")),
        f"{D}/04-hostile.md": clause("s4", f"恶意{HOSTILE}文本。", f"Hostile {HOSTILE}.",
                                     title=(f"标题{HOSTILE}", f"Title {HOSTILE}")),
    }, when="2021-10-01T10:00:00+08:00")
    repo.commit({
        f"{D}/document.yaml": manifest(doc_id="tos", version="20220301",
                                       announced="2022-01-20", effective="2022-03-01"),
        f"{D}/02-fees.md": clause("s2", "您应按年付费。", "You pay yearly.",
                                  title=("费用", "Fees")),
        f"{D}/03-other.md": None,
    }, when="2022-01-20T10:00:00+08:00")


def build(out: Path, *args: str) -> tuple[int, str]:
    code, _out, err = run_cli("site", "-o", str(out), "--today", TODAY, *args)
    return code, err


@pytest.fixture
def site(repo: GitRepo, tmp_path: Path) -> Path:
    three_releases(repo)
    out = tmp_path / "public"
    code, err = build(out)
    assert code == 0, err
    return out


# ----------------------------------------------------------------------------- checks


def test_three_releases_text_in_force_banner_permalinks_timeline_redlines(site: Path) -> None:
    landing = page(site, "tos/index.html")
    # The text in force is 20211101's: quarterly, not the upcoming yearly.
    fees = landing.one("section", id="s2")
    assert "您应按季付费。" in fees.text() and "You pay quarterly." in fees.text()
    assert "按年" not in landing.text() and landing.one(id="s3")  # removal not yet in force
    assert "version 20211101" in landing.one("p", class_="meta").text()
    # The banner: bilingual, with the dates and the links to the notice and the redline.
    banner = landing.one("aside", class_="banner")
    assert "本文件将于 2022-03-01 变更为版本 20220301，已于 2022-01-20 公告。" in banner.text()
    assert "This document changes on 2022-03-01 to version 20220301, announced on " \
           "2022-01-20." in banner.text()
    links = [a.attrs["href"] for a in banner.all("a")]
    assert links == ["20220301/#_notice", "20220301/#_redline", "20220301/text.html"]
    # Three permalinks, each saying where it stands.
    statuses = {version: page(site, f"tos/{version}/index.html").one(
        "p", class_="status-line").text() for version in ("20210701", "20211101", "20220301")}
    assert statuses["20210701"] == "已被版本 20211101 取代（自 2021-11-01 起） " \
        "Superseded by version 20211101 since 2021-11-01"
    assert statuses["20211101"] == "现行有效 In force"
    assert statuses["20220301"] == "尚未生效：将于 2022-03-01 生效 Upcoming: takes effect " \
        "on 2022-03-01"
    # The timeline of clause 2, changed twice after its first publication.
    timeline = fees.one("details", class_="timeline")
    entries = timeline.all("li")
    assert [e.one("a").text() for e in entries] == ["20210701", "20211101", "20220301"]
    assert [e.one("a").attrs["href"] for e in entries] == [
        "20210701/text.html#s2", "20211101/#s2", "20220301/#s2"]
    assert "first published" in entries[0].text()
    assert "modified · substantive" in entries[1].text()
    assert "upcoming" in entries[2].text() and "upcoming" in entries[2].attrs["class"]
    # A redline per release: none to show for the first, del and ins for the others.
    first = page(site, "tos/20210701/index.html")
    assert "First publication" in first.one("section", id="_redline").text()
    second = page(site, "tos/20211101/index.html").one("section", id="_redline")
    row = second.one("div", id="s2")
    assert [d.text() for d in row.all("del")] == ["月", "monthly"]
    assert [i.text() for i in row.all("ins")] == ["季", "quarterly"]
    assert "added" in second.one("div", id="s4").text()
    third = page(site, "tos/20220301/index.html").one("section", id="_redline")
    removed = third.one("div", id="s3")
    deleted = [d.text() for d in removed.all("del")]
    assert "removed" in removed.attrs["class"] and not removed.all("ins")
    assert "其他事项。" in deleted and "Other matters." in deleted
    # The whole document is in the redline, unchanged clauses included, in order.
    assert [r.attrs["id"] for r in third.all("div", class_="row")] == ["s1", "s2", "s3", "s4"]


def test_index_and_point_in_time(site: Path) -> None:
    index = page(site, "index.html")
    row = index.one("tbody").one("tr")
    cells = row.all("td")
    assert cells[0].one("a").attrs["href"] == "tos/20211101/"
    assert "effective 2021-11-01" in cells[0].text()
    assert cells[1].one("a").attrs["href"] == "tos/20220301/"
    assert "effective 2022-03-01" in cells[1].text() and "announced 2022-01-20" in cells[1].text()
    assert row.one("th").one("a").attrs["href"] == "tos/"
    versions = page(site, "versions.html").one("section", id="tos")
    rows = [r.text() for r in versions.one("tbody").all("tr")]
    assert "2022-03-01" in rows[0] and "20220301" in rows[0] and "Upcoming" in rows[0]
    assert "2021-11-01 to date" in rows[1] and "In force" in rows[1]
    assert "2021-07-01 to 2021-10-31" in rows[2] and "Superseded" in rows[2]
    text = page(site, "tos/20210701/text.html")
    assert "您应按月付费。" in text.one("section", id="s2").text()
    # The text of a release shows each clause's history up to that release only.
    assert len(text.one("section", id="s2").all("li")) == 1


def test_language_views_and_lang_attributes(site: Path) -> None:
    parallel, chinese, english = (page(site, f"tos/{name}.html")
                                  for name in ("index", "zh", "en"))
    assert parallel.one("html").attrs["lang"] == "zh-CN"
    assert chinese.one("html").attrs["lang"] == "zh-CN"
    assert english.one("html").attrs["lang"] == "en"
    assert "You pay quarterly." not in chinese.text() and "您应按季付费" in chinese.text()
    assert "您应按季付费" not in english.text() and "You pay quarterly." in english.text()
    for view in (parallel, chinese, english):
        langs = {node.attrs["lang"] for node in view.all() if "lang" in node.attrs}
        assert langs <= {"zh-CN", "en"}
        switch = view.one("nav", class_="views")
        assert [a.text() for a in switch.all("a")] == ["对照 / Parallel", "中文", "English"] \
            or [a.text() for a in switch.all("a")][1:] == ["中文", "English"]
        current = [a for a in switch.all("a") if a.attrs.get("aria-current") == "page"]
        assert len(current) == 1
    assert english.one("nav", class_="views").all("a")[2].attrs.get("aria-current") == "page"
    # Only the English words of the site on the English page.
    assert "全部文件" not in english.text() and "All documents" in english.text()


def test_clause_anchors_by_id_and_by_number(site: Path) -> None:
    landing = page(site, "tos/index.html")
    for number, clause_id in (("1", "s1"), ("2", "s2"), ("3", "s3")):
        anchor = landing.one(id=number)
        section = anchor.ancestor("section")
        assert section is not None and section.attrs["id"] == clause_id
    # The number resolves to the current holder: in 20220301, 3 is the hostile clause.
    upcoming = page(site, "tos/20220301/text.html")
    holder = upcoming.one(id="3").ancestor("section")
    assert holder is not None and holder.attrs["id"] == "s4"
    # Cross-references link to the clause's id.
    assert [a.text() for a in landing.one("section", id="s1").all("a", href="#s2")] == ["2", "2"]


def test_every_link_leads_to_a_page_and_an_anchor_that_exist(site: Path) -> None:
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    trees = {p: page(site, p) for p in pages}
    ids = {p: {n.attrs["id"] for n in tree.all() if "id" in n.attrs} for p, tree in trees.items()}
    checked = 0
    for path, tree in trees.items():
        assert len(ids[path]) == len([n for n in tree.all() if "id" in n.attrs]), \
            f"{path}: an id is used twice"
        for node in tree.all():
            for attr in ("href", "src"):
                url = node.attrs.get(attr)
                if url is None or url.startswith(("https://", "http://", "mailto:")):
                    continue
                target, _, fragment = url.partition("#")
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target)) \
                    if target else path
                if target.endswith("/") or target == "":
                    resolved = posixpath.join(resolved, "index.html") if target else path
                assert (site / resolved).is_file(), f"{path}: {url} leads nowhere"
                if fragment:
                    assert fragment in ids[resolved], f"{path}: {url}: no such anchor"
                checked += 1
    assert checked > 200


def test_pages_are_accessible_and_load_nothing_else(site: Path) -> None:
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        tree = parse(text)
        where = path.relative_to(site)
        # Headings in order: one h1 first, never a level skipped.
        levels = [int(n.tag[1]) for n in tree.all() if re.fullmatch(r"h[1-6]", n.tag)]
        assert levels[0] == 1 and levels.count(1) == 1, where
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), \
            (where, levels)
        # Landmarks: a banner, navigation, one main, a footer; a skip link to the main.
        assert tree.one("header") and tree.all("nav") and tree.one("footer")
        main = tree.one("main")
        assert tree.all("a", class_="skip")[0].attrs["href"] == f"#{main.attrs['id']}"
        # Nothing runs, nothing loads from elsewhere, no inline style.
        csp = tree.one("meta", **{"http-equiv": "Content-Security-Policy"})
        assert csp.attrs["content"] == CSP
        assert not tree.all("script") and not tree.all("style") and not tree.all("img")
        assert not [n for n in tree.all() if "style" in n.attrs], where
        assert [n.attrs["href"].rsplit("/", 1)[-1] for n in tree.all("link")
                if n.attrs["rel"] in ("stylesheet", "icon")] == ["site.css", "favicon.svg"]
        assert "<script" not in text


def test_text_from_the_repository_is_escaped(site: Path) -> None:
    for name in ("tos/index.html", "tos/20211101/index.html", "tos/20211101/text.html"):
        text = (site / name).read_text(encoding="utf-8")
        assert "<script>" not in text and "<img" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    landing = page(site, "tos/index.html")
    assert HOSTILE in landing.one("section", id="s4").text().replace("< ", "<")
    feed = (site / "feed.atom").read_text(encoding="utf-8")
    assert "<script>" not in feed


def test_the_same_repository_gives_the_same_bytes(repo: GitRepo, tmp_path: Path) -> None:
    three_releases(repo)
    first, second = tmp_path / "a", tmp_path / "b"
    assert build(first, "--base-url", "https://example.com/t/")[0] == 0
    assert build(second, "--base-url", "https://example.com/t/")[0] == 0

    def tree(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes()
                for p in sorted(root.rglob("*")) if p.is_file()}

    assert tree(first) == tree(second) and len(tree(first)) == 15


def test_sitemap_and_feed_need_the_base_url(repo: GitRepo, tmp_path: Path) -> None:
    three_releases(repo)
    plain, based = tmp_path / "plain", tmp_path / "based"
    code, err = build(plain)
    assert code == 0
    assert not (plain / "sitemap.xml").exists()
    assert "no --base-url: sitemap.xml is not written" in " ".join(err.split())
    assert page(plain, "tos/index.html").all("link", rel="canonical") == []
    atom = "{http://www.w3.org/2005/Atom}"
    entries = ET.fromstring((plain / "feed.atom").read_bytes()).findall(f"{atom}entry")
    assert [e.find(f"{atom}link").get("href") for e in entries  # type: ignore[union-attr]
            ] == ["tos/20220301/", "tos/20211101/", "tos/20210701/"]
    code, err = build(based, "--base-url", "https://example.com/terms")
    assert code == 0 and "not written" not in err
    urls = [loc.text for loc in ET.fromstring((based / "sitemap.xml").read_bytes()).iter(
        "{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert urls[:3] == ["https://example.com/terms/", "https://example.com/terms/versions.html",
                        "https://example.com/terms/tos/"]
    assert "https://example.com/terms/tos/20220301/text.html" in urls and len(urls) == 11
    entries = ET.fromstring((based / "feed.atom").read_bytes()).findall(f"{atom}entry")
    link = entries[0].find(f"{atom}link")
    assert link is not None and link.get("href") == "https://example.com/terms/tos/20220301/"
    canonical = page(based, "tos/20211101/index.html").one("link", rel="canonical")
    assert canonical.attrs["href"] == "https://example.com/terms/tos/20211101/"


def test_a_release_not_yet_announced_is_not_published(repo: GitRepo, tmp_path: Path) -> None:
    three_releases(repo)
    out = tmp_path / "out"
    code, _out, err = run_cli("site", "-o", str(out), "--today", "2022-01-19")
    assert code == 0, err
    assert not (out / "tos" / "20220301").exists()
    landing = page(out, "tos/index.html")
    assert landing.all("aside") == [] and "20220301" not in landing.text()
    assert "20220301" not in (out / "feed.atom").read_text(encoding="utf-8")


def test_odd_version_labels_get_safe_stable_paths(repo: GitRepo, tmp_path: Path) -> None:
    # A label document.yaml accepts, which would name a page rather than a directory.
    label = "2021.html"
    repo.commit({f"{D}/document.yaml": manifest(doc_id="tos"),
                 f"{D}/01-a.md": clause("s1", "甲。", "A.")})
    repo.commit({f"{D}/document.yaml": manifest(doc_id="tos", version=label,
                                                announced="2021-10-01",
                                                effective="2021-11-01"),
                 f"{D}/01-a.md": clause("s1", "乙。", "B.")}, when="2021-10-01T10:00:00+08:00")
    out = tmp_path / "out"
    code, _out, err = run_cli("site", "-o", str(out), "--today", "2021-12-01")
    assert code == 0, err
    seg = segment(label)
    assert re.fullmatch(r"2021-html-[0-9a-f]{8}", seg), seg
    assert label in page(out, f"tos/{seg}/index.html").one("h1").text()
    assert segment('2021/11 "β" <b>') == segment('2021/11 "β" <b>') != segment("2021/11")


def test_timeline_follows_a_renamed_clause(repo: GitRepo, tmp_path: Path) -> None:
    text = "阿里云向您提供长期稳定的云计算服务，包括计算、存储与网络。"
    repo.commit({f"{D}/document.yaml": manifest(doc_id="tos"),
                 f"{D}/01-a.md": clause("old-id", text, "Long text of the clause.")})
    repo.commit({f"{D}/document.yaml": manifest(doc_id="tos", version="20211101",
                                                announced="2021-10-01",
                                                effective="2021-11-01"),
                 f"{D}/01-a.md": clause("new-id", text, "Long text of the clause.")},
                when="2021-10-01T10:00:00+08:00")
    out = tmp_path / "out"
    assert run_cli("site", "-o", str(out), "--today", "2021-12-01")[0] == 0
    entries = page(out, "tos/index.html").one("section", id="new-id").all("li")
    assert [e.one("a").attrs["href"] for e in entries] == ["20210701/text.html#old-id",
                                                           "20211101/#new-id"]


def test_an_id_given_to_an_unrelated_text_starts_a_new_timeline(repo: GitRepo,
                                                                 tmp_path: Path) -> None:
    repo.commit({f"{D}/document.yaml": manifest(doc_id="tos"),
                 f"{D}/01-a.md": clause("s1", "阿里云向您提供云计算服务。", "Alibaba Cloud serves."),
                 f"{D}/02-b.md": clause("s2", "您应按月支付全部服务费用。", "You pay monthly.")})
    repo.commit({f"{D}/document.yaml": manifest(doc_id="tos", version="20211101",
                                                announced="2021-10-01",
                                                effective="2021-11-01"),
                 f"{D}/02-b.md": clause("s2", "争议由杭州法院管辖。", "Courts of Hangzhou.")},
                when="2021-10-01T10:00:00+08:00")
    out = tmp_path / "out"
    assert run_cli("site", "-o", str(out), "--today", "2021-12-01")[0] == 0
    redline = page(out, "tos/20211101/index.html")
    gone, new = redline.one("div", id="s2~was"), redline.one("div", id="s2")
    assert "removed" in gone.attrs["class"] and "added" in new.text()
    assert [a.attrs["href"] for a in redline.one("ul", class_="changed").all("a")] == [
        "#s2~was", "#s2"]
    entries = page(out, "tos/index.html").one("section", id="s2").all("li")
    assert [e.one("a").attrs["href"] for e in entries] == ["20211101/#s2"]
    assert "added" in entries[0].text()


def test_numbers_are_written_in_the_documents_style(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit({f"{D}/document.yaml": manifest(doc_id="tos",
                                                extra="numbering: chinese-article\n"),
                 f"{D}/01-a.md": clause("s1", "甲。", "A."),
                 f"{D}/02-b.md": clause("s2", "乙。", "B.")})
    out = tmp_path / "out"
    assert run_cli("site", "-o", str(out), "--today", "2021-12-01")[0] == 0
    number = page(out, "tos/index.html").one(id="2")
    assert number.text() == "第二条" and number.attrs["href"] == "#s2"


def test_output_directory_rules(site: Path, tmp_path: Path) -> None:
    # Its own site is replaced whole: a file it did not write there is gone after.
    (site / "stale.html").write_text("old", encoding="utf-8")
    assert build(site)[0] == 0 and not (site / "stale.html").exists()
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    code, err = build(other)
    assert code == 2 and "did not write" in err and (other / "notes.txt").exists()
    assert build(other, "--force")[0] == 0 and not (other / "notes.txt").exists()
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    assert build(a_file)[0] == 2


def test_where_the_site_may_not_be_written(site: Path, repo: GitRepo, tmp_path: Path) -> None:
    for where in (repo.root / "terms" / "public", repo.root, repo.root / ".git" / "x"):
        code, err = build(where, "--force")
        assert code == 2 and "-o" in err, (where, err)
    assert (repo.root / "terms" / "tos" / "document.yaml").is_file()
    link = tmp_path / "link"
    link.symlink_to(site, target_is_directory=True)
    code, err = build(link, "--force")
    assert code == 2 and "symbolic link" in err
    assert (site / "index.html").is_file()


def test_no_line_of_the_site_acts_on_a_ci_runner(repo: GitRepo, tmp_path: Path) -> None:
    body = "第一行\n::error file=x::伪造\n##[warning]假的"
    repo.commit({f"{D}/document.yaml": manifest(doc_id="tos"),
                 f"{D}/01-a.md": clause("s1", body, "one\n::stop-commands::token\ntwo")})
    out = tmp_path / "out"
    assert build(out, "--base-url", "https://example.com/")[0] == 0
    for path in sorted(out.rglob("*")):
        if path.is_file():
            assert command_lines(path.read_text(encoding="utf-8")) == [], path
    text = (out / "tos" / "index.html").read_text(encoding="utf-8")
    assert "&#58;:error file=x::伪造" in text and "##&#91;warning]" in text


def test_usage_errors(repo: GitRepo, tmp_path: Path) -> None:
    three_releases(repo)
    code, _out, err = run_cli("site")
    assert code == 2 and "-o" in err
    code, _out, err = run_cli("site", "-o", str(tmp_path / "x"), "--base-url", "example.com")
    assert code == 2 and "--base-url" in err


def test_uncommitted_changes_are_not_published(site: Path, repo: GitRepo) -> None:
    repo.write({f"{D}/02-fees.md": clause("s2", "草稿。", "Draft.", title=("费用", "Fees"))})
    code, err = build(site)
    assert code == 0 and "uncommitted changes are not published" in err
    assert "草稿" not in (site / "tos" / "index.html").read_text(encoding="utf-8")


def test_paths_links_and_permalinks() -> None:
    assert href("tos/20211101/index.html", "index.html") == "../../"
    assert href("tos/index.html", "tos/index.html", "s2") == "./#s2"
    assert href("index.html", "tos/20211101/index.html") == "tos/20211101/"
    assert href("tos/20211101/text.html", "tos/en.html") == "../en.html"
    assert absolute("https://x.org/t/", "tos/index.html") == "https://x.org/t/tos/"
    assert absolute("https://x.org/t/", "index.html") == "https://x.org/t/"
    assert segment("20211101") == "20211101" and segment("v2.1") == "v2.1"
    assert segment("..") != ".." and segment("a.html") != "a.html"
    assert segment("index", reserved=("index",)) != "index"
    assert segment("x/y") == segment("x/y") != segment("x y")


def test_preview_server_serves_on_localhost_only(site: Path) -> None:
    server = preview_server(site, 0)
    assert server.server_address[0] == "127.0.0.1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        with urllib.request.urlopen(base + "tos/20211101/") as response:
            assert response.status == 200
            assert response.headers["Content-Type"] == "text/html; charset=utf-8"
            assert b"20211101" in response.read()
        with urllib.request.urlopen(base + "feed.atom") as response:
            assert response.headers["Content-Type"] == "application/atom+xml"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_serve_command_builds_and_serves(repo: GitRepo) -> None:
    three_releases(repo)
    terms = Path(sys.executable).with_name("terms")
    process = subprocess.Popen([str(terms), "site", "--serve", "--port", "0", "--today", TODAY],
                               cwd=repo.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert match, line
        with urllib.request.urlopen(match.group(0) + "tos/") as response:
            assert "您应按季付费" in response.read().decode("utf-8")
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_this_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT)
    out = tmp_path / "public"
    code, _out, err = run_cli("site", "-o", str(out), "--today", "2024-01-01")
    assert code == 0, err
    index = page(out, "index.html")
    assert [a.attrs["href"] for a in index.one("tbody").all("a")][::2] == [
        "api-gateway-sla/", "api-gateway-terms-of-service/"]
    landing = page(out, "api-gateway-terms-of-service/index.html")
    holder = landing.one(id="3.2.11").ancestor("section")
    assert holder is not None and holder.attrs["id"] == "s3-2-11"
    assert "30天" in holder.text()
    # The SLA's notice quotes the change clause of the Terms of Service.
    sla = page(out, "api-gateway-sla/20210701/index.html")
    assert "3.2.11" in sla.one("section", id="_notice").text()


def test_the_pages_workflow_builds_from_the_whole_history() -> None:
    workflow = yaml.safe_load((PROJECT / ".github" / "workflows" / "site.yml").read_text(
        encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    runs = " ".join(step.get("run", "") for step in steps)
    assert "terms site -o public/ --base-url" in runs
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads "on" as True
    assert any(step.get("uses", "").startswith("actions/deploy-pages")
               for step in workflow["jobs"]["deploy"]["steps"])


def test_build_needs_no_cli(repo: GitRepo) -> None:
    three_releases(repo)
    built = load_site([], now=dt.datetime(2022, 2, 15, tzinfo=dt.UTC), today=None,
                      base_url=None)
    assert built.site.today == dt.date(2022, 2, 15)  # today in the document's timezone
    files = dict(render_site(built.site))
    assert sorted(files)[:3] == ["favicon.svg", "feed.atom", "index.html"]
    assert len(files) == 14  # no sitemap without a base address
