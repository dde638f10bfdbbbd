"""Apertium's unknown-word marks are recorded, then stripped, on real Apertium."""

from __future__ import annotations

import pytest

from handbill.engines.apertium import ApertiumEngine


@pytest.fixture(scope="module")
def engine():
    return ApertiumEngine()


@pytest.mark.parametrize("tgt", ["es", "ca"])
def test_a_code_with_digits_comes_out_as_written(engine, tgt):
    # eng-cat printed "501*c3" (a mark after a digit); eng-spa split it into "501 c3".
    (result,) = engine.translate(["We are a 501c3 nonprofit."], "en", tgt)
    assert "501c3" in result.text and "*" not in result.text, result.text
    assert "nonprofit" in result.unknown and not any(ch.isdigit() for word in result.unknown for ch in word)


def test_only_words_from_the_source_are_recorded_unknown(engine):
    # Apertium passes an unknown word through as written: a star before a word the source does not have
    # is the leaflet's own asterisk, kept, and that word is not "unknown".
    (result,) = engine.translate(["a*b, the *starred* word, we skipped work"], "en", "es")
    assert result.unknown == ("skipped",), result
    assert "*" in result.text
