"""Atomic multi-file writes: all or nothing, whatever step fails."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from termstool.storage.files import apply_changes, write_atomic


def state(root: Path) -> dict[str, bytes | None]:
    """Every file and directory under ``root`` (directories as None)."""
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(root.rglob("*"))}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "doc"
    (root / "02-fees").mkdir(parents=True)
    (root / "01-a.md").write_text("old a\n", encoding="utf-8")
    (root / "02-fees" / "_index.md").write_text("old index\n", encoding="utf-8")
    (root / "02-fees" / "01-b.md").write_text("old b\n", encoding="utf-8")
    (root / "03-gone").mkdir()
    (root / "03-gone" / "01-c.md").write_text("old c\n", encoding="utf-8")
    return root


WRITES = {"01-a.md": "new a\n", "02-fees/01-b.md": "new b\n",
          "04-new/_index.md": "new index\n", "04-new/deep/01-d.md": "new d\n"}
DELETES = ["02-fees/_index.md", "03-gone/01-c.md"]


def test_writes_and_deletes_as_one_unit(tree: Path) -> None:
    apply_changes(tree, WRITES, DELETES)
    assert state(tree) == {
        "01-a.md": b"new a\n", "02-fees": None, "02-fees/01-b.md": b"new b\n",
        "04-new": None, "04-new/_index.md": b"new index\n", "04-new/deep": None,
        "04-new/deep/01-d.md": b"new d\n"}  # 03-gone/ was left empty and is removed


def test_text_is_utf8_with_unix_line_ends(tree: Path) -> None:
    apply_changes(tree, {"01-a.md": "第一\n第二\r\n"}, [])
    assert (tree / "01-a.md").read_bytes() == "第一\n第二\r\n".encode()


def test_permissions_are_kept_and_new_files_follow_the_umask(tree: Path) -> None:
    os.chmod(tree / "01-a.md", 0o640)
    apply_changes(tree, WRITES, [])
    assert stat.S_IMODE((tree / "01-a.md").stat().st_mode) == 0o640
    current = os.umask(0o022)
    os.umask(current)
    mode = stat.S_IMODE((tree / "04-new" / "_index.md").stat().st_mode)
    assert mode == 0o666 & ~current  # not mkstemp's 0o600


def count_replaces() -> int:
    """How many os.replace calls a successful run of WRITES and DELETES makes."""
    return len(WRITES) + 2 + len(DELETES)  # a rename per write, a backup per old file (2)


@pytest.mark.parametrize("failing_call", range(1, count_replaces() + 1))
def test_a_failing_rename_at_any_step_leaves_everything_as_it_was(
        tree: Path, monkeypatch: pytest.MonkeyPatch, failing_call: int) -> None:
    before = state(tree)
    real = os.replace
    calls = {"n": 0}

    def replace(src: str | Path, dst: str | Path) -> None:
        calls["n"] += 1
        if calls["n"] == failing_call:
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError, match="No space left"):
        apply_changes(tree, WRITES, DELETES)
    assert state(tree) == before  # no new file, no temporary file, no new directory


def test_the_count_of_renames_is_right(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Guards the parametrisation above: every step of a real run was made to fail."""
    real = os.replace
    calls = {"n": 0}

    def replace(src: str | Path, dst: str | Path) -> None:
        calls["n"] += 1
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    apply_changes(tree, WRITES, DELETES)
    assert calls["n"] == count_replaces()


def test_a_failure_while_writing_a_temporary_file_changes_nothing(tree: Path) -> None:
    before = state(tree)
    with pytest.raises(UnicodeEncodeError):  # a lone surrogate cannot be written as UTF-8
        apply_changes(tree, {"01-a.md": "fine\n", "04-new/x.md": "bad \ud800\n"}, DELETES)
    assert state(tree) == before


def test_a_backup_that_cannot_be_restored_is_kept(tree: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """If even the rollback fails, the old content survives in a .bak file."""
    real = os.replace
    calls = {"n": 0}

    def replace(src: str | Path, dst: str | Path) -> None:
        calls["n"] += 1
        if calls["n"] == 4:  # the first rename into place fails, then so does the restore
            raise OSError(5, "I/O error")
        if calls["n"] == 5:
            raise OSError(5, "I/O error")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError):
        apply_changes(tree, {"01-a.md": "new\n", "02-fees/01-b.md": "new\n"}, ["03-gone/01-c.md"])
    kept = [p for p in tree.rglob("*.bak")]
    assert len(kept) == 1 and kept[0].read_bytes() == b"old a\n"


def test_write_atomic_creates_directories(tmp_path: Path) -> None:
    target = tmp_path / "out" / "terms.html"
    write_atomic(target, "<p>x</p>\n")
    write_atomic(target, "<p>y</p>\n")
    assert target.read_text(encoding="utf-8") == "<p>y</p>\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["terms.html"]
