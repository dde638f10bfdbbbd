"""Translator review round trip: export a document for review, merge the reviewed file back by segment id."""

from __future__ import annotations

from pathlib import Path

from ..errors import BadConfig, BadInput
from ..model import Document
from ..store import clean_text, output_stem
from . import csv, docx, files, po, xliff
from .base import ReviewFormat
from .merge import MergeReport, Row, Rows, merge

FORMATS: dict[str, ReviewFormat] = {f.name: f for f in (docx.FORMAT, xliff.FORMAT, po.FORMAT, csv.FORMAT)}
SUFFIX = {suffix: f.name for f in FORMATS.values() for suffix in f.suffixes}
MAX_FILE_BYTES = 50 * 1024 * 1024  # as for leaflets: refused before parsing
MAX_TEXT = 200_000  # characters in one translation (twice the longest paragraph a leaflet may have)


def export(
    doc: Document,
    fmt: str,
    dest: Path,
    document_path: Path | None = None,
    generated: bool = False,
    options: dict | None = None,
) -> Path:
    """Write a review file (`options`: the Word draft's paper, organisation, reviewer). With `document_path`
    (the document.json it belongs to) the write is part of the file's life cycle: a file a person edited is
    never overwritten (exit 7), and the export is recorded in `doc.exports` with its base — the caller saves
    the document afterwards."""
    if fmt not in FORMATS:
        raise BadConfig(f"unknown review format {fmt!r}", f"choose from: {', '.join(FORMATS)}")
    dest = Path(dest)
    if document_path is None:
        return FORMATS[fmt].export(doc, dest, **(options or {}))
    files.guard(doc, dest, document_path, FORMATS[fmt].read)
    eid = files.export_id(doc, fmt)
    FORMATS[fmt].export(doc, dest, export_id=eid, **(options or {}))
    files.record(doc, fmt, dest, Path(document_path).parent, eid, FORMATS[fmt].read(dest), generated)
    return dest


def draft_path(doc: Document, folder: Path) -> Path:
    """The Word review draft `run` and `render` write beside document.json."""
    return Path(folder) / f"{output_stem(doc)}.review.docx"


def guard_draft(doc: Document, folder: Path, document_path: Path) -> None:
    """Stop (exit 7) before `run`/`render` would overwrite a review draft someone edited and nobody imported."""
    files.guard(doc, draft_path(doc, folder), document_path, docx.read)


def format_of(path: Path) -> str:
    fmt = SUFFIX.get(Path(path).suffix.lower())
    if fmt is None:
        raise BadInput(f"{Path(path).name}: unknown review file type", f"give a {', '.join(SUFFIX)} file")
    return fmt


def read_rows(path: Path) -> Rows:
    path = Path(path)
    fmt = format_of(path)
    if not path.is_file():
        raise BadInput(f"{path} does not exist")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise BadInput(
            f"{path.name} is {size / 1e6:.0f} MB; handbill reads review files up to {MAX_FILE_BYTES // 10**6} MB",
            "export the review file again",
        )
    rows = FORMATS[fmt].read(path)
    rows.fmt = fmt
    for row in rows:  # text enters handbill here: what no output can hold is cleaned, as readers do
        row.id, row.source, row.target = clean_text(row.id), clean_text(row.source), clean_text(row.target)
        row.comment, row.extra = clean_text(row.comment), [clean_text(text) for text in row.extra]
        longest = max([len(row.target), *map(len, row.extra)])
        if longest > MAX_TEXT:
            raise BadInput(
                f"{path.name}: the translation of row {row.id or '(no id)'} is {longest:,} characters; "
                f"handbill takes up to {MAX_TEXT:,}",
                "check that the row holds one segment's text",
            )
    return rows


__all__ = ["FORMATS", "MergeReport", "ReviewFormat", "Row", "Rows", "export", "files", "merge", "read_rows"]
