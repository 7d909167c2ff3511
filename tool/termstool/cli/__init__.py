"""The command line: typer commands that parse, call one use case, print and exit.

One ``*_cmd.py`` per command, the terminal views (rich) in ``*_view.py``, and every
command's output formats in ``outputs.py``."""
