"""`handbill memory export|import|stats`: the translation memory exchanged with CAT tools as TMX."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import api

MEMORY = click.option(
    "--memory",
    default=None,
    metavar="FILE|URL",
    help="The memory: a SQLite file or a postgresql:// URL (default: the `memory` setting or "
    "HANDBILL_MEMORY, else output/memory.sqlite).",
)


@click.group()
def memory() -> None:
    """Exchange the translation memory with CAT tools (TMX 1.4b: OmegaT, Trados, Weblate) and count it."""


@memory.command("export")
@click.option("--format", "fmt", type=click.Choice(["tmx"]), default="tmx", show_default=True)
@click.option(
    "--out",
    "dest",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("memory.tmx"),
    show_default=True,
    help="File to write.",
)
@click.option("--from", "source", default=None, metavar="LANG", help="Only entries from this source language.")
@click.option("--to", "target", default=None, metavar="LANG", help="Only entries into this target language.")
@MEMORY
def export_cmd(fmt: str, dest: Path, source: str | None, target: str | None, memory: str | None) -> None:
    """Write the memory as TMX and print its path: language tags as stored (es-419, pt-BR), each entry's
    time, who approved it and where it came from; entries not approved are marked as suggestions."""
    result = api.memory_export(dest, memory, source, target, fmt)
    click.echo(f"handbill: memory: {result.stored} unit(s) from {result.location}", err=True)
    click.echo(str(result.path))


@memory.command("import")
@click.argument("tmx_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--approve",
    is_flag=True,
    help="Store the units as approved, reused exactly by later runs. Without it they are suggestions, "
    "offered to reviewers as fuzzy matches only (the rule of `review import`).",
)
@MEMORY
def import_cmd(tmx_file: Path, approve: bool, memory: str | None) -> None:
    """Add the units of TMX_FILE (from OmegaT, Trados, Weblate or handbill) to the memory. Every unit becomes
    a version in the memory's history; the newest version of a source is the one used."""
    result = api.memory_import(tmx_file, memory, approve)
    kind = "approved" if approve else "suggestion(s)"
    click.echo(
        f"handbill: memory: {result.stored} {kind} stored in {result.location}"
        + (f", {result.skipped} unit(s) without a source and a target skipped" if result.skipped else ""),
        err=True,
    )


@memory.command("stats")
@MEMORY
@click.option("--json", "as_json", is_flag=True, help="Machine-readable counts.")
def stats_cmd(memory: str | None, as_json: bool) -> None:
    """Count the memory's entries per language pair: approved, suggestions, and versions in its history."""
    result = api.memory_stats(memory)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{result.location}")
    if not result.pairs:
        click.echo("  empty")
    for pair in result.pairs:
        click.echo(
            f"  {pair['src']} -> {pair['tgt']}: {pair['approved']} approved, {pair['suggested']} suggested, "
            f"{pair['versions']} version(s)"
        )


command = memory
