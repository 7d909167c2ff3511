"""The Word redline: Accept All gives NEW's text and Reject All OLD's, character for character.

Accepting and rejecting is simulated on the XML by :mod:`termstool.importer.docx_reader`,
as Word does it (deleted or moved-away text and paragraph ends go on accept; inserted or
moved-here ones on reject; a paragraph whose end goes joins the next). The result is
compared with the text ``terms render -f text`` prints for each revision, clause by
clause and as a whole, on an amendment of the real API Gateway terms made as a git
history, and with hypothesis on random edits to both languages.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from collections import Counter
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import TOS, GitRepo, run_cli
from termstool.format.commonmark import to_plain
from termstool.format.loader import load_documents
from termstool.format.word import W_NS
from termstool.importer.docx_reader import WordFile, read_docx
from termstool.model.document import Document
from termstool.model.snapshot import Snapshot
from termstool.render.document_text import numbered_clause
from termstool.render.docx_writer import Revision
from termstool.render.full_redline import full_redline
from termstool.render.redline_docx import redline_docx, revisions_by

DOC = "terms/api-gateway/terms-of-service"
LANGS = ("zh", "en")


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def parent_tag(element: etree._Element) -> str:
    parent = element.getparent()
    return str(parent.tag) if parent is not None else ""


def char_style(run: etree._Element) -> str | None:
    style = run.find(f"{w('rPr')}/{w('rStyle')}")
    return style.get(w("val")) if style is not None else None


# ------------------------------------------------------------------ what the file says


def clause_chunks(word: WordFile, mode: str) -> list[tuple[str, str, str]]:
    """(clause id, language, text as terms render -f text prints it), in file order."""
    assert word.export is not None
    records = word.export.by_bookmark()
    out = []
    for bookmark, per_language in word.view(mode).clauses().items():  # type: ignore[arg-type]
        record = records[bookmark][1]
        clause_id = record.id if mode == "accept" else (record.old_id or record.id)
        for lang in LANGS:
            text = per_language.get(lang)
            if text is None:
                continue
            number = text.number
            if mode == "reject" and text.former:
                number = text.former.strip("[]").replace("·", "")
            body = text.plain()
            shown = f"{number}. {body}" if number and body else (body or f"{number}.")
            out.append((clause_id, lang, shown))
    return out


def expected_chunks(document: Document) -> list[tuple[str, str, str]]:
    """The same for a document, from the renderer's own per-clause text; a language
    whose Markdown renders to nothing (``*`` alone is an empty list) shows no text. Word
    keeps a link as a hyperlink, so its text is the link's text without the address that
    plain text adds after it."""
    numbers = {c.id: c.number for c in document.walk()}
    return [(c.id, lang, numbered_clause(c, lang, numbers, addresses=False))
            for c in document.walk()
            for lang in LANGS
            if to_plain(c.title.get(lang), {}) or to_plain(c.body.get(lang), numbers)]


def render_body(*args: str) -> str:
    """What `terms render -f text --layout stacked` prints after the document header."""
    code, out, err = run_cli("render", *args, "-f", "text", "--layout", "stacked")
    assert code == 0, err
    return out.split("=" * 60 + "\n\n", 1)[1]


# ------------------------------------------------------------------ a held-out amendment


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def amendment(repo: GitRepo) -> None:
    """Release 20210701 of the real terms by one author, then an amendment by another."""
    shutil.copytree(TOS, repo.root / DOC)
    repo.commit(when="2021-06-01T10:00:00+08:00", message="Terms 20210701")
    base = repo.root / DOC
    _edit(base / "document.yaml", 'version: "20210701"', 'version: "20211101"')
    _edit(base / "document.yaml", "announced: 2021-06-01", "announced: 2021-10-01")
    _edit(base / "document.yaml", "effective: 2021-07-01", "effective: 2021-11-01")
    # modified, both languages: the notice period of the change clause
    change = base / "03-rights-obligations/02-rights-obligations-alibaba-cloud" \
        / "11-if-contents-these-terms-change.md"
    _edit(change, "提前30天", "提前45天")
    _edit(change, "30 days in advance", "45 days in advance")
    # editorial: half-width punctuation made full-width, in Chinese only
    _edit(base / "01-service-content.md", "API网关（API Gateway）", "API 网关（API Gateway）")
    # translation: only the English
    _edit(base / "01-service-content.md", "related technical", "associated technical")
    # removed: clause 2.2; every later clause of section 2 renumbers
    (base / "02-service-prices-fees/02-you-may-top-up-your.md").unlink()
    # added, with a cross-reference that follows its target's number
    (base / "02-service-prices-fees/06-invoices.md").write_text(
        "---\nid: s2-6\ntitle:\n  zh: 发票\n  en: Invoices\n---\n\n<!-- zh -->\n"
        "阿里云按第[3.2.11](#s3-2-11)条公告发票规则。\n\n新增的第二段。\n\n<!-- en -->\n"
        "Alibaba Cloud announces its invoicing rules under Section [3.2.11](#s3-2-11).\n\n"
        "A second, **new** paragraph.\n", encoding="utf-8")
    # moved: clause 4.3 becomes the last clause of section 6, text unchanged
    (base / "04-user-data/03-except-as-required-law-competent.md").rename(
        base / "06-confidentiality-clause/07-except-as-required-law-competent.md")
    repo.git("add", "-A")
    repo.git("commit", "-q", "--author=Bob Lawyer <bob@example.com>", "-m", "Amend",
             when="2021-10-01T09:30:00+08:00")


@pytest.mark.parametrize("layout", ["stacked", "parallel"])
def test_accept_all_and_reject_all_give_both_releases(repo: GitRepo, layout: str) -> None:
    amendment(repo)
    code, _, err = run_cli("diff", "20210701", "20211101", DOC, "-o", "r.docx",
                           "--layout", layout)
    assert code == 0, err
    word = read_docx((repo.root / "r.docx").read_bytes())
    old = render_body(DOC, "--at", "20210701")
    new = render_body(DOC, "--at", "20211101")
    accepted = "\n\n".join(text for _, _, text in clause_chunks(word, "accept")) + "\n"
    rejected = "\n\n".join(text for _, _, text in clause_chunks(word, "reject")) + "\n"
    assert accepted == new
    assert rejected == old
    # and clause by clause, with each clause where its id says
    workspace_old = load_documents(_snapshot(repo, "20210701"), DOC).documents[0]
    workspace_new = load_documents(_snapshot(repo, "20211101"), DOC).documents[0]
    assert clause_chunks(word, "accept") == expected_chunks(workspace_new)
    assert clause_chunks(word, "reject") == expected_chunks(workspace_old)


def _snapshot(repo: GitRepo, version: str) -> Snapshot:
    from termstool.app.revisions import resolve_revision
    from termstool.app.workspace import Workspace

    return resolve_revision(Workspace.open(repo.root / DOC), version).snapshot


def test_revisions_are_native_word_markup_by_the_author_of_the_change(repo: GitRepo) -> None:
    amendment(repo)
    code, _, err = run_cli("diff", "20210701", "20211101", DOC, "-o", "r.docx")
    assert code == 0, err
    data = (repo.root / "r.docx").read_bytes()
    docx.Document(io.BytesIO(data))  # python-docx opens it
    body = etree.fromstring(_part(data, "word/document.xml"))
    revisions = [e for e in body.iter() if e.tag in {w(t) for t in (
        "ins", "del", "moveFrom", "moveTo")} and parent_tag(e) != w("rPr")]
    assert revisions
    # every revision: a unique id, the amending commit's author and date
    ids = [e.get(w("id")) for e in body.iter() if e.get(w("id")) is not None
           and e.tag != w("bookmarkEnd") and not str(e.tag).endswith("RangeEnd")]
    assert len(ids) == len(set(ids))
    assert {e.get(w("author")) for e in revisions} == {"Bob Lawyer"}
    assert {e.get(w("date")) for e in revisions} == {"2021-10-01T01:30:00Z"}
    # deleted text is w:delText inside w:del, never w:t
    for deletion in body.iter(w("del")):
        assert not list(deletion.iter(w("t")))
    for inserted in body.iter(w("ins")):
        assert not list(inserted.iter(w("delText")))
    # the moved clause is a Word move: paired ranges with the same name at both places
    starts = {kind: [e.get(w("name")) for e in body.iter(w(f"{kind}RangeStart"))]
              for kind in ("moveFrom", "moveTo")}
    assert starts["moveFrom"] == starts["moveTo"] == ["move1"]
    assert len(list(body.iter(w("moveFromRangeEnd")))) == 1
    moved_from, moved_to = (
        "".join("".join(str(t) for t in e.itertext()) for e in body.iter(w(kind))
                if parent_tag(e) != w("rPr")) for kind in ("moveFrom", "moveTo"))
    assert moved_from.startswith("[4.3]") and moved_to.startswith("6.7 [4.3]")
    assert moved_from.replace("[4.3]", "") == moved_to.replace("6.7 [4.3]", "")
    # renumbered clauses show their old number in brackets, not as a tracked change
    former = [r for r in body.iter(w("r")) if char_style(r) == "TermsFormerNumber"]
    plain_former = ["".join(str(t) for t in r.itertext()).strip() for r in former if parent_tag(r) == w("p")]
    assert "[2.3]" in plain_former  # old 2.3 is now 2.2
    # a bookmark per clause, named by its id
    names = [e.get(w("name")) for e in body.iter(w("bookmarkStart"))]
    assert "s3_2_11" in names and "s2_6" in names and "old_s2_2" in names


def test_author_option_and_uncommitted_changes(repo: GitRepo) -> None:
    amendment(repo)
    _edit(repo.root / DOC / "01-service-content.md", "服务内容", "服务的内容")
    code, _, err = run_cli("diff", "20211101", DOC, "-o", "w.docx")
    assert code == 0, err
    body = etree.fromstring(_part((repo.root / "w.docx").read_bytes(), "word/document.xml"))
    assert {e.get(w("author")) for e in body.iter(w("ins"))} == {"terms"}
    code, _, err = run_cli("diff", "20210701", "20211101", DOC, "-o", "a.docx",
                           "--author", "Legal <team>")
    assert code == 0, err
    body = etree.fromstring(_part((repo.root / "a.docx").read_bytes(), "word/document.xml"))
    assert Counter(e.get(w("author")) for e in body.iter(w("del"))).keys() == {"Legal <team>"}


def _part(data: bytes, name: str) -> bytes:
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).read(name)


# ------------------------------------------------------------------ random edits


ZH = "的条款服务费用您应支付阿里云数据，。（）：；“”0123456789 *_["
WORDS = ["you", "shall", "pay", "the", "fees", "within", "days", "Alibaba", "Cloud's",
         "services", "(1)", "data", "**bold**", "*it*", "`code`", "[link](https://a.b)",
         "e.g.", "—", "30", "Party"]

zh_text = st.text(alphabet=ZH, min_size=1, max_size=30)
en_text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=10).map(" ".join)


@st.composite
def paragraphs(draw: st.DrawFn, text: st.SearchStrategy[str]) -> str:
    parts = draw(st.lists(text, min_size=1, max_size=3))
    separators = [draw(st.sampled_from(["\n\n", "\n"])) for _ in parts[1:]]
    out = parts[0]
    for separator, part in zip(separators, parts[1:], strict=True):
        out += separator + part
    return out


@st.composite
def edit(draw: st.DrawFn, text: str, words: bool) -> str:
    """A few insertions, deletions and replacements in a text."""
    for _ in range(draw(st.integers(0, 3))):
        tokens = text.split(" ") if words else list(text)
        at = draw(st.integers(0, len(tokens)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "split"]))
        new = draw(en_text if words else zh_text)
        if action == "insert":
            tokens.insert(at, new)
        elif action == "delete" and tokens:
            del tokens[min(at, len(tokens) - 1)]
        elif action == "replace" and tokens:
            tokens[min(at, len(tokens) - 1)] = new
        elif action == "split":
            tokens.insert(at, "\n\n")
        text = (" " if words else "").join(tokens).strip() or new
    return text


def clause_file(cid: str, zh: str, en: str, title: tuple[str, str] | None) -> str:
    head = f"---\nid: {cid}\n"
    if title:
        head += f"title:\n  zh: '{title[0]}'\n  en: '{title[1]}'\n"
    return f"{head}---\n\n<!-- zh -->\n{zh}\n\n<!-- en -->\n{en}\n"


MANIFEST = ("id: tos\ntitle:\n  zh: 服务条款\n  en: Terms\nlanguages: [zh, en]\n"
            "authoritative: zh\nnotice_days: 30\ntimezone: Asia/Shanghai\nversion: '1'\n"
            "announced: 2021-06-01\neffective: 2021-07-01\n")


def documents(files: dict[str, str]) -> tuple[Document, ...]:
    data = {path: text.encode("utf-8") for path, text in files.items()}
    loaded = load_documents(Snapshot("x", {p: p for p in data}, data.__getitem__), "terms")
    return loaded.documents


@st.composite
def versions(draw: st.DrawFn) -> tuple[dict[str, str], dict[str, str]]:
    """Two versions of a small two-level document: edits, additions, removals, moves."""
    count = draw(st.integers(2, 5))
    old: dict[str, tuple[str, str, str, tuple[str, str] | None]] = {}
    for index in range(count):
        parent = f"{index + 1:02d}-c{index}"
        title = draw(st.none() | st.tuples(st.sampled_from(["费用", "数据", "责任"]),
                                          st.sampled_from(["Fees", "Data", "Liability"])))
        old[f"c{index}"] = (f"{parent}.md", draw(paragraphs(zh_text)),
                            draw(paragraphs(en_text)), title)
    new: dict[str, tuple[str, str, str, tuple[str, str] | None]] = {}
    order = draw(st.permutations(sorted(old)))
    if not draw(st.booleans()):
        order = sorted(old)  # no move, most of the time
    for position, cid in enumerate(order):
        _path, zh, en, title = old[cid]
        fate = draw(st.sampled_from(["keep", "edit", "edit", "remove"]))
        if fate == "remove":
            continue
        if fate == "edit":
            zh = draw(edit(zh, words=False))
            en = draw(edit(en, words=True))
            if draw(st.booleans()):
                title = draw(st.none() | st.just(("新标题", "New title")))
        new[cid] = (f"{position + 1:02d}-{cid}.md", zh, en, title)
    for extra in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(new) + 1))
        new[f"n{extra}"] = (f"{at:02d}a-n{extra}.md", draw(paragraphs(zh_text)),
                            draw(paragraphs(en_text)), None)

    def files(spec: dict[str, tuple[str, str, str, tuple[str, str] | None]]
              ) -> dict[str, str]:
        out = {"terms/tos/document.yaml": MANIFEST}
        for cid, (path, zh, en, title) in spec.items():
            out[f"terms/tos/{path}"] = clause_file(cid, zh, en, title)
        return out

    return files(old), files(new)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(versions(), st.sampled_from(["stacked", "parallel"]))
def test_contract_holds_for_random_edits(pair: tuple[dict[str, str], dict[str, str]],
                                         layout: str) -> None:
    old, new = documents(pair[0]), documents(pair[1])
    full = full_redline(old, new, LANGS)
    revision = Revision("t", dt.datetime(2021, 10, 1, tzinfo=dt.UTC))
    word = read_docx(redline_docx(full, revisions_by(revision), layout=layout))
    assert clause_chunks(word, "accept") == expected_chunks(new[0])
    assert clause_chunks(word, "reject") == expected_chunks(old[0])
