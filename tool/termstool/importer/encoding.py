"""The encoding of a plain-text source: UTF-8, GB18030 or Big5, found from its bytes.

Chinese terms saved on Windows are often GB18030 (mainland) or Big5 (Taiwan, Hong Kong)
rather than UTF-8. UTF-8 is tried first: it is strict, so text in another encoding
almost never decodes as UTF-8 by chance. GB18030 and Big5 overlap, and a text in one
often decodes in the other too, as nonsense. Of those that decode, the one whose Han
characters are the common ones wins: the first-level characters of GB2312 (the 3,755
most used simplified characters) or of Big5 (the 5,401 most used traditional ones).
Real text is almost all common characters; a mis-decoded one is not.
"""

from __future__ import annotations

import codecs
from functools import lru_cache

from termstool.errors import UnreadableInput

UTF8, GB18030, BIG5, UTF16 = "UTF-8", "GB18030", "Big5", "UTF-16"
_CODECS = {GB18030: "gb18030", BIG5: "big5"}


def decode_source(data: bytes, file: str) -> tuple[str, str]:
    """The text of a source file and the name of its encoding; ``UnreadableInput`` if none fits."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _lines(data.decode("utf-16")), UTF16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise UnreadableInput("binary file (NUL byte); terms import reads plain text (UTF-8, "
                              "GB18030 or Big5), Markdown, HTML or Word (.docx)",
                              file=file, line=line)
    try:
        return _lines(data.decode("utf-8-sig")), UTF8
    except UnicodeDecodeError as exc:
        first_error = exc
    candidates: list[tuple[float, int, str, str]] = []
    for order, (name, codec) in enumerate(_CODECS.items()):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        candidates.append((_common_share(text), -order, name, text))
    if not candidates:
        line = data[: first_error.start].count(b"\n") + 1
        raise UnreadableInput(f"not UTF-8, GB18030 or Big5 text (byte "
                              f"0x{data[first_error.start]:02x} at offset {first_error.start}); "
                              "save it as UTF-8", file=file, line=line)
    _share, _order, name, text = max(candidates)
    return _lines(text), name


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _common_share(text: str) -> float:
    """The share of the Han characters in ``text`` that are common ones (see the module)."""
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return 0.0
    return sum(1 for ch in han if _is_common(ch)) / len(han)


@lru_cache(maxsize=8192)
def _is_common(char: str) -> bool:
    try:
        gb = char.encode("gb2312")
        if 0xB0 <= gb[0] <= 0xD7:  # GB2312 level 1
            return True
    except UnicodeEncodeError:
        pass
    try:
        big5 = char.encode("big5")
        return 0xA440 <= int.from_bytes(big5, "big") <= 0xC67E  # Big5 常用字
    except UnicodeEncodeError:
        return False
