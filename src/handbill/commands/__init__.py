"""Subcommand groups of the `handbill` CLI, one module each; cli.py registers them."""
