"""The command line: typer commands that parse, call the core, print and exit."""
