"""What a new ``document.yaml`` says when its author does not say otherwise.

These are the defaults of the ``--languages``, ``--notice-days`` and ``--timezone``
options of `terms import` and `terms new` (which prefers the documents already in the
repository), declared once here: the values of the first document kept with
this tool (a Chinese original with its English translation, 30 days of notice, dates
in China's time). Nothing else in the tool assumes them: every command reads a
document's own ``document.yaml``. This module imports nothing, so the command line can
show the defaults in ``--help`` without loading the parsers.
"""

DEFAULT_LANGUAGES = ("zh", "en")  # the authoritative language first
DEFAULT_NOTICE_DAYS = 30
DEFAULT_TIMEZONE = "Asia/Shanghai"
