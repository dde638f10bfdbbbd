"""The Word review draft: exported by render.docx, read back here including tracked changes.

What a reviewer writes besides the translation is kept too: lines they add to the notes column, and Word
comments they attach to a row (handbill's own comments, by "handbill", are not theirs)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from ..errors import BadInput
from ..model import Document
from ..readers.docx import open_word, paragraph_text
from ..render.docx import render_review_docx
from ..text import fold
from .base import ReviewFormat
from .merge import Row, Rows, status_from

OWN_AUTHOR = "handbill"


def export(doc: Document, dest: Path, export_id: str = "", **options) -> Path:
    return render_review_docx(doc, dest, export_id=export_id, **options)


def _cell_text(tc) -> str:
    return "\n".join(fold(paragraph_text(p)) for p in tc.iter(qn("w:p"))).strip()


def _picker(cells: list[str], column: Mapping[str, int]):
    """cell(name): the text of the named column in this row, "" where the row is short or has no such column."""

    def cell(name: str) -> str:
        return cells[column[name]] if name in column and column[name] < len(cells) else ""

    return cell


def _comments(word) -> dict[str, str]:
    """Word comments by id, "comment by AUTHOR: text", leaving out handbill's own."""
    found = {}
    for rel in word.part.rels.values():
        if rel.reltype != RT.COMMENTS or rel.is_external:
            continue
        try:
            root = etree.fromstring(rel.target_part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            raise BadInput("the Word file's comments are not well-formed XML", "re-save it from Word") from None
        for comment in root.iterchildren(qn("w:comment")):
            author = comment.get(qn("w:author"), "")
            text = " ".join(fold(paragraph_text(p)) for p in comment.iter(qn("w:p"))).strip()
            if text and author != OWN_AUTHOR:
                found[comment.get(qn("w:id"), "")] = f"comment by {author or 'a reviewer'}: {text}"
    return found


def read(path: Path) -> Rows:
    """Rows of the review table; w:ins text counts, w:del text does not (cell.text would drop insertions)."""
    word = open_word(path, hint=None)
    comments = _comments(word)
    for table in word.element.body.iter(qn("w:tbl")):
        rows = list(table.iter(qn("w:tr")))
        if not rows:
            continue
        header = [_cell_text(tc).lower() for tc in rows[0].iter(qn("w:tc"))]
        if header[:1] == ["id"] and "source" in header and "translation" in header:
            column: dict[str, int] = {
                name: header.index(name) for name in ("source", "translation", "status", "notes") if name in header
            }
            out = Rows()
            out.export_id = (word.core_properties.identifier or "").strip()
            for tr in rows[1:]:
                cells = [_cell_text(tc) for tc in tr.iter(qn("w:tc"))]
                if len(cells) <= max(column["source"], column["translation"]) or not any(cells):
                    continue
                cell = _picker(cells, column)
                remarks = [
                    comments[ref.get(qn("w:id"), "")]
                    for ref in tr.iter(qn("w:commentReference"))
                    if ref.get(qn("w:id"), "") in comments
                ]
                out.append(
                    Row(
                        cells[0].strip(),
                        cell("source"),
                        cell("translation"),
                        status_from(cell("status")),
                        comment="\n".join(filter(None, [cell("notes"), *remarks])),
                    )
                )
            return out
    raise BadInput(
        f"{path.name} has no handbill review table (id, status, source, translation)",
        "import the file made by `handbill review export --format docx`",
    )


FORMAT = ReviewFormat("docx", (".docx",), export, read)
