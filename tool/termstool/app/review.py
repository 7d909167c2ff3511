"""The review use case: may this pull request merge, and what exactly does it change?"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from termstool.app.check import CheckResult, base_path, run_check
from termstool.app.workspace import Workspace
from termstool.compare.clause_diff import diff_documents
from termstool.errors import GitError, RevisionError
from termstool.history.document_history import DocumentHistory, in_scope, inside
from termstool.model.document import Document, Manifest
from termstool.model.languages import union
from termstool.report.review import DocumentReview, Review
from termstool.rules.notice import Judge, RuleContext
from termstool.storage.gitrepo import FETCH_ADVICE, Repository

DEFAULT_BASE_BRANCH = "main"


def default_base(repo: Repository, env: Mapping[str, str]) -> str:
    """The base a pull request merges into: ``origin/$GITHUB_BASE_REF`` in GitHub Actions,
    else ``origin/main``; an error saying to pass ``--base`` when it is not in the clone.

    Never guessed beyond that: a wrong base would silently review the wrong commits.
    """
    ref = env.get("GITHUB_BASE_REF", "").strip()
    candidate = f"origin/{ref or DEFAULT_BASE_BRANCH}"
    why = "from $GITHUB_BASE_REF" if ref else "the default"
    try:
        repo.resolve(candidate)
    except RevisionError:
        hint = f"; {FETCH_ADVICE}" if repo.is_shallow() else ""
        raise GitError(f"no base to compare with: {candidate} ({why}) is not in this clone; "
                       f"fetch it (git fetch origin {ref or DEFAULT_BASE_BRANCH}) or pass "
                       f"--base with the branch or commit this change will merge into{hint}"
                       ) from None
    return candidate


def _base_documents(workspace: Workspace, result: CheckResult) -> tuple[Document, ...]:
    """The documents at the base: those in scope then, and those in scope now wherever
    they were then (a document moved into scope is compared with where it came from).
    Only those the pull request touches, unless every document was checked."""
    assert result.base is not None
    if result.loaded is None:
        at_base = workspace.documents_at(result.base)
        paths = {path for path in at_base if inside(path, workspace.scope)}
        histories: Sequence[DocumentHistory] = workspace.all_histories()
    else:
        histories = result.histories
        wanted = {p for p in result.loaded} | {
            p for h in histories if (p := base_path(h, result.added)) is not None}
        at_base = {p: d for p in sorted(wanted)
                   if (d := workspace.document_at(result.base, p)) is not None}
        paths = {path for path in at_base if inside(path, workspace.scope)}
    for history in histories:
        was = base_path(history, result.added)
        if was is not None and was in at_base and in_scope(history, workspace.scope):
            paths.add(was)
    return tuple(at_base[path] for path in sorted(paths))


def _new_documents(workspace: Workspace, result: CheckResult) -> tuple[Document, ...]:
    """The documents of the working tree (those the pull request touches, unless every
    document was checked)."""
    if result.loaded is None:
        return workspace.documents().documents
    found = [workspace.working_document(p) for p in sorted(result.loaded)]
    return tuple(d for d in found if d is not None)


def _required_notice(workspace: Workspace, manifest: Manifest, result: CheckResult
                     ) -> int | None:
    """Days of notice the release after the change needs (by the base's rules)."""
    added = result.added
    found = result.histories if result.loaded is not None else workspace.histories()
    history = next((h for h in found if h.present and in_scope(h, workspace.scope)
                    and h.id == manifest.id), None)
    release = history.release(manifest.version) if history is not None else None
    if history is None or release is None:
        return None
    return Judge.of(history, RuleContext(dt.date.min, added)).required(release)


def run_review(workspace: Workspace, *, base: str | None, now: dt.datetime,
               today: dt.date | None, env: Mapping[str, str]) -> Review:
    """Check in pull-request mode and compare the merge base with the working tree."""
    repo = workspace.git()
    if repo.head() is None:
        raise GitError("the repository has no commits yet; commit the terms first, then "
                       "review the branch that changes them")
    base_name = base if base is not None else default_base(repo, env)
    result = run_check(workspace, now=now, today=today, base=base_name)
    assert result.base is not None  # run_check resolves the merge base in --base mode
    old_docs = _base_documents(workspace, result)
    new_docs = _new_documents(workspace, result)
    dirty = workspace.reader().uncommitted(workspace.scope)
    head = "the working tree (uncommitted changes included)" if dirty else "HEAD"
    redline = diff_documents(old_docs, new_docs, ref_from=base_name,
                             ref_to="working tree" if dirty else "HEAD")
    old_by_id = {d.id: d for d in old_docs}
    new_by_id = {d.id: d for d in new_docs}
    reviews = []
    for diff in redline.documents:
        if not diff.changed:
            continue
        old, new = old_by_id.get(diff.id), new_by_id.get(diff.id)
        current = new or old
        assert current is not None
        reviews.append(DocumentReview(
            diff, current.manifest, old.manifest if old is not None else None,
            tuple(p for p in result.problems if p.document == diff.id), new,
            _required_notice(workspace, current.manifest, result)))
    numbers = {(d.id, cid): n for d in new_docs for cid, n in d.numbers().items()}
    languages = union(d.manifest.languages for d in (*new_docs, *old_docs))
    return Review(base_name, result.base, head, today, result.problems, tuple(reviews),
                  redline, languages, numbers)
