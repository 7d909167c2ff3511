"""The on-disk format: clause files, document.yaml, loading a document from a snapshot.

Also the numbering computed from file order, cross-references between clauses, and the
character-level facts (invisible characters, width forms) that parsing and checks share."""
