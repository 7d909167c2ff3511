"""An Atom feed (RFC 4287) of the releases of the terms, so customers can subscribe.

One entry per announced release: version, announcement and effective dates, the clauses
it changes, and a link to its notice. The XML is built with ElementTree, so every text
taken from the terms is escaped by the serialiser, never by hand.

Entry ids are ``urn:uuid:`` name-based UUIDs (RFC 4122, version 5) of the document id
and the version label: the same on every run and machine and whatever the options, and
never reused, because `terms` refuses to reuse a version label. (A ``tag:`` URI would
need a domain and a date its owner held it, which the repository does not record.)
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from termstool import __version__
from termstool.format.commonmark import to_plain
from termstool.report.notice import ReleaseChanges, kind_names, notice_href

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# A fixed namespace for the name-based UUIDs; changing it would change every entry id.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:terms-tool:feed")


def entry_id(document_id: str, version: str) -> str:
    """The permanent id of the entry for one release."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'release/{document_id}/{version}')}"


def feed_id(key: str) -> str:
    """The permanent id of a feed; ``key`` names what it covers (a document id or a scope)."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'feed/{key}')}"


@dataclass(frozen=True, slots=True)
class FeedOptions:
    """What the feed needs besides the releases."""

    key: str  # what the feed covers: the document id, or the scope for several documents
    title: str
    author: str
    today: dt.date  # the feed's date when it has no entry yet
    site: str | None = None  # where notices are published; links are relative without it


def _moment(day: dt.date, timezone: str) -> str:
    """Midnight of ``day`` in the document's timezone, as an RFC 3339 date-time."""
    return dt.datetime.combine(day, dt.time(), ZoneInfo(timezone)).isoformat()


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _plain(text: str) -> str:
    return " ".join(to_plain(text, {}).split())


def _title(item: ReleaseChanges) -> str:
    m = item.document.manifest
    names = " / ".join(_plain(m.title.get(lang)) for lang in m.languages if m.title.get(lang))
    return (f"{names or m.id}: 版本 version {item.release.version}, "
            f"{item.release.effective.isoformat()} 生效 effective")


def _summary(item: ReleaseChanges) -> str:
    release = item.release
    parts = [f"版本 Version {release.version}", f"公告 Announced {release.announced}",
             f"生效 Effective {release.effective}"]
    if item.first:
        parts.append("首次发布 First publication")
    else:
        clauses = item.clauses()
        parts.append(f"变更条款 Changed clauses: {len(clauses)}" if clauses
                     else "条款文本未变更 No clause text changed")
    return "; ".join(parts)


def _content(parent: ET.Element, item: ReleaseChanges, href: str) -> None:
    """The entry's body: an HTML fragment built as elements, serialised, then stored as
    ``type="html"`` text, so both layers of escaping are ElementTree's."""
    div = ET.Element("div")

    def add(tag: str, into: ET.Element, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(into, tag, attrs)
        if text is not None:
            element.text = text
        return element

    release = item.release
    add("p", div, f"版本 Version {release.version} · 公告 Announced {release.announced} · "
                  f"生效 Effective {release.effective}")
    if release.exception:
        add("p", div, f"通知期例外 Notice exception: {release.exception}")
    if item.first:
        add("p", div, "首次发布 First publication")
    else:
        clauses = item.clauses()
        if not clauses:
            add("p", div, "条款文本未变更 No clause text changed")
        else:
            add("p", div, "变更条款 Changed clauses:")
            listing = add("ul", div)
            languages = item.document.manifest.languages
            for clause in clauses:
                titles = " / ".join(_plain(clause.title.get(lang)) for lang in languages
                                    if clause.title.get(lang))
                zh, en = kind_names(clause)
                add("li", listing, f"{clause.number or clause.id} {titles}".strip()
                    + f" ({zh} {en})")
    add("a", add("p", div), "公告全文 Full notice", href=href)
    _sub(parent, "content", ET.tostring(div, encoding="unicode", method="html"), type="html")


def build_feed(items: Sequence[ReleaseChanges], options: FeedOptions) -> str:
    """The Atom document for these releases, newest first."""
    ordered = sorted(items, key=lambda i: (i.release.announced, i.release.effective,
                                           i.document.id), reverse=True)
    # Elements are built without a namespace and the root declares Atom's as the default:
    # ElementTree would otherwise invent "ns0:" prefixes (or refuse the unqualified
    # attributes that Atom uses, such as rel and href).
    feed = ET.Element("feed", {"xmlns": ATOM})
    first_lang = ordered[0].document.manifest.authoritative if ordered else "zh"
    feed.set(XML_LANG, first_lang)
    _sub(feed, "id", feed_id(options.key))
    _sub(feed, "title", options.title)
    _sub(feed, "subtitle", "条款变更公告 Notices of changes to the terms")
    if ordered:
        updated = max((_moment(i.release.announced, i.document.manifest.timezone)
                       for i in ordered), key=dt.datetime.fromisoformat)
    else:
        updated = dt.datetime.combine(options.today, dt.time(), dt.UTC).isoformat()
    _sub(feed, "updated", updated)
    author = _sub(feed, "author")
    _sub(author, "name", options.author)
    if options.site:
        _sub(feed, "link", rel="alternate", type="text/html", href=options.site)
    _sub(feed, "generator", "terms", version=__version__)
    for item in ordered:
        m = item.document.manifest
        entry = _sub(feed, "entry")
        _sub(entry, "id", entry_id(m.id, item.release.version))
        _sub(entry, "title", _title(item))
        stamp = _moment(item.release.announced, m.timezone)
        _sub(entry, "published", stamp)
        _sub(entry, "updated", stamp)
        href = notice_href(m.id, item.release.version, options.site)
        _sub(entry, "link", rel="alternate", type="text/html", href=href)
        _sub(entry, "category", term=m.id)
        _sub(entry, "summary", _summary(item))
        _content(entry, item, href)
    ET.indent(feed, space="  ")
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"
