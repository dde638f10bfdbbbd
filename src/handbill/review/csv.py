"""CSV review sheets (id, status, source, translation, notes, export) for spreadsheets; cells are guarded against
formulas. The notes column (repairs, QA flags, back-translation) is for the reviewer; lines they add to it are
read back as their notes. The export column carries the export's id on every row (a sheet has no other place
for it), so a sheet sorted, filtered or cut down to a few rows still finds the export it came from."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path
from typing import Any

from ..errors import BadInput
from ..model import Document
from ..store import atomic_write
from ..text import FORMULA_STARTS
from .base import ReviewFormat
from .merge import Row, Rows, status_from

HEADER = ["id", "status", "source", "translation", "notes", "export"]


GUARDED = (*FORMULA_STARTS, "'")  # what a spreadsheet would run as a formula, and the guard itself


def _safe(cell: str) -> str:
    """A cell starting like a formula would run in a spreadsheet: prefix it with an apostrophe. A text
    that itself starts with an apostrophe gets one too, so reading it back takes exactly one off."""
    return "'" + cell if cell.startswith(GUARDED) else cell


def _unsafe(cell: str) -> str:
    return cell[1:] if cell[:1] == "'" and cell[1:].startswith(GUARDED) else cell


def export(doc: Document, dest: Path, export_id: str = "", **_options: Any) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180; a cell with a lone CR gets quoted
    writer.writerow(HEADER)
    for seg in doc.segments:
        writer.writerow(
            [
                seg.id,
                seg.status.value,
                _safe(seg.source),
                _safe(seg.target),
                _safe("\n".join(seg.review_notes())),
                export_id,
            ]
        )
    with atomic_write(dest, "w") as fh:
        fh.write(out.getvalue())
    return Path(dest)


def read(path: Path) -> Rows:
    try:
        text = path.read_bytes().decode("utf-8-sig")
        header = text.split("\n", 1)[0]
        # Spreadsheets in many locales (Spanish, French, German Excel) save ";" between cells; some save tabs.
        delimiter = max(",;\t", key=lambda d: (header.count(d), d == ","))
        records = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))
    except UnicodeDecodeError:
        raise BadInput(
            f"{path.name} is not a UTF-8 CSV review sheet",
            'save it as "CSV UTF-8" (Excel) or with the UTF-8 character set (LibreOffice)',
        ) from None
    except (csv.Error, OSError) as exc:
        raise BadInput(f"{path.name} is not a readable CSV review sheet ({type(exc).__name__}: {exc})") from None
    if not records or not {"id", "source", "translation"} <= set(records[0]):
        raise BadInput(
            f"{path.name} has no id, source and translation columns",
            "import the file made by `handbill review export --format csv`",
        )
    rows = Rows()
    ids = Counter(value.strip() for rec in records if isinstance(value := rec.get("export"), str) and value.strip())
    rows.export_id = ids.most_common(1)[0][0] if ids else ""  # a row pasted from another sheet does not decide
    for rec in records:
        rows.append(
            Row(
                (rec.get("id") or "").strip(),
                _unsafe(rec.get("source") or ""),
                _unsafe(rec.get("translation") or ""),
                status_from(rec.get("status")),
                comment=_unsafe(rec.get("notes") or ""),
            )
        )
    return rows


FORMAT = ReviewFormat("csv", (".csv",), export, read)
