"""Comparing two versions: the text differ inside a clause and the clause matcher.

``text_diff`` finds the characters (Chinese) or words (English) that changed;
``clause_diff`` pairs clauses by id and says how each changed."""
