"""Every command's outputs: for each kind of report, its renderer in each format, each
registered once.

The formats, their file suffixes and the rule that picks one from ``--format`` and
``-o FILE`` are :mod:`termstool.render.registry`'s. Here each kind of report gets its
renderers: the pure ones of :mod:`termstool.render`, and the terminal ones of the CLI's
views, which need rich. A new format is one ``register_format`` there and one ``add``
per kind of report here. Commands import this module when they run, not at start-up;
each renderer is imported only when it renders (:func:`_lazy`).
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from termstool.format.characters import reveal
from termstool.render.registry import Outputs

if TYPE_CHECKING:
    from termstool.app.check import CheckResult
    from termstool.app.clause_edit import ClauseView
    from termstool.app.workspace import Workspace
    from termstool.compare.clause_diff import Redline
    from termstool.model.document import Document
    from termstool.model.problems import Problem
    from termstool.render import RenderOptions
    from termstool.render.full_redline import FullRedline
    from termstool.render.redline_docx import RevisionFor
    from termstool.report.feed import Feed
    from termstool.report.notice import Notice
    from termstool.report.review import Review

T = TypeVar("T")


def _lazy(module: str, name: str, returns: type[T]) -> Callable[..., T]:
    """A renderer imported when it first renders: every command reads this module, and
    importing every renderer (Jinja2, markdown-it, rich's tables, Word, PDF...) for one
    of them cost more than most commands' work."""
    def render(*args: Any, **kwargs: Any) -> T:
        found: Callable[..., T] = getattr(importlib.import_module(module), name)
        return found(*args, **kwargs)
    render.__name__ = name
    return render


# Each renderer with its signature, so that every kind of report keeps its type.
_Documents = Callable[["Sequence[Document]", "RenderOptions"], str]
_Redline = Callable[["Redline", "Sequence[str] | None"], str]
_Notices = Callable[["Sequence[Notice]"], str]
_Data = Callable[["Mapping[str, object]"], str]
documents_terminal: _Documents = _lazy("termstool.cli.document_view", "documents_terminal",
                                       str)
clause_terminal: _Data = _lazy("termstool.cli.log_view", "clause_terminal", str)
releases_terminal: _Data = _lazy("termstool.cli.log_view", "releases_terminal", str)
outline_terminal: Callable[[Sequence[Document], Workspace], str] = _lazy(
    "termstool.cli.outline_view", "outline_terminal", str)
problems_terminal: Callable[[CheckResult], str] = _lazy("termstool.cli.problems_view",
                                                        "problems_terminal", str)
clause_show_terminal: Callable[[ClauseView], str] = _lazy(
    "termstool.cli.clause_view", "clause_show_terminal", str)
clause_show_data: Callable[[ClauseView], dict[str, object]] = _lazy(
    "termstool.cli.clause_view", "clause_show_data", dict)
redline_plain: _Redline = _lazy("termstool.cli.redline_view", "redline_plain", str)
redline_terminal: _Redline = _lazy("termstool.cli.redline_view", "redline_terminal", str)
render_html: _Documents = _lazy("termstool.render.document_html", "render_html", str)
render_markdown: _Documents = _lazy("termstool.render.document_markdown", "render_markdown",
                                    str)
render_text: _Documents = _lazy("termstool.render.document_text", "render_text", str)
render_docx: Callable[..., bytes] = _lazy("termstool.render.document_docx", "render_docx",
                                          bytes)
document_pdf: Callable[..., bytes] = _lazy("termstool.render.document_pdf", "document_pdf",
                                           bytes)
feed_atom: Callable[[Feed], str] = _lazy("termstool.render.feed_atom", "feed_atom", str)
json_text: _Data = _lazy("termstool.render.json_text", "json_text", str)
problems_json: Callable[[Sequence[Problem]], str] = _lazy("termstool.render.json_text",
                                                          "problems_json", str)
notice_html: _Notices = _lazy("termstool.render.notice_html", "notice_html", str)
notice_markdown: _Notices = _lazy("termstool.render.notice_markdown", "notice_markdown", str)
notice_text: _Notices = _lazy("termstool.render.notice_text", "notice_text", str)
github_annotations: Callable[..., str] = _lazy("termstool.render.problems_github",
                                               "github_annotations", str)
redline_docx: Callable[..., bytes] = _lazy("termstool.render.redline_docx", "redline_docx",
                                           bytes)
redline_full_html: Callable[..., str] = _lazy("termstool.render.redline_full_html",
                                              "redline_full_html", str)
redline_html: _Redline = _lazy("termstool.render.redline_html", "redline_html", str)
redline_json: _Redline = _lazy("termstool.render.redline_json", "redline_json", str)
redline_markdown: _Redline = _lazy("termstool.render.redline_markdown", "redline_markdown",
                                   str)
redline_pdf: Callable[..., bytes] = _lazy("termstool.render.redline_pdf", "redline_pdf",
                                          bytes)
full_redline_pdf: Callable[..., bytes] = _lazy("termstool.render.redline_pdf",
                                               "full_redline_pdf", bytes)
review_markdown: Callable[..., str] = _lazy("termstool.render.review_markdown",
                                            "review_markdown", str)
review_text: Callable[[Review], str] = _lazy("termstool.render.review_text", "review_text",
                                             str)
review_html: Callable[[Review], str] = _lazy("termstool.render.review_html", "review_html",
                                             str)
outline_json: Callable[[Sequence[Document]], dict[str, object]] = _lazy(
    "termstool.report.outline", "outline_json", dict)

# `terms render`: the full text.
DOCUMENTS = (
    Outputs.of("terms render", "terminal", documents_terminal)
    .add("markdown", render_markdown)
    .add("html", render_html)
    .add("text", render_text)
    .add("docx", render_docx)
    .add("pdf", document_pdf)
)

# `terms diff`: a redline.
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


def _review_html(review: Review, html_file: str | None) -> str:
    return review_html(review)


# `terms review`: may the pull request merge? (terminal: plain text, for a CI log too)
REVIEW = (
    Outputs.of("terms review", "markdown", _review_markdown)
    .add("terminal", _review_text)
    .add("html", _review_html)
)


def _review_markdown_whole(review: Review) -> str:
    # A file has no comment limit: the whole report, never cut.
    return review_markdown(review, limit=sys.maxsize)


def _review_text_whole(review: Review) -> str:
    return reveal(review_text(review))


# `terms review -o FILE`: the whole review, never cut, in the format the file's suffix names.
REVIEW_FILE = (
    Outputs.of("terms review -o", "html", review_html)
    .add("markdown", _review_markdown_whole)
    .add("text", _review_text_whole)
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
