"""A redline as JSON, in the schema that scripts and the review bot rely on.

    {"documents": [{"id", "from": {"ref", "version"}, "to": {"ref", "version"},
                    "summary": {"added", "removed", "modified", "renumbered", "moved",
                                "renamed", "reference"},
                    "changes": [{"id", "id_from", "kind", "class", "number_from", "number_to",
                                 "languages_changed",
                                 "<language>": {"ops": [["=", "text"], ...]}, ...}]}]}

Ops are exact: the "=" and "-" texts joined give the old text (title, blank line, body),
the "=" and "+" texts the new one. Invisible characters are kept as they are, escaped by
JSON, for a program to see; clauses that did not change are not listed. Beyond the
basic schema, ``summary`` also counts ``reference`` updates and each change
carries ``id_from``, the clause's id in the old version (it differs for ``renamed``).
A language compared partly by sentence (a clause rewritten too much for a character or
word redline within the time allowed) carries a ``note`` saying so, and a document whose
comparison ran into a limit carries ``notes``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from termstool.compare.clause_diff import (
    SUMMARY_KINDS,
    ChangeKind,
    ClauseChange,
    DocumentDiff,
    Redline,
)
from termstool.compare.text_diff import coarse_note
from termstool.format.characters import INVISIBLE


def change_json(change: ClauseChange, languages: Sequence[str]) -> dict[str, Any]:
    """One change in the schema's shape."""
    data: dict[str, Any] = {
        "id": change.id,
        "id_from": change.old_id,
        "kind": change.kind.value,
        "class": change.change_class.value if change.change_class is not None else None,
        "number_from": change.number_from,
        "number_to": change.number_to,
        "languages_changed": list(change.languages_changed),
    }
    for lang in languages:
        diff = change.text(lang)
        if diff is not None:
            data[lang] = {"ops": [[op, text] for op, text in diff.ops]}
            if diff.coarse:
                data[lang]["note"] = coarse_note(lang)
    return data


def document_json(redline: Redline, document: DocumentDiff,
                  languages: Sequence[str] | None = None) -> dict[str, Any]:
    """One document in the schema's shape, in ``languages`` (default: its own)."""
    counts = document.summary()
    return {
        "id": document.id,
        "from": {"ref": redline.ref_from, "version": document.version_from},
        "to": {"ref": redline.ref_to, "version": document.version_to},
        "summary": {kind.value: counts[kind.value]
                    for kind in (*SUMMARY_KINDS, ChangeKind.REFERENCE)},
        "changes": [change_json(change, document.languages if languages is None
                                else languages) for change in document.changes],
        **({"notes": list(document.notes)} if document.notes else {}),
    }


def redline_data(redline: Redline, languages: Sequence[str] | None = None) -> dict[str, Any]:
    """The redline as plain data (dicts and lists) before serialisation."""
    return {"documents": [document_json(redline, document, languages)
                          for document in redline.documents]}


def redline_json(redline: Redline, languages: Sequence[str] | None = None) -> str:
    """The redline as indented UTF-8 JSON text, ending with a newline.

    Every script stays readable (no ``\\u`` escapes), but invisible and bidirectional control
    characters are written as ``\\u200b`` so that no viewer can hide or reorder them.
    """
    text = json.dumps(redline_data(redline, languages), ensure_ascii=False, indent=2)
    return _INVISIBLE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


# They can only occur inside JSON strings, where \uXXXX means the same character.
_INVISIBLE_RE = re.compile("[" + "".join(sorted(INVISIBLE)) + "\u2028\u2029]")
