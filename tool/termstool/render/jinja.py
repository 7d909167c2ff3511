"""The Jinja2 environment every HTML output shares: templates in ``render/templates``,
autoescaping always on, so text from the repository can never become markup."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment for every HTML output (one per process)."""
    return Environment(loader=PackageLoader("termstool.render", "templates"),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       trim_blocks=True, lstrip_blocks=True)
