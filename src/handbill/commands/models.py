"""`handbill models list|install`: the translation models and pairs handbill can use.

Only `models install --from/--to` ever touches the network (the Argos package index), with a short timeout;
installing a file is checked first and unpacked beside the package folder, then renamed into place, so a bad
or interrupted install never leaves a half package that would break every later run.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import urllib.request
import zipfile
from pathlib import Path, PurePosixPath

import click

from ..engines import get_engine
from ..errors import BadInput, MissingDependency, OutputError

REQUIRED = ("metadata.json", "model/model.bin", "sentencepiece.model")
TIMEOUT = 10.0  # seconds per network step of an online install


def validate_package(path: Path) -> tuple[dict, str]:
    """Check an .argosmodel before installing it: a zip with one top folder holding metadata.json (from_code,
    to_code, type translate), model/model.bin and sentencepiece.model. Returns (metadata, top folder)."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            for member in names:
                parts = PurePosixPath(member).parts
                if member.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
                    raise BadInput(f"{name} is not an Argos model (unsafe path {member!r} inside)")
            tops = {n.split("/", 1)[0] for n in names if n.strip("/")}
            if len(tops) != 1 or not any("/" in n for n in names):
                raise BadInput(f"{name} is not an Argos model (expected one top folder, found {len(tops)} entries)")
            top = tops.pop()
            missing = [r for r in REQUIRED if f"{top}/{r}" not in names]
            if missing:
                raise BadInput(f"{name} is not an Argos model (missing {', '.join(missing)})")
            meta = json.loads(archive.read(f"{top}/metadata.json").decode("utf-8"))
            bad = archive.testzip()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise BadInput(f"{name} is not an Argos model (not a readable zip: {exc})",
                       "download the .argosmodel file again") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInput(f"{name} has an unreadable metadata.json ({exc})") from None
    if bad is not None:
        raise BadInput(f"{name} is corrupt ({bad} fails its checksum)", "download the .argosmodel file again")
    if not isinstance(meta, dict):
        raise BadInput(f"{name}: metadata.json is not an object")
    for key in ("from_code", "to_code"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise BadInput(f"{name}: metadata.json lacks {key}")
    if meta.get("type", "translate") != "translate":
        raise BadInput(f"{name} is a {meta.get('type')!r} package, not a translation model")
    return meta, top


def _scratch(root: Path) -> Path:
    """A temporary folder on the same file system as `root` but outside it (argostranslate reads every folder
    inside the package folder as a package)."""
    for parent in (root.parent, root):
        with contextlib.suppress(OSError):
            return Path(tempfile.mkdtemp(prefix=".handbill-install-", dir=parent))
    raise OutputError(f"cannot write in {root}", "check ARGOS_PACKAGES_DIR and its permissions")


def install_package(path: Path) -> tuple[dict, Path]:
    """Validate, unpack and move one .argosmodel into the Argos package folder; a package already installed for
    the same pair is replaced. Returns (metadata, installed folder)."""
    import argostranslate.settings

    meta, top = validate_package(path)
    root = Path(argostranslate.settings.package_data_dir)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {root}: {exc.strerror or exc}") from None
    scratch = _scratch(root)
    try:
        with zipfile.ZipFile(path) as archive:
            archive.extractall(scratch)
        dest = root / top
        stale = [Path(p.package_path) for (s, t), p in get_engine("argos").packages().items()
                 if (s, t) == (meta["from_code"], meta["to_code"])]
        if dest.exists():
            os.replace(dest, scratch / ".old")
        os.replace(scratch / top, dest)
        for old in stale:
            if old.resolve() != dest.resolve() and old.parent.resolve() == root.resolve():
                shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise OutputError(f"cannot install {path.name} into {root}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return meta, dest


def download_package(src: str, tgt: str, timeout: float = TIMEOUT) -> Path:
    """Fetch the index and the model ourselves with a short timeout (argostranslate's own downloader retries
    for minutes when there is no network). The caller deletes the returned file."""
    import argostranslate.settings

    with urllib.request.urlopen(argostranslate.settings.remote_package_index, timeout=timeout) as response:
        index = json.loads(response.read().decode("utf-8"))
    for entry in index if isinstance(index, list) else []:
        if entry.get("from_code") == src and entry.get("to_code") == tgt and entry.get("links"):
            fd, name = tempfile.mkstemp(suffix=".argosmodel")
            try:
                with os.fdopen(fd, "wb") as out, urllib.request.urlopen(entry["links"][0], timeout=timeout) as got:
                    shutil.copyfileobj(got, out)
            except BaseException:
                Path(name).unlink(missing_ok=True)
                raise
            return Path(name)
    if "en" in (src, tgt):
        raise MissingDependency(f"the Argos index has no {src}->{tgt} model",
                                "see `handbill models list` for what is installed; Apertium may have the pair")
    raise MissingDependency(f"the Argos index has no {src}->{tgt} model",
                            f"install {src}->en and en->{tgt} instead: handbill pivots through English")


@click.group()
def models() -> None:
    """List and install translation models (Argos) and show Apertium pairs."""


def rows() -> list[dict]:
    """One row per installed pair and engine: model, version, path."""
    found = []
    argos = get_engine("argos")
    packages = argos.packages()
    for (src, tgt), pkg in sorted(packages.items()):
        found.append({"engine": "argos", "pair": f"{src}-{tgt}", "model": Path(pkg.package_path).name,
                      "version": pkg.package_version, "path": str(pkg.package_path)})
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


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable list.")
def list_cmd(as_json: bool) -> None:
    """Installed language pairs per engine, with model names, versions and paths."""
    found = rows()
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("no models installed (see `handbill doctor`)")
    for row in found:
        click.echo(f"{row['engine']:9} {row['pair']:7} {row['model']:24} {row['version']:12} {row['path']}".rstrip())


@models.command("install")
@click.argument("package", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "src", metavar="LANG", help="Source language, for an online install.")
@click.option("--to", "tgt", metavar="LANG", help="Target language, for an online install.")
def install_cmd(package: Path | None, src: str | None, tgt: str | None) -> None:
    """Install PACKAGE (.argosmodel file), or download the model for --from/--to from the Argos index
    (needs a network; offline it fails at once with exit 5)."""
    if package is not None:
        if src or tgt:
            raise click.UsageError("give either an .argosmodel file or --from/--to, not both")
        if not package.is_file():
            raise BadInput(f"{package} does not exist", "give the path of a downloaded .argosmodel file")
        meta, dest = install_package(package)
        click.echo(f"installed {meta['from_code']}-{meta['to_code']} from {package.name} into {dest}")
        return
    if not (src and tgt):
        raise click.UsageError("give an .argosmodel file, or both --from and --to")
    src, tgt = src.strip().lower(), tgt.strip().lower()
    try:
        path = download_package(src, tgt)
    except MissingDependency:
        raise
    except (OSError, ValueError) as exc:  # no route, DNS failure, timeout, bad index
        raise MissingDependency(f"cannot download the {src}->{tgt} model ({type(exc).__name__}: no network?)",
                                "download the .argosmodel file elsewhere and run `handbill models install FILE`") from None
    try:
        meta, dest = install_package(path)
    finally:
        path.unlink(missing_ok=True)
    click.echo(f"installed {meta['from_code']}-{meta['to_code']} into {dest}")
