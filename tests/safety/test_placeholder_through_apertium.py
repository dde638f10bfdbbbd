"""A glossary term kept as written (ICE, an organisation's name) travels through the engine as a placeholder ⟦n⟧.
Apertium es->pt reads "a partir del ⟦1⟧" / "a partir de la ⟦1⟧" as an hour ("from one o'clock") and its rule
wrote "a partir de 1 ⟦⟧": the number left its brackets, the term was lost (the target read
"a partir de 1 ⟦⟧ … (ICE)", flagged placeholder_lost and number_mismatch). The engine puts the number back."""

from __future__ import annotations

import pytest

from handbill.engines.apertium import ApertiumEngine
from handbill.store import load_document

from .conftest import handbill, write


@pytest.mark.parametrize("text", ["a partir de la ⟦1⟧ núbil", "a partir del ⟦1⟧", "a partir de las ⟦1⟧."])
@pytest.mark.parametrize("target", ["pt", "pt-PT"])
def test_the_placeholder_keeps_its_number(text, target):
    (result,) = ApertiumEngine().translate([text], "es", target)
    assert "⟦1⟧" in result.text and "⟦⟧" not in result.text, result.text


def test_a_number_beside_brackets_of_the_leaflet_itself_is_left_alone():
    (result,) = ApertiumEngine().translate(["Tenemos 1 ⟦⟧ vacío."], "es", "pt")
    assert "1 ⟦⟧" in result.text


def test_a_kept_term_survives_es_to_pt(tmp_path):
    leaflet = write(
        tmp_path / "carta.txt",
        "Noticias\n\nLas familias esperan a partir del ICE una respuesta.\n\n"
        "Todo cambia a partir de la Speak Out Now.\n",
    )
    out = tmp_path / "out"
    result = handbill(
        "run", leaflet, "--to", "pt", "--from", "es", "--engine", "apertium", "--format", "none", "--out", out, "-q"
    )
    assert result.exit_code == 0, result.output
    segments = load_document(out / "carta" / "pt" / "document.json").segments
    segments = [s for s in segments if "partir" in s.source]
    assert [("ICE" in s.target, "Speak Out Now" in s.target) for s in segments] == [(True, False), (False, True)]
    for seg in segments:
        assert "⟦" not in seg.target and not [i for i in seg.issues if i.code == "placeholder_lost"], seg
