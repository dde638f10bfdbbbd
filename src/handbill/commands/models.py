"""`handbill models …` commands."""

from __future__ import annotations

import click


@click.group()
def models() -> None:
    """(being built)"""
