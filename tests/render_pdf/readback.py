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


def assert_large_print(path, halves: bool) -> None:
    """UKAAF/APH large print, measured on the page: body text 18 pt (the commonest size), nothing under 16 pt,
    sans-serif faces only, no italic or oblique, body lines at least 1.4 times their size apart, and every
    left-to-right line starting at its column's left edge or a list indent (never centred or ragged).
    `halves`: the page holds two columns or two half pages, each checked on its own."""
    with pdfplumber.open(path) as pdf:
        chars = [c for page in pdf.pages for c in page.chars if c["text"].strip()]
        sizes = [round(c["size"], 1) for c in chars]
        assert max(set(sizes), key=sizes.count) == 18.0, "body text is not 18 pt"
        assert min(sizes) >= 16, f"text under 16 pt: {sorted(set(sizes))[:3]}"
        faces = {c["fontname"].split("+")[-1] for c in chars}
        assert all("Sans" in f or "Fallback" in f for f in faces), faces
        assert not [f for f in faces if "Italic" in f or "Oblique" in f], faces
        for page in pdf.pages:
            middle = page.width / 2 if halves else page.width
            for part in ([c for c in page.chars if c["x0"] < middle], [c for c in page.chars if c["x0"] >= middle]):
                lines: dict[float, list] = {}
                for c in part:
                    if c["text"].strip():
                        lines.setdefault(round(c["top"], 0), []).append(c)
                if not lines:
                    continue
                body = sorted(top for top, line in lines.items() if any(round(c["size"], 1) == 18 for c in line))
                assert all(b - a >= 18 * 1.4 - 0.5 for a, b in zip(body, body[1:])), f"tight leading: {body}"
                ltr = [line for line in lines.values()  # page numbers sit in the outer corner
                       if not any(unicodedata.bidirectional(c["text"]) in {"R", "AL"} for c in line)
                       and not "".join(c["text"] for c in line).isdigit()]
                starts = [min(c["x0"] for c in line) for line in ltr]
                if starts:
                    edge = min(starts)
                    assert max(starts) - edge <= 18 * 2, \
                        f"a line starts {max(starts) - edge:.0f} pt in on page {page.page_number}: not left-aligned: " + "".join(c["text"] for c in ltr[starts.index(max(starts))])
