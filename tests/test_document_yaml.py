"""`terms release` edits document.yaml as YAML: comments, key order, quoting and block
values survive, and the comment that described the replaced dates goes with them."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import TOS, GitRepo, run_terms
from termstool.format.document_yaml import parse_manifest, with_release

HEAD = """\
# Where the text comes from.
id: 'tos'   # kept quoted
title:
  zh: 服务条款
  en: >
    Terms of
    Service
languages: [zh, en]
authoritative: zh
notice_days: 30
timezone: "UTC"
"""


def release(source: str, exception: str | None = None) -> str:
    """The text after recording release 20220101, announced 2021-12-01."""
    text = with_release(source, version="20220101", announced=dt.date(2021, 12, 1),
                        effective=dt.date(2022, 1, 1), exception=exception)
    manifest, problems = parse_manifest("document.yaml", text.encode("utf-8"))
    assert manifest is not None and not [p for p in problems if p.blocking], (problems, text)
    assert (manifest.version, manifest.announced, manifest.effective) == (
        "20220101", dt.date(2021, 12, 1), dt.date(2022, 1, 1))
    assert manifest.exception == exception
    return text


def test_folded_exception_is_replaced() -> None:
    source = HEAD + ('version: "1"\nannounced: 2021-06-01\neffective: 2021-06-10\n'
                     "exception: >\n  a regulator's order\n  of 1 June\n")
    assert release(source, "a new order") == HEAD + (
        'version: "20220101"\nannounced: 2021-12-01\neffective: 2022-01-01\n'
        'exception: "a new order"\n')


def test_literal_exception_is_removed() -> None:
    source = HEAD + ('version: "1"\nannounced: 2021-06-01\neffective: 2021-06-10\n'
                     "exception: |\n  a regulator's order\n  of 1 June\n")
    assert release(source) == HEAD + (
        'version: "20220101"\nannounced: 2021-12-01\neffective: 2022-01-01\n')


def test_version_with_its_value_on_the_next_line() -> None:
    source = HEAD + 'version:\n  "1"\nannounced:\n  2021-06-01\neffective: 2021-07-01\n'
    assert release(source) == HEAD + (
        'version: "20220101"\nannounced: 2021-12-01\neffective: 2022-01-01\n')


def test_multi_line_values_elsewhere_are_kept() -> None:
    tail = ("waivers:\n  - commit: 0123456789ab\n    rule: frozen-text\n    reason: |\n"
            "      Agreed with legal on 2 June.\n      See ticket 7.\n"
            "# The clause quoted by notices.\nchange_clause: s9\n")
    source = HEAD + 'version: "1"\nannounced: 2021-06-01\neffective: 2021-07-01\n' + tail
    assert release(source) == HEAD + (
        'version: "20220101"\nannounced: 2021-12-01\neffective: 2022-01-01\n') + tail


def test_comment_that_described_the_old_dates_is_removed() -> None:
    source = HEAD + ('version: "20210701"\n# The source states only its version. The dates '
                     "below are the latest\n# consistent with the notice rule.\n"
                     "announced: 2021-06-01\neffective: 2021-07-01\n")
    text = release(source)
    assert "dates below" not in text and "notice rule" not in text
    assert text == HEAD + 'version: "20220101"\nannounced: 2021-12-01\neffective: 2022-01-01\n'


def test_comment_above_the_release_block_is_removed_a_separate_one_kept() -> None:
    source = HEAD + ("\n# Release data: kept, a blank line sets it apart.\n\n"
                     "# These dates are the latest consistent with the rule.\n"
                     'version: "1"  # the label\nannounced: 2021-06-01\neffective: 2021-07-01'
                     "\n# Waivers follow.\nwaivers: []\n")
    assert release(source) == HEAD + (
        "\n# Release data: kept, a blank line sets it apart.\n\n"
        'version: "20220101"  # the label\nannounced: 2021-12-01\neffective: 2022-01-01\n'
        "# Waivers follow.\nwaivers: []\n")


def test_exception_is_added_after_the_dates_and_removed_keeping_what_follows() -> None:
    source = HEAD + ('version: "1"\nannounced: 2021-06-01\neffective: 2021-07-01\n'
                     "# Waivers follow.\nwaivers: []\n")
    added = release(source, 'rule [/] of the "regulator"')
    assert added == HEAD + (
        'version: "20220101"\nannounced: 2021-12-01\neffective: 2022-01-01\n'
        'exception: "rule [/] of the \\"regulator\\""\n# Waivers follow.\nwaivers: []\n')
    assert release(added) == HEAD + (
        'version: "20220101"\nannounced: 2021-12-01\neffective: 2022-01-01\n'
        "# Waivers follow.\nwaivers: []\n")


def test_a_historical_release_says_so_at_the_end_of_its_line() -> None:
    source = HEAD + ('version: "1"\nannounced: 2021-06-01\neffective: 2021-07-01\n'
                     "# Waivers follow.\nwaivers: []\n")
    text = with_release(source, version="2", announced=dt.date(2021, 9, 1),
                        effective=dt.date(2021, 10, 1), exception=None, historical=True)
    assert text == HEAD + (
        'version: "2"\nannounced: 2021-09-01\neffective: 2021-10-01\n'
        "historical: true  # entered from records, after its announcement\n"
        "# Waivers follow.\nwaivers: []\n")
    again = with_release(text, version="3", announced=dt.date(2021, 11, 1),
                         effective=dt.date(2021, 12, 1), exception=None)
    assert again == HEAD + ('version: "3"\nannounced: 2021-11-01\neffective: 2021-12-01\n'
                            "# Waivers follow.\nwaivers: []\n")


def test_missing_release_keys_are_appended() -> None:
    assert release(HEAD, "why") == HEAD + (
        'version: "20220101"\nannounced: 2021-12-01\neffective: 2022-01-01\n'
        'exception: "why"\n')


def test_indented_sequences_keep_their_indentation() -> None:
    source = HEAD + ('version: "1"\nannounced: 2021-06-01\neffective: 2021-07-01\n'
                     "waivers:\n    - commit: 0123456789ab\n      rule: frozen-text\n"
                     "      reason: agreed\n")
    assert release(source).endswith("waivers:\n    - commit: 0123456789ab\n"
                                    "      rule: frozen-text\n      reason: agreed\n")


@pytest.mark.parametrize("name", ["terms-of-service", "service-level-agreement"])
def test_this_repository_document_yaml(name: str) -> None:
    source = (TOS.parent / name / "document.yaml").read_text(encoding="utf-8")
    text = release(source)
    kept = source.split("version:")[0]
    assert text.startswith(kept)  # header comment, id, title, languages... unchanged
    assert "latest" not in text and "consistent with" not in text
    assert text.endswith('version: "20220101"\nannounced: 2021-12-01\neffective: 2022-01-01\n'
                         + source.split("effective: 2021-07-01\n", 1)[1])


def test_release_command_edits_a_folded_exception(repo: GitRepo) -> None:
    doc = "terms/tos"
    repo.commit({
        f"{doc}/document.yaml": HEAD + (
            'version: "1"\nannounced: 2021-06-01\neffective: 2021-06-10\n'
            "exception: >\n  a regulator's order\n  of 1 June\n"),
        f"{doc}/01-a.md": "---\nid: s1\n---\n\n<!-- zh -->\n甲。\n\n<!-- en -->\nA.\n",
    })
    code, out = run_terms("release", "2", "--announced", "2021-12-01", "--effective",
                          "2022-01-01", doc, "--today", "2021-12-01")
    assert code == 0, out
    code, out = run_terms("log", "--format", "json", "--today", "2021-12-01")
    assert code == 0 and '"version": "2"' in out and '"exception": null' in out


def test_release_refuses_a_document_yaml_it_cannot_edit(repo: GitRepo) -> None:
    doc = "terms/tos"
    source = HEAD + 'version: "1"\nannounced: 2021-06-01\neffective: 2021-07-01\nid: tos\n'
    repo.commit({
        f"{doc}/document.yaml": source,
        f"{doc}/01-a.md": "---\nid: s1\n---\n\n<!-- zh -->\n甲。\n\n<!-- en -->\nA.\n",
    })
    code, out = run_terms("release", "2", "--announced", "2021-12-01", "--effective",
                          "2022-01-01", doc, "--today", "2021-12-01")
    assert code == 2, out
    assert f"{doc}/document.yaml:15:" in out and "duplicate key" in out
    assert (repo.root / doc / "document.yaml").read_text(encoding="utf-8") == source
