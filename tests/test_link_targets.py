"""Text and terminal renders keep a link's address: a reader of plain text must be able to
follow "请参见这里" somewhere. Cross-references stay clause numbers without a target, and
an address can never carry a control sequence to the terminal."""

from __future__ import annotations

import pytest

from conftest import GitRepo, clause, manifest, run_cli

DOC = "terms/tos"
YAML = f"{DOC}/document.yaml"
URL = "https://example.com/sla?a=1&b=2"
LINKED = clause("s1", f"请参见[这里]({URL})，并见第[2](#s2)条。",
                f"Please see [here]({URL}) and clause [2](#s2).")
FEES = clause("s2", "您应支付费用。", "You shall pay the fees.")


@pytest.fixture
def linked(repo: GitRepo) -> GitRepo:
    """One release whose first clause links out and refers to the second."""
    repo.commit({YAML: manifest(), f"{DOC}/01-see.md": LINKED, f"{DOC}/02-fees.md": FEES})
    return repo


@pytest.mark.parametrize("fmt", ["text", "terminal"])
def test_text_and_terminal_keep_the_address(linked: GitRepo, fmt: str) -> None:
    code, out, err = run_cli("render", "-f", fmt, "--layout", "stacked")
    assert code == 0, err
    flat = "".join(out.split())  # the terminal may wrap a long line
    assert f"请参见这里({URL})" in flat, out
    assert f"Pleaseseehere({URL})" in flat, out
    # a cross-reference reads as a clause number, with no target
    assert "并见第2条" in flat and "#s2" not in out and "clause2." in flat, out


def test_an_autolink_is_not_written_twice(repo: GitRepo) -> None:
    repo.commit({YAML: manifest(), f"{DOC}/01-see.md": clause(
        "s1", f"见<{URL}>。", f"See <{URL}>.")})
    code, out, err = run_cli("render", "-f", "text")
    assert code == 0, err
    assert out.count(URL) == 2 and f"See {URL}." in out, out


def test_markdown_and_html_keep_real_links(linked: GitRepo) -> None:
    _code, out, _err = run_cli("render", "-f", "markdown")
    assert f"[这里]({URL})" in out and f"({URL})" not in out.replace(f"[这里]({URL})", "") \
        .replace(f"[here]({URL})", ""), out


@pytest.mark.parametrize("fmt", ["text", "terminal"])
def test_a_hostile_address_cannot_reach_the_terminal_as_control(repo: GitRepo,
                                                                fmt: str) -> None:
    hostile = "https://e.example/\x1b]8;;https://evil/\x07x\x1b[2J"
    repo.commit({YAML: manifest(), f"{DOC}/01-see.md": clause(
        "s1", f"见[这里](<{hostile}>)。", f"See [here](<{hostile}>).")})
    code, out, err = run_cli("render", "-f", fmt, "--layout", "stacked")
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out, repr(out)
    assert "https://e.example/" in out, out
