"""`terms git-setup`: configure this clone so plain git compares CJK text by character."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from termstool.cli.common import handle_errors, stdout


@handle_errors
def git_setup(
    path: Annotated[Path | None, typer.Argument(
        help="A directory inside the clone to set up. Default: the current directory.",
        show_default=False)] = None,
) -> None:
    """Make `git diff --word-diff` and `git log -p --word-diff` compare text written without
    spaces (Chinese, Japanese, ...) by character.

    Plain git treats such a line as one word, so a one-character change marks the whole
    sentence. This registers a diff driver named "terms" in this clone's .git/config
    (nothing global) that makes every CJK character and full-width punctuation mark a
    word of its own, and adds one line to .gitattributes that applies it to the clause
    files under terms/. Running it again changes nothing.

    Example:

      terms git-setup               # in a clone of the terms repository

    Then try:

      git diff --word-diff          # changed characters in [-old-]{+new+}

      git log -p --word-diff -- terms/

    Commit .gitattributes so every clone uses the driver; each clone runs
    `terms git-setup` once for its own .git/config.
    """
    # Imported when the command runs, for start-up time (`terms --help` needs none of it).
    from termstool.app.git_setup import run_setup
    from termstool.app.workspace import Workspace

    repo = Workspace.open(path or Path.cwd(), need_git=True).git()
    result = run_setup(repo)
    out = stdout()
    if not result.config and not result.attributes:
        out.print("already set up: nothing changed", highlight=False)
        return
    for key in result.config:
        out.print(f"set {key} in .git/config (this clone only)")
    if result.attributes:
        out.print(f"added '{result.attributes_line}' to .gitattributes: commit it so every "
                  "clone compares clause files by character")
    out.print("try: git diff --word-diff")


