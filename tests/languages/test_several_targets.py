"""`handbill run LEAFLET --to es,fr,pt-BR`: one process, one folder per language, the English reading made
once, chains through Spanish recorded everywhere — real Apertium, eSpeak NG, reportlab and python-docx."""

from __future__ import annotations

import json

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from handbill.api import TargetsResult
from handbill.cli import main
from handbill.errors import EngineFailure, HandbillError, MissingDependency, QualityGate

from ..conftest import SAMPLE_LEAFLET

TERMS = ("ICE", "Trump", "Speak Out Now")


def run(*args: str):
    return CliRunner().invoke(main, ["run", *args], catch_exceptions=False)


def test_three_targets_in_one_run(tmp_path):
    out = tmp_path / "out"
    result = run(str(SAMPLE_LEAFLET), "--to", "es,fr,pt-BR", "--out", str(out), "--engine", "apertium")
    assert result.exit_code == 0, result.stderr
    stem = SAMPLE_LEAFLET.stem
    assert result.stderr.count("detect: en") == 1  # read, split and detected once
    assert "[fr] translate: 9 segments en->fr with apertium via es" in result.stderr
    assert "not sent to an engine again" in result.stderr  # fr and pt-BR reuse the en->es hop
    assert result.stderr.count("audio: synthesising") == 3
    assert "synthesising 20 paragraphs in en, es" in result.stderr  # English is synthesised once, for es
    assert result.stderr.count("en reading copied from es/") == 2
    readings = []
    source = SAMPLE_LEAFLET.read_text(encoding="utf-8")
    for tag, via in (("es", None), ("fr", ["en", "es", "fr"]), ("pt-BR", ["en", "es", "pt-BR"])):
        folder = out / stem / tag
        data = json.loads((folder / "document.json").read_text())
        translated = [s for s in data["segments"] if s["provenance"].get("engine") == "apertium"]
        assert translated and all(s["provenance"].get("route") == via for s in translated)
        pdf = PdfReader(folder / f"{stem}.{tag}.pdf")
        text = " ".join(page.extract_text() for page in pdf.pages)
        word = docx.Document(folder / f"{stem}.{tag}.docx")
        clean = " ".join(p.text for p in word.paragraphs)
        for term in TERMS:
            assert clean.count(term) == source.count(term) and term in text, (tag, term)  # through both hops
        for bad in ("HIELO", "GELO", "GLACE", "Triunfo", "Triomphe"):
            assert bad not in clean, (tag, bad)
        if via:
            assert "via Spanish" in pdf.metadata["/Subject"] and "via Spanish" in word.core_properties.comments
        assert (folder / "audio" / f"{stem}.{tag}.mp3").stat().st_size > 10_000
        readings.append((folder / "audio" / f"{stem}.en.mp3").read_bytes())
    assert readings[0] == readings[1] == readings[2] and len(readings[0]) > 10_000
    assert len(list((out / stem / "pt-BR" / "audio" / "en").glob("*.mp3"))) == 10  # paragraph files copied too


def test_a_failing_target_leaves_the_others_complete(tmp_path):
    out = tmp_path / "out"
    result = run(
        str(SAMPLE_LEAFLET), "--to", "es,de,fr", "--out", str(out), "--engine", "apertium", "--format", "none", "-q"
    )
    assert result.exit_code == 5
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: [de] no engine can translate en->de")
    assert "translate-en_de" in errors[0]
    assert [p.parent.name for p in sorted((out / SAMPLE_LEAFLET.stem).glob("*/document.json"))] == ["es", "fr"]
    assert set(result.stdout.split()) == {str(out / SAMPLE_LEAFLET.stem / t / "document.json") for t in ("es", "fr")}


def test_json_report_for_several_targets(tmp_path):
    result = run(str(SAMPLE_LEAFLET), "--to", "fr,xx-unknown", "--out", str(tmp_path), "--format", "none")
    assert result.exit_code == 2 and "xx-unknown" in result.output  # a bad tag stops before any work
    result = run(
        str(SAMPLE_LEAFLET),
        "--to",
        "fr,en",
        "--out",
        str(tmp_path),
        "--format",
        "none",
        "--json",
        "--engine",
        "apertium",
    )
    report = json.loads(result.stdout)
    assert result.exit_code == 4 and report["failures"]["en"]["exit_code"] == 4  # already in English
    assert report["targets"]["fr"]["translation"].startswith("machine translation via Spanish")


@pytest.mark.parametrize("codes, worst", [([], 0), ([5], 5), ([5, 8, 6], 8), ([9, 1, 5], 1)])
def test_exit_code_is_the_worst_target(codes, worst):
    kinds = {5: MissingDependency, 6: EngineFailure, 8: QualityGate, 1: HandbillError}
    kinds[9] = type("Out", (HandbillError,), {"exit_code": 9})
    outcome = TargetsResult(failures={f"t{i}": kinds[c]("x") for i, c in enumerate(codes)})
    assert outcome.exit_code == worst
