"""terms: Terms of Service kept as code.

Layers, imports one way (docs/architecture.md; ``lint-imports`` checks them). ``cli``
parses arguments, calls a use case of ``app`` and prints; ``app`` opens the
:class:`~termstool.app.workspace.Workspace` once and joins ``storage`` (git and files, the
only code that touches them) with the pure core: ``render`` > ``report`` > ``rules`` and
``importer`` > ``history`` > ``compare`` > ``format`` > ``model``.
"""

__version__ = "0.1.0"
