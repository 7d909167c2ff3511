"""The clause tree of documents as data (the `terms outline` JSON shape)."""

from __future__ import annotations

from collections.abc import Sequence

from termstool.format.numbering import number_label
from termstool.model.document import Document


def outline_json(documents: Sequence[Document]) -> dict[str, object]:
    """``{"documents": [{"id", "path", "version", "clauses": [...]}]}`` in document order.

    A clause's ``number`` is its dotted position ("3.1"); ``label`` is that number as the
    document writes it in its authoritative language ("第三条", "三", "3.1").
    """
    out = []
    for document in documents:
        langs = document.manifest.languages
        clauses = []
        for clause in document.walk():
            present = [lang for lang in langs if clause.body.has(lang)
                       or (clause.title.has(lang) and clause.children)]
            clauses.append({
                "id": clause.id,
                "number": clause.number,
                "label": number_label(clause.number, document.manifest.numbering,
                                      document.manifest.authoritative),
                "title": {lang: clause.title.get(lang) or None for lang in langs},
                "file": clause.file,
                "languages": present,
            })
        out.append({"id": document.id, "path": document.path,
                    "version": document.manifest.version, "clauses": clauses})
    return {"documents": out}
