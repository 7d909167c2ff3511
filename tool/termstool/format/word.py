"""The Word files terms writes: the names both its writer and its reader rely on.

Namespaces, the styles that mark a clause's text, title and number, the bookmark that
names each clause, and the custom XML part that records what was exported. Style names
(not ids) are what identify them on reading: Word keeps ids, other programs may rename
them but keep the names.
"""

from __future__ import annotations

import hashlib
import re

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_NS = "http://www.w3.org/XML/1998/namespace"
EXPORT_NS = "urn:terms-tool:docx:1"  # the custom XML part that says what was exported
DATASTORE_NS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"


def w(tag: str) -> str:
    """The Clark name of a WordprocessingML element or attribute."""
    return f"{{{W_NS}}}{tag}"


# Fonts: Chinese legal documents set body text in Song and headings in Hei; Word on any
# system substitutes the nearest font it has. Western text keeps Times New Roman / Arial.
BODY_FONT = {"ascii": "Times New Roman", "hAnsi": "Times New Roman", "cs": "Times New Roman",
             "eastAsia": "SimSun"}
HEADING_FONT = {"ascii": "Arial", "hAnsi": "Arial", "cs": "Arial", "eastAsia": "SimHei"}
# Proofing language per document language; a language not listed keeps Word's default.
PROOFING = {"zh": "zh-CN", "en": "en-US", "ja": "ja-JP", "ko": "ko-KR"}

NUMBER_STYLE = "TermsNumber"  # the computed number of a clause (character style)
FORMER_NUMBER_STYLE = "TermsFormerNumber"  # its number in the old version, in brackets
CODE_STYLE = "TermsCode"
LINK_STYLE = "Hyperlink"
META_STYLE = "TermsMeta"
DOCUMENT_TITLE_STYLE = "Title"
TOC_HEADING_STYLE = "TOCHeading"
MAX_HEADING = 9


def body_style(lang: str) -> str:
    """The paragraph style of clause text in one language."""
    return f"TermsBody-{lang}"


def title_style(lang: str) -> str:
    """The paragraph style of a clause title in a language other than the first."""
    return f"TermsTitle-{lang}"


def heading_style(depth: int) -> str:
    """The built-in heading style for a clause title at a depth (Heading 1 to 9)."""
    return f"Heading{min(max(depth, 1), MAX_HEADING)}"


_BOOKMARK_OK = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")


def bookmark_name(clause_id: str, taken: set[str], prefix: str = "") -> str:
    """A Word bookmark name for a clause id, unique among ``taken`` (which it joins).

    Word allows letters, digits and underscores, a letter first, at most 40 characters:
    ``s2-3-1`` becomes ``s2_3_1``; an id starting with a digit gets ``c_`` in front,
    and one too long is cut and given a short hash so it stays unique.
    """
    name = prefix + clause_id.replace("-", "_")
    if not name[:1].isalpha():
        name = "c_" + name
    if not _BOOKMARK_OK.fullmatch(name):
        digest = hashlib.sha1(clause_id.encode("utf-8"), usedforsecurity=False).hexdigest()
        name = re.sub(r"[^A-Za-z0-9_]", "_", name)[:31] + "_" + digest[:8]
    base, count = name, 1
    while name in taken:
        count += 1
        name = f"{base[:36]}_{count}"
    taken.add(name)
    return name
