"""Rendering from a stored document (tests/golden), the way DESIGN.md asks renderer tests to start: no
translation run, the same input every time, whatever an engine's output does next release."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
from click.testing import CliRunner
from pypdf import PdfReader

from handbill import readers, segment
from handbill.cli import main
from handbill.model import SCHEMA_VERSION
from handbill.store import load_document

from ..conftest import GOLDEN, REPO, golden_copy


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_golden_document_is_current():
    """The golden file is what today's reader and splitter make of its leaflet (ids, kinds, text) in today's
    schema; when they change on purpose, `python -m tests.golden` regenerates it and the diff is reviewed."""
    data = json.loads((GOLDEN / "tenant-meeting.es.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == SCHEMA_VERSION
    fresh = segment.split(readers.read(REPO / data["source_path"]))
    stored = load_document(GOLDEN / "tenant-meeting.es.json")
    assert [(s.id, s.kind, s.source) for s in stored.segments] == [(s.id, s.kind, s.source) for s in fresh.segments]
    assert all(s.target for s in stored.segments)


def test_pdf_and_word_files_render_from_it_without_translating(tmp_path):
    document = golden_copy("tenant-meeting.es.json", tmp_path / "tenant-meeting" / "es")
    before = load_document(document)
    result = CliRunner().invoke(main, ["render", str(document), "--format", "pdf,docx", "-q"])
    assert result.exit_code == 0, result.output
    paths = [Path(p) for p in result.stdout.splitlines()]
    assert sorted(p.name for p in paths if p.suffix in {".pdf", ".docx"}) == [
        "tenant-meeting.es.bilingual.docx",
        "tenant-meeting.es.docx",
        "tenant-meeting.es.pdf",
        "tenant-meeting.es.review.docx",
    ]
    folder = document.parent
    pdf = squash(" ".join(page.extract_text() for page in PdfReader(folder / "tenant-meeting.es.pdf").pages))
    clean = squash(" ".join(p.text for p in docx.Document(str(folder / "tenant-meeting.es.docx")).paragraphs))
    for seg in before.segments:
        assert squash(seg.source) in pdf and squash(seg.target) in pdf, seg.id
        assert squash(seg.target) in clean, seg.id
    review = docx.Document(str(folder / "tenant-meeting.es.review.docx"))
    assert [row.cells[0].text for row in review.tables[0].rows[1:]] == [s.id for s in before.segments]
    after = load_document(document)
    assert [s.to_dict() for s in after.segments] == [s.to_dict() for s in before.segments]  # nothing translated
