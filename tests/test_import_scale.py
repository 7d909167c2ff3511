"""`terms import` re-matching stays about linear: each source clause is diffed against a
few likely existing clauses, never against all of them."""

from __future__ import annotations

import json
import random

import pytest

from conftest import GitRepo, run_cli
from termstool.importer import text_source

HAN = "阿里云服务条款您应按照页面提示及本约定支付相应费用对自己存放在平台上的数据以及进入和管理各类产品负责"


def numbered(count: int, seed: int = 0) -> list[tuple[str, str]]:
    """(number, text) of ``count`` clauses: sections of ten sub-clauses."""
    rng = random.Random(seed)
    out = []
    for index in range(count):
        section, item = divmod(index, 10)
        text = "，".join("".join(rng.choice(HAN) for _ in range(24)) for _ in range(5)) + "。"
        out.append((f"{section + 1}" if item == 0 else f"{section + 1}.{item}", text))
    return out


def source(clauses: list[tuple[str, str]]) -> str:
    return "".join(f"{number}. {text}\n\n" for number, text in clauses)


def ids(repo: GitRepo) -> dict[str, str]:
    code, out, _err = run_cli("outline", "terms/doc", "--format", "json")
    assert code == 0
    return {c["number"]: c["id"] for c in json.loads(out)["documents"][0]["clauses"]}


def test_reimporting_with_every_text_changed_diffs_a_few_candidates_per_clause(
        repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    clauses = numbered(150)
    (repo.root / "v1.txt").write_text(source(clauses), encoding="utf-8")
    assert run_cli("import", "v1.txt", "--into", "terms/doc", "--version", "1",
                   "--effective", "2021-07-01")[0] == 0
    repo.commit(message="import")
    before = ids(repo)
    # every clause edited a little, and clause 1.1 moved to the end of section 1
    edited = [t[:30] + "修订" + t[32:] for _n, t in clauses]
    first = [edited[0], *edited[2:10], edited[1][:-1] + "，移到最后。"]
    renumbered = [("1" if i == 0 else f"1.{i}", t) for i, t in enumerate(first)]
    renumbered += [(n, t) for (n, _old), t in zip(clauses[10:], edited[10:], strict=True)]
    (repo.root / "v2.txt").write_text(source(renumbered), encoding="utf-8")
    real = text_source._similarity
    calls = {"n": 0}

    def counting(a: str, b: str, lang: str) -> float:
        calls["n"] += 1
        return real(a, b, lang)

    monkeypatch.setattr(text_source, "_similarity", counting)
    code, out, err = run_cli("import", "v2.txt", "--into", "terms/doc")
    assert code == 0, err
    assert calls["n"] <= 3 * len(clauses)  # a few candidates each; it was len(clauses) ** 2
    after = ids(repo)
    # the moved clause kept its id under its new number, and the others theirs
    assert after["1.9"] == before["1.1"] and after["1.1"] == before["1.2"]
    assert all(after[number] == before[number] for number in before
               if number.split(".")[0] != "1")
    assert "authoritative text changed: 150" in out and "added" not in out


def test_many_clauses_of_one_identical_text_keep_the_same_numbers_ids(repo: GitRepo) -> None:
    """Identical texts: the same number first, then document order (looked up, not
    searched)."""
    text = "本条删除，本条款的其他部分继续有效。"
    clauses = [(f"{i}", text) for i in range(1, 301)]
    (repo.root / "v1.txt").write_text(source(clauses), encoding="utf-8")
    assert run_cli("import", "v1.txt", "--into", "terms/doc", "--version", "1",
                   "--effective", "2021-07-01")[0] == 0
    repo.commit(message="import")
    (repo.root / "v2.txt").write_text(source([("1", "新的第一条，内容不同于其他各条。")] + [
        (f"{i + 1}", text) for i in range(1, 301)]), encoding="utf-8")
    code, _out, err = run_cli("import", "v2.txt", "--into", "terms/doc")
    assert code == 0, err
    after = ids(repo)
    assert all(after[f"{i}"] == f"s{i}" for i in range(2, 301))
    assert after["301"] == "s1" and after["1"] == "s1-v2"
