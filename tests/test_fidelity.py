"""The Chinese text in terms/ is the seed's Terms of Service, word for word."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from conftest import SEED, TOS
from termstool.cli.app import app

# The page artefacts that the PDF-to-text extraction left inside the body (seed lines 111-489).
PAGE_ARTEFACTS = {
    "1.API 网关 服务条款",
    "相关协议·API 网关 服务条款 API 网关",
    "API 网关 相关协议·API 网关 服务条款",
}
# Extraction errors fixed in the data, and only these.
EXTRACTION_FIXES = {"API Gat eway": "API Gateway"}
NUMBER = re.compile(r"^\s*\d+(?:[.．]\d+)*[.．]?\s*")


def seed_body() -> str:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith("本服务条款是阿里云计算有限公司"))
    end = next(i for i, ln in enumerate(lines) if ln.startswith("11.3 "))
    body = lines[start: end + 2]
    assert body[-1].endswith("法律适用及争议解决条款。")
    kept = [ln for ln in body if ln.strip() not in PAGE_ARTEFACTS]
    assert len(body) - len(kept) == 4
    text = "\n".join(NUMBER.sub("", ln) for ln in kept)
    for wrong, right in EXTRACTION_FIXES.items():
        text = text.replace(wrong, right)
    return re.sub(r"\s+", "", text)


def rendered_chinese() -> str:
    result = CliRunner().invoke(app, ["render", str(TOS), "--lang", "zh", "--format", "text"])
    assert result.exit_code == 0, result.output
    body = result.output.split("=" * 60, 1)[1]
    text = "\n".join(NUMBER.sub("", ln) for ln in body.split("\n"))
    return re.sub(r"\s+", "", text)


def test_rendered_chinese_equals_the_seed_terms_of_service() -> None:
    expected, actual = seed_body(), rendered_chinese()
    if expected != actual:
        at = next(i for i, (a, b) in enumerate(zip(expected, actual, strict=False)) if a != b)
        raise AssertionError(f"differs at {at}: seed …{expected[at - 20: at + 20]}… "
                             f"rendered …{actual[at - 20: at + 20]}…")
    assert len(actual) > 9000


def test_seed_copy_is_kept_as_provenance() -> None:
    assert SEED.is_file() and "文档版本：20210701" in SEED.read_text(encoding="utf-8")
    assert Path(TOS, "document.yaml").is_file()
