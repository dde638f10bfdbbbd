"""Scripts beyond Latin, read back from the PDF: Cyrillic, Vietnamese, Chinese and Arabic from the UDHR
in ../shared, Devanagari from our own sentence; emoji and rarer scripts; and the clear exit-5 error for
a character no installed font can print."""

from __future__ import annotations

import re
import unicodedata

import pdfplumber
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from handbill.cli import main
from handbill.errors import MissingDependency
from handbill.render.pdf import render_pdf
from handbill.store import save_document

from ..conftest import UDHR, make_document
from .readback import all_text, assert_clean, column_text, in_order, squash

HINDI = (
    "सभी लोग स्वतंत्र और बराबर पैदा होते हैं। हम अपने अधिकारों के लिए मिलकर खड़े हैं "
    "(किराया हड़ताल)। क्षमा, श्रम, द्वार, प्रिय, कृपया — “ट्रेन” 2026 में।"
)


def udhr(lang: str, n: int = 3) -> list[str]:
    text = (UDHR / f"{lang}.txt").read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if len(p.strip()) > 40][:n]


def font_names(path) -> set[str]:
    with pdfplumber.open(path) as pdf:
        return {c["fontname"].split("+", 1)[-1] for page in pdf.pages for c in page.chars}


@pytest.mark.parametrize(
    "lang,layout", [("ru", "side-by-side"), ("vi", "alternating"), ("zh", "side-by-side"), ("zh", "booklet")]
)
def test_udhr_paragraphs_render_and_read_back(tmp_path, lang, layout):
    english, other = udhr("en"), udhr(lang)
    doc = make_document(
        [("heading", "Universal Declaration", other[0][:12])] + [("paragraph", e, o) for e, o in zip(english, other)],
        tgt=lang,
    )
    path = render_pdf(doc, tmp_path / "a.pdf", layout=layout)
    assert_clean(path)
    text = column_text(path, "right") if layout == "side-by-side" else all_text(path)
    assert in_order(text, other)  # every character, in order (whitespace aside)


def test_vietnamese_prints_composed_letters_even_from_decomposed_input(tmp_path):
    vietnamese = udhr("vi", 2)
    decomposed = [unicodedata.normalize("NFD", p) for p in vietnamese]
    doc = make_document([("paragraph", e, d) for e, d in zip(udhr("en", 2), decomposed)], tgt="vi")
    path = render_pdf(doc, tmp_path / "vi.pdf")
    assert_clean(path)
    with pdfplumber.open(path) as pdf:
        printed = "".join(c["text"] for page in pdf.pages for c in page.chars)
    assert not any(unicodedata.combining(ch) for ch in printed)  # one glyph per letter, accents placed by the font
    assert in_order(column_text(path, "right"), vietnamese)


def test_chinese_wraps_between_characters_inside_its_column(tmp_path):
    chinese = udhr("zh", 2)
    doc = make_document([("paragraph", e, z) for e, z in zip(udhr("en", 2), chinese)], tgt="zh")
    path = render_pdf(doc, tmp_path / "zh.pdf")
    assert any("DroidSansFallback" in name for name in font_names(path))
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        cjk = [c for c in page.chars if "\u4e00" <= c["text"] <= "\u9fff"]
        assert all(page.width / 2 < c["x0"] and c["x1"] <= page.width - 45 for c in cjk)
        assert len({round(c["top"]) for c in cjk}) >= 4  # the paragraphs wrapped onto several lines


def _reorder_short_i(text: str) -> str:
    """PDF text keeps glyphs in visual order, where the short-i sign ि stands before its consonant
    cluster; put it back after the cluster, where it is typed."""
    return re.sub(r"ि((?:[क-ह]़?्)*[क-ह]़?)", r"\1ि", text)


@pytest.mark.parametrize("layout", ["alternating", "side-by-side"])
def test_devanagari_is_shaped_and_every_letter_reads_back(tmp_path, layout):
    doc = make_document([("heading", "Rights", "अधिकार"), ("paragraph", "All people are born free.", HINDI)], tgt="hi")
    path = render_pdf(doc, tmp_path / "hi.pdf", layout=layout)
    assert_clean(path)
    assert {"NotoSansDevanagari-Regular", "NotoSansDevanagari-Bold"} <= font_names(path)
    with pdfplumber.open(path) as pdf:
        text = "".join(page.extract_text() for page in pdf.pages)
    # conjuncts (क्ष, श्र, द्व, प्र) are single glyphs, yet they read back letter for letter
    assert squash(HINDI) in squash(_reorder_short_i(text))


def test_devanagari_shaping_uses_conjunct_glyphs(tmp_path):
    """Shaped text is narrower than the same letters set one by one: half forms and conjuncts replace
    consonant + virama + consonant."""
    doc = make_document([("paragraph", "x", "क्ष क्ष क्ष क्ष क्ष क्ष क्ष क्ष")], tgt="hi")
    path = render_pdf(doc, tmp_path / "hi.pdf", layout="alternating")
    with pdfplumber.open(path) as pdf:
        glyphs = [c for c in pdf.pages[0].chars if "Devanagari" in c["fontname"]]
    assert len(glyphs) == 8 and all(c["text"] == "क्ष" for c in glyphs)


def _logical_lines(path, crop_right: bool = False) -> list[str]:
    with pdfplumber.open(path) as pdf:
        lines = []
        for page in pdf.pages:
            area = page.crop((page.width / 2, 0, page.width, page.height)) if crop_right else page
            lines += [
                line
                for line in area.extract_text_lines()
                if line["top"] > 45
                and any("\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff" for ch in line["text"])
            ]
    return lines


def _visual_to_logical(line: str) -> list[str]:
    """A visual RTL line read left to right: words in reverse order, each word's glyphs reversed;
    NFKC turns the shaped presentation forms back into plain letters."""
    return [unicodedata.normalize("NFKC", word[::-1]) for word in reversed(line.split())]


@pytest.mark.parametrize("layout", ["alternating", "side-by-side"])
def test_arabic_reads_back_line_by_line_in_logical_order_and_is_right_aligned(tmp_path, layout):
    arabic = udhr("ar", 3)
    doc = make_document([("paragraph", e, a) for e, a in zip(udhr("en", 3), arabic)], tgt="ar")
    path = render_pdf(doc, tmp_path / "ar.pdf", layout=layout)
    assert_clean(path)
    assert PdfReader(path).trailer["/Root"]["/Lang"] == "ar"
    lines = _logical_lines(path, crop_right=layout == "side-by-side")
    assert len(lines) > len(arabic) + 2  # wrapped, and wrapped by us before reordering
    got = [word for line in lines for word in _visual_to_logical(line["text"])]
    expected = [unicodedata.normalize("NFKC", w) for p in arabic for w in p.split()]
    assert got == expected  # every word, every line, in reading order
    right_edge = max(line["x1"] for line in lines)
    flush = [line for line in lines if abs(line["x1"] - right_edge) < 2]
    assert len(flush) >= len(lines) - 1  # ragged on the left, flush right (a last line may be a short one)
    if layout == "side-by-side":
        with pdfplumber.open(path) as pdf:
            assert min(line["x0"] for line in lines) > pdf.pages[0].width / 2


def test_arabic_headline_is_bold(tmp_path):
    doc = make_document([("heading", "Our rights", "حقوقنا"), ("paragraph", "Text.", "نص.")], tgt="ar")
    path = render_pdf(doc, tmp_path / "ar.pdf")
    assert "NotoSansArabic-Bold" in font_names(path)


def test_emoji_symbols_and_rarer_scripts_print_in_some_embedded_font(tmp_path):
    doc = make_document(
        [
            ("paragraph", "Rally ✊ Saturday 📢 — bring ☂", "Marcha ✊ sábado 📢 — traiga ☂"),
            (
                "paragraph",
                "Amharic: ሰላም። Armenian: Բարեւ. Greek: Καλημέρα. Thai: สวัสดี",
                "Amárico: ሰላም። Armenio: Բարեւ. Griego: Καλημέρα. Tailandés: สวัสดี",
            ),
        ]
    )
    path = render_pdf(doc, tmp_path / "mix.pdf")
    assert_clean(path)
    names = font_names(path)
    assert {"NotoSansEthiopic-Regular", "NotoSansArmenian-Regular", "NotoSansThai-Regular"} <= names
    assert any("Symbola" in name for name in names)
    assert all(squash(s) in squash(all_text(path)) for s in ("✊", "📢", "ሰላም", "Καλημέρα"))


def test_a_character_no_font_covers_is_a_missing_dependency_naming_it(tmp_path):
    doc = make_document([("paragraph", "Meet at the \ue123 sign", "Reunión en el cartel \ue123")])
    with pytest.raises(MissingDependency) as info:
        render_pdf(doc, tmp_path / "a.pdf")
    assert info.value.exit_code == 5
    assert "U+E123" in info.value.message and "PRIVATE USE" in info.value.message
    assert "apt-get install" in info.value.hint and "fonts-noto" in info.value.hint
    assert not list(tmp_path.iterdir())  # no partial PDF


def test_cli_render_exits_5_for_an_unprintable_character(tmp_path):
    doc = make_document([("paragraph", "Unassigned \U000e01f0 here", "Sin asignar \U000e01f0 aquí")])
    save_document(doc, tmp_path / "document.json")
    result = CliRunner().invoke(main, ["render", str(tmp_path / "document.json"), "--format", "pdf", "-q"])
    assert result.exit_code == 5, result.output
    assert "U+E01F0" in result.output
    assert not list(tmp_path.glob("*.pdf"))
