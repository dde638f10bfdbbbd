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
            left = side == "left"
            half = (0, 0, page.width / 2, page.height) if left else (page.width / 2, 0, page.width, page.height)
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
    bad = [ch for ch in text if ch == "\ufffd" or (unicodedata.category(ch) in {"Co", "Cc", "Cn"} and ch not in "\n\t")]
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
                    assert ch.isspace() or ord(ch) in covered, (
                        f"U+{ord(ch):04X} printed in {char['fontname']}, which has no glyph for it"
                    )


def assert_large_print(path, halves: bool, body: float = 18.0) -> None:
    """UKAAF/APH large print, measured on the page: body text 18 pt (the commonest size), nothing under 16 pt,
    sans-serif faces only, no italic or oblique, body lines at least 1.4 times their size apart, and every
    left-to-right line starting at its column's left edge or a list indent (never centred or ragged).
    `halves`: the page holds two columns or two half pages, each checked on its own. `body`: the body size
    expected (booklets may grow it to fill their last sheet)."""
    with pdfplumber.open(path) as pdf:
        chars = [c for page in pdf.pages for c in page.chars if c["text"].strip()]
        sizes = [round(c["size"], 1) for c in chars]
        commonest = max(set(sizes), key=sizes.count)
        assert commonest == body, f"body text is {commonest} pt, not {body}"
        assert min(sizes) >= 16, f"text under 16 pt: {sorted(set(sizes))[:3]}"
        faces = {c["fontname"].split("+")[-1] for c in chars}
        assert all("Sans" in f or "Fallback" in f for f in faces), faces
        assert not [f for f in faces if "Italic" in f or "Oblique" in f], faces
        for page in pdf.pages:
            middle = page.width / 2 if halves else page.width
            for part in ([c for c in page.chars if c["x0"] < middle], [c for c in page.chars if c["x0"] >= middle]):
                lines: dict[float, list] = {}
                for c in part:  # a line is the characters on one baseline (Chinese and Latin tops differ)
                    if c["text"].strip():
                        lines.setdefault(round(page.height - c["matrix"][5], 0), []).append(c)
                if not lines:
                    continue
                tops = sorted(top for top, line in lines.items() if any(round(c["size"], 1) == body for c in line))
                assert all(b - a >= body * 1.4 - 0.5 for a, b in zip(tops, tops[1:])), f"tight leading: {tops}"
                ltr = [
                    line
                    for line in lines.values()  # page numbers sit in the outer corner
                    if not any(unicodedata.bidirectional(c["text"]) in {"R", "AL"} for c in line)
                    and not "".join(c["text"] for c in line).isdigit()
                ]
                starts = [min(c["x0"] for c in line) for line in ltr]
                if starts:
                    edge = min(starts)
                    assert max(starts) - edge <= 18 * 2, (
                        f"a line starts {max(starts) - edge:.0f} pt in on page {page.page_number}: not left-aligned: "
                        + "".join(c["text"] for c in ltr[starts.index(max(starts))])
                    )


def assert_addresses_whole(path, tokens: list[str], halves: bool) -> None:
    """On the first page, each e-mail address, URL or handle is whole on one line, or broken only after "@",
    "/" or "." — never inside a word, never with a hyphen."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        parts = (
            [page.crop((0, 0, page.width / 2, page.height)), page.crop((page.width / 2, 0, page.width, page.height))]
            if halves
            else [page]
        )
        texts = ["\n".join(line.strip() for line in (part.extract_text() or "").splitlines()) for part in parts]
    for token in tokens:
        pattern = "\n?".join(re.escape(ch) for ch in token)
        found = [m for text in texts for m in re.finditer(pattern, text)]
        assert found, f"{token!r} is not on the first page in one piece (or broken with a hyphen or a space)"
        for match in found:
            for at in (i for i, ch in enumerate(match.group()) if ch == "\n"):
                assert match.group()[at - 1] in "@/.", f"{token!r} broken inside a word: {match.group()!r}"


def assert_page_numbers_clear(path) -> None:
    """The page number in each corner stands clear of the footer text beside it ("aún1" was the defect)."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[:2]:
            words = page.extract_words(x_tolerance=1)
            corner = [
                w
                for w in words
                if re.search(r"\d$", w["text"])
                and w["top"] > page.height * 0.8
                and (w["x0"] < page.width * 0.12 or w["x1"] > page.width * 0.88)
            ]
            for number in corner:
                assert number["text"].isdigit(), f"the page number runs into the footer: {number['text']!r}"
                for word in words:
                    if word is number or word["top"] >= number["bottom"] or word["bottom"] <= number["top"]:
                        continue
                    gap = max(word["x0"] - number["x1"], number["x0"] - word["x1"])
                    assert gap >= 4, f"page number {number['text']} touches {word['text']!r}"
