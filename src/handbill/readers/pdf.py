"""PDF text via pypdf. Lines are grouped into paragraphs by the vertical gaps between them; a page
boundary always ends a block, and the splitter rejoins paragraphs the page break cut in two."""

from __future__ import annotations

import logging
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from ..errors import BadInput
from ..model import Document, Segment
from .txt import blocks_from_text

logging.getLogger("pypdf").setLevel(logging.ERROR)


def _page_lines(page) -> list[tuple[float, float, str]]:
    """(y, font size, text) per text line, top to bottom."""
    pieces: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text and text.strip():
            y = tm[5] * cm[3] + cm[5]
            size = abs(font_size * tm[3] * cm[3]) or font_size or 10
            pieces.append((round(y, 1), size, text))

    page.extract_text(visitor_text=visit)
    lines: list[list] = []
    for y, size, text in pieces:
        if lines and abs(lines[-1][0] - y) < size * 0.5:
            lines[-1][2] += text
        else:
            lines.append([y, size, text])
    return [(y, size, " ".join(text.split())) for y, size, text in lines if text.strip()]


def _line_spacing(pages: list[list[tuple[float, float, str]]]) -> float:
    """The distance between lines of one paragraph: the smallest gap between lines in the document
    (lines closer than half a font size were already merged into one line)."""
    gaps = [a[0] - b[0] for lines in pages for a, b in zip(lines, lines[1:]) if a[0] > b[0]]
    return min(gaps) if gaps else 0.0


def _page_text(lines: list[tuple[float, float, str]], spacing: float) -> str:
    """Lines joined; a gap clearly larger than the line spacing becomes a blank line (a paragraph break)."""
    if not lines:
        return ""
    out = [lines[0][2]]
    for prev, line in zip(lines, lines[1:]):
        gap = prev[0] - line[0]
        out.append("\n\n" if spacing and (gap > spacing * 1.4 or gap < 0) else "\n")
        out.append(line[2])
    return "".join(out)


def _title(reader: PdfReader) -> str:
    """The metadata title, unless it is only the name of the file the PDF was made from."""
    try:
        title = " ".join(str((reader.metadata or {}).get("/Title") or "").split())
    except Exception:  # a damaged info dictionary is no reason to refuse the text
        return ""
    lowered = title.lower()
    if lowered in {"untitled", "untitled document"} or lowered.startswith("microsoft word -") \
            or lowered.endswith((".doc", ".docx", ".pdf", ".odt", ".indd", ".txt")):
        return ""
    return title


def read(path: Path) -> Document:
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise BadInput(f"{path.name} is encrypted", "save an unprotected copy of the PDF")
        page_lines = [_page_lines(page) for page in reader.pages]
        title = _title(reader)
    except BadInput:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise BadInput(f"{path.name} is not a readable PDF ({type(exc).__name__})", "re-export the PDF") from None
    except Exception as exc:  # pypdf raises assorted errors on hostile files
        if "crypt" in str(exc).lower():
            raise BadInput(f"{path.name} is encrypted", "save an unprotected copy of the PDF") from None
        raise BadInput(f"{path.name} is not a readable PDF ({type(exc).__name__})", "re-export the PDF") from None
    spacing = _line_spacing(page_lines)
    segments: list[Segment] = []
    for lines in page_lines:
        segments.extend(blocks_from_text(_page_text(lines, spacing)))
    if not any(s.source.strip() for s in segments):
        raise BadInput(f"{path.name} has no text layer (a scanned or image-only PDF)",
                       "run OCR first, e.g. `ocrmypdf in.pdf out.pdf`, then give handbill the result")
    return Document(source_name=path.stem, source_format="pdf", source_path=str(path), title=title,
                    segments=segments)
