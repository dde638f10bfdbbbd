"""The ReviewFormat contract (review/base.py), one test for every format in review.FORMATS: export, read
back, a reviewer's edit to a translation and to a note, import. A new format gets these for free; what a
format does beyond the contract (tracked changes, XLIFF markup, PO plurals) is tested beside it."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner

from handbill import review
from handbill.cli import main
from handbill.errors import BadInput
from handbill.model import Status
from handbill.store import load_document, save_document

from ..conftest import SMALL, make_document

FORMATS = list(review.FORMATS.values())
NOTE = "Ana: check the date, and the room"
EDITED = "Habrá guardería e intérpretes y comida."  # no comma: the CSV cell it replaces is not quoted


@pytest.fixture(params=FORMATS, ids=[f.name for f in FORMATS])
def fmt(request) -> review.ReviewFormat:
    return request.param


def leaflet():
    doc = make_document(SMALL)
    doc.segments[2].status = Status.APPROVED
    doc.segments[3].status = Status.REVIEWED
    doc.segments[4].notes = NOTE
    return doc


def replace_in_file(path: Path, old: str, new: str) -> None:
    """What a reviewer's tool does to one cell, done to the file itself: the text replaced where it is stored
    (a Word file's XML parts, or the file's text)."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            parts = {info: archive.read(info) for info in archive.infolist()}
        old_b, new_b = escape(old).encode("utf-8"), escape(new).encode("utf-8")
        assert any(old_b in data for data in parts.values()), old
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for info, data in parts.items():
                archive.writestr(info, data.replace(old_b, new_b))
        return
    text = path.read_bytes().decode("utf-8")
    assert old in text, old
    path.write_bytes(text.replace(old, new).encode("utf-8"))


def test_the_name_and_suffixes_lead_to_the_format(fmt):
    for suffix in fmt.suffixes:
        assert review.format_of(Path(f"reviewed{suffix.upper()}")) == fmt.name


def test_every_row_comes_back_with_its_status_and_notes(fmt, tmp_path):
    doc = leaflet()
    path = fmt.export(doc, tmp_path / f"r{fmt.suffixes[0]}", export_id="0123abcd4567", paper="a4")
    rows = fmt.read(path)
    assert [(r.id, r.source, r.target) for r in rows] == [(s.id, s.source, s.target) for s in doc.segments]
    assert rows.export_id == ("0123abcd4567" if fmt.carries_export_id else "")
    for row, seg in zip(rows, doc.segments):
        # A person's status stays a person's; a machine draft never reads back as reviewed.
        assert (
            row.status is not None and row.status.is_human
            if seg.status.is_human
            else row.status is None or not row.status.is_human
        ), (fmt.name, seg.status, row.status)
    assert NOTE in rows[4].comment
    assert review.read_rows(path) == rows


def test_a_file_of_another_kind_is_bad_input(fmt, tmp_path):
    other = tmp_path / f"not-really{fmt.suffixes[0]}"
    other.write_bytes(b"\x00\x01 this is no review file \xff")
    with pytest.raises(BadInput):
        review.read_rows(other)


def test_edit_then_import_changes_exactly_what_the_reviewer_changed(fmt, tmp_path):
    saved = save_document(leaflet(), tmp_path / "out" / "leaflet" / "es" / "document.json")
    before = load_document(saved)
    exported = CliRunner().invoke(main, ["review", "export", str(saved), "--format", fmt.name])
    assert exported.exit_code == 0, exported.output
    path = Path(exported.stdout.strip())
    replace_in_file(path, before.segments[5].target, EDITED)
    replace_in_file(path, NOTE, NOTE + "; Ben: done")
    row = next(r for r in review.read_rows(path) if r.id == before.segments[5].id)

    imported = CliRunner().invoke(main, ["review", "import", str(saved), str(path)])
    assert imported.exit_code == 0, imported.output
    after = load_document(saved)
    seg = after.segments[5]
    assert seg.target == EDITED
    assert seg.status == (Status.NEEDS_REVIEW if row.draft else Status.REVIEWED)  # a PO fuzzy entry: a draft
    assert seg.machine == before.segments[5].machine  # the engine's text kept for audit
    assert after.segments[4].notes.count("Ben: done") == 1 and NOTE in after.segments[4].notes
    untouched = [i for i in range(len(SMALL)) if i not in (4, 5)]
    assert [after.segments[i].to_dict() for i in untouched] == [before.segments[i].to_dict() for i in untouched]

    again = saved.read_bytes()
    assert CliRunner().invoke(main, ["review", "import", str(saved), str(path)]).exit_code == 0
    assert saved.read_bytes() == again  # importing the same file twice changes nothing more
