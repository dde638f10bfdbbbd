"""`handbill glossary check|suggest|convert`: keep the movement-terms glossary healthy."""

from __future__ import annotations

from pathlib import Path

import click

from .. import api


@click.group()
def glossary() -> None:
    """Check, extend and convert glossary files (glossaries/<src>-<tgt>.csv or .tbx)."""


@glossary.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(file: Path) -> None:
    """List every problem in FILE as file:line (duplicates, conflicts, empty targets, bad values,
    spreadsheet-formula cells). Exit 4 when there is any."""
    result = api.glossary_check(file)
    for line in result.problems:
        click.echo(line)
    error = result.error()
    if error is not None:
        raise error
    click.echo(result.line())


@glossary.command()
@click.argument("leaflet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--to", "target", default="es", show_default=True, help="Target language of the glossary to compare.")
@click.option("--glossaries", type=click.Path(path_type=Path), default=None, help="Glossary folder or file.")
@click.option("--top", default=20, show_default=True, help="How many candidates to list.")
def suggest(leaflet: Path, target: str, glossaries: Path | None, top: int) -> None:
    """List frequent multi-word phrases in LEAFLET that the glossary does not cover yet, for a reviewer."""
    for line in api.glossary_suggest(leaflet, target, glossaries, top).lines():
        click.echo(line)


@glossary.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
def convert(source: Path, dest: Path) -> None:
    """Convert a glossary between CSV and TBX (by file suffix), losing nothing; DEST's name gives the pair
    for TBX, e.g. en-es.tbx."""
    click.echo(str(api.glossary_convert(source, dest).path))


command = glossary
