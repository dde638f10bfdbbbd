"""The one contract every review file format keeps, so that export, the life cycle (files.py) and import
(merge.py) never need to know which format they hold.

- `export(doc, dest, export_id="", **options) -> Path`: one row per segment with its id, status, source,
  translation and notes; `export_id` written into the file where the format has room for it (CSV has none:
  its export is found by content); options the format has no use for (a Word draft's paper) are ignored.
- `read(path) -> Rows`: every row back (id, source, translation, the status or draft mark the file states,
  the reviewer's notes), with the export id and target language when the file carries them; a file that
  is not of the format raises BadInput (exit 3), never anything else.

A new format is one module with those two functions and a `FORMAT = ReviewFormat(...)` line, listed in
review/__init__.py; tests/review/test_contract.py then runs the shared round trip on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..model import Document
from .merge import Rows


class Exporter(Protocol):
    def __call__(self, doc: Document, dest: Path, export_id: str = "", **options: Any) -> Path: ...


@dataclass(frozen=True)
class ReviewFormat:
    name: str  # as `review export --format` takes it
    suffixes: tuple[str, ...]  # file name endings that mean this format, the one export writes first
    export: Exporter
    read: Callable[[Path], Rows]
    carries_export_id: bool = True  # the file names the export it came from
