"""Engine contract on the real engines: Apertium (Debian packages) and Argos (a tiny model built here)."""

from __future__ import annotations

import socket
import stat
import zipfile

import pytest
from click.testing import CliRunner

from handbill.cli import main
from handbill.engines import choose_engine
from handbill.engines.apertium import ApertiumEngine
from handbill.engines.argos import ArgosEngine, split_sentences
from handbill.errors import EngineFailure, MissingDependency, UnsupportedPair

PARAGRAPHS = [f"Paragraph {n}: the tenants meet on Thursday. Bring your neighbors." for n in range(40)]


# --- Apertium -------------------------------------------------------------------------------------

def test_apertium_maps_iso_codes_to_modes():
    engine = ApertiumEngine()
    assert engine.available()
    assert engine.mode("en", "es") == "eng-spa"
    assert engine.mode("fr", "es") == "fr-es"
    assert {("en", "es"), ("es", "en"), ("en", "ca"), ("es", "pt")} <= engine.pairs()


def test_apertium_keeps_every_boundary_in_one_call():
    out = ApertiumEngine().translate(PARAGRAPHS + ["", "The union wins."], "en", "es")
    assert len(out) == len(PARAGRAPHS) + 2
    assert out[-2].text == ""
    assert out[-1].text.startswith("El sindicato") or "gana" in out[-1].text
    for n, result in enumerate(out[:-2]):
        assert result.text.startswith(f"Párrafo {n}") or f"{n}" in result.text.split(":")[0]


def test_apertium_records_unknown_words_and_strips_marks():
    (result,) = ApertiumEngine().translate(["The blorptastic landlord is here."], "en", "es")
    assert "blorptastic" in result.unknown
    assert "*" not in result.text and "blorptastic" in result.text


def test_apertium_keeps_a_literal_asterisk_and_placeholders():
    (result,) = ApertiumEngine().translate(["He said *sic* to ⟦1⟧ and @@2@@."], "en", "es")
    assert "*sic*" in result.text and "⟦1⟧" in result.text and "@@2@@" in result.text


def test_apertium_failure_is_engine_failure(tmp_path, monkeypatch):
    fake = tmp_path / "apertium"
    fake.write_text("#!/bin/sh\nif [ \"$1\" = \"-l\" ]; then echo eng-spa; exit 0; fi\necho 'mode broken' >&2\nexit 3\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    from handbill.engines import apertium

    apertium.installed_modes.cache_clear()
    try:
        with pytest.raises(EngineFailure) as info:
            ApertiumEngine(binary=str(fake)).translate(["hello"], "en", "es")
        assert info.value.exit_code == 6 and "mode broken" in info.value.message
    finally:
        apertium.installed_modes.cache_clear()


def test_apertium_missing_pair_names_the_package():
    with pytest.raises(UnsupportedPair) as info:
        ApertiumEngine().check("en", "ja")
    assert info.value.exit_code == 5 and "apt-get install" in info.value.hint


# --- Argos ----------------------------------------------------------------------------------------

def install(models, *pairs):
    import argostranslate.package

    for pair in pairs:
        argostranslate.package.install_from_path(models[pair])


def test_argos_installs_from_file_and_lists_pairs(argos_home, argos_models):
    result = CliRunner().invoke(main, ["models", "install", str(argos_models[("en", "es")])])
    assert result.exit_code == 0, result.output
    assert ArgosEngine().pairs() == {("en", "es")}
    listing = CliRunner().invoke(main, ["models", "list"]).output
    assert "argos" in listing and "en-es" in listing and "apertium" in listing


def test_argos_batches_every_sentence_in_one_call_and_keeps_order(argos_home, argos_models, monkeypatch):
    install(argos_models, ("en", "es"))
    import ctranslate2

    calls = []
    original = ctranslate2.Translator.translate_batch

    engine = ArgosEngine()
    texts = PARAGRAPHS[:30] + ["", "Solo ⟦1⟧ aquí. ¿Y @@2@@? Sí!"]
    from handbill.engines import argos

    translator = argos._translator(str(engine.route("en", "es")[0].package_path / "model"), "cpu")

    class Spy:
        def __getattr__(self, name):
            return getattr(translator, name)

        def translate_batch(self, batch, **kw):
            calls.append(len(batch))
            return original(translator, batch, **kw)

    monkeypatch.setattr(argos, "_translator", lambda *a: Spy())
    out = engine.translate(texts, "en", "es")
    assert len(calls) == 1 and calls[0] == sum(len(split_sentences(t)) for t in texts)
    assert [o.text for o in out] == texts  # the tiny model copies: order and count are exact
    assert out[0].model.startswith("translate-en_es-tiny")


def test_argos_pivots_through_english(argos_home, argos_models):
    install(argos_models, ("es", "en"), ("en", "fr"))
    engine = ArgosEngine()
    assert ("es", "fr") in engine.pairs()
    (result,) = engine.translate(["Hola, vecinos. ⟦1⟧ mañana."], "es", "fr")
    assert result.text == "Hola, vecinos. ⟦1⟧ mañana."
    assert "pivot en" in result.model and "translate-es_en" in result.model and "translate-en_fr" in result.model


def test_argos_missing_pair_says_what_to_install(argos_home):
    with pytest.raises(UnsupportedPair) as info:
        ArgosEngine().check("en", "so")
    assert "handbill models install" in info.value.hint


def test_auto_prefers_argos_then_apertium(argos_home, argos_models):
    assert choose_engine(["argos", "apertium"], "en", "es").name == "apertium"
    install(argos_models, ("en", "es"))
    assert choose_engine(["argos", "apertium"], "en", "es").name == "argos"
    with pytest.raises(MissingDependency) as info:
        choose_engine(["argos", "apertium"], "en", "so")
    assert info.value.exit_code == 5


@pytest.mark.parametrize("damage", ["not-zip", "no-metadata", "two-tops", "wrong-type", "truncated"])
def test_corrupt_packages_are_rejected_with_exit_3(argos_home, argos_models, tmp_path, damage):
    good = argos_models[("en", "es")]
    bad = tmp_path / "bad.argosmodel"
    with zipfile.ZipFile(good) as src:
        members = {n: src.read(n) for n in src.namelist()}
    if damage == "not-zip":
        bad.write_bytes(b"this is not a model")
    elif damage == "truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    else:
        if damage == "no-metadata":
            members = {n: d for n, d in members.items() if not n.endswith("metadata.json")}
        elif damage == "two-tops":
            members["other/file.txt"] = b"x"
        elif damage == "wrong-type":
            top = next(iter(members)).split("/")[0]
            members[f"{top}/metadata.json"] = b'{"from_code": "en", "to_code": "es", "type": "sbd"}'
        with zipfile.ZipFile(bad, "w") as out:
            for name, data in members.items():
                out.writestr(name, data)
    result = CliRunner().invoke(main, ["models", "install", str(bad)])
    assert result.exit_code == 3, result.output
    assert result.output.count("error:") == 1
    assert not list(argos_home.iterdir())


def test_no_network_is_touched(argos_home, argos_models, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("handbill tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    result = CliRunner().invoke(main, ["models", "install", str(argos_models[("en", "es")])])
    assert result.exit_code == 0
    out = ArgosEngine().translate(["One sentence. Another one!"], "en", "es")
    assert out[0].text == "One sentence. Another one!"


def test_online_install_fails_fast_and_clearly_offline(argos_home, monkeypatch):
    def no_route(*args, **kwargs):
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_route)  # offline, even on a machine with a network
    result = CliRunner().invoke(main, ["models", "install", "--from", "en", "--to", "fr"])
    assert result.exit_code == 5
    assert result.output.count("error:") == 1 and "Traceback" not in result.output
