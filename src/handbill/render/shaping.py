"""Two fixes to reportlab 5.1's HarfBuzz shaping, needed for Devanagari (and other Indic scripts).

1. reportlab shapes a whole word with the font of its first run, so a word that mixes fonts —
   "(सभी)" where the brackets come from Noto Sans — gets glyph ids from the wrong font and prints
   boxes. We shape each same-font run of a word on its own.
2. Conjuncts and half forms are glyphs with no character of their own; reportlab gives them
   private-use code points, so the PDF's text reads "मनुय" for "मनुष्य" (copy-paste and screen
   readers lose letters). We remember which characters each such glyph stands for while shaping
   and write that text into the font's ToUnicode map. (The same map gets emoji right: reportlab
   writes code points above U+FFFF where PDF wants UTF-16 surrogate pairs.)

Both are installed once by `install()`; plain text that is not shaped is untouched.
"""

from __future__ import annotations

import functools
from collections import defaultdict

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.platypus import paragraph as rl_paragraph

from .. import internals

PRIVATE = range(0xE000, 0xF900)
# face name -> {private code point -> the text that glyph stands for}
_GLYPH_TEXT: dict[str, dict[int, str]] = defaultdict(dict)
# glyphs seen only in clusters with several unexplained glyphs: the first one's best guess
_GUESS: dict[str, dict[int, str]] = defaultdict(dict)


def _font_runs(word: list) -> list[list] | None:
    """Split a reportlab frag word ([width, (frag, text), ...]) into runs of one font each."""
    runs: list[list] = []
    for frag, text in word[1:]:
        if hasattr(frag, "cbDefn"):  # inline images/anchors: leave such words to reportlab
            return None
        if runs and runs[-1][-1][0].fontName == frag.fontName:
            runs[-1].append((frag, text))
        else:
            runs.append([(frag, text)])
    return runs


def _width(run: list) -> float:
    return sum(pdfmetrics.stringWidth(text, frag.fontName, frag.fontSize) for frag, text in run)


def _learn(run: list, shaped: list) -> None:
    """Record the source characters behind each private-use glyph in a shaped run."""
    text = "".join(t for _, t in run)
    font = pdfmetrics.getFont(run[0][0].fontName)
    glyphs: list[tuple[str, int]] = []
    for _, piece in shaped[1:]:
        data = getattr(piece, "__shapeData__", None)
        if data is None:
            return
        glyphs.extend((ch, d.cluster) for ch, d in zip(piece, data))
    starts = sorted({cluster for _, cluster in glyphs} | {len(text)})
    by_cluster: dict[int, list[str]] = defaultdict(list)
    for ch, cluster in glyphs:
        by_cluster[cluster].append(ch)
    known = _GLYPH_TEXT[_face_key(font)]
    for cluster, chars in by_cluster.items():
        if not any(ord(ch) in PRIVATE for ch in chars):
            continue
        rest = text[cluster : starts[starts.index(cluster) + 1]]
        unknown = []
        for ch in chars:  # take away what every other glyph of the cluster already stands for
            if ord(ch) in PRIVATE and ord(ch) not in known:
                unknown.append(ord(ch))
            else:
                for part in known.get(ord(ch), ch):
                    rest = rest.replace(part, "", 1)
        # one glyph left unexplained: it stands for the rest (a conjunct, a half form, a vowel-sign variant)
        if len(unknown) == 1 and rest:
            known[unknown[0]] = rest
        elif unknown:
            _GUESS[_face_key(font)].setdefault(unknown[0], rest)


def _face_key(font) -> str:
    return (font.face.name + font.face.subfontNameX).decode("latin-1")


def _shape_by_font(original):
    @functools.wraps(original)
    def shape(word, *args, **kwargs):
        if isinstance(word, ttfonts.ShapedFragWord) or any(isinstance(t, ttfonts.ShapedStr) for _, t in word[1:]):
            return word  # shaped already (reportlab re-wraps words when a paragraph splits)
        runs = _font_runs(word)
        if runs is None or len(runs) < 2:  # one font: reportlab's own shaping is right (keep the word's class)
            shaped = original(word, *args, **kwargs)
            if runs and isinstance(shaped, ttfonts.ShapedFragWord):
                _learn(runs[0], shaped)
            return shaped
        parts = []
        for run in runs:
            shaped = original([_width(run)] + run, *args, **kwargs)
            if isinstance(shaped, ttfonts.ShapedFragWord):
                _learn(run, shaped)
            parts.append(shaped)
        if not any(isinstance(p, ttfonts.ShapedFragWord) for p in parts):
            return word
        combined = ttfonts.makeShapedFragWord(word)([sum(p[0] for p in parts)])
        for part in parts:
            combined.extend(tuple(item) for item in part[1:])
        return combined

    shape.__handbill__ = True  # type: ignore[attr-defined]  # marks our wrapper: install() runs once
    return shape


def _to_unicode_with_glyph_text(original):
    @functools.wraps(original)
    def cmap(fontname: str, subset):
        key = fontname.split("+", 1)[-1]
        text = {**_GUESS.get(key, {}), **_GLYPH_TEXT.get(key, {})}
        # reportlab writes code points above U+FFFF (emoji) as 5 hex digits; PDF wants UTF-16 there
        text.update({code: chr(code) for code in subset if code > 0xFFFF})
        if not any(code in text for code in subset):
            return original(fontname, subset)
        lines = original(fontname, subset).split("\n")
        for i, code in enumerate(subset):
            if text.get(code):
                old = f"<{i:02X}> <{code:04X}>"
                lines[lines.index(old)] = f"<{i:02X}> <{text[code].encode('utf-16-be').hex().upper()}>"
        return "\n".join(lines)

    cmap.__handbill__ = True  # type: ignore[attr-defined]
    return cmap


def install() -> None:
    """Patch reportlab once (exit 5 with the reason if this reportlab lacks what the patch wraps)."""
    internals.require("reportlab")
    if not getattr(rl_paragraph.shapeFragWord, "__handbill__", False):
        rl_paragraph.shapeFragWord = _shape_by_font(rl_paragraph.shapeFragWord)
    if not getattr(ttfonts.makeToUnicodeCMap, "__handbill__", False):
        ttfonts.makeToUnicodeCMap = _to_unicode_with_glyph_text(ttfonts.makeToUnicodeCMap)
