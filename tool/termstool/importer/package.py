"""The zip package of a Word file, opened only when it unpacks to a bounded size.

A .docx is a zip archive, and a zip archive of a few hundred kilobytes can unpack to
gigabytes (a "zip bomb"): reading its ``word/document.xml`` would exhaust the memory of
whoever imports or applies it. The sizes the archive declares are checked first; the
zip reader never unpacks more than a member declares.
"""

from __future__ import annotations

import io
import zipfile

from termstool.errors import UnreadableInput

# Far beyond any Word file of terms (the Terms of Service unpack to a few megabytes),
# far below what would stall a machine.
MAX_UNPACKED = 256 * 1024 * 1024


def checked_package(data: bytes, file: str) -> zipfile.ZipFile:
    """The zip archive in ``data``; ``UnreadableInput`` when it is not one, or when it
    would unpack to more than ``MAX_UNPACKED`` bytes."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UnreadableInput(f"not a Word .docx file ({exc}); save it from Word as .docx",
                              file=file) from exc
    unpacked = sum(member.file_size for member in package.infolist())
    if unpacked > MAX_UNPACKED:
        raise UnreadableInput(f"unpacks to {unpacked // (1024 * 1024):,} MiB, more than the "
                              f"{MAX_UNPACKED // (1024 * 1024)} MiB a Word file of terms can "
                              "need: not read", file=file)
    return package
