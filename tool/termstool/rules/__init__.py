"""The rules the terms state about themselves: classes of change and the notice rules.

Each rule is a function from a document's history to a list of problems; ``today`` is a
parameter, never read from the clock."""
