"""Problems found by checks: data, never printed or raised by the core."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How serious a problem is; only errors make `terms check` exit 1."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding of a check, located as precisely as the data allows."""

    rule: str
    message: str
    severity: Severity = Severity.ERROR
    document: str | None = None
    clause: str | None = None
    file: str | None = None
    line: int | None = None
    commit: str | None = None
    waived: str | None = None  # the waiver's reason when a recorded waiver accepts it

    @property
    def blocking(self) -> bool:
        """True when this problem should fail a check."""
        return self.severity is Severity.ERROR and self.waived is None

    def as_json(self) -> dict[str, object]:
        """The problem in the documented JSON shape."""
        data: dict[str, object] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "document": self.document,
            "clause": self.clause,
            "file": self.file,
            "line": self.line,
            "message": self.message,
        }
        if self.commit is not None:
            data["commit"] = self.commit
        if self.waived is not None:
            data["waived"] = self.waived
        return data
