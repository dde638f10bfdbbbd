"""Translator review round trip: export a document for review, merge the reviewed file back by segment id."""

from __future__ import annotations

from pathlib import Path

from ..errors import BadConfig, BadInput
from ..model import Document, Status
from . import csv, docx, po, xliff
from .merge import MergeReport, Row, merge

FORMATS = {"docx": docx, "xliff": xliff, "po": po, "csv": csv}
SUFFIX = {".docx": "docx", ".xlf": "xliff", ".xliff": "xliff", ".po": "po", ".csv": "csv"}


def export(doc: Document, fmt: str, dest: Path) -> Path:
    if fmt not in FORMATS:
        raise BadConfig(f"unknown review format {fmt!r}", f"choose from: {', '.join(FORMATS)}")
    return FORMATS[fmt].export(doc, dest)


def read_rows(path: Path) -> list[Row]:
    fmt = SUFFIX.get(Path(path).suffix.lower())
    if fmt is None:
        raise BadInput(f"{Path(path).name}: unknown review file type", "give a .docx, .xlf, .po or .csv file")
    if not Path(path).is_file():
        raise BadInput(f"{path} does not exist")
    return FORMATS[fmt].read(Path(path))


def approved(doc: Document) -> list[tuple[str, str]]:
    return [(s.source, s.target) for s in doc.segments if s.status == Status.APPROVED and s.translate and s.target]


__all__ = ["FORMATS", "MergeReport", "Row", "approved", "export", "merge", "read_rows"]
