"""A chain across engines: Argos en->es (a tiny copy model built at test time) then real Apertium es->gl."""

from __future__ import annotations

from handbill.engines import choose_engine
from handbill.glossary import load_glossary, protect, restore

from ..conftest import REPO


def test_argos_then_apertium_with_provenance_of_both(install):
    install(("en", "es"))
    route = choose_engine(["argos", "apertium"], "en", "gl")
    assert route.languages == ["en", "es", "gl"] and route.name == "argos+apertium"
    assert [h.engine.name for h in route.hops] == ["argos", "apertium"]
    assert [h["engine"] for h in route.provenance()["hops"]] == ["argos", "apertium"]
    assert "argos" in route.version() and "apertium" in route.version()
    # The copy model hands Apertium es->gl its input unchanged: Spanish in, Galician out.
    text = "Los inquilinos de ICE se reúnen el jueves con Trump."
    protected = protect(text, load_glossary(REPO / "glossaries", "en", "gl"))
    (result,) = route.translate([protected.masked], "en", "gl")
    restored, issues = restore(result.text, protected)
    assert issues == [] and "ICE" in restored and "Trump" in restored and "xoves" in restored, restored
    assert result.model.startswith("translate-en_es") and result.model.endswith("-> es-gl")


def test_all_apertium_chain_when_argos_has_nothing(install):
    install(("en", "fr"))  # no Argos en->es: en->gl goes through Apertium alone
    route = choose_engine(["argos", "apertium"], "en", "gl")
    assert route.name == "apertium" and route.languages == ["en", "es", "gl"]
    assert choose_engine(["argos", "apertium"], "en", "fr").name == "argos"  # a direct pair beats any chain
