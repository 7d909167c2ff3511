"""A provider's catalogue as a git repository, for the scale benchmarks.

``build(root, documents=300, clauses=100, commits=1000)`` writes, with one
``git fast-import``, a repository of ``documents`` bilingual documents of ``clauses``
clauses each (sections of ten) and ``commits`` commits, one a day: the first adds
every document with its first release, each later one edits three clauses of one
document in both languages. Every document gets two more releases, each announced
after the last edit it carries and effective 30 days later, so the history is lawful
and ``terms check`` does all its work. A branch ``feature`` adds one commit on top of
``main`` that changes three clauses of one document and records a release announced
on ``TODAY``: the shape of an ordinary pull request.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import synthetic

ENV = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
       "NO_COLOR": "1", "LC_ALL": "C.UTF-8"}
START = dt.datetime(2020, 1, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def doc_dir(index: int) -> str:
    """The repository path of document ``index``."""
    return f"terms/p{index:04d}"


def _manifest(index: int, version: int, announced: dt.date, effective: dt.date) -> str:
    return (f"id: p{index:04d}\ntitle:\n  zh: 产品{index}服务条款\n  en: Product {index} Terms\n"
            "languages: [zh, en]\nauthoritative: zh\nnotice_days: 30\n"
            f"timezone: Asia/Shanghai\nversion: \"{version}\"\n"
            f"announced: {announced.isoformat()}\neffective: {effective.isoformat()}\n")


def _layout(clauses: int) -> list[tuple[str, str]]:
    """(relative path, id): sections of ten (an _index.md and nine items)."""
    out: list[tuple[str, str]] = []
    for s in range(1, clauses // 10 + 1):
        out.append((f"{s:02d}-section/_index.md", f"c{s}"))
        out += [(f"{s:02d}-section/{i:02d}-item.md", f"c{s}-{i}") for i in range(1, 10)]
    return out[:clauses]


def _data(text: str) -> bytes:
    raw = text.encode("utf-8")
    return b"data %d\n" % len(raw) + raw + b"\n"


def _commit(stream: bytearray, mark: int, when: dt.datetime, message: str,
            ref: str = "refs/heads/main", parent: int | None = None) -> None:
    stamp = f"{int(when.timestamp())} +0800"
    stream += f"commit {ref}\nmark :{mark}\n".encode()
    stream += f"author Bench <b@example.com> {stamp}\n".encode()
    stream += f"committer Bench <b@example.com> {stamp}\n".encode()
    stream += _data(message)
    if parent is not None:
        stream += b"from :%d\n" % parent


def today(commits: int) -> dt.date:
    """The day the feature branch is reviewed: the day after the last commit."""
    return (START + dt.timedelta(days=commits)).date()


def build(root: Path, documents: int = 300, clauses: int = 100, commits: int = 1000,
          seed: int = 7) -> dict[str, str]:
    """Write the repository at ``root``; return facts the benchmarks use."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env=ENV)
    rng = random.Random(seed)
    layout = _layout(clauses)
    texts = {(d, rel): synthetic.clause_text(cid, rng)
             for d in range(documents) for rel, cid in layout}
    owner = [rng.randrange(documents) for _ in range(commits)]  # commit -> document edited
    # Each document's edits are split into two releases; a release starts at its first
    # edit and is announced the day of its last one.
    plans: dict[int, dict[int, tuple[int, int]]] = {}  # commit -> {doc: (version, last)}
    for d in range(documents):
        mine = [n for n in range(1, commits) if owner[n] == d]
        halves = [mine[: len(mine) // 2], mine[len(mine) // 2:]]
        for k, half in enumerate(halves):
            if half:
                plans.setdefault(half[0], {})[d] = (k + 2, half[-1])
    stream = bytearray()
    first = START.date()
    _commit(stream, 1, START, "add the catalogue")
    for d in range(documents):
        stream += f"M 100644 inline {doc_dir(d)}/document.yaml\n".encode()
        stream += _data(_manifest(d, 1, first - dt.timedelta(days=40),
                                  first - dt.timedelta(days=10)))
        for rel, _cid in layout:
            stream += f"M 100644 inline {doc_dir(d)}/{rel}\n".encode() + _data(texts[d, rel])
    stream += b"\n"
    for n in range(1, commits):
        when = START + dt.timedelta(days=n)
        d = owner[n]
        _commit(stream, n + 1, when, f"edit p{d:04d}", parent=n)
        for version, last in plans.get(n, {}).values():
            announced = (START + dt.timedelta(days=last)).date()
            stream += f"M 100644 inline {doc_dir(d)}/document.yaml\n".encode()
            stream += _data(_manifest(d, version, announced,
                                      announced + dt.timedelta(days=30)))
        for rel, cid in rng.sample([x for x in layout if x[0].endswith("-item.md")], 3):
            texts[d, rel] = synthetic.clause_text(cid, rng)
            stream += f"M 100644 inline {doc_dir(d)}/{rel}\n".encode() + _data(texts[d, rel])
        stream += b"\n"
    # the pull request: three clauses of one document and its new release
    d = owner[commits - 1]
    day = today(commits)
    _commit(stream, commits + 1, START + dt.timedelta(days=commits), f"amend p{d:04d}",
            ref="refs/heads/feature", parent=commits)
    stream += f"M 100644 inline {doc_dir(d)}/document.yaml\n".encode()
    stream += _data(_manifest(d, 9, day, day + dt.timedelta(days=30)))
    for rel, cid in rng.sample([x for x in layout if x[0].endswith("-item.md")], 3):
        stream += f"M 100644 inline {doc_dir(d)}/{rel}\n".encode()
        stream += _data(synthetic.clause_text(cid, rng))
    stream += b"\n"
    subprocess.run(["git", "fast-import", "--quiet"], input=bytes(stream), cwd=root,
                   check=True, env=ENV)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=root, check=True, env=ENV)
    return {"today": day.isoformat(), "feature_document": doc_dir(d),
            "one_document": doc_dir(0)}


if __name__ == "__main__":
    target = Path(sys.argv[1])
    sizes = [int(x) for x in sys.argv[2:5]] if len(sys.argv) > 2 else []
    print(build(target, *sizes))
