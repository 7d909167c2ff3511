"""The feed of releases as data, so customers can subscribe to changes of the terms.

One entry per announced release: version, announcement and effective dates, the clauses
it changes, and a link to its notice. :mod:`termstool.render.feed_atom` writes it as an
Atom feed (RFC 4287).

Entry ids are ``urn:uuid:`` name-based UUIDs (RFC 4122, version 5) of the document id
and the version label: the same on every run and machine and whatever the options, and
never reused, because `terms` refuses to reuse a version label. (A ``tag:`` URI would
need a domain and a date its owner held it, which the repository does not record.)
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from termstool.format.commonmark import single_line
from termstool.model.languages import say_all
from termstool.report.banner import expand_notice_url
from termstool.report.notice import ReleaseChanges, kind_name, notice_href

# A fixed namespace for the name-based UUIDs; changing it would change every entry id.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:terms-tool:feed")


def entry_id(document_id: str, version: str) -> str:
    """The permanent id of the entry for one release."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'release/{document_id}/{version}')}"


def feed_id(key: str) -> str:
    """The permanent id of a feed; ``key`` names what it covers (a document id or a scope)."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'feed/{key}')}"


@dataclass(frozen=True, slots=True)
class FeedOptions:
    """What the feed needs besides the releases."""

    key: str  # what the feed covers: the document id, or the scope for several documents
    title: str
    author: str
    today: dt.date  # the feed's date when it has no entry yet
    languages: tuple[str, ...]  # of the documents it covers, in order: the feed's own words
    site: str | None = None  # where notices are published; links are relative without it
    # each document's notice_url (document.yaml, as it reads now), by document id: an
    # entry links there rather than to the site
    notice_urls: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One release in the feed."""

    id: str  # permanent: see entry_id
    title: str
    published: str  # RFC 3339: midnight of the announcement in the document's timezone
    href: str  # the notice
    category: str  # the document id
    summary: str
    paragraphs: tuple[str, ...]  # the body: version and dates, exception, what changed
    clauses: tuple[str, ...]  # the changed clauses, one line each, listed after them
    more: str  # the text of the link to the notice


@dataclass(frozen=True, slots=True)
class Feed:
    """The whole feed: its own identity, then the entries, newest first."""

    id: str
    lang: str  # the language of the newest entry's document ("" when unknown)
    title: str
    subtitle: str
    updated: str  # RFC 3339
    author: str
    site: str | None  # where notices are published, linked from the feed when given
    entries: tuple[FeedEntry, ...]


def _moment(day: dt.date, timezone: str) -> str:
    """Midnight of ``day`` in the document's timezone, as an RFC 3339 date-time."""
    return dt.datetime.combine(day, dt.time(), ZoneInfo(timezone)).isoformat()


def _title(item: ReleaseChanges) -> str:
    m = item.document.manifest
    langs = m.languages
    names = " / ".join(single_line(m.title.get(lang)) for lang in langs if m.title.get(lang))
    return (f"{names or m.id}: {say_all('version (lower case)', langs)} "
            f"{item.release.version}, {item.release.effective.isoformat()} "
            f"{say_all('effective (lower case)', langs)}")


def _dates(item: ReleaseChanges) -> list[str]:
    """"版本 Version 2", "公告 Announced 2021-09-01", "生效 Effective 2021-10-01"."""
    release, langs = item.release, item.document.manifest.languages
    return [f"{say_all('version', langs)} {release.version}",
            f"{say_all('announced', langs)} {release.announced}",
            f"{say_all('effective', langs)} {release.effective}"]


def _summary(item: ReleaseChanges) -> str:
    langs = item.document.manifest.languages
    parts = _dates(item)
    if item.first:
        parts.append(say_all("first publication", langs))
    else:
        clauses = item.clauses()
        parts.append(f"{say_all('changed clauses', langs)}: {len(clauses)}" if clauses
                     else say_all("no clause changed", langs))
    return "; ".join(parts)


def _body(item: ReleaseChanges) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The entry's paragraphs and its list of changed clauses."""
    release = item.release
    languages = item.document.manifest.languages
    paragraphs = [" · ".join(_dates(item))]
    if release.exception:
        paragraphs.append(f"{say_all('notice exception', languages)}: {release.exception}")
    if item.first:
        paragraphs.append(say_all("first publication", languages))
        return tuple(paragraphs), ()
    clauses = item.clauses()
    if not clauses:
        paragraphs.append(say_all("no clause changed", languages))
        return tuple(paragraphs), ()
    paragraphs.append(f"{say_all('changed clauses', languages)}:")
    lines = []
    for clause in clauses:
        titles = " / ".join(single_line(clause.title.get(lang)) for lang in languages
                            if clause.title.get(lang))
        lines.append(f"{clause.number or clause.id} {titles}".strip()
                     + f" ({kind_name(clause, languages)})")
    return tuple(paragraphs), tuple(lines)


def build_feed(items: Sequence[ReleaseChanges], options: FeedOptions) -> Feed:
    """The feed of these releases, newest first."""
    ordered = sorted(items, key=lambda i: (i.release.announced, i.release.effective,
                                           i.document.id), reverse=True)
    if ordered:
        updated = max((_moment(i.release.announced, i.document.manifest.timezone)
                       for i in ordered), key=dt.datetime.fromisoformat)
    else:
        updated = dt.datetime.combine(options.today, dt.time(), dt.UTC).isoformat()
    entries = []
    for item in ordered:
        m = item.document.manifest
        stamp = _moment(item.release.announced, m.timezone)
        paragraphs, clauses = _body(item)
        entries.append(FeedEntry(
            id=entry_id(m.id, item.release.version), title=_title(item), published=stamp,
            href=expand_notice_url(options.notice_urls[m.id], item.release.version)
            if m.id in options.notice_urls
            else notice_href(m.id, item.release.version, options.site), category=m.id,
            summary=_summary(item), paragraphs=paragraphs, clauses=clauses,
            more=say_all("full notice", m.languages)))
    first_lang = ordered[0].document.manifest.authoritative if ordered \
        else next(iter(options.languages), "")
    return Feed(id=feed_id(options.key), lang=first_lang, title=options.title,
                subtitle=say_all("notices of changes", options.languages),
                updated=updated, author=options.author, site=options.site,
                entries=tuple(entries))
