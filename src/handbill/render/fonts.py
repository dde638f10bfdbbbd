"""Embedded TrueType fonts with per-character fallback, so no script ever prints as boxes.

Built-in Helvetica is never used for text: it silently turns Cyrillic or Vietnamese into black boxes.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFile

from ..errors import MissingDependency

FONT_DIRS = (Path("/usr/share/fonts/truetype"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
# (registered name, file, Debian package) in fallback order: the first font covering a character wins.
FALLBACK = (
    ("HB-Sans", "NotoSans-Regular.ttf", "fonts-noto-core"),
    ("HB-Arabic", "NotoSansArabic-Regular.ttf", "fonts-noto-core"),
    ("HB-Devanagari", "NotoSansDevanagari-Regular.ttf", "fonts-noto-core"),
    ("HB-Hebrew", "NotoSansHebrew-Regular.ttf", "fonts-noto-core"),
    ("HB-Symbols", "NotoSansSymbols-Regular.ttf", "fonts-noto-core"),
    ("HB-Symbols2", "NotoSansSymbols2-Regular.ttf", "fonts-noto-core"),
    ("HB-Math", "NotoSansMath-Regular.ttf", "fonts-noto-core"),
    ("HB-CJK", "DroidSansFallbackFull.ttf", "fonts-droid-fallback"),
    ("HB-Emoji", "Symbola_hint.ttf", "fonts-symbola"),  # monochrome emoji and rarer symbols
)
# Bold faces where Noto has them, so a headline in Arabic or Hindi is as bold as the Latin one.
BOLD = {
    "HB-Sans": "NotoSans-Bold.ttf",
    "HB-Arabic": "NotoSansArabic-Bold.ttf",
    "HB-Devanagari": "NotoSansDevanagari-Bold.ttf",
    "HB-Hebrew": "NotoSansHebrew-Bold.ttf",
}


def locate(filename: str) -> Path | None:
    """The installed font file of that name (the first of FONT_DIRS that has it)."""
    for folder in FONT_DIRS:
        if folder.is_dir():
            for path in folder.rglob(filename):
                return path
    return None


@functools.cache
def _register(name: str, filename: str, path: Path | None = None) -> TTFont | None:
    path = path or locate(filename)
    if path is None:
        return None
    font = TTFont(name, str(path))
    pdfmetrics.registerFont(font)
    return font


@functools.cache
def _other_noto() -> dict[int, Path]:
    """Code point -> another installed Noto Sans face (Ethiopic, Myanmar, Thai, Linear B …).
    Read only when the main list misses a character, so common documents never pay for it."""
    main = {filename for _, filename, _ in FALLBACK}
    index: dict[int, Path] = {}
    for folder in FONT_DIRS:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("NotoSans*-Regular.ttf")):
            if path.name in main:
                continue
            try:
                face = TTFontFile(str(path), validate=0)
            except Exception:  # noqa: BLE001 — a broken or unusual font file is simply not used
                continue
            for code in face.charToGlyph:
                index.setdefault(code, path)
    return index


@functools.cache
def available() -> tuple[tuple[str, frozenset[int]], ...]:
    """Registered fallback fonts with the code points each covers."""
    fonts = []
    for name, filename, _ in FALLBACK:
        font = _register(name, filename)
        if font is not None:
            fonts.append((name, frozenset(font.face.charToGlyph)))
    if not fonts or fonts[0][0] != "HB-Sans":
        raise MissingDependency(
            "the Noto Sans font is not installed", "sudo apt-get install fonts-noto-core (or run `make setup`)"
        )
    return tuple(fonts)


def body_font() -> str:
    available()
    return "HB-Sans"


def bold_font() -> str:
    return bold_of(body_font())


def bold_of(name: str) -> str:
    """The bold face of a fallback font, or the font itself where no bold face is installed."""
    if name.endswith("-Bold"):
        return name
    filename = BOLD.get(name)
    return f"{name}-Bold" if filename and _register(f"{name}-Bold", filename) else name


def regular_of(name: str) -> str:
    return name.removesuffix("-Bold")


def invisible(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"}


def font_for(ch: str) -> str:
    code = ord(ch)
    for name, covered in available():
        if code in covered:
            return name
    path = _other_noto().get(code)
    if path is not None:
        name = "HB-" + path.stem.removesuffix("-Regular")
        _register(name, path.name, path)
        return name
    packages = sorted({pkg for _, _, pkg in FALLBACK})
    raise MissingDependency(
        f"no installed font can print U+{code:04X} {describe(ch)} ({ch!r})",
        f"install a font that covers it, e.g. sudo apt-get install {' '.join(packages)} fonts-noto-extra",
    )


def describe(ch: str) -> str:
    """The character's Unicode name, or what kind of code point it is when it has none."""
    kinds = {
        "Co": "PRIVATE USE CHARACTER (means something only to one font or program)",
        "Cn": "UNASSIGNED CODE POINT",
        "Cs": "SURROGATE",
    }
    return unicodedata.name(ch, kinds.get(unicodedata.category(ch), "UNNAMED CHARACTER"))


def markup(text: str, base: str) -> str:
    """Escaped Paragraph markup with a <font> run wherever `base` lacks a character."""
    covered = dict(available())
    bold = base.endswith("-Bold")
    base_cover = covered.get(regular_of(base)) or covered["HB-Sans"]
    out: list[str] = []
    run_font, run = base, list[str]()
    for ch in text:
        if invisible(ch) or ord(ch) in base_cover:
            font = base
        else:
            font = bold_of(font_for(ch)) if bold else font_for(ch)
        if font != run_font and run:
            out.append(_wrap(run_font, base, "".join(run)))
            run = []
        run_font = font
        run.append(ch)
    if run:
        out.append(_wrap(run_font, base, "".join(run)))
    return "".join(out)


def _wrap(font: str, base: str, text: str) -> str:
    text = escape(text)
    return text if font == base else f'<font name="{font}">{text}</font>'


def check(text: str) -> None:
    """Raise MissingDependency for the first character no font covers."""
    for ch in text:
        if not invisible(ch):
            font_for(ch)
