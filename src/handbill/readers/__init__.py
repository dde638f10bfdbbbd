"""Readers: a leaflet file -> Document of raw blocks (segments without ids). One module per format."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

from ..errors import BadInput
from ..model import Document, Segment
from ..store import text_of
from . import txt
from .txt import TooManySegments

# Suffix -> reader module, imported when a file of its kind is read (pypdf and python-docx take most of a
# second to import, on every command that never reads a PDF or a Word file).
READERS = {".txt": "txt", ".text": "txt", ".md": "markdown", ".markdown": "markdown", ".docx": "docx", ".pdf": "pdf"}
MAX_BYTES = 50 * 1024 * 1024  # a leaflet is never this big; refuse before parsing
MAX_PARAGRAPH = 100_000  # characters; glossary post-editing grows with paragraph length times its terms

__all__ = ["MAX_BYTES", "MAX_PARAGRAPH", "READERS", "TooManySegments", "read", "stream", "streams"]


def read(path: Path) -> Document:
    """The leaflet as one Document; more blocks than one Document holds raise txt.TooManySegments (exit 3)."""
    path = Path(path)
    doc = _reader(path).read(path)
    doc.source_name, doc.source_path = text_of(path.stem), text_of(str(path))  # valid UTF-8 in document.json
    doc.segments = [s for s in doc.segments if s.source.strip()]
    if not doc.segments:
        raise BadInput(f"{path.name} contains no text", "check that it is the right file")
    if len(doc.segments) > txt.MAX_SEGMENTS:
        raise txt.too_many_segments(path.name)
    longest = max(doc.segments, key=lambda s: len(s.source))
    _check_length(longest, path)
    return doc


STREAMED = {"txt", "markdown"}  # formats that can hold millions of blocks in 50 MB, read a block at a time


def streams(path: Path) -> bool:
    """Whether `stream` reads this leaflet (.txt, .md); a PDF or Word file is read whole."""
    return READERS.get(Path(path).suffix.lower()) in STREAMED


def stream(path: Path) -> tuple[Document, Iterator[Segment]]:
    """A .txt or .md leaflet's header (no segments) and its blocks one at a time, however many there are, for a
    run in parts (api). The blocks are checked as `read` checks them as they come."""
    path = Path(path)
    doc, segments = _reader(path).stream(path)
    doc.source_name, doc.source_path = text_of(path.stem), text_of(str(path))
    return doc, (_check_length(s, path) for s in segments if s.source.strip())


def _reader(path: Path):
    """The reader module for a leaflet file that exists and is not too big."""
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
    return importlib.import_module(f"{__name__}.{module}")


def _check_length(seg: Segment, path: Path) -> Segment:
    if len(seg.source) > MAX_PARAGRAPH:
        raise BadInput(
            f"{path.name} has a paragraph of {len(seg.source):,} characters; handbill reads paragraphs up to "
            f"{MAX_PARAGRAPH:,}",
            "break the text into paragraphs with blank lines",
        )
    return seg
