"""`terms import` is all-or-nothing even when killed, and two writes never interleave.

The import runs in a real process that is killed (SIGKILL) at each step of its write;
the tree must then hold the old files or the new ones and nothing else, and the next
command must undo or finish the interrupted write. A second write while one is running
is refused with a message naming the first.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import GIT_ENV, GitRepo, run_cli

TERMS = str(Path(sys.executable).with_name("terms"))
HAN = "阿里云服务条款您应按照页面提示及本约定支付相应费用对自己存放在平台上的数据以及进入和管理各类产品负责"


def source(count: int, edit: str = "") -> str:
    """A numbered source of ``count`` clauses; ``edit`` is added inside every text."""
    lines = []
    for index in range(count):
        section, item = divmod(index, 10)
        text = "".join(HAN[(index * 7 + k) % len(HAN)] for k in range(40))
        number = f"{section + 1}" if item == 0 else f"{section + 1}.{item}"
        lines.append(f"{number}. {text[:20]}{edit}{text[20:]}。")
    return "\n".join(lines) + "\n"


def files(root: Path) -> dict[str, bytes]:
    """Every file and directory under ``root`` outside .git: hidden leftovers included."""
    out: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts[0] == ".git":
            continue
        out[rel.as_posix()] = path.read_bytes() if path.is_file() else b"<dir>"
    return out


def terms_process(root: Path, *args: str, fault: str | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, **GIT_ENV}
    if fault:
        env["TERMS_TEST_FAULT"] = fault
    return subprocess.Popen([TERMS, *args], cwd=root, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture
def imported(repo: GitRepo) -> GitRepo:
    """A committed document of 60 clauses, and a new source (every text changed, 45
    clauses: 15 files to delete) beside it."""
    (repo.root / "v1.txt").write_text(source(60), encoding="utf-8")
    assert run_cli("import", "v1.txt", "--into", "terms/doc", "--version", "1",
                   "--effective", "2021-07-01")[0] == 0
    (repo.root / "v2.txt").write_text(source(45, "修订"), encoding="utf-8")
    repo.commit(message="import")
    return repo


def expected_after_import(repo: GitRepo, tmp_path: Path) -> dict[str, bytes]:
    """The files an uninterrupted import of v2.txt gives, in a copy of the repository."""
    copy = tmp_path / "reference"
    shutil.copytree(repo.root, copy, symlinks=True)
    done = subprocess.run([TERMS, "import", "v2.txt", "--into", "terms/doc"], cwd=copy,
                          env={**os.environ, **GIT_ENV}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return files(copy)


@pytest.mark.parametrize(("checkpoint", "outcome"), [
    ("journal", "old"),  # killed before the first file was written: nothing to undo
    ("staged-1", "old"), ("staged-30", "old"),
    ("moved-aside", "missing"), ("swapped", "new"),
])
def test_killed_mid_write_leaves_old_or_new_and_the_next_command_puts_it_right(
        imported: GitRepo, tmp_path: Path, checkpoint: str, outcome: str) -> None:
    before = files(imported.root)
    after = expected_after_import(imported, tmp_path)
    killed = terms_process(imported.root, "import", "v2.txt", "--into", "terms/doc",
                           fault=f"{checkpoint}:kill")
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    doc = {k: v for k, v in files(imported.root).items()
           if k.startswith("terms/doc/") or k == "terms/doc"}
    if outcome == "old":  # the document is whole and as it was
        assert doc == {k: v for k, v in before.items() if k.startswith("terms/doc")}
    elif outcome == "new":  # whole and as the import makes it
        assert doc == {k: v for k, v in after.items() if k.startswith("terms/doc")}
    else:  # between the two renames: the old tree is set aside, whole
        assert doc == {}
    assert (imported.root / ".git" / "terms-journal.json").is_file()
    assert (imported.root / ".git" / "terms.lock").is_file()  # stale: its holder is dead

    # The next command, whatever it is, puts things right before it reads.
    code, out, err = run_cli("outline", "terms/doc", "--format", "json")
    assert code == 0, err
    clauses = json.loads(out)["documents"][0]["clauses"]
    if outcome == "new":
        assert "finished it" in err and len(clauses) == 45
        assert files(imported.root) == after
    else:
        assert ("undid it" in err) == (checkpoint != "journal") and len(clauses) == 60
        assert files(imported.root) == before
        assert imported.git("status", "--porcelain") == ""
    assert not (imported.root / ".git" / "terms-journal.json").exists()
    # ...and the import, run again over the stale lock, gives what it gives uninterrupted.
    code, _out, err = run_cli("import", "v2.txt", "--into", "terms/doc", "--force")
    assert code == 0, err
    assert files(imported.root) == after
    assert not (imported.root / ".git" / "terms.lock").exists()


def test_the_interrupted_import_is_put_right_by_the_next_import(
        imported: GitRepo, tmp_path: Path) -> None:
    after = expected_after_import(imported, tmp_path)
    killed = terms_process(imported.root, "import", "v2.txt", "--into", "terms/doc",
                           fault="staged-10:kill")
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    assert (imported.root / "terms" / ".doc.terms-new").is_dir()  # the half-built new tree
    code, _out, err = run_cli("import", "v2.txt", "--into", "terms/doc")
    assert code == 0, err
    assert "'terms import' into terms/doc was interrupted before it finished; undid it" in err
    assert files(imported.root) == after


def wait_for(flag: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not flag.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_a_second_write_while_an_import_runs_is_refused(imported: GitRepo,
                                                        tmp_path: Path) -> None:
    after = expected_after_import(imported, tmp_path)
    flag = tmp_path / "paused"
    first = terms_process(imported.root, "import", "v2.txt", "--into", "terms/doc",
                          fault=f"staged-5:pause:{flag}")
    try:
        wait_for(flag, first)
        code, _out, err = run_cli("import", "v1.txt", "--into", "terms/doc", "--force")
        assert code == 2
        assert "another terms command is writing to this repository ('terms import', " \
               f"process {first.pid}, since " in err
        code, _out, err = run_cli("release", "2", "--announced", "2021-08-01",
                                  "--effective", "2021-09-01", "terms/doc")
        assert code == 2 and "another terms command is writing" in err
        code, _out, err = run_cli("check", "--fix", "terms/doc")
        assert code == 2 and "another terms command is writing" in err
        # a reader is not blocked, and sees the whole old document meanwhile
        code, out, _err = run_cli("outline", "terms/doc", "--format", "json")
        assert code == 0 and len(json.loads(out)["documents"][0]["clauses"]) == 60
    finally:
        flag.unlink(missing_ok=True)
        _out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert files(imported.root) == after


def test_two_imports_at_once_leave_one_whole_result(imported: GitRepo, tmp_path: Path) -> None:
    (imported.root / "v3.txt").write_text(source(30, "第三版"), encoding="utf-8")
    imported.commit(message="v3 source")
    results = []
    for order in (("v2.txt",), ("v3.txt",), ("v2.txt", "v3.txt"), ("v3.txt", "v2.txt")):
        copy = tmp_path / "-".join(order)
        shutil.copytree(imported.root, copy, symlinks=True)
        for name in order:
            subprocess.run([TERMS, "import", name, "--into", "terms/doc", "--force"],
                           cwd=copy, env={**os.environ, **GIT_ENV}, check=True,
                           capture_output=True)
        results.append({k: v for k, v in files(copy).items() if k.startswith("terms/")})
    both = [terms_process(imported.root, "import", name, "--into", "terms/doc", "--force")
            for name in ("v2.txt", "v3.txt")]
    outputs = [process.communicate(timeout=120) for process in both]
    for process, (_out, err) in zip(both, outputs, strict=True):
        assert process.returncode == 0 or (process.returncode == 2
                                           and "another terms command is writing" in err), err
    assert any(process.returncode == 0 for process in both)
    assert {k: v for k, v in files(imported.root).items() if k.startswith("terms/")} in results
    assert not (imported.root / ".git" / "terms.lock").exists()


def entries(root: Path) -> int:
    return sum(len(names) + len(dirs) for _here, dirs, names in os.walk(root / "terms"))


def test_killed_from_outside_while_writing_leaves_nothing_behind(repo: GitRepo,
                                                                 tmp_path: Path) -> None:
    """No fault hook: the test itself kills the import once its writing has begun."""
    (repo.root / "v1.txt").write_text(source(1500), encoding="utf-8")
    assert run_cli("import", "v1.txt", "--into", "terms/doc", "--version", "1",
                   "--effective", "2021-07-01")[0] == 0
    (repo.root / "v2.txt").write_text(source(1500, "修订"), encoding="utf-8")
    repo.commit(message="import")
    before = files(repo.root)
    after = expected_after_import(repo, tmp_path)
    start = entries(repo.root)
    writing = terms_process(repo.root, "import", "v2.txt", "--into", "terms/doc")
    while writing.poll() is None and entries(repo.root) < start + 100:
        time.sleep(0.005)
    writing.send_signal(signal.SIGKILL)
    writing.communicate(timeout=120)
    code, _out, err = run_cli("check", "terms/doc")
    assert code in (0, 1), err
    assert files(repo.root) in (before, after)  # no hidden file, no mixture
