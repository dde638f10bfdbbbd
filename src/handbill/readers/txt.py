"""Plain text: paragraphs are separated by blank lines; lines that start with a bullet or number are list items."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
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


class TooManySegments(BadInput):
    """More paragraphs than one Document holds: a .txt or .md leaflet is then run in parts to document.json
    alone (api); anything else is refused."""


def too_many_segments(name: str) -> TooManySegments:
    return TooManySegments(
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


def decode(data: bytes, name: str, limit: bool = True) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused with the byte offset.
    With `limit`, a text with more blocks than one Document holds is refused here, before it is parsed."""
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
    if limit:
        check_blocks(text, name)
    return text


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror or exc}") from None


BLANK_LINES = re.compile(r"\n\s*\n")


def blocks_from_text(text: str, page: int = 0) -> list[Segment]:
    """Paragraphs and list items of one stretch of text; `page` is recorded on each (0: pages unknown)."""
    return list(blocks(text, page))


def blocks(text: str, page: int = 0) -> Iterator[Segment]:
    """blocks_from_text one block at a time (a leaflet run in parts is never held whole). Each segment is given
    out when the next one starts: until then a wrapped list item's next line may still join it."""
    last: Segment | None = None
    start = 0
    for gap in itertools.chain(BLANK_LINES.finditer(text), [None]):  # re.split, one block at a time
        block = text[start : gap.start() if gap else len(text)]
        start = gap.end() if gap else len(text)
        paragraph: list[str] = []
        for line in [line.strip() for line in block.split("\n") if line.strip()] + [""]:
            separator = SEPARATOR.match(line)
            item = None if separator else LIST_ITEM.match(line)
            if not line or item or separator:  # the lines gathered so far end here
                ended = [Segment("", Kind.PARAGRAPH, " ".join(paragraph), page=page)] if paragraph else []
                paragraph = []
                if item:
                    ended.append(Segment("", Kind.LIST_ITEM, item["text"], marker=item["marker"], page=page))
                for seg in ended:
                    if last is not None:
                        yield last
                    last = seg
            elif last is not None and last.kind == Kind.LIST_ITEM and not paragraph and line[0].islower():
                last.source += " " + line  # a wrapped list item
            else:
                paragraph.append(line)
    if last is not None:
        yield last


def read(path: Path) -> Document:
    doc, segments = stream(path, limit=True)
    doc.segments = list(segments)
    return doc


def stream(path: Path, limit: bool = False) -> tuple[Document, Iterator[Segment]]:
    """The leaflet's header and its blocks, given out one at a time (readers.stream)."""
    text = decode(read_bytes(path), path.name, limit)
    pages = text.split("\f")  # form feeds (pdftotext output) are page breaks: the splitter may rejoin across them
    segments = (seg for number, page in enumerate(pages, 1) for seg in blocks(page, number if len(pages) > 1 else 0))
    return Document(source_name=path.stem, source_format="txt", source_path=str(path)), segments
