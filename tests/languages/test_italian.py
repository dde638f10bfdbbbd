"""Italian, added as one module (handbill/languages/it.py): its dates and speech, unit by unit and end to
end through a real Apertium chain (eng-spa, then spa-ita) and eSpeak NG, read back."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from handbill import dates
from handbill.cli import main
from handbill.render import audio
from handbill.render.spoken import speakable
from handbill.store import load_document


@pytest.mark.parametrize(
    "text, src, tgt, expected",
    [
        ("Come on March 5, 2026 at 7 p.m.", "en", "it", ["il 5 marzo 2026"]),
        ("On May 1st we march; on March 8 we strike", "en", "it", ["Il 1º maggio", "l'8 marzo"]),  # il elides
        ("Rent is due April 11", "en", "it", ["11 aprile"]),
        ("Il 5 marzo 2026 marciamo", "it", "en", ["On March 5, 2026"]),
        ("entro il 30 aprile, dal 3 maggio, l'8 marzo", "it", "en", ["April 30", " May 3", "on March 8"]),
        ("el 1 de octubre", "es", "it", ["1º ottobre"]),  # Spanish has the article: the engine translates it
    ],
)
def test_italian_dates(text, src, tgt, expected):
    assert [value for _, _, value in dates.rewrites(text, src, tgt)] == expected


@pytest.mark.parametrize(
    "text, said",
    [
        ("L'8 marzo 2026 alle 7 p.m.", "L'otto marzo duemilaventisei alle sette del pomeriggio"),
        ("il 1º maggio, 3.000 persone, 50 %", "il primo maggio, tremila persone, cinquanta per cento"),
        (
            "$12.50 & ICE: info@inquilini.it",
            "dodici dollari e cinquanta centesimi e ais: info chiocciola inquilini punto it",
        ),
    ],
)
def test_italian_is_read_in_words(text, said):
    assert speakable(text, "it") == said


def test_end_to_end_through_a_chain(tmp_path, monkeypatch):
    """en→es→it with real Apertium: the dates come out Italian (the chain alone wrote "addirittura Marcia 8,
    2026"), and eSpeak NG's Italian voice is handed words, not digits."""
    leaflet = tmp_path / "leaflet.md"
    leaflet.write_text(
        "# Tenant Meeting\n\nCome to the meeting on March 8, 2026 at 7 p.m.\n\n"
        "Rent is due on May 1. Call 555-123-4567.\n",
        encoding="utf-8",
    )
    jobs = []
    real = audio.synthesize_all
    monkeypatch.setattr(audio, "synthesize_all", lambda batch, *a, **k: (jobs.extend(batch), real(batch, *a, **k))[1])
    result = CliRunner().invoke(
        main,
        [
            "run",
            str(leaflet),
            "--to",
            "it",
            "--engine",
            "apertium",
            "--format",
            "audio",
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 0, result.output
    doc = load_document(tmp_path / "out" / "leaflet" / "it" / "document.json")
    targets = " ".join(seg.target for seg in doc.segments)
    assert "l'8 marzo 2026" in targets and "1º maggio" in targets, targets
    assert doc.segments[1].provenance["route"] == ["en", "es", "it"]
    said = " ".join(job.text for job in jobs if job.voice == "it")
    assert "otto marzo duemilaventisei" in said and "primo maggio" in said and "sette del pomeriggio" in said
    assert not re.search(r"\d", said), said
