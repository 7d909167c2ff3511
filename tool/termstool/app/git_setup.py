"""`terms git-setup`: make plain git compare clause files by character, not by line.

Git splits a line into "words" with a regular expression; its default treats a run of
Chinese characters as one word, so ``git diff --word-diff`` marks a whole sentence as
changed when one character was. We register a diff driver named ``terms`` in this
clone's ``.git/config`` and assign it to the clause files in ``.gitattributes``:

- ``diff.terms.wordRegex`` makes each Chinese character and each full-width punctuation
  mark a word of its own, a run of ASCII letters and digits one word, and any other
  non-space character one word.
- ``diff.terms.xfuncname`` makes each hunk header name the clause id or the language
  block (``<!-- zh -->``) the change is in.

Only repository-local settings are written (never ``--global``), and running it twice
changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from termstool.errors import GitError
from termstool.storage.files import write_atomic
from termstool.storage.gitrepo import Repository
from termstool.storage.lock import repository_lock, repository_place
from termstool.storage.staging import recover_locked

DRIVER = "terms"

# The expression is plain ASCII on purpose: a .git/config holding raw UTF-8 byte ranges is
# not valid UTF-8, and tools that read it as text (GitPython among them) fail on it.
# In a UTF-8 locale git matches characters, so `[^[:space:]]` is one whole Chinese
# character or punctuation mark. In the C locale git matches bytes and no ASCII class
# names a non-ASCII byte, except by elimination: `[^[:print:][:cntrl:]]` is any byte of
# a multi-byte character, and three of them are exactly one character of U+0800..U+FFFF
# (every CJK ideograph and full-width or CJK punctuation mark), because runs of such
# characters start on a character boundary. POSIX matching is leftmost-longest, so the
# three-byte alternative wins over the one-byte fallback there.
WORD_REGEX = r"[^[:print:][:cntrl:]]{3}|[A-Za-z0-9_]+|[^[:space:]]"

# The hunk header shows the nearest clause id or language marker above the change.
FUNC_REGEX = r"^(id:[[:space:]].*|<!--[[:space:]]*[A-Za-z][A-Za-z0-9_-]*[[:space:]]*-->)$"

CONFIG: Mapping[str, str] = {
    f"diff.{DRIVER}.wordRegex": WORD_REGEX,
    f"diff.{DRIVER}.xfuncname": FUNC_REGEX,
}

ATTRIBUTES_FILE = ".gitattributes"
ATTRIBUTES_COMMENT = "# terms git-setup: compare clause files by character (see docs/review.md)"


def attributes_line(scope: str = "terms") -> str:
    """The ``.gitattributes`` line that gives clause files below ``scope`` the driver."""
    return f"{scope.strip('/')}/**/*.md diff={DRIVER}"


@dataclass(frozen=True, slots=True)
class SetupPlan:
    """What `git-setup` has to change; empty when the clone is already set up."""

    config: tuple[tuple[str, str], ...]  # (key, value) to set in .git/config
    attributes: str | None  # the new .gitattributes text, None when it needs no change

    @property
    def empty(self) -> bool:
        """True when nothing needs changing."""
        return not self.config and self.attributes is None


def plan_setup(current: Mapping[str, str | None], attributes: str | None,
               scope: str = "terms") -> SetupPlan:
    """Compare the clone's settings with the wanted ones; pure, so it is tested directly.

    ``current`` maps each key of ``CONFIG`` to its local value (None when unset);
    ``attributes`` is the text of ``.gitattributes`` (None when there is none).
    """
    config = tuple((key, value) for key, value in CONFIG.items() if current.get(key) != value)
    line = attributes_line(scope)
    text = attributes or ""
    if line in (existing.strip() for existing in text.splitlines()):
        return SetupPlan(config, None)
    if text and not text.endswith("\n"):
        text += "\n"
    if text:
        text += "\n"
    return SetupPlan(config, f"{text}{ATTRIBUTES_COMMENT}\n{line}\n")


@dataclass(frozen=True, slots=True)
class SetupResult:
    """What `git-setup` changed."""

    config: tuple[str, ...]  # keys set
    attributes: bool  # True when .gitattributes was written
    attributes_line: str


def run_setup(repo: Repository, scope: str = "terms") -> SetupResult:
    """Apply the plan to a clone: its ``.git/config`` and its ``.gitattributes``, under
    the repository's lock."""
    if repo.bare:
        # A bare repository has no working tree: no clause file to compare, and no place
        # for a .gitattributes (one written into the git directory would be stray).
        raise GitError(f"{repo.root} is a bare repository, without a working tree; run "
                       "'terms git-setup' in a clone that has one")
    place = repository_place(repo)
    with repository_lock(place, "git-setup"):
        recover_locked(place)
        return _apply(repo, scope)


def _apply(repo: Repository, scope: str) -> SetupResult:
    current = {key: repo.local_config(key) for key in CONFIG}
    path = repo.root / ATTRIBUTES_FILE
    existing = path.read_text(encoding="utf-8") if path.is_file() else None
    plan = plan_setup(current, existing, scope)
    for key, value in plan.config:
        repo.set_local_config(key, value)
    if plan.attributes is not None:
        write_atomic(path, plan.attributes)
    return SetupResult(tuple(key for key, _ in plan.config), plan.attributes is not None,
                       attributes_line(scope))

