"""Comparing two versions: the text differ inside a clause, the clause matcher, and the
class of a change.

``text_diff`` finds the characters (languages written without spaces) or words that
changed; ``clause_diff`` pairs clauses by id and says how each changed; ``change_class``
says how much a change matters (substantive, editorial, translation only)."""
