"""Every PDF layout read back with pypdf and pdfplumber: text and order, columns by x position,
pairs level across pages, two-up halves and fold, booklet sheet order, metadata, footer."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph

from handbill.errors import BadConfig
from handbill.model import Issue, Kind, Status
from handbill.render import fonts
from handbill.render.pdf import LAYOUTS, Pair, booklet_order, impose_booklet, render_pdf

from ..conftest import SMALL, make_document
from .readback import all_text, assert_clean, assert_large_print, column_text, in_order, squash, words

SOURCES = [s for _, s, _ in SMALL]
TARGETS = [t for _, _, t in SMALL]
TRANSLATED = [(s, t) for _, s, t in SMALL if s != t]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_every_layout_prints_every_segment_cleanly(tmp_path, small_doc, layout, paper):
    path = render_pdf(small_doc, tmp_path / f"{layout}.pdf", layout=layout, paper=paper)
    assert_clean(path)
    text = all_text(path)
    assert all(squash(s) in squash(text) for s in SOURCES + TARGETS)
    if layout == "alternating":  # source, then its translation, segment after segment
        assert in_order(text, [x for s, t in zip(SOURCES, TARGETS) for x in ((s,) if s == t else (s, t))])
    if layout in {"side-by-side", "two-up"}:  # each column in reading order
        assert in_order(column_text(path, "left"), [s for s, _ in TRANSLATED])
        assert in_order(column_text(path, "right"), [t for _, t in TRANSLATED])
    width, height = (float(v) for v in PdfReader(path).pages[0].mediabox[2:])
    portrait = {"letter": (612, 792), "a4": (595.3, 841.9)}[paper]
    expected = portrait if layout in {"side-by-side", "alternating"} else portrait[::-1]
    assert (round(width), round(height)) == tuple(round(v) for v in expected)


def test_side_by_side_source_left_translation_right_each_pair_level(tmp_path, small_doc):
    path = render_pdf(small_doc, tmp_path / "a.pdf")
    page = words(path)[0]
    middle = 612 / 2
    for source, target in TRANSLATED:
        left = [w for w in page if w["text"] == source.split()[0] and w["x1"] < middle]
        right = [w for w in page if w["text"] == target.split()[0] and w["x0"] > middle]
        assert left and right, source
        assert any(abs(a["top"] - b["top"]) < 0.5 for a in left for b in right), source
    for source, target in TRANSLATED:  # no source word strays right, no translation word left
        assert not any(w["x0"] > middle for w in page if w["text"] == source.split()[-1] and w["text"] not in target)


def test_untranslated_masthead_spans_the_page_once(tmp_path, small_doc):
    path = render_pdf(small_doc, tmp_path / "a.pdf")
    assert squash(all_text(path)).count(squash(SMALL[0][1])) == 1
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        title = [c for c in page.chars if c["size"] > 18]
        assert title and min(c["x0"] for c in title) < page.width / 2 < max(c["x1"] for c in title)


def test_pairs_stay_level_across_page_breaks_and_a_paragraph_longer_than_a_page(tmp_path):
    long_src = " ".join(f"alpha{n}" for n in range(900))
    long_tgt = " ".join(f"beta{n}" for n in range(1100))
    pairs = [("heading", "Start here", "Empiece aquí"), ("paragraph", long_src, long_tgt)] + [
        ("paragraph", f"After {n} the text goes on and on.", f"Después {n} el texto sigue y sigue sin parar.")
        for n in range(40)
    ]
    path = render_pdf(make_document(pairs), tmp_path / "long.pdf")
    pages = words(path)
    assert len(pages) >= 4
    middle = 612 / 2
    for page in pages:
        alpha = [w for w in page if w["text"].startswith("alpha")]
        beta = [w for w in page if w["text"].startswith("beta")]
        assert all(w["x1"] < middle for w in alpha) and all(w["x0"] > middle for w in beta)
        if alpha and beta:  # the long pair continues level at the top of every page it runs over
            assert abs(min(w["top"] for w in alpha) - min(w["top"] for w in beta)) < 0.5
        left = sorted(round(w["top"], 1) for w in page if w["text"] == "After" and w["x0"] < middle)
        right = sorted(round(w["top"], 1) for w in page if w["text"] == "Después" and w["x0"] > middle)
        assert left == right
    found = sum(1 for page in pages for w in page if w["text"] == "After")
    assert found == 40
    assert in_order(column_text(path, "left"), ["alpha0", "alpha899", "After 0", "After 39"])
    assert in_order(column_text(path, "right"), ["beta0", "beta1099", "Después 0", "Después 39"])


def test_a_pair_whose_column_cannot_start_moves_on_whole():
    small = ParagraphStyle("s", fontName=fonts.body_font(), fontSize=10, leading=12)
    big = ParagraphStyle("b", parent=small, fontSize=30, leading=36)
    pair = Pair([Paragraph("short", small)], [Paragraph("tall words", big)], gutter=10)
    assert pair.split(400, 20) == []  # the left line fits in 20 pt, the right one does not
    head, tail = pair.split(400, 40)
    assert head.left and head.right and not tail.left and not tail.right


def test_two_up_is_a_landscape_sheet_with_a_fold_and_a_footer_per_half(tmp_path, small_doc):
    path = render_pdf(small_doc, tmp_path / "two.pdf", layout="two-up")
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert page.width > page.height
        middle = page.width / 2
        fold = [e for e in page.edges if e["orientation"] == "v" and abs(e["x0"] - middle) < 1]
        assert fold and max(e["bottom"] for e in fold) - min(e["top"] for e in fold) > page.height * 0.8
        assert not [c for c in page.chars if c["x0"] < middle < c["x1"]]  # nothing printed across the fold
        left = page.crop((0, 0, middle, page.height)).extract_text()
        right = page.crop((middle, 0, page.width, page.height)).extract_text()
    assert "notyetreviewed" in squash(left) and "aúnsinrevisar" in squash(right) and "aún" not in left
    assert "Reunión" not in left and "Rent Strike" not in right


def test_booklet_order_for_a_stapled_fold():
    assert booklet_order(4) == [(3, 0), (1, 2)]
    assert booklet_order(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]


def test_imposition_puts_numbered_pages_on_the_right_sheet_halves():
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(420, 595))
    for n in range(1, 7):
        pdf.drawString(100, 300, f"PAGE{n}")
        pdf.showPage()
    pdf.save()
    out = io.BytesIO()
    impose_booklet(buffer.getvalue(), (842, 595)).write(out)
    sheets = []
    with pdfplumber.open(io.BytesIO(out.getvalue())) as reader:
        for page in reader.pages:
            found = {w["text"]: w["x0"] for w in page.extract_words()}
            left = [t for t, x in found.items() if x < page.width / 2] or ["-"]
            right = [t for t, x in found.items() if x >= page.width / 2] or ["-"]
            sheets.append((left[0], right[0]))
    # 6 pages padded to 8 (7 and 8 blank): sheet 1 front 8|1, back 2|7; sheet 2 front 6|3, back 4|5
    assert sheets == [("-", "PAGE1"), ("PAGE2", "-"), ("PAGE6", "PAGE3"), ("PAGE4", "PAGE5")]


def _numbers_per_sheet(path):
    """(left page number, right page number) per printed side, from the numbers in the page corners."""
    sheets = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            # page numbers sit in the outer corners: even pages far left, odd pages far right (a number
            # anywhere else is not found, and the order checks below fail)
            corner = [
                w
                for w in page.extract_words()
                if w["text"].isdigit()
                and w["top"] > page.height * 0.85
                and (w["x0"] < page.width * 0.1 or w["x1"] > page.width * 0.9)
            ]
            left = [int(w["text"]) for w in corner if w["x1"] < page.width / 2]
            right = [int(w["text"]) for w in corner if w["x0"] > page.width / 2]
            sheets.append((left[0] if left else None, right[0] if right else None))
    return sheets


def test_real_booklet_sheets_carry_pages_in_saddle_stitch_order_and_read_in_order(tmp_path):
    pairs = [("heading", "Know your rights", "Conozca sus derechos")] + [
        (
            "paragraph",
            f"Point {n}: " + "we stand together with our neighbours " * 12,
            f"Punto {n}: " + "estamos juntos con nuestros vecinos " * 14,
        )
        for n in range(14)
    ]
    pairs.insert(9, ("heading", "Second part", "Segunda parte"))
    doc = make_document(pairs)
    path = render_pdf(doc, tmp_path / "booklet.pdf", layout="booklet", paper="letter")
    assert_clean(path)
    sheets = _numbers_per_sheet(path)
    assert sheets[0][1] is None  # the cover (right half of the first side) carries no number
    sheets[0] = (sheets[0][0], 1)
    printed = sorted(n for side in sheets for n in side if n)
    pages = len(sheets) * 2
    assert pages % 4 == 0 and printed == list(range(1, printed[-1] + 1)) and pages - printed[-1] < 4
    expected = [(left + 1, right + 1) for left, right in booklet_order(pages)]
    assert sheets == [(a if a <= printed[-1] else None, b if b <= printed[-1] else None) for a, b in expected]
    # put the half pages back in page-number order: the leaflet reads start to end
    halves = {}
    with pdfplumber.open(path) as pdf:
        for page, (left, right) in zip(pdf.pages, sheets):
            for number, x0 in ((left, 0), (right, page.width / 2)):
                half = page.crop((x0, 0, x0 + page.width / 2, page.height))
                # the text frame, above the footer and page number (the cover has none)
                body = min([w["top"] for w in half.extract_words() if w["text"] == "Traducido"] + [page.height + 1])
                if number:
                    halves[number] = half.crop((x0, 0, x0 + page.width / 2, body - 1)).extract_text()
    text = "\n".join(halves[n] for n in sorted(halves))
    assert in_order(text, [x for _, s, t in pairs for x in (s, t)])
    # bookmarks survive imposition and open the sheet that carries the heading's page
    reader = PdfReader(path)
    second = next(n for n, half in halves.items() if "Second part" in half)
    assert [item.title for item in reader.outline] == [
        "Know your rights / Conozca sus derechos",
        "Second part / Segunda parte",
    ]
    assert second in sheets[reader.get_destination_page_number(reader.outline[1])]


def test_metadata_outline_and_language(tmp_path, small_doc):
    small_doc.segments.insert(5, make_document([("heading", "Childcare", "Cuidado de niños")]).segments[0])
    small_doc.segments[5].level = 2
    path = render_pdf(small_doc, tmp_path / "a.pdf", organisation="Eastside Tenants Union")
    reader = PdfReader(path)
    assert reader.metadata.title == "Eastside Tenants Union"
    assert reader.metadata.author == "Eastside Tenants Union"
    assert "English" in reader.metadata.subject and "Español" in reader.metadata.subject
    assert reader.trailer["/Root"]["/Lang"] == "es"
    outline = reader.outline
    assert outline[0].title == "Eastside Tenants Union"
    assert outline[1].title == "Rent Strike Meeting Thursday / Reunión de huelga de alquileres el jueves"
    assert [item.title for item in outline[2]] == ["Childcare / Cuidado de niños"]  # level 2 nests under level 1
    headings = [s for s in small_doc.segments if s.kind in {Kind.HEADING, Kind.MASTHEAD}]
    assert len(headings) == 3
    booklet = PdfReader(render_pdf(small_doc, tmp_path / "b.pdf", layout="booklet", organisation="ETU"))
    assert booklet.trailer["/Root"]["/Lang"] == "es" and booklet.metadata.title == "Eastside Tenants Union"
    assert booklet.metadata.author == "ETU"
    assert [booklet.outline[0].title, booklet.outline[1].title] == [outline[0].title, outline[1].title]
    assert [item.title for item in booklet.outline[2]] == ["Childcare / Cuidado de niños"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_an_empty_document_still_gives_a_printable_file(tmp_path, layout):
    path = render_pdf(make_document([]), tmp_path / "empty.pdf", layout=layout)
    assert len(PdfReader(path).pages) >= 1 and "notyetreviewed" in squash(all_text(path))


def test_markup_and_ampersands_print_as_typed(tmp_path):
    doc = make_document(
        [
            ("heading", "<b>Strike</b> & rally", "<b>Huelga</b> & marcha"),
            (
                "paragraph",
                "Use <i>care</i> &amp; <br/> <font name='Helvetica'>x</font>",
                "Cuidado <i>ya</i> &amp; <br/> <font name='Helvetica'>x</font>",
            ),
        ]
    )
    doc.segments[1].marker = ""
    for layout in ("side-by-side", "alternating"):
        path = render_pdf(doc, tmp_path / f"{layout}.pdf", layout=layout)
        assert_clean(path)
        text = squash(all_text(path))
        for seg in doc.segments:
            assert squash(seg.source) in text and squash(seg.target) in text


@pytest.mark.parametrize("layout", LAYOUTS)
def test_large_print_follows_ukaaf_guidance(tmp_path, small_doc, layout):
    said: list[str] = []
    path = render_pdf(
        small_doc, tmp_path / f"{layout}.pdf", large_print=True, layout=layout, paper="a4", progress=said.append
    )
    body = float(said[0].split("body text ")[1].split()[0]) if layout == "booklet" else 18.0
    assert_large_print(path, halves=layout != "alternating", body=body)


def test_footer_counts_unreviewed_segments_and_says_reviewed_only_when_review_state_does(tmp_path, small_doc):
    text = squash(all_text(render_pdf(small_doc, tmp_path / "a.pdf")))
    assert squash("machine translation: 6 of 6 segments not yet reviewed.") in text  # the contact line is verbatim
    assert squash("traducción automática: 6 de 6 segmentos aún sin revisar.") in text
    small_doc.segments[2].status = Status.REVIEWED
    text = squash(all_text(render_pdf(small_doc, tmp_path / "b.pdf")))
    assert squash("5 of 6 segments not yet reviewed") in text and squash("5 de 6 segmentos aún sin revisar") in text
    for seg in small_doc.segments:
        seg.status = Status.APPROVED
    small_doc.segments[3].issues = [Issue("placeholder_lost", "a number went missing")]
    text = squash(all_text(render_pdf(small_doc, tmp_path / "flagged.pdf", reviewer="Ana Ruiz")))
    assert squash("1 of 6 segments still flagged for review") in text and "AnaRuiz" not in text
    small_doc.segments[3].issues[0].severity = "warning"  # a warning does not hold back "reviewed"
    text = squash(all_text(render_pdf(small_doc, tmp_path / "c.pdf", reviewer="María R.")))
    assert squash("translation reviewed by María R.") in text and squash("revisada por María R.") in text
    assert "R.." not in text and "notyet" not in text
    small_doc.meta["reviewer"] = "Lee"
    assert "reviewedbyLee." in squash(all_text(render_pdf(small_doc, tmp_path / "d.pdf")))
    assert "handbill" not in all_text(render_pdf(small_doc, tmp_path / "e.pdf", footer=False))


def test_organisation_reaches_the_footer_in_every_layout(tmp_path, small_doc):
    for layout in LAYOUTS:
        path = render_pdf(small_doc, tmp_path / f"{layout}.pdf", layout=layout, organisation="Speak Out Now")
        with pdfplumber.open(path) as pdf:
            page = pdf.pages[0]  # a booklet's first sheet: the cover has no footer, the back page has
            bottom = " ".join(page.crop((0, page.height * 0.8, page.width, page.height)).extract_text().split())
        assert "Speak Out Now · " in bottom, (layout, bottom)


def test_french_target_gets_a_french_footer_and_unknown_languages_english(tmp_path):
    doc = make_document([("paragraph", "We meet at noon.", "Nous nous réunissons à midi.")], tgt="fr")
    assert "pas encore relus" in all_text(render_pdf(doc, tmp_path / "fr.pdf"))
    doc.target_lang = "so"
    text = all_text(render_pdf(doc, tmp_path / "so.pdf"))
    assert text.count("segments not yet reviewed") == 1


def test_bad_layout_or_paper_is_a_config_error_and_writes_nothing(tmp_path, small_doc):
    with pytest.raises(BadConfig):
        render_pdf(small_doc, tmp_path / "a.pdf", layout="zine")
    with pytest.raises(BadConfig):
        render_pdf(small_doc, tmp_path / "a.pdf", paper="legal")
    assert not list(tmp_path.iterdir())


def test_the_render_dispatcher_passes_layout_paper_organisation_and_reviewer(tmp_path, small_doc):
    from handbill.render import render

    for seg in small_doc.segments:
        seg.status = Status.REVIEWED
    messages: list[str] = []
    options = {"layout": "two-up", "paper": "a4", "organisation": "Eastside Tenants Union", "reviewer": "Ana"}
    [path] = render(small_doc, tmp_path, ["pdf"], options, messages.append)
    reader = PdfReader(path)
    assert path.name == "leaflet.es.pdf" and reader.metadata.author == "Eastside Tenants Union"
    assert round(float(reader.pages[0].mediabox.width)) == 842  # A4 landscape
    assert "reviewedbyAna" in squash(all_text(path)) and any("two-up" in m for m in messages)


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_booklet_has_a_real_cover_and_wastes_few_pages_and_says_how_many(tmp_path, sample_json, paper, large):
    from handbill.store import load_document

    doc = load_document(sample_json)
    said: list[str] = []
    path = render_pdf(doc, tmp_path / "b.pdf", layout="booklet", paper=paper, large_print=large, progress=said.append)
    counts = re.search(r"of (\d+) sheets? \((\d+) pages, (\d+) blank\)", said[0]).groups()
    sheets, pages, blank = (int(n) for n in counts)
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 2 * sheets and pages == 4 * sheets
        first = pdf.pages[0]
        cover = squash(first.crop((first.width / 2, 0, first.width, first.height)).extract_text())
        empty = sum(
            not page.crop(box).chars
            for page in pdf.pages
            for box in ((0, 0, page.width / 2, page.height), (page.width / 2, 0, page.width, page.height))
        )
    masthead, _, headline, opening = doc.segments[0], doc.segments[1], doc.segments[2], doc.segments[3]
    # the cover: masthead, the headline in both languages and the start of the opening text (in large print
    # the date and contact lines leave no room for it on a half-size page)
    assert cover.startswith(squash(masthead.source))
    assert squash(headline.source) in cover and squash(headline.target) in cover
    assert large or squash(" ".join(opening.source.split()[:6])) in cover
    assert empty == blank and blank < 3  # the summary counts the blank pages; 3 of 8 were blank before


def test_alternating_large_print_keeps_each_paragraph_with_its_translation(tmp_path):
    # pairs of about a third of a page each: every pair fits on a page, so none may be split
    pairs = [("heading", "Know your rights", "Conozca sus derechos")] + [
        (
            "paragraph",
            f"Point {n}: " + "we stand together with our neighbours " * (4 + n % 3),
            f"Punto {n}: " + "estamos juntos con nuestros vecinos " * (5 + n % 3),
        )
        for n in range(12)
    ]
    doc = make_document(pairs)
    path = render_pdf(doc, tmp_path / "alt.pdf", layout="alternating", large_print=True, paper="a4")
    pages_of = _element_pages(path)
    for seg in doc.segments[1:]:
        source, target = pages_of[squash(seg.source)[:30]], pages_of[squash(seg.target)[:30]]
        assert len(source | target) == 1, f"{seg.source[:20]!r} split over pages {sorted(source | target)}"
    assert len({p for pages in pages_of.values() for p in pages}) >= 4


def _element_pages(path) -> dict[str, set[int]]:
    """The pages each structure element's text is on, keyed by the start of its text."""
    import pikepdf

    from .tagged import struct_text

    with pikepdf.open(path) as pdf:
        numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        pages = []
        for element in pdf.Root.StructTreeRoot.K.K:
            pages.append({numbers[kid.Pg.objgen] for kid in element.K})
    return {squash(text)[:30]: p for text, p in zip(struct_text(path), pages)}
