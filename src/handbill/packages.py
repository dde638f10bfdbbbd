"""Argos model packages: check an .argosmodel, install it atomically, fetch one from the Argos package index.

Installing is the only place a model file enters handbill, so every check happens here, before anything is
unpacked: a zip with one plainly named top folder, metadata.json naming a translate pair, model/model.bin and
a tokenizer (sentencepiece.model or bpe.model), no path leaving the folder, sizes within bounds. The package is
unpacked beside the package folder and renamed into place, so a bad or interrupted install leaves the
installed set as it was.

Only `install_from_index` touches the network: the index URL (settings: argos_index, HANDBILL_ARGOS_INDEX, or
argostranslate's own, which honours ARGOS_PACKAGE_INDEX) and the package links it lists, with a short
timeout. The real index (argospm-index) lists for each package from_code, to_code, names, package_version,
argos_version, code and links (https, some also ipfs); it gives no size or checksum, so handbill checks the
size the server announces, and a mirror may add `size` (bytes) and `sha256` to an entry to have them checked.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from . import store
from .errors import BadConfig, BadInput, EngineFailure, MissingDependency, OutputError
from .store import path_part

TIMEOUT = 10.0  # seconds per network step (connect, each read)
MAX_MEMBERS = 10_000  # a real package has a few dozen files
MAX_UNPACKED = 2 * 1024**3  # bytes once unpacked; real packages are 100-400 MB
MAX_DOWNLOAD = 2 * 1024**3  # bytes of one .argosmodel
MAX_INDEX = 16 * 1024**2  # bytes of index.json (the real one is about 30 KB)
CHUNK = 64 * 1024
TOKENIZERS = ("sentencepiece.model", "bpe.model")  # either one, as argostranslate accepts
PROTOCOLS = ("http", "https", "file")  # ipfs:// links of the real index are skipped

Progress = Callable[[str], None]


def _no_progress(message: str) -> None:
    return None


def check_members(infos: list[zipfile.ZipInfo], name: str) -> str:
    """The archive's one top folder, after refusing unsafe paths, too many members or too many bytes."""
    if len(infos) > MAX_MEMBERS:
        raise BadInput(f"{name} is not an Argos model ({len(infos)} files inside; a model has a few dozen)")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED:
        raise BadInput(
            f"{name} would unpack to {unpacked / 1024**3:.1f} GB (more than {MAX_UNPACKED / 1024**3:.0f} GB)",
            "this is not a real Argos model; download it again from the Argos index",
        )
    tops, nested = set(), False
    for info in infos:
        raw = info.filename
        parts = PurePosixPath(raw).parts
        if raw.startswith("/") or "\\" in raw or ".." in parts or (parts and ":" in parts[0]):
            raise BadInput(f"{name} is not an Argos model (unsafe path {raw!r} inside)")
        if parts:
            tops.add(parts[0])
            nested = nested or len(parts) > 1
    if len(tops) != 1 or not nested:
        raise BadInput(f"{name} is not an Argos model (expected one top folder, found {len(tops)} entries)")
    top = path_part(tops.pop(), "folder", f"{name} is not an Argos model: its top folder")
    if top.startswith("."):  # hidden: argostranslate would list it, handbill's own listing skips it
        raise BadInput(f"{name} is not an Argos model (its top folder {top!r} is hidden)")
    return top


def validate_package(path: Path) -> tuple[dict, str]:
    """Check an .argosmodel before installing it. Returns (metadata, top folder)."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            top = check_members(archive.infolist(), name)
            files = {str(PurePosixPath(info.filename)) for info in archive.infolist() if not info.is_dir()}
            missing = [r for r in ("metadata.json", "model/model.bin") if f"{top}/{r}" not in files]
            if not any(f"{top}/{t}" in files for t in TOKENIZERS):
                missing.append(" or ".join(TOKENIZERS))
            if missing:
                raise BadInput(f"{name} is not an Argos model (missing {', '.join(missing)})")
            meta_info = next(i for i in archive.infolist() if str(PurePosixPath(i.filename)) == f"{top}/metadata.json")
            if meta_info.file_size > 1024**2:
                raise BadInput(f"{name} has a metadata.json of {meta_info.file_size} bytes; it is not an Argos model")
            meta = json.loads(archive.read(meta_info).decode("utf-8"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError) as exc:
        raise BadInput(
            f"{name} is not an Argos model (not a readable zip: {exc})", "download the .argosmodel file again"
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInput(f"{name} has an unreadable metadata.json ({exc})") from None
    if not isinstance(meta, dict):
        raise BadInput(f"{name}: metadata.json is not an object")
    for key in ("from_code", "to_code"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise BadInput(f"{name}: metadata.json lacks {key}")
        path_part(meta[key], "language", f"{name}: metadata.json {key}")
    if meta.get("type", "translate") != "translate":
        raise BadInput(f"{name} is a {meta.get('type')!r} package, not a translation model")
    prefix = meta.get("target_prefix", "")
    if not isinstance(prefix, str) or any(c.isspace() for c in prefix):
        raise BadInput(f"{name}: metadata.json target_prefix {prefix!r} is not one token")
    return meta, top


def _pair_of(folder: Path) -> tuple[str, str] | None:
    try:
        meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
        return meta["from_code"], meta["to_code"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _destination(root: Path, top: str, pair: tuple[str, str]) -> Path:
    """root/top, unless another pair's package lives there: then a name of its own, so installing one model
    never hides another."""
    for name in (top, f"{top}-{pair[0]}_{pair[1]}", *(f"{top}-{pair[0]}_{pair[1]}-{n}" for n in range(2, 100))):
        if not (root / name).exists() or _pair_of(root / name) in (None, pair):
            return root / name
    raise OutputError(f"too many folders named {top}* in {root}", "remove the ones you no longer use")


def _scratch(stack: contextlib.ExitStack, root: Path) -> Path:
    """A working folder on the package folder's disk: beside it (argostranslate reads every folder inside it as
    a package), or inside it when its parent is read-only (handbill skips dot-folders there)."""
    try:
        return stack.enter_context(store.scratch_dir(root.parent))
    except OutputError:
        return stack.enter_context(store.scratch_dir(root))


def package_root() -> Path:
    """The Argos package folder (ARGOS_PACKAGES_DIR, else argostranslate's default), created if need be."""
    import argostranslate.settings

    root = Path(argostranslate.settings.package_data_dir)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {root}: {exc.strerror or exc}") from None
    return root


def install_package(path: Path, progress: Progress = _no_progress) -> tuple[dict, Path]:
    """Validate, unpack and move one .argosmodel into the Argos package folder; a package already installed for
    the same pair is replaced. Returns (metadata, installed folder)."""
    meta, top = validate_package(path)
    pair = (meta["from_code"], meta["to_code"])
    root = package_root()
    try:
        with contextlib.ExitStack() as stack, zipfile.ZipFile(path) as archive:
            scratch = _scratch(stack, root)
            needed = sum(info.file_size for info in archive.infolist())
            if shutil.disk_usage(scratch).free < needed + 64 * 1024**2:
                raise OutputError(f"not enough disk space in {root} for {path.name} ({needed / 1024**2:.0f} MB)")
            progress(f"unpacking {path.name} ({needed / 1024**2:.1f} MB)")
            archive.extractall(scratch)  # CRCs are checked as each member is read
            dest = _destination(root, top, pair)
            stale = [p for p in root.iterdir() if p.is_dir() and p != dest and _pair_of(p) == pair]
            if dest.exists():
                os.replace(dest, scratch / ".old")
            os.replace(scratch / top, dest)
            for old in stale:
                shutil.rmtree(old, ignore_errors=True)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise BadInput(f"{path.name} is corrupt ({exc})", "download the .argosmodel file again") from None
    except OSError as exc:
        raise OutputError(f"cannot install {path.name} into {root}: {exc.strerror or exc}") from None
    return meta, dest


def index_url(configured: str = "") -> str:
    """The package index to use: the configured one, else argostranslate's (ARGOS_PACKAGE_INDEX or Argos's own).
    A URL ending in / names the folder that holds index.json, as ARGOS_PACKAGE_INDEX does."""
    if not configured:
        import argostranslate.settings

        configured = argostranslate.settings.remote_package_index
    url = configured.strip()
    if urllib.parse.urlsplit(url).scheme not in PROTOCOLS:
        raise BadConfig(
            f"argos_index {configured!r} is not an http(s) or file URL",
            "set HANDBILL_ARGOS_INDEX (or argos_index in handbill.toml) to the URL of an index.json",
        )
    return url + "index.json" if url.endswith("/") else url


def _open(url: str, timeout: float):
    request = urllib.request.Request(url, headers={"User-Agent": "handbill"})  # noqa: S310 — see below
    return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 — the scheme is checked by the callers


def fetch_index(url: str, timeout: float = TIMEOUT) -> list[dict]:
    """The index's package entries (translate packages with a pair); exit 5 when it cannot be reached."""
    try:
        with _open(url, timeout) as response:
            data = response.read(MAX_INDEX + 1)
    except urllib.error.HTTPError as exc:
        raise BadConfig(
            f"the Argos package index {url} answered HTTP {exc.code}",
            "check the argos_index setting (HANDBILL_ARGOS_INDEX)",
        ) from None
    except (OSError, http.client.HTTPException) as exc:  # no route, DNS failure, refused, timeout
        raise MissingDependency(
            f"cannot reach the Argos package index {url} ({_reason(exc)}; no network?)",
            "download the .argosmodel file elsewhere and run `handbill models install FILE`, "
            "or point HANDBILL_ARGOS_INDEX at a mirror",
        ) from None
    try:
        if len(data) > MAX_INDEX:
            raise ValueError("larger than 16 MB")
        entries = json.loads(data.decode("utf-8"))
        if not isinstance(entries, list):
            raise ValueError("not a list of packages")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadConfig(
            f"{url} is not an Argos package index ({exc})",
            "check the argos_index setting; a Wi-Fi login page can also answer instead",
        ) from None
    return [
        e
        for e in entries
        if isinstance(e, dict)
        and e.get("type", "translate") == "translate"
        and isinstance(e.get("from_code"), str)
        and isinstance(e.get("to_code"), str)
    ]


def version_key(entry: dict) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[._-]", str(entry.get("package_version", ""))))


def choose(entries: list[dict], src: str, tgt: str, url: str) -> dict:
    """The newest entry for src->tgt; exit 5 saying what the index offers instead."""
    matches = [e for e in entries if (e["from_code"], e["to_code"]) == (src, tgt)]
    if matches:
        return max(matches, key=version_key)
    pairs = sorted({(e["from_code"], e["to_code"]) for e in entries})
    near = [f"{s}->{t}" for s, t in pairs if s == src or t == tgt]
    if (src, "en") in pairs and ("en", tgt) in pairs:
        hint = f"install {src}->en and en->{tgt}: handbill pivots through English"
    else:
        hint = "Apertium may have the pair: see `handbill doctor`"
    offers = (
        f"for these languages it offers {', '.join(near)}"
        if near
        else f"it offers {len(pairs)} pairs: {', '.join(f'{s}->{t}' for s, t in pairs[:40])}"
        + ("…" if len(pairs) > 40 else "")
    )
    raise MissingDependency(f"the Argos package index {url} has no {src}->{tgt} model; {offers}", hint)


def _links(entry: dict, url: str) -> list[str]:
    links = entry.get("links")
    links = links if isinstance(links, list) else []
    absolute = [urllib.parse.urljoin(url, link) for link in links if isinstance(link, str) and link.strip()]
    return [link for link in absolute if urllib.parse.urlsplit(link).scheme in PROTOCOLS]


def _expected_size(entry: dict, announced: str | None) -> int | None:
    size = entry.get("size")
    if isinstance(size, int) and not isinstance(size, bool) and size > 0:
        return size
    return int(announced) if announced and announced.isdigit() else None


def _megabytes(size: float) -> str:
    return f"{size / 1024**2:.1f} MB"


def download(entry: dict, url: str, folder: Path, progress: Progress = _no_progress, timeout: float = TIMEOUT) -> Path:
    """Fetch the entry's package into `folder` (tried link by link), checking its size and, where the index
    gives one, its sha256. Exit 6 when no link delivers a whole file, 3 when the checksum differs."""
    name = f"{entry.get('code') or 'translate-' + entry['from_code'] + '_' + entry['to_code']}.argosmodel"
    links = _links(entry, url)
    if not links:
        raise EngineFailure(
            f"the Argos package index lists no http(s) link for {name}",
            "download it elsewhere and run `handbill models install FILE`",
        )
    failures = []
    for link in links:
        target = folder / name
        try:
            digest = _fetch(link, entry, target, name, progress, timeout)
        except (OSError, http.client.HTTPException, _CutShort) as exc:
            target.unlink(missing_ok=True)
            failures.append(f"{urllib.parse.urlsplit(link).netloc or link}: {_reason(exc)}")
            continue
        expected = str(entry.get("sha256", "")).strip().lower()
        if expected and digest != expected:
            raise BadInput(
                f"{name} from {link} does not match the index's sha256 (got {digest[:12]}…, expected {expected[:12]}…)",
                "nothing was installed; try again, or ask the mirror's keeper",
            )
        return target
    raise EngineFailure(
        f"cannot download {name}: {'; '.join(failures)}",
        "nothing was installed; try again, or download it elsewhere and run `handbill models install FILE`",
    )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    return str(getattr(exc, "reason", None) or exc)


class _CutShort(Exception):
    """The download ended before (or ran past) the size it should have."""


def _fetch(link: str, entry: dict, target: Path, name: str, progress: Progress, timeout: float) -> str:
    """Stream one link into `target`; returns the sha256 of what arrived."""
    digest = hashlib.sha256()
    got = 0
    with _open(link, timeout) as response, open(target, "wb") as out:
        size = _expected_size(entry, response.headers.get("Content-Length"))
        if size and size > MAX_DOWNLOAD:
            raise _CutShort(f"{_megabytes(size)} is more than an Argos model can be")
        progress(
            f"downloading {name} from {urllib.parse.urlsplit(link).netloc or link}"
            + (f" ({_megabytes(size)})" if size else "")
        )
        step = max(size // 10, 1) if size else 10 * 1024**2  # a line every 10% (or 10 MB)
        shown = 0
        while chunk := response.read(CHUNK):
            got += len(chunk)
            if got > (size or MAX_DOWNLOAD):
                raise _CutShort(f"more data than the {_megabytes(size or MAX_DOWNLOAD)} announced")
            digest.update(chunk)
            out.write(chunk)
            if got - shown >= step:
                shown = got
                progress(
                    f"  {got * 100 // size}% ({_megabytes(got)} of {_megabytes(size)})"
                    if size
                    else f"  {_megabytes(got)}"
                )
    if size and got != size:
        raise _CutShort(f"the download was cut short: {got} of {size} bytes")
    progress(f"downloaded {name} ({_megabytes(got)})")
    return digest.hexdigest()


def install_from_index(
    src: str, tgt: str, configured_index: str = "", progress: Progress = _no_progress, timeout: float = TIMEOUT
) -> tuple[dict, Path]:
    """Find src->tgt in the package index, download it next to the package folder, check it is that pair,
    install it; the download is deleted either way. Returns (metadata, installed folder)."""
    url = index_url(configured_index)
    progress(f"reading the Argos package index {url}")
    entry = choose(fetch_index(url, timeout), src, tgt, url)
    with contextlib.ExitStack() as stack:
        scratch = _scratch(stack, package_root())
        path = download(entry, url, scratch, progress, timeout)
        meta, _top = validate_package(path)
        if (meta["from_code"], meta["to_code"]) != (src, tgt):
            raise BadInput(
                f"the index's {src}->{tgt} package {path.name} is a {meta['from_code']}->{meta['to_code']} model",
                "nothing was installed; tell the index's keeper",
            )
        return install_package(path, progress)
