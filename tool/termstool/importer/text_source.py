"""Import a numbered terms document into clause files.

The parser reads lines of text: a plain-text or Markdown file, or the paragraphs of an
HTML page or a Word file (``html_source``, ``docx_source``). It copes with PDF-to-text
extractions: running page headers and footers, page-start indentation, lines wrapped
mid-sentence, an unnumbered preamble, short clause titles and clauses of several
paragraphs. Numbers are recognised in the styles of ``importer.numbering`` (``2.3．``,
``7.1.您``, ``１．２``, ``第一条``, ``一、`` with ``3.1.`` items below); the scheme whose
numbers run in sequence through most of the text is the document's. A line that only
looks like a number out of sequence (a page header ``1.API 网关 服务条款`` after clause
3.1) is text, not a clause; a number that skips ahead (3.1 then 3.3) or goes back (3.5
then 3.2) at the start of a paragraph is an error naming its line. Every line that is
not in a clause is reported as dropped, with its line and why.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain

from termstool.compare.text_diff import diff_text, similarity
from termstool.errors import UnreadableInput
from termstool.format.characters import INVISIBLE, find_invisible, is_cjk, join_wrapped
from termstool.format.clause_file import format_clause_file, yaml_scalar
from termstool.format.commonmark import CLAUSE_FILE, escape_markdown
from termstool.format.naming import clause_id_for, slug
from termstool.format.numbering import DEFAULT_STYLE
from termstool.format.references import LINK_RE
from termstool.importer.encoding import decode_source
from termstool.importer.numbering import (
    ARTICLE,
    DECIMAL,
    SECTION,
    NumberToken,
    dotted,
    is_jump,
    is_list_item,
    next_numbers,
    parse_token,
    style_of,
)
from termstool.model.document import Clause, Document, Texts
from termstool.model.languages import by_character

_FOOTER_RE = re.compile(r"(?:文档版本|Document version)\s*[:：]\s*(\d{6,8})", re.IGNORECASE)
# The header `terms render --format text` writes, so that a rendered text imports again.
_RENDERED_HEADER_RE = re.compile(r"^版本 Version (\S+) · 公告 Announced \S+ · 生效 Effective")
_RULE_RE = re.compile(r"^[=\-_*]{3,}$")
_SENTENCE_PUNCT = re.compile(r"[。；，;,]")
_TITLE_END = re.compile(r"[。；，,;.!?！？]$")
_SENTENCE_END = re.compile(r"[。；：.;:!?！？]$")


@dataclass(frozen=True, slots=True)
class SourceClause:
    """A clause as read from the source text, before it has an id or a file."""

    number: str  # the dotted position, "3.1"; "" for the unnumbered preamble
    title: str
    paragraphs: tuple[str, ...]
    line: int
    written: str = ""  # the number as the source writes it: "第三条", "三", "３．１"
    markdown: tuple[str, ...] = ()  # the paragraphs as Markdown when the source had markup


@dataclass(frozen=True, slots=True)
class DroppedLine:
    """A line of the source that is in no clause, and why."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """The clauses found in a source text and what else it tells (its version)."""

    clauses: tuple[SourceClause, ...]
    version: str | None
    title: str | None
    notes: tuple[str, ...] = ()  # what the parser changed that a reviewer should know
    numbering: str = DEFAULT_STYLE  # the document.yaml style its numbers are written in
    read_as: str = "UTF-8 text"  # the format and encoding the source was read as
    dropped: tuple[DroppedLine, ...] = ()
    lines: tuple[str, ...] = ()  # the source's lines, invisible characters removed
    line_numbers: tuple[int, ...] = ()  # the number of each of those lines, for messages


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    text: str  # stripped
    boundary: bool  # a page header, footer or page start was here
    dropped: bool = False  # the line's text was dropped (a header, footer, title...)


def parse_source(data: bytes, file: str) -> SourceDocument:
    """Parse a numbered terms text; raise ``UnreadableInput`` naming the line when it can't.

    The text may be UTF-8, GB18030 or Big5; which one it was is in ``read_as``.
    """
    text, encoding = decode_source(data, file)
    return parse_lines(text.split("\n"), file, read_as=f"{encoding} text")


def parse_lines(raw_lines: Sequence[str], file: str, *, numbers: Sequence[int] | None = None,
                read_as: str = "UTF-8 text") -> SourceDocument:
    """Parse the lines of a source; ``numbers`` are their line numbers for messages."""
    line_numbers = list(numbers) if numbers is not None else list(range(1, len(raw_lines) + 1))
    raw, notes = _drop_invisible(list(raw_lines), line_numbers)
    lines, version, title, reasons = _clean(raw, line_numbers)
    tokens = [parse_token(line.text) if line.text else None for line in lines]
    choice = _choose_scheme(lines, tokens)
    if choice is None:
        raise UnreadableInput("no numbered clauses found: a clause starts a line with its "
                              "number, such as '1. ', '2.3．', '第一条' or '一、'", file=file)
    kind, run, jumps, backs = choice
    if jumps:
        line, before, after = jumps[0]
        raise UnreadableInput(f"numbering jumps from {before} to {after}: a clause is missing "
                              "or mis-numbered; fix the source and import again",
                              file=file, line=line)
    if backs:
        line, before, after = backs[0]
        raise UnreadableInput(f"numbering goes back from {before} to {after}: a clause is "
                              "repeated or out of order; fix the source and import again",
                              file=file, line=line)
    preamble, first = _preamble(lines, tokens, kind, run[0][0])
    clauses, used = _clauses(lines, run)
    used |= set(range(first, run[0][0]))
    dropped = _dropped(raw, line_numbers, reasons, used, first)
    numbering = style_of(kind, [token for _, _, token in run])
    return SourceDocument(tuple(preamble + clauses), version, title, tuple(notes), numbering,
                          read_as, dropped, tuple(raw), tuple(line_numbers))


def _drop_invisible(raw: list[str], numbers: list[int]) -> tuple[list[str], list[str]]:
    """Remove invisible and bidi control characters, noting where each was.

    They are common in text copied from web pages and PDFs and carry no wording, but
    ``terms check`` rejects them in clause files because they can hide a change.
    """
    hits = list(find_invisible("\n".join(raw)))
    if not hits:
        return raw, []
    shown = ", ".join(f"{h.codepoint} at line {numbers[h.line - 1]} column {h.column}"
                      for h in hits[:5])
    more = f" and {len(hits) - 5} more" if len(hits) > 5 else ""
    note = f"removed {len(hits)} invisible character(s) from the source: {shown}{more}"
    return ["".join(ch for ch in line if ch not in INVISIBLE) for line in raw], [note]


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _clean(raw: list[str], numbers: list[int]
           ) -> tuple[list[_Line], str | None, str | None, dict[int, str]]:
    """Drop page headers and footers, mark page boundaries, strip Markdown heading marks.

    Returns the lines, the version and title found, and why each dropped line was dropped.
    """
    version: str | None = None
    title: str | None = None
    reasons: dict[int, str] = {}
    stripped = [line.strip() for line in raw]
    counts = Counter(_norm(s) for s in stripped if s)
    out: list[_Line] = []
    for index, (line, text) in enumerate(zip(raw, stripped, strict=True)):
        number = numbers[index]
        if not text:
            out.append(_Line(number, "", False))
            continue
        footer = _FOOTER_RE.search(text) or _RENDERED_HEADER_RE.match(text)
        if footer or _RULE_RE.match(text):
            version = version or (footer.group(1) if footer else None)
            out.append(_Line(number, "", True, True))
            reasons[index] = "version line" if footer else "rule"
            continue
        heading = re.match(r"^#{1,6}\s+(.*)$", text)
        if heading:
            text = heading.group(1).strip()
            if not parse_token(text):
                title = title or text
                out.append(_Line(number, "", True, True))
                reasons[index] = "heading"
                continue
        # Headers are short and unpunctuated; "you." or "服务。" ending a paragraph is not.
        short = len(text) <= 40 and not _SENTENCE_PUNCT.search(text) \
            and not _SENTENCE_END.search(text)
        repeated = counts[_norm(text)] >= 2 and short
        before_blank = index == 0 or not stripped[index - 1]
        next_indented = index + 1 < len(raw) and raw[index + 1][:1].isspace() \
            and bool(stripped[index + 1])
        header = short and before_blank and next_indented and not line[:1].isspace()
        if repeated or header:
            out.append(_Line(number, "", True, True))
            reasons[index] = "page header or footer"
            continue
        out.append(_Line(number, text, line[:1].isspace()))
    first = next((i for i, line in enumerate(out) if line.text), None)
    if title is None and first is not None and _is_document_title(out, first):
        title = out[first].text
        out[first] = _Line(out[first].number, "", True, True)
        reasons[first] = "document title"
    return out, version, title, reasons


def _is_document_title(lines: list[_Line], index: int) -> bool:
    """The first line is the document's title when it is short, unnumbered, unpunctuated
    and a paragraph of its own: "通用服务条款" above the text."""
    text = lines[index].text
    alone = index + 1 == len(lines) or not lines[index + 1].text
    return alone and _looks_like_title(text) and not text.endswith(("：", ":")) \
        and parse_token(text) is None and not is_list_item(text)


_Run = list[tuple[int, tuple[int, ...], NumberToken]]  # (line index, number, its token)
_Problem = tuple[int, str, str]  # (line, number before, number after)


def _key(token: NumberToken, kind: str) -> tuple[int, ...] | None:
    """The number ``token`` has in a document whose top level is numbered ``kind``.

    Below a top level of 第一条 or 一、 the clauses are dotted numbers that begin with
    their parent's (三、 holds 3.1, 3.2.1); a bare "1." there is a list item.
    """
    if token.kind == kind:
        return token.parts
    if kind != DECIMAL and token.kind == DECIMAL and len(token.parts) > 1:
        return token.parts
    return None


def _shown(token: NumberToken) -> str:
    return token.written + ("、" if token.kind == SECTION else "")


def _choose_scheme(lines: list[_Line], tokens: list[NumberToken | None]
                   ) -> tuple[str, _Run, list[_Problem], list[_Problem]] | None:
    """The numbering scheme of the document, its run of clauses, and its skips and steps back.

    Each scheme's longest run is its candidate; the one that spans most of the text wins
    (ties: decimal, then articles, then sections). A list "1. 2. 3." inside one article
    is a long run, but a short stretch of the text.
    """
    best: tuple[tuple[int, int, int], str, _Run, list[_Problem], list[_Problem]] | None = None
    for order, kind in enumerate((DECIMAL, ARTICLE, SECTION)):
        runs, jumps, backs = _numbered_runs(lines, tokens, kind)
        if not runs:
            continue
        index = max(range(len(runs)), key=lambda i: (len(runs[i]), -i))
        run = runs[index]
        score = (run[-1][0] - run[0][0], len(run), -order)
        if best is None or score > best[0]:
            best = (score, kind, run, jumps.get(index, []), backs.get(index, []))
    return None if best is None else best[1:]


def _numbered_runs(lines: list[_Line], tokens: list[NumberToken | None], kind: str
                   ) -> tuple[list[_Run], dict[int, list[_Problem]], dict[int, list[_Problem]]]:
    """Split the numbered lines into runs that count 1, 1.1, ..., each in sequence.

    Every "1." opens a new run while the runs already open stay open, so a line that
    only looks like a number out of sequence (the page header "1.API 网关 服务条款" after
    clause 3.1) starts a short run of its own and the clauses after it continue theirs.
    A line joins one run: of those it continues, the longest (then the latest). The
    longest run is the document; every other numbered line is text. A list introduced
    by a colon ("您应付费：1. 按月；2. 按年。") keeps its numbers. A number written
    into its text without a separator ("1.1您") counts only where a clause can start.
    """
    runs: list[_Run] = []
    jumps: dict[int, list[_Problem]] = {}
    backs: dict[int, list[_Problem]] = {}

    def best(candidates: Sequence[int]) -> int:
        return max(candidates, key=lambda i: (len(runs[i]), runs[i][-1][0]))

    def continued(candidates: Sequence[int]) -> int:
        # "2." after "您应付费：\n1. 按月；" continues that list, not the document's clause 1
        latest = max(candidates, key=lambda i: runs[i][-1][0])
        return latest if _after_colon(lines, runs[latest][0][0]) else best(candidates)

    for index, token in enumerate(tokens):
        number = _key(token, kind) if token is not None else None
        if token is None or number is None:
            continue
        if not token.spaced and not _starts_clause(lines, tokens, index):
            continue
        if number == (1,):  # never continues a run; always a possible start
            runs.append([(index, number, token)])
            continue
        following = [i for i, run in enumerate(runs) if number in next_numbers(run[-1][1])]
        if following:
            runs[continued(following)].append((index, number, token))
            continue
        # A skipped number is an error only where a clause can start; "7 days" at the
        # start of a line wrapped mid-sentence is text, and so is a number run into its
        # text out of sequence ("第三条规定的…" is a reference).
        if not runs or not token.spaced or not _starts_clause(lines, tokens, index):
            continue
        line = lines[index].number
        skipping = [i for i, run in enumerate(runs) if is_jump(run[-1][1], number)]
        if skipping:
            chosen = best(skipping)
            jumps.setdefault(chosen, []).append((line, _shown(runs[chosen][-1][2]),
                                                 _shown(token)))
            runs[chosen].append((index, number, token))
            continue
        chosen = best(range(len(runs)))
        if number <= runs[chosen][-1][1]:
            backs.setdefault(chosen, []).append((line, _shown(runs[chosen][-1][2]),
                                                 _shown(token)))
    return runs, jumps, backs


def _after_colon(lines: list[_Line], index: int) -> bool:
    """True when the text before ``index`` ends with a colon: what follows is a list."""
    before = next((line.text for line in reversed(lines[:index]) if line.text), "")
    return before.endswith(("：", ":"))


def _starts_clause(lines: list[_Line], tokens: list[NumberToken | None], index: int) -> bool:
    """True when the text before ``index`` ended: a blank line, page break, full stop,
    colon, or a numbered title such as "3. 权利义务"."""
    if index == 0 or not lines[index - 1].text:
        return True
    before = lines[index - 1].text
    numbered = tokens[index - 1]
    return bool(_SENTENCE_END.search(before)
                or (numbered is not None and _looks_like_title(numbered.rest)))


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Group lines into paragraphs at blank lines, at a page start after a full stop, and
    at each item of a list ("（一）", "(1)", "a.") that follows the end of a sentence.

    A dropped page header or footer is a page boundary, not a paragraph break: a sentence
    that runs on to the next page stays one paragraph.
    """
    paragraphs: list[list[str]] = [[]]
    page_break = False
    for line in lines:
        if line.dropped:
            page_break = True
            continue
        if not line.text:
            if paragraphs[-1]:
                paragraphs.append([])
            page_break = False
            continue
        ended = bool(paragraphs[-1]) and bool(_SENTENCE_END.search(paragraphs[-1][-1]))
        if ended and (line.boundary or page_break or is_list_item(line.text)):
            paragraphs.append([])
        page_break = False
        paragraphs[-1].append(line.text)
    return [join_wrapped(p) for p in paragraphs if p]


def _preamble(lines: list[_Line], tokens: list[NumberToken | None], kind: str,
              start: int) -> tuple[list[SourceClause], int]:
    """Unnumbered paragraphs just before clause 1, back to the last page header or footer.

    Returns them and the index of the first line they take.
    """
    first = start
    while first > 0 and not (lines[first - 1].boundary and not lines[first - 1].text):
        token = tokens[first - 1]
        if token is not None and token.kind in (DECIMAL, kind):
            break
        first -= 1
    paragraphs = _paragraphs(lines[first:start])
    if not paragraphs:
        return [], start
    line = next(line.number for line in lines[first:start] if line.text)
    return [SourceClause("", "", tuple(paragraphs), line)], first


def _clauses(lines: list[_Line], run: _Run) -> tuple[list[SourceClause], set[int]]:
    """The numbered clauses, and the indices of the lines they take."""
    out: list[SourceClause] = []
    used: set[int] = set()
    for position, (index, number, token) in enumerate(run):
        last = position + 1 == len(run)
        end = run[position + 1][0] if not last else len(lines)
        texts = [_Line(lines[index].number, token.rest, False)]
        used.add(index)
        for offset, line in enumerate(lines[index + 1: end], start=index + 1):
            if last and line.boundary and _ended(texts):
                # the numbered body ends at the page break after its last clause, unless
                # the clause's last sentence runs on to the next page
                break
            texts.append(line)
            used.add(offset)
        has_children = not last and len(run[position + 1][1]) > len(number)
        has_more = any(line.text for line in texts[1:])
        title = ""
        rest = token.rest
        if rest and _looks_like_title(rest) and (has_more or has_children):
            title, texts = rest, texts[1:]
        out.append(SourceClause(dotted(number), title, tuple(_paragraphs(texts)),
                                lines[index].number, token.written))
    return out, used


def _ended(texts: list[_Line]) -> bool:
    """True when the last line with text ends a sentence (or there is none)."""
    last = next((line.text for line in reversed(texts) if line.text), "")
    return not last or bool(_SENTENCE_END.search(last))


def _dropped(raw: list[str], numbers: list[int], reasons: dict[int, str], used: set[int],
             first: int) -> tuple[DroppedLine, ...]:
    """Every line with text that no clause took, with the reason."""
    out = []
    for index, line in enumerate(raw):
        text = line.strip()
        if not text or (index in used and index not in reasons):
            continue
        reason = reasons.get(index) or ("before the document's text" if index < first
                                        else "after the document's text")
        out.append(DroppedLine(numbers[index], text, reason))
    return tuple(out)


def _looks_like_title(text: str) -> bool:
    limit = 16 if any(is_cjk(c) for c in text) else 60
    # "【审慎阅读】" leads into its paragraph: it is never a heading
    return len(text) <= limit and not _TITLE_END.search(text) \
        and not re.search(r"[，；。]", text) and not text.startswith("【")


# ---------------------------------------------------------------- to clause files

# How a source writes a reference to one of its clauses, by language; the number is the
# group "number". Chinese and Japanese write 第3条, except after 》: "《网络安全法》第21条"
# is an article of a law, not a clause of these terms. Other languages: "Section 3".
_ARTICLE_RE = re.compile(r"(?<!》)第(?P<number>\d+(?:\.\d+)*)条")
_REFERENCE_RES: Mapping[str, re.Pattern[str]] = {
    "zh": _ARTICLE_RE,
    "ja": _ARTICLE_RE,
    "ko": re.compile(r"제(?P<number>\d+(?:\.\d+)*)조"),
}
_SECTION_RE = re.compile(r"\b(?:Section|Clause) (?P<number>\d+(?:\.\d+)*)\b")


def link_references(text: str, lang: str, ids: Mapping[str, str]) -> str:
    """Turn "第3条" / "Section 3" into links to the clause that has that number."""
    pattern = _REFERENCE_RES.get(lang.split("-")[0].lower(), _SECTION_RE)

    def replace(match: re.Match[str]) -> str:
        number = match.group("number")
        target = ids.get(number)
        if target is None:
            return match.group(0)
        start, end = (at - match.start() for at in match.span("number"))
        whole = match.group(0)
        return f"{whole[:start]}[{number}](#{target}){whole[end:]}"

    return pattern.sub(replace, text)


@dataclass(frozen=True, slots=True)
class PlannedClause:
    """A clause as it will be written: id, number, texts in every language."""

    id: str
    number: str
    title: Texts
    body: Texts
    numbered: bool
    translation_pending: bool = False
    children: tuple[PlannedClause, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import changes, for the user to read before committing."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()  # authoritative text changed
    renumbered: tuple[tuple[str, str, str], ...] = ()  # id, old number, new number
    translated: tuple[str, ...] = ()
    unmatched: tuple[str, ...] = ()  # source numbers with no clause to fill
    notes: tuple[str, ...] = field(default_factory=tuple)


def _markdown(clause: SourceClause) -> tuple[str, ...]:
    """The clause's paragraphs as Markdown: as the source marked them up, or escaped."""
    return clause.markdown or tuple(escape_markdown(p, CLAUSE_FILE) for p in clause.paragraphs)


def _text_of(source: SourceClause) -> str:
    return "\n\n".join(source.paragraphs)


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def _stored_key(text: str) -> str:
    """Clause-file text in the form the source has: links as their text, escapes undone."""
    return _norm(_ESCAPED.sub(r"\1", LINK_RE.sub(lambda m: m.group(1), text)))


def _similarity(a: str, b: str, lang: str) -> float:
    return similarity(diff_text(a, b, lang))


SIMILAR = 0.6  # share of characters in common for two texts to be the same clause, edited
SHORT = 12  # texts shorter than this (bare titles) are matched by number, not by text
CANDIDATES = 3  # existing clauses compared with one source clause, the likeliest first
_COMMON = 64  # an n-gram found in more existing clauses than this tells nothing: skipped
_LIKELY = 0.2  # share of informative n-grams in common for a clause to be a candidate


def _gram_size(lang: str) -> int:
    """Three characters for Chinese (a word or two), four letters for spaceless Latin."""
    return 3 if by_character(lang) else 4


def _grams(text: str, size: int) -> frozenset[str]:
    if len(text) <= size:
        return frozenset((text,))
    return frozenset(text[at:at + size] for at in range(len(text) - size + 1))


class _GramIndex:
    """The existing clauses by their character n-grams, to find the few that may be an
    edited version of a source clause without diffing against every one of them.

    Two texts are likely the same clause when they share a good part of their
    informative n-grams (those not found in more than ``_COMMON`` clauses, such as
    boilerplate phrases); only the likeliest few are then diffed.
    """

    def __init__(self, texts: Mapping[str, str], size: int) -> None:
        self._size = size
        postings: defaultdict[str, list[str]] = defaultdict(list)
        grams = {cid: _grams(text, size) for cid, text in texts.items()}
        for cid, found in grams.items():
            for gram in found:
                postings[gram].append(cid)
        self._postings = dict(postings)
        self._common = frozenset(gram for gram, posting in postings.items()
                                 if len(posting) > _COMMON)
        self._informative = {cid: len(found - self._common) for cid, found in grams.items()}

    def candidates(self, text: str) -> list[tuple[float, str]]:
        """(likeness, id) of the existing texts most like ``text``, likeliest first."""
        informative = _grams(text, self._size) - self._common
        postings = [posting for posting in map(self._postings.get, informative) if posting]
        shared = Counter(chain.from_iterable(postings))
        scored = []
        for cid, count in shared.items():
            likeness = 2 * count / (len(informative) + self._informative[cid])
            if likeness >= _LIKELY:
                scored.append((likeness, cid))
        return sorted(scored, key=lambda item: -item[0])[:CANDIDATES]


def match_clauses(sources: list[SourceClause], existing: list[Clause],
                  lang: str) -> dict[int, str]:
    """Map source clause positions to existing ids: same text, then similar, then number.

    Text decides first so that a clause keeps its id when it moves, and an inserted
    clause cannot take over the id of the neighbour whose number it now has. The cost is
    about linear: identical texts are found by lookup, and a source clause is diffed only
    against the few existing clauses that share most of its character n-grams (and whose
    length allows the similarity), never against all of them.
    """
    old_text = {c.id: _stored_key(c.title.get(lang) + c.body.get(lang)) for c in existing}
    old_number = {c.id: c.number for c in existing}
    order = {c.id: i for i, c in enumerate(existing)}
    free = set(old_text)
    result: dict[int, str] = {}
    new_text = [_norm(s.title + _text_of(s)) for s in sources]
    # 1. identical text; among equals prefer the same number, then document order
    same_text: dict[str, list[str]] = {}
    same_text_number: dict[tuple[str, str], list[str]] = {}
    for clause in existing:  # in document order, so each list is too
        same_text.setdefault(old_text[clause.id], []).append(clause.id)
        same_text_number.setdefault((old_text[clause.id], clause.number), []).append(clause.id)
    for i, text in enumerate(new_text):
        if not text:
            continue
        found = _first_free(same_text_number.get((text, sources[i].number)), free) \
            or _first_free(same_text.get(text), free)
        if found is not None:
            result[i] = found
            free.discard(found)
    # 2. similar text, best pairs first, among the candidates the n-gram index proposes
    index = _GramIndex({cid: old_text[cid] for cid in sorted(free, key=order.__getitem__)
                        if len(old_text[cid]) >= SHORT}, _gram_size(lang))
    pairs: list[tuple[float, int, str]] = []
    for i, text in enumerate(new_text):
        if i in result or len(text) < SHORT:
            continue
        for _likeness, cid in index.candidates(text):
            old = old_text[cid]
            if 2 * min(len(old), len(text)) < SIMILAR * (len(old) + len(text)):
                continue  # the lengths alone keep the similarity below SIMILAR
            ratio = _similarity(old, text, lang)
            if ratio >= SIMILAR:
                pairs.append((ratio, i, cid))
    for _ratio, i, cid in sorted(pairs, key=lambda p: (-p[0], p[1], order[p[2]])):
        if i not in result and cid in free:
            result[i] = cid
            free.discard(cid)
    # 3. by number, only where text cannot decide (short titles, empty bodies)
    by_number = {old_number[cid]: cid for cid in free}
    for i, source in enumerate(sources):
        match = by_number.get(source.number)
        if i in result or match is None or match not in free:
            continue
        if len(new_text[i]) < SHORT or len(old_text[match]) < SHORT:
            result[i] = match
            free.discard(match)
    return result


def _first_free(ids: list[str] | None, free: set[str]) -> str | None:
    """The first of ``ids`` still free; taken ones are dropped from the list as it goes,
    so many clauses of one identical text cost linear time, not quadratic."""
    while ids:
        if ids[0] in free:
            return ids[0]
        ids.pop(0)
    return None


def plan_import(source: SourceDocument, lang: str, languages: tuple[str, ...],
                authoritative: str, existing: Document | None,
                retired_ids: frozenset[str] = frozenset()) -> tuple[list[PlannedClause],
                                                                    ImportReport]:
    """Decide the clause tree after importing ``source`` in ``lang`` onto ``existing``.

    ``retired_ids`` are ids that clauses had in earlier versions: never given again.
    A clause that is new, or whose authoritative text changed, is marked
    ``translation: pending`` while the document has other languages.
    """
    old = list(existing.walk()) if existing else []
    if existing is not None and lang != authoritative:
        return _plan_translation(source, lang, existing)
    matches = match_clauses(list(source.clauses), old, lang) if old else {}
    taken = {c.id for c in old} | set(retired_ids)
    ids: dict[str, str] = {}
    assigned: list[str] = []
    for i, clause in enumerate(source.clauses):
        cid = matches.get(i)
        if cid is None:
            cid = clause_id_for(clause.number, taken)
            taken.add(cid)
        assigned.append(cid)
        if clause.number:
            ids[clause.number] = cid
    old_by_id = {c.id: c for c in old}
    translated_too = any(other != lang for other in languages)
    flat: list[tuple[str, PlannedClause]] = []
    added: list[str] = []
    changed: list[str] = []
    renumbered: list[tuple[str, str, str]] = []
    for clause, cid in zip(source.clauses, assigned, strict=True):
        title_text = escape_markdown(clause.title, CLAUSE_FILE)
        body_text = "\n\n".join(link_references(p, lang, ids) for p in _markdown(clause))
        prior = old_by_id.get(cid)
        titles = dict(prior.title.items) if prior else {}
        bodies = dict(prior.body.items) if prior else {}
        if clause.title:
            titles[lang] = title_text
        else:
            titles = {}  # no authoritative title: a translated one would be left dangling
        if body_text:
            bodies[lang] = body_text
        else:
            bodies.pop(lang, None)
        pending = translated_too
        if prior is None:
            added.append(cid)
        else:
            before = _stored_key(prior.title.get(lang) + prior.body.get(lang))
            if before != _stored_key(titles.get(lang, "") + bodies.get(lang, "")):
                changed.append(cid)
            else:
                pending = prior.translation_pending
            if prior.number != clause.number:
                renumbered.append((cid, prior.number, clause.number))
        flat.append((clause.number, PlannedClause(
            cid, clause.number, Texts.of({k: titles[k] for k in languages if k in titles}),
            Texts.of({k: bodies[k] for k in languages if k in bodies}), bool(clause.number),
            pending)))
    kept = set(assigned)
    removed = [c.id for c in old if c.id not in kept]
    report = ImportReport(added=tuple(added), removed=tuple(removed), changed=tuple(changed),
                          renumbered=tuple(renumbered), notes=source.notes)
    return _nest(flat), report


def _plan_translation(source: SourceDocument, lang: str,
                      existing: Document) -> tuple[list[PlannedClause], ImportReport]:
    """Fill the ``lang`` block of the clauses that have the same number as in ``source``."""
    by_number: dict[str, SourceClause] = {c.number: c for c in source.clauses}
    ids = {c.number: c.id for c in existing.walk() if c.number}
    known = {c.number for c in existing.walk()}
    unmatched = [c.number or "preamble" for c in source.clauses if c.number not in known]
    langs = existing.manifest.languages
    others = [k for k in langs if k != existing.manifest.authoritative]
    translated: list[str] = []

    def convert(clause: Clause) -> PlannedClause:
        titles = dict(clause.title.items)
        bodies = dict(clause.body.items)
        pending = clause.translation_pending
        src = by_number.get(clause.number)
        if src is not None:
            paragraphs = list(src.paragraphs)
            title = src.title
            # the authoritative text decides which part is the title
            if clause.title and not title and paragraphs:
                title, paragraphs = paragraphs[0], paragraphs[1:]
            elif not clause.title and title:
                paragraphs, title = [title, *paragraphs], ""
            if title:
                titles[lang] = escape_markdown(title, CLAUSE_FILE)
            if paragraphs:
                bodies[lang] = "\n\n".join(
                    link_references(escape_markdown(p, CLAUSE_FILE), lang, ids)
                    for p in paragraphs)
            translated.append(clause.id)
            # pending ends once every translation has text where the authoritative one has
            pending = pending and not all(
                (bodies.get(k) or not clause.body.get(existing.manifest.authoritative))
                and (titles.get(k) or not clause.title) for k in others)
        return PlannedClause(clause.id, clause.number,
                             Texts.of({k: titles[k] for k in langs if k in titles}),
                             Texts.of({k: bodies[k] for k in langs if k in bodies}),
                             clause.numbered, pending,
                             tuple(convert(child) for child in clause.children))

    planned = [convert(c) for c in existing.clauses]
    return planned, ImportReport(translated=tuple(translated), unmatched=tuple(unmatched),
                                 notes=source.notes)


def _nest(flat: list[tuple[str, PlannedClause]]) -> list[PlannedClause]:
    """Build the tree from dotted numbers: 3.1.2 goes under 3.1, the preamble on top."""
    children: dict[str, list[PlannedClause]] = {}
    for number, clause in flat:
        parent = number.rsplit(".", 1)[0] if "." in number else ""
        children.setdefault(parent, []).append(clause)

    def build(clause: PlannedClause) -> PlannedClause:
        kids = children.get(clause.number, []) if clause.number else []
        return replace(clause, children=tuple(build(kid) for kid in kids))

    return [build(clause) for clause in children.get("", [])]


_PREFIX = re.compile(r"^\d+-")


def clause_files(doc_dir: str, clauses: list[PlannedClause], slug_lang: str,
                 existing: Mapping[str, str] | None = None) -> dict[str, str]:
    """The clause files for a planned tree: ``NN-slug.md`` or ``NN-slug/_index.md``.

    The prefix comes from the position; the slug from the title or text in ``slug_lang``
    (a language written with spaces, whose words make a readable name).
    ``existing`` maps ids to their current files, whose slug is kept (unless it is only
    the id, the stand-in used before a translation existed) so that an update renames
    as little as it can.
    """
    files: dict[str, str] = {}
    current = existing or {}

    def current_slug(clause_id: str) -> str | None:
        path = current.get(clause_id)
        if path is None:
            return None
        name = posixpath.basename(posixpath.dirname(path)) if path.endswith("/_index.md") \
            else posixpath.basename(path).removesuffix(".md")
        found = _PREFIX.sub("", name)
        return found if found and found != clause_id else None

    def emit(where: str, siblings: tuple[PlannedClause, ...] | list[PlannedClause]) -> None:
        width = max(2, len(str(len(siblings))))
        position = 0
        for clause in siblings:
            if clause.numbered:
                position += 1
                prefix = f"{position:0{width}d}"
            else:
                prefix = "0" * width
            hint = clause.title.get(slug_lang) or (clause.body.get(slug_lang)
                                                   if clause.numbered else "")
            name = f"{prefix}-{current_slug(clause.id) or slug(hint, clause.id)}"
            content = format_clause_file(clause.id, clause.title, clause.body,
                                         numbered=clause.numbered,
                                         translation_pending=clause.translation_pending)
            if clause.children:
                files[f"{where}/{name}/_index.md"] = content
                emit(f"{where}/{name}", clause.children)
            else:
                files[f"{where}/{name}.md"] = content

    emit(doc_dir, clauses)
    return files


def manifest_text(*, doc_id: str, title: Texts, languages: tuple[str, ...], authoritative: str,
                  version: str, announced: str, effective: str, notice_days: int,
                  timezone: str, comment: str = "", numbering: str = DEFAULT_STYLE) -> str:
    """A new ``document.yaml``; ``numbering`` is written when it is not the default."""
    lines = [f"id: {doc_id}", "title:"]
    for lang in languages:
        lines.append(f"  {lang}: {yaml_scalar(title.get(lang) or doc_id)}")
    lines += [f"languages: [{', '.join(languages)}]", f"authoritative: {authoritative}",
              f"notice_days: {notice_days}", f"timezone: {timezone}"]
    if numbering != DEFAULT_STYLE:
        lines.append(f"numbering: {numbering}")
    if comment:
        lines += ["# " + line for line in comment.splitlines()]
    lines += [f"version: {json.dumps(version)}", f"announced: {announced}",
              f"effective: {effective}"]
    return "\n".join(lines) + "\n"
