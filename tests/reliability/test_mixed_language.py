"""Mixed-language leaflets: an English leaflet with an Arabic paragraph used to end in exit 6 after writing the
PDF and DOCX (the English voice spelled out the Arabic). Each paragraph is now translated from its own language
where an engine can, else kept as written with a note, and read aloud in a voice for its own language; a
paragraph in a language no voice speaks is left out of the readings with a warning."""

from __future__ import annotations

import json
from typing import ClassVar

import mutagen.mp3
from click.testing import CliRunner

from handbill import engines
from handbill.cli import main
from handbill.engines.base import Engine, Translation
from handbill.model import Document, Kind, Segment
from handbill.render.audio import reading_plan

from ..conftest import UDHR, run_args, write_leaflet
from .conftest import run_cli
from .guarantees import check_outputs

ENGLISH = [
    "Tenants Union meeting",
    "We meet every Tuesday at the library to talk about rent and the repairs that never happen.",
    "Bring your neighbours, your questions and your rent book; there will be tea and bread.",
]
KHMER = "សួស្តី អ្នកជិតខាង"  # "hello, neighbours": Khmer script, and eSpeak NG has no Khmer voice


def _arabic() -> str:
    return next(line for line in (UDHR / "ar.txt").read_text(encoding="utf-8").splitlines() if len(line) > 80)


def _leaflet(tmp_path, *extra: str):
    return write_leaflet(tmp_path, "\n\n".join([*ENGLISH[:2], *extra, ENGLISH[2]]) + "\n")


def test_an_arabic_paragraph_is_kept_and_read_in_an_arabic_voice(tmp_path):
    out = tmp_path / "out"
    leaflet = _leaflet(tmp_path, _arabic())
    proc = run_cli(*run_args(leaflet, out, src=None, engine="apertium", fmt="pdf,docx,audio"), timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "in Arabic kept as written" in proc.stderr
    folder = out / "leaflet" / "es"
    check_outputs(out)
    doc = json.loads((folder / "document.json").read_text(encoding="utf-8"))
    arabic = next(s for s in doc["segments"] if s["lang"] == "ar")
    assert arabic["target"] == arabic["source"] and arabic["provenance"]["engine"] == "kept"
    assert [(i["code"], i["severity"]) for i in arabic["issues"]] == [("other_language", "warning")]
    assert all(s["provenance"]["engine"] == "apertium" for s in doc["segments"] if s["lang"] == "en" and s["translate"])
    for lang in ("en", "es"):  # every paragraph has its chapter in both readings
        chapters = mutagen.mp3.MP3(folder / "audio" / f"leaflet.{lang}.mp3").tags.getall("CHAP")
        assert len(chapters) == len(doc["segments"]), lang


class TwoPairs(Engine):
    """Knows en->es and ar->es; records what it was asked."""

    name = "twopairs"
    calls: ClassVar[list] = []

    def available(self):
        return True

    def version(self):
        return "0"

    def pairs(self):
        return {("en", "es"), ("ar", "es")}

    def translate(self, texts, src, tgt):
        self.calls.append((src, list(texts)))
        return [Translation(f"[{src}->{tgt}] {t}") for t in texts]


def test_a_paragraph_is_translated_from_its_own_language_where_an_engine_can(tmp_path, monkeypatch):
    engine = TwoPairs()
    engine.calls = []
    monkeypatch.setitem(engines.FACTORIES, "twopairs", lambda settings: engine)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, run_args(_leaflet(tmp_path, _arabic()), out, "-q", src=None, engine="twopairs"))
    assert result.exit_code == 0, result.stderr
    assert {src for src, _ in engine.calls} == {"en", "ar"}
    assert [len(texts) for src, texts in engine.calls if src == "ar"] == [1]
    doc = json.loads((out / "leaflet" / "es" / "document.json").read_text(encoding="utf-8"))
    assert next(s for s in doc["segments"] if s["lang"] == "ar")["target"].startswith("[ar->es]")


def test_a_paragraph_no_voice_speaks_is_left_out_of_the_readings(tmp_path):
    out = tmp_path / "out"
    proc = run_cli(*run_args(_leaflet(tmp_path, KHMER), out, engine="apertium", fmt="audio"), timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "paragraphs in km are left out of the readings" in proc.stderr
    chapters = mutagen.mp3.MP3(out / "leaflet" / "es" / "audio" / "leaflet.en.mp3").tags.getall("CHAP")
    assert len(chapters) == len(ENGLISH)


def test_the_reading_plan_gives_each_paragraph_the_voice_of_its_language():
    doc = Document(
        "x",
        source_lang="en",
        target_lang="es",
        segments=[
            Segment("a", Kind.PARAGRAPH, "Rent strike", target="Huelga", lang="en"),
            Segment("b", Kind.PARAGRAPH, "مرحبا", target="مرحبا", lang="ar", provenance={"engine": "kept"}),
            Segment("c", Kind.PARAGRAPH, "مرحبا بكم", target="Bienvenidos", lang="ar", provenance={"engine": "x"}),
            Segment("d", Kind.CONTACT, "info@union.example", translate=False, lang="en"),
        ],
    )
    assert [voice for _, voice, _ in reading_plan(doc, "en")] == ["en", "ar", "ar", "en"]
    assert [(voice, text) for _, voice, text in reading_plan(doc, "es")] == [
        ("es", "Huelga"),
        ("ar", "مرحبا"),
        ("es", "Bienvenidos"),
        ("en", "info@union.example"),
    ]
