"""Language tags, Apertium variants and routes (pivot chains) on the REAL apertium binary and its pairs."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from handbill import langtags
from handbill.cli import main
from handbill.engines import choose_engine
from handbill.engines.apertium import ApertiumEngine, mode_tags
from handbill.glossary import load_glossary, protect, restore

from ..conftest import REPO


@pytest.mark.parametrize(
    "typed, tag",
    [
        ("es", "es"),
        ("PT_br", "pt-BR"),
        ("spa", "es"),
        ("es-419", "es-419"),
        ("fr-ca", "fr-CA"),
        ("ca-valencia", "ca-valencia"),
        ("pb", "pt-BR"),
    ],
)
def test_tags_are_normalised(typed, tag):
    assert langtags.normalize(typed) == tag


@pytest.mark.parametrize(
    "typed, expected",
    [("spanish", "es"), ("Español", "es"), ("es-XX", "es-419"), ("portuguese", "pt-BR"), ("xx", None)],
)
def test_unknown_tags_are_usage_errors_with_the_closest_tags(typed, expected):
    with pytest.raises(langtags.TagError) as info:
        langtags.normalize(typed)
    assert info.value.exit_code == 2
    if expected:
        assert any(s.startswith(expected + " ") for s in info.value.suggestions), info.value.suggestions
    else:
        assert "es-419" in info.value.hint  # the examples of valid tags


def test_variants_match_by_cldr_distance():
    assert langtags.best_match("pt", ["pt-PT", "pt-BR"]) == "pt-BR"  # the default Portuguese is Brazilian
    assert langtags.best_match("pt-PT", ["pt-PT", "pt-BR"]) == "pt-PT"
    assert langtags.best_match("es-MX", ["es"]) == "es"
    assert langtags.best_match("ca", ["ca-valencia", "ca"]) == "ca"
    assert langtags.best_match("fr", ["es", "pt-BR"]) is None


def test_apertium_modes_map_to_tags_with_variants():
    assert mode_tags("es-pt_BR") == ("es", "pt-BR")
    assert mode_tags("es-pt") == ("es", "pt-PT")  # Apertium's plain Portuguese is European
    assert mode_tags("eng-cat_valencia") == ("en", "ca-valencia")
    assert mode_tags("cat-eng_US") == ("ca", "en-US")
    assert mode_tags("spa-cat_valencia_uni") is None and mode_tags("eco-es-fr") is None  # no BCP 47 subtag
    engine = ApertiumEngine()
    assert engine.mode("en", "ca-valencia") == "eng-cat_valencia"
    assert engine.mode("en", "es-MX") == "eng-spa"
    (valencian,) = engine.translate(["The children come home."], "en", "ca-valencia")
    (central,) = engine.translate(["The children come home."], "en", "ca")
    assert "xiquets" in valencian.text and "nens" in central.text


@pytest.mark.parametrize(
    "target, languages, modes",
    [
        ("es", ["en", "es"], "eng-spa"),
        ("fr", ["en", "es", "fr"], "eng-spa -> es-fr"),
        ("pt", ["en", "es", "pt-BR"], "eng-spa -> es-pt_BR"),
        ("pt-PT", ["en", "es", "pt-PT"], "eng-spa -> es-pt"),
        ("gl", ["en", "es", "gl"], "eng-spa -> es-gl"),
        ("it", ["en", "es", "it"], "eng-spa -> spa-ita"),
        ("ca", ["en", "ca"], "eng-cat"),
    ],
)
def test_shortest_apertium_route(target, languages, modes):
    route = choose_engine(["apertium"], "en", target)
    assert route.languages == languages
    (result,) = route.translate(["The tenants meet on Thursday."], "en", target)
    assert result.model == modes and result.text


def test_placeholders_survive_both_hops_and_a_word_moved_inside_is_put_back():
    glossary = load_glossary(REPO / "glossaries", "en", "fr")
    text = "We will not accept ICE terror; Speak Out Now calls on Trump to leave."
    protected = protect(text, glossary)
    assert protected.masked.count("⟦") == 3
    route = choose_engine(["apertium"], "en", "fr")
    (result,) = route.translate([protected.masked], "en", "fr")
    restored, issues = restore(result.text, protected)
    assert issues == [], (result.text, issues)
    assert all(term in restored for term in ("ICE", "Speak Out Now", "Trump")), restored
    assert not re.search(r"[⟦⟧]", restored)
    # Apertium es->fr puts the negation inside the brackets: "n'accepterons ⟦pas 1⟧ terreur".
    fixed, issues = restore("nous n'accepterons ⟦pas 1⟧ terreur", protect("ICE", glossary))
    assert fixed == "nous n'accepterons pas ICE terreur" and issues == []


def test_unreachable_target_names_only_real_packages():
    with pytest.raises(Exception) as info:
        choose_engine(["apertium"], "en", "ro")
    assert info.value.exit_code == 5
    assert "apertium-en-ro" not in info.value.hint and "translate-en_ro" in info.value.hint


def test_cli_rejects_language_names_with_exit_2(tmp_path):
    leaflet = tmp_path / "x.txt"
    leaflet.write_text("The tenants meet on Thursday.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(leaflet), "--to", "spanish", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "'spanish'" in result.output and "es (Spanish)" in result.output
    assert "Traceback" not in result.output and not list(tmp_path.rglob("document.json"))


@pytest.mark.parametrize(
    "tag, voice",
    [
        ("es", "es-419"),
        ("es-MX", "es-419"),
        ("es-ES", "es"),
        ("pt", "pt-br"),
        ("pt-BR", "pt-br"),
        ("pt-PT", "pt"),
        ("en-GB", "en-gb"),
        ("fr-CA", "fr-fr"),
        ("ca-valencia", "ca"),
    ],
)
def test_each_variant_reads_with_its_own_voice(tag, voice):
    from handbill.render.speech import choose_voice

    assert choose_voice(tag) == voice
    assert choose_voice(tag, {langtags.primary(tag): "en-us"}) == "en-us"  # --voice pt=… covers pt-BR too


def test_from_takes_tags_too(tmp_path, monkeypatch):
    leaflet = tmp_path / "x.txt"
    leaflet.write_text("The tenants meet on Thursday.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(leaflet), "--from", "english", "--to", "es", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "en (English)" in result.output
    monkeypatch.setenv("HANDBILL_FROM", "english")  # from the configuration: exit 4, like any bad setting
    result = CliRunner().invoke(main, ["run", str(leaflet), "--to", "es", "--out", str(tmp_path)])
    assert result.exit_code == 4 and "from = 'english'" in result.stderr
