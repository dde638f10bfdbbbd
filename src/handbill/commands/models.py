"""`handbill models list|available|install`: the translation models and pairs handbill can use.

Only `models available` and `models install --from/--to` ever touch the network (the Argos package index and
the package it lists); checking, unpacking and installing live in handbill.packages, behind handbill.api.
"""

from __future__ import annotations

from pathlib import Path

import click

from .. import api


@click.group()
def models() -> None:
    """List and install translation models (Argos) and show Apertium pairs."""


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable list, with every metadata field.")
def list_cmd(as_json: bool) -> None:
    """Installed language pairs per engine: model, version, tokenizer (sentencepiece or bpe), target prefix,
    embedded sentence splitter, path."""
    result = api.models_list()
    click.echo(result.json() if as_json else "\n".join(result.lines()))


def index_option(command):
    return click.option(
        "--index",
        "index",
        metavar="URL",
        help="Package index (default: argos_index setting / HANDBILL_ARGOS_INDEX, else Argos's "
        "own); a URL ending in / means its index.json.",
    )(command)


@models.command("available")
@click.option("--from", "src", metavar="LANG", help="Only models from this language.")
@click.option("--to", "tgt", metavar="LANG", help="Only models into this language.")
@index_option
@click.option("--json", "as_json", is_flag=True, help="The index entries as JSON.")
def available_cmd(src: str | None, tgt: str | None, index: str | None, as_json: bool) -> None:
    """Models the Argos package index (or its mirror) offers, newest first per pair; * marks installed pairs.
    Needs the network (or a file:// mirror)."""
    result = api.models_available(src, tgt, index)
    if as_json:
        click.echo(result.json())
        return
    for line in result.lines():
        click.echo(line)
    if not result.entries:
        click.echo(f"no models in {result.url} match", err=True)


@models.command("install")
@click.argument("package", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "src", metavar="LANG", help="Source language, for an online install.")
@click.option("--to", "tgt", metavar="LANG", help="Target language, for an online install.")
@index_option
@click.option("-q", "--quiet", "silent", is_flag=True, help="No progress on stderr.")
def install_cmd(package: Path | None, src: str | None, tgt: str | None, index: str | None, silent: bool) -> None:
    """Install PACKAGE (an .argosmodel file), or download the --from/--to model from the Argos package index
    (or a mirror of it). Offline, an online install fails at once with exit 5; a failed download (exit 6) or a
    file that is not what the index promises (exit 3) leaves the installed models as they were."""
    if package is not None and (src or tgt or index):
        raise click.UsageError("give either an .argosmodel file or --from/--to, not both")
    if package is None and not (src and tgt):
        raise click.UsageError("give an .argosmodel file, or both --from and --to")
    result = api.models_install(package, src, tgt, index, progress=api.quiet if silent else api.stderr_progress)
    click.echo(result.line())


command = models
