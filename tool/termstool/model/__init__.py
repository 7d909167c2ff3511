"""The domain model: documents, clauses, manifests, releases' raw facts, problems and snapshots.

Frozen dataclasses and nothing else: every other layer speaks in these types."""
