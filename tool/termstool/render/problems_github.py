"""Problems as text for machines: GitHub workflow annotations."""

from __future__ import annotations

from collections.abc import Iterable

from termstool.format.characters import reveal
from termstool.model.problems import Problem, Severity


def _escape_data(text: str) -> str:
    # Control characters are shown as ⟨ESC⟩ first: the annotation is displayed in the
    # log and on the pull request, where they would act or hide text.
    return reveal(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(problems: Iterable[Problem], skipped: str | None = None) -> str:
    """One ``::error file=…,line=…::message`` line per problem; a warning when the notice
    rules were ``skipped`` (and why)."""
    lines = []
    for p in problems:
        level = "error" if p.blocking else ("warning" if p.severity is Severity.WARNING
                                            or p.waived else "error")
        props = []
        if p.file:
            props.append(f"file={_escape_property(p.file)}")
        if p.line:
            props.append(f"line={p.line}")
        props.append(f"title={_escape_property(p.rule)}")
        message = p.message + (f" (waived: {p.waived})" if p.waived else "")
        lines.append(f"::{level} {','.join(props)}::{_escape_data(message)}")
    if skipped:
        lines.append(f"::warning title=notice rules skipped::{_escape_data(skipped)}")
    return "".join(line + "\n" for line in lines)
