"""Argos engine on tiny REAL models (CTranslate2 + SentencePiece, built at test time, copying their input):
loading, one batched call per document, order, placeholders, long sentences, pivot, errors."""

from __future__ import annotations

import pytest

from handbill.engines import argos, choose_engine
from handbill.engines.argos import MAX_TOKENS, ArgosEngine, chunk_tokens, split_sentences
from handbill.errors import BadConfig, MissingDependency, UnsupportedPair

# Many texts, several sentences each, every one different, with placeholders and unseen Unicode.
TEXTS = [
    f"Meeting {n} starts at {n % 12 + 1} pm. Bring ⟦{n}⟧ and a friend! Is floor {n} ready? Ñandú — ünïcödé {n}."
    for n in range(45)
] + ["", "One sentence only", "Last one. ⟦1⟧ stays. @@2@@ too. %%3%% also."]


class Spy:
    """Wraps a real ctranslate2.Translator and records every translate_batch call (the model still runs)."""

    def __init__(self, translator):
        self.translator = translator
        self.calls: list[list[list[str]]] = []

    def __getattr__(self, name):
        return getattr(self.translator, name)

    def translate_batch(self, batch, **options):
        self.calls.append(batch)
        return self.translator.translate_batch(batch, **options)


@pytest.fixture
def spy(monkeypatch):
    """Every translator handbill loads is the real one, wrapped in a Spy; yields the list of spies."""
    spies: list[Spy] = []
    real = argos._translator

    def wrapped(*args):
        spies.append(Spy(real(*args)))
        return spies[-1]

    monkeypatch.setattr(argos, "_translator", wrapped)
    return spies


def test_splitter_keeps_every_character():
    text = 'He said "Go now." Then left! Was it 5 p.m.? Mr. Smith agreed. ⟦1⟧ follows. 你好。再见！'
    pieces = split_sentences(text)
    assert pieces == [
        'He said "Go now."',
        "Then left!",
        "Was it 5 p.m.?",
        "Mr. Smith agreed.",
        "⟦1⟧ follows.",
        "你好。",
        "再见！",
    ]
    assert " ".join(pieces).replace("。 ", "。") == text
    assert split_sentences("   ") == [] and split_sentences("no full stop") == ["no full stop"]


def test_chunks_never_exceed_the_limit_and_cut_at_word_starts():
    pieces = [("▁" if i % 3 == 0 else "") + f"p{i}" for i in range(1000)]
    chunks = chunk_tokens(pieces, 200)
    assert [p for c in chunks for p in c] == pieces
    assert all(len(c) <= 200 for c in chunks) and all(c[0].startswith("▁") for c in chunks)


def test_installed_model_is_listed_with_version(install):
    install(("en", "es"))
    engine = ArgosEngine()
    assert engine.available() and engine.pairs() == {("en", "es")}
    assert "ctranslate2" in engine.version()
    engine.check("en", "es")


def test_many_texts_one_batched_call_order_and_count_kept(install, spy):
    install(("en", "es"))
    out = ArgosEngine().translate(TEXTS, "en", "es")
    assert len(spy) == 1 and len(spy[0].calls) == 1  # ONE translate_batch for the whole document
    (batch,) = spy[0].calls
    assert len(batch) == sum(len(split_sentences(t)) for t in TEXTS) > len(TEXTS) * 3
    assert [o.text for o in out] == TEXTS  # the tiny model copies: any misplaced sentence shows here
    assert {o.model for o in out} == {"translate-en_es-0.0.1"} and all(o.unknown == () for o in out)


def test_translators_are_cached_per_package(install, spy):
    install(("en", "es"))
    engine = ArgosEngine()
    engine.translate(["One. Two."], "en", "es")
    engine.translate(["Three."], "en", "es")
    assert len({id(s.translator) for s in spy}) == 1


def test_placeholders_and_unseen_unicode_survive(install):
    install(("en", "es"))
    text = "Call ⟦1⟧ at ⟦12⟧ — or @@3@@ / %%4%%. «Ça va?» 🙂 Ελλάδα."
    (result,) = ArgosEngine().translate([text], "en", "es")
    assert result.text == text


def test_long_sentence_goes_in_pieces_and_comes_back_whole(install, spy):
    install(("en", "es"))
    words = " ".join(f"word{n}" for n in range(400)) + ", and the end."
    (result,) = ArgosEngine().translate([words], "en", "es")
    (batch,) = spy[0].calls
    assert len(batch) > 1 and max(len(chunk) for chunk in batch) <= MAX_TOKENS
    assert result.text == words


def test_pivot_through_english(install, spy):
    install(("es", "en"), ("en", "fr"))
    engine = ArgosEngine()
    assert engine.pairs() == {("es", "en"), ("en", "fr"), ("es", "fr")}
    texts = ["Hola, vecinos. ⟦1⟧ mañana.", "", "¿Dónde? Aquí."]
    out = engine.translate(texts, "es", "fr")
    assert [o.text for o in out] == texts
    assert out[0].model == "translate-es_en-0.0.1 -> translate-en_fr-0.0.1 (pivot en)"
    assert [len(s.calls) for s in spy] == [1, 1]  # one batch per leg


def test_missing_pair_names_what_to_install(install):
    install(("en", "es"))
    with pytest.raises(UnsupportedPair) as info:
        ArgosEngine().translate(["hello"], "en", "so")
    assert info.value.exit_code == 5
    assert "handbill models install translate-en_so.argosmodel" in info.value.hint
    assert "handbill models install --from en --to so" in info.value.hint


def test_preference_falls_from_argos_to_apertium(install):
    assert choose_engine(["argos", "apertium"], "en", "es").name == "apertium"
    install(("en", "es"))
    assert choose_engine(["argos", "apertium"], "en", "es").name == "argos"
    with pytest.raises(MissingDependency) as info:
        choose_engine(["argos", "apertium"], "en", "so")
    assert info.value.exit_code == 5 and "handbill models install" in info.value.hint


def test_device_from_the_environment(install, monkeypatch):
    install(("en", "es"))
    monkeypatch.setenv("HANDBILL_DEVICE", "tpu")
    with pytest.raises(BadConfig) as info:
        ArgosEngine().translate(["hello"], "en", "es")
    assert info.value.exit_code == 4
    import ctranslate2

    monkeypatch.setenv("HANDBILL_DEVICE", "cuda")
    if ctranslate2.get_cuda_device_count() == 0:
        with pytest.raises(MissingDependency) as info:
            ArgosEngine().translate(["hello"], "en", "es")
        assert "CUDA" in info.value.message
    else:
        assert ArgosEngine().translate(["Hello."], "en", "es")[0].text == "Hello."
    monkeypatch.setenv("HANDBILL_DEVICE", "CPU")
    assert ArgosEngine().translate(["Hello."], "en", "es")[0].text == "Hello."


def test_a_broken_folder_among_packages_is_skipped(install):
    home = install(("en", "es"))
    (home / "half-copied-package").mkdir()  # argostranslate alone would crash on this
    assert ArgosEngine().pairs() == {("en", "es")}
