"""The banners customers read over the terms: a release announced and not yet in
effect, or amended terms during their notice period (version and dates, and a link to
the notice where document.yaml says where notices are published; never an id or a
command)."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from termstool.format.commonmark import single_line
from termstool.history.document_history import Release
from termstool.model.document import Document, Manifest
from termstool.model.languages import say, say_all


@dataclass(frozen=True, slots=True)
class Banner:
    """A banner a customer reads over the terms: its sentence in each of the document's
    languages, and where the notice of the release is published (``notice_url`` in
    document.yaml), with the words of the link; never an id or a command."""

    text: str
    link: str | None = None  # an https:// address (validated by format/document_yaml.py)
    link_text: str = ""  # e.g. "公告全文 Full notice"

    def plain(self) -> str:
        """The banner as one line of text: the address after the sentence."""
        return f"{self.text} {self.link_text}: {self.link}" if self.link else self.text


def notice_link(manifest: Manifest, version: str) -> str | None:
    """Where the notice of ``version`` is published, from ``notice_url``; None without."""
    if manifest.notice_url is None:
        return None
    return expand_notice_url(manifest.notice_url, version)


def expand_notice_url(pattern: str, version: str) -> str:
    """``notice_url`` with the version in place of ``{version}``."""
    return pattern.replace("{version}", urllib.parse.quote(version, safe=""))


def _banner(manifest: Manifest, version: str, text: str) -> Banner:
    return Banner(text, notice_link(manifest, version),
                  say_all("full notice", manifest.languages))


def upcoming_banner(document: Document | Manifest, upcoming: Release) -> Banner:
    """The banner, in each of the document's languages, over terms that a published
    release will replace: the version and dates, and a link to the notice when
    document.yaml says where notices are published; never a command (customers read
    it)."""
    manifest = document if isinstance(document, Manifest) else document.manifest
    return _banner(manifest, upcoming.version, " ".join(dict.fromkeys(
        say("upcoming banner", lang,
            title=single_line(manifest.title.get(lang)) or manifest.id,
            effective=upcoming.effective, version=upcoming.version,
            announced=upcoming.announced) for lang in manifest.languages)))


def window_banner(manifest: Manifest, release: Release, in_force: Release | None) -> Banner:
    """The banner, in each of the document's languages, over amended terms during their
    notice period, linking to the notice when document.yaml says where it is."""
    def one(lang: str) -> str:
        until = say("in force until then", lang, version=in_force.version) if in_force \
            else say("none in force before", lang)
        return say("window banner", lang,
                   title=single_line(manifest.title.get(lang)) or manifest.id,
                   version=release.version, announced=release.announced,
                   effective=release.effective, until=until)

    return _banner(manifest, release.version,
                   " ".join(dict.fromkeys(one(lang) for lang in manifest.languages)))
