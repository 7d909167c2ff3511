"""Exit codes and the one exception type that the CLI turns into a clean exit."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What a `terms` process returns; scripts may rely on these."""

    OK = 0
    PROBLEMS = 1  # rule violations, format problems or differences were found
    USAGE = 2  # bad arguments or input that cannot be read
    BUG = 3  # an internal error: a bug in terms, to be reported


class TermsError(Exception):
    """An error the user can act on; the message says what to do."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        self.file = file
        self.line = line
        where = ""
        if file is not None:
            where = f"{file}:{line}: " if line is not None else f"{file}: "
        super().__init__(f"{where}{message}")


class UnreadableInput(TermsError):
    """A file that cannot be read or parsed at all (binary, not UTF-8, broken YAML...)."""


class RuleRefused(TermsError):
    """A write refused because it would break a rule of the terms (e.g. too little notice)."""

    exit_code = ExitCode.PROBLEMS


class UsageError(TermsError):
    """Arguments that do not make sense together or name nothing."""


class RevisionError(TermsError):
    """A version label, date or git revision that names no release or commit."""


class GitError(TermsError):
    """Git failed or the repository lacks what the command needs."""


class UncommittedChanges(TermsError):
    """A write would overwrite work that is not committed."""
