"""Use cases of the review workflow: the pull-request review, the notice and the feed.

Each function opens the repository, reads what git knows, calls the pure core
(:mod:`termstool.review`, :mod:`termstool.change_notice`, :mod:`termstool.feed`) and
returns data; nothing here prints or exits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from termstool.errors import GitError, RevisionError, UnreadableInput, UsageError
from termstool.gitrepo import FETCH_ADVICE
from termstool.history import WORKING
from termstool.workspace import DEFAULT_SCOPE, Workspace

if TYPE_CHECKING:
    from termstool.change_notice import Notice, ReleaseChanges
    from termstool.document import Document
    from termstool.feed import FeedOptions
    from termstool.gitrepo import Repository
    from termstool.history import DocumentHistory, Release
    from termstool.review import Review

DEFAULT_BASE_BRANCH = "main"


# -------------------------------------------------------------------------------- review

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


def run_review(path: Path | None, *, base: str | None, now: dt.datetime,
               today: dt.date | None, env: Mapping[str, str]) -> Review:
    """Check in pull-request mode and compare the merge base with the working tree."""
    from termstool.clause_diff import diff_documents
    from termstool.review import DocumentReview, Review
    from termstool.service import run_check

    workspace = Workspace.open(path, need_git=True)
    repo = workspace.git()
    if repo.head() is None:
        raise GitError("the repository has no commits yet; commit the terms first, then "
                       "review the branch that changes them")
    base_name = base if base is not None else default_base(repo, env)
    result = run_check(path, now=now, today=today, base=base_name)
    assert result.base is not None  # run_check resolves the merge base in --base mode
    old_docs = workspace.load(workspace.at(result.base)).documents
    new_docs = workspace.load(workspace.working()).documents
    dirty = repo.is_dirty(workspace.root / workspace.scope)
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
            tuple(p for p in result.problems if p.document == diff.id), new))
    numbers = {(d.id, c.id): c.number for d in new_docs for c in d.walk()}
    languages = tuple(dict.fromkeys(lang for d in new_docs for lang in d.manifest.languages))
    return Review(base_name, result.base, head, today, result.problems, tuple(reviews),
                  redline, languages or ("zh", "en"), numbers)


# ------------------------------------------------------------------------ release texts

def _document_at(workspace: Workspace, history: DocumentHistory, commit: str) -> Document:
    """A document as of one commit (WORKING: the working tree)."""
    from termstool.loader import load_document

    snapshot = workspace.working() if commit == WORKING \
        else workspace.git().snapshot(commit, history.path)
    document, problems = load_document(snapshot, history.path)
    if document is None:
        where = "the working tree" if commit == WORKING else f"commit {commit[:12]}"
        detail = problems[0].message if problems else "no document.yaml"
        raise UnreadableInput(f"{history.path} cannot be read in {where} ({detail}); fix "
                              "its document.yaml")
    return document


def release_changes(workspace: Workspace, history: DocumentHistory,
                    release: Release) -> ReleaseChanges:
    """One release compared with the release before it (None before the first)."""
    from termstool.change_notice import ReleaseChanges
    from termstool.clause_diff import diff_document

    index = history.releases.index(release)
    new = _document_at(workspace, history, release.commit)
    old = _document_at(workspace, history, history.releases[index - 1].commit) \
        if index else None
    return ReleaseChanges(new, old, release, diff_document(old, new))


def _known_versions(found: Sequence[DocumentHistory]) -> str:
    versions = list(dict.fromkeys(r.version for h in found for r in h.releases))
    return ", ".join(versions) if versions else "none yet"


def load_notices(path: Path | None, version: str,
                 change_clause: str | None = None) -> list[Notice]:
    """The notice of release ``version`` for every document in scope that has it."""
    from termstool.change_notice import DEFAULT_CHANGE_CLAUSE, Notice, find_change_clause
    from termstool.loader import load_documents
    from termstool.service import histories
    from termstool.snapshot import working_tree

    workspace = Workspace.open(path, need_git=True)
    found = histories(workspace)
    hits = [(h, r) for h in found if (r := h.release(version)) is not None]
    if not hits:
        raise RevisionError(f"no document here has a release {version!r}; known versions: "
                            f"{_known_versions(found)}")
    items = [release_changes(workspace, h, r) for h, r in hits]
    # The change clause may live in another document (the SLA defers to the Terms of
    # Service): look in this release's documents, then in every document on disk.
    everywhere = load_documents(working_tree(workspace.root, DEFAULT_SCOPE)).documents \
        if (workspace.root / DEFAULT_SCOPE).is_dir() else ()
    others = [i.document for i in items] + list(everywhere)
    notices = []
    for item in items:
        clause_id = (change_clause or item.document.manifest.change_clause
                     or DEFAULT_CHANGE_CLAUSE)
        quote = find_change_clause(item.document, others, clause_id)
        if quote is None:
            raise UsageError(
                f"no clause with id {clause_id!r} in {item.document.id} or the other "
                "documents: the notice quotes what customers may do from the clause that "
                "promises notice of changes; pass --change-clause with that clause's id")
        notices.append(Notice(item, quote))
    return notices


# ---------------------------------------------------------------------------------- feed

def load_feed(path: Path | None, *, now: dt.datetime, today: dt.date | None,
              site: str | None, author: str | None) -> tuple[list[ReleaseChanges],
                                                             FeedOptions]:
    """Every release announced by today, compared with the one before, and the feed's
    own data. Releases not yet announced, and drafts, are not published."""
    from termstool.feed import FeedOptions
    from termstool.service import histories, today_for

    workspace = Workspace.open(path, need_git=True)
    found = histories(workspace)
    if not found:
        raise UsageError("no document with a committed release here; commit a document "
                         "(a directory with a document.yaml) first")
    items: list[ReleaseChanges] = []
    for history in found:
        day = today_for(history, now, today)
        for release in history.releases:
            if release.draft or release.announced > day:
                continue
            items.append(release_changes(workspace, history, release))
    if len(found) == 1:
        m = found[0].manifest
        key = m.id
        title = " / ".join(m.title.get(lang) for lang in m.languages if m.title.get(lang)) \
            or m.id
    else:
        key = f"scope/{workspace.scope or '.'}"
        title = "条款变更公告 / Notices of changes to the terms"
    first_day = today_for(found[0], now, today)
    return items, FeedOptions(key=key, title=title, author=author or title, today=first_day,
                              site=site)
