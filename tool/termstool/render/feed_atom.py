"""The feed of releases as an Atom document (RFC 4287).

The XML is built with ElementTree, so every text taken from the terms is escaped by the
serialiser, never by hand; an entry's HTML body is built as elements too, serialised,
then stored as ``type="html"`` text, so both layers of escaping are ElementTree's.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from termstool import __version__
from termstool.render.output_safety import safe_output
from termstool.report.feed import Feed, FeedEntry

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _content(parent: ET.Element, entry: FeedEntry) -> None:
    """The entry's body as an HTML fragment."""
    div = ET.Element("div")
    for paragraph in entry.paragraphs:
        _sub(div, "p", paragraph)
    if entry.clauses:
        listing = _sub(div, "ul")
        for line in entry.clauses:
            _sub(listing, "li", line)
    _sub(_sub(div, "p"), "a", entry.more, href=entry.href)
    _sub(parent, "content", ET.tostring(div, encoding="unicode", method="html"), type="html")


def feed_atom(feed: Feed) -> str:
    """The Atom document of a feed."""
    # Elements are built without a namespace and the root declares Atom's as the default:
    # ElementTree would otherwise invent "ns0:" prefixes (or refuse the unqualified
    # attributes that Atom uses, such as rel and href).
    root = ET.Element("feed", {"xmlns": ATOM})
    if feed.lang:
        root.set(XML_LANG, feed.lang)
    _sub(root, "id", feed.id)
    _sub(root, "title", feed.title)
    _sub(root, "subtitle", feed.subtitle)
    _sub(root, "updated", feed.updated)
    author = _sub(root, "author")
    _sub(author, "name", feed.author)
    if feed.site:
        _sub(root, "link", rel="alternate", type="text/html", href=feed.site)
    _sub(root, "generator", "terms", version=__version__)
    for item in feed.entries:
        entry = _sub(root, "entry")
        _sub(entry, "id", item.id)
        _sub(entry, "title", item.title)
        _sub(entry, "published", item.published)
        _sub(entry, "updated", item.published)
        _sub(entry, "link", rel="alternate", type="text/html", href=item.href)
        _sub(entry, "category", term=item.category)
        _sub(entry, "summary", item.summary)
        _content(entry, item)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    # ElementTree writes control characters as they are, which XML forbids: a title
    # holding one would make the whole feed unreadable to every subscriber.
    return safe_output('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n", "xml")
