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
    doc.segments[4].notes = "=HYPERLINK(\"http://x.example\")"  # a note is guarded like any CSV cell
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
