"""Case 6: page-break repair never silently joins separate paragraphs; every join is shown to the reviewer
in every review format and can be undone with --no-repair."""

from __future__ import annotations

import csv

import docx
import polib
from lxml import etree

from ..conftest import SAMPLE_LEAFLET
from .conftest import document, handbill, run, write

XLF = "{urn:oasis:names:tc:xliff:document:2.0}"


def test_ui_strings_and_list_fragments_in_plain_text_stay_apart(tmp_path):
    blocks = [
        "Upload the signed copy of your lease with the button below",
        "or drag the file into this box and wait for the green tick.",
        "Things to bring to the Thursday meeting in the hall",
        "your lease, any letters from the landlord, and a friend.",
    ]
    leaflet = write(tmp_path / "flyer.txt", "\n\n".join(blocks) + "\n")
    assert run(leaflet, tmp_path / "out").exit_code == 0
    doc = document(tmp_path / "out")
    assert [s.source for s in doc.segments] == blocks
    assert not any(s.repairs for s in doc.segments)


def test_a_join_is_shown_in_every_review_format_and_no_repair_undoes_it(tmp_path, shared):
    out = tmp_path / "out"
    assert run(SAMPLE_LEAFLET, out).exit_code == 0
    stem = SAMPLE_LEAFLET.stem
    doc = document(out, stem)
    joined = next(s for s in doc.segments if "masked ICE thugs brutalizing workers" in s.source)
    assert joined.repairs and "joined across a page break" in joined.repairs[0]
    assert "ICE thugs" in joined.repairs[0] and "brutalizing workers" in joined.repairs[0]
    path = out / stem / "es" / "document.json"
    files = {fmt: tmp_path / f"review.{fmt}" for fmt in ("docx", "xlf", "po", "csv")}
    for fmt, dest in files.items():
        result = handbill("review", "export", path, "--format", {"xlf": "xliff"}.get(fmt, fmt), "--out", dest)
        assert result.exit_code == 0, result.output
    table = docx.Document(str(files["docx"])).tables[0]
    row = next(r for r in table.rows if r.cells[0].text == joined.id)
    assert "joined across a page break" in row.cells[-1].text  # the notes column
    unit = etree.parse(str(files["xlf"])).getroot().find(f".//{XLF}unit[@id='{joined.id}']")
    notes = {n.get("category"): n.text for n in unit.iter(f"{XLF}note")}
    assert "joined across a page break" in notes["hb:repair"]
    entry = next(e for e in polib.pofile(str(files["po"])) if e.msgctxt == joined.id)
    assert "joined across a page break" in entry.comment
    with open(files["csv"], encoding="utf-8", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["id"] == joined.id)
    assert "joined across a page break" in row["notes"]

    assert run(SAMPLE_LEAFLET, tmp_path / "apart", "--no-repair").exit_code == 0
    apart = document(tmp_path / "apart", stem)
    assert len(apart.segments) == len(doc.segments) + 1
    assert any(s.source.endswith("masked ICE thugs") for s in apart.segments)
    assert not any(s.repairs for s in apart.segments)
