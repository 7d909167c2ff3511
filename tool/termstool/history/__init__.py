"""A document's history read from commits: its releases, its clause changes, the log.

Pure: commits and blobs come in as data from :mod:`termstool.storage`; nothing here runs git."""
