"""Every review format shows Segment.review_notes() (repairs, QA flags, back-translation, comment) beside its
row, and reading a file back never takes a note for a translation."""

from __future__ import annotations

import pytest

from handbill.model import Issue
from handbill.review import read_rows
from handbill.store import save_document

from ..conftest import SMALL, make_document
from .conftest import handbill


@pytest.mark.parametrize("fmt, suffix", [("xliff", "xlf"), ("po", "po"), ("csv", "csv")])
def test_notes_are_shown_and_never_read_back_as_text(tmp_path, fmt, suffix):
    doc = make_document(SMALL)
    seg = doc.segments[3]
    seg.repairs = ['joined across a page break: "…two years" + "we are organizing…"']
    seg.issues = [Issue("glossary_miss", "'rent strike' should be 'huelga de alquileres'")]
    seg.back = "Our owner raised the rent."
    seg.notes = "Check with Ana"
    doc.segments[4].notes = '=HYPERLINK("http://x.example")'  # a note is guarded like any CSV cell
    path = save_document(doc, tmp_path / "out" / "leaflet" / "es" / "document.json")
    dest = tmp_path / f"review.{suffix}"
    assert handbill("review", "export", path, "--format", fmt, "--out", dest).exit_code == 0
    before = path.read_bytes()
    text = dest.read_text(encoding="utf-8")
    for note in ("joined across a page break", "glossary_miss", "back-translation: Our owner", "Check with Ana"):
        assert note in text, (fmt, note)
    if fmt == "csv":
        assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert {r.id: r.target for r in read_rows(dest)} == {s.id: s.target for s in doc.segments}
    result = handbill("review", "import", path, dest)
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == before


def test_what_a_reviewer_writes_beside_the_translation_is_kept(tmp_path):
    """A note typed in the Word notes column, a Word comment, a PO translator comment, an XLIFF note and a CSV
    notes cell all end up in the segment's notes — once, however often the file is imported."""
    import csv

    import docx
    import polib
    from lxml import etree

    from handbill.store import load_document

    from .conftest import LEAFLET, document, run, write

    leaflet = write(tmp_path / "flyer.txt", LEAFLET)
    out = tmp_path / "out"
    assert run(leaflet, out, "--format", "docx").exit_code == 0
    path = out / "flyer" / "es" / "document.json"
    segs = document(out).segments
    draft = out / "flyer" / "es" / "flyer.es.review.docx"
    word = docx.Document(str(draft))
    rows = {r.cells[0].text: r for r in word.tables[0].rows[1:]}
    rows[segs[2].id].cells[4].add_paragraph("Ana: ¿casero o propietario?")
    word.add_comment(rows[segs[3].id].cells[3].paragraphs[0].runs, text="Ben: demasiado formal", author="Ben")
    word.save(str(draft))
    result = run(leaflet, out, "--format", "docx")  # a note is work too: the draft is not overwritten
    assert result.exit_code == 7 and "handbill review import" in result.stderr

    po_file = handbill("review", "export", path, "--format", "po").stdout.strip()
    po = polib.pofile(po_file)
    next(e for e in po if e.msgctxt == segs[4].id).tcomment = "Cai: revisar con el comité\nsegunda línea"
    po.save(po_file)
    xlf = handbill("review", "export", path, "--format", "xliff").stdout.strip()
    tree = etree.parse(xlf)
    unit = tree.getroot().find(f".//{{urn:oasis:names:tc:xliff:document:2.0}}unit[@id='{segs[5].id}']")
    notes = unit.find("{urn:oasis:names:tc:xliff:document:2.0}notes")
    if notes is None:
        notes = etree.Element("{urn:oasis:names:tc:xliff:document:2.0}notes")
        unit.insert(0, notes)
    etree.SubElement(notes, "{urn:oasis:names:tc:xliff:document:2.0}note").text = "Dee: ¿guardería o cuidado?"
    tree.write(xlf, xml_declaration=True, encoding="UTF-8")
    sheet = handbill("review", "export", path, "--format", "csv").stdout.strip()
    with open(sheet, encoding="utf-8", newline="") as fh:
        table = list(csv.reader(fh))
    next(r for r in table if r[0] == segs[1].id)[4] = "Eva: título demasiado largo"
    with open(sheet, "w", encoding="utf-8", newline="") as fh:  # saved by a Spanish Excel: ";" between cells
        csv.writer(fh, delimiter=";").writerows(table)

    for reviewed in (draft, po_file, xlf, sheet, draft, po_file):  # the last two a second time: nothing doubles
        result = handbill("review", "import", path, reviewed)
        assert result.exit_code == 0, result.output
    notes = {s.id: s.notes for s in load_document(path).segments}
    assert notes[segs[2].id] == "Ana: ¿casero o propietario?"
    assert notes[segs[3].id] == "comment by Ben: Ben: demasiado formal"
    assert notes[segs[4].id] == "Cai: revisar con el comité\nsegunda línea"
    assert notes[segs[5].id] == "Dee: ¿guardería o cuidado?"
    assert notes[segs[1].id] == "Eva: título demasiado largo"
    assert run(leaflet, out, "--format", "docx").exit_code == 0  # all imported: the draft is refreshed


def test_a_review_for_another_target_language_is_refused(tmp_path):
    from .conftest import LEAFLET, run, write

    leaflet = write(tmp_path / "flyer.txt", LEAFLET)
    assert run(leaflet, tmp_path / "out").exit_code == 0
    es = tmp_path / "out" / "flyer" / "es" / "document.json"
    assert (
        handbill(
            "run", leaflet, "--to", "ca", "--engine", "apertium", "--format", "none", "--out", tmp_path / "out", "-q"
        ).exit_code
        == 0
    )
    ca = tmp_path / "out" / "flyer" / "ca" / "document.json"
    po_file = handbill("review", "export", es, "--format", "po").stdout.strip()
    before = ca.read_bytes()
    result = handbill("review", "import", ca, po_file, "--approve")
    assert result.exit_code == 3 and "translation into es" in result.stderr
    assert ca.read_bytes() == before
