"""The public site of the terms as data: its pages, their permalinks, each release's status
and each clause's timeline, as pure functions over histories and documents.

**What is published.** A release is public from its announcement date: the site shows
every committed release announced on or before ``today`` (a later announcement, or a
release that exists only in the working tree, is not public yet). ``today`` is a
parameter, so the same repository built on the same day gives the same site.

**Permalinks.** Paths are relative to the site's root and never depend on the build:

- ``index.html``: every document, its version in force and its next announced change;
- ``versions.html``: point in time, each document's releases by the dates they were in
  force;
- ``<document>/`` (``index.html``): the text in force, both languages side by side, and
  ``<document>/<lang>.html`` in one language;
- ``<document>/<version>/``: one release: dates, status, its notice and the
  whole-document redline against the release before; ``<document>/<version>/text.html``:
  its full text, as it stood while it was in force;
- ``feed.atom``, ``sitemap.xml`` (needs the site's address), ``site.css``,
  ``favicon.svg``.

Document ids are lowercase slugs (no dot), so they never collide with the files at the
root. A version label or language code is used as it is when it is safe in a path, else
as a slug with a short hash of the label (:func:`segment`): the same label always gives
the same path.

**Timelines.** Every clause has the list of releases in which it changed (the "changes
to this provision" view of legislation sites): the kind and class of each change, and
the anchor of the clause in that release's redline. A timeline follows a clause whose id
changed (a rename), and an upcoming release is flagged as such.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from termstool.compare.change_class import ChangeClass
from termstool.compare.clause_diff import ChangeKind, ClauseChange
from termstool.history.document_history import DocumentHistory, Release
from termstool.model.document import Document, Texts
from termstool.model.languages import language_name, say_all, union
from termstool.report.banner import notice_link
from termstool.report.feed import Feed, FeedOptions, build_feed, entry_id
from termstool.report.notice import ChangeClauseQuote, ReleaseChanges, find_change_clause

INDEX = "index.html"
VERSIONS = "versions.html"
STYLESHEET = "site.css"
ICON = "favicon.svg"  # so that browsers do not ask for a /favicon.ico that is not there
FEED = "feed.atom"
SITEMAP = "sitemap.xml"
RELEASE_TEXT = "text.html"

# BCP 47 tags for the lang attributes, where a document's language code is not one
# already; the labels are those of termstool.model.languages.
LANGUAGE_TAGS: Mapping[str, str] = {"zh": "zh-CN"}

_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True, slots=True)
class Language:
    """A language of the site: its code in document.yaml, its tag and its own name."""

    code: str
    tag: str  # for lang attributes: zh-CN, en
    label: str  # 中文, English
    segment: str  # the file name of a view in this language, without ".html"


def language(code: str) -> Language:
    """The tag and label of a language code (the code itself when none is known)."""
    return Language(code, LANGUAGE_TAGS.get(code, code), language_name(code),
                    segment(code, reserved=("index",)))


def segment(label: str, reserved: Sequence[str] = ()) -> str:
    """A path segment for a version label or a language code: the label itself when it is
    safe in a URL and as a file name, else a slug and a short hash of the label."""
    if _SAFE_SEGMENT.match(label) and ".." not in label \
            and not label.lower().endswith(".html") and label.lower() not in reserved:
        return label
    slug = re.sub(r"[^A-Za-z0-9]+", "-", label).strip("-")[:40] or "v"
    return f"{slug}-{hashlib.sha256(label.encode('utf-8')).hexdigest()[:8]}"


@functools.lru_cache(maxsize=65536)  # every page links to the same few pages many times
def href(source: str, target: str, fragment: str = "") -> str:
    """The relative link from page ``source`` to page ``target`` (both site paths); an
    ``index.html`` is linked as its directory, the form of the permalinks."""
    directory, name = posixpath.split(target)
    if name == INDEX:
        relative = posixpath.relpath(directory or ".", posixpath.dirname(source) or ".")
        url = "./" if relative == "." else relative + "/"
    else:
        url = posixpath.relpath(target, posixpath.dirname(source) or ".")
    return url + (f"#{fragment}" if fragment else "")


def absolute(base_url: str, path: str) -> str:
    """The address of a site path under ``base_url`` (which ends with "/")."""
    directory, name = posixpath.split(path)
    return base_url + (f"{directory}/" if directory else "") if name == INDEX \
        else base_url + path


class Status(StrEnum):
    """Where a release stands on the day the site is built."""

    IN_FORCE = "in-force"
    SUPERSEDED = "superseded"
    UPCOMING = "upcoming"  # announced, not yet effective


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One release in which a clause changed."""

    version: str
    page: str  # the release's page, whose redline shows the change (the first release:
    # its text, as there is nothing to compare it with)
    anchor: str  # the clause's id in that release (its old id when it was removed)
    effective: dt.date
    upcoming: bool
    first: bool  # the document's first release: the clause was first published
    kind: ChangeKind
    change_class: ChangeClass | None


Timelines = Mapping[str, tuple[TimelineEntry, ...]]  # clause id -> its changes, oldest first


@dataclass(frozen=True, slots=True)
class SiteRelease:
    """One published release of one document."""

    document: str  # the document id
    version: str
    page: str  # <document>/<version>/index.html
    text_page: str  # <document>/<version>/text.html
    release: Release
    status: Status
    superseded_by: str | None  # the version that replaced it, for a superseded release
    superseded_since: dt.date | None
    until: dt.date | None  # its last day in force, once another release replaced it
    changes: ReleaseChanges  # its text and the comparison with the release before
    quote: ChangeClauseQuote | None  # what a customer may do, from the change clause
    timelines: Timelines = field(compare=False)  # up to and including this release
    previous: str | None = None  # the version before, and its page
    previous_page: str | None = None
    next: str | None = None
    next_page: str | None = None
    notice_link: str | None = None  # where its notice is published (notice_url), if said

    @property
    def notice_days(self) -> int:
        """Days between the announcement and the effective date."""
        return (self.release.effective - self.release.announced).days


@dataclass(frozen=True, slots=True)
class SiteDocument:
    """One document of the site: its published releases and its landing pages."""

    id: str
    title: Texts
    languages: tuple[Language, ...]
    authoritative: Language
    page: str  # <document>/index.html: the text in force, languages side by side
    releases: tuple[SiteRelease, ...]  # published, oldest first
    in_force: SiteRelease | None
    upcoming: tuple[SiteRelease, ...]  # announced, not yet effective, soonest first
    timelines: Timelines = field(compare=False)  # over every published release

    @property
    def shown(self) -> SiteRelease:
        """The release the landing page shows: the one in force, else the first upcoming."""
        release = self.in_force or (self.upcoming[0] if self.upcoming else None)
        assert release is not None, "a site document has at least one published release"
        return release

    def view(self, lang: Language | None) -> str:
        """The landing page in one language (None: every language side by side)."""
        return self.page if lang is None else f"{self.id}/{lang.segment}.html"


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the site shows."""

    today: dt.date  # the day the statuses are as of
    base_url: str | None  # the site's address, ending with "/"; None: links stay relative
    documents: tuple[SiteDocument, ...]  # by id
    languages: tuple[Language, ...]  # every document's languages, authoritative first
    feed: Feed
    left_out: tuple[str, ...]  # documents with no release announced yet (their ids)

    def pages(self) -> tuple[str, ...]:
        """Every HTML page, in a stable order (for the sitemap)."""
        out = [INDEX, VERSIONS]
        for document in self.documents:
            out.append(document.page)
            out += [document.view(lang) for lang in document.languages]
            for release in document.releases:
                out += [release.page, release.text_page]
        return tuple(out)


@dataclass(frozen=True, slots=True)
class DocumentInput:
    """What the site needs of one document: its committed history and, for each release
    announced by the site's day, that release compared with the one before."""

    history: DocumentHistory
    releases: tuple[ReleaseChanges, ...]  # oldest first


def published(history: DocumentHistory, today: dt.date) -> tuple[Release, ...]:
    """The releases that are public on ``today``: committed and announced by then."""
    return tuple(r for r in history.releases if not r.draft and r.announced <= today)


def build_site(inputs: Sequence[DocumentInput], *, today: dt.date,
               base_url: str | None = None) -> Site:
    """The site of these documents as of ``today``."""
    ordered = sorted(inputs, key=lambda i: i.history.id)
    # The change clause may live in another document (the SLA defers to the Terms of
    # Service): look in the release itself, then in each document's newest public text.
    newest = [i.releases[-1].document for i in ordered if i.releases]
    documents = tuple(_document(i, today, newest) for i in ordered if i.releases)
    left_out = tuple(i.history.id for i in ordered if not i.releases)
    languages: dict[str, Language] = {}
    for document in documents:
        for lang in (document.authoritative, *document.languages):
            languages.setdefault(lang.code, lang)
    return Site(today, base_url, documents, tuple(languages.values()),
                _feed(ordered, documents, today, base_url), left_out)


def _document(item: DocumentInput, today: dt.date, newest: Sequence[Document]) -> SiteDocument:
    history = item.history
    manifest = history.manifest
    doc_id = history.id
    pages = {c.release.version: f"{doc_id}/{segment(c.release.version)}/{INDEX}"
             for c in item.releases}
    in_effect = [c for c in item.releases if c.release.effective <= today]
    in_effect.sort(key=lambda c: c.release.effective)
    successor = {a.release.version: b.release for a, b in itertools.pairwise(in_effect)}
    timelines = _Timelines()
    releases: list[SiteRelease] = []
    for index, changes in enumerate(item.releases):
        release = changes.release
        version = release.version
        status = _status(history, release, today)
        after = successor.get(version)
        text_page = f"{doc_id}/{segment(version)}/{RELEASE_TEXT}"
        timelines.add(changes, text_page if index == 0 else pages[version], first=index == 0,
                      upcoming=status is Status.UPCOMING)
        clause_id = changes.document.manifest.change_clause
        releases.append(SiteRelease(
            document=doc_id, version=version, page=pages[version],
            text_page=text_page, release=release, notice_link=notice_link(manifest, version),
            status=status,
            superseded_by=after.version if after and status is Status.SUPERSEDED else None,
            superseded_since=after.effective if after and status is Status.SUPERSEDED
            else None,
            until=after.effective - dt.timedelta(days=1) if after else None,
            changes=changes,
            quote=find_change_clause(changes.document, newest, clause_id)
            if clause_id is not None else None,
            timelines=timelines.snapshot(changes.document)))
    linked: list[SiteRelease] = []
    for index, item_release in enumerate(releases):
        before = releases[index - 1] if index else None
        after_release = releases[index + 1] if index + 1 < len(releases) else None
        linked.append(replace(
            item_release, previous=before.version if before else None,
            previous_page=before.page if before else None,
            next=after_release.version if after_release else None,
            next_page=after_release.page if after_release else None))
    current = next((r for r in linked if r.status is Status.IN_FORCE), None)
    upcoming = tuple(sorted((r for r in linked if r.status is Status.UPCOMING),
                            key=lambda r: (r.release.effective, r.release.announced)))
    shown = current or upcoming[0]
    return SiteDocument(
        id=doc_id, title=manifest.title,
        languages=tuple(language(code) for code in manifest.languages),
        authoritative=language(manifest.authoritative),
        page=f"{doc_id}/{INDEX}", releases=tuple(linked), in_force=current,
        upcoming=upcoming, timelines=timelines.snapshot(shown.changes.document))


def _status(history: DocumentHistory, release: Release, today: dt.date) -> Status:
    found = history.status(release, today)
    if found == "in-effect":
        return Status.IN_FORCE
    if found == "pending":
        return Status.UPCOMING
    return Status.SUPERSEDED


class _Timelines:
    """Builds the clause timelines release by release, following renamed ids."""

    def __init__(self) -> None:
        self.entries: dict[int, list[TimelineEntry]] = {}  # lineage -> entries
        self.lineage: dict[str, int] = {}  # clause id -> lineage

    def add(self, changes: ReleaseChanges, page: str, *, first: bool, upcoming: bool) -> None:
        """Record the changes of one release (releases in order)."""
        release = changes.release
        # A removal first: when an id is given to an unrelated text, the removed clause
        # ends its own timeline and the new one starts another.
        ordered = sorted(changes.diff.changes, key=lambda c: c.kind is not ChangeKind.REMOVED)
        for change in ordered:
            if change.kind is ChangeKind.ADDED or (
                    change.id not in self.lineage
                    and (change.old_id is None or change.old_id not in self.lineage)):
                key = len(self.entries)  # a new clause, or an old id given to a new text
                self.entries[key] = []
                self.lineage[change.id] = key
            elif change.old_id is not None and change.old_id != change.id:
                self.lineage[change.id] = self.lineage[change.old_id]  # renamed
            self.entries[self.lineage[change.id]].append(TimelineEntry(
                release.version, page, anchor(changes, change), release.effective, upcoming,
                first, change.kind, change.change_class))

    def snapshot(self, document: Document) -> Timelines:
        """The timeline of every clause of ``document``, as recorded so far."""
        return {clause.id: tuple(self.entries[self.lineage[clause.id]])
                for clause in document.walk() if clause.id in self.lineage}


def gone_anchor(clause_id: str, document: Document) -> str:
    """Where a redline shows a clause at the place it is gone from (removed, or moved
    away): its id; or, when a clause of the new text has that id, the id and "~was"
    (never a clause id)."""
    return f"{clause_id}~was" if document.clause(clause_id) is not None else clause_id


def anchor(changes: ReleaseChanges, change: ClauseChange) -> str:
    """Where a change is shown in its release's redline: at the clause's id, or for a
    removed clause at :func:`gone_anchor`."""
    if change.kind is ChangeKind.REMOVED:
        return gone_anchor(change.id, changes.document)
    return change.id


def _feed(inputs: Sequence[DocumentInput], documents: Sequence[SiteDocument], today: dt.date,
          base_url: str | None) -> Feed:
    """The feed of every published release, each entry linking to its permalink."""
    items = [changes for i in inputs for changes in i.releases]
    languages = union(tuple(lang.code for lang in d.languages) for d in documents)
    if len(documents) == 1:
        m = documents[0]
        key = m.id
        name = " / ".join(m.title.get(lang.code) for lang in m.languages
                          if m.title.get(lang.code)) or m.id
    else:
        key = "site"
        name = say_all("notices of changes", languages, " / ")
    feed = build_feed(items, FeedOptions(key=key, title=name, author=name, today=today,
                                         languages=languages, site=base_url))
    links = {entry_id(d.id, r.version): (absolute(base_url, r.page) if base_url
                                         else href(FEED, r.page))
             for d in documents for r in d.releases}
    return replace(feed, entries=tuple(replace(e, href=links[e.id]) for e in feed.entries))
