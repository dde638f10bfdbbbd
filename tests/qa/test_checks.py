"""Each QA check on crafted translations, with Debian's real Hunspell dictionaries."""

from __future__ import annotations

import pytest

from handbill import qa, spelling
from handbill.glossary import load_glossary
from handbill.model import Status

from ..conftest import make_document

ES = load_glossary(None, "en", "es")


def flags_of(source: str, target: str, tgt: str = "es", kind: str = "paragraph", **seg) -> list:
    doc = make_document([(kind, source, target)], tgt=tgt)
    for key, value in seg.items():
        setattr(doc.segments[0], key, value)
    qa.check(doc, ES if tgt == "es" else load_glossary(None, "en", tgt))
    return doc.segments[0].issues


def codes(issues, code: str) -> list[str]:
    return [i.term for i in issues if i.code == code]


def test_dictionaries_are_found_for_tags_and_variants():
    assert spelling.find("es").name == "es_ES.dic"
    assert spelling.find("pt-BR").name == "pt_BR.dic" and spelling.find("pt-PT").name == "pt_PT.dic"
    assert spelling.find("ca-valencia").name == "ca_ES-valencia.dic"
    assert spelling.find("es-419") is not None
    assert spelling.find("so") is None  # no Somali dictionary: QA falls back to the engine's marks


def test_english_words_left_in_spanish_are_found_by_dictionary_alone():
    # No engine marks (an Argos-like draft): the dictionaries decide.
    source = "Workers skipped work on Friday while Governor Walz watched ICE in Chicago; write to union@strike.example."
    target = (
        "Los trabajadores skipped el trabajo el viernes mientras el gobernador Walz miraba a ICE en Chicago; "
        "escriba a union@strike.example."
    )
    issues = flags_of(source, target)
    assert codes(issues, "untranslated_word") == ["skipped"]
    (flag,) = [i for i in issues if i.code == "untranslated_word"]
    assert flag.severity == "error" and target[flag.span[0] : flag.span[1]] == "skipped"


def test_names_acronyms_codes_and_keep_terms_are_never_flagged():
    source = "Speak Out Now met Jacob Frey and the DHS about our 501c3 and the skipped vote."
    target = "Speak Out Now se reunió con Jacob Frey y el DHS sobre nuestra 501c3 y la votación saltada."
    assert codes(flags_of(source, target), "untranslated_word") == []


def test_engine_marks_count_for_lower_case_words_only():
    source = "Protestors met Walz."
    target = "Los protestors conocieron a Walz."
    issues = flags_of(source, target, provenance={"unknown": ["protestors", "Walz"]})
    assert codes(issues, "untranslated_word") == ["protestors"]


@pytest.mark.parametrize(
    "source, target, expected",
    [
        ("An army of 3,000 agents in 300 cities.", "Un ejército de 3.000 agentes en 300 ciudades.", []),
        ("An army of 3,000 agents in 300 cities.", "Un ejército de 3.000 agentes en 30 ciudades.", ["300"]),
        ("Meet at 7:30 on February 2, 2026.", "Reunión a las 7:30 el 2 de febrero de 2026.", []),
        ("Meet at 7:30.", "Reunión a las 7:30, sala 12.", ["12"]),
        ("Call 555-010-2030 now.", "Llame ahora.", ["555-010-2030"]),
    ],
)
def test_numbers_compare_by_their_digits(source, target, expected):
    issues = flags_of(source, target)
    assert [i.term for i in issues if i.code == "number_mismatch"] == [e for e in expected if "-" not in e]
    if any("-" in e for e in expected):  # a phone is a contact: missing, it is a lost placeholder
        assert codes(issues, "placeholder_lost") == expected


def test_a_changed_number_points_at_the_new_one():
    target = "Un ejército de 3.000 agentes en 30 ciudades."
    (flag,) = [i for i in flags_of("An army of 3,000 agents in 300 cities.", target) if i.code == "number_mismatch"]
    assert "'300' became '30'" in flag.message and target[flag.span[0] : flag.span[1]] == "30"


def test_a_dropped_half_is_a_length_error():
    source = "We will organize our neighbors. We will stop business as usual until ICE leaves our city for good."
    issues = flags_of(source, "Organizaremos a nuestros vecinos.")
    (flag,) = [i for i in issues if i.code == "length_ratio"]
    assert flag.severity == "error" and "shorter" in flag.message


def test_repeated_words_but_not_french_reflexives():
    issues = flags_of("We meet at the union hall.", "Nos reunimos en el el local del sindicato.")
    (flag,) = [i for i in issues if i.code == "repeated_word"]
    assert flag.severity == "warning" and flag.span == [19, 21]
    assert codes(flags_of("We met yesterday.", "Nous nous sommes réunis hier.", tgt="fr"), "repeated_word") == []


@pytest.mark.parametrize(
    "target, mark",
    [
        ("¡Somos la unión y no nos iremos!", None),
        ("Somos la unión y no nos iremos!", "!"),
        ("¿Vienes el jueves? ¡Sí!!!", None),
        ("Dijo «basta y se fue.", "«"),
        ("Dijo “basta” y se fue (al parque.", "("),
    ],
)
def test_punctuation_balance(target, mark):
    issues = flags_of("They said: we are the union and we are not leaving", target)
    found = [i for i in issues if i.code == "punctuation"]
    assert [i.term for i in found] == ([mark] if mark else [])
    for flag in found:
        assert target[flag.span[0]] == mark and flag.severity == "warning"


def test_an_error_flag_marks_machine_text_for_review():
    doc = make_document([("paragraph", "We skipped work.", "Nosotros skipped el trabajo.")])
    qa.check(doc, ES)
    assert doc.segments[0].status == Status.NEEDS_REVIEW and doc.review_state() == "machine"


def test_reviewed_text_keeps_seen_flags_as_warnings_and_new_ones_as_errors():
    source = "Workers skipped work in 300 cities."
    doc = make_document(
        [("paragraph", source, "Los trabajadores skipped el trabajo en 300 ciudades.")], status=Status.REVIEWED
    )
    seg = doc.segments[0]
    seg.machine = "Los trabajadores skipped obra en 300 ciudades."
    qa.check(doc, ES)
    assert [(i.code, i.severity) for i in seg.issues] == [("untranslated_word", "warning")]
    assert "kept by the reviewer" in seg.issues[0].message
    assert seg.status == Status.REVIEWED and doc.review_state() == "reviewed"

    seg.target = "Los trabajadores faltaron al trabajo en 30 ciudades."  # the edit brings in a wrong number
    qa.check(doc, ES)
    assert [(i.code, i.severity) for i in seg.issues] == [("number_mismatch", "error")]
    assert seg.status == Status.REVIEWED and doc.review_state() == "partly"

    seg.status = Status.APPROVED  # an approver signs it off as it is
    qa.check(doc, ES)
    assert [(i.code, i.severity) for i in seg.issues] == [("number_mismatch", "warning")]
    assert doc.review_state() == "reviewed"


def test_glossary_miss_is_an_error_for_approved_terms_and_names_only():
    from dataclasses import replace

    from handbill.glossary import Glossary, verify

    glossary = Glossary(
        "en", "es", [replace(t, status="approved") if t.source == "National Guard" else t for t in ES.terms]
    )
    doc = make_document(
        [
            (
                "paragraph",
                "Trump sent the National Guard to break the rent strike.",
                "Triunfo envió el guardia para romper la huelga.",
            )
        ]
    )
    qa.check(verify(doc, glossary), glossary)
    misses = {i.term: i.severity for i in doc.segments[0].issues if i.code == "glossary_miss"}
    assert misses == {"National Guard": "error", "rent strike": "warning", "Trump": "error"}
    (trump,) = [i for i in doc.segments[0].issues if i.term == "Trump"]
    assert trump.span == [0, 7]  # the known wrong rendering, Triunfo


def test_french_inclusive_writing_compounds_and_ligatures_are_french():
    source = "Contributors of every socio-economic status do the work."
    target = "Les contributeur·trice·s de tout statut socio-économique font l'oeuvre."
    assert codes(flags_of(source, target, tgt="fr"), "untranslated_word") == []


def test_catalan_l_l_is_one_word_and_checked_whole():
    issues = flags_of(
        "Every request of the collective was ignored, and the tenants skipped the request.",
        "Cada sol·licitud del col·lectiu va ser ignorada, i els inquilins skipped la sol·licitud.",
        tgt="ca",
    )
    assert codes(issues, "untranslated_word") == ["skipped"]


def test_a_word_left_by_a_chain_is_named_as_not_the_target_language():
    # en->es->fr: Apertium's es-fr hop did not know the Spanish "alumnado" and passed it through.
    issues = flags_of(
        "The students walked out.", "Les alumnado sont sortis.", tgt="fr", provenance={"unknown": ["alumnado"]}
    )
    (flag,) = [i for i in issues if i.code == "untranslated_word"]
    assert flag.message == "'alumnado' is not French (the engine did not know it)"


def test_roman_numerals_stand_for_their_number():
    assert (
        codes(flags_of("Article 29 of the Declaration", "Artigo XXIX da Declaração", tgt="pt"), "number_mismatch") == []
    )


def test_without_a_dictionary_engine_marks_still_count_and_the_report_says_so():
    doc = make_document([("paragraph", "Workers skipped work.", "Shaqaalaha skipped shaqada.")], tgt="so")
    doc.segments[0].provenance = {"unknown": ["skipped"]}
    qa.check(doc, load_glossary(None, "en", "so"))
    assert [i.term for i in doc.segments[0].issues if i.code == "untranslated_word"] == ["skipped"]
    assert any("no Somali spelling dictionary" in line and "hunspell-so" in line for line in qa.report(doc)["summary"])


def test_a_paragraph_in_another_language_is_judged_against_that_language():
    # A Spanish paragraph in an English leaflet, translated from Spanish into French: "hasta" is Spanish left in
    # the French, and the message names Spanish, not English.
    doc = make_document([("paragraph", "Luchamos hasta ganar.", "Nous luttons hasta gagner.")], tgt="fr")
    doc.segments[0].lang = "es"
    qa.check(doc, load_glossary(None, "en", "fr"))
    (flag,) = [i for i in doc.segments[0].issues if i.code == "untranslated_word"]
    assert flag.term == "hasta" and flag.message.startswith("'hasta' left in Spanish")
