"""A six-part amendment of this repository's Terms of Service, made by clause number.

Change 3.2.11, insert a clause between 6.1 and 6.2, delete 3.2.10, move 6.6 into
section 11, fix a typo, add a cross-reference: the structure is changed with `terms
clause` only, and the texts are edited in the files `terms clause show` names. Nobody
types a file name or an id.
"""

from __future__ import annotations

import json
import shutil

from conftest import TERMS, GitRepo, run_cli, run_terms

TOS = "terms/api-gateway/terms-of-service"


def terms(*args: str) -> str:
    code, out = run_terms(*args)
    assert code == 0, f"terms {' '.join(args)}\n{out}"
    return out


def check_is_clean() -> None:
    code, out, _ = run_cli("check", "--format", "json")
    assert code == 0, out
    assert [p for p in json.loads(out)["problems"] if p["severity"] == "error"] == []


def edit(repo: GitRepo, address: str, *replacements: tuple[str, str]) -> None:
    """Edit the text of a clause in the file `terms clause show` names."""
    shown = json.loads(terms("clause", "show", address, "--format", "json"))
    path = repo.root / shown["file"]
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, (address, old)
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def test_six_part_amendment_by_clause_number(repo: GitRepo) -> None:
    shutil.copytree(TERMS, repo.root / "terms")
    repo.commit(message="The terms of 20210701", when="2021-05-20T10:00:00+08:00")
    terms("release", "20211101", "--announced", "2021-10-01", "--today", "2021-10-01", "--effective", "2021-11-01",
          TOS)

    # The structure, by the numbers of the amendment (which are today's numbers): 6.6 is
    # moved first, so that the insertion after 6.1 does not renumber it first.
    out = terms("clause", "move", "6.6", "--under", "11")
    assert "moved 6.6 → 11.4 s6-6" in " ".join(out.split())
    check_is_clean()
    out = terms("clause", "add", "--after", "6.1",
                "--zh", "双方应采取合理措施保管保密信息，防止其被泄露。",
                "--en", "Both parties shall take reasonable measures to keep Confidential "
                "Information safe from disclosure.")
    assert "added clause 6.2 (id s6-2-v2)" in out  # s6-2 is taken: a fresh id
    assert "renumbered 6.2 → 6.3 s6-2" in " ".join(out.split())
    check_is_clean()
    out = terms("clause", "remove", "3.2.10")
    assert "renumbered 3.2.11 → 3.2.10 s3-2-11" in " ".join(out.split())
    check_is_clean()

    # The texts. 3.2.11 is now 3.2.10; it keeps its id, s3-2-11.
    edit(repo, "s3-2-11", ("提前30天", "提前45天"), ("30 days in advance", "45 days in advance"))
    edit(repo, "3.1.8.6", ("BANNER链接等）:", "BANNER链接等）："))  # a half-width colon
    link = json.loads(terms("clause", "show", "6", "--format", "json"))["link"]
    assert link == "[6](#s6)"
    edit(repo, "11.4", ("本保密条款不因", f"第{link}条保密条款不因"),
         ("This confidentiality clause shall", f"The confidentiality clause of Section {link} "
          "shall"))
    check_is_clean()

    code, out, _ = run_cli("diff", "--format", "json")
    assert code == 0
    documents = {d["id"]: d for d in json.loads(out)["documents"]}
    assert not documents["api-gateway-sla"]["changes"]
    tos = documents["api-gateway-terms-of-service"]
    changes = [(c["kind"], c["class"], c["number_from"], c["number_to"], c["id"])
               for c in tos["changes"] if c["kind"] != "renumbered"]
    assert sorted(changes) == sorted([
        ("modified", "substantive", "3.2.11", "3.2.10", "s3-2-11"),
        ("added", "substantive", None, "6.2", "s6-2-v2"),
        ("removed", "substantive", "3.2.10", None, "s3-2-10"),
        ("moved", "substantive", "6.6", "11.4", "s6-6"),
        ("modified", "editorial", "3.1.8.6", "3.1.8.6", "s3-1-8-6"),
    ])
    renumbered = {c["id"]: (c["number_from"], c["number_to"]) for c in tos["changes"]
                  if c["kind"] == "renumbered"}
    assert renumbered == {"s6-2": ("6.2", "6.3"), "s6-3": ("6.3", "6.4"),
                          "s6-4": ("6.4", "6.5"), "s6-5": ("6.5", "6.6"),
                          **{f"s6-4-{n}": (f"6.4.{n}", f"6.5.{n}") for n in range(1, 8)}}
    assert all(c["class"] is None for c in tos["changes"] if c["kind"] == "renumbered")
    assert tos["summary"] == {"added": 1, "removed": 1, "modified": 2, "renumbered": 11,
                              "moved": 1, "renamed": 0, "reference": 0}

    status = repo.git("status", "--porcelain").splitlines()
    renames = [line for line in status if line.startswith("R")]
    assert (f"R  {TOS}/06-confidentiality-clause/06-this-confidentiality-clause-shall-not.md"
            f" -> {TOS}/11-miscellaneous/04-this-confidentiality-clause-shall-not.md") in \
        [line.replace("RM", "R ") for line in renames]
    assert (f"R  {TOS}/06-confidentiality-clause/02-both-parties-shall-take-appropriate.md -> "
            f"{TOS}/06-confidentiality-clause/03-both-parties-shall-take-appropriate.md") \
        in renames
    assert any(line.startswith("RM ") and line.endswith("/10-if-contents-these-terms-change.md")
               for line in renames)  # renamed by the removal, then edited
    assert len(renames) == 13
    assert f"A  {TOS}/06-confidentiality-clause/02-both-parties-shall-take-reasonable.md" \
        in status
    assert any(line.startswith("D ") and "10-provided-that" in line for line in status)
