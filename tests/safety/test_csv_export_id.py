"""A CSV review sheet carries its export's id (an `export` column on every row), like DOCX, XLIFF and PO files, so
the life-cycle rules hold for CSV: a sheet is merged against what it said when exported, even when its reviewer
changed most rows — before, such a sheet matched no export and was compared with the document as it is now, so
its untouched rows reverted a second reviewer's newer text."""

from __future__ import annotations

import csv

import polib

from handbill.review import csv as review_csv

from .conftest import LEAFLET, document, handbill, run, write


def _sheet(path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_every_row_carries_the_export_id(tmp_path):
    leaflet = write(tmp_path / "flyer.txt", LEAFLET)
    out = tmp_path / "out"
    assert run(leaflet, out).exit_code == 0
    sheet = handbill("review", "export", out / "flyer" / "es" / "document.json", "--format", "csv").stdout.strip()
    records = _sheet(sheet)
    assert records[0][-1] == "export"
    ids = {r[-1] for r in records[1:]}
    recorded = document(out).exports[-1]
    assert ids == {recorded["id"]} and recorded["format"] == "csv"
    assert review_csv.read(tmp_path / sheet).export_id == recorded["id"]


def test_a_sheet_with_most_rows_changed_never_reverts_newer_text(tmp_path):
    leaflet = write(tmp_path / "flyer.txt", LEAFLET)
    out = tmp_path / "out"
    assert run(leaflet, out).exit_code == 0
    path = out / "flyer" / "es" / "document.json"
    sheet = handbill("review", "export", path, "--format", "csv").stdout.strip()  # reviewer 1 takes the sheet

    doc = document(out)
    second = doc.segments[2]
    po_file = handbill("review", "export", path, "--format", "po").stdout.strip()  # reviewer 2 a PO file
    po = polib.pofile(po_file)
    entry = next(e for e in po if e.msgctxt == second.id)
    entry.msgstr, newer = "Texto más nuevo de la segunda revisora.", "Texto más nuevo de la segunda revisora."
    entry.flags.remove("fuzzy")
    po.save(po_file)
    assert handbill("review", "import", path, po_file).exit_code == 0

    records = _sheet(sheet)  # reviewer 1 rewrites every row but the one reviewer 2 changed
    header = records[0]
    for number, record in enumerate(records[1:]):
        if record[0] != second.id:
            record[header.index("translation")] = f"Traducción revisada número {number}."
    with open(sheet, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(records)
    result = handbill("review", "import", path, sheet)
    assert result.exit_code == 0, result.output
    assert "compared with export" in result.stderr
    after = {s.id: s.target for s in document(out).segments}
    assert after[second.id] == newer
    assert sum(text.startswith("Traducción revisada número") for text in after.values()) == len(records) - 2
