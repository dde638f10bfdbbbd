"""Word files read back, and the translator round trip: nothing a translator types is lost."""

from __future__ import annotations

import copy
import csv
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from handbill.cli import main
from handbill.errors import ReviewConflict
from handbill.memory import Memory
from handbill.model import Status
from handbill.render.docx import render_bilingual_docx, render_clean_docx, render_review_docx
from handbill.review import export, merge, read_rows
from handbill.review.merge import Row
from handbill.store import load_document, save_document

from ..conftest import SMALL, make_document

XLIFF_XSD = Path(__file__).parent / "xliff_core_2.0.xsd"


@pytest.fixture
def saved(tmp_path, small_doc):
    folder = tmp_path / "out" / "leaflet" / "es"
    path = save_document(small_doc, folder / "document.json")
    return path


def table_rows(path):
    word = docx.Document(str(path))
    return [[c.text for c in row.cells] for row in word.tables[0].rows]


def test_review_draft_has_one_row_per_segment_with_languages_and_comments(tmp_path, small_doc):
    seg = small_doc.segments[3]
    seg.status = Status.NEEDS_REVIEW
    seg.glossary = [
        {
            "term": "rent strike",
            "source": "rent strike",
            "expected": "huelga de alquileres",
            "found": True,
            "status": "proposed",
            "note": "agreed in March",
        }
    ]
    path = render_review_docx(small_doc, tmp_path / "r.docx")
    rows = table_rows(path)
    assert rows[0] == ["id", "status", "source", "translation", "notes"]
    assert [r[0] for r in rows[1:]] == [s.id for s in small_doc.segments]
    assert [r[3] for r in rows[1:]] == [s.target for s in small_doc.segments]
    assert rows[4][1] == "needs_review"
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert 'w:val="en"' in xml and 'w:val="es"' in xml and "FCE8B2" in xml
    comments = zipfile.ZipFile(path).read("word/comments.xml").decode("utf-8")
    assert "huelga de alquileres" in comments and "agreed in March" in comments


def test_right_to_left_target_is_marked(tmp_path):
    doc = make_document([("paragraph", "Hello.", "مرحبا.")], tgt="ar")
    xml = zipfile.ZipFile(render_review_docx(doc, tmp_path / "r.docx")).read("word/document.xml").decode()
    assert "<w:rtl/>" in xml and "<w:bidi/>" in xml


def test_clean_and_bilingual_files_read_back(tmp_path, small_doc):
    clean = docx.Document(str(render_clean_docx(small_doc, tmp_path / "c.docx")))
    styles = [(p.style.name, p.text) for p in clean.paragraphs]
    assert styles[0] == ("Title", "Eastside Tenants Union")
    assert ("Heading 1", "Reunión de huelga de alquileres el jueves") in styles
    assert ("List Bullet", "Traiga su contrato y cualquier carta del casero.") in styles
    bilingual = docx.Document(str(render_bilingual_docx(small_doc, tmp_path / "b.docx")))
    cells = [[c.text for c in row.cells] for row in bilingual.tables[0].rows]
    assert cells[3] == [small_doc.segments[3].source, small_doc.segments[3].target]


@pytest.mark.parametrize("fmt", ["docx", "xliff", "po", "csv"])
def test_export_then_import_without_edits_is_byte_identical(saved, tmp_path, fmt):
    segments = load_document(saved).to_dict()["segments"]
    exported = CliRunner().invoke(main, ["review", "export", str(saved), "--format", fmt])
    assert exported.exit_code == 0, exported.output
    assert load_document(saved).to_dict()["segments"] == segments  # the export is recorded, nothing else changes
    before = saved.read_bytes()
    result = CliRunner().invoke(main, ["review", "import", str(saved), exported.stdout.strip()])
    assert result.exit_code == 0, result.output
    assert saved.read_bytes() == before


def _edit_docx_cell(src: Path, dest: Path, row: int, new_text: str) -> None:
    word = docx.Document(str(src))
    cell = word.tables[0].rows[row].cells[3]
    cell.paragraphs[0].runs[0].text = new_text
    word.save(str(dest))


def test_one_edited_cell_changes_exactly_that_segment(saved, tmp_path):
    doc = load_document(saved)
    export(doc, "docx", tmp_path / "r.docx")
    _edit_docx_cell(tmp_path / "r.docx", tmp_path / "e.docx", 4, "Nuestra casera subió el alquiler.")
    result = CliRunner().invoke(main, ["review", "import", str(saved), str(tmp_path / "e.docx")])
    assert result.exit_code == 0, result.output
    after = load_document(saved)
    changed = [(a.id, a.target, a.status) for a, b in zip(after.segments, doc.segments) if a.to_dict() != b.to_dict()]
    assert changed == [(doc.segments[3].id, "Nuestra casera subió el alquiler.", Status.REVIEWED)]
    assert after.segments[3].machine == doc.segments[3].machine  # raw engine output kept for audit


def test_tracked_changes_insertions_in_deletions_out(saved, tmp_path):
    doc = load_document(saved)
    export(doc, "docx", tmp_path / "r.docx")
    with zipfile.ZipFile(tmp_path / "r.docx") as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    root = etree.fromstring(members["word/document.xml"])
    row = root.findall(f".//{qn('w:tr')}")[6]
    cell = row.findall(qn("w:tc"))[3]
    paragraph = cell.find(qn("w:p"))
    run = paragraph.find(qn("w:r"))
    text = run.find(qn("w:t"))
    assert text.text == "Habrá cuidado de niños y comida."
    text.text = "Habrá cuidado de niños y "
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    deletion = etree.SubElement(paragraph, qn("w:del"), {qn("w:id"): "91", qn("w:author"): "Ana"})
    deleted = etree.SubElement(etree.SubElement(deletion, qn("w:r")), qn("w:delText"))
    deleted.text = "comida."
    insertion = etree.SubElement(paragraph, qn("w:ins"), {qn("w:id"): "92", qn("w:author"): "Ana"})
    etree.SubElement(etree.SubElement(insertion, qn("w:r")), qn("w:t")).text = "meriendas."
    members["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(tmp_path / "tracked.docx", "w") as out:
        for name, data in members.items():
            out.writestr(name, data)
    # python-docx drops w:ins
    assert docx.Document(str(tmp_path / "tracked.docx")).tables[0].rows[6].cells[3].text.endswith("y ")
    rows = read_rows(tmp_path / "tracked.docx")
    assert rows[5].target == "Habrá cuidado de niños y meriendas."
    merged, report = merge(doc, rows)
    assert merged.segments[5].target == "Habrá cuidado de niños y meriendas." and report.applied == [doc.segments[5].id]


def test_lost_ids_are_recovered_from_the_source(saved, tmp_path):
    doc = load_document(saved)
    rows = [Row("", s.source, s.target + " (rev)" if i == 2 else s.target) for i, s in enumerate(doc.segments)]
    rows[4] = Row("zzzz", rows[4].source, rows[4].target)
    merged, report = merge(doc, rows)
    assert merged.segments[2].target.endswith("(rev)")
    assert len(report.recovered) == len(rows)


def test_added_deleted_merged_reordered_and_edited_source_are_reported(saved):
    doc = load_document(saved)
    segs = doc.segments
    rows = [Row(s.id, s.source, s.target) for s in segs]
    rows.reverse()  # reordered
    del rows[0]  # the last segment's row deleted
    with pytest.raises(ReviewConflict) as info:
        merge(copy.deepcopy(doc), rows + [Row("", "A brand new paragraph.", "Un párrafo nuevo.")])
    assert "was added" in info.value.message and info.value.exit_code == 7
    merged_row = Row("", segs[4].source + " " + segs[5].source, "Traiga su contrato. Habrá comida.")
    with pytest.raises(ReviewConflict, match="merges segments"):
        merge(copy.deepcopy(doc), [r for r in rows if r.id not in {segs[4].id, segs[5].id}] + [merged_row])
    edited = [
        Row(
            r.id,
            r.source + " Extra words." if r.id == segs[3].id else r.source,
            "EDITED" if r.id == segs[3].id else r.target,
        )
        for r in rows
    ]
    with pytest.raises(ReviewConflict, match="source text was edited"):
        merge(copy.deepcopy(doc), edited)
    forced, report = merge(
        copy.deepcopy(doc), [*edited, Row("", "A brand new paragraph.", "Un párrafo nuevo.")], force=True
    )
    assert report.reordered and report.deleted == [segs[-1].id]
    assert "EDITED" in forced.segments[3].notes and forced.segments[3].target == segs[3].target
    assert forced.meta["unmerged"][0]["target"] == "Un párrafo nuevo."


def test_conflict_without_force_writes_nothing(saved, tmp_path):
    before = saved.read_bytes()
    sheet = tmp_path / "r.csv"
    export(load_document(saved), "csv", sheet)
    sheet.write_text(
        sheet.read_text(encoding="utf-8") + "new1,machine,Brand new source line.,Línea nueva.\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["review", "import", str(saved), str(sheet)])
    assert result.exit_code == 7 and result.output.count("error:") == 1
    assert saved.read_bytes() == before
    forced = CliRunner().invoke(main, ["review", "import", str(saved), str(sheet), "--force"])
    assert forced.exit_code == 0
    assert load_document(saved).meta["unmerged"][0]["target"] == "Línea nueva."


def test_review_file_of_another_document_is_bad_input(saved, tmp_path):
    other = make_document([("paragraph", f"Other text {n}.", f"Otro {n}.") for n in range(5)])
    export(other, "po", tmp_path / "other.po")
    result = CliRunner().invoke(main, ["review", "import", str(saved), str(tmp_path / "other.po")])
    assert result.exit_code == 3 and "another document" in result.output


def test_approved_segments_feed_the_memory_and_survive_a_rerun(tmp_path):
    leaflet = tmp_path / "leaflet.txt"
    leaflet.write_text(
        "Tenants Unite\n\nOur landlord ignored every repair request for two years, so we organize.\n\n"
        "Join the meeting on Thursday evening in the community room.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    run = ["run", str(leaflet), "--to", "es", "--engine", "apertium", "--format", "none", "--out", str(out), "-q"]
    assert CliRunner().invoke(main, run).exit_code == 0
    document = out / "leaflet" / "es" / "document.json"
    export(load_document(document), "csv", tmp_path / "r.csv")
    with open(tmp_path / "r.csv", encoding="utf-8", newline="") as fh:
        records = list(csv.reader(fh))
    records[1][3] = "¡Inquilinos, únanse!"
    with open(tmp_path / "r.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(records)
    result = CliRunner().invoke(main, ["review", "import", str(document), str(tmp_path / "r.csv"), "--approve"])
    assert result.exit_code == 0, result.output
    with Memory(out / "memory.sqlite") as tm:
        assert tm.lookup("Tenants Unite", "en", "es") == "¡Inquilinos, únanse!"
    assert CliRunner().invoke(main, run).exit_code == 0  # a later machine run
    again = load_document(document)
    assert again.segments[0].target == "¡Inquilinos, únanse!" and again.segments[0].status == Status.APPROVED
    assert all(s.status == Status.MACHINE for s in again.segments[1:])  # rows nobody touched are not approved


def test_xliff_validates_against_the_schema(tmp_path, small_doc):
    path = export(small_doc, "xliff", tmp_path / "r.xlf")
    schema = etree.XMLSchema(etree.parse(str(XLIFF_XSD)))
    assert schema.validate(etree.parse(str(path))), schema.error_log


def test_po_and_xliff_states_map_to_statuses(tmp_path, small_doc):
    small_doc.segments[2].status = Status.APPROVED
    small_doc.segments[3].status = Status.REVIEWED
    for fmt, name in (("xliff", "r.xlf"), ("po", "r.po")):
        rows = read_rows(export(small_doc, fmt, tmp_path / name))
        states = {r.id: r.status for r in rows}
        assert states[small_doc.segments[2].id] in {Status.APPROVED, Status.REVIEWED}
        assert states[small_doc.segments[0].id] in {None, Status.MACHINE}


edits = st.lists(
    st.tuples(
        st.integers(0, len(SMALL) - 1),
        st.sampled_from(["edit", "delete", "noop"]),
        st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")), min_size=1, max_size=30),
    ),
    max_size=10,
)


@given(edits, st.sampled_from(["docx", "csv", "po", "xliff"]))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_edit_scripts_lose_nothing(tmp_path, script, fmt):
    doc = make_document(SMALL)
    expected = {s.id: s.target for s in doc.segments}
    rows = [Row(s.id, s.source, s.target) for s in doc.segments]
    for index, action, text in script:
        if action == "edit" and text.strip():
            rows[index] = Row(rows[index].id, rows[index].source, text)
            expected[rows[index].id] = text.strip()
        elif action == "delete":  # an emptied cell is not applied: the previous text stays
            rows[index] = Row(rows[index].id, rows[index].source, "")
            expected[rows[index].id] = doc.segments[index].target
    path = tmp_path / f"edit.{ {'xliff': 'xlf'}.get(fmt, fmt) }"
    export(make_document([(s.kind.value, r.source, r.target) for s, r in zip(doc.segments, rows)]), fmt, path)
    merged, report = merge(doc, read_rows(path))
    for seg in merged.segments:
        got = seg.target.strip()
        assert " ".join(got.split()) == " ".join(expected[seg.id].split()), (seg.id, fmt)
    assert not report.conflicts


def test_a_file_saved_by_libreoffice_imports(saved, tmp_path):
    assert shutil.which("soffice"), "LibreOffice is installed by make setup (libreoffice-writer-nogui)"
    doc = load_document(saved)
    export(doc, "docx", tmp_path / "r.docx")
    _edit_docx_cell(tmp_path / "r.docx", tmp_path / "edited.docx", 3, "Reunión de la huelga de alquileres, jueves")
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "odt",
            "--outdir",
            str(tmp_path / "odt"),
            str(tmp_path / "edited.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "docx",
            "--outdir",
            str(tmp_path / "lo"),
            str(tmp_path / "odt" / "edited.odt"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    merged, report = merge(doc, read_rows(tmp_path / "lo" / "edited.docx"))
    assert merged.segments[2].target == "Reunión de la huelga de alquileres, jueves"
    assert report.applied == [doc.segments[2].id]


@pytest.mark.parametrize(
    "text", ["=SUM(A1)", "+1 555", "-5 °C", "@tenants", "\tcmd", "\rx", "'quoted'", "'=not a formula", "''", "plain"]
)
def test_csv_cells_never_start_a_formula_and_come_back_exactly(tmp_path, small_doc, text):
    small_doc.segments[1].target = text
    sheet = export(small_doc, "csv", tmp_path / "r.csv")
    with open(sheet, encoding="utf-8", newline="") as fh:
        cells = [cell for row in csv.reader(fh) for cell in row[2:]]
    assert not any(cell[:1] in "=+-@\t\r" for cell in cells if cell)
    from handbill.review.csv import read as read_csv

    assert read_csv(sheet)[1].target == text
