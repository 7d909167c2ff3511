"""The domain model: documents, clauses, manifests, releases' raw facts, problems and snapshots.

Frozen dataclasses, and the one table of what the tool knows about languages (their
names, how they are compared, the outputs' wording in them: ``languages``). Every other
layer speaks in these types."""
