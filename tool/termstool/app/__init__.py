"""The use cases behind the commands: open the workspace once, read what git knows, call
the pure core and return data. Nothing here prints or exits; tests drive it without the CLI."""
