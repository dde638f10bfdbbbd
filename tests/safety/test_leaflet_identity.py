"""Case 2 and the typo-fix family: a different leaflet with the same stem never silently drops reviewed work;
a corrected leaflet keeps every reviewed segment whose source is unchanged; a small source edit carries the
old reviewed translation as a suggestion; nothing reviewed is dropped (it is archived in document.json)."""

from __future__ import annotations

import csv
import json

from handbill.model import Status

from .conftest import LEAFLET, document, handbill, run, write


def _review_everything(out):
    """A reviewer marks every row of the CSV sheet approved."""
    path = out / "flyer" / "es" / "document.json"
    sheet = handbill("review", "export", path, "--format", "csv").stdout.strip()
    with open(sheet, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    with open(sheet, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([rows[0]] + [[row[0], "approved", *row[2:]] for row in rows[1:]])
    assert handbill("review", "import", path, sheet, "--approve").exit_code == 0
    doc = document(out)
    assert all(s.status == Status.APPROVED for s in doc.segments)
    return doc


def test_another_leaflet_with_the_same_stem_stops_and_replace_archives(tmp_path):
    out = tmp_path / "out"
    first = write(tmp_path / "flyer.txt", LEAFLET)
    assert run(first, out).exit_code == 0
    reviewed = _review_everything(out)
    path = out / "flyer" / "es" / "document.json"
    before = path.read_bytes()
    (tmp_path / "other").mkdir()
    second = write(
        tmp_path / "other" / "flyer.md",
        "# Food Bank Saturday\n\nVolunteers sort donations at nine "
        "in the church basement.\n\nBring gloves and a water bottle.\n",
    )
    result = run(second, out)
    assert result.exit_code == 7, result.output
    assert "holds another leaflet (flyer.txt" in result.stderr and "--replace" in result.stderr
    assert path.read_bytes() == before

    result = run(second, out, "--replace", "--json")
    assert result.exit_code == 0, result.output
    human = [s for s in reviewed.segments if s.status.is_human]
    assert json.loads(result.stdout)["archived"] == len(human)
    doc = document(out)
    assert {a["source"]: a["target"] for a in doc.archive} == {s.source: s.target for s in human}
    assert all(a["leaflet"] == "flyer.txt" for a in doc.archive)


def test_a_corrected_leaflet_keeps_reviews_suggests_and_restores(tmp_path):
    out = tmp_path / "out"
    leaflet = write(tmp_path / "flyer.txt", LEAFLET)
    assert run(leaflet, out).exit_code == 0
    reviewed = {s.source: s for s in _review_everything(out).segments}
    typo = "Bring your lease and any letters from the landlord to the meeting."
    write(leaflet, LEAFLET.replace(typo, typo.replace("landlord", "landlords")))  # a one-word fix
    result = handbill("run", leaflet, "--to", "es", "--engine", "apertium", "--format", "none", "--out", out)
    assert result.exit_code == 0, result.output
    assert "archive: 1 reviewed segment(s)" in result.stderr and "1 offered as suggestions" in result.stderr
    doc = document(out)
    for seg in doc.segments:
        if seg.source in reviewed:  # every unchanged segment keeps its reviewed text
            assert (seg.target, seg.status) == (reviewed[seg.source].target, Status.APPROVED)
    changed = next(s for s in doc.segments if "landlords" in s.source)
    assert changed.status == Status.MACHINE
    note = next(n for n in changed.review_notes() if "source_changed" in n)
    assert reviewed[typo].target in note  # the reviewed translation is offered, not dropped
    po = handbill("review", "export", out / "flyer" / "es" / "document.json", "--format", "po").stdout.strip()
    assert reviewed[typo].target in open(po, encoding="utf-8").read()
    assert [a["source"] for a in doc.archive] == [typo]

    write(leaflet, LEAFLET)  # the edit is undone: the archived translation comes back
    assert run(leaflet, out).exit_code == 0
    back = next(s for s in document(out).segments if s.source == typo)
    assert (back.target, back.status) == (reviewed[typo].target, Status.APPROVED)
    assert document(out).archive == []
