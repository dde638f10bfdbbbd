"""The whole mission on real parts: the bundled example and the sample leaflet through real Apertium,
reportlab, python-docx and eSpeak NG, every output read back."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document as DocxDocument
from mutagen.mp3 import MP3
from pypdf import PdfReader

from handbill.cli import main
from handbill.model import SCHEMA_VERSION, Kind
from handbill.store import load_document

from ..conftest import REPO, SAMPLE_LEAFLET, run_args

EXAMPLE = REPO / "examples" / "tenant-meeting.md"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def example_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(
        main, ["run", str(EXAMPLE), "--to", "es", "--engine", "apertium", "--out", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    paths = [Path(p) for p in result.stdout.splitlines()]
    return out, paths, load_document(paths[0])


def test_example_group_name_in_the_masthead_is_not_translated(example_run):
    _, _, doc = example_run
    masthead = doc.segments[0]
    assert masthead.kind == Kind.MASTHEAD and masthead.target == masthead.source == "Eastside Tenants Union"


def test_example_pdf_has_every_source_paragraph_and_its_translation(example_run):
    _, paths, doc = example_run
    pdf = next(p for p in paths if p.suffix == ".pdf")
    text = squash("".join(page.extract_text() for page in PdfReader(pdf).pages))
    for seg in doc.segments:
        assert squash(seg.source) in text, seg.source
        assert squash(seg.target) in text, seg.target
    assert any(seg.target != seg.source for seg in doc.segments if seg.translate)


def test_example_docx_reads_back(example_run):
    _, paths, doc = example_run
    clean = next(p for p in paths if p.name.endswith(".es.docx"))
    body = squash("".join(p.text for p in DocxDocument(clean).paragraphs))
    for seg in doc.segments:
        assert squash(seg.target) in body


def test_example_audio_is_not_silent(example_run):
    _, paths, _doc = example_run
    mp3s = [p for p in paths if p.suffix == ".mp3"]
    assert {p.name for p in mp3s} >= {"tenant-meeting.en.mp3", "tenant-meeting.es.mp3"}
    for mp3 in mp3s:
        assert MP3(mp3).info.length > 10


def test_example_document_json_is_versioned(example_run):
    _, paths, _ = example_run
    data = json.loads(paths[0].read_text(encoding="utf-8"))
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["source_lang"] == "en" and data["target_lang"] == "es"


def test_sample_leaflet_segments_and_verbatim_contacts(tmp_path):
    result = CliRunner().invoke(
        main,
        ["run", str(SAMPLE_LEAFLET), "--to", "es", "--engine", "apertium", "--format", "none", "--out", str(tmp_path)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    doc = load_document(result.stdout.splitlines()[0])
    assert len(doc.segments) == 10
    kinds = [seg.kind for seg in doc.segments]
    assert kinds[:3] == [Kind.MASTHEAD, Kind.CONTACT, Kind.HEADING]
    assert kinds[3:] == [Kind.PARAGRAPH] * 7
    repaired = next(seg for seg in doc.segments if "masked ICE thugs" in seg.source)
    assert "brutalizing workers" in repaired.source
    contact = doc.segments[1].target
    for verbatim in ("mail@speakoutsocialists.org", "speakoutsocialists.org", "@sonsocialists"):
        assert verbatim in contact
    spanish = " ".join(seg.target for seg in doc.segments)
    assert "HIELO" not in spanish.upper().replace("ICE", "")
    assert "Triunfo" not in spanish and "Trump" in spanish
    assert "Habla Fuera Ahora" not in spanish and "Speak Out Now" in doc.segments[0].target


def test_example_date_is_written_the_spanish_way_not_as_a_march(example_run):
    # Apertium alone gives "jueves, Marcha 5": the date goes to it as a placeholder written in Spanish
    _, _, doc = example_run
    meeting = next(s for s in doc.segments if "March 5" in s.source)
    assert "5 de marzo" in meeting.target and "Marcha" not in meeting.target


def test_sample_headline_reads_as_spanish_with_real_apertium(tmp_path):
    # Apertium alone: "Minneapolis Asoma el Poder Nosotros Todos Tienen!" (English capitals, no ¡)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, run_args(SAMPLE_LEAFLET, out, "-q", "--no-memory", src=None, engine="apertium"))
    assert result.exit_code == 0, result.output
    doc = load_document(next(out.rglob("document.json")))
    headline = next(s for s in doc.segments if s.kind == Kind.HEADING)
    assert headline.target.startswith("¡Minneapolis ") and headline.target.endswith("!")
    later_words = headline.target.split()[2:]
    assert later_words and all(word[0].islower() for word in later_words), headline.target
