"""Every PDF layout read back: text and order, columns by x position, level pairs, scripts, metadata."""

from __future__ import annotations

import io
import re
import unicodedata

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A5
from reportlab.pdfgen import canvas

from handbill.errors import MissingDependency
from handbill.render.pdf import LAYOUTS, impose_booklet, render_pdf

from ..conftest import SMALL, UDHR, make_document


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def all_text(path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def font_names(path) -> set[str]:
    names = set()
    for page in PdfReader(path).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_has_every_segment_in_order(tmp_path, small_doc, layout):
    path = render_pdf(small_doc, tmp_path / f"{layout}.pdf", layout=layout)
    text = squash(all_text(path))
    for side in ("source", "target"):
        positions = [text.find(squash(getattr(seg, side))) for seg in small_doc.segments]
        assert all(p >= 0 for p in positions), side
        assert positions == sorted(positions) or layout in {"side-by-side", "two-up", "booklet"}
    assert "\ufffd" not in text and "■" not in text
    with pdfplumber.open(path) as pdf:
        used = {c["fontname"] for page in pdf.pages for c in page.chars}
    assert used and all("NotoSans" in name for name in used), used  # text is never in built-in Helvetica


def test_metadata_title_and_lang(tmp_path, small_doc):
    path = render_pdf(small_doc, tmp_path / "a.pdf", organisation="Eastside Tenants Union")
    reader = PdfReader(path)
    assert reader.metadata.title == "Eastside Tenants Union"
    assert reader.metadata.author == "Eastside Tenants Union"
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert [item.title for item in reader.outline][:2] == ["Eastside Tenants Union", "Rent Strike Meeting Thursday / Reunión de huelga de alquileres el jueves"]
    booklet = PdfReader(render_pdf(small_doc, tmp_path / "b.pdf", layout="booklet"))
    assert booklet.trailer["/Root"]["/Lang"] == "es" and booklet.metadata.title == "Eastside Tenants Union"


def _first_word_tops(page, words_wanted):
    words = page.extract_words()
    return {w: next((x for x in words if x["text"] == w), None) for w in words_wanted}


def test_side_by_side_columns_and_level_pairs(tmp_path, small_doc):
    path = render_pdf(small_doc, tmp_path / "a.pdf")
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        middle = page.width / 2
        for seg in small_doc.segments[2:]:
            src_word, tgt_word = seg.source.split()[0], seg.target.split()[0]
            found = [w for w in page.extract_words() if w["text"] == src_word and w["x0"] < middle]
            twins = [w for w in page.extract_words() if w["text"] == tgt_word and w["x0"] > middle]
            assert found and twins, seg.source
            assert any(abs(a["top"] - b["top"]) < 1.0 for a in found for b in twins), seg.source


def test_pairs_stay_level_across_a_page_break_and_a_paragraph_longer_than_a_page(tmp_path):
    long_src = " ".join(f"alpha{n}" for n in range(900))
    long_tgt = " ".join(f"beta{n}" for n in range(1100))
    pairs = [("heading", "Start here", "Empiece aquí")] + [("paragraph", long_src, long_tgt)] + [
        ("paragraph", f"After {n} the text goes on.", f"Después {n} el texto sigue.") for n in range(30)]
    doc = make_document(pairs)
    path = render_pdf(doc, tmp_path / "long.pdf")
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) >= 3
        middle = pdf.pages[0].width / 2
        for page in pdf.pages:
            words = page.extract_words()
            assert all(w["x0"] < middle for w in words if w["text"].startswith("alpha"))
            assert all(w["x0"] > middle for w in words if w["text"].startswith("beta"))
        for n in range(30):
            for page in pdf.pages:
                left = [w for w in page.extract_words() if w["text"] == "After" and w["x0"] < middle]
                right = [w for w in page.extract_words() if w["text"] == "Después" and w["x0"] > middle]
                if left:
                    assert sorted(round(w["top"]) for w in left) == sorted(round(w["top"]) for w in right)
    text = squash(all_text(path))
    assert "alpha899" in text and "beta1099" in text


def test_booklet_imposition_order():
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A5)
    for n in range(1, 7):
        pdf.drawString(100, 300, f"PAGE{n}")
        pdf.showPage()
    pdf.save()
    writer = impose_booklet(buffer.getvalue(), (842, 595))
    out = io.BytesIO()
    writer.write(out)
    sheets = []
    with pdfplumber.open(io.BytesIO(out.getvalue())) as reader:
        for page in reader.pages:
            words = {w["text"]: w["x0"] for w in page.extract_words()}
            left = [t for t, x in words.items() if x < page.width / 2]
            right = [t for t, x in words.items() if x >= page.width / 2]
            sheets.append((left[0] if left else "-", right[0] if right else "-"))
    # 6 pages padded to 8: sheet 1 front (8,1) back (2,7); sheet 2 front (6,3) back (4,5); 7 and 8 blank
    assert sheets == [("-", "PAGE1"), ("PAGE2", "-"), ("PAGE6", "PAGE3"), ("PAGE4", "PAGE5")]


def test_escaping_prints_markup_as_typed(tmp_path):
    doc = make_document([("paragraph", "Use <b>bold</b> & <i>care</i>", "Use <b>negrita</b> & cuidado")])
    text = all_text(render_pdf(doc, tmp_path / "a.pdf"))
    assert "<b>bold</b>" in text and "&" in text and "<b>negrita</b>" in text


def test_large_print_is_at_least_18_points(tmp_path, small_doc):
    path = render_pdf(small_doc, tmp_path / "a.pdf", large_print=True, layout="alternating")
    with pdfplumber.open(path) as pdf:
        sizes = [c["size"] for c in pdf.pages[0].chars if c["text"].strip()]
    body = sorted(sizes)[len(sizes) // 2]
    assert body >= 18


def _first_paragraphs(lang: str, n: int = 2) -> list[str]:
    text = (UDHR / f"{lang}.txt").read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.split("\n\n") if len(p.strip()) > 40]
    return paragraphs[:n]


@pytest.mark.parametrize("lang", ["ru", "vi", "zh"])
def test_other_scripts_render_and_read_back(tmp_path, lang):
    english = _first_paragraphs("en")
    other = [unicodedata.normalize("NFC", p) for p in _first_paragraphs(lang)]
    doc = make_document([("paragraph", e, o) for e, o in zip(english, other)], tgt=lang)
    text = squash(unicodedata.normalize("NFC", all_text(render_pdf(doc, tmp_path / "a.pdf", layout="alternating"))))
    for paragraph in other:
        assert squash(paragraph)[:40] in text
    assert "\ufffd" not in text


def test_devanagari_is_shaped_and_reads_back(tmp_path):
    hindi = "सभी मनुष्य स्वतंत्र पैदा होते हैं।"
    doc = make_document([("paragraph", "All people are born free.", hindi)], tgt="hi")
    path = render_pdf(doc, tmp_path / "a.pdf", layout="alternating")
    assert any("Devanagari" in name for name in font_names(path))
    text = unicodedata.normalize("NFC", all_text(path))
    # conjuncts are shaped glyphs with no text mapping; every other word reads back as typed
    for word in ("सभी", "पैदा", "होते"):
        assert word in text
    assert "\ufffd" not in text


def test_arabic_lines_read_back_in_logical_order(tmp_path):
    arabic = _first_paragraphs("ar", 3)
    doc = make_document([("paragraph", "Article text.", a) for a in arabic], tgt="ar")
    path = render_pdf(doc, tmp_path / "a.pdf", layout="alternating")
    with pdfplumber.open(path) as pdf:
        lines = [line["text"] for page in pdf.pages for line in page.extract_text_lines()]
    arabic_lines = [line for line in lines if any("\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff" for ch in line)]
    assert len(arabic_lines) > len(arabic)  # the paragraphs wrapped onto several lines
    # each visual line reversed (glyph by glyph, before ligatures are decomposed) is its logical text
    logical = " ".join(unicodedata.normalize("NFKC", line[::-1]) for line in arabic_lines)
    expected = " ".join(unicodedata.normalize("NFKC", a) for a in arabic)

    def letters(text: str) -> str:
        return "".join(ch for ch in text if "\u0621" <= ch <= "\u064a")

    assert letters(logical) == letters(expected)


def test_uncovered_character_is_a_clear_missing_dependency(tmp_path):
    doc = make_document([("paragraph", "Private: \ue123", "Privado: \ue123")])
    with pytest.raises(MissingDependency) as info:
        render_pdf(doc, tmp_path / "a.pdf")
    assert "U+E123" in info.value.message and "PRIVATE USE" in info.value.message
    assert "apt-get install" in info.value.hint
    assert not (tmp_path / "a.pdf").exists() and not list(tmp_path.iterdir())


def test_footer_reflects_review_status(tmp_path, small_doc):
    from handbill.model import Status

    assert "aún sin revisar" in all_text(render_pdf(small_doc, tmp_path / "a.pdf"))
    for seg in small_doc.segments:
        seg.status = Status.APPROVED
    text = all_text(render_pdf(small_doc, tmp_path / "b.pdf", reviewer="Ana"))
    assert "revisada por Ana" in text and "reviewed by Ana" in text
