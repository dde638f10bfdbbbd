"""Plain text: paragraphs are separated by blank lines; lines that start with a bullet or number are list items."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from ..errors import BadInput
from ..model import Document, Kind, Segment

LIST_ITEM = re.compile(r"^\s*(?P<marker>[-*•·]|\d{1,3}[.)])\s+(?P<text>\S.*)$")
# "* * *", "---", "===", "• • •": a break, not words. A line of underscores is a blank to fill in on a form:
# content, kept.
SEPARATOR = re.compile(r"^([-*=~•·])(?:\s*\1){2,}$")


# Paragraphs, headings and list items in one leaflet. Each costs memory in every stage; 100,000 is some
# 25,000 pages of prose. Checked on the raw text before any parser builds its tokens, so a file of tiny
# paragraphs is refused in bounded memory (13.9 MB of them took 5 GB to read).
MAX_SEGMENTS = 100_000
BLOCK_START = re.compile(
    r"\n[ \t]*\n(?=[ \t]*\S)|^[ \t]{0,3}(?:[-*+•·](?=\s)|\d{1,9}[.)](?=\s)|#{1,6}(?=\s|$)"
    r"|[>|<]|```|~~~|[-=_*]{3,})",
    re.M,
)


def too_many_segments(name: str) -> BadInput:
    return BadInput(
        f"{name} has more than {MAX_SEGMENTS:,} paragraphs, headings and list items; handbill reads "
        f"leaflets up to {MAX_SEGMENTS:,}",
        "split the document into smaller leaflets",
    )


def check_blocks(text: str, name: str) -> None:
    """Refuse a text with more than MAX_SEGMENTS places where a block can start (a blank line, a list
    marker, a heading, a quote, a table row), counting only as far as the limit."""
    starts = BLOCK_START.finditer(text)
    if next(itertools.islice(starts, MAX_SEGMENTS, None), None) is not None:
        raise too_many_segments(name)


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused with the byte offset.
    A text with more blocks than handbill reads is refused here, before it is parsed."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise BadInput(
            f"{name} is not valid {encoding.upper().replace('-SIG', '')} text (bad byte at offset {exc.start})",
            "re-save the file as UTF-8",
        ) from None
    if "\x00" in text:
        raise BadInput(f"{name} looks like a binary file, not text", "give a .txt, .md, .docx or .pdf leaflet")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    check_blocks(text, name)
    return text


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror or exc}") from None


def blocks_from_text(text: str, page: int = 0) -> list[Segment]:
    """Paragraphs and list items of one stretch of text; `page` is recorded on each (0: pages unknown)."""
    segments: list[Segment] = []
    for block in re.split(r"\n\s*\n", text):
        paragraph: list[str] = []
        for line in [line.strip() for line in block.split("\n") if line.strip()] + [""]:
            separator = SEPARATOR.match(line)
            item = None if separator else LIST_ITEM.match(line)
            if not line or item or separator:  # the lines gathered so far end here
                if paragraph:
                    segments.append(Segment("", Kind.PARAGRAPH, " ".join(paragraph)))
                    paragraph = []
                if item:
                    segments.append(Segment("", Kind.LIST_ITEM, item["text"], marker=item["marker"]))
            elif segments and segments[-1].kind == Kind.LIST_ITEM and not paragraph and line[0].islower():
                segments[-1].source += " " + line  # a wrapped list item
            else:
                paragraph.append(line)
    for seg in segments:
        seg.page = page
    return segments


def read(path: Path) -> Document:
    text = decode(read_bytes(path), path.name)
    pages = text.split("\f")  # form feeds (pdftotext output) are page breaks: the splitter may rejoin across them
    segments = [
        seg for number, page in enumerate(pages, 1) for seg in blocks_from_text(page, number if len(pages) > 1 else 0)
    ]
    return Document(source_name=path.stem, source_format="txt", source_path=str(path), segments=segments)
