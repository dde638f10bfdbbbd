"""`handbill models list|install`: the translation models and pairs handbill can use."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.request
import zipfile
from pathlib import Path

import click

from ..engines import get_engine
from ..errors import BadInput, MissingDependency

REQUIRED = ("metadata.json", "model/model.bin", "sentencepiece.model")


def validate_package(path: Path) -> dict:
    """Check an .argosmodel before installing it: one top folder, metadata, model and tokenizer."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            tops = {n.split("/", 1)[0] for n in names if n.strip("/")}
            if len(tops) != 1:
                raise BadInput(f"{path.name} is not an Argos model (expected one top folder, found {len(tops)})")
            top = tops.pop()
            missing = [r for r in REQUIRED if f"{top}/{r}" not in names]
            if missing:
                raise BadInput(f"{path.name} is not an Argos model (missing {', '.join(missing)})")
            meta = json.loads(archive.read(f"{top}/metadata.json").decode("utf-8"))
            bad = archive.testzip()
    except (zipfile.BadZipFile, OSError) as exc:
        raise BadInput(f"{path.name} is not an Argos model (not a valid zip: {exc})",
                       "download the .argosmodel file again") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInput(f"{path.name} has an unreadable metadata.json ({exc})") from None
    if bad is not None:
        raise BadInput(f"{path.name} is corrupt ({bad} fails its checksum)", "download the .argosmodel file again")
    if not isinstance(meta, dict) or not meta.get("from_code") or not meta.get("to_code"):
        raise BadInput(f"{path.name}: metadata.json lacks from_code/to_code")
    if meta.get("type", "translate") != "translate":
        raise BadInput(f"{path.name} is a {meta.get('type')!r} package, not a translation model")
    return meta


def download_package(src: str, tgt: str, timeout: float = 10.0) -> Path:
    """Fetch the index and the model ourselves with a short timeout: argostranslate's own downloader
    retries recursively for minutes when there is no network."""
    import argostranslate.settings

    with urllib.request.urlopen(argostranslate.settings.remote_package_index, timeout=timeout) as response:
        index = json.loads(response.read().decode("utf-8"))
    for entry in index:
        if entry.get("from_code") == src and entry.get("to_code") == tgt and entry.get("links"):
            fd, name = tempfile.mkstemp(suffix=".argosmodel")
            with os.fdopen(fd, "wb") as out, urllib.request.urlopen(entry["links"][0], timeout=timeout) as response:
                shutil.copyfileobj(response, out)
            return Path(name)
    raise MissingDependency(f"the Argos index has no {src}->{tgt} model",
                            f"install {src}->en and en->{tgt}; handbill pivots through English")


@click.group()
def models() -> None:
    """List and install translation models (Argos) and show Apertium pairs."""


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable list.")
def list_cmd(as_json: bool) -> None:
    """Installed language pairs per engine, with model names and versions."""
    rows = []
    argos = get_engine("argos")
    for (src, tgt), pkg in sorted(argos.packages().items()):
        rows.append({"engine": "argos", "pair": f"{src}-{tgt}", "model": Path(pkg.package_path).name,
                     "version": pkg.package_version, "path": str(pkg.package_path)})
    for src, tgt in sorted(argos.pairs() - set(argos.packages())):
        rows.append({"engine": "argos", "pair": f"{src}-{tgt}", "model": "pivot through en", "version": "", "path": ""})
    apertium = get_engine("apertium")
    for src, tgt in sorted(apertium.pairs()):
        rows.append({"engine": "apertium", "pair": f"{src}-{tgt}", "model": apertium.mode(src, tgt),
                     "version": apertium.version(), "path": ""})
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("no models installed (see `handbill doctor`)")
    for row in rows:
        click.echo(f"{row['engine']:9} {row['pair']:6} {row['model']} {row['version']}".rstrip())


@models.command("install")
@click.argument("package", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "src", metavar="LANG", help="Source language, for an online install.")
@click.option("--to", "tgt", metavar="LANG", help="Target language, for an online install.")
def install_cmd(package: Path | None, src: str | None, tgt: str | None) -> None:
    """Install PACKAGE (.argosmodel file), or download the model for --from/--to from the Argos index
    (needs a network; offline it fails at once with exit 5)."""
    import argostranslate.package

    if package is not None:
        if not package.is_file():
            raise BadInput(f"{package} does not exist")
        meta = validate_package(package)
        argostranslate.package.install_from_path(package)
        click.echo(f"installed {meta['from_code']}-{meta['to_code']} from {package.name}")
        return
    if not (src and tgt):
        raise click.UsageError("give an .argosmodel file, or both --from and --to")
    try:
        path = download_package(src, tgt)
    except MissingDependency:
        raise
    except (OSError, ValueError) as exc:  # no route, DNS failure, timeout, bad index
        raise MissingDependency(f"cannot download the {src}->{tgt} model ({type(exc).__name__}: no network?)",
                                "download the .argosmodel file elsewhere and run `handbill models install FILE`") from None
    validate_package(path)
    argostranslate.package.install_from_path(path)
    path.unlink(missing_ok=True)
    click.echo(f"installed {src}-{tgt}")
