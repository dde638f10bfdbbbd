"""QA flags and the back-translation, read back from document.json and from every review file a translator
gets: the review DOCX (shaded row, notes column), XLIFF 2.0 notes and PO comments. Real Apertium both ways."""

from __future__ import annotations

import json

import polib
import pytest
from click.testing import CliRunner
from docx import Document as Docx
from docx.oxml.ns import qn
from lxml import etree

from handbill.cli import main
from handbill.store import load_document

from ..cli.test_exit_codes import fake  # noqa: F401 — the fixture: an engine with en->es only
from ..conftest import run_args, write_leaflet

XLF = "{urn:oasis:names:tc:xliff:document:2.0}"
LEAFLET = (
    "Eastside Tenants Union\n\n"
    "Rent Strike Meeting\n\n"
    "Thousands of workers skipped work to attend rallies in 300 cities, and the billionaires noticed.\n\n"
    "Our landlord ignored every repair request for two years, so the tenants are organizing.\n"
)


@pytest.fixture(scope="module")
def flagged(tmp_path_factory):
    folder = tmp_path_factory.mktemp("surfaces")
    leaflet = write_leaflet(folder, LEAFLET, "flyer.txt")
    args = run_args(
        leaflet, folder / "out", "--no-memory", "--back-translate", "--json", "-q", src=None, engine="apertium"
    )
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    doc = load_document(report["document"])
    (seg,) = [s for s in doc.segments if "skipped" in s.source]
    return folder, report, doc, seg


def export(folder, doc_path, fmt, suffix):
    dest = folder / f"review.{suffix}"
    result = CliRunner().invoke(main, ["review", "export", str(doc_path), "--format", fmt, "--out", str(dest)])
    assert result.exit_code == 0, result.stderr
    return dest


def test_document_json_keeps_flags_and_back_translation(flagged):
    _, report, doc, seg = flagged
    words = {i.term: i for i in seg.issues if i.code == "untranslated_word"}
    assert set(words) == {"skipped", "billionaires"}
    for word, issue in words.items():
        assert seg.target[issue.span[0] : issue.span[1]] == word and issue.severity == "error"
    assert seg.status.value == "needs_review"
    assert report["back_translation"]["engine"] == "apertium" and report["back_translation"]["to"] == "en"
    backs = [s.back for s in doc.segments if s.translate]
    assert all(backs) and "the tenants are organizing" in " ".join(backs)  # Spanish back into English


def test_review_docx_shades_the_flagged_row_and_names_the_flags(flagged):
    folder, report, doc, seg = flagged
    table = Docx(export(folder, report["document"], "docx", "docx")).tables[0]
    header = [c.text.strip().lower() for c in table.rows[0].cells]
    rows = {r.cells[0].text.strip(): r for r in table.rows[1:]}
    row = rows[seg.id]
    notes = row.cells[header.index("notes")].text
    assert "error untranslated_word: 'skipped' left in English" in notes and "'billionaires'" in notes
    assert "back-translation: " + seg.back in notes
    fills = {c._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) for c in row.cells}
    assert fills == {"FBE4D5"}  # every cell of a row with an error flag
    clean = next(r for i, r in rows.items() if not doc.segment(i).error_flags and doc.segment(i).translate)
    assert all(
        c._tc.tcPr.find(qn("w:shd")) is None or c._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) != "FBE4D5"
        for c in clean.cells
    )


def test_xliff_and_po_carry_the_flags_as_notes(flagged):
    folder, report, _, seg = flagged
    tree = etree.parse(str(export(folder, report["document"], "xliff", "xlf")))
    unit = tree.find(f".//{XLF}unit[@id='{seg.id}']")
    notes = {n.get("category"): n.text for n in unit.iter(f"{XLF}note")}
    qa_notes = [n.text for n in unit.iter(f"{XLF}note") if n.get("category") == "hb:qa"]
    assert any("untranslated_word: 'skipped'" in n for n in qa_notes), qa_notes
    assert notes.get("hb:back") == f"back-translation: {seg.back}"
    po = polib.pofile(str(export(folder, report["document"], "po", "po")))
    (entry,) = [e for e in po if e.msgctxt == seg.id]
    assert "error untranslated_word: 'skipped'" in entry.comment and "back-translation:" in entry.comment


def test_no_reverse_pair_is_said_once(tmp_path, fake):  # noqa: F811 — the fake engine has en->es only
    leaflet = write_leaflet(tmp_path, LEAFLET, "flyer.txt")
    result = CliRunner().invoke(
        main, run_args(leaflet, tmp_path, "--no-memory", "--back-translate", src=None, engine="fake")
    )
    assert result.exit_code == 0, result.stderr
    said = [line for line in result.stderr.splitlines() if "back-translate" in line]
    assert len(said) == 1 and "skipped" in said[0] and "es->en" in said[0], result.stderr
    doc = load_document(tmp_path / "flyer" / "es" / "document.json")
    assert not any(s.back for s in doc.segments) and "unavailable" in doc.meta["back_translation"]
