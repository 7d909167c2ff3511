"""The seed imports exactly as it always has: every file it creates, byte for byte.

The golden file lists each clause (number, id, title) and the SHA-256 of every file the
import writes, document.yaml included, so any change in how the seed is parsed shows.
"""

from __future__ import annotations

import hashlib

from conftest import GOLDEN, SEED, GitRepo, check_golden, run_cli
from termstool.format.loader import load_documents
from termstool.storage.working_tree import working_tree

INTO = "terms/api-gateway/terms-of-service"


def test_the_seed_imports_to_its_golden_outline_and_files(repo: GitRepo) -> None:
    code, _out, err = run_cli("import", str(SEED), "--into", INTO)
    assert code == 0, err
    document = load_documents(working_tree(repo.root), INTO).documents[0]
    lines = [f"{c.number or '-'}\t{c.id}\t{c.title.get('zh')}" for c in document.walk()]
    root = repo.root / INTO
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {path.relative_to(root).as_posix()}")
    check_golden(GOLDEN / "import" / "seed-outline.txt", "\n".join(lines) + "\n")
