"""A Japanese/English document with 60 days of notice in Tokyo time and no change clause.

Nothing in the tool is set up for it: its languages, labels, notice period and time zone
come from its document.yaml alone, through every command that shows or checks it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import GitRepo, clause, run_cli
from test_render import parse_html

DOC = "terms/jp"
YAML = f"{DOC}/document.yaml"
FEES = f"{DOC}/02-fees.md"
CHINESE = re.compile(r"版本|公告|生效|中文|变更|修订|您的权利")


def manifest(version: str, announced: str, effective: str) -> str:
    return ("id: jp-terms\ntitle:\n  ja: サービス利用規約\n  en: Terms of Service\n"
            "languages: [ja, en]\nauthoritative: ja\nnotice_days: 60\ntimezone: Asia/Tokyo\n"
            f'version: "{version}"\nannounced: {announced}\neffective: {effective}\n')


def ja(cid: str, text: str, english: str, title: tuple[str, str]) -> str:
    return clause(cid, text, english, title=title, langs=("ja", "en"))


def fees(period: str, english: str) -> str:
    return ja("s2", f"お客様は{period}料金を支払うものとします。",
              f"You shall pay the fees {english}.", ("料金", "Fees"))


@pytest.fixture
def japanese(repo: GitRepo) -> GitRepo:
    """Release 2024-03 (60 days of notice), then 2024-08 that changes the fees."""
    repo.commit({
        YAML: manifest("2024-03", "2024-01-01", "2024-03-01"),
        f"{DOC}/01-services.md": ja("s1", "当社はお客様にサービスを提供します。",
                                    "We provide the services to you.",
                                    ("サービス", "Services")),
        FEES: fees("毎月", "monthly"),
        f"{DOC}/03-changes.md": ja("s3", "本規約を変更する場合、当社は60日前に公表します。",
                                   "We announce changes to these terms 60 days ahead.",
                                   ("変更", "Changes")),
    }, when="2023-12-20T10:00:00+09:00", message="First release")
    repo.commit({
        YAML: manifest("2024-08", "2024-06-01", "2024-07-31"),
        FEES: fees("毎年", "yearly"),
    }, when="2024-06-01T10:00:00+09:00", message="Release 2024-08: yearly fees")
    return repo


# ------------------------------------------------------------------------------ render

def test_render_terminal_names_the_languages_and_labels_in_japanese(japanese: GitRepo) -> None:
    code, out, err = run_cli("render")
    assert code == 0, err
    assert "日本語" in out and "English" in out
    assert "バージョン Version 2024-08" in out and "公表 Announced" in out
    assert "発効 Effective" in out and "毎年" in out and "yearly" in out
    assert not CHINESE.search(out)


def test_render_markdown(japanese: GitRepo) -> None:
    code, out, err = run_cli("render", "--format", "markdown", "--layout", "parallel")
    assert code == 0, err
    assert "# サービス利用規約 / Terms of Service" in out
    assert "| バージョン Version | 公表 Announced | 発効 Effective |" in out
    assert "| | 日本語 | English |" in out
    assert not CHINESE.search(out)


def test_render_html(japanese: GitRepo, tmp_path: Path) -> None:
    target = tmp_path / "terms.html"
    code, _out, err = run_cli("render", "-o", str(target))
    assert code == 0, err
    page = parse_html(target.read_text(encoding="utf-8"))
    assert page.errors == []
    assert ("html", {"lang": "ja"}) in page.tags
    text = "".join(page.text)
    assert "日本語" in text and "English" in text and "バージョン Version 2024-08" in text
    assert [attrs.get("lang") for tag, attrs in page.tags if tag == "th"][1:] == ["ja", "en"]
    assert ":lang(ja)" in page.style
    assert not CHINESE.search(text)


def test_render_text(japanese: GitRepo) -> None:
    code, out, err = run_cli("render", "--format", "text")
    assert code == 0, err
    assert out.startswith("サービス利用規約\nTerms of Service\nバージョン Version 2024-08 · "
                          "公表 Announced 2024-06-01 · 発効 Effective 2024-07-31\n")
    code, out, err = run_cli("render", "--format", "text", "--lang", "en")
    assert code == 0 and "サービス" not in out.split("\n", 3)[3]
    code, _out, err = run_cli("render", "--lang", "zh")
    assert code == 2 and "--lang zh" in err and "en, ja" in err


# ------------------------------------------------------------------------------- check

def check(today: str = "2024-09-01") -> tuple[int, list[dict[str, object]]]:
    code, out, _err = run_cli("check", "--format", "json", "--today", today)
    return code, json.loads(out)["problems"]


def test_check_applies_sixty_days_of_notice(japanese: GitRepo) -> None:
    assert check() == (0, [])
    japanese.commit({YAML: manifest("2024-08", "2024-06-01", "2024-07-30")},
                    when="2024-06-01T11:00:00+09:00")
    code, found = check()
    assert code == 1
    [problem] = found
    assert problem["rule"] == "notice-period"
    message = str(problem["message"])
    assert "59 days" in message and "60 are required" in message and "2024-07-31" in message
    japanese.commit({YAML: manifest("2024-08", "2024-06-01", "2024-07-31")},
                    when="2024-06-01T12:00:00+09:00")
    assert check() == (0, [])


def test_check_counts_days_in_tokyo(japanese: GitRepo) -> None:
    # 23:30 in Tokyo on the announcement day: still that day.
    japanese.commit({FEES: fees("毎年", "every year")}, when="2024-06-01T23:30:00+09:00")
    assert check() == (0, [])
    # 16:00 UTC on 1 June is 01:00 on 2 June in Tokyo: after the announcement.
    japanese.commit({FEES: fees("毎年必ず", "every single year")},
                    when="2024-06-01T16:00:00+00:00")
    code, found = check()
    assert code == 1
    [problem] = found
    assert problem["rule"] == "frozen-text" and problem["line"] == 8  # the <!-- ja --> line
    message = str(problem["message"])
    assert "2024-06-02" in message and "2024-08-01" in message  # 60 days after 2 June


def test_release_refuses_fifty_nine_days_and_records_sixty(japanese: GitRepo) -> None:
    code, _out, err = run_cli("release", "2024-12", "--announced", "2024-10-01",
                              "--effective", "2024-11-29", DOC, "--today", "2024-10-01")
    assert code == 1 and "59 days of notice is less than the 60" in err, err
    assert "2024-11-30" in err
    code, out, err = run_cli("release", "2024-12", "--announced", "2024-10-01",
                             "--effective", "2024-11-30", DOC, "--today", "2024-10-01")
    assert code == 0, err
    assert "60 days of notice" in out


# ------------------------------------------------------------------------------ notice

def test_notice_without_a_change_clause(japanese: GitRepo, tmp_path: Path) -> None:
    code, out, err = run_cli("notice", "2024-08")
    assert code == 0, err
    assert "note: jp-terms names no change_clause in document.yaml" in err
    assert out.startswith("# サービス利用規約 変更のお知らせ\n\n"
                          "## Terms of Service: Notice of Changes\n")
    assert "| バージョン Version | 公表日 Announced | 発効日 Effective |" in out
    assert "本お知らせは 2024-06-01 に公表し" in out and "(60 days after this notice)" in out
    assert "| 第2条 | 料金 / Fees | 変更 modified |" in out
    assert "*日本語*" in out and "お客様は毎<del>月</del><ins>年</ins>料金" in out
    # No quote: the change clause is not guessed, though s3 talks about changes.
    assert "お客様の権利" not in out and "What you may do" not in out
    assert "60日前に公表します" not in out
    assert not CHINESE.search(out)

    code, out, err = run_cli("notice", "2024-08", "--format", "text")
    assert code == 0 and "note:" in err
    assert "発効日 Effective: 2024-07-31 (60 日 / 60 days)" in out
    assert "  日本語 新旧対照 redline:" in out and not CHINESE.search(out)

    target = tmp_path / "notice.html"
    code, _out, err = run_cli("notice", "2024-08", "-o", str(target))
    assert code == 0 and "note:" in err
    page = parse_html(target.read_text(encoding="utf-8"))
    assert page.errors == [] and ("html", {"lang": "ja"}) in page.tags
    text = "".join(page.text)
    assert "サービス利用規約 変更のお知らせ" in text and "新旧対照 Redline" in text
    assert "What you may do" not in text and not CHINESE.search(text)


def test_notice_quotes_a_clause_named_on_the_command_line(japanese: GitRepo) -> None:
    code, out, err = run_cli("notice", "2024-08", "--change-clause", "s3")
    assert code == 0 and "note:" not in err
    assert "## お客様の権利 What you may do" in out
    assert "現行の「サービス利用規約」（バージョン 2024-03）第3条に基づき：" in out
    assert "Under clause 3 of the Terms of Service in force \\(version 2024-03\\):" in out


# --------------------------------------------------------------- diff, log and the feed

def test_diff_compares_japanese_by_character(japanese: GitRepo) -> None:
    code, out, err = run_cli("diff", "2024-03", "2024-08")
    assert code == 0, err
    assert "日本語" in out and "お客様は毎[-月-]{+年+}料金" in out
    assert "fees [-monthly-]{+yearly+}" in out


def test_log_and_feed(japanese: GitRepo) -> None:
    code, out, err = run_cli("log", "--format", "json", "--today", "2024-09-01")
    assert code == 0, err
    releases = json.loads(out)["documents"][0]["releases"]
    assert [(r["version"], r["notice_days"], r["required_notice_days"], r["status"])
            for r in releases] == [("2024-03", 60, 60, "superseded"),
                                   ("2024-08", 60, 60, "in-effect")]
    code, out, err = run_cli("feed", "--today", "2024-09-01")
    assert code == 0, err
    assert 'xml:lang="ja"' in out
    assert "規約変更のお知らせ Notices of changes to the terms" in out
    assert "バージョン version 2024-08, 2024-07-31 発効 effective" in out
    assert not CHINESE.search(out)


# ------------------------------------------------------------------------------ import

def test_import_writes_the_notice_days_and_timezone_it_is_given(repo: GitRepo,
                                                                tmp_path: Path) -> None:
    source = tmp_path / "ja.txt"
    source.write_text("サービス利用規約\n文档版本：20240301\n1. サービス\n"
                      "当社はお客様にサービスを提供します。\n2. 料金\n"
                      "お客様は毎月料金を支払うものとします。\n", encoding="utf-8")
    code, out, err = run_cli("import", str(source), "--into", DOC, "--id", "jp-terms",
                             "--languages", "ja,en", "--notice-days", "60",
                             "--timezone", "Asia/Tokyo")
    assert code == 0, out + err
    text = (repo.root / YAML).read_text(encoding="utf-8")
    assert "languages: [ja, en]\nauthoritative: ja\nnotice_days: 60\ntimezone: Asia/Tokyo\n" \
        in text
    assert "announced: 2024-01-01\neffective: 2024-03-01\n" in text  # 60 days before
    assert "60-day notice rule" in text
    code, _out, err = run_cli("import", str(source), "--into", "terms/other",
                              "--timezone", "Mars/Olympus")
    assert code == 2 and "Mars/Olympus" in err
    assert not (repo.root / "terms" / "other").exists()


# ------------------------------------------------------------------------------- site


def test_the_public_site_labels_its_pages_in_japanese_and_english(japanese: GitRepo,
                                                                   tmp_path: Path) -> None:
    from test_site import page

    out = tmp_path / "public"
    code, _out, err = run_cli("site", "-o", str(out), "--today", "2024-06-15")
    assert code == 0, err
    landing = page(out, "jp-terms/index.html")
    labels = {lang: " ".join(span.text() for span in landing.all("span", lang=lang))
              for lang in ("ja", "en")}
    # the meta line and the history, in both languages
    assert "バージョン 2024-03 現行 2024-03-01 発効" in labels["ja"]
    assert "version 2024-03" in labels["en"]
    assert "変更履歴" in labels["ja"] and "実質的な変更" in labels["ja"]
    # the banner of the announced release
    assert "本文書は 2024-07-31 にバージョン 2024-08 に変更されます" in landing.text()
    assert not CHINESE.search(landing.text())


def test_every_language_of_the_site_has_every_phrase_with_its_placeholders() -> None:
    import string

    from termstool.render.site_html import CLASS_WORDS, WORDS

    def holes(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for lang, words in WORDS.items():
        assert words.keys() == WORDS["en"].keys(), lang
        assert all(holes(words[key]) == holes(WORDS["en"][key]) for key in words), lang
        assert CLASS_WORDS[lang].keys() == CLASS_WORDS["en"].keys()
