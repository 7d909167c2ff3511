"""The text of a new clause as a person writes it: in a file or in an editor.

Three shapes are accepted, so that a lawyer can start from whatever they have:

- a clause file (front matter with an optional ``title`` and ``id``, then one
  ``<!-- zh -->`` block per language); ``#`` lines in the front matter are comments;
- the language blocks alone;
- plain text without any marker: the text of the authoritative language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from termstool.errors import UnreadableInput
from termstool.format.clause_file import MARKER_RE, parse_clause_file
from termstool.model.document import Texts


@dataclass(frozen=True, slots=True)
class Draft:
    """A new clause's id (if the writer chose one), title and text."""

    id: str | None
    title: Texts
    body: Texts

    @property
    def empty(self) -> bool:
        """True when nothing was written (an editor closed without a word)."""
        return not any(text.strip() for _lang, text in self.body.items)


def draft_template(languages: Sequence[str], comments: Sequence[str]) -> str:
    """What the editor opens with: comments, an empty title and one block per language."""
    lines = ["---", *(f"# {line}".rstrip() for line in comments), "title:"]
    lines += [f"  {lang}:" for lang in languages]
    lines += ["---", ""]
    for lang in languages:
        lines += [f"<!-- {lang} -->", "", ""]
    return "\n".join(lines)


def parse_draft(text: str, languages: Sequence[str], authoritative: str, source: str) -> Draft:
    """Read a draft; ``UnreadableInput`` names ``source`` and the line of a problem."""
    lines = text.replace("\r\n", "\n").removeprefix("\ufeff").split("\n")
    clause_id: str | None = None
    title = Texts()
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            raise UnreadableInput("the front matter is not closed by a '---' line",
                                  file=source, line=1)
        header = "\n".join(line for line in lines[1:end] if not line.lstrip().startswith("#"))
        try:
            meta = yaml.safe_load(header) if header.strip() else {}
        except yaml.YAMLError as exc:
            raise UnreadableInput(f"the front matter is not YAML: {exc}", file=source,
                                  line=1) from None
        if not isinstance(meta, dict):
            raise UnreadableInput("the front matter must be keys such as 'title:'",
                                  file=source, line=2)
        unknown = [str(key) for key in meta if key not in ("id", "title")]
        if unknown:
            raise UnreadableInput(f"unknown key {unknown[0]!r}: a new clause takes 'title' "
                                  "and, if you choose it, 'id'", file=source, line=2)
        raw_id = meta.get("id")
        clause_id = str(raw_id) if raw_id not in (None, "") else None
        raw_title = meta.get("title") or {}
        if not isinstance(raw_title, dict):
            raise UnreadableInput("title must map languages to text, e.g. 'zh: 附则'",
                                  file=source, line=2)
        title = Texts.of({str(k): str(v).strip() for k, v in raw_title.items()
                          if v is not None and str(v).strip()})
        start = end + 1
    body_lines = lines[start:]
    if any(MARKER_RE.match(line) for line in body_lines):
        parsed = parse_clause_file(source, ("---\nid: draft\n---\n"
                                            + "\n".join(body_lines)).encode("utf-8"))
        for problem in parsed.problems:
            line = (problem.line or 4) - 3 + start  # back to the draft's own lines
            raise UnreadableInput(problem.message, file=source, line=max(1, line))
        body = Texts(tuple((lang, text) for lang, text in parsed.body.items if text.strip()))
    else:
        plain = "\n".join(body_lines).strip("\n")
        body = Texts(((authoritative, plain),)) if plain.strip() else Texts()
    for texts, what in ((title, "title"), (body, "text")):
        for lang in texts.languages:
            if lang not in languages:
                raise UnreadableInput(f"a {what} in {lang!r}, which is not a language of "
                                      f"this document ({', '.join(languages)})", file=source)
    return Draft(clause_id, title, body)
