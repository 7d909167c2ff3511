"""Every command's outputs: for each kind of report, its renderer in each format, each
registered once.

The formats, their file suffixes and the rule that picks one from ``--format`` and
``-o FILE`` are :mod:`termstool.render.registry`'s. Here each kind of report gets its
renderers: the pure ones of :mod:`termstool.render`, and the terminal ones of the CLI's
views, which need rich. A new format is one ``register_format`` there and one ``add``
per kind of report here. Commands import this module when they run, not at start-up:
it brings in every renderer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from termstool.app.check import CheckResult
from termstool.app.clause_edit import ClauseView
from termstool.app.workspace import Workspace
from termstool.cli.clause_view import clause_show_data, clause_show_terminal
from termstool.cli.document_view import documents_terminal
from termstool.cli.log_view import clause_terminal, releases_terminal
from termstool.cli.outline_view import outline_terminal
from termstool.cli.problems_view import problems_terminal
from termstool.cli.redline_view import redline_plain, redline_terminal
from termstool.format.characters import reveal
from termstool.model.document import Document
from termstool.render.document_docx import render_docx
from termstool.render.document_html import render_html
from termstool.render.document_markdown import render_markdown
from termstool.render.document_pdf import document_pdf
from termstool.render.document_text import render_text
from termstool.render.feed_atom import feed_atom
from termstool.render.full_redline import FullRedline
from termstool.render.json_text import json_text, problems_json
from termstool.render.notice_html import notice_html
from termstool.render.notice_markdown import notice_markdown
from termstool.render.notice_text import notice_text
from termstool.render.problems_github import github_annotations
from termstool.render.redline_docx import RevisionFor, redline_docx
from termstool.render.redline_full_html import redline_full_html
from termstool.render.redline_html import redline_html
from termstool.render.redline_json import redline_json
from termstool.render.redline_markdown import redline_markdown
from termstool.render.redline_pdf import full_redline_pdf, redline_pdf
from termstool.render.registry import Outputs
from termstool.render.review_markdown import review_markdown
from termstool.render.review_text import review_text
from termstool.report.outline import outline_json
from termstool.report.review import Review

LogData = dict[str, list[dict[str, object]]]

# `terms render`: the full text.
DOCUMENTS = (
    Outputs.of("terms render", "terminal", documents_terminal)
    .add("markdown", render_markdown)
    .add("html", render_html)
    .add("text", render_text)
    .add("docx", render_docx)
    .add("pdf", document_pdf)
)

# `terms diff`, and `terms review -o`: a redline.
REDLINE = (
    Outputs.of("terms diff", "terminal", redline_terminal)
    .add("markdown", redline_markdown)
    .add("html", redline_html)
    .add("json", redline_json)
    .add("text", redline_plain)
    .add("pdf", redline_pdf)
)


def _full_html(full: FullRedline, revisions: RevisionFor, layout: str) -> str:
    return redline_full_html(full, _languages(full))


def _full_pdf(full: FullRedline, revisions: RevisionFor, layout: str) -> bytes:
    return full_redline_pdf(full, _languages(full))


def _full_docx(full: FullRedline, revisions: RevisionFor, layout: str) -> bytes:
    return redline_docx(full, revisions, layout=layout)


def _languages(full: FullRedline) -> list[str]:
    out: list[str] = []
    for document in full.documents:
        out += [lang for lang in document.languages if lang not in out]
    return out


# `terms diff --full` and `terms diff -f docx`: the whole document, changes inline.
FULL_REDLINE = (
    Outputs.of("terms diff --full", "html", _full_html)
    .add("pdf", _full_pdf)
    .add("docx", _full_docx)
)

# `terms notice`: the customer notice of a release.
NOTICE = (
    Outputs.of("terms notice", "markdown", notice_markdown)
    .add("html", notice_html)
    .add("text", notice_text)
)


def _review_markdown(review: Review, html_file: str | None) -> str:
    return review_markdown(review, html_file=html_file)


def _review_text(review: Review, html_file: str | None) -> str:
    # The plain report never cuts, so it never points to the HTML file. It is the one
    # terminal output not drawn by rich, so its control characters are revealed here.
    return reveal(review_text(review))


# `terms review`: may the pull request merge? (terminal: plain text, for a CI log too)
REVIEW = (
    Outputs.of("terms review", "markdown", _review_markdown)
    .add("terminal", _review_text)
)

# `terms feed`: the releases, for feed readers.
FEED = Outputs.of("terms feed", "atom", feed_atom)


def _check_json(result: CheckResult) -> str:
    if result.skipped is None:
        return problems_json(result.problems)
    # Outside git: say that the notice rules were not checked, and why.
    data = json.loads(problems_json(result.problems))
    data["notice_rules"] = {"checked": False, "reason": result.skipped}
    return json_text(data)


def _check_github(result: CheckResult) -> str:
    return github_annotations(result.problems, skipped=result.skipped)


# `terms check`: the problems found.
CHECK = (
    Outputs.of("terms check", "terminal", problems_terminal)
    .add("json", _check_json)
    .add("github", _check_github)
)

# `terms log`: the releases of each document, or the history of one clause.
RELEASE_LOG = Outputs.of("terms log", "terminal", releases_terminal) \
    .add("json", json_text)
CLAUSE_LOG = Outputs.of("terms log --clause", "terminal", clause_terminal) \
    .add("json", json_text)


def _outline_json(documents: Sequence[Document], workspace: Workspace) -> str:
    return json_text(outline_json(documents))


# `terms outline`: the clause tree.
OUTLINE = (
    Outputs.of("terms outline", "terminal", outline_terminal)
    .add("json", _outline_json)
)

def _clause_show_json(view: ClauseView) -> str:
    return json_text(clause_show_data(view))


# `terms clause show`: one clause.
CLAUSE_SHOW = (
    Outputs.of("terms clause show", "terminal", clause_show_terminal)
    .add("json", _clause_show_json)
)

# Every command that writes a report, by name (the --help test checks each lists them).
BY_COMMAND: dict[str, Outputs[...]] = {
    "render": DOCUMENTS, "diff": REDLINE, "notice": NOTICE, "review": REVIEW, "feed": FEED,
    "check": CHECK, "log": RELEASE_LOG, "outline": OUTLINE,
}
