"""`-o` writes a regular file atomically, or standard output, and nothing else (issue 9, item 5).

Every command with ``-o`` (render, diff, notice, feed, review) shares one writer. It
refuses devices, FIFOs, directories, symbolic links (the file or a directory leading to
it), anything inside a git directory, and the files of the terms themselves; ``-o -`` is
standard output. No test here can touch a file outside its temporary directory: the
rename that would replace one is stopped.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import GitRepo, clause, manifest, run_cli

DOC = "terms/tos"
CLAUSE = f"{DOC}/01-a.md"
COMMANDS = [
    ("render", "-f", "html"),
    ("render", "-f", "text"),
    ("diff", "HEAD~1", "HEAD", "-f", "markdown"),
    ("diff", "HEAD~1", "HEAD", "-f", "json"),
    ("notice", "20211001", "-f", "html"),
    ("feed", "--today", "2021-09-02"),
]


@pytest.fixture
def terms(repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[GitRepo]:
    """Two releases; renames outside ``tmp_path`` fail instead of happening."""
    repo.commit({f"{DOC}/document.yaml": manifest(),
                 CLAUSE: clause("s1", "甲方提供服务。", "A provides the services."),
                 f"{DOC}/02-b.md": clause("s3-2-11", "如本条款变动，提前30天公告。",
                                          "Changes are announced 30 days ahead.")},
                when="2021-05-20T10:00:00+08:00")
    repo.commit({f"{DOC}/document.yaml": manifest(version="20211001", announced="2021-09-01",
                                                  effective="2021-10-01"),
                 CLAUSE: clause("s1", "甲方提供全部服务。", "A provides all the services.")},
                when="2021-09-01T10:00:00+08:00")
    real_replace = os.replace

    def contained_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if not Path(os.path.abspath(dst)).is_relative_to(tmp_path):
            raise AssertionError(f"a test tried to replace {dst}")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", contained_replace)
    yield repo


def refused(args: tuple[str, ...], target: str, *more: str) -> str:
    code, out, err = run_cli(*args, "-o", target, *more)
    assert code == 2, (code, out, err)
    assert "wrote" not in err
    return err


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_dash_is_standard_output(terms: GitRepo, args: tuple[str, ...]) -> None:
    code, out, err = run_cli(*args, "-o", "-")
    assert code == 0, err
    assert out.strip() and "wrote" not in err
    assert not (terms.root / "-").exists()


def test_review_refuses_dash_its_report_is_standard_output(terms: GitRepo) -> None:
    terms.git("branch", "base", "HEAD~1")
    err = refused(("review", "--base", "base", "--today", "2021-09-01"), "-")
    assert "standard output" in err


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_dev_stdout_is_refused_with_a_pointer_to_dash(terms: GitRepo, args: tuple[str, ...]
                                                      ) -> None:
    err = refused(args, "/dev/stdout")
    # Refused for what it is, or (without --format) because its name gives no format
    assert "-o -" in err or "symbolic link" in err or "cannot write files named like" in err
    assert os.path.islink("/dev/stdout") or stat.S_ISCHR(os.stat("/dev/stdout").st_mode)


@pytest.mark.parametrize("device", ["/dev/full", "/dev/null", "/dev/zero"])
def test_devices_are_refused(terms: GitRepo, device: str) -> None:
    before = os.stat(device)
    err = refused(("render", "-f", "html"), device)
    assert "character device" in err and "-o -" in err
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_node_is_not_replaced_even_as_root(terms: GitRepo, tmp_path: Path) -> None:
    """As root, a rename would replace the node itself: the refusal is what keeps it."""
    node = tmp_path / "full"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    err = refused(("render", "-f", "text"), str(node))
    assert "character device" in err
    assert stat.S_ISCHR(node.lstat().st_mode)


def test_a_fifo_is_refused_and_stays_a_fifo(terms: GitRepo, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    for args in COMMANDS[:3]:
        err = refused(args, str(fifo))
        assert "FIFO" in err
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_symbolic_link_is_refused_and_its_target_untouched(terms: GitRepo,
                                                            tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n", encoding="utf-8")
    for link, points_to in ((terms.root / "out.html", target),
                            (terms.root / "dangling.html", tmp_path / "missing.html"),
                            (terms.root / "relative.html", Path("../precious.txt"))):
        link.symlink_to(points_to)
        for args in COMMANDS[:3]:
            err = refused(args, link.name)
            assert "symbolic link" in err
        assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert not (tmp_path / "missing.html").exists()


def test_a_linked_directory_on_the_way_is_refused(terms: GitRepo, tmp_path: Path) -> None:
    """A pull request can commit `site -> /home/runner`: -o site/x would write there."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (terms.root / "site").symlink_to(elsewhere)
    err = refused(("render", "-f", "html"), "site/terms.html")
    assert "site is a symbolic link" in err
    assert list(elsewhere.iterdir()) == []


def test_a_directory_is_refused(terms: GitRepo) -> None:
    (terms.root / "out").mkdir()
    assert "is a directory" in refused(("render", "-f", "html"), "out")


@pytest.mark.parametrize("target", [".git/config", ".git/hooks/pre-commit", ".git/HEAD",
                                    "./.git/description", "terms/../.git/info/exclude"])
def test_nothing_is_written_inside_git(terms: GitRepo, target: str) -> None:
    path = terms.root / target
    before = path.read_bytes() if path.exists() else None
    err = refused(("render", "-f", "text"), target)
    assert "git directory" in err
    assert (path.read_bytes() if path.exists() else None) == before


def test_nothing_is_written_inside_a_linked_worktrees_git_directory(terms: GitRepo,
                                                                    tmp_path: Path) -> None:
    terms.git("worktree", "add", "-q", str(tmp_path / "wt"), "-b", "other")
    git_dir = Path(terms.git("-C", str(tmp_path / "wt"), "rev-parse", "--absolute-git-dir")
                   .strip())
    assert git_dir.is_relative_to(terms.root / ".git")
    os.chdir(tmp_path / "wt")
    refused(("render", "-f", "text"), str(git_dir / "HEAD"))


@pytest.mark.parametrize("target", [CLAUSE, f"{DOC}/document.yaml", f"{DOC}/02-b.md"])
def test_a_clean_tracked_clause_file_is_refused_even_with_force(terms: GitRepo,
                                                                target: str) -> None:
    before = (terms.root / target).read_bytes()
    for extra in ((), ("--force",)):
        err = refused(("render", "-f", "text"), target, *extra)
        assert "part of the terms" in err
    assert (terms.root / target).read_bytes() == before
    assert terms.git("status", "--porcelain") == ""


def test_a_new_clause_file_under_terms_is_refused(terms: GitRepo) -> None:
    """It would become a clause of the document the next time anything reads it."""
    for target in (f"{DOC}/99-render.md", "terms/TERMS.md", f"{DOC}/sub/document.yaml"):
        refused(("render", "-f", "markdown"), target)
        assert not (terms.root / target).exists()


def test_an_untracked_page_under_terms_other_than_a_clause_is_allowed(terms: GitRepo) -> None:
    code, _out, err = run_cli("render", "-f", "html", "-o", "terms/preview.html")
    assert code == 0, err
    assert (terms.root / "terms" / "preview.html").is_file()


def test_a_regular_file_is_replaced_atomically_keeping_its_mode(terms: GitRepo) -> None:
    page = terms.root / "page.html"
    page.write_text("old\n", encoding="utf-8")
    os.chmod(page, 0o640)
    inode = page.stat().st_ino
    code, _out, err = run_cli("render", "-f", "html", "-o", "page.html")
    assert code == 0 and "wrote page.html" in err
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(page.stat().st_mode) == 0o640
    assert page.stat().st_ino != inode  # a new file renamed into place, not rewritten
    assert [p.name for p in terms.root.iterdir() if p.name.endswith(".tmp")] == []


def test_a_new_file_in_a_new_directory(terms: GitRepo) -> None:
    code, _out, err = run_cli("notice", "20211001", "-o", "notices/tos/20211001.html")
    assert code == 0, err
    assert (terms.root / "notices" / "tos" / "20211001.html").is_file()
