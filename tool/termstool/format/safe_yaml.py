"""YAML as the terms read it: no anchors or aliases, and a bounded depth.

An alias repeats the node its anchor names, so nine nested anchors in a 600-byte file
expand to a billion scalars ("billion laughs"): reading one would stall a pull request's
CI, and printing one would flood the log. Clause front matter and ``document.yaml``
never need them, so they are refused before the document is built, with the line of
the first one. Nesting deep enough to exhaust Python's recursion is refused the same way.
"""

from __future__ import annotations

import yaml

# Nesting beyond this is refused; the deepest real document.yaml (waivers) needs three.
MAX_DEPTH = 64

_OPEN = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken,
         yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)
_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


class RefusedYaml(yaml.MarkedYAMLError):
    """YAML that is well formed but not accepted (an alias, or nesting too deep)."""


def load(source: str, loader: type[yaml.BaseLoader] | type[yaml.SafeLoader]) -> object:
    """Load ``source`` with ``loader``; ``RefusedYaml`` for anchors, aliases or deep nesting.

    The token scan runs only when an ``&`` or ``*`` occurs in the text: every other
    file is loaded at full speed.
    """
    if "&" in source or "*" in source:
        _refuse_anchors(source, loader)
    try:
        return yaml.load(source, Loader=loader)
    except RecursionError:
        raise _too_deep(source, loader) from None


def _refuse_anchors(source: str, loader: type[yaml.BaseLoader] | type[yaml.SafeLoader]) -> None:
    depth = 0
    for token in yaml.scan(source, Loader=loader):
        if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
            kind = "anchor &" if isinstance(token, yaml.AnchorToken) else "alias *"
            raise RefusedYaml(problem=f"YAML {kind}{str(token.value)[:40]} is not allowed here "
                              "(anchors and aliases repeat text and can expand without "
                              "limit): write the value out", problem_mark=token.start_mark)
        depth += isinstance(token, _OPEN) - isinstance(token, _CLOSE)
        if depth > MAX_DEPTH:
            raise _deep(token.start_mark)


def _too_deep(source: str, loader: type[yaml.BaseLoader] | type[yaml.SafeLoader]
              ) -> RefusedYaml:
    """The error for a text that exhausted the recursion limit, located by a token scan."""
    depth = 0
    try:
        for token in yaml.scan(source, Loader=loader):
            depth += isinstance(token, _OPEN) - isinstance(token, _CLOSE)
            if depth > MAX_DEPTH:
                return _deep(token.start_mark)
    except yaml.YAMLError:
        pass
    return _deep(None)


def _deep(mark: yaml.Mark | None) -> RefusedYaml:
    return RefusedYaml(problem=f"nested more than {MAX_DEPTH} levels deep; the terms' YAML "
                       "needs at most a few levels", problem_mark=mark)
