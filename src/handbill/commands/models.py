"""`handbill models list|install`: the translation models and pairs handbill can use.

Only `models install --from/--to` ever touches the network (the Argos package index and the package it
lists); checking, unpacking and installing live in handbill.packages.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..config import load_config
from ..engines import get_engine
from ..errors import BadInput
from ..packages import (fetch_index, index_url, install_from_index, install_package,  # noqa: F401
                        validate_package, version_key)
from ..pipeline import quiet, stderr_progress


@click.group()
def models() -> None:
    """List and install translation models (Argos) and show Apertium pairs."""


def rows() -> list[dict]:
    """One row per installed pair and engine: model, version, path, and for Argos packages all their metadata
    (tokenizer, target prefix, languages, embedded sentence splitter)."""
    from ..engines.argos import describe

    found = []
    argos = get_engine("argos")
    packages = argos.packages()
    for (src, tgt), pkg in sorted(packages.items()):
        about = describe(pkg)
        found.append({"engine": "argos", "pair": f"{src}-{tgt}", "model": about.pop("package"),
                      "version": about.pop("version"), "path": str(pkg.package_path), **about})
    for src, tgt in sorted(argos.pairs() - set(packages)):
        found.append({"engine": "argos", "pair": f"{src}-{tgt}", "model": f"pivot: {src}-en + en-{tgt}",
                      "version": "", "path": ""})
    apertium = get_engine("apertium")
    pairs = sorted(apertium.pairs())
    version = apertium.version() if pairs else ""
    for src, tgt in pairs:
        found.append({"engine": "apertium", "pair": f"{src}-{tgt}", "model": apertium.mode(src, tgt),
                      "version": version, "path": ""})
    return found


def details(row: dict) -> str:
    """tokenizer · target prefix · splitter, for the text listing."""
    parts = [row.get("tokenizer", "")]
    if row.get("target_prefix"):
        parts.append(f"prefix {row['target_prefix']}")
    if row.get("sentence_splitter"):
        parts.append(f"embeds {row['sentence_splitter']} splitter")
    return ", ".join(p for p in parts if p)


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable list, with every metadata field.")
def list_cmd(as_json: bool) -> None:
    """Installed language pairs per engine: model, version, tokenizer (sentencepiece or bpe), target prefix,
    embedded sentence splitter, path."""
    found = rows()
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("no models installed (see `handbill doctor`)")
    for row in found:
        click.echo(f"{row['engine']:9} {row['pair']:7} {row['model']:24} {row['version']:8} {details(row):24} "
                   f"{row['path']}".rstrip())


def index_option(command):
    return click.option("--index", "index", metavar="URL",
                        help="Package index (default: argos_index setting / HANDBILL_ARGOS_INDEX, else Argos's "
                             "own); a URL ending in / means its index.json.")(command)


@models.command("available")
@click.option("--from", "src", metavar="LANG", help="Only models from this language.")
@click.option("--to", "tgt", metavar="LANG", help="Only models into this language.")
@index_option
@click.option("--json", "as_json", is_flag=True, help="The index entries as JSON.")
def available_cmd(src: str | None, tgt: str | None, index: str | None, as_json: bool) -> None:
    """Models the Argos package index (or its mirror) offers, newest first per pair; * marks installed pairs.
    Needs the network (or a file:// mirror)."""
    url = index_url(load_config(flags={"argos_index": index})["argos_index"])
    entries = [e for e in fetch_index(url) if (not src or e["from_code"] == src.strip().lower())
               and (not tgt or e["to_code"] == tgt.strip().lower())]
    entries.sort(key=version_key, reverse=True)
    entries.sort(key=lambda e: (e["from_code"], e["to_code"]))  # stable: the newest first within a pair
    if as_json:
        click.echo(json.dumps(entries, indent=2, ensure_ascii=False))
        return
    installed = set(get_engine("argos").packages())
    for e in entries:
        mark = "*" if (e["from_code"], e["to_code"]) in installed else " "
        names = f"{e.get('from_name', '')} -> {e.get('to_name', '')}"
        click.echo(f"{mark} {e['from_code']}-{e['to_code']:9} {str(e.get('package_version', '')):8} {names}")
    if not entries:
        click.echo(f"no models in {url} match", err=True)


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
    progress = quiet if silent else stderr_progress
    if package is not None:
        if src or tgt or index:
            raise click.UsageError("give either an .argosmodel file or --from/--to, not both")
        if not package.is_file():
            raise BadInput(f"{package} does not exist", "give the path of a downloaded .argosmodel file")
        meta, dest = install_package(package, progress)
        click.echo(f"installed {meta['from_code']}-{meta['to_code']} from {package.name} into {dest}")
        return
    if not (src and tgt):
        raise click.UsageError("give an .argosmodel file, or both --from and --to")
    configured = load_config(flags={"argos_index": index})["argos_index"]
    meta, dest = install_from_index(src.strip().lower(), tgt.strip().lower(), configured, progress)
    click.echo(f"installed {meta['from_code']}-{meta['to_code']} into {dest}")
