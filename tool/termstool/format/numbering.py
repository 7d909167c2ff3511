"""Display numbers from position: siblings sorted by file name, unnumbered clauses skipped."""

from __future__ import annotations

from collections.abc import Iterable


def child_number(parent: str, position: int) -> str:
    """The number of the ``position``-th (1-based) numbered child of ``parent``."""
    return f"{parent}.{position}" if parent else str(position)


def sort_key(name: str) -> str:
    """Siblings order by file name, a directory by its own name, a file without '.md'."""
    return name.removesuffix(".md")


def number_siblings(parent: str, numbered: Iterable[bool]) -> list[str]:
    """Numbers for a run of siblings in order; "" for an unnumbered one."""
    out: list[str] = []
    position = 0
    for flag in numbered:
        if flag:
            position += 1
            out.append(child_number(parent, position))
        else:
            out.append("")
    return out


def number_key(number: str) -> tuple[int, ...]:
    """A number such as "3.1.10" as a tuple that sorts in document order."""
    return tuple(int(part) for part in number.split(".")) if number else ()
