"""The Word review draft: exported by render.docx, read back here including tracked changes."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.ns import qn

from ..errors import BadInput
from ..model import Document
from ..readers.docx import _check_archive, paragraph_text
from ..render.docx import render_review_docx
from .merge import Row, Rows, status_from


def export(doc: Document, dest: Path, export_id: str = "", **options) -> Path:
    return render_review_docx(doc, dest, export_id=export_id, **options)


def _cell_text(tc) -> str:
    return "\n".join(" ".join(paragraph_text(p).split()) for p in tc.iter(qn("w:p"))).strip()


def read(path: Path) -> list[Row]:
    """Rows of the review table; w:ins text counts, w:del text does not (cell.text would drop insertions)."""
    _check_archive(path)
    try:
        word = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 — python-docx raises many types for broken packages
        raise BadInput(f"{path.name} is not a readable Word file ({type(exc).__name__})") from None
    for table in word.element.body.iter(qn("w:tbl")):
        rows = list(table.iter(qn("w:tr")))
        if not rows:
            continue
        header = [_cell_text(tc).lower() for tc in rows[0].iter(qn("w:tc"))]
        if header[:1] == ["id"] and "source" in header and "translation" in header:
            i_src, i_tgt = header.index("source"), header.index("translation")
            i_status = header.index("status") if "status" in header else None
            out = Rows()
            out.export_id = (word.core_properties.identifier or "").strip()
            for tr in rows[1:]:
                cells = [_cell_text(tc) for tc in tr.iter(qn("w:tc"))]
                if len(cells) <= max(i_src, i_tgt) or not any(cells):
                    continue
                status = status_from(cells[i_status]) if i_status is not None and i_status < len(cells) else None
                out.append(Row(cells[0].strip(), cells[i_src], cells[i_tgt], status))
            return out
    raise BadInput(f"{path.name} has no handbill review table (id, status, source, translation)",
                   "import the file made by `handbill review export --format docx`")
