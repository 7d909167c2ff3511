"""``notice_url`` in document.yaml: validated with file and line; when set, every banner a
customer reads links to the notice there (HTML a real link, text the address after the
sentence), and the feed's entries point to it. And an audit: nothing a customer reads
names an internal clause id or a `terms` command."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import GitRepo, clause, manifest, run_terms
from test_notice_amendment import DOC, YAML, amended

NOTICE = "https://example.com/notices/20211101?lang=all&x=1"
PATTERN = "https://example.com/notices/{version}?lang=all&x=1"
WINDOW = "2021-10-15"  # 20211101 is announced (1 October), not yet in effect (31 October)


class _Text(HTMLParser):
    """The visible text of a page (no attributes, no style), and every link."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "title"):
            self._skip += 1
        if tag == "a":
            self.links.append(str(dict(attrs).get("href")))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def visible(page: str) -> _Text:
    parser = _Text()
    parser.feed(page)
    return parser


def with_url(repo: GitRepo) -> None:
    """The amendment of test_notice_amendment, and document.yaml naming where notices
    are published."""
    amended(repo)
    text = (repo.root / YAML).read_text(encoding="utf-8")
    repo.commit({YAML: text + f'notice_url: "{PATTERN}"\n'}, when="2021-10-02T10:00:00+08:00",
                message="Publish notices on the website")


# ------------------------------------------------------------------------- validation

@pytest.mark.parametrize(("value", "says"), [
    ("http://example.com/{version}", "https://"),
    ("https://example.com/{id}/{version}", "{version} is the only placeholder"),
    ("https://example.com/{version", "{version} is the only placeholder"),
    ("notices/{version}", "https://"),
    ("https://exa mple.com/{version}", "https://"),
    ("https:///{version}", "https://"),
])
def test_a_bad_notice_url_is_refused_with_file_and_line(repo: GitRepo, value: str,
                                                        says: str) -> None:
    repo.commit({YAML: manifest(extra=f'notice_url: "{value}"\n'),
                 f"{DOC}/01-a.md": clause("s1", "甲。", "A.")})
    code, out = run_terms("check", "--format", "json", "--today", "2021-06-01")
    assert code == 1, out
    found = json.loads(out[out.index("{"):])["problems"]
    bad = [p for p in found if "notice_url" in str(p["message"])]
    assert bad and bad[0]["file"] == YAML and bad[0]["line"] == 12, found
    assert says in str(bad[0]["message"]), bad


def test_a_good_notice_url_passes(repo: GitRepo) -> None:
    repo.commit({YAML: manifest(extra=f'notice_url: "{PATTERN}"\n'),
                 f"{DOC}/01-a.md": clause("s1", "甲。", "A.")})
    code, out = run_terms("check", "--today", "2021-06-01")
    assert code == 0, out


# ---------------------------------------------------------------------------- banners

@pytest.mark.parametrize("fmt", ["text", "terminal", "markdown"])
def test_the_window_banner_gives_the_address(repo: GitRepo, fmt: str) -> None:
    with_url(repo)
    code, out = run_terms("render", "-f", fmt, "--today", WINDOW, DOC)
    assert code == 0, out
    flat = "".join(out.split())
    assert "".join(NOTICE.split()) in flat.replace("\\", ""), out
    assert "thetextinforceuntilthenisversion20210701" in flat


def test_the_window_banner_links_in_html(repo: GitRepo) -> None:
    with_url(repo)
    code, out = run_terms("render", "-f", "html", "--today", WINDOW, DOC)
    assert code == 0, out
    assert NOTICE in visible(out).links
    assert f'href="{NOTICE.replace("&", "&amp;")}"' in out  # escaped by the template


def test_the_upcoming_banner_links(repo: GitRepo) -> None:
    with_url(repo)
    code, out = run_terms("render", "-f", "html", "--at", f"@{WINDOW}", "--today", WINDOW,
                          DOC)
    assert code == 0, out
    assert NOTICE in visible(out).links
    code, out = run_terms("render", "-f", "text", "--at", f"@{WINDOW}", "--today", WINDOW,
                          DOC)
    assert code == 0 and NOTICE in out, out


def test_without_notice_url_banners_name_version_and_dates_only(repo: GitRepo) -> None:
    amended(repo)
    code, out = run_terms("render", "-f", "html", "--today", WINDOW, DOC)
    assert code == 0, out
    page = visible(out)
    assert not [link for link in page.links if not link.startswith("#")], page.links
    assert "20211101" in "".join(page.text)


def test_site_and_feed_link_to_the_notice(repo: GitRepo, tmp_path: Path) -> None:
    with_url(repo)
    code, out = run_terms("feed", "--today", WINDOW, DOC)
    assert code == 0, out
    assert re.search(rf'<link [^>]*href="{re.escape(NOTICE.replace("&", "&amp;"))}"', out), out
    site = tmp_path / "site"
    code, out = run_terms("site", "-o", str(site), "--today", WINDOW, DOC)
    assert code == 0, out
    landing = next(p for p in site.rglob("*.html") if "tos" in str(p) and
                   "class=\"banner\"" in p.read_text(encoding="utf-8"))
    assert NOTICE in visible(landing.read_text(encoding="utf-8")).links


# ------------------------------------------------------------------------------ audit

INTERNAL = re.compile(r"\b(preamble|s[0-9]+(-[0-9]+)*)\b|\bterms (notice|release|check|"
                      r"render|diff|review|feed|site|log)\b|--[a-z]")


def _audit(what: str, text: str) -> None:
    # Markdown's anchors and cross-reference targets are not read: a reader sees the
    # clause number the link shows.
    text = re.sub(r'<a id="[^"]*"></a>|\]\(#[^)]*\)', " ", text)
    found = INTERNAL.search(text)
    assert found is None, f"{what} names {found.group(0)!r}:\n{text}"


@pytest.mark.parametrize("url", [True, False])
def test_no_customer_output_names_an_internal_id_or_a_command(repo: GitRepo, tmp_path: Path,
                                                              url: bool) -> None:
    with_url(repo) if url else amended(repo)
    for fmt in ("markdown", "text"):
        code, out = run_terms("notice", "20211101", "-f", fmt)
        assert code == 0, out
        _audit(f"notice -f {fmt}", out)
    code, out = run_terms("notice", "20211101", "-f", "html")
    _audit("notice -f html", " ".join(visible(out).text))
    for fmt in ("text", "markdown", "terminal"):
        for at in ((), ("--at", f"@{WINDOW}")):
            code, out = run_terms("render", "-f", fmt, "--today", WINDOW, *at, DOC)
            assert code == 0, out
            _audit(f"render -f {fmt} {at}", out)
    for at in ((), ("--at", f"@{WINDOW}")):
        code, out = run_terms("render", "-f", "html", "--today", WINDOW, *at, DOC)
        _audit(f"render -f html {at}", " ".join(visible(out).text))
    code, out = run_terms("feed", "--today", WINDOW, DOC)
    assert code == 0, out
    _audit("feed", re.sub(r"<[^>]*>", " ", out))
    site = tmp_path / "site"
    code, out = run_terms("site", "-o", str(site), "--today", WINDOW, DOC)
    assert code == 0, out
    for page in site.rglob("*.html"):
        _audit(str(page.relative_to(site)), " ".join(visible(page.read_text("utf-8")).text))
