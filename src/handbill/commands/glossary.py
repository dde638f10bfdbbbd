"""`handbill glossary …` commands."""

from __future__ import annotations

import click


@click.group()
def glossary() -> None:
    """(being built)"""
