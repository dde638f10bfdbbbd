"""Which glossary a pair gets: its own file (the outer pair of a chain), a reverse file used backwards, and
the language-independent keep/name rows of every glossary — checked through real Apertium runs."""

from __future__ import annotations

import json

from handbill import api
from handbill.glossary import load_glossary
from handbill.settings import Settings

from ..conftest import REPO

GLOSSARIES = REPO / "glossaries"
LEAFLET = (
    "Speak Out Now\n\nICE Out of Our Cities!\n\n"
    "For weeks, the Trump administration has sent ICE agents to terrorize the region. "
    "Speak Out Now calls on every tenant union to join the rally.\n"
)


def test_a_chain_uses_the_outer_pair_and_shared_keep_rows():
    fr = load_glossary(GLOSSARIES, "en", "fr")
    assert fr.path.endswith("en-fr.csv") and fr.origin.startswith("en-fr.csv")
    assert {"ICE", "Trump", "DACA"} <= {t.source for t in fr.terms}  # DACA: a keep row of en-es only
    assert load_glossary(GLOSSARIES, "en", "pt-BR").path.endswith("en-pt.csv")


def test_a_variant_file_comes_before_the_language_file(tmp_path):
    (tmp_path / "en-pt.csv").write_text("source,target,kind,status\nrent strike,greve de aluguel,fixed,approved\n")
    (tmp_path / "en-pt-PT.csv").write_text("source,target,kind,status\nrent strike,greve de rendas,fixed,approved\n")
    assert load_glossary(tmp_path, "en", "pt-PT").terms[0].target == "greve de rendas"
    assert load_glossary(tmp_path, "en", "pt-BR").terms[0].target == "greve de aluguel"


def test_reverse_use_inverts_rows_and_says_so():
    es_en = load_glossary(GLOSSARIES, "es", "en")
    assert "en-es.csv used in reverse" in es_en.origin
    by_source = {t.source: t for t in es_en.terms}
    assert by_source["huelga de alquileres"].target == "rent strike"
    assert by_source["huelga de alquileres"].status == "proposed" and by_source["ICE"].kind == "keep"
    assert by_source["sindicato"].target == "union"  # the first of two rows with one rendering wins
    assert all(not t.wrong and not t.gender for t in es_en.terms if not t.verbatim)


def test_a_pair_without_glossary_keeps_names_and_acronyms(tmp_path):
    leaflet = tmp_path / "leaflet.txt"
    leaflet.write_text(LEAFLET, encoding="utf-8")
    settings = Settings.of(engine="apertium", format="none", out=tmp_path / "out", use_memory=False)
    result = api.run(leaflet, "ca", settings)
    text = " ".join(s.target for s in result.document.segments)
    assert text.count("ICE") == 2 and "Trump" in text and text.count("Speak Out Now") == 2, text
    assert "GEL" not in text and "Triomf" not in text  # what Apertium eng-cat says without a glossary
    report = json.loads(result.document_path.read_text())["glossary_report"]
    assert "keep/name terms from en-es.csv" in report["origin"]
