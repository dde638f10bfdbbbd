"""The PDF reader on leaflets reportlab lays out at test time: paragraphs that flow over a page break,
metadata titles, and PDFs that cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate

from handbill.errors import BadInput
from handbill.model import Kind
from handbill.readers import read
from handbill.segment import split

FILLER = "Tenants across the city are organising against rent rises and unsafe buildings. "


def _flowing_pdf(path: Path, title: str, paragraphs: int) -> Path:
    styles = getSampleStyleSheet()
    story = [Paragraph("Neighbours United", styles["Title"])]
    story += [
        Paragraph(f"Paragraph {n} begins. {FILLER * 7}End of paragraph {n}.", styles["BodyText"])
        for n in range(paragraphs)
    ]
    SimpleDocTemplate(str(path), pagesize=letter, title=title).build(story)
    return path


def test_paragraph_flowing_over_a_page_is_one_segment(tmp_path):
    path = _flowing_pdf(tmp_path / "flyer.pdf", "Neighbours flyer", 12)
    assert len(PdfReader(path).pages) == 2  # the fixture really does break a paragraph across pages
    doc = split(read(path))
    assert doc.title == "Neighbours flyer" and doc.source_format == "pdf"
    assert doc.segments[0].source == "Neighbours United" and doc.segments[0].kind == Kind.HEADING
    body = doc.segments[1:]
    assert len(body) == 12
    for n, seg in enumerate(body):
        assert seg.kind == Kind.PARAGRAPH
        assert seg.source.startswith(f"Paragraph {n} begins.") and seg.source.endswith(f"End of paragraph {n}.")
        assert seg.source.count("Tenants across") == 7


@pytest.mark.parametrize(
    "meta, expected",
    [("Microsoft Word - flyer.docx", ""), ("untitled", ""), ("Rent Strike Flyer", "Rent Strike Flyer")],
)
def test_file_name_titles_are_ignored(tmp_path, meta, expected):
    pdf = canvas.Canvas(str(tmp_path / "a.pdf"))
    pdf.setTitle(meta)
    pdf.drawString(72, 720, "One line of text.")
    pdf.save()
    assert read(tmp_path / "a.pdf").title == expected


def _locked(folder, text: str, user_password: str, algorithm: str):
    """FOLDER/locked.pdf: one line of TEXT, encrypted with USER_PASSWORD ("" opens without one) and ALGORITHM."""
    pdf = canvas.Canvas(str(folder / "plain.pdf"))
    pdf.drawString(72, 720, text)
    pdf.save()
    writer = PdfWriter(clone_from=PdfReader(folder / "plain.pdf"))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm=algorithm)
    with open(folder / "locked.pdf", "wb") as fh:
        writer.write(fh)
    return folder / "locked.pdf"


def test_aes_encrypted_pdf_with_open_password_is_refused(tmp_path):
    locked = _locked(tmp_path, "Private minutes.", "secret", "AES-256")
    with pytest.raises(BadInput, match="encrypted") as info:
        read(locked)
    assert "unprotected" in info.value.hint


def test_pdf_locked_only_against_editing_is_read(tmp_path):
    locked = _locked(tmp_path, "Anyone may read this.", "", "AES-128")
    assert [s.source for s in read(locked).segments] == ["Anyone may read this."]


def test_truncated_pdf_is_bad_input(tmp_path):
    whole = _flowing_pdf(tmp_path / "whole.pdf", "x", 3).read_bytes()
    (tmp_path / "cut.pdf").write_bytes(whole[: len(whole) // 3])
    try:
        doc = read(tmp_path / "cut.pdf")
    except BadInput as exc:
        assert exc.exit_code == 3
    else:  # pypdf may recover what survives; then what it gives must be real text
        assert doc.segments and all(s.source.strip() for s in doc.segments)


def _pages(path: Path, pages: list[list[str]], header: str, footer: str) -> Path:
    """Each page: a running header, the given lines (an empty string is a paragraph gap), a footer
    and a page number, placed where a word processor puts them."""
    pdf = canvas.Canvas(str(path), pagesize=letter)
    for number, lines in enumerate(pages, 1):
        pdf.drawString(72, 760, header)
        y = 720
        for line in lines:
            if line:
                pdf.drawString(72, y, line)
            y -= 14
        pdf.drawString(72, 60, footer)
        pdf.drawString(300, 40, f"Page {number} of {len(pages)}")
        pdf.showPage()
    pdf.save()
    return path


def test_running_header_footer_and_page_numbers_do_not_cut_paragraphs(tmp_path):
    path = _pages(
        tmp_path / "a.pdf",
        [
            [
                "Rent Strike Meeting",
                "",
                "Our landlord raised the rent again and we are going to",
                "answer together, with every building in the neigh-",
            ],
            ["bourhood standing with us until the repairs are done.", "", "Bring your lease to the meeting."],
        ],
        header="Eastside Tenants Union",
        footer="info@eastside.example",
    )
    sources = [s.source for s in split(read(path)).segments]
    assert sources == [
        "Eastside Tenants Union",
        "Rent Strike Meeting",
        "Our landlord raised the rent again and we are going to answer together, with every building in the "
        "neigh-bourhood standing with us until the repairs are done.",
        "Bring your lease to the meeting.",
        "info@eastside.example",
    ]


def test_word_hyphenated_at_a_line_end_stays_one_word(tmp_path):
    pdf = canvas.Canvas(str(tmp_path / "a.pdf"))
    for n, line in enumerate(["Neighbours are organ-", "izing a tenants' union and a co-", "op for everyone."]):
        pdf.drawString(72, 720 - 14 * n, line)
    pdf.save()
    assert [s.source for s in read(tmp_path / "a.pdf").segments] == [
        "Neighbours are organ-izing a tenants' union and a co-op for everyone."
    ]
