"""terms: Terms of Service kept as code.

Three layers, imports one way (docs/architecture.md). ``cli`` parses arguments, calls a
use case of ``app`` and prints; ``app`` opens the :class:`~termstool.app.workspace.Workspace`
once and joins ``storage`` (git and files, the only code that touches them) with the pure
core: ``model``, ``format``, ``history``, ``rules``, ``compare``, ``report`` and ``render``.
"""

__version__ = "0.1.0"
