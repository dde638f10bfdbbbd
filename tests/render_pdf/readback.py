"""Reading rendered PDFs back: text per column, words with positions, and proof that every printed
character sits in an embedded TrueType font that really has a glyph for it (no boxes)."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import pdfplumber
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFontFile

FONT_ROOT = Path("/usr/share/fonts/truetype")
STANDARD_14 = {"Helvetica", "Times", "Times-Roman", "Courier", "Symbol", "ZapfDingbats"}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def all_text(path) -> str:
    """pypdf's text of every page, in content order."""
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def column_text(path, side: str) -> str:
    """pdfplumber's text of the left or right half of every page, page after page."""
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            half = (0, 0, page.width / 2, page.height) if side == "left" else (page.width / 2, 0, page.width, page.height)
            out.append(page.crop(half).extract_text() or "")
    return "\n".join(out)


def in_order(haystack: str, needles: list[str]) -> bool:
    """Every needle occurs in the haystack (whitespace ignored), each after the one before."""
    hay, pos = squash(haystack), 0
    for needle in needles:
        found = hay.find(squash(needle), pos)
        if found < 0:
            return False
        pos = found + len(squash(needle))
    return True


def words(path) -> list[list[dict]]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_words() for page in pdf.pages]


@functools.cache
def _font_file(base_name: str) -> Path:
    """The installed TTF a PDF font subset was cut from (by PostScript name)."""
    stem = base_name.split("+", 1)[-1]
    for path in FONT_ROOT.rglob(f"{stem}.ttf"):
        return path
    for path in FONT_ROOT.rglob(f"{stem}*.ttf"):  # DroidSansFallback -> DroidSansFallbackFull.ttf, Symbola -> _hint
        return path
    raise AssertionError(f"no installed font file for {base_name}")


@functools.cache
def _cmap(path: Path) -> frozenset[int]:
    return frozenset(TTFontFile(str(path), validate=0).charToGlyph)


def assert_clean(path) -> None:
    """No U+FFFD, private-use or control characters in the text; every font an embedded TrueType subset
    (never a built-in Helvetica); and every character printed in a font whose cmap has it, so no
    glyph is a .notdef box."""
    text = all_text(path)
    bad = [ch for ch in text if ch == "\ufffd" or unicodedata.category(ch) in {"Co", "Cc", "Cn"} and ch not in "\n\t"]
    assert not bad, f"unprintable characters in the text: {[f'U+{ord(c):04X}' for c in bad]}"
    for page in PdfReader(path).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            name = str(font["/BaseFont"])
            assert name.lstrip("/").split("+")[-1].split("-")[0] not in STANDARD_14, f"built-in font used: {name}"
            assert font["/Subtype"] == "/TrueType" and "/FontFile2" in font["/FontDescriptor"], name
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for char in page.chars:
                covered = _cmap(_font_file(char["fontname"]))
                for ch in char["text"]:
                    assert ch.isspace() or ord(ch) in covered, \
                        f"U+{ord(ch):04X} printed in {char['fontname']}, which has no glyph for it"
