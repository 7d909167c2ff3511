"""The redline inside one clause: Chinese by character, English by word, nothing hidden."""

from __future__ import annotations

import random
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from termstool.compare.text_diff import (
    DELETE,
    EQUAL,
    INSERT,
    Segment,
    diff_text,
    new_text,
    old_text,
    segments,
    side,
    similarity,
    split_lines,
    tokenize,
)
from termstool.model.languages import by_character

# Text that mixes what terms contain: Han, full-width punctuation, Latin words, digits,
# spaces and newlines, invisible and bidi controls.
ALPHABET = st.sampled_from(list("服务条款您应在日内支付费用，。（）()the fees shall 30\n \u200b\u202e"))
texts = st.text(ALPHABET, max_size=60) | st.text(max_size=40)
languages = st.sampled_from(["zh", "en"])


def test_chinese_is_compared_by_character() -> None:
    assert diff_text("您应在30日内支付费用。", "您应在15日内支付服务费用。") == (
        (EQUAL, "您应在"), (DELETE, "30"), (INSERT, "15"), (EQUAL, "日内支付"),
        (INSERT, "服务"), (EQUAL, "费用。"))


def test_english_is_compared_by_word() -> None:
    # By character this would be "you" + "r"; a reader wants the word that changed.
    assert diff_text("You shall back up you data.", "You shall back up your data.", "en") == (
        (EQUAL, "You shall back up "), (DELETE, "you"), (INSERT, "your"), (EQUAL, " data."))
    ops = diff_text("The fees shall be paid within 30 days.",
                    "The fees must be paid within fifteen days.", "en")
    assert (DELETE, "shall") in ops and (INSERT, "must") in ops
    assert (DELETE, "30") in ops and (INSERT, "fifteen") in ops


def test_languages_written_without_spaces_go_by_character() -> None:
    assert by_character("zh") and by_character("zh-Hant") and by_character("ja")
    assert not by_character("en") and not by_character("fr")


def test_tokens_are_words_spaces_and_single_other_characters() -> None:
    assert tokenize("Party B's fee, 3.2 条款") == [
        "Party", " ", "B's", " ", "fee", ",", " ", "3", ".", "2", " ", "条", "款"]


def test_trivial_inputs() -> None:
    assert diff_text("", "") == ()
    assert diff_text("同", "同") == ((EQUAL, "同"),)
    assert diff_text("", "新") == ((INSERT, "新"),)
    assert diff_text("旧", "", "en") == ((DELETE, "旧"),)


def test_edits_are_minimal_on_a_long_clause() -> None:
    # diff-match-patch's default 1 s deadline returns a coarse diff on long texts; with
    # no deadline 40 single-character edits stay 40 single-character edits.
    rng = random.Random(7)
    han = "服务条款您应按照页面提示及本约定支付相应费用对自己存放在平台上的数据负责"
    old = "".join(rng.choice(han) for _ in range(20_000))
    new = list(old)
    for at in range(250, 20_000, 500):
        new[at] = "改"
    ops = diff_text(old, "".join(new))
    assert sum(len(text) for op, text in ops if op == DELETE) == 40
    assert sum(len(text) for op, text in ops if op == INSERT) == 40


def test_many_distinct_words_beyond_the_private_use_area() -> None:
    old = " ".join(f"w{i}" for i in range(8000))  # more words than U+E000..U+F8FF holds
    new = old.replace("w7999", "changed")
    assert diff_text(old, new, "en")[-2:] == ((DELETE, "w7999"), (INSERT, "changed"))


def test_invisible_and_bidi_characters_are_spelled_out() -> None:
    shown = segments(diff_text("付款", "付\u200b款"))
    assert shown == (Segment(EQUAL, "付"), Segment(INSERT, "⟨U+200B⟩", "invisible character"),
                     Segment(EQUAL, "款"))
    shown = segments(diff_text("pay abc", "pay a\u202ebc", "en"))  # by word: "abc" replaced
    assert shown[-1] == Segment(INSERT, "a⟨U+202E⟩bc", "invisible character")
    # Present before and after: still visible in the unchanged text.
    assert segments(diff_text("a\u200bb", "a\u200bb")) == (Segment(EQUAL, "a⟨U+200B⟩b"),)


def test_width_changes_are_labelled() -> None:
    assert segments(diff_text("您应，及时", "您应,及时")) == (
        Segment(EQUAL, "您应"), Segment(DELETE, "，"),
        Segment(INSERT, ",", "full-width → half-width"), Segment(EQUAL, "及时"))
    shown = segments(diff_text("(1)", "（1）"))
    assert shown[-1].note == "half-width → full-width"
    # A width change swallowed by a larger rewording is still flagged.
    shown = segments(diff_text("费用，（1）您应当支付", "费用,(1)您须支付"))
    assert [s.note for s in shown if s.op == INSERT] == ["partly full-/half-width"]
    # Punctuation the editorial class folds, though NFKC does not.
    assert segments(diff_text("付款。", "付款."))[-1].note == "punctuation or formatting only"
    # A real rewording is not.
    assert all(s.note is None for s in segments(diff_text("您应当支付", "您须支付")))


def test_whitespace_only_edits_are_visible() -> None:
    shown = segments(diff_text("a b", "a  b", "en"))
    assert [s for s in shown if s.op != EQUAL] == [
        Segment(DELETE, "␣", "whitespace"), Segment(INSERT, "␣␣", "whitespace")]
    lines = split_lines(segments(diff_text("第一段\n\n第二段", "第一段\n第二段")))
    assert [[s.text for s in line] for line in lines] == [["第一段"], ["↵"], ["第二段"]]
    assert lines[1][0].note == "whitespace"


def test_sides_of_a_side_by_side_view() -> None:
    shown = segments(diff_text("甲乙", "甲丙"))
    assert "".join(s.text for s in side(shown, "old")) == "甲乙"
    assert "".join(s.text for s in side(shown, "new")) == "甲丙"


def test_similarity() -> None:
    assert similarity(diff_text("abcd", "abcd")) == 1.0
    assert similarity(diff_text("abcd", "wxyz")) == 0.0
    assert similarity(()) == 1.0


@given(texts, languages)
def test_a_text_against_itself_has_no_edits(text: str, lang: str) -> None:
    assert all(op == EQUAL for op, _ in diff_text(text, text, lang))


@settings(max_examples=300)
@given(texts, texts, languages)
def test_the_sides_of_the_edits_reproduce_both_texts(old: str, new: str, lang: str) -> None:
    ops = diff_text(old, new, lang)
    assert old_text(ops) == old
    assert new_text(ops) == new
    # Canonical form: no empty edit, no two neighbours with the same op, and between two
    # equal runs at most one deletion followed by one insertion.
    assert all(text for _, text in ops)
    assert all(a[0] != b[0] for a, b in pairwise(ops))
    assert all(not (a[0] == INSERT and b[0] == DELETE) for a, b in pairwise(ops))


@given(texts)
def test_tokens_join_back_to_the_text(text: str) -> None:
    assert "".join(tokenize(text)) == text


@given(texts, texts, languages)
def test_display_keeps_every_visible_character(old: str, new: str, lang: str) -> None:
    shown = segments(diff_text(old, new, lang))
    for s in shown:
        assert "\u200b" not in s.text and "\u202e" not in s.text
    assert [s.op for s in shown] == [op for op, _ in diff_text(old, new, lang)]
