"""`terms diff` and `terms review` bound their work: a pull request cannot stall CI.

Rename detection filters pairs cheaply and exactly before it diffs any, and a clause
rewritten too much for a character redline within the budget is compared by sentence,
with a note in every format, while the redline still gives back both texts exactly.
"""

from __future__ import annotations

import json
import random
import re
import time

import docx
import pytest

from conftest import GitRepo, clause, manifest, run_cli
from termstool.compare import clause_diff
from termstool.compare.text_diff import (
    DELETE,
    EQUAL,
    INSERT,
    compare_text,
    new_text,
    old_text,
    segments,
)

D = "terms/tos/"
NOTE = "compared by sentence: the clause was rewritten too much for a character-by-character"
HAN = "阿里云服务条款您应按照页面提示及本约定支付相应费用对自己存放在平台上的数据以及进入和管理各类产品负责"


def random_text(rng: random.Random, alphabet: str, length: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


def test_many_clauses_replaced_by_random_texts_are_not_diffed_pair_by_pair(
        repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """60 clauses replaced by 60 new ids whose random texts over a tiny alphabet share
    most of their bigrams: no pair is similar, and none needs a diff to tell. One real
    rename (a small edit) among them is still found."""
    rng = random.Random(5)
    old = {f"{D}{i:03d}-c.md": clause(f"a{i}", random_text(rng, "ab ", 1000),
                                      random_text(rng, "ab ", 1000)) for i in range(60)}
    kept_zh, kept_en = random_text(rng, "ab ", 1000), random_text(rng, "ab ", 1000)
    repo.commit({D + "document.yaml": manifest(), **old,
                 D + "999-kept.md": clause("kept", kept_zh, kept_en)})
    new = {f"{D}{i:03d}-c.md": clause(f"b{i}", random_text(rng, "ab ", 1000),
                                      random_text(rng, "ab ", 1000)) for i in range(60)}
    repo.commit({**new, D + "999-kept.md": None,
                 D + "999-renamed.md": clause("renamed", kept_zh[:-3] + "xyz", kept_en)})
    real = clause_diff._similarity
    calls = {"n": 0}

    def counting(a: tuple[str, ...], b: tuple[str, ...]) -> float:
        calls["n"] += 1
        return real(a, b)

    monkeypatch.setattr(clause_diff, "_similarity", counting)
    start = time.process_time()
    code, out, err = run_cli("diff", "HEAD~1", "HEAD", "-f", "json")
    assert code == 0, err
    assert time.process_time() - start < 20  # it took minutes: 61 x 61 diffs of 2,000 chars
    assert calls["n"] <= 3  # was every pair that shared enough bigrams: about 3,700
    summary = json.loads(out)["documents"][0]["summary"]
    assert (summary["added"], summary["removed"], summary["renamed"]) == (60, 60, 1)
    code, out, err = run_cli("review", "--base", "HEAD~1")
    assert code in (0, 1), err
    assert "60 added · 60 removed · 1 renamed" in out


def sentences(rng: random.Random, count: int) -> str:
    return "".join(random_text(rng, HAN, rng.randint(20, 60)) + "。" for _ in range(count))


@pytest.fixture
def rewritten(repo: GitRepo) -> tuple[GitRepo, str, str]:
    """Two clauses of 100,000 Chinese characters: one with 40 % of its sentences rewritten
    (still the same clause), one rewritten completely (an unrelated text under its id);
    and a third with ten characters changed."""
    rng = random.Random(9)
    old = [random_text(rng, HAN, rng.randint(20, 60)) + "。" for _ in range(2500)]
    new = old[:750] + [random_text(rng, HAN, rng.randint(20, 60)) + "。"
                       for _ in range(1000)] + old[1750:]
    whole_old, whole_new = sentences(rng, 2500)[:100_000], sentences(rng, 2500)[:100_000]
    other = sentences(rng, 30)
    edited = other.replace(other[40:50], "修改了十个汉字的内容", 1)
    repo.commit({D + "document.yaml": manifest(),
                 D + "01-long.md": clause("long", "".join(old), "Old."),
                 D + "02-whole.md": clause("whole", whole_old, "Old."),
                 D + "03-other.md": clause("other", other, "Other.")})
    repo.commit({D + "01-long.md": clause("long", "".join(new), "New."),
                 D + "02-whole.md": clause("whole", whole_new, "New."),
                 D + "03-other.md": clause("other", edited, "Other.")})
    return repo, "".join(old), "".join(new)


def test_a_100000_character_rewrite_is_compared_by_sentence_in_every_format(
        rewritten: tuple[GitRepo, str, str]) -> None:
    repo, old, new = rewritten
    start = time.process_time()
    code, out, err = run_cli("diff", "HEAD~1", "HEAD", "-f", "json")
    assert time.process_time() - start < 5  # a complete rewrite alone took 57 s
    assert code == 0, err
    changes = [(c["id"], c["kind"], c) for c in json.loads(out)["documents"][0]["changes"]]
    kinds = {(cid, kind) for cid, kind, _ in changes}
    assert kinds == {("long", "modified"), ("whole", "removed"), ("whole", "added"),
                     ("other", "modified")}
    found = {cid: change for cid, kind, change in changes if kind == "modified"}
    ops = tuple(tuple(op) for op in found["long"]["zh"]["ops"])
    assert old_text(ops) == old and new_text(ops) == new  # never a wrong result
    assert found["long"]["zh"]["note"].startswith(NOTE)
    assert ops[0][0] == "=" and len(ops[0][1]) > 20_000  # the unchanged start stays equal
    # the small edit keeps its character redline
    assert "note" not in found["other"]["zh"]
    assert sum(len(text) for op, text in found["other"]["zh"]["ops"] if op == "-") <= 12
    for fmt in ("terminal", "markdown", "html"):
        code, out, err = run_cli("diff", "HEAD~1", "HEAD", "-f", fmt)
        assert code == 0, err
        assert NOTE in re.sub(r"\s+", " ", out), fmt  # the terminal wraps lines
    # the whole-document redline too, as HTML and as a Word file
    code, out, err = run_cli("diff", "HEAD~1", "HEAD", "--full", "-f", "html")
    assert code == 0 and NOTE in out, err
    code, _out, err = run_cli("diff", "HEAD~1", "HEAD", "--full", "-o", "redline.docx")
    assert code == 0, err
    texts = [p.text for p in docx.Document(str(repo.root / "redline.docx")).paragraphs]
    assert any(NOTE in text for text in texts)
    # the review comment leaves out a redline this long; its HTML page has it
    repo.git("tag", "base", "HEAD~1")
    code, out, err = run_cli("review", "--base", "base", "-o", "review.html")
    assert code in (0, 1), err
    assert NOTE in (repo.root / "review.html").read_text(encoding="utf-8")


def test_the_coarse_redline_gives_back_both_texts_and_notes_only_what_is_coarse() -> None:
    rng = random.Random(3)
    base = [random_text(rng, HAN, 40) + "。" for _ in range(1200)]
    new = list(base)
    for at in range(0, 1200, 100):  # a few sentences edited a little
        new[at] = new[at][:10] + "修订" + new[at][12:]
    new[600:1100] = [random_text(rng, HAN, 40) + "。" for _ in range(500)]  # a third rewritten
    old_text_, new_text_ = "".join(base), "".join(new)
    comparison = compare_text(old_text_, new_text_, "zh")
    assert old_text(comparison.ops) == old_text_ and new_text(comparison.ops) == new_text_
    assert comparison.coarse
    edits = [text for op, text in comparison.ops if op == INSERT and len(text) < 5]
    assert edits.count("修订") >= 5  # outside the rewritten third, edits stay small
    shown = segments(comparison.ops, comparison.coarse, "zh")
    assert sum(1 for s in shown if s.note and s.note.startswith(NOTE)) == 1
    assert all(op in (EQUAL, DELETE, INSERT) for op, _ in comparison.ops)
