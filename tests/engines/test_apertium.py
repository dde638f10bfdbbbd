"""Apertium engine contract against the REAL `apertium` binary and the pairs the set-up installs."""

from __future__ import annotations

import re
import stat

import pytest

from handbill.engines import apertium
from handbill.engines.apertium import ApertiumEngine
from handbill.errors import EngineFailure, UnsupportedPair

NUMBERS = [
    3,
    7,
    12,
    19,
    26,
    31,
    44,
    58,
    63,
    75,
    81,
    97,
    104,
    118,
    126,
    139,
    142,
    157,
    163,
    171,
    188,
    192,
    205,
    217,
    229,
    238,
    246,
    253,
    267,
    279,
    284,
    296,
    301,
    315,
    322,
    337,
    349,
    356,
    368,
    373,
]
PARAGRAPHS = [f"The tenants on floor {n} meet on Thursday. Bring your lease and {n} flyers." for n in NUMBERS]


@pytest.fixture
def engine():
    return ApertiumEngine()


def fake_apertium(tmp_path, body: str):
    """A stand-in `apertium` script: lists eng-spa for -l, runs `body` for a translation."""
    script = tmp_path / "apertium"
    script.write_text(f'#!/bin/sh\nif [ "$1" = "-l" ]; then echo eng-spa; exit 0; fi\n{body}\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    apertium.installed_modes.cache_clear()
    return ApertiumEngine(binary=str(script))


@pytest.fixture(autouse=True)
def fresh_modes():
    apertium.installed_modes.cache_clear()
    yield
    apertium.installed_modes.cache_clear()


def test_iso_codes_map_to_apertium_modes(engine):
    assert engine.available()
    assert engine.mode("en", "es") == "eng-spa"
    assert engine.mode("es", "en") == "spa-eng_US"  # bare tags mean CLDR's default: en-US, pt-BR
    assert engine.mode("es", "en-GB") == "spa-eng"
    assert engine.mode("en", "ca") == "eng-cat"
    assert engine.mode("fr", "es") == "fr-es"
    assert engine.mode("es", "pt") == "es-pt_BR"
    assert engine.mode("es", "pt-PT") == "es-pt"
    assert {
        ("en", "es"),
        ("es", "en-US"),
        ("en", "ca"),
        ("fr", "es"),
        ("es", "fr"),
        ("es", "pt-PT"),
        ("es", "pt-BR"),
        ("en", "ca-valencia"),
        ("pt", "es"),
    } <= engine.pairs()
    assert all(len(s) == 2 for s, t in engine.pairs())  # language tags (ISO 639-1), never eng/spa
    assert re.match(r"\d", engine.version())


def test_many_paragraphs_one_process_every_boundary_kept(engine, monkeypatch):
    calls = []
    real_run = engine._run
    monkeypatch.setattr(engine, "_run", lambda mode, text: calls.append(mode) or real_run(mode, text))
    out = engine.translate(PARAGRAPHS, "en", "es")
    assert calls == ["eng-spa"]  # one process for all 40 paragraphs
    assert len(out) == len(PARAGRAPHS)
    for n, result in zip(NUMBERS, out):
        assert sorted(set(re.findall(r"\d+", result.text))) == [str(n)], result.text  # no paragraph moved
        assert "inquilinos" in result.text and "jueves" in result.text
        assert result.model == "eng-spa"


def test_french_to_spanish(engine):
    (result,) = engine.translate(["Les locataires se réunissent jeudi."], "fr", "es")
    assert "jueves" in result.text and result.model == "fr-es"


def test_unknown_words_recorded_and_marks_stripped(engine):
    a, b = engine.translate(["The blorptastic landlord ignores the zindlewump.", "The union wins."], "en", "es")
    assert set(a.unknown) == {"blorptastic", "zindlewump"}
    assert "*" not in a.text and "blorptastic" in a.text and "zindlewump" in a.text
    assert b.unknown == () and "*" not in b.text


def test_literal_asterisks_and_placeholders_survive(engine):
    (result,) = engine.translate(["He wrote *sic* on the sign, and 5 * 3 = 15. Ask ⟦1⟧ or @@2@@."], "en", "es")
    assert "*sic*" in result.text and "5 * 3 = 15" in result.text
    assert "⟦1⟧" in result.text and "@@2@@" in result.text
    assert "sic" not in result.unknown


def test_empty_texts_keep_their_slots(engine):
    out = engine.translate(["", "Good morning.", "   ", "The rent is too high.", ""], "en", "es")
    assert [r.text for r in out][0::2] == ["", "", ""]
    assert out[1].text and out[3].text and "alquiler" in out[3].text
    assert engine.translate([], "en", "es") == []


def test_lost_boundaries_fall_back_to_one_call_per_text(tmp_path):
    # This stand-in flattens its whole input onto one line, as a broken mode might: blank-line
    # boundaries vanish, so the engine must not misalign, and retries text by text.
    engine = fake_apertium(tmp_path, "tr '\\n' ' '")
    out = engine.translate(["First one.", "Second one.", "Third one."], "en", "es")
    assert [r.text for r in out] == ["First one.", "Second one.", "Third one."]


def test_failing_binary_is_engine_failure(tmp_path):
    engine = fake_apertium(tmp_path, "echo 'mode file is broken' >&2\nexit 3")
    with pytest.raises(EngineFailure) as info:
        engine.translate(["hello"], "en", "es")
    assert info.value.exit_code == 6
    assert "mode file is broken" in info.value.message and "exit 3" in info.value.message


def test_missing_binary_is_not_available(tmp_path):
    engine = ApertiumEngine(binary=str(tmp_path / "no-such-apertium"))
    assert not engine.available() and engine.pairs() == set()
    with pytest.raises(UnsupportedPair):
        engine.translate(["hello"], "en", "es")


def test_missing_pair_is_exit_5(engine):
    with pytest.raises(UnsupportedPair) as info:
        engine.translate(["hello"], "en", "ja")
    assert info.value.exit_code == 5 and "en->ja" in info.value.message
