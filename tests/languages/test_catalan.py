"""Catalan, added as one module (handbill/languages/ca.py): its dates and speech, unit by unit and end to end
through real Apertium (eng-cat) and eSpeak NG, with every output read back."""

from __future__ import annotations

import re
from pathlib import Path

import miniaudio
import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3
from pypdf import PdfReader

from handbill import dates
from handbill.cli import main
from handbill.render import audio
from handbill.render.speech import duration_band
from handbill.render.spoken import speakable
from handbill.store import load_document


@pytest.mark.parametrize(
    "text, src, tgt, expected",
    [
        ("Come on March 5, 2026 at 7 p.m.", "en", "ca", ["el 5 de març de 2026"]),
        ("Rent is due April 1 and the 11th of October", "en", "ca", ["1 d'abril", "11 d'octubre"]),  # de elides
        ("On May 1st we march; on August 11 we vote", "en", "ca", ["L'1 de maig", "l'11 d'agost"]),  # so does el
        ("El 5 de març de 2026 marxem", "ca", "en", ["On March 5, 2026"]),
        ("fins al 30 d'abril, des del 3 de maig, l'1 de juny", "ca", "en", [" April 30", " May 3", "on June 1"]),
        ("el 5 de març de 2026", "ca", "es", ["5 de marzo de 2026"]),  # Spanish has the article: the engine's
        ("le 1er octobre", "fr", "ca", ["1 d'octubre"]),
    ],
)
def test_catalan_dates(text, src, tgt, expected):
    assert [value for _, _, value in dates.rewrites(text, src, tgt)] == expected


@pytest.mark.parametrize(
    "text, said",
    [
        ("L'1 d'abril de 2026 a les 7 p. m.", "L'u d'abril de dos mil vint-i-sis a les set de la tarda"),
        ("el 5 de març, 3.000 persones, 50 %", "el cinc de març, tres mil persones, cinquanta per cent"),
        (
            "$12.50 & ICE: info@llogateres.cat",
            "dotze dòlars i cinquanta cèntims i ais: info arrova llogateres punt cat",
        ),
        (
            "Truca al 555-123-4567 l'11 d'octubre",
            "Truca al cinc cinc cinc, un dos tres, quatre cinc sis set l'onze d'octubre",
        ),
    ],
)
def test_catalan_is_read_in_words(text, said):
    assert speakable(text, "ca") == said


LEAFLET = """# Tenant Meeting

Come to the tenant meeting on March 5, 2026 at 7 p.m. in the library.

Rent is due on April 1. Call 555-123-4567 or write to info@tenants.org.
"""


@pytest.fixture(scope="module")
def catalan_run(tmp_path_factory):
    """`handbill run --to ca` with real Apertium and eSpeak NG; what was handed to eSpeak NG is recorded on
    its way (the real synthesis still runs)."""
    folder = tmp_path_factory.mktemp("catalan")
    leaflet = folder / "leaflet.md"
    leaflet.write_text(LEAFLET, encoding="utf-8")
    jobs = []
    real = audio.synthesize_all

    def recording(batch, *args, **kwargs):
        jobs.extend(batch)
        return real(batch, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(audio, "synthesize_all", recording)
        result = CliRunner().invoke(
            main,
            [
                "run",
                str(leaflet),
                "--to",
                "ca",
                "--engine",
                "apertium",
                "--format",
                "pdf,audio",
                "--out",
                str(folder / "out"),
            ],
        )
    assert result.exit_code == 0, result.output
    paths = [Path(p) for p in result.stdout.splitlines()]
    return load_document(folder / "out" / "leaflet" / "ca" / "document.json"), paths, jobs


def test_end_to_end_dates_come_out_catalan(catalan_run):
    doc, paths, _ = catalan_run
    targets = [seg.target for seg in doc.segments]
    assert any("el 5 de març de 2026" in t for t in targets), targets  # Apertium alone: "damunt Desfila 5, 2026"
    assert any("l'1 d'abril" in t for t in targets), targets
    pdf = next(p for p in paths if p.suffix == ".pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert "5 de març de 2026" in text and "1 d'abril" in text


def test_end_to_end_speech_is_catalan_words_in_the_catalan_voice(catalan_run):
    _doc, paths, jobs = catalan_run
    catalan = [job for job in jobs if job.voice == "ca"]
    said = " ".join(job.text for job in catalan)
    assert "el cinc de març de dos mil vint-i-sis" in said and "l'u d'abril" in said, said
    assert "set de la tarda" in said and "arrova" in said
    assert not re.search(r"\d", said), said  # no digit left for eSpeak NG to spell out
    reading = next(p for p in paths if p.name.endswith(".ca.mp3"))
    assert str(ID3(reading)["TLAN"]) == "cat"
    decoded = miniaudio.decode_file(
        str(reading), output_format=miniaudio.SampleFormat.SIGNED16, nchannels=1, sample_rate=22050
    )
    seconds = len(decoded.samples) / 22050
    low = sum(duration_band(job.text)[0] for job in catalan)
    high = sum(duration_band(job.text)[1] for job in catalan)
    assert low <= seconds <= high + len(catalan)  # each chapter ends with a short pause
    assert max(abs(x) for x in decoded.samples) > 1000  # not silent
