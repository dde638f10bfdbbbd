"""Readers: a leaflet file -> Document of raw blocks (segments without ids). One module per format."""

from __future__ import annotations

import importlib
from pathlib import Path

from ..errors import BadInput
from ..model import Document
from ..store import text_of
from . import txt

# Suffix -> reader module, imported when a file of its kind is read (pypdf and python-docx take most of a
# second to import, on every command that never reads a PDF or a Word file).
READERS = {".txt": "txt", ".text": "txt", ".md": "markdown", ".markdown": "markdown", ".docx": "docx", ".pdf": "pdf"}
MAX_BYTES = 50 * 1024 * 1024  # a leaflet is never this big; refuse before parsing
MAX_PARAGRAPH = 100_000  # characters; glossary post-editing grows with paragraph length times its terms


def read(path: Path) -> Document:
    path = Path(path)
    module = READERS.get(path.suffix.lower())
    if module is None:
        raise BadInput(
            f"{path.name}: unsupported file type {path.suffix or '(none)'!r}", "give a .txt, .md, .docx or .pdf file"
        )
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise BadInput(f"{path} does not exist") from None
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror or exc}") from None
    if not path.is_file():
        raise BadInput(f"{path} is not a file")
    if size > MAX_BYTES:
        raise BadInput(
            f"{path.name} is {size / 1e6:.0f} MB; handbill reads leaflets up to {MAX_BYTES // 10**6} MB",
            "split the document into smaller leaflets",
        )
    doc = importlib.import_module(f"{__name__}.{module}").read(path)
    doc.source_name, doc.source_path = text_of(path.stem), text_of(str(path))  # valid UTF-8 in document.json
    doc.segments = [s for s in doc.segments if s.source.strip()]
    if not doc.segments:
        raise BadInput(f"{path.name} contains no text", "check that it is the right file")
    if len(doc.segments) > txt.MAX_SEGMENTS:
        raise txt.too_many_segments(path.name)
    longest = max(len(s.source) for s in doc.segments)
    if longest > MAX_PARAGRAPH:
        raise BadInput(
            f"{path.name} has a paragraph of {longest:,} characters; handbill reads paragraphs up to {MAX_PARAGRAPH:,}",
            "break the text into paragraphs with blank lines",
        )
    return doc
