"""PDF text via pypdf. Lines are grouped into paragraphs by the vertical gaps between them; page numbers
and running headers/footers are taken out, words hyphenated at a line end are rejoined, a page boundary
ends a block, and the splitter rejoins paragraphs the page break cut in two."""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from ..errors import BadInput
from ..model import Document, Segment
from .txt import blocks_from_text

logging.getLogger("pypdf").setLevel(logging.ERROR)

PAGE_NUMBER = re.compile(r"^(?:page\s*|p\.\s*)?[-–—]?\s*\d{1,4}\s*(?:(?:of|/)\s*\d{1,4})?\s*[-–—]?$", re.I)
EDGE_LINES = 2
RUNNING_MAX_WORDS = 12  # a running header or footer is one short line
LINE_HYPHEN = re.compile(r"[^\W\d_](?:-|\u00ad)$")


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
        if spacing and (gap > spacing * 1.4 or gap < 0):
            out.append("\n\n")
        elif LINE_HYPHEN.search(out[-1]) and line[2][:1].islower():
            out[-1] = out[-1].removesuffix("\u00ad")  # a word hyphenated at the line end stays one word
        else:
            out.append("\n")
        out.append(line[2])
    return "".join(out)


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _running_lines(pages: list[list[tuple[float, float, str]]], spacing: float) -> tuple[list[list], list[str]]:
    """Page numbers and running headers/footers sit between the halves of a paragraph cut by a page
    break. Page numbers and lines that repeat with a changing number ("Page 2 of 3") go; a header repeated
    word for word stays once, on the first page; a repeated footer stays once, at the end of the document.
    Only the two lines nearest each page edge are candidates, and only when a paragraph gap separates
    them from the body (a repeated body line is never taken for a footer)."""
    if len(pages) < 2:
        return pages, []
    edges = {0: [lines[:EDGE_LINES] for lines in pages], -1: [lines[-EDGE_LINES:] for lines in pages]}
    counts = {
        end: Counter(shape for group in groups for shape in {_shape(line[2]) for line in group})
        for end, groups in edges.items()
    }
    variants: dict[tuple[int, str], set[str]] = {}
    for end, groups in edges.items():
        for group in groups:
            for line in group:
                variants.setdefault((end, _shape(line[2])), set()).add(line[2])

    def apart(lines: list, end: int) -> bool:
        """The edge line stands apart from the next line inward."""
        if len(lines) < 2:
            return True
        gap = lines[0][0] - lines[1][0] if end == 0 else lines[-2][0] - lines[-1][0]
        return not spacing or gap > spacing * 1.4 or gap < 0

    def running(lines: list, end: int) -> bool:
        """A page number, or a short line repeated at this edge of other pages (a running header or footer;
        body text that happens to start pages, "Step 3: …" then "Step 7: …", is longer)."""
        text = lines[end][2]
        return apart(lines, end) and (
            bool(PAGE_NUMBER.match(text)) or (counts[end][_shape(text)] > 1 and len(text.split()) <= RUNNING_MAX_WORDS)
        )

    def keep_once(end: int, text: str) -> bool:
        return not PAGE_NUMBER.match(text) and len(variants[(end, _shape(text))]) == 1

    footer: list[str] = []
    out: list[list] = []
    for number, lines in enumerate(pages):
        lines = list(lines)
        for _ in range(EDGE_LINES):
            if lines and running(lines, -1):
                text = lines.pop()[2]
                if keep_once(-1, text) and text not in footer:
                    footer.insert(0, text)
        kept_header: list = []
        for _ in range(EDGE_LINES):
            if lines and running(lines, 0):
                line = lines.pop(0)
                if number == 0 and keep_once(0, line[2]):
                    kept_header.append(line)
        out.append(kept_header + lines)
    return out, footer


def _title(reader: PdfReader) -> str:
    """The metadata title, unless it is only the name of the file the PDF was made from."""
    try:
        info = reader.metadata
        title = " ".join(str((info.get("/Title") if info is not None else None) or "").split())
    except Exception:  # noqa: BLE001 — a damaged info dictionary is no reason to refuse the text
        return ""
    lowered = title.lower()
    if (
        lowered in {"untitled", "untitled document"}
        or lowered.startswith("microsoft word -")
        or lowered.endswith((".doc", ".docx", ".pdf", ".odt", ".indd", ".txt"))
    ):
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
    except Exception as exc:  # noqa: BLE001 — pypdf raises assorted errors on hostile files
        if "crypt" in str(exc).lower():
            raise BadInput(f"{path.name} is encrypted", "save an unprotected copy of the PDF") from None
        raise BadInput(f"{path.name} is not a readable PDF ({type(exc).__name__})", "re-export the PDF") from None
    spacing = _line_spacing(page_lines)
    page_lines, footer = _running_lines(page_lines, spacing)
    hyphen_joins: dict[int, str] = {}
    for number, (page, following) in enumerate(zip(page_lines, page_lines[1:])):
        if page and following and LINE_HYPHEN.search(page[-1][2]) and following[0][2][:1].islower():
            y, size, text = page[-1]  # a word hyphenated over the page break: the rest joins it here
            rest = following.pop(0)[2]
            page[-1] = (y, size, text.removesuffix("\u00ad") + rest)
            hyphen_joins[number] = (
                f'joined a word hyphenated across a page break: "{text.split()[-1]}" + "{rest.split()[0]}"'
            )
    segments: list[Segment] = []
    for number, lines in enumerate(page_lines):
        blocks = blocks_from_text(_page_text(lines, spacing), page=number + 1)
        if blocks and number in hyphen_joins:
            blocks[-1].repairs.append(hyphen_joins[number])
        segments.extend(blocks)
    for text in footer:
        segments.extend(blocks_from_text(text))
    if not any(s.source.strip() for s in segments):
        raise BadInput(
            f"{path.name} has no text layer (a scanned or image-only PDF)",
            "run OCR first, e.g. `ocrmypdf in.pdf out.pdf`, then give handbill the result",
        )
    return Document(source_name=path.stem, source_format="pdf", source_path=str(path), title=title, segments=segments)
