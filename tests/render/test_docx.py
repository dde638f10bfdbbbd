"""Word files as volunteers see them: each kind is converted once to PDF by LibreOffice (headless) and
measured there — column widths and positions, the header row on every page, shading and highlight
colours, the review notice — besides what python-docx reads back from the files themselves."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import docx
import pdfplumber
import pytest
from pypdf import PdfReader

from handbill.model import Issue, Status
from handbill.render.docx import render_bilingual_docx, render_clean_docx, render_review_docx
from handbill.store import load_document

from ..conftest import make_document

HEADER = (0xD9 / 255,) * 3  # the header row's shading
YELLOW = (1.0, 1.0, 0.0)  # Word's yellow highlight: glossary terms
FLAGGED = (0xFB / 255, 0xE4 / 255, 0xD5 / 255)  # rows with an error flag
PROBLEM = (1.0, 0x99 / 255, 0x99 / 255)  # a flagged place in the translation


def libreoffice_pdf(paths, outdir):
    """Convert Word files to PDF with LibreOffice, as a volunteer without Word would see them (one call;
    a private profile, so a LibreOffice running elsewhere on the machine cannot interfere)."""
    assert shutil.which("soffice"), "LibreOffice is installed by make test (libreoffice-writer-nogui)"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{outdir}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return [outdir / f"{p.stem}.pdf" for p in paths]


@pytest.fixture(scope="session")
def word_files(sample_json, tmp_path_factory):
    """The sample leaflet's three Word files, with one row flagged (and a span in it) and one not, rendered
    and converted by LibreOffice once for the whole session."""
    doc = load_document(sample_json)
    flagged, clean = doc.segments[3], doc.segments[4]
    flagged.issues = [Issue("unknown_word", "engine did not know: Minneapolis", span=[0, 6])]
    clean.issues = [i for i in clean.issues if i.severity != "error"]
    folder = tmp_path_factory.mktemp("word")
    paths = [
        render_review_docx(doc, folder / "review.docx"),
        render_clean_docx(doc, folder / "clean.docx"),
        render_bilingual_docx(doc, folder / "bilingual.docx"),
    ]
    pdfs = libreoffice_pdf(paths, folder)
    return doc, dict(zip(("review", "clean", "bilingual"), paths)), dict(zip(("review", "clean", "bilingual"), pdfs))


def columns(page):
    """x positions of the review table's vertical rules, left to right."""
    xs = sorted({round(e["x0"], 0) for e in page.edges if e["orientation"] == "v" and e["height"] > 40})
    return [x for i, x in enumerate(xs) if not i or x - xs[i - 1] > 2]


def fills(page, colour):
    return [
        r
        for r in page.rects
        if r["fill"]
        and r["non_stroking_color"]
        and all(abs(a - b) < 0.01 for a, b in zip(r["non_stroking_color"], colour))
        and len(r["non_stroking_color"]) == 3
    ]


def covered(word, rects) -> bool:
    x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return any(r["x0"] <= x <= r["x1"] and r["top"] <= y <= r["bottom"] for r in rects)


def test_review_table_has_wide_text_columns_narrow_id_and_status_and_fits_on_three_pages(word_files):
    _, _, pdfs = word_files
    with pdfplumber.open(pdfs["review"]) as pdf:
        assert len(pdf.pages) <= 3  # the equal-column table ran to 7 pages
        for page in pdf.pages:
            x = columns(page)
            assert len(x) == 6, x  # five columns
            total = x[-1] - x[0]
            widths = [(b - a) / total for a, b in zip(x, x[1:])]
            assert widths[2] >= 0.35 and widths[3] >= 0.35, widths  # source, translation
            assert widths[0] < 0.08 and widths[1] < 0.09, widths  # id, status
            # the header row repeats at the top of every page, each title inside its own column
            header = {w["text"]: w for w in page.extract_words() if covered(w, fills(page, HEADER))}
            assert set(header) == {"id", "status", "source", "translation", "notes"}
            for n, name in enumerate(["id", "status", "source", "translation", "notes"]):
                assert x[n] < header[name]["x0"] < x[n + 1]


def test_review_rows_with_error_flags_are_shaded_and_glossary_terms_highlighted(word_files):
    doc, _, pdfs = word_files
    shaded, plain, highlighted = set(), set(), {"source": 0, "translation": 0}
    problem_words, ids = [], {s.id for s in doc.segments}
    with pdfplumber.open(pdfs["review"]) as pdf:
        for page in pdf.pages:
            x = columns(page)
            words = page.extract_words()
            for word in words:
                if word["x1"] < x[1] and word["text"] in ids:  # the id column
                    (shaded if covered(word, fills(page, FLAGGED)) else plain).add(word["text"])
                if word["text"].startswith("ICE") and covered(word, fills(page, YELLOW)):
                    highlighted["source" if x[2] < word["x0"] < x[3] else "translation"] += 1
                if covered(word, fills(page, PROBLEM)):
                    problem_words.append(word["text"])
    flagged = {s.id for s in doc.segments if s.error_flags}
    assert doc.segments[3].id in shaded and doc.segments[4].id in plain
    assert shaded == flagged and plain == {s.id for s in doc.segments} - flagged
    assert highlighted["source"] >= 5 and highlighted["translation"] >= 5  # ICE, in both columns
    assert problem_words[:1] == [doc.segments[3].target.split()[0]]  # the flagged span [0, 6)


def test_review_notes_column_holds_every_review_note(word_files):
    doc, paths, _ = word_files
    table = docx.Document(str(paths["review"])).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["id", "status", "source", "translation", "notes"]
    for seg, row in zip(doc.segments, table.rows[1:]):
        assert [p.text for p in row.cells[4].paragraphs if p.text] == seg.review_notes()
    xml = zipfile.ZipFile(paths["review"]).read("word/document.xml").decode()
    assert '<w:tblLayout w:type="fixed"/>' in xml and "<w:tblHeader/>" in xml and "<w:gridCol" in xml


def test_clean_and_bilingual_files_carry_the_notice_language_title_and_creator(word_files):
    doc, paths, pdfs = word_files
    spanish_title = doc.segments[2].target
    for kind in ("clean", "bilingual"):
        props = docx.Document(str(paths[kind])).core_properties
        assert props.language == "es" and props.author == "handbill" and props.title.startswith(spanish_title)
        reader = PdfReader(pdfs[kind])
        assert str(reader.trailer["/Root"]["/Lang"]).startswith("es")
        assert reader.metadata.title.startswith(spanish_title)
        text = "\n".join(page.extract_text() for page in reader.pages)
        counts = doc.review_counts()
        assert f"{counts['unreviewed']} de {counts['translated']} segmentos aún sin revisar" in " ".join(text.split())
    assert "segments not yet reviewed" in "".join(p.extract_text() for p in PdfReader(pdfs["bilingual"]).pages)
    app = zipfile.ZipFile(paths["clean"]).read("docProps/app.xml").decode()
    assert "<Application>handbill</Application>" in app


def test_bilingual_columns_are_equal_source_left_translation_right(word_files):
    doc, _, pdfs = word_files
    with pdfplumber.open(pdfs["bilingual"]) as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
        first_src = next(w for w in words if w["text"] == doc.segments[3].source.split()[0])
        first_tgt = next(w for w in words if w["text"] == doc.segments[3].target.split()[0])
        assert abs(first_src["top"] - first_tgt["top"]) < 1
        left_margin, right_margin = first_src["x0"], page.width - max(w["x1"] for w in words)
        assert first_tgt["x0"] == pytest.approx(page.width / 2 + 0.5 * (left_margin - right_margin), abs=12)


def test_reviewed_files_say_who_reviewed(tmp_path, small_doc):
    for seg in small_doc.segments:
        seg.status = Status.APPROVED
    clean = docx.Document(
        str(
            render_clean_docx(
                small_doc, tmp_path / "c.docx", reviewer="María R.", organisation="Eastside Tenants Union"
            )
        )
    )
    footer = " ".join(p.text for p in clean.sections[0].footer.paragraphs)
    assert footer == "Traducido con handbill — traducción revisada por María R."
    assert clean.core_properties.author == "Eastside Tenants Union"
    bilingual = docx.Document(str(render_bilingual_docx(small_doc, tmp_path / "b.docx", reviewer="Ana")))
    assert [p.text for p in bilingual.sections[0].footer.paragraphs] == [
        "Traducido con handbill — traducción revisada por Ana.",
        "Translated with handbill — translation reviewed by Ana.",
    ]


def test_glossary_term_whose_rendering_is_missing_is_marked_in_the_source(tmp_path):
    doc = make_document([("paragraph", "Join the rent strike now.", "Únase a la huelga ahora.")])
    doc.segments[0].glossary = [{"source": "rent strike", "expected": "huelga de alquileres", "found": False}]
    path = render_review_docx(doc, tmp_path / "r.docx")
    cell = docx.Document(str(path)).tables[0].rows[1].cells[2]
    marked = [
        r.text
        for r in cell.paragraphs[0].runs
        if r._r.rPr is not None
        and r._r.rPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}shd") is not None
    ]
    assert marked == ["rent strike"]
