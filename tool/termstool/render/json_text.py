"""Data as indented UTF-8 JSON text: the JSON output of `terms check`, `log` and `outline`.

Chinese stays readable (no ``\\u`` escapes). The redline has its own JSON writer
(:mod:`termstool.render.redline_json`), with a documented schema.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from termstool.model.problems import Problem


def json_text(data: Mapping[str, object]) -> str:
    """``data`` as indented JSON, ending with a newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def problems_json(problems: Sequence[Problem]) -> str:
    """``{"ok": …, "problems": [...]}``: ok is false when a problem blocks."""
    return json_text({"ok": not any(p.blocking for p in problems),
                      "problems": [p.as_json() for p in problems]})
