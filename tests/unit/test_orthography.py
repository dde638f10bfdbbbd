"""Target orthography on engine output: sentence-case headlines, Spanish ¡ ¿."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handbill.orthography import fix, is_title_case, names, sentence_case, spanish_marks

BODY = [
    "Last Friday, thousands gathered in Minneapolis.",
    "Mayor Jacob Frey said nothing. General strikes work.",
    "Vinieron de Nueva York y de Chicago.",
]  # the engine's own body output counts too


def test_names_are_capitals_where_no_sentence_starts():
    assert names(BODY) == {"Friday", "Minneapolis", "Jacob", "Frey", "Nueva", "York", "Chicago"}
    assert names(['He said: "We stay." ¡Vamos! (Now)']) == set()


@pytest.mark.parametrize(
    "translated, source, tgt, expected",
    [
        (
            "Huelga de alquiler que Cumple Este jueves",
            "Rent Strike Meeting This Thursday",
            "es",
            "Huelga de alquiler que cumple este jueves",
        ),
        (
            "Minneapolis Asoma el Poder Nosotros Todos Tienen!",
            "Minneapolis Shows the Power We All Have!",
            "es",
            "Minneapolis asoma el poder nosotros todos tienen!",
        ),  # a name in the body keeps its capital
        (
            "Pedir una huelga General Y un boicot ahora",
            "Call For A General Strike And A Boycott Now",
            "es",
            "Pedir una huelga general y un boicot ahora",
        ),  # "General" starts a sentence in the body: no name
        ("Frey Tiene Que Escuchar a ICE", "Frey Has To Listen To ICE", "es", "Frey tiene que escuchar a ICE"),
        ("⟦1⟧ Protège Nos Voisins", "ICE Watch Protects Our Neighbours", "fr", "⟦1⟧ protège nos voisins"),
        ("Saber Vuestros Derechos", "KNOW YOUR RIGHTS", "es", "Saber Vuestros Derechos"),  # capitals: a style
        ("Kenne Deine Rechte", "Know Your Rights Today", "de", "Kenne Deine Rechte"),  # German nouns stay
        (
            "Nuestro casero Subió el alquiler",
            "Our landlord raised the rent again this winter",
            "es",
            "Nuestro casero Subió el alquiler",
        ),  # not a Title Case source: left alone
        (
            "247 Principal Ave W Caídas de Gemelo",
            "247 Main Ave W Twin Falls",
            "es",
            "247 Principal Ave W Caídas de Gemelo",
        ),  # an address, not a headline
        (
            "Dónde: Cárcel del Condado de Jerome",
            "Where: Jerome County Jail",
            "es",
            "Dónde: Cárcel del Condado de Jerome",
        ),  # a label
        (
            "Nueva York Se Levanta Contra ICE",
            "New York Rises Up Against ICE",
            "es",
            "Nueva York se levanta contra ICE",
        ),  # the engine wrote "Nueva York" mid-sentence in the body
    ],
)
def test_sentence_case_headlines(translated, source, tgt, expected):
    assert sentence_case(translated, source, tgt, names(BODY)) == expected


def test_title_case_needs_most_long_words_capitalised():
    assert is_title_case("Rent Strike Meeting This Thursday")
    assert not is_title_case("Rent strike meeting this Thursday")
    assert not is_title_case("ICE Out")  # too short to tell


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Nos unimos! Quién somos?  Somos la unión !", "¡Nos unimos! ¿Quién somos?  ¡Somos la unión!"),
        ('Dijo: "Vamos!" Y fuimos.', 'Dijo: "¡Vamos!" Y fuimos.'),
        ("Dijo: vamos a la huelga!", "Dijo: ¡vamos a la huelga!"),
        ("Gritamos «Fuera ICE!» juntos.", "Gritamos «¡Fuera ICE!» juntos."),
        ("¿Ya? ¡Sí!", "¿Ya? ¡Sí!"),
        ("A las 7:00 p.m. vienes?", "¿A las 7:00 p.m. vienes?"),
        ("Ven a ⟦1⟧! Ahora.", "¡Ven a ⟦1⟧! Ahora."),
    ],
)
def test_spanish_opening_marks(text, expected):
    assert spanish_marks(text) == expected


@given(st.text(alphabet=st.sampled_from(list("ab .!?…:\"«»“”()'\n⟦1⟧")), max_size=60))
@settings(max_examples=400, deadline=None)
def test_spanish_marks_only_add_openers(text):
    assert spanish_marks(text).replace("¡", "").replace("¿", "") == re.sub(r"\s+([!?])", r"\1", text)


def test_fix_applies_per_language():
    assert fix("Ven Ya!", "Come Right Now!", "es", headline=True) == "¡Ven ya!"
    assert fix("Viens Maintenant !", "Come Right Now!", "fr", headline=False) == "Viens Maintenant !"
