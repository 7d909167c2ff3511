"""Matching clauses between two versions: one kind per change, and no false positives."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import termstool.compare.clause_diff as clause_diff
from conftest import TOS, clause, manifest
from termstool.compare.change_class import ChangeClass, clause_text
from termstool.compare.clause_diff import (
    ChangeKind,
    ClauseChange,
    Redline,
    describe,
    diff_documents,
)
from termstool.compare.text_diff import (
    DELETE,
    EQUAL,
    INSERT,
    TextComparison,
    compare_text,
    new_text,
    old_text,
)
from termstool.format.loader import load_documents
from termstool.format.numbering import number_siblings
from termstool.model.document import Clause, Document, Manifest, Texts
from termstool.model.snapshot import Snapshot
from termstool.storage.working_tree import working_tree

D = "terms/tos/"


def load(files: Mapping[str, str | None]) -> list[Document]:
    """Documents from an in-memory set of files (no git, no disk)."""
    data = {path: text for path, text in files.items() if text is not None}
    snapshot = Snapshot("memory", {p: p for p in data}, lambda key: data[key].encode())
    loaded = load_documents(snapshot, "terms")
    return list(loaded.documents)


BASE: dict[str, str | None] = {
    D + "document.yaml": manifest(),
    D + "01-intro.md": clause("s1", "本条款适用于您对服务的使用。", "These Terms apply to your use."),
    D + "02-service/_index.md": clause("s2", "服务内容见下列各款。", "The services are below.",
                                       title=("服务", "Services")),
    D + "02-service/01-scope.md": clause("s2-1", "服务范围以产品页面为准。", "Scope is per the page."),
    D + "02-service/02-fees.md": clause("s2-2", "您应在30日内支付费用。", "Pay within 30 days."),
    D + "02-service/03-refund.md": clause("s2-3", "退款规则见退款政策。", "Refunds follow the policy."),
    D + "03-data/_index.md": clause("s3", "数据条款如下。", "Data terms follow.", title=("数据", "Data")),
    D + "03-data/01-security.md": clause("s3-1", "您应妥善保管密码。", "Keep passwords safe."),
    D + "04-law.md": clause("s4", "违反第[3](#s3)条的，乙方有权终止服务。",
                            "If you breach Section [3](#s3), Party B may terminate."),
}


def compare(changes: Mapping[str, str | None], base: Mapping[str, str | None] = BASE
            ) -> Redline:
    return diff_documents(load(base), load({**base, **changes}), ref_from="a", ref_to="b")


def kinds(redline: Redline) -> dict[str, str]:
    return {c.id: c.kind.value for d in redline.documents for c in d.changes}


def only(redline: Redline) -> list[ClauseChange]:
    (document,) = redline.documents
    return list(document.changes)


def ops(change: ClauseChange, lang: str) -> tuple[tuple[str, str], ...]:
    diff = change.text(lang)
    assert diff is not None, f"no {lang} text in the change"
    return diff.ops


def test_identical_versions_have_no_changes() -> None:
    redline = compare({})
    assert not redline.changed and only(redline) == []


def test_inserting_a_clause_early_is_one_added_and_renumbered_clauses() -> None:
    redline = compare({D + "015-new.md": clause("s1a", "新增条款。", "A new clause.")})
    assert kinds(redline) == {"s1a": "added", "s2": "renumbered", "s2-1": "renumbered",
                              "s2-2": "renumbered", "s2-3": "renumbered", "s3": "renumbered",
                              "s3-1": "renumbered", "s4": "renumbered"}
    added = only(redline)[0]
    assert (added.number_from, added.number_to) == (None, "2")
    assert added.change_class is ChangeClass.SUBSTANTIVE
    assert added.languages_changed == ("zh", "en")
    assert ops(added, "zh") == ((INSERT, "新增条款。"),)
    renumbered = [c for c in only(redline) if c.kind is ChangeKind.RENUMBERED]
    assert all(c.change_class is None and not c.text_changed and not c.languages_changed
               for c in renumbered)
    assert renumbered[1].number_label == "2.1 → 3.1"


def test_the_real_terms_insert_one_clause_early() -> None:
    root = TOS.parents[2]
    files = dict(working_tree(root, "terms").files)
    extra = "terms/api-gateway/terms-of-service/015-new-clause.md"
    data = {extra: clause("s-new", "新增条款。", "A new clause.").encode()}

    def read(key: str) -> bytes:
        return data[key] if key in data else (root / key).read_bytes()

    old = load_documents(Snapshot("old", files, read), "terms").documents
    new = load_documents(Snapshot("new", {**files, extra: extra}, read), "terms").documents
    redline = diff_documents(old, new)
    counts = Counter(c.kind.value for d in redline.documents for c in d.changes)
    total = sum(1 for d in new for c in d.walk() if d.id == "api-gateway-terms-of-service")
    assert total > 100
    assert counts["added"] == 1
    assert set(counts) == {"added", "renumbered"}
    assert counts["renumbered"] > 80  # every clause from chapter 2 on, sub-clauses included


def test_removing_a_clause_is_removed_and_renumbered_in_document_order() -> None:
    redline = compare({D + "02-service/01-scope.md": None})
    assert [(c.id, c.kind.value, c.number_label) for c in only(redline)] == [
        ("s2-1", "removed", "2.1 → —"), ("s2-2", "renumbered", "2.2 → 2.1"),
        ("s2-3", "renumbered", "2.3 → 2.2")]
    assert ops(only(redline)[0], "en") == ((DELETE, "Scope is per the page."),)


def test_moving_to_another_parent_is_one_moved_with_its_text_changes() -> None:
    redline = compare({D + "02-service/03-refund.md": None,
                       D + "03-data/02-refund.md": clause("s2-3", "退款规则见最新退款政策。",
                                                          "Refunds follow the policy.")})
    (moved,) = only(redline)
    assert moved.kind is ChangeKind.MOVED and moved.number_label == "2.3 → 3.2"
    assert (moved.parent_from, moved.parent_to) == ("2", "3")
    assert moved.change_class is ChangeClass.SUBSTANTIVE
    assert moved.languages_changed == ("zh",)
    assert (INSERT, "最新") in ops(moved, "zh")
    assert describe(moved) == "Moved from under 2 to under 3; text changed too."


def test_swapping_two_siblings_is_one_move() -> None:
    redline = compare({D + "02-service/01-scope.md": clause("s2-2", "您应在30日内支付费用。",
                                                             "Pay within 30 days."),
                       D + "02-service/02-fees.md": clause("s2-1", "服务范围以产品页面为准。",
                                                           "Scope is per the page.")})
    assert sorted(kinds(redline).values()) == ["moved", "renumbered"]


def test_a_new_id_with_the_same_text_is_renamed() -> None:
    redline = compare({D + "02-service/02-fees.md": clause("fees", "您应在30日内支付费用。",
                                                           "Pay within 30 days.")})
    (renamed,) = only(redline)
    assert (renamed.kind, renamed.id, renamed.old_id) == (ChangeKind.RENAMED, "fees", "s2-2")
    assert renamed.change_class is None and not renamed.text_changed


def test_a_new_id_with_near_identical_text_is_renamed_with_its_class() -> None:
    long_zh = "您应在三十日内支付全部服务费用，逾期未付的，乙方有权暂停服务并要求您支付违约金。"
    base = {**BASE, D + "02-service/02-fees.md": clause("s2-2", long_zh, "Pay within 30 days.")}
    redline = compare({D + "02-service/02-fees.md": clause(
        "fees", long_zh.replace("全部", "全额"), "Pay within 30 days.")}, base)
    (renamed,) = only(redline)
    assert renamed.kind is ChangeKind.RENAMED
    assert renamed.change_class is ChangeClass.SUBSTANTIVE


def test_a_new_id_with_different_text_is_removed_and_added() -> None:
    redline = compare({D + "02-service/02-fees.md": clause("fees", "费用另行约定。",
                                                           "Fees are agreed separately.")})
    assert kinds(redline) == {"s2-2": "removed", "fees": "added"}


def kind_pairs(redline: Redline) -> list[tuple[str, str]]:
    return sorted((c.kind.value, c.id) for d in redline.documents for c in d.changes)


def test_an_unrelated_text_under_an_old_id_is_removed_and_added() -> None:
    redline = compare({D + "02-service/02-fees.md": clause(
        "s2-2", "阿里云有权随时终止本协议而无需通知。", "Alibaba Cloud may terminate at any time.")})
    assert kind_pairs(redline) == [("added", "s2-2"), ("removed", "s2-2")]
    removed = next(c for c in only(redline) if c.kind is ChangeKind.REMOVED)
    assert ops(removed, "zh") == ((DELETE, "您应在30日内支付费用。"),)


def test_an_unrelated_text_under_an_old_id_elsewhere_is_not_a_move() -> None:
    redline = compare({D + "02-service/02-fees.md": None,
                       D + "03-data/02-other.md": clause(
                           "s2-2", "阿里云有权随时终止本协议而无需通知。", "Alibaba Cloud may terminate.")})
    assert kind_pairs(redline) == [("added", "s2-2"), ("removed", "s2-2"),
                                   ("renumbered", "s2-3")]


def test_old_text_under_a_new_id_and_new_text_under_the_old_id() -> None:
    redline = compare({D + "02-service/02-fees.md": clause(
        "s2-2", "阿里云有权随时终止本协议而无需通知。", "Alibaba Cloud may terminate."),
        D + "02-service/02a-fees.md": clause("fees", "您应在30日内支付费用。", "Pay within 30 days.")})
    assert kind_pairs(redline) == [("added", "s2-2"), ("renamed", "fees"),
                                   ("renumbered", "s2-3")]


def test_an_amendment_that_appends_or_cuts_text_stays_a_modification() -> None:
    longer = "您应在30日内支付费用。逾期未付的，阿里云有权暂停服务并按日收取滞纳金。"
    redline = compare({D + "02-service/02-fees.md": clause("s2-2", longer, "Pay in 30 days; "
                                                           "late fees apply.")})
    assert kind_pairs(redline) == [("modified", "s2-2")]
    redline = compare({D + "02-service/02-fees.md": clause("s2-2", "您应在30日内支付费用。",
                                                           "Pay.")},
                      {**BASE, D + "02-service/02-fees.md": clause("s2-2", longer, "Pay.")})
    assert kind_pairs(redline) == [("modified", "s2-2")]


def test_renaming_a_parent_does_not_move_its_children() -> None:
    redline = compare({D + "03-data/_index.md": clause("data", "数据条款如下。",
                                                       "Data terms follow.",
                                                       title=("数据", "Data"))})
    assert kinds(redline) == {"data": "renamed"}


def test_a_reference_to_a_renumbered_clause_is_a_reference_update() -> None:
    redline = compare({
        D + "015-new.md": clause("s1a", "新增条款。", "A new clause."),
        D + "04-law.md": clause("s4", "违反第[4](#s3)条的，乙方有权终止服务。",
                                "If you breach Section [4](#s3), Party B may terminate."),
    })
    change = next(c for c in only(redline) if c.id == "s4")
    assert change.kind is ChangeKind.REFERENCE
    assert change.change_class is ChangeClass.EDITORIAL
    assert change.number_label == "4 → 5"
    assert (DELETE, "3") in ops(change, "zh") and (INSERT, "4") in ops(change, "zh")


def test_a_reference_number_changed_without_a_renumbering_is_a_modification() -> None:
    redline = compare({D + "04-law.md": clause(
        "s4", "违反第[2](#s3)条的，乙方有权终止服务。",
        "If you breach Section [2](#s3), Party B may terminate.")})
    (change,) = only(redline)
    assert change.kind is ChangeKind.MODIFIED


def test_classes_of_modification() -> None:
    redline = compare({
        D + "02-service/02-fees.md": clause("s2-2", "您应在15日内支付费用。", "Pay within 15 days."),
        D + "03-data/01-security.md": clause("s3-1", "您可妥善保管密码。", "Keep passwords safe."),
        D + "02-service/01-scope.md": clause("s2-1", "服务范围以产品页面为准。",
                                             "The scope is as shown on the product page."),
    })
    got = {c.id: (c.kind.value, c.change_class and c.change_class.value, c.languages_changed)
           for c in only(redline)}
    assert got == {"s2-1": ("modified", "translation", ("en",)),
                   "s2-2": ("modified", "substantive", ("zh", "en")),
                   "s3-1": ("modified", "substantive", ("zh",))}


def test_full_width_punctuation_is_editorial() -> None:
    redline = compare({D + "03-data/01-security.md": clause("s3-1", "您应妥善保管密码，（1）",
                                                            "Keep passwords safe.")},
                      {**BASE, D + "03-data/01-security.md": clause(
                          "s3-1", "您应妥善保管密码,(1)", "Keep passwords safe.")})
    (change,) = only(redline)
    assert (change.kind, change.change_class) == (ChangeKind.MODIFIED, ChangeClass.EDITORIAL)


def test_ops_reproduce_both_versions_of_the_text() -> None:
    redline = compare({D + "02-service/_index.md": clause("s2", "服务内容如下。", "Services:",
                                                          title=("服务内容", "Services"))})
    (change,) = only(redline)
    zh = change.text("zh")
    assert zh is not None
    assert old_text(zh.ops) == "服务\n\n服务内容见下列各款。"
    assert new_text(zh.ops) == "服务内容\n\n服务内容如下。"


def test_documents_added_and_removed() -> None:
    other = {"terms/sla/document.yaml": manifest(doc_id="sla"),
             "terms/sla/01-a.md": clause("a1", "可用性。", "Availability.")}
    redline = diff_documents(load(BASE), load({**BASE, **other}))
    sla = next(d for d in redline.documents if d.id == "sla")
    assert (sla.version_from, sla.version_to) == (None, "20210701")
    assert [c.kind.value for c in sla.changes] == ["added"]
    back = diff_documents(load({**BASE, **other}), load(BASE))
    assert [c.kind.value for d in back.documents if d.id == "sla" for c in d.changes] == [
        "removed"]


def test_a_version_change_alone_is_a_difference() -> None:
    redline = compare({D + "document.yaml": manifest(version="20211101")})
    assert redline.changed and only(redline) == []


def test_unchanged_clauses_are_not_diffed(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = compare_text

    def counting(a: str, b: str, lang: str = "zh") -> TextComparison:
        calls.append(lang)
        return real(a, b, lang)

    monkeypatch.setattr("termstool.compare.clause_diff.compare_text", counting)
    compare({D + "02-service/02-fees.md": clause("s2-2", "您应在15日内支付费用。",
                                                 "Pay within 30 days.")})
    assert calls == ["zh"]


# ------------------------------------------------------------------ property tests


@dataclass
class Node:
    """A clause in a generated outline."""

    id: str
    zh: str
    en: str
    numbered: bool = True
    children: list[Node] = field(default_factory=list)


def build(nodes: list[Node]) -> Document:
    """A document with numbers computed as the loader computes them."""

    def make(items: list[Node], parent: str) -> tuple[Clause, ...]:
        numbers = number_siblings(parent, [n.numbered for n in items])
        return tuple(Clause(n.id, f"{n.id}.md", number, Texts(),
                            Texts((("zh", n.zh), ("en", n.en))), n.numbered,
                            children=make(n.children, number))
                     for n, number in zip(items, numbers, strict=True))

    day = dt.date(2021, 7, 1)
    info = Manifest("gen", Texts((("zh", "条款"),)), ("zh", "en"), "zh", 30, "Asia/Shanghai",
                    "1", day, day)
    return Document("terms/gen", info, make(nodes, ""))


def outline(rng: random.Random, size: int) -> list[Node]:
    """A random outline of ``size`` clauses with distinct texts."""
    roots: list[Node] = []
    everyone: list[Node] = []
    for index in range(size):
        node = Node(f"c{index}", f"第{index}条：" + "".join(rng.choice("甲乙丙丁戊己庚辛")
                                                          for _ in range(8)),
                    f"Clause {index} text.")
        siblings = rng.choice(everyone).children if everyone and rng.random() < 0.6 else roots
        siblings.insert(rng.randint(0, len(siblings)), node)
        everyone.append(node)
    return roots


def all_nodes(nodes: list[Node]) -> list[tuple[Node, list[Node]]]:
    """Every node with the sibling list that holds it."""
    out: list[tuple[Node, list[Node]]] = []
    for node in nodes:
        out.append((node, nodes))
        out += all_nodes(node.children)
    return out


def clone(nodes: list[Node]) -> list[Node]:
    return [Node(n.id, n.zh, n.en, n.numbered, clone(n.children)) for n in nodes]


def counted(redline: Redline) -> Counter[str]:
    return Counter(c.kind.value for d in redline.documents for c in d.changes)


sizes = st.integers(min_value=1, max_value=30)
seeds = st.randoms(use_true_random=False)


@settings(max_examples=60, deadline=None)
@given(sizes, seeds)
def test_property_a_document_against_itself_has_no_changes(size: int,
                                                           rng: random.Random) -> None:
    nodes = outline(rng, size)
    assert not diff_documents([build(nodes)], [build(clone(nodes))]).changed


@settings(max_examples=60, deadline=None)
@given(sizes, seeds, st.integers(min_value=1, max_value=3))
def test_property_insertions_yield_added_and_renumbered_only(size: int, rng: random.Random,
                                                             count: int) -> None:
    old = outline(rng, size)
    new = clone(old)
    for index in range(count):
        siblings = rng.choice([new, *[n.children for n, _ in all_nodes(new)]])
        siblings.insert(rng.randint(0, len(siblings)), Node(f"new{index}", f"新{index}条",
                                                            f"New {index}."))
    redline = diff_documents([build(old)], [build(new)])
    kinds_seen = counted(redline)
    assert kinds_seen["added"] == count
    assert set(kinds_seen) <= {"added", "renumbered"}
    for change in only(redline):
        if change.kind is ChangeKind.RENUMBERED:
            assert change.number_from != change.number_to


@settings(max_examples=60, deadline=None)
@given(sizes, seeds)
def test_property_renumbering_alone_yields_only_renumbered(size: int,
                                                           rng: random.Random) -> None:
    old = outline(rng, size)
    new = clone(old)
    for node, _ in all_nodes(new):
        if rng.random() < 0.3:
            node.numbered = False  # its later siblings and their sub-clauses renumber
    before, after = build(old), build(new)
    redline = diff_documents([before], [after])
    assert set(counted(redline)) <= {"renumbered"}
    moved_numbers = {c.id for c in before.walk()} - {
        c.id for c in after.walk() if before.clause(c.id).number == c.number}  # type: ignore[union-attr]
    assert {c.id for c in only(redline)} == moved_numbers


@settings(max_examples=80, deadline=None)
@given(st.integers(min_value=2, max_value=30), seeds)
def test_property_a_pure_move_yields_exactly_one_moved(size: int, rng: random.Random) -> None:
    old = outline(rng, size)
    new = clone(old)
    node, siblings = rng.choice(all_nodes(new))
    siblings.remove(node)
    inside = {n.id for n, _ in all_nodes([node])}
    targets = [new, *[n.children for n, _ in all_nodes(new) if n.id not in inside]]
    target = rng.choice(targets)
    target.insert(rng.randint(0, len(target)), node)
    redline = diff_documents([build(old)], [build(new)])
    if not redline.changed:
        return  # put back where it was
    kinds_seen = counted(redline)
    assert kinds_seen["moved"] == 1
    assert set(kinds_seen) <= {"moved", "renumbered"}
    moved = next(c for c in only(redline) if c.kind is ChangeKind.MOVED)
    if target is not siblings:
        assert moved.id == node.id
    assert moved.change_class is None and all(
        op == EQUAL for t in moved.texts for op, _ in t.ops)


@settings(max_examples=40, deadline=None)
@given(sizes, seeds)
def test_property_every_change_has_one_kind_and_exact_ops(size: int,
                                                          rng: random.Random) -> None:
    old = outline(rng, size)
    new = clone(old)
    for node, siblings in all_nodes(new):
        roll = rng.random()
        if roll < 0.1 and node in siblings:
            siblings.remove(node)
        elif roll < 0.25:
            node.zh = node.zh[:3] + "改" + node.zh[4:]
        elif roll < 0.35:
            node.en = node.en.replace("text", "wording")
    before, after = build(old), build(new)
    redline = diff_documents([before], [after])
    ids = [c.id for c in only(redline)]
    assert len(ids) == len(set(ids))
    for change in only(redline):
        was, now = before.clause(change.old_id or ""), after.clause(change.id)
        for diff in change.texts:
            assert old_text(diff.ops) == clause_text(
                was if change.kind is not ChangeKind.ADDED else None, diff.lang)
            assert new_text(diff.ops) == clause_text(
                now if change.kind is not ChangeKind.REMOVED else None, diff.lang)


@settings(max_examples=300, deadline=None)
@example(["丙aba丙甲a丁乙丁丙"], [(6, ""), (8, "")])  # exactly at the threshold: float slack
@given(st.lists(st.text(st.sampled_from("甲乙丙丁 ab"), max_size=40), min_size=1, max_size=2),
       st.lists(st.tuples(st.integers(0, 40), st.text(st.sampled_from("甲乙x"), max_size=3)),
                max_size=4))
def test_property_the_rename_prefilter_never_rejects_a_similar_pair(
        texts: list[str], edits: list[tuple[int, str]]) -> None:
    old = tuple(texts)
    new = list(old)
    for at, text in edits:
        lang = at % len(new)
        new[lang] = new[lang][:at] + text + new[lang][at + 1:]
    score = clause_diff._similarity(old, tuple(new))
    if score >= clause_diff.RENAME_SIMILARITY:
        assert clause_diff._lengths_allow(old, tuple(new))
        assert clause_diff._similarity_bound(old, tuple(new)) >= score - 1e-9
