"""The notice rules the terms state about themselves, checked against a document's history.

Each rule is a function from a document's history to a list of problems; ``today`` is a
parameter, never read from the clock. (How much a change matters, substantive, editorial
or translation, is a comparison: :mod:`termstool.compare.change_class`.)"""
