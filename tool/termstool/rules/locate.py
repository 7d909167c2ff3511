"""Where a problem points: at the file to change, and at files that exist.

Two corrections, made once for every command that reports problems:

- A duplicate id blames the clause that is new. The loader names whichever file it
  meets second; when that is the clause that already had the id in the last commit (or
  in the base of a pull request), following the advice "give this clause a new id" would
  rename the old clause and break its history. The new clause is blamed instead.
- A problem found in history names the file the clause had then. If the clause has
  moved since, the problem names its file now; if it was removed, the problem says
  which file was deleted instead of pointing at a path that no longer exists.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace

from termstool.model.document import Document
from termstool.model.problems import Problem


def duplicate_pairs(problems: Sequence[Problem],
                    documents: Sequence[Document]) -> list[tuple[Problem, str]]:
    """Each ``duplicate-id`` problem with the file of the clause that kept the id."""
    by_id = {document.id: document for document in documents}
    pairs = []
    for problem in problems:
        if problem.rule != "duplicate-id" or problem.clause is None:
            continue
        document = by_id.get(problem.document or "")
        kept = document.clause(problem.clause) if document is not None else None
        if kept is not None and kept.file != problem.file:
            pairs.append((problem, kept.file))
    return pairs


def blame_new_duplicates(problems: Sequence[Problem], documents: Sequence[Document],
                         established: Mapping[str, Collection[str]],
                         id_line: Callable[[str], int], reference: str) -> list[Problem]:
    """Move each duplicate-id problem to the clause that did not have the id before.

    ``established`` maps an id to the files that had it in ``reference`` (the last
    commit, or the base of a pull request); ``id_line`` gives the line of a file's id.
    """
    moved: dict[int, Problem] = {}
    for problem, kept in duplicate_pairs(problems, documents):
        had = established.get(problem.clause or "", ())
        if problem.file in had and kept not in had:
            moved[id(problem)] = replace(
                problem, file=kept, line=id_line(kept),
                message=f"id {problem.clause!r} is already used by {problem.file}, which "
                f"had it in {reference}; ids are unique in a document and never reused: "
                "give this new clause a new id")
    return [moved.get(id(problem), problem) for problem in problems]


def name_deleted_files(problems: Sequence[Problem], documents: Sequence[Document],
                       present: Collection[str]) -> list[Problem]:
    """Point problems about files that no longer exist at the clause's file now, or say
    that the file was deleted."""
    by_id = {document.id: document for document in documents}
    out = []
    for problem in problems:
        if problem.file is None or problem.file in present or problem.file.endswith("/"):
            out.append(problem)
            continue
        document = by_id.get(problem.document or "")
        clause = document.clause(problem.clause) if document and problem.clause else None
        if clause is not None and document is not None:
            line = clause.block_line(document.manifest.authoritative)
            out.append(replace(problem, file=clause.file, line=line,
                               message=f"{problem.message} (the clause was then in "
                               f"{problem.file})"))
        else:
            what = f"clause {problem.clause} was in" if problem.clause else "it was about"
            out.append(replace(problem, file=None, line=None,
                               message=f"{problem.message} ({what} {problem.file}, which "
                               "is deleted)"))
    return out
