"""Every module in handbill/languages keeps the contract: its tables are whole, its months are found again
in the way it writes them, its numbers have words in num2words, its voices exist in eSpeak NG (installed by
`make test`), and a language without a module gets generic behaviour."""

from __future__ import annotations

import dataclasses
import re
import sys
import textwrap

import pytest
from num2words import num2words

from handbill import dates, langtags, languages
from handbill.languages import NOTICE_KEYS, SPOKEN_KEYS, Language
from handbill.render.speech import choose_voice, espeak_voices
from handbill.render.spoken import speakable

CODES = languages.codes()
DATED = languages.with_dates()


def test_the_modules_are_found():
    assert {"en", "es", "fr", "pt"} <= set(DATED) <= set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_a_module_defines_its_language(code):
    language = languages.get(code)
    assert isinstance(language, Language) and language.code == code
    assert langtags.normalize(code) == code  # a real primary subtag, as CLDR writes it
    assert language.script and language.typical_length > 0
    assert not language.words or set(language.words) == set(SPOKEN_KEYS)
    assert all(acronym.isupper() and said for acronym, said in language.acronyms.items())
    assert set(language.articles) <= {"f", "m", "fp", "mp"}
    if language.notice:
        assert set(language.notice) == set(NOTICE_KEYS)
        assert "{who}" in language.notice["reviewed_by"]
        assert all("{n}" in language.notice[k] and "{total}" in language.notice[k] for k in ("pending", "flagged"))
    with pytest.raises(dataclasses.FrozenInstanceError):  # one language's knowledge cannot be changed by a stage
        language.code = "xx"  # type: ignore[misc]


@pytest.mark.parametrize("code", [c for c in CODES if languages.get(c).words])
def test_speech_numbers_have_words(code):
    language = languages.get(code)
    assert num2words(2026, lang=language.num2words_lang)
    said = speakable("3,000 people, 50% on 7/11 at 6:30 p.m., $12.50, info@tenants.org & ICE", code)
    assert not re.search(r"\d", said), said
    assert language.words["at"] in said and language.words["percent"] in said


@pytest.mark.parametrize("code", DATED)
def test_months_are_found_as_written(code):
    """Every month, written the language's way (day one, a late day, with and without a year), is found
    again in running text as the same date, and read aloud with no digit left."""
    grammar = languages.get(code).dates
    assert len(grammar.months) == 12 == len(set(grammar.months))
    assert all(m == m.lower() for m in grammar.months) and set(grammar.short_months.values()) <= set(range(12))
    for month in range(12):
        for day, year in ((1, None), (28, "2026"), (9, "1999")):
            written = dates.write(day, month, year, code)
            found = dates.find(f"Text before, {written} and after.", code)
            assert [(f.day, f.month, f.year) for f in found] == [(day, month, year)], written
            if languages.get(code).words:
                assert not re.search(r"\d", speakable(written, code)), written


@pytest.mark.parametrize("src", DATED)
@pytest.mark.parametrize("tgt", DATED)
def test_dates_cross_between_every_pair(src, tgt):
    written = dates.write(14, 2, "2026", src)
    rewrites = dates.rewrites(f"x {written} x", src, tgt)
    if src == tgt:
        assert rewrites == []
    else:
        assert rewrites and rewrites[0][2].endswith(dates.write(14, 2, "2026", tgt))


@pytest.mark.parametrize("code", [c for c in CODES if languages.get(c).voice or languages.get(c).variant_voices])
def test_its_voices_exist_in_espeak_ng(code):
    installed = espeak_voices()
    assert installed, "eSpeak NG is installed by `make test` (scripts/install-system-packages.sh)"
    language = languages.get(code)
    for voice in [language.voice, *language.variant_voices.values()]:
        assert voice in installed, f"{code}: no eSpeak NG voice {voice!r}"
    assert choose_voice(code) == language.voice or not language.voice
    for variant, voice in language.variant_voices.items():
        assert choose_voice(variant) == voice


def test_tags_resolve_to_their_language():
    assert languages.get("es-419") is languages.get("es") is languages.get("ES_mx")
    assert languages.get("pt-BR").code == languages.get("pb").code == "pt"  # Argos's code for pt-BR
    assert languages.get("zt").code == "zh" and not languages.get("zt").spaced
    assert languages.get("ca-valencia").code == "ca"


@pytest.mark.parametrize(
    "code, rtl, spaced",
    [
        ("ar", True, True),
        ("he", True, True),
        ("fa", True, True),
        ("ur", True, True),
        ("yi", True, True),
        ("ps", True, True),
        ("th", False, False),
        ("ja", False, False),
        ("en", False, True),
        ("sw", False, True),
    ],
)
def test_direction_and_spacing_come_from_the_script(code, rtl, spaced):
    assert (languages.get(code).rtl, languages.get(code).spaced) == (rtl, spaced)


def test_a_language_without_a_module_gets_generic_behaviour():
    generic = languages.get("sw")
    assert generic == Language(code="sw") and generic.dates is None and not generic.words
    assert dates.rewrites("Come on March 5", "en", "sw") == []
    assert speakable("Call  555-123-4567 at 7 p.m.", "sw") == "Call 555-123-4567 at 7 p.m."  # eSpeak NG's own
    assert generic.num2words_lang == "sw" and generic.typical_length == 1.0


def test_one_new_module_is_all_a_language_needs(tmp_path, monkeypatch):
    """A module dropped into the package (here a private-use code) gives dates and speech with no other edit."""
    folder = tmp_path / "extra"
    folder.mkdir()
    (folder / "qaa.py").write_text(
        textwrap.dedent("""
        from handbill.languages import Dates, Language

        LANGUAGE = Language(
            code="qaa",
            dates=Dates(months=("una", "dua", "tria", "kvar", "kvin", "ses", "sep", "ok", "naŭ", "dek", "dekunu",
                                "dekdu"),
                        patterns=(r"{day}\\.\\s*{month}(?:\\s+{year})?",), written="{day}. {month}", year=" {year}"),
            words={"at": "ĉe", "dot": "punkto", "slash": "oblikvo", "and": "kaj", "percent": "procentoj",
                   "dollars": "dolaroj", "dollar": "dolaro", "cents": "cendoj", "point": "komo", "pm": "ptm",
                   "am": "atm", "oclock": "horo"},
            num2words="eo", voice="eo",
        )
    """),
        encoding="utf-8",
    )
    monkeypatch.setattr(languages, "__path__", [*languages.__path__, str(folder)])
    languages._load.cache_clear()
    monkeypatch.delitem(sys.modules, "handbill.languages.qaa", raising=False)
    try:
        assert "qaa" in languages.codes()
        assert [r[2] for r in dates.rewrites("Come on March 5, 2026!", "en", "qaa")] == ["5. tria 2026"]
        assert speakable("5. tria, 3 & 4", "qaa") == "kvin. tria, tri kaj kvar"
        assert choose_voice("qaa") == "eo"
    finally:
        languages._load.cache_clear()
