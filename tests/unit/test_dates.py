"""Dates found in the source and written the target language's way, before any engine sees them."""

from __future__ import annotations

import pytest

from handbill import dates
from handbill.glossary import protect, restore
from handbill.glossary.terms import Glossary


@pytest.mark.parametrize(
    "text, src, tgt, expected",
    [
        ("Come on Thursday, March 5, at 7 p.m.", "en", "es", ["5 de marzo"]),
        ("The rally is on March 14, 2026.", "en", "es", ["el 14 de marzo de 2026"]),
        ("On May 1st we walk out", "en", "fr", ["Le 1er mai"]),
        ("Rent is due Sept. 1 and the 2nd of FEBRUARY 2027", "en", "pt", ["1 de setembro", "2 de fevereiro de 2027"]),
        ("el 5 de marzo de 2026 y el 1 de mayo", "es", "en", ["on March 5, 2026", "on May 1"]),
        ("Hasta el 30 de abril de 2020 y desde el 2 de mayo", "es", "en", ["April 30, 2020", "May 2"]),
        ("El 1 de mayo marchamos", "es", "en", ["On May 1"]),
        ("a partir del 3 de marzo", "es", "en", [" March 3"]),  # "de" stays for the engine: "from March 3"
        ("hasta el 30 de abril", "es", "fr", ["30 avril"]),  # French has the article too: the engine keeps it
        ("le 1er mars 2026", "fr", "es", ["1 de marzo de 2026"]),
        ("a 3 de Junho de 2026", "pt", "fr", ["3 juin 2026"]),
    ],
)
def test_dates_in_the_target_language(text, src, tgt, expected):
    assert [value for _, _, value in dates.rewrites(text, src, tgt)] == expected


@pytest.mark.parametrize(
    "text, src, tgt",
    [
        ("walk march 5 blocks", "en", "es"),  # lower case: the verb, not the month
        ("March 35 and May 0", "en", "es"),  # no such day
        ("March 5", "en", "en"),  # nothing to rewrite
        ("March 5", "en", "ar"),  # no table for the target: left to the engine
        ("Mayday 5", "en", "es"),
    ],
)
def test_no_date_no_rewrite(text, src, tgt):
    assert dates.rewrites(text, src, tgt) == []


def test_a_date_survives_an_engine_that_would_mistranslate_it():
    text = "Meet on Thursday, March 5 at noon."
    protected = protect(text, Glossary("en", "es"), [], dates.rewrites(text, "en", "es"))
    assert "March" not in protected.masked
    engine_output = protected.masked.replace("Meet on Thursday", "Reunión el jueves").replace("at noon", "a mediodía")
    restored, issues = restore(engine_output, protected)
    assert restored == "Reunión el jueves, 5 de marzo a mediodía." and not issues
    dropped, issues = restore("Reunión el jueves a mediodía.", protected)
    assert "5 de marzo" in dropped and [i.code for i in issues] == ["placeholder_lost"]


def test_spanish_dates_lose_their_article_in_english_on_real_apertium():
    from handbill import pipeline
    from handbill.engines.apertium import ApertiumEngine
    from handbill.model import Document, Kind, Segment

    texts = ["Hasta el 30 de abril de 2020 no pagamos.", "El 1 de mayo marchamos.", "A partir del 3 de marzo pagamos."]
    doc = Document(
        "t",
        source_lang="es",
        target_lang="en",
        segments=[Segment(f"s{i}", Kind.PARAGRAPH, t) for i, t in enumerate(texts)],
    )
    doc = pipeline.translate(doc, ApertiumEngine(), Glossary("es", "en"), pipeline.reuse(doc))
    until, may, march = (s.target for s in doc.segments)
    assert until.startswith("Until April 30, 2020 ") and may.startswith("On May 1 ")
    assert march.startswith("From March 3 ")
    assert not any(i.code == "placeholder_lost" for s in doc.segments for i in s.issues)
