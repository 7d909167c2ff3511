"""`terms site` in a real browser: Debian's Chromium, headless, driven by Playwright.

Two sites are built with the command itself and served on 127.0.0.1: this repository's,
and the demonstration repository of ``site_demo`` (this repository's terms with two
amendments, the second announced but not in force). A reader's path through each is
followed with JavaScript turned off in the browser (the site needs none): the index, a
document's text in force, another language, clause 3.2.11 by its number, its timeline,
an old release and its redline. No page may log a console error or ask for anything
outside the site's own files. Screenshots go to ``build/test-artifacts/``;
``TERMS_REGEN_SCREENSHOTS=1`` also rewrites the README's, in ``docs/screenshots/``.

Chromium is never downloaded: ``scripts/install-system-deps`` installs Debian's package
(``scripts/test`` runs it), and these tests fail, not skip, without it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Error,
    Page,
    Request,
    Response,
    sync_playwright,
)

from conftest import GIT_ENV, PROJECT, GitRepo
from site_demo import TODAY, build_demo
from termstool.app.site import preview_server

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
# Headless, and nothing that reaches out to the network on its own (the network is
# closed: Chromium would try, fail and be slow).
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = PROJECT / "build" / "test-artifacts"
SCREENSHOTS = PROJECT / "docs" / "screenshots"
TOS = "api-gateway-terms-of-service"


def _terms_site(cwd: Path, out: Path, *args: str) -> None:
    """Run `terms site` as a user does, in a fresh process."""
    terms = Path(sys.executable).with_name("terms")
    result = subprocess.run([str(terms), "site", "-o", str(out), *args], cwd=cwd,
                            env={**os.environ, **GIT_ENV}, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr


@dataclass
class Served:
    """A built site on a local server."""

    root: Path
    base: str


def _serve(root: Path) -> Iterator[Served]:
    server = preview_server(root, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(root, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def own_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """This repository's site, built by `terms site -o public/`."""
    out = tmp_path_factory.mktemp("own") / "public"
    _terms_site(PROJECT, out, "--today", "2024-01-01")
    yield from _serve(out)


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The demonstration repository's site, as of the day its third release is upcoming."""
    base = tmp_path_factory.mktemp("demo")
    (base / "repo").mkdir()
    root = build_demo(GitRepo(base / "repo"))
    out = base / "public"
    _terms_site(root, out, "--today", TODAY.isoformat(), "--base-url",
                "https://terms.example.com/")
    yield from _serve(out)


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserContext]:
    """Debian's Chromium with a fresh profile, JavaScript off."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-system-deps (as root) to "
                    "install Debian's chromium")
    profile = tempfile.mkdtemp(prefix="terms-chromium-")
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=str(CHROMIUM), args=FLAGS, headless=True,
                java_script_enabled=False, viewport={"width": 1280, "height": 800},
                locale="zh-CN")
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@dataclass
class Watch:
    """What a page did that it must not: console errors, failed or foreign requests."""

    base: str
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)

    @classmethod
    def attach(cls, page: Page, base: str) -> Watch:
        """Start watching ``page``, whose own files are those under ``base``."""
        watch = cls(base)
        page.on("console", watch.console)
        page.on("pageerror", watch.page_error)
        page.on("request", watch.request)
        page.on("requestfailed", watch.failed)
        page.on("response", watch.response)
        return watch

    def console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.errors.append(f"{message.type}: {message.text}")

    def page_error(self, error: Error) -> None:
        self.errors.append(f"page: {error}")

    def request(self, request: Request) -> None:
        self.requested.append(request.url)
        if not request.url.startswith(self.base):
            self.foreign.append(request.url)

    def failed(self, request: Request) -> None:
        self.errors.append(f"failed: {request.url} {request.failure}")

    def response(self, response: Response) -> None:
        if response.status >= 400:
            self.errors.append(f"{response.status}: {response.url}")

    def check(self) -> None:
        assert self.errors == [] and self.foreign == [], (self.errors, self.foreign)
        assert len(self.requested) >= 2  # the watch did see the pages


@pytest.fixture
def page(browser: BrowserContext) -> Iterator[Page]:
    opened = browser.new_page()
    yield opened
    opened.close()


def _screenshot(page: Page, name: str, *, readme: bool = False) -> None:
    """Save a screenshot as a test artefact; with TERMS_REGEN_SCREENSHOTS=1, a README
    screenshot is also written to docs/screenshots/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))
    if readme and os.environ.get("TERMS_REGEN_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ARTIFACTS / name, SCREENSHOTS / name)


def _jumped_to(page: Page, number: str) -> str:
    """After following #NUMBER: the id of the clause shown at the top of the window."""
    anchor = page.locator(f"[id='{number}']")
    box = anchor.bounding_box()
    assert box is not None and 0 <= box["y"] < 100, box
    return str(anchor.evaluate("e => e.closest('section').id"))


def test_a_reader_of_this_repository(own_site: Served, page: Page) -> None:
    watch = Watch.attach(page, own_site.base)
    page.goto(own_site.base)
    assert page.locator("h1").inner_text().startswith("条款与协议")
    # Follow the Terms of Service to its text in force.
    page.locator("table.documents a", has_text="阿里云 API 网关服务条款").click()
    assert page.url == own_site.base + f"{TOS}/"
    assert "version 20210701" in page.locator("p.meta").inner_text()
    assert page.locator("aside.banner").count() == 0
    # Switch to English.
    page.locator("nav.views a", has_text="English").click()
    assert page.url.endswith(f"{TOS}/en.html")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#s3-2-11 [lang='zh-CN']").count() == 0
    # Jump to clause 3.2.11 by its number: the clause that holds the number now.
    page.goto(own_site.base + f"{TOS}/en.html#3.2.11")
    assert _jumped_to(page, "3.2.11") == "s3-2-11"
    assert "30 days in advance" in page.locator("#s3-2-11").inner_text()
    # Its timeline: the one release, then to that release's page.
    timeline = page.locator("#s3-2-11 details.timeline")
    assert not timeline.locator("li").first.is_visible()
    timeline.locator("summary").click()
    assert timeline.locator("li").first.is_visible()
    timeline.locator("li a").first.click()
    assert page.url.startswith(own_site.base + f"{TOS}/20210701/text.html")
    assert "In force" in page.locator("p.meta").inner_text()
    page.goto(own_site.base + f"{TOS}/20210701/")
    assert "First publication" in page.locator("#_redline").inner_text()
    page.goto(own_site.base + f"{TOS}/")
    _screenshot(page, "this-repository-landing.png")
    watch.check()


def test_a_reader_of_the_demonstration(demo_site: Served, page: Page) -> None:
    watch = Watch.attach(page, demo_site.base)
    base = demo_site.base
    page.goto(base)
    row = page.locator("table.documents tbody tr", has_text="服务条款")
    assert "20211101" in row.locator("td").nth(0).inner_text()
    assert "20220301" in row.locator("td").nth(1).inner_text()
    # Follow the document: the text in force is 20211101's, with the banner.
    row.locator("th a").click()
    assert page.url == base + f"{TOS}/"
    banner = page.locator("aside.banner")
    assert banner.is_visible()
    assert "2022-03-01" in banner.inner_text() and "20220301" in banner.inner_text()
    assert "提前30天" in page.locator("#s3-2-11").inner_text()
    _screenshot(page, "site-landing.png", readme=True)
    # Switch to Chinese only.
    page.locator("nav.views a", has_text="中文").click()
    assert page.url == base + f"{TOS}/zh.html"
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("#s3-2-11 [lang='en']").count() == 0
    # Jump to 3.2.11; open its timeline: first published, changed, changing.
    page.goto(base + f"{TOS}/zh.html#3.2.11")
    assert _jumped_to(page, "3.2.11") == "s3-2-11"
    timeline = page.locator("#s3-2-11 details.timeline")
    timeline.locator("summary").click()
    entries = timeline.locator("li")
    assert entries.count() == 3
    assert "即将生效" in entries.nth(2).inner_text()
    # Open the release that changed it: the redline at the clause, del and ins visible.
    entries.nth(1).locator("a").click()
    assert page.url == base + f"{TOS}/20211101/#s3-2-11"
    change = page.locator("#s3-2-11")
    box = change.bounding_box()
    assert box is not None and 0 <= box["y"] < 100, box
    assert change.locator("ins").first.is_visible()
    assert "站内信或邮件" in change.locator("ins").first.inner_text()
    assert "In force" in page.locator("p.status-line").inner_text()
    # The next release: upcoming; its redline deletes and inserts.
    page.locator("a[rel=next]").click()
    assert page.url == base + f"{TOS}/20220301/"
    assert "Upcoming" in page.locator("p.status-line").inner_text()
    deleted = page.locator("#s3-2-11 del").first
    assert deleted.is_visible() and deleted.inner_text() == "30"
    assert page.locator("#s3-2-11 ins").first.inner_text() == "45"
    page.goto(base + f"{TOS}/20220301/#s3-2-11")
    page.mouse.wheel(0, -260)  # the clause before it too, unchanged
    page.wait_for_timeout(200)
    _screenshot(page, "site-redline.png", readme=True)
    # An old release: superseded.
    page.goto(base + f"{TOS}/20210701/")
    assert "Superseded by version 20211101 since 2021-11-01" in \
        page.locator("p.status-line").inner_text()
    page.locator("nav.release-nav a", has_text="Full text of version 20210701").click()
    assert "72个小时" in page.locator("#s4-3").inner_text()
    # Point in time, and the feed.
    page.goto(base + "versions.html")
    assert page.locator("#api-gateway-terms-of-service tbody tr").count() == 3
    watch.check()


def test_styles_for_the_reader(demo_site: Served, page: Page) -> None:
    watch = Watch.attach(page, demo_site.base)
    page.goto(demo_site.base + f"{TOS}/20211101/")
    # Deletions and insertions stand out without colour too.
    assert page.locator(".row.changed del").first.evaluate(
        "e => getComputedStyle(e).textDecorationLine") == "line-through"
    assert page.locator(".row.changed ins").first.evaluate(
        "e => getComputedStyle(e).textDecorationLine") == "underline"
    # Every text passes WCAG AA contrast (4.5:1) on the background it sits on.
    worst = page.evaluate(_CONTRAST)
    assert worst["ratio"] >= 4.5, worst
    page.goto(demo_site.base + f"{TOS}/")
    assert page.evaluate(_CONTRAST)["ratio"] >= 4.5
    # A visible focus: the first Tab reaches the skip link, which shows with an outline.
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.get_attribute("href") == "#_main" and focused.is_visible()
    assert focused.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    # Print: no navigation, no timelines; the text and the banner stay.
    page.emulate_media(media="print")
    assert not page.locator("nav.views").is_visible()
    assert not page.locator("header.site").is_visible()
    assert page.locator("aside.banner").is_visible()
    page.emulate_media(media="screen")
    watch.check()


@pytest.mark.parametrize("path", ["", f"{TOS}/", f"{TOS}/20220301/", "versions.html"])
def test_readable_at_320_pixels(demo_site: Served, page: Page, path: str) -> None:
    watch = Watch.attach(page, demo_site.base)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(demo_site.base + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    size = page.locator("main p").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 14
    watch.check()


# The lowest contrast ratio of any visible text on the page, with the element it is in
# (WCAG 2 relative luminance; the background is the nearest opaque one behind the text).
_CONTRAST = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
    .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = e => { for (; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c; }
    return [255, 255, 255]; };
  let worst = {ratio: 99, text: ""};
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement;
    if (!n.textContent.trim() || !e.getClientRects().length) continue;
    const style = getComputedStyle(e);
    if (style.visibility !== "visible" || e.closest(".skip")) continue;
    const a = lum(rgb(style.color)), b = lum(background(e));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < worst.ratio) worst = {ratio, text: n.textContent.slice(0, 40),
                                      tag: e.tagName, color: style.color};
  }
  return worst;
}"""
