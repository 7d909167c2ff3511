"""Release histories built in memory, for testing the notice rules without git.

    history = (HistoryBuilder(notice_days=30, timezone="Asia/Shanghai")
               .release("1", announced="2021-06-01", effective="2021-07-01",
                        at="2021-05-20T10:00:00+08:00")
               .change("s1", at="2021-06-02T09:00:00+08:00")
               .build())

Each call adds one step, as one commit (or the working tree) would: ``release`` records a
version with its dates (and the document.yaml that carries them), ``change`` changes one
clause under the version in force. Every step records the rule settings in force before
it, as history reading does. Commit ids are real-looking SHA-1 hex strings, so waivers
can name a prefix of them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace

from termstool.compare.change_class import ChangeClass
from termstool.history.document_history import (
    WORKING,
    ClauseChange,
    DocumentHistory,
    Release,
    Step,
)
from termstool.model.document import Manifest, Texts, Waiver


def sha(label: str) -> str:
    """A deterministic commit id for a label."""
    return hashlib.sha1(label.encode("utf-8"), usedforsecurity=False).hexdigest()


@dataclass
class HistoryBuilder:
    """Builds a :class:`DocumentHistory` step by step; every method returns the builder."""

    notice_days: int = 30
    timezone: str = "UTC"
    languages: tuple[str, ...] = ("zh", "en")
    waivers: tuple[Waiver, ...] = ()
    path: str = "terms/tos"
    releases: list[Release] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    commits: list[str] = field(default_factory=list)  # in order; WORKING for the tree
    manifest: Manifest | None = None  # document.yaml after the last step

    def _commit(self, label: str | None) -> str:
        commit = sha(label or f"commit {len(self.commits)}")
        self.commits.append(commit)
        return commit

    def release(self, version: str, *, announced: str, effective: str, at: str,
                exception: str | None = None, label: str | None = None,
                notice_days: int | None = None) -> HistoryBuilder:
        """A commit at ``at`` (ISO date-time with offset) that records a release; its
        document.yaml promises ``notice_days`` (default: the builder's)."""
        commit = self._commit(label)
        before = self.manifest.settings if self.manifest is not None else None
        self.manifest = Manifest(
            id="tos", title=Texts.of({lang: f"Terms ({lang})" for lang in self.languages}),
            languages=self.languages, authoritative=self.languages[0],
            notice_days=self.notice_days if notice_days is None else notice_days,
            timezone=self.timezone, version=version,
            announced=dt.date.fromisoformat(announced),
            effective=dt.date.fromisoformat(effective), exception=exception,
            waivers=self.waivers)
        self.releases.append(Release(
            version, self.manifest.announced, self.manifest.effective,
            self.manifest.notice_days, exception, commit, commit, path=self.path,
            settings=self.manifest.settings))
        self.steps.append(Step(commit, dt.datetime.fromisoformat(at), f"Release {version}",
                               version, True, (), before, self.manifest, path=self.path))
        return self

    def change(self, clause: str, *, at: str | None,
               change: ChangeClass = ChangeClass.SUBSTANTIVE, kind: str = "modified",
               languages: tuple[str, ...] | None = None,
               label: str | None = None) -> HistoryBuilder:
        """A commit at ``at`` that changes one clause (``at=None``: the working tree).

        ``change`` is the class under the authoritative language: a substantive or
        editorial change edits every language (unless ``languages`` says which), a
        translation only the others."""
        assert self.manifest is not None, "record a release first"
        if at is None:
            commit = WORKING
            self.commits.append(WORKING)
        else:
            commit = self._commit(label)
        when = dt.datetime.fromisoformat(at) if at is not None else None
        authoritative = self.languages[0]
        if languages is None:
            languages = self.languages[1:] if change is ChangeClass.TRANSLATION \
                else self.languages
        edits = tuple((lang, ChangeClass.SUBSTANTIVE if change is ChangeClass.TRANSLATION
                       or lang != authoritative else change) for lang in languages)
        lines = tuple((lang, 5 + 3 * index) for index, lang in enumerate(self.languages))
        version = self.manifest.version
        self.steps.append(Step(commit, when, f"Change {clause}", version, False, (
            ClauseChange(clause, kind, change, commit, when, f"{self.path}/{clause}.md",
                         version, languages, lines, edits),),
            self.manifest.settings, self.manifest, path=self.path))
        if commit != WORKING:
            self.releases[-1] = replace(self.releases[-1], commit=commit)
        return self

    def build(self) -> DocumentHistory:
        """The history, its manifest the last release's document.yaml."""
        assert self.manifest is not None, "record a release first"
        return DocumentHistory(self.path, self.manifest, tuple(self.releases),
                               tuple(self.steps), (), paths=(self.path,))
