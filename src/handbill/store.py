"""document.json (the checkpoint between stages), atomic file writes, and the per-output lock.

Every file handbill writes goes through `atomic_write`: a temporary file in the same directory,
fsync, then rename. A crash or a failed renderer leaves the previous file, never a partial one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import BadInput, OutputError
from .model import SCHEMA_VERSION, Document

DOCUMENT_FILE = "document.json"


@contextlib.contextmanager
def atomic_write(dest: Path | str, mode: str = "wb") -> Iterator:
    """Yield a file object; on success it replaces `dest` atomically, on error it vanishes."""
    dest = Path(dest)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {dest}: {exc.strerror or exc}") from exc
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {dest}: {exc.strerror or exc}") from exc
        raise


@contextlib.contextmanager
def atomic_path(dest: Path | str) -> Iterator[Path]:
    """Like atomic_write for libraries that want a file name (reportlab, python-docx, wave)."""
    dest = Path(dest)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.stem}.", suffix=dest.suffix, dir=dest.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"cannot write {dest}: {exc.strerror or exc}") from exc
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if not tmp_path.exists() or tmp_path.stat().st_size == 0:
            raise OutputError(f"writing {dest} produced no data")
        with open(tmp_path, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, dest)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {dest}: {exc.strerror or exc}") from exc
        raise


# What atomic_write / atomic_path name their temporary files: ".<name>.<8 mkstemp chars><suffix>".
_TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}(\.[A-Za-z0-9]+)?$")


def sweep_temp_files(folder: Path | str) -> list[Path]:
    """Remove temporary files a killed run left behind (SIGKILL skips atomic_write's clean-up).
    Only call it while holding the folder's lock, when no live run can own one."""
    removed = []
    for path in Path(folder).rglob(".*"):
        if path.is_file() and _TEMP_NAME.match(path.name) and path.name != ".handbill.lock":
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def safe_stem(name: str) -> str:
    """A file-system-safe folder name for a leaflet, so `../../x` cannot escape --out."""
    stem = re.sub(r"[^\w.-]+", "-", Path(name).stem, flags=re.UNICODE).strip(".-")
    return stem[:80] or "leaflet"


def output_dir(out: Path | str, doc: Document) -> Path:
    """output/<stem>/<target-lang>/ — one folder per leaflet and language."""
    return Path(out) / safe_stem(doc.source_name) / (doc.target_lang or "und")


def save_document(doc: Document, path: Path | str) -> Path:
    path = Path(path)
    text = json.dumps(doc.to_dict(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    with atomic_write(path, "w") as fh:
        fh.write(text)
    return path


def load_document(path: Path | str) -> Document:
    path = Path(path)
    if path.is_dir():
        path = path / DOCUMENT_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(f"{path} does not exist", "run `handbill run LEAFLET` first") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInput(f"{path} is not a handbill document.json ({exc})") from None
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror or exc}") from None
    if not isinstance(data, dict) or "segments" not in data:
        raise BadInput(f"{path} is not a handbill document.json (no segments)")
    version = data.get("schema_version")
    if not isinstance(version, int) or version < 1:
        raise BadInput(f"{path} has no valid schema_version")
    if version > SCHEMA_VERSION:
        raise BadInput(
            f"{path} was written by a newer handbill (schema {version}, this one reads {SCHEMA_VERSION})",
            "upgrade handbill: pip install -U handbill",
        )
    try:
        doc = Document.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:  # a field of the wrong type
        raise BadInput(f"{path} is not a valid handbill document.json ({type(exc).__name__}: {exc})") from None
    for obj in [doc, *doc.segments, *(i for s in doc.segments for i in s.issues)]:
        problem = _wrong_type(obj)
        if problem:
            raise BadInput(f"{path} is not a valid handbill document.json ({problem})")
    return doc


TYPES = {"str": str, "int": int, "float": (int, float), "bool": bool, "dict": dict, "list": list}


def _wrong_type(obj) -> str:
    """The first field whose value is not of its declared plain type (renderers trust these types)."""
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        outer, _, inner = str(f.type).partition("[")
        expected = TYPES.get(outer.strip())
        if expected is None:
            continue
        if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            return f"{type(obj).__name__.lower()} field {f.name!r} is {type(value).__name__}, not {outer}"
        item = TYPES.get(inner.rstrip("]").strip())
        if outer == "list" and item and not all(isinstance(v, item) for v in value):
            return f"{type(obj).__name__.lower()} field {f.name!r} holds an item that is not {inner.rstrip(']')}"
    return ""
