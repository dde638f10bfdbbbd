"""Case 5 and the reader family: no reader drops text. Only pure decoration lines ("---", "***", "===",
"• • •") may go; a line of underscores is a form's blank; Word headers, footers, footnotes and content
controls around table rows and cells are read; Markdown text in angle brackets that is not HTML stays."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate

from handbill.readers import read
from handbill.readers.markdown import HTML_ELEMENTS
from handbill.segment import split

from .conftest import document, run, write

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DECORATION = re.compile(r"^[-*=•·~]+$")


def _tokens(text: str) -> list[str]:
    """Character runs a reader must keep: everything except pure decoration."""
    return [t for t in re.findall(r"\S+", unicodedata.normalize("NFKC", text)) if not DECORATION.match(t)]


def _word(ascii_only: bool):
    alphabet = (
        st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        if ascii_only
        else st.characters(codec="utf-8", categories=("L", "N"))
    )
    return st.text(alphabet=alphabet, min_size=1, max_size=10)


def _blocks(ascii_only: bool):
    word = _word(ascii_only)
    sentence = st.lists(word, min_size=1, max_size=14).map(" ".join)
    words = st.tuples(sentence, st.sampled_from(["", ".", "!", "?"])).map("".join)
    blank = st.integers(3, 24).map(lambda n: "_" * n)  # a blank to fill in
    angle = st.tuples(word.filter(lambda w: w.lower() not in HTML_ELEMENTS), word).map(
        lambda pair: f"Bring <{pair[0]} {pair[1]}> today"
    )  # placeholder text, not HTML
    decoration = st.sampled_from(["---", "***", "* * *"])
    block = st.one_of(words, words, blank, angle, decoration)
    return st.lists(block, min_size=1, max_size=12, unique=True).filter(lambda blocks: any(_tokens(b) for b in blocks))


def _read_tokens(path: Path) -> list[str]:
    doc = split(read(path))
    return _tokens(" ".join(f"{s.marker} {s.source}" for s in doc.segments))


@given(_blocks(ascii_only=False), st.sampled_from([".txt", ".md"]))
@settings(max_examples=40, deadline=None)
def test_plain_text_and_markdown_keep_every_character_run(blocks, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp) / f"leaflet{suffix}", "\n\n".join(blocks) + "\n")
        assert _read_tokens(path) == _tokens(" ".join(blocks))


@given(_blocks(ascii_only=False), _blocks(ascii_only=False))
@settings(max_examples=20, deadline=None)
def test_word_keeps_body_header_and_footer_text(body, edges):
    with tempfile.TemporaryDirectory() as tmp:
        word = docx.Document()
        section = word.sections[0]
        section.header.paragraphs[0].text = edges[0]
        section.footer.paragraphs[0].text = " ".join(edges[1:]) or "Page footer"
        for block in body:
            word.add_paragraph(block)
        path = Path(tmp) / "leaflet.docx"
        word.save(str(path))
        expected = [edges[0], *body, " ".join(edges[1:]) or "Page footer"]
        assert _read_tokens(path) == _tokens(" ".join(expected))


@given(_blocks(ascii_only=True), st.integers(1, 12))
@example(["Bring your lease and every letter the landlord sent since January, and a friend to take notes"], 12)
# (long numbered paragraphs that start pages are not running headers)
@settings(max_examples=15, deadline=None)
def test_pdf_keeps_every_character_run_across_pages(blocks, padding):
    """Page numbers (a line of 1-4 digits at a page edge) are not content; letters keep blocks from looking
    like them."""
    styles = getSampleStyleSheet()
    filler = [
        f"Filler paragraph number {n} is here so that the leaflet runs over a page break." for n in range(padding * 3)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "leaflet.pdf"
        story = [
            Paragraph(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), styles["BodyText"])
            for text in filler + blocks
        ]
        SimpleDocTemplate(str(path), pagesize=letter).build(story)
        assert _read_tokens(path) == _tokens(" ".join(filler + blocks))


def test_a_forms_blank_line_survives_a_real_run(tmp_path):
    form = write(
        tmp_path / "flyer.txt",
        "Sign up for the tenant union\n\nName:\n\n____________________\n\n"
        "Apartment:\n\n____________________\n\n* * *\n\nBring <your ID> to the meeting.\n",
    )
    assert run(form, tmp_path / "out").exit_code == 0
    sources = [s.source for s in document(tmp_path / "out").segments]
    assert sources.count("____________________") == 2
    assert "Bring <your ID> to the meeting." in sources and "* * *" not in sources


def test_markdown_angle_bracket_text_that_is_not_html_survives_a_real_run(tmp_path):
    leaflet = write(
        tmp_path / "flyer.md",
        "# Know your rights\n\nShow your <your ID> card only to a judge.\n\n"
        "<member number>\n\nWrite your name here:\n\n___\n\nThis is <b>bold</b>.\n",
    )
    assert run(leaflet, tmp_path / "out").exit_code == 0
    sources = [s.source for s in document(tmp_path / "out").segments]
    assert "Show your <your ID> card only to a judge." in sources and "<member number>" in sources
    assert "___" in sources and "This is bold." in sources


def _with_footnote(word, text: str) -> None:
    """A footnotes part as Word writes it, and a reference to note 1 at the end of the last paragraph."""
    xml = (
        f'<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        f'</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        f'</w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    )
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode("utf-8"), word.part.package)
    word.part.relate_to(part, RT.FOOTNOTES)
    word.paragraphs[-1]._p.append(parse_xml(f'<w:r {W}><w:footnoteReference w:id="1"/></w:r>'))


def test_word_headers_footers_footnotes_and_content_controls_survive_a_real_run(tmp_path):
    word = docx.Document()
    word.sections[0].header.paragraphs[0].text = "Eastside Tenants Union newsletter"
    word.sections[0].footer.paragraphs[0].text = "Printed by volunteers at the union hall."
    word.add_paragraph("The landlord must return every deposit he kept last year.")
    _with_footnote(word, "Under the state deposit law, within thirty days.")
    table = word.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Meeting", "Thursday at seven"
    table.cell(1, 0).text, table.cell(1, 1).text = "Place", "The community room downstairs"
    row = table._tbl.tr_lst[1]  # a content control around a whole row, as forms made in Word have
    control = parse_xml(f"<w:sdt {W}><w:sdtPr/><w:sdtContent/></w:sdt>")
    row.addprevious(control)
    control[1].append(row)
    cell = table._tbl.tr_lst[0].tc_lst[1]  # and one around a single cell
    control = parse_xml(f"<w:sdt {W}><w:sdtPr/><w:sdtContent/></w:sdt>")
    cell.addprevious(control)
    control[1].append(cell)
    leaflet = tmp_path / "flyer.docx"
    word.save(str(leaflet))
    assert run(leaflet, tmp_path / "out").exit_code == 0
    text = " | ".join(s.source for s in document(tmp_path / "out").segments)
    assert text == (
        "Eastside Tenants Union newsletter | "
        "The landlord must return every deposit he kept last year.[1] | "
        "Meeting | Thursday at seven | Place | The community room downstairs | "
        "[1] Under the state deposit law, within thirty days. | Printed by volunteers at the union hall."
    )
