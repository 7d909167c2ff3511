"""`terms new`: a new document that passes `terms check` from the start."""

from __future__ import annotations

import json

import pytest

from conftest import GitRepo, clause, manifest, run_cli, run_terms

TOS = "terms/api/tos"
OPTIONS = ("--title-zh", "服务条款", "--title-en", "Terms of Service", "--version", "20220101",
           "--announced", "2021-12-01", "--effective", "2022-01-01")


def test_new_document_from_options_passes_check_and_is_staged(repo: GitRepo) -> None:
    code, out = run_terms("new", "terms/acme/tos", *OPTIONS, "--zh", "第一条正文。", "--en",
                          "The text of the first clause.")
    assert code == 0, out
    assert "created terms/acme/tos (tos):" in out
    root = repo.root / "terms/acme/tos"
    assert (root / "document.yaml").read_text(encoding="utf-8") == (
        "id: tos\ntitle:\n  zh: 服务条款\n  en: Terms of Service\nlanguages: [zh, en]\n"
        "authoritative: zh\nnotice_days: 30\ntimezone: Asia/Shanghai\nversion: \"20220101\"\n"
        "announced: 2021-12-01\neffective: 2022-01-01\n")
    assert (root / "01-text-first-clause.md").read_text(encoding="utf-8") == (
        "---\nid: s1\n---\n\n<!-- zh -->\n第一条正文。\n\n<!-- en -->\n"
        "The text of the first clause.\n")
    assert sorted(repo.git("status", "--porcelain").splitlines()) == [
        "A  terms/acme/tos/01-text-first-clause.md", "A  terms/acme/tos/document.yaml"]
    code, out, _ = run_cli("check", "--format", "json")
    assert code == 0 and json.loads(out)["problems"] == []


def test_defaults_come_from_the_documents_already_here(repo: GitRepo) -> None:
    repo.commit({f"{TOS}/document.yaml": manifest().replace("notice_days: 30",
                                                            "notice_days: 45")
                 .replace("Asia/Shanghai", "Europe/Berlin")
                 .replace("languages: [zh, en]", "languages: [en, zh]")
                 .replace("authoritative: zh", "authoritative: en"),
                 f"{TOS}/01-a.md": clause("s1", "甲。", "A.")})
    code, out = run_terms("new", "terms/api/sla", "--title-zh", "服务等级协议", "--title-en",
                          "SLA", "--version", "1", "--announced", "2021-01-01", "--effective",
                          "2021-03-01")
    assert code == 0, out
    text = (repo.root / "terms/api/sla/document.yaml").read_text(encoding="utf-8")
    assert "languages: [en, zh]\nauthoritative: en\nnotice_days: 45\n" in text
    assert "timezone: Europe/Berlin" in text
    assert "note: the first clause has placeholder text in en, zh" in out


def test_missing_values_are_named_when_nobody_can_be_asked(repo: GitRepo) -> None:
    code, out = run_terms("new", "terms/acme/tos", "--title-zh", "服务条款")
    assert code == 2
    assert "needs --title-en, --version, --announced, --effective" in out
    assert not (repo.root / "terms/acme").exists()


@pytest.mark.parametrize(("args", "says"), [
    (("--effective", "2021-12-15"), "is 14 days after --announced 2021-12-01; the document "
                                     "promises 30 days"),
    (("--announced", "2021-02-30"), "not a date that exists"),
    (("--timezone", "Mars/Olympus"), "unknown timezone 'Mars/Olympus'"),
    (("--id", "Not An Id"), "--id 'Not An Id' is not a lowercase ASCII slug"),
    (("--authoritative", "fr"), "--authoritative fr is not one of the languages"),
    (("--ja", "こんにちは"), "'ja' is not one of the languages"),
])
def test_bad_values_write_nothing(repo: GitRepo, args: tuple[str, ...], says: str) -> None:
    options = list(OPTIONS)
    for name, value in zip(args[::2], args[1::2], strict=True):
        if name in options:
            options[options.index(name) + 1] = value
        else:
            options += [name, value]
    code, out = run_terms("new", "terms/acme/tos", *options)
    assert code == 2 and says in out
    assert not (repo.root / "terms/acme").exists()


def test_refuses_a_directory_that_is_not_empty(repo: GitRepo) -> None:
    (repo.root / "terms/acme/tos").mkdir(parents=True)
    (repo.root / "terms/acme/tos/notes.txt").write_text("x", encoding="utf-8")
    code, out = run_terms("new", "terms/acme/tos", *OPTIONS)
    assert code == 2 and "already exists and is not empty" in out


def test_outside_terms_it_says_how_to_name_it(repo: GitRepo) -> None:
    code, out = run_terms("new", "legal/tos", *OPTIONS)
    assert code == 0, out
    assert "commands without a PATH look in ./terms only; name this document as legal/tos" \
        in " ".join(out.split())


def test_options_before_the_directory_are_an_error(repo: GitRepo) -> None:
    code, out = run_terms("new", "--title-zh", "服务条款", "terms/acme/tos")
    assert code == 2 and "give DOCUMENT_DIR first" in out
