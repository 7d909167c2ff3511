"""A sitemap (sitemaps.org protocol 0.9): the absolute address of every page, for search
engines. Built with ElementTree, so every address is escaped by the serialiser."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_xml(urls: Iterable[str]) -> str:
    """The sitemap of these absolute addresses, in the order given."""
    root = ET.Element("urlset", {"xmlns": NAMESPACE})
    for url in urls:
        ET.SubElement(ET.SubElement(root, "url"), "loc").text = url
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"
