"""terms: Terms of Service kept as code.

The package has three layers. ``termstool.cli`` parses arguments, calls the
core and prints; the core modules (``document``, ``clause_file``, ``loader``,
``numbering``, ``render``, ``importer``, ...) are pure functions over frozen
dataclasses; ``termstool.gitrepo`` is the only module that talks to git.
"""

__version__ = "0.1.0"
