"""Round-trip editing of a YAML mapping: change a few keys, keep everything else as written.

Built on ruamel.yaml's round-trip mode, which keeps comments, key order, quoting and
block (``>`` and ``|``) values. What ruamel does not know is which comments belong to
which key: it stores a comment with the value printed *before* it. This module adds
that, so a key can be replaced, inserted or removed together with the comment lines
written directly above it (no blank line between), while comments set apart by a blank
line, the file's leading comment and end-of-line comments stay where they are.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, MarkedYAMLError, YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

_KEY_ONLY = re.compile(r"^( *)[^\s#-][^#]*:\s*(#.*)?$")
_SEQUENCE_ITEM = re.compile(r"^( *)- +\S")

# ruamel keeps a comment token in a slot of the ``ca.items`` entry of the node printed
# before it: slot 2 after a mapping value, slot 0 after a sequence item, and slot 1 (a
# list of tokens) before a key that follows a flow collection such as [zh, en].
_AFTER_VALUE, _AFTER_ITEM, _BEFORE_KEY = 2, 0, 1


class YamlEditError(ValueError):
    """The text cannot be edited as YAML; ``line`` (1-based) says where, when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class YamlDocument:
    """A YAML text whose top level is a mapping, loaded for round-trip editing."""

    def __init__(self, text: str) -> None:
        """Load ``text``; :class:`YamlEditError` when it is not YAML or not a mapping
        (the round-trip loader is stricter than a plain one: it refuses duplicate keys)."""
        self._yaml = YAML(typ="rt")
        self._yaml.preserve_quotes = True
        self._yaml.width = 1 << 16  # never re-wrap a value that was on one line
        mapping, sequence, offset = _indentation(text)
        self._yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        self._yaml.explicit_start = text.lstrip("\ufeff").startswith("---")
        try:
            data = self._yaml.load(text)
        except YAMLError as exc:
            mark = exc.problem_mark if isinstance(exc, MarkedYAMLError) else None
            problem = exc.problem if isinstance(exc, MarkedYAMLError) else None
            raise YamlEditError(f"cannot be edited as YAML: {problem or exc}",
                                mark.line + 1 if mark is not None else None) from exc
        if not isinstance(data, CommentedMap):
            raise YamlEditError("the top level is not a mapping of keys", 1)
        self.data: CommentedMap = data

    def text(self) -> str:
        """The document as YAML text."""
        out = io.StringIO()
        self._yaml.dump(self.data, out)
        return out.getvalue()

    def get(self, key: str) -> Any:
        """The value of ``key`` (None when absent)."""
        return self.data.get(key)

    def set(self, key: str, value: Any, *, after: str | None = None,
            comment: str | None = None) -> None:
        """Set ``key`` to ``value``: in place when it exists, else directly after the key
        ``after`` (when present) or at the end. Comments directly above ``key`` are
        removed with its old value: they described it. ``comment`` is written at the end
        of the key's line (a key that already has one keeps its own)."""
        self._set(key, value, after)
        if comment is None:
            return
        slot = (self.data.ca.items, key, _AFTER_VALUE)
        token = _slot_token(slot)
        if token is not None and token.column > 0:
            return
        # Two spaces after the value, as people write them; the comments that follow the
        # key's line (above the next key) stay after it.
        shown = {True: "true", False: "false"}.get(value, value) \
            if isinstance(value, bool) else value
        rest = _head(token.value, False)[1] if token is not None else ""
        _set_slot(slot, f"# {comment}\n{rest}", len(f"{key}: {shown}") + 2)

    def _set(self, key: str, value: Any, after: str | None) -> None:
        if key in self.data:
            self.drop_comment_above(key)
            old = self.data[key]
            self.data[key] = value
            if _ends_line(old):
                _keep_comment_clear(self.data, key, len(str(value)) - len(str(old)))
            else:
                _after_block_value(self.data, key)
            return
        if after is None or after not in self.data:
            self.data[key] = value
            return
        position = list(self.data).index(after) + 1
        following = _split_tail(self.data, after)
        self.data.insert(position, key, value)
        if following:
            _put_tail(self.data, key, "\n" + following)

    def delete(self, key: str) -> None:
        """Remove ``key``, its value and the comments directly above it; comments that
        followed it (above the next key, or at the end) move up to the key before."""
        if key not in self.data:
            return
        self.drop_comment_above(key)
        following = _split_tail(self.data, key)
        keys = list(self.data)
        index = keys.index(key)
        del self.data[key]
        self.data.ca.items.pop(key, None)
        if not following:
            return
        if index == 0:  # they go above the key that is now first
            if self.data:
                entry = self.data.ca.items.setdefault(keys[1], [None, None, None, None])
                entry[_BEFORE_KEY] = [CommentToken(following, CommentMark(0)),
                                      *(entry[_BEFORE_KEY] or [])]
            return
        slot, line_value = _tail_slot(self.data, keys[index - 1])
        token = _slot_token(slot)
        text = token.value if token is not None else "\n" if line_value else ""
        _set_slot(slot, text + following, token.column if token is not None else 0)

    def drop_comment_above(self, key: str) -> None:
        """Remove the comment lines written directly above ``key`` (none when a blank
        line sets them apart; never the file's leading comment)."""
        keys = list(self.data)
        index = keys.index(key)
        entry = self.data.ca.items.get(key)
        if entry is not None and entry[_BEFORE_KEY]:
            kept = _without_attached("".join(t.value for t in entry[_BEFORE_KEY]), False)
            entry[_BEFORE_KEY] = [CommentToken(kept, CommentMark(0))] if kept.strip("\n") \
                else None
            return
        if index == 0:
            return
        slot, line_value = _tail_slot(self.data, keys[index - 1])
        token = _slot_token(slot)
        if token is None:
            return
        kept = _without_attached(token.value, token.column > 0, line_value)
        _set_slot(slot, kept, token.column)


def double_quoted(text: str) -> DoubleQuotedScalarString:
    """A string written in double quotes."""
    value: DoubleQuotedScalarString = DoubleQuotedScalarString(text)
    return value


def quoted_like(old: object, text: str, *, plain: bool = True) -> object:
    """``text`` quoted as ``old`` was: in single or double quotes, or else plain (in
    double quotes when ``plain`` is False)."""
    if isinstance(old, SingleQuotedScalarString):
        return SingleQuotedScalarString(text)
    if isinstance(old, DoubleQuotedScalarString) or not plain:
        return DoubleQuotedScalarString(text)
    return text


# ------------------------------------------------------------------------------ helpers

Slot = tuple[dict[Any, Any], Any, int]


def _indentation(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) as the text writes them, so that
    the nested values ruamel re-emits keep their layout (default 2, 2, 0)."""
    mapping = sequence = offset = None
    parent: int | None = None  # the indent of the last "key:" line with no value
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        item = _SEQUENCE_ITEM.match(line)
        if parent is not None and indent > parent:
            if item and sequence is None:
                offset = indent - parent
                content = len(line) - len(line[indent + 1:].lstrip(" "))
                sequence = content - parent
            elif not item and mapping is None:
                mapping = indent - parent
        parent = indent if _KEY_ONLY.match(line) else None
    return mapping or 2, sequence or 2, offset or 0


def _ends_line(value: object) -> bool:
    """True for a value whose text ends on its key's line (not a block or a collection)."""
    if isinstance(value, (FoldedScalarString, LiteralScalarString)):
        return False
    return not isinstance(value, (CommentedMap, CommentedSeq))


def _keep_comment_clear(mapping: CommentedMap, key: str, growth: int) -> None:
    """Move an end-of-line comment right by as much as the value grew, so it keeps its
    distance from the value (ruamel would leave a single space)."""
    slot = (mapping.ca.items, key, _AFTER_VALUE)
    token = _slot_token(slot)
    if token is not None and token.column > 0 and growth > 0:
        _set_slot(slot, token.value, token.column + growth)


def _after_block_value(mapping: CommentedMap, key: str) -> None:
    """A block value ends with its own line break, so the comment token after it starts
    on a new line; after a one-line value the token must begin with that line break."""
    slot = (mapping.ca.items, key, _AFTER_VALUE)
    token = _slot_token(slot)
    if token is not None and token.column == 0:
        _set_slot(slot, "\n" + token.value)


def _tail_slot(node: Any, key: Any) -> tuple[Slot, bool]:
    """Where ruamel keeps the comments printed after ``node[key]`` (the slot of the last
    scalar inside it, for a block mapping or sequence), and whether that scalar ends on
    its own line (a block scalar ends with its line break, so a comment token after it
    does not start with one)."""
    value = node[key]
    if isinstance(value, CommentedMap) and value and not value.fa.flow_style():
        return _tail_slot(value, list(value)[-1])
    if isinstance(value, CommentedSeq) and value and not value.fa.flow_style():
        last = len(value) - 1
        item = value[last]
        if isinstance(item, (CommentedMap, CommentedSeq)) and item \
                and not item.fa.flow_style():
            return _tail_slot(value, last)
        return (value.ca.items, last, _AFTER_ITEM), _ends_line(item)
    return (node.ca.items, key, _AFTER_VALUE), _ends_line(value)


def _slot_token(slot: Slot) -> CommentToken | None:
    items, key, position = slot
    entry = items.get(key)
    token = entry[position] if entry is not None else None
    return token if isinstance(token, CommentToken) else None


def _set_slot(slot: Slot, text: str, column: int = 0) -> None:
    items, key, position = slot
    entry = items.setdefault(key, [None, None, None, None])
    entry[position] = CommentToken(text, CommentMark(column)) if text.strip("\n") else None


def _split_tail(mapping: CommentedMap, key: str) -> str:
    """Take the full-line comments (and blank lines) printed after ``mapping[key]`` away
    from it, leaving its end-of-line comment; return them without a leading line break."""
    slot, line_value = _tail_slot(mapping, key)
    token = _slot_token(slot)
    if token is None:
        return ""
    head, rest = _head(token.value, token.column > 0, line_value)
    _set_slot(slot, head, token.column)
    return rest


def _put_tail(mapping: CommentedMap, key: str, text: str) -> None:
    _set_slot(_tail_slot(mapping, key)[0], text)


def _head(text: str, inline: bool, line_value: bool = True) -> tuple[str, str]:
    """(the end of the value's own line, with its end-of-line comment; the lines after).
    After a block value the line has already ended: a leading line break is a blank line."""
    if inline or (line_value and text.startswith("\n")):
        cut = text.find("\n") + 1
        return text[:cut], text[cut:]
    return "", text


def _without_attached(text: str, inline: bool, line_value: bool = True) -> str:
    """A comment token's text without its last comment lines, those directly above the
    next key (a blank line ends them)."""
    head, rest = _head(text, inline, line_value)
    lines = rest.splitlines(keepends=True)
    while lines and lines[-1].lstrip().startswith("#"):
        lines.pop()
    return head + "".join(lines)

