"""Splitter, verbatim spans and language detection."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handbill.errors import BadInput
from handbill.model import Document, Kind, Segment
from handbill.readers import read
from handbill.readers.txt import blocks_from_text
from handbill.segment import detect, split, verbatim_spans

from ..conftest import SAMPLE_LEAFLET, UDHR


def sample():
    return split(read(SAMPLE_LEAFLET))


def test_sample_gives_masthead_contact_headline_and_seven_paragraphs():
    doc = sample()
    kinds = [s.kind for s in doc.segments]
    assert kinds == [Kind.MASTHEAD, Kind.CONTACT, Kind.HEADING] + [Kind.PARAGRAPH] * 7
    assert doc.segments[0].source == "Speak Out Now"
    assert doc.segments[2].source == "Minneapolis Shows the Power We All Have!"
    assert doc.title == "Minneapolis Shows the Power We All Have!"


def test_ids_are_stable_and_unique():
    first, second = sample(), sample()
    assert [s.id for s in first.segments] == [s.id for s in second.segments]
    assert len({s.id for s in first.segments}) == len(first.segments)


def test_repeated_text_gets_distinct_ids():
    doc = split(Document("x", segments=[Segment("", Kind.PARAGRAPH, "Same words here.")] * 1
                         + [Segment("", Kind.PARAGRAPH, "Same words here.")]))
    assert doc.segments[0].id != doc.segments[1].id and doc.segments[1].id.endswith("-2")


def test_contact_only_line_is_not_translated():
    doc = split(Document("x", segments=[Segment("", Kind.PARAGRAPH, "Union Hall"),
                                        Segment("", Kind.PARAGRAPH, "info@union.example · (555) 010-2030"),
                                        Segment("", Kind.PARAGRAPH, "A long paragraph about the meeting and why it matters.")]))
    assert doc.segments[1].kind == Kind.CONTACT and doc.segments[1].translate is False
    assert doc.segments[0].kind == Kind.MASTHEAD and doc.segments[2].translate


@pytest.mark.parametrize("text, spans", [
    ("February 2, 2026 mail@speakoutsocialists.org speakoutsocialists.org IG:@sonsocialists",
     ["mail@speakoutsocialists.org", "speakoutsocialists.org", "IG:@sonsocialists"]),
    ("Call (555) 010-2030 or see https://example.org/join?x=1.", ["(555) 010-2030", "https://example.org/join?x=1"]),
    ("Write to chowell@jerome.id.us. Thanks, @organizer!", ["chowell@jerome.id.us", "@organizer"]),
    ("An army of 3,000 agents at 9:00 a.m. on July 3.", []),
])
def test_verbatim_spans(text, spans):
    assert [text[a:b] for a, b in verbatim_spans(text)] == spans


@given(st.lists(st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), min_size=1, max_size=60),
                min_size=1, max_size=12))
@settings(max_examples=150, deadline=None)
def test_no_text_is_lost(paragraphs):
    """Joining the segments gives back the input's words, in order."""
    text = "\n\n".join(paragraphs)
    doc = split(Document("x", segments=blocks_from_text(text)))
    words_in = re.findall(r"\S+", text)
    words_out = re.findall(r"\S+", " ".join((s.marker + " " if s.marker else "") + s.source for s in doc.segments))
    assert words_out == words_in


@pytest.mark.parametrize("lang", ["en", "es", "fr", "pt", "ru", "vi", "zh", "so"])
def test_detects_udhr_preambles(lang):
    text = (UDHR / "preamble" / f"{lang}.txt").read_text(encoding="utf-8")
    doc = detect(split(Document("x", segments=blocks_from_text(text))), None)
    assert doc.source_lang == lang
    assert doc.source_lang_confidence > 0.8


def test_detection_is_seeded_and_short_lines_inherit():
    doc = detect(sample(), None)
    again = detect(sample(), None)
    assert [(s.lang, s.lang_confidence) for s in doc.segments] == [(s.lang, s.lang_confidence) for s in again.segments]
    assert doc.source_lang == "en"
    assert doc.segments[0].lang == "en"  # "Speak Out Now" is too short to judge alone


def test_declared_language_wins():
    assert detect(sample(), "es").source_lang == "es"


def test_no_letters_is_bad_input():
    with pytest.raises(BadInput) as info:
        detect(Document("x", segments=[Segment("a", Kind.PARAGRAPH, "12 34 -- 56")]), None)
    assert "--from" in info.value.hint
