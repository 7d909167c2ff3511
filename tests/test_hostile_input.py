"""Input built to stall, crash or mislead the tool meets a clear refusal (issue 9, items 9,
13, 16 and 17): YAML alias bombs and deep nesting, clauses that cannot be read, dates at
the end of the calendar, bad options, a closed pipe, symbolic links out of the
repository, imports outside git or from endless files, a bare repository."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import GIT_ENV, GitRepo, clause, manifest, run_cli

DOC = "terms/tos"
DAY = "2021-05-20T10:00:00+08:00"


@pytest.fixture
def doc(repo: GitRepo) -> GitRepo:
    """One committed document of three clauses."""
    repo.commit({f"{DOC}/document.yaml": manifest(),
                 f"{DOC}/01-a.md": clause("s1", "第一条。", "First."),
                 f"{DOC}/02-b.md": clause("s2", "第二条。", "Second."),
                 f"{DOC}/03-c.md": clause("s3", "第三条。", "Third.")}, when=DAY)
    return repo


def quick(*args: str, limit: float = 5.0) -> tuple[int, str, str]:
    start = time.monotonic()
    code, out, err = run_cli(*args)
    assert time.monotonic() - start < limit, f"{args} took too long"
    return code, out, err


# ---------------------------------------------------------------- item 9: YAML alias bombs

def bomb(levels: int = 9) -> str:
    """Nested anchors: each level repeats the one before nine times (9**levels scalars)."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, levels):
        refs = ",".join([f"*a{n - 1}"] * 9)
        lines.append(f"a{n}: &a{n} [{refs}]")
    return "\n".join(lines) + "\n"


def test_the_bomb_is_small() -> None:
    assert len(bomb()) < 600


@pytest.mark.parametrize("command", [("check",), ("render", "-f", "text"), ("outline",),
                                     ("diff",)], ids=" ".join)
def test_an_alias_bomb_in_front_matter_is_refused_at_once(doc: GitRepo,
                                                           command: tuple[str, ...]) -> None:
    doc.write({f"{DOC}/02-b.md": "---\nid: s2\n" + bomb() + "---\n\n<!-- zh -->\n二。\n\n"
                                 "<!-- en -->\nTwo.\n"})
    code, out, err = quick(*command)
    assert code in (1, 2) or command[0] == "diff", out + err  # diff warns, and shows s2 gone
    text = out + err
    where = f"{DOC}/02-b.md" if command[0] == "diff" else f"{DOC}/02-b.md:3"
    assert where in text and "anchor &a0 is not allowed" in text, text
    assert len(text) < 5000  # the expansion is never printed
    code, out, err = quick("log")  # log reads history: the draft is left out, quickly
    assert code == 0 and "lol" not in out


def test_an_alias_bomb_in_document_yaml_is_refused_at_once(doc: GitRepo) -> None:
    doc.write({f"{DOC}/document.yaml": manifest() + bomb()})
    for command in (("check",), ("render",), ("outline",)):
        code, out, err = quick(*command)
        assert code == 2, out + err
        assert f"{DOC}/document.yaml:12: refused: YAML anchor &a0 is not allowed" in err
        assert len(out + err) < 2000


@pytest.mark.parametrize("yaml_text", [
    "id: &x s2\ntitle: {zh: *x, en: *x}\n",  # an alias as a value
    "base: &b {zh: 二, en: Two}\ntitle:\n  <<: *b\nid: s2\n",  # a merge key
    "id: s2\ntitle: &t {zh: 二, en: Two}\n",  # an anchor alone
], ids=["alias", "merge-key", "anchor"])
def test_any_anchor_or_alias_is_refused(doc: GitRepo, yaml_text: str) -> None:
    doc.write({f"{DOC}/02-b.md": f"---\n{yaml_text}---\n\n<!-- zh -->\n二。\n\n"
                                 "<!-- en -->\nTwo.\n"})
    code, out, _err = quick("check", "-f", "json")
    assert code == 1
    problems = [p for p in json.loads(out)["problems"] if p["file"] == f"{DOC}/02-b.md"]
    assert problems and problems[0]["rule"] == "yaml"
    assert "is not allowed" in problems[0]["message"]


def test_an_asterisk_in_a_quoted_title_is_not_an_alias(doc: GitRepo) -> None:
    doc.write({f"{DOC}/02-b.md": clause("s2", "二。", "Two.", title=('"**重要** & 说明"',
                                                                     "'*Important* & note'"))})
    _code, out, err = quick("check", "-f", "json")
    assert [p["rule"] for p in json.loads(out)["problems"]] == ["frozen-text"], out + err


@pytest.mark.parametrize("value", ["x" * 100_000, "[" + ", ".join(["1"] * 20_000) + "]",
                                   "\"line one\\n::error::two\""])
def test_a_huge_or_multi_line_value_is_named_not_printed(doc: GitRepo, value: str) -> None:
    doc.write({f"{DOC}/document.yaml": manifest().replace("notice_days: 30",
                                                          f"notice_days: {value}")})
    code, out, _err = quick("check", "-f", "json")
    assert code == 1
    problem = next(p for p in json.loads(out)["problems"] if "notice_days" in p["message"])
    assert problem["line"] == 7
    assert len(problem["message"]) < 200 and "\n" not in problem["message"]
    _code, out, err = quick("check")
    assert len(out + err) < 2000 and "\n::" not in out + err


# ------------------------------------------------------ item 13: render never drops a clause

@pytest.mark.parametrize(("content", "line", "says"), [
    (b"---\nid: s2\n---\n\n<!-- zh -->\n\xff\xfe\n", 6, "not UTF-8"),
    (b"id: s2\n<!-- zh -->\n\xe7\xac\xac\n", 1, "must start with a '---' line"),
    (b"---\nid: s2\n\n<!-- zh -->\n\xe4\xba\x8c\n", 1, "not closed"),
    (b"---\nid: [s2\n---\n\n<!-- zh -->\n\xe4\xba\x8c\n", 2, "not valid YAML"),
    (b"---\ntitle: {zh: a, en: b}\n---\n\n<!-- zh -->\n\xe4\xba\x8c\n", 2, "has no 'id'"),
    (b"---\nid: S2!\n---\n\n<!-- zh -->\n\xe4\xba\x8c\n", 2, "lowercase ASCII slug"),
    (b"---\nid: s1\n---\n\n<!-- zh -->\n\xe4\xba\x8c\n<!-- en -->\nTwo\n", 2, "already used"),
], ids=["not-utf8", "no-front-matter", "unclosed", "bad-yaml", "no-id", "bad-id",
        "duplicate-id"])
def test_render_fails_on_a_clause_it_cannot_use(doc: GitRepo, content: bytes, line: int,
                                                says: str) -> None:
    doc.write({f"{DOC}/02-b.md": content})
    for fmt in ("terminal", "text", "markdown", "html"):
        code, out, err = run_cli("render", "-f", fmt)
        assert code == 2, (fmt, out, err)
        assert f"{DOC}/02-b.md:{line}: " in err and says in err
        assert "第三条" not in out  # nothing rendered, so nothing renumbered
    code, _out, err = run_cli("render", "-o", str(doc.root.parent / "out.html"))
    assert code == 2 and not (doc.root.parent / "out.html").exists()


def test_render_at_a_revision_with_a_broken_clause_fails_too(doc: GitRepo) -> None:
    doc.commit({f"{DOC}/02-b.md": b"---\nid: s2\n---\n\n<!-- zh -->\n\xff\n"}, when=DAY)
    code, _out, err = run_cli("render", "--at", "HEAD", "-f", "text")
    assert code == 2 and f"{DOC}/02-b.md:6:" in err
    code, out, _err = run_cli("render", "--at", "HEAD~1", "-f", "text")
    assert code == 0 and "3. 第三条。" in out


def test_a_directory_without_index_is_not_dropped_silently(doc: GitRepo) -> None:
    doc.write({f"{DOC}/04-sub/01-x.md": clause("s4-1", "子条。", "Sub.")})
    code, _out, err = run_cli("render", "-f", "text")
    assert code == 2 and "04-sub/" in err and "_index.md" in err


# ------------------------------------------------------------- item 16: no generic crashes

@pytest.mark.parametrize(("replace", "line", "says"), [
    ("announced: 2021-06-01", "announced: 9999-12-31", "outside the dates"),
    ("effective: 2021-07-01", "effective: 9999-12-31", "outside the dates"),
    ("announced: 2021-06-01", "announced: 0001-01-01", "outside the dates"),
    ("notice_days: 30", "notice_days: 999999999", "more than 3650 days"),
    ("notice_days: 30", "notice_days: 99999999999999999999", "whole number of days"),
    ("notice_days: 30", "notice_days: -5", "whole number of days"),
])
def test_dates_and_notice_days_that_would_overflow_are_errors(doc: GitRepo, replace: str,
                                                              line: str, says: str) -> None:
    doc.write({f"{DOC}/document.yaml": manifest().replace(replace, line)})
    number = next(n for n, text in enumerate(manifest().split("\n"), 1) if text == replace)
    code, out, err = run_cli("check")
    assert code in (1, 2) and f"{DOC}/document.yaml:{number}: " in out + err
    assert says in out + err
    uncommitted: list[tuple[str, ...]] = [
        ("render",), ("review", "--base", "HEAD"), ("diff",), ("outline",), ("log",),
        ("feed",), ("release", "20211101", "--announced", "2021-09-01", "--effective",
                    "2021-10-01")]
    for command in uncommitted:
        code, out, err = run_cli(*command)
        assert code in (0, 1, 2) and "internal error" not in err, (command, out, err)
    doc.commit(when=DAY)  # committed, it reaches the commands that read history only
    committed: list[tuple[str, ...]] = [
        ("log",), ("feed",), ("log", "--clause", "s1"), ("check",), ("notice", "20210701"),
        ("diff", "HEAD~1", "HEAD")]
    for command in committed:
        code, out, err = run_cli(*command)
        assert code in (0, 1, 2) and "internal error" not in err, (command, out, err)


def test_a_commit_dated_at_the_end_of_the_calendar_is_named(doc: GitRepo) -> None:
    doc.write({f"{DOC}/01-a.md": clause("s1", "第一条改。", "First, changed.")})
    doc.git("add", "-A")
    doc.git("commit", "-q", "-m", "far future", when="@253402214399 +0000")  # 9999-12-30
    sha = doc.git("rev-parse", "HEAD").strip()
    for command in (("check",), ("check", "--base", "HEAD~1"), ("log",),
                    ("review", "--base", "HEAD~1")):
        code, out, err = run_cli(*command)
        assert code == 2, (command, out, err)
        assert f"commit {sha[:12]} is dated 9999-12-30" in err


@pytest.mark.parametrize("command", [("check",), ("log",), ("feed",),
                                     ("review", "--base", "HEAD")], ids=" ".join)
@pytest.mark.parametrize("day", ["2021-13-01", "yesterday", "9999-12-31", "2021-02-29"])
def test_a_bad_today_is_a_usage_error(doc: GitRepo, command: tuple[str, ...], day: str) -> None:
    code, out, err = run_cli(*command, "--today", day)
    assert code == 2, out + err
    assert err.startswith("error: --today ") and "internal error" not in err


@pytest.mark.parametrize(("args", "says"), [
    (("release", "20211101", "--announced", "9999-12-01", "--effective", "9999-12-31"),
     "--announced '9999-12-01' is outside"),
    (("release", "20211101", "--announced", "2021-10-01", "--effective", "2021-10-32"),
     "--effective '2021-10-32' is not a date that exists"),
    (("render", "--at", "@9999-12-31"), "is outside the dates"),
    (("diff", "@2021-02-30"), "is not a date that exists"),
])
def test_other_bad_dates_are_usage_errors(doc: GitRepo, args: tuple[str, ...], says: str
                                          ) -> None:
    code, out, err = run_cli(*args)
    assert code == 2, out + err
    assert says in err and "internal error" not in err


@pytest.mark.parametrize("nesting", [
    "[" * 3000 + "]" * 3000,
    "".join("\n" + " " * (n + 1) + f"k{n}:" for n in range(900)) + " x",
    "".join("\n" + " " * (n + 1) + "-" for n in range(600)) + " x",
], ids=["flow-3000", "block-900", "list-600"])
def test_deeply_nested_yaml_is_an_error_with_its_line(doc: GitRepo, nesting: str) -> None:
    doc.write({f"{DOC}/document.yaml": manifest(extra=f"owner: {nesting}\n")})
    code, out, err = quick("check")
    assert code == 2, out + err
    assert err.startswith(f"error: {DOC}/document.yaml:") and "nest" in err
    doc.write({f"{DOC}/document.yaml": manifest(),
               f"{DOC}/02-b.md": f"---\nid: s2\ntitle: {nesting}\n---\n\n<!-- zh -->\n二\n"})
    code, out, err = quick("check", "-f", "json")
    assert code == 1 and "internal error" not in err
    assert any(p["file"] == f"{DOC}/02-b.md" and p["line"] for p in json.loads(out)["problems"])


def test_clause_directories_nested_too_deep_are_refused(doc: GitRepo) -> None:
    path = doc.root / DOC
    for level in range(300):
        path = path / "d"
        path.mkdir()
        (path / "_index.md").write_text(clause(f"d{level}", "子。", "Sub."), encoding="utf-8")
    code, out, err = quick("check", limit=30)
    assert code == 1 and "more than 32 levels deep" in out, out[-2000:] + err
    code, _out, err = quick("render", limit=30)
    assert code == 2 and "more than 32 levels deep" in err


def terms_process(*args: str) -> list[str]:
    return [sys.executable, "-c", "from termstool.cli.app import main; main()", *args]


@pytest.mark.parametrize("args", [("log", "-f", "json"), ("log",), ("render", "-f", "text"),
                                  ("render",), ("outline", "-f", "json"), ("check", "-f", "json"),
                                  ("diff", "HEAD~1", "-f", "json"), ("check",)], ids=" ".join)
def test_a_closed_pipe_ends_the_command_quietly(doc: GitRepo, args: tuple[str, ...]) -> None:
    """`terms log -f json | head`: the reader has gone; exit 141 (as git), say nothing."""
    doc.commit({f"{DOC}/01-a.md": clause("s1", "第一条改。", "First, changed.")}, when=DAY)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first write: EPIPE at once
    try:
        result = subprocess.run(terms_process(*args), stdout=write_end, stderr=subprocess.PIPE,
                                env={**os.environ, **GIT_ENV}, cwd=doc.root, timeout=60)
    finally:
        os.close(write_end)
    assert result.returncode == 141, result.stderr
    assert result.stderr == b""


# -------------------------------------------------------------------- item 17: the rest

@pytest.mark.parametrize("name", ["02-b.md", "document.yaml"])
def test_a_link_to_a_file_outside_the_repository_is_not_read(doc: GitRepo, tmp_path: Path,
                                                             name: str) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text(clause("s2", "外部机密文字。", "SECRET OUTSIDE TEXT") if name.endswith(".md")
                      else manifest(), encoding="utf-8")
    link = doc.root / DOC / name
    link.unlink()
    link.symlink_to(secret)
    for command in (("render", "-f", "text"), ("render", "-f", "html"), ("check",),
                    ("outline",), ("diff",), ("log",)):
        code, out, err = run_cli(*command)
        assert code == 2, (command, out, err)
        assert f"{DOC}/{name}: is a symbolic link to {secret}, outside the repository" in err
        assert "SECRET" not in out and "外部机密" not in out


def test_a_link_into_git_or_a_linked_directory_is_not_read(doc: GitRepo, tmp_path: Path
                                                            ) -> None:
    (doc.root / DOC / "02-b.md").unlink()
    (doc.root / DOC / "02-b.md").symlink_to("../../.git/config")
    code, _out, err = run_cli("render", "-f", "text")
    assert code == 2 and "into the .git directory" in err
    (doc.root / DOC / "02-b.md").unlink()
    doc.commit({f"{DOC}/02-b.md": clause("s2", "第二条。", "Second.")}, when=DAY)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "_index.md").write_text(clause("s9", "外部。", "OUTSIDE"), encoding="utf-8")
    (outside / "01-x.md").write_text(clause("s9-1", "外部。", "OUTSIDE"), encoding="utf-8")
    (doc.root / DOC / "09-linked").symlink_to(outside)
    code, out, err = run_cli("render", "-f", "text")
    assert "OUTSIDE" not in out


def test_a_link_inside_the_repository_is_still_read(doc: GitRepo) -> None:
    (doc.root / "shared").mkdir()
    (doc.root / "shared" / "c.md").write_text(clause("s3", "第三条。", "Third."),
                                              encoding="utf-8")
    (doc.root / DOC / "03-c.md").unlink()
    (doc.root / DOC / "03-c.md").symlink_to("../../shared/c.md")
    code, out, err = run_cli("render", "-f", "text")
    assert code == 0 and "3. Third." in out, err


SOURCE = "服务条款\n\n1. 总则\n1.1. 阿里云向您提供服务。\n2. 费用\n2.1. 您应支付费用。\n"


def test_import_outside_git_needs_force(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "seed.txt").write_text(SOURCE, encoding="utf-8")
    for into in ("new-doc", "deep/er/doc"):
        code, _out, err = run_cli("import", "seed.txt", "--into", into, "--version",
                                  "20210701")
        assert code == 2 and "is not in a git repository" in err and "--force" in err
        assert not (tmp_path / into).exists()
    code, _out, err = run_cli("import", "seed.txt", "--into", "new-doc", "--version",
                              "20210701", "--force")
    assert code == 0, err


@pytest.mark.parametrize("into", [".git/terms", ".git", ".git/hooks/doc", "terms/../.git/x"])
def test_import_never_writes_inside_git(repo: GitRepo, into: str) -> None:
    (repo.root / "seed.txt").write_text(SOURCE, encoding="utf-8")
    before = sorted(p.relative_to(repo.root) for p in (repo.root / ".git").rglob("*"))
    for extra in ((), ("--force",)):
        code, _out, err = run_cli("import", "seed.txt", "--into", into, "--version",
                                  "20210701", *extra)
        assert code == 2 and "inside a git directory" in err, err
    assert sorted(p.relative_to(repo.root) for p in (repo.root / ".git").rglob("*")) == before


def test_import_into_a_bare_repository_is_refused(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True,
                   env={**os.environ, **GIT_ENV})
    (tmp_path / "seed.txt").write_text(SOURCE, encoding="utf-8")
    monkeypatch.chdir(bare)
    code, _out, err = run_cli("import", str(tmp_path / "seed.txt"), "--into", "doc",
                              "--version", "20210701", "--force")
    assert code == 2 and "inside a git directory" in err
    assert not (bare / "doc").exists()


@pytest.mark.parametrize("source", ["/dev/zero", "/dev/urandom"])
def test_import_of_an_endless_file_ends(repo: GitRepo, source: str) -> None:
    code, _out, err = quick("import", source, "--into", "terms/doc", limit=10)
    assert code == 2 and "larger than 64 MiB" in err
    assert not (repo.root / "terms").exists()


def test_import_of_a_directory_is_refused(repo: GitRepo) -> None:
    code, _out, err = run_cli("import", str(repo.root), "--into", "terms/doc")
    assert code == 2 and "is a directory" in err


def test_git_setup_in_a_bare_repository_writes_nothing(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True,
                   env={**os.environ, **GIT_ENV})
    before = sorted(str(p) for p in bare.rglob("*"))
    config = (bare / "config").read_bytes()
    for where in (bare, bare / "refs"):
        monkeypatch.chdir(where)
        code, _out, err = run_cli("git-setup")
        assert code == 2 and "bare repository" in err, err
    assert sorted(str(p) for p in bare.rglob("*")) == before
    assert (bare / "config").read_bytes() == config
    assert not (bare / ".gitattributes").exists()


def test_check_outside_git_says_the_notice_rules_were_skipped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = tmp_path / "plain"
    (plain / DOC).mkdir(parents=True)
    (plain / DOC / "document.yaml").write_text(manifest(), encoding="utf-8")
    (plain / DOC / "01-a.md").write_text(clause("s1", "一。", "One."), encoding="utf-8")
    monkeypatch.chdir(plain)
    code, out, _err = run_cli("check")
    assert code == 0
    assert "✓" not in out and "notice rules skipped" in out and "not in a git repository" in out
    code, out, _err = run_cli("check", "-f", "json")
    assert json.loads(out)["notice_rules"]["checked"] is False
    code, out, _err = run_cli("check", "-f", "github")
    assert out.startswith("::warning title=notice rules skipped::")


def zip_bomb(path: Path) -> Path:
    """A 1 MB Word file whose document.xml unpacks to 257 MiB (a real bomb: gigabytes)."""
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z, \
            z.open("word/document.xml", "w", force_zip64=True) as member:
        chunk = b"<" + b" " * (1024 * 1024 - 1)
        for _ in range(257):
            member.write(chunk)
    return path


def test_a_word_zip_bomb_is_refused_before_it_unpacks(repo: GitRepo, tmp_path: Path) -> None:
    bomb = zip_bomb(tmp_path / "terms.docx")
    repo.commit({f"{DOC}/document.yaml": manifest(),
                 f"{DOC}/01-a.md": clause("s1", "第一条。", "First.")}, when=DAY)
    for args in (("import", str(bomb), "--into", "terms/new"),
                 ("import", str(bomb), "--into", "terms/new", "--dry-run"),
                 ("apply", str(bomb))):
        code, _out, err = quick(*args)
        assert code == 2 and "unpacks to 257 MiB" in err, (args, err)
    assert not (repo.root / "terms" / "new").exists()
