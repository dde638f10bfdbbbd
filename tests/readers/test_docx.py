"""The Word reader on files python-docx builds at test time, with the XML Word itself writes for
text boxes, content controls, hyperlinks and numbering patched in."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml

from handbill.errors import BadInput
from handbill.model import Kind
from handbill.readers import read

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def _box_paragraph(text: str) -> str:
    """A paragraph anchoring a text box the way Word saves it: the modern shape and a VML fallback copy."""
    inner = f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
    return (
        f"<w:p {NS}><w:r><mc:AlternateContent>"
        f'<mc:Choice Requires="wps"><w:drawing><wps:txbx>{inner}</wps:txbx></w:drawing></mc:Choice>'
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{inner}</v:textbox></v:shape></w:pict></mc:Fallback>"
        f"</mc:AlternateContent></w:r></w:p>"
    )


def test_headings_lists_quotes_and_title(tmp_path):
    word = docx.Document()
    word.core_properties.title = "Tenant flyer"
    word.add_heading("Rent Strike Now", level=1)
    word.add_heading("Why we act", level=2)
    word.add_paragraph("Rents went up again this year.")
    word.add_paragraph("Bring your lease", style="List Bullet")
    word.add_paragraph("Bring a neighbour", style="List Bullet 2")
    word.add_paragraph("Sign the petition", style="List Number")
    word.add_paragraph("Come on Thursday", style="List Number")
    word.add_paragraph("An injury to one is an injury to all.", style="Quote")
    word.save(tmp_path / "a.docx")
    doc = read(tmp_path / "a.docx")
    assert doc.title == "Tenant flyer" and doc.source_format == "docx" and doc.source_name == "a"
    assert [(s.kind, s.level, s.marker, s.source) for s in doc.segments] == [
        (Kind.HEADING, 1, "", "Rent Strike Now"),
        (Kind.HEADING, 2, "", "Why we act"),
        (Kind.PARAGRAPH, 0, "", "Rents went up again this year."),
        (Kind.LIST_ITEM, 0, "-", "Bring your lease"),
        (Kind.LIST_ITEM, 1, "-", "Bring a neighbour"),
        (Kind.LIST_ITEM, 0, "1.", "Sign the petition"),
        (Kind.LIST_ITEM, 0, "2.", "Come on Thursday"),
        (Kind.QUOTE, 0, "", "An injury to one is an injury to all."),
    ]


def test_text_boxes_are_read_once_tables_by_paragraph_and_content_controls(tmp_path):
    word = docx.Document()
    word.add_paragraph("Before the box.")
    word.paragraphs[0]._p.addnext(parse_xml(_box_paragraph("Inside the box.")))
    table = word.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Monday"
    table.cell(0, 0).add_paragraph("Second line of the cell")
    table.cell(0, 1).text = "Tuesday"
    word.element.body.append(
        parse_xml(
            f"<w:sdt {NS}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>From a content control.</w:t></w:r></w:p>"
            f"</w:sdtContent></w:sdt>"
        )
    )
    sect = word.element.body.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sectPr")
    word.element.body.append(sect)  # the section properties stay last, as Word expects
    word.save(tmp_path / "a.docx")
    sources = [s.source for s in read(tmp_path / "a.docx").segments]
    assert sources == [
        "Before the box.",
        "Inside the box.",
        "Monday",
        "Second line of the cell",
        "Tuesday",
        "From a content control.",
    ]


def test_hyperlinks_become_text_and_url(tmp_path):
    word = docx.Document()
    paragraph = word.add_paragraph("Sign up ")
    rid = word.part.relate_to("https://union.example/join", RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    mail = word.part.relate_to("mailto:help@union.example", RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    paragraph._p.append(parse_xml(f'<w:hyperlink {NS} r:id="{rid}"><w:r><w:t>online</w:t></w:r></w:hyperlink>'))
    paragraph._p.append(parse_xml(f'<w:r {NS}><w:t xml:space="preserve"> or write to </w:t></w:r>'))
    paragraph._p.append(
        parse_xml(f'<w:hyperlink {NS} r:id="{mail}"><w:r><w:t>help@union.example</w:t></w:r></w:hyperlink>')
    )
    word.save(tmp_path / "a.docx")
    assert (
        read(tmp_path / "a.docx").segments[0].source
        == "Sign up online (https://union.example/join) or write to help@union.example"
    )


def test_direct_numbering_gives_numbers_and_levels(tmp_path):
    word = docx.Document()
    numbering = word.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {NS} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl>'
            f'<w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>'
        ),
    )
    numbering.append(parse_xml(f'<w:num {NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for text, level in [("First demand", 0), ("Detail of the first", 1), ("Second demand", 0)]:
        p = word.add_paragraph(text, style="List Paragraph")
        p._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {NS}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )
    word.add_paragraph("Just an indented paragraph.", style="List Paragraph")
    word.save(tmp_path / "a.docx")
    assert [(s.kind, s.level, s.marker) for s in read(tmp_path / "a.docx").segments] == [
        (Kind.LIST_ITEM, 0, "1."),
        (Kind.LIST_ITEM, 1, "-"),
        (Kind.LIST_ITEM, 0, "2."),
        (Kind.PARAGRAPH, 0, ""),
    ]


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET CONTENT", encoding="utf-8")
    word = docx.Document()
    word.add_paragraph("ENTITYHERE")
    word.save(tmp_path / "raw.docx")
    with zipfile.ZipFile(tmp_path / "raw.docx") as src:
        members = {n: src.read(n) for n in src.namelist()}
    xml = members["word/document.xml"].decode("utf-8")
    head, body = xml.split("?>", 1)
    xml = f'{head}?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret}">]>{body}'.replace("ENTITYHERE", "&x;")
    members["word/document.xml"] = xml.encode("utf-8")
    with zipfile.ZipFile(tmp_path / "a.docx", "w") as out:
        for name, data in members.items():
            out.writestr(name, data)
    try:
        doc = read(tmp_path / "a.docx")
    except BadInput:
        return  # refusing the file is as good as not resolving it
    assert not any("SECRET" in s.source for s in doc.segments)


def test_a_docx_that_is_really_a_text_file(tmp_path):
    path = Path(tmp_path / "a.docx")
    path.write_text("just words", encoding="utf-8")
    with pytest.raises(BadInput, match="not a valid Word file") as info:
        read(path)
    assert info.value.exit_code == 3


def test_docx_with_missing_document_part(tmp_path):
    with zipfile.ZipFile(tmp_path / "a.docx", "w") as archive:
        archive.writestr("hello.txt", "no word parts here")
    with pytest.raises(BadInput, match="not a readable Word file"):
        read(tmp_path / "a.docx")
