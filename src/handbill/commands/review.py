"""`handbill review …` commands."""

from __future__ import annotations

import click


@click.group()
def review() -> None:
    """(being built)"""
