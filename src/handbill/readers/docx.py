"""Word files via python-docx. Text is read from runs so tracked insertions count and deletions do not;
the archive is checked for zip bombs before any XML is parsed."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn

from ..errors import BadInput
from ..model import Document, Kind, Segment

MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 200


def _check_archive(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise BadInput(f"{path.name} is not a valid Word file ({exc})", "re-save it from Word as .docx") from None
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if unpacked > MAX_UNPACKED or unpacked / packed > MAX_RATIO and unpacked > 10 * 1024 * 1024:
        raise BadInput(f"{path.name} unpacks to {unpacked / 1e6:.0f} MB (a zip bomb?)", "re-save it from Word")


def paragraph_text(element) -> str:
    """Visible text of a w:p or w:tc element: w:t inside w:ins counts, anything inside w:del does not."""
    parts: list[str] = []
    for node in element.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
        if any(anc.tag == qn("w:del") for anc in node.iterancestors()):
            continue
        parts.append(node.text or "" if node.tag == qn("w:t") else " ")
    return "".join(parts)


def _kind(style_name: str) -> tuple[Kind, int]:
    name = (style_name or "").lower()
    if name == "title":
        return Kind.HEADING, 1
    if name.startswith("heading"):
        digits = "".join(ch for ch in name if ch.isdigit())
        return Kind.HEADING, int(digits or 1)
    if name.startswith("list") or "bullet" in name:
        return Kind.LIST_ITEM, 0
    if "quote" in name:
        return Kind.QUOTE, 0
    return Kind.PARAGRAPH, 0


def read(path: Path) -> Document:
    _check_archive(path)
    try:
        word = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many types for broken packages
        raise BadInput(f"{path.name} is not a readable Word file ({type(exc).__name__})",
                       "re-save it from Word as .docx") from None
    segments: list[Segment] = []
    for block in word.element.body.iterchildren():
        if block.tag == qn("w:p"):
            style = block.pPr.pStyle.val if block.pPr is not None and block.pPr.pStyle is not None else ""
            style_name = word.styles.element.get_by_id(style).name_val if style and word.styles.element.get_by_id(style) is not None else style
            kind, level = _kind(style_name)
            numbered = block.pPr is not None and block.pPr.numPr is not None
            if numbered and kind == Kind.PARAGRAPH:
                kind = Kind.LIST_ITEM
            text = " ".join(paragraph_text(block).split())
            if text:
                segments.append(Segment("", kind, text, level=level, marker="-" if kind == Kind.LIST_ITEM else ""))
        elif block.tag == qn("w:tbl"):
            for cell in block.iter(qn("w:tc")):
                text = " ".join(paragraph_text(cell).split())
                if text:
                    segments.append(Segment("", Kind.PARAGRAPH, text))
    title = (word.core_properties.title or "").strip()
    return Document(source_name=path.stem, source_format="docx", source_path=str(path), title=title,
                    segments=segments)
