"""Synthetic bilingual documents of N clauses, for benchmarks.

``make_document(root, n)`` writes a document of ``n`` clauses (about 150 Chinese
characters and 40 English words each, three levels deep) under ``root``;
``mutate(root, fraction)`` edits, inserts and removes a share of the clauses the way
a real release does.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

from termstool.format.clause_file import format_clause_file
from termstool.model.document import Texts

HAN = ("阿里云服务条款您应按照页面提示及本约定支付相应费用对自己存放在平台上的数据以及进入和管理各类产品"
       "与口令密码完整性保密性负责因维护不当或致使上述丢失泄漏所引起一切损失后果均由自行承担")
WORDS = ["you", "shall", "pay", "the", "fees", "for", "the", "services", "according", "to", "these", "terms", "and", "be", "responsible", "for", "the", "integrity", "and", "confidentiality", "of", "your", "data", "passwords", "and", "accounts", "on", "the", "platform", "any", "loss", "caused", "by", "improper", "maintenance", "shall", "be", "borne", "by", "you"]
DOC_DIR = "terms/synthetic"
# terms is measured as its users run it: its modules' bytecode cached after the first run
# (pip's install and any run write it). A shell's PYTHONDONTWRITEBYTECODE would make every
# timed run compile the whole program from source first.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
# git for a benchmark's repository: no user or system configuration, a fixed author.
GIT_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
           "LC_ALL": "C"}
TERMS = str(Path(sys.executable).with_name("terms"))  # the command of this environment


def git(root: Path, *args: str) -> None:
    """Run git in a benchmark's repository (see ``GIT_ENV``); its output is dropped."""
    subprocess.run(["git", *args], cwd=root, env=GIT_ENV, check=True, capture_output=True)


def _zh(rng: random.Random, n: int = 150) -> str:
    text = "".join(rng.choice(HAN) for _ in range(n))
    return "，".join(text[i:i + 25] for i in range(0, len(text), 25)) + "。"


def _en(rng: random.Random, n: int = 40) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def manifest(version: str = "1", announced: str = "2021-06-01",
             effective: str = "2021-07-01") -> str:
    """A document.yaml for the synthetic document."""
    return ("id: synthetic\ntitle:\n  zh: 合成条款\n  en: Synthetic Terms\nlanguages: [zh, en]\n"
            "authoritative: zh\nnotice_days: 30\ntimezone: Asia/Shanghai\n"
            f'version: "{version}"\nannounced: {announced}\neffective: {effective}\n')


def layout(n: int) -> list[tuple[str, str]]:
    """(relative path, clause id) for n clauses: 10 sections of sub-clauses of items."""
    out: list[tuple[str, str]] = []
    sections = max(1, n // 100)
    per_section = max(1, (n - sections) // sections)
    count = 0
    for s in range(1, sections + 1):
        if count >= n:
            break
        out.append((f"{s:03d}-section/_index.md", f"c{s}"))
        count += 1
        groups = max(1, per_section // 10)
        for g in range(1, groups + 1):
            if count >= n:
                break
            out.append((f"{s:03d}-section/{g:03d}-group/_index.md", f"c{s}-{g}"))
            count += 1
            for i in range(1, 10):
                if count >= n:
                    break
                out.append((f"{s:03d}-section/{g:03d}-group/{i:03d}-item.md", f"c{s}-{g}-{i}"))
                count += 1
    while count < n:  # top up with flat clauses
        out.append((f"999-extra/{count:05d}-item.md", f"x{count}"))
        count += 1
    if any(p.startswith("999-extra/") for p, _ in out):
        out.append(("999-extra/_index.md", "extra"))
    return out


def clause_text(cid: str, rng: random.Random) -> str:
    """One synthetic clause file."""
    return format_clause_file(cid, Texts(), Texts((("zh", _zh(rng)), ("en", _en(rng)))))


def make_document(root: Path, n: int, seed: int = 0) -> list[Path]:
    """Write a document of ``n`` clauses under ``root/terms/synthetic``; return the files."""
    rng = random.Random(seed)
    base = root / DOC_DIR
    base.mkdir(parents=True, exist_ok=True)
    (base / "document.yaml").write_text(manifest(), encoding="utf-8")
    files = []
    for rel, cid in layout(n):
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(clause_text(cid, rng), encoding="utf-8")
        files.append(path)
    return files


def mutate(root: Path, fraction: float, seed: int = 1) -> int:
    """Rewrite part of the Chinese and English of ``fraction`` of the leaf clauses."""
    rng = random.Random(seed)
    base = root / DOC_DIR
    leaves = sorted(p for p in base.rglob("*-item.md"))
    chosen = rng.sample(leaves, max(1, int(len(leaves) * fraction)))
    for path in chosen:
        text = path.read_text(encoding="utf-8")
        zh_start = text.index("<!-- zh -->\n") + len("<!-- zh -->\n")
        cut = zh_start + 30
        text = text[:cut] + "修改" + text[cut + 5:]
        text = text.replace(" the ", " such ", 2)
        path.write_text(text, encoding="utf-8")
    return len(chosen)


def numbered_source(n: int, seed: int = 0) -> str:
    """A numbered plain-text terms document of ``n`` clauses, as ``terms import`` reads it:
    sections of 100 clauses with a title, groups of ten and items, each group and item
    about 150 Chinese characters."""
    rng = random.Random(seed)
    lines = ["文档版本：20210701", ""]
    count, section = 0, 0
    while count < n:
        section += 1
        lines += [f"{section}. 第{section}部分", ""]
        count += 1
        for group in range(1, 11):
            for item in range(10):
                if count >= n:
                    break
                number = f"{section}.{group}" + (f".{item}" if item else "")
                lines += [f"{number} {_zh(rng)}", ""]
                count += 1
    return "\n".join(lines)


def edit_source(text: str, seed: int = 1) -> str:
    """Every clause's text edited a little (two characters replaced), as a release that
    touches every clause does: no clause keeps its exact text."""
    rng = random.Random(seed)
    out: list[str] = []
    for line in text.split("\n"):
        number, _, body = line.partition(" ")
        if body and number[:1].isdigit() and not body.startswith("第"):
            at = rng.randrange(10, max(11, len(body) - 10))
            body = body[:at] + "修订" + body[at + 2:]
            line = f"{number} {body}"
        out.append(line)
    return "\n".join(out)
