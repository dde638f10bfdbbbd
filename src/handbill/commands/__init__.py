"""Command groups of the `handbill` CLI, one module each defining `command` (a click group); cli.COMMANDS lists
them. Like cli.py, they only declare options, call handbill.api and print."""
