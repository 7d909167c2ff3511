"""The feed use case: every release announced by today, compared with the one before."""

from __future__ import annotations

import datetime as dt

from termstool.app.notice import release_changes
from termstool.app.workspace import Workspace
from termstool.errors import UsageError
from termstool.history.document_history import today_for
from termstool.model.languages import say_all, union
from termstool.report.feed import Feed, FeedOptions, build_feed
from termstool.report.notice import ReleaseChanges


def load_feed(workspace: Workspace, *, now: dt.datetime, today: dt.date | None,
              site: str | None, author: str | None) -> Feed:
    """The feed of every release announced by today, each compared with the one before.
    Releases not yet announced, and drafts, are not published."""
    found = workspace.histories()
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
    languages = union(h.manifest.languages for h in found)
    if len(found) == 1:
        m = found[0].manifest
        key = m.id
        title = " / ".join(m.title.get(lang) for lang in m.languages if m.title.get(lang)) \
            or m.id
    else:
        key = f"scope/{workspace.scope or '.'}"
        title = say_all("notices of changes", languages, " / ")
    first_day = today_for(found[0], now, today)
    return build_feed(items, FeedOptions(key=key, title=title, author=author or title,
                                         today=first_day, languages=languages, site=site,
                                         notice_urls={h.id: h.manifest.notice_url
                                                      for h in found
                                                      if h.manifest.notice_url}))
