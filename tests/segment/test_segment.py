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
    doc = split(
        Document(
            "x",
            segments=[Segment("", Kind.PARAGRAPH, "Same words here.")] * 1
            + [Segment("", Kind.PARAGRAPH, "Same words here.")],
        )
    )
    assert doc.segments[0].id != doc.segments[1].id and doc.segments[1].id.endswith("-2")


def test_contact_only_line_is_not_translated():
    doc = split(
        Document(
            "x",
            segments=[
                Segment("", Kind.PARAGRAPH, "Union Hall"),
                Segment("", Kind.PARAGRAPH, "info@union.example · (555) 010-2030"),
                Segment("", Kind.PARAGRAPH, "A long paragraph about the meeting and why it matters."),
            ],
        )
    )
    assert doc.segments[1].kind == Kind.CONTACT and doc.segments[1].translate is False
    assert doc.segments[0].kind == Kind.MASTHEAD and doc.segments[2].translate
    assert doc.segments[0].translate is False  # the masthead is the group's name: kept as written


@pytest.mark.parametrize(
    "text, spans",
    [
        (
            "February 2, 2026 mail@speakoutsocialists.org speakoutsocialists.org IG:@sonsocialists",
            ["mail@speakoutsocialists.org", "speakoutsocialists.org", "IG:@sonsocialists"],
        ),
        (
            "Call (555) 010-2030 or see https://example.org/join?x=1.",
            ["(555) 010-2030", "https://example.org/join?x=1"],
        ),
        ("Write to chowell@jerome.id.us. Thanks, @organizer!", ["chowell@jerome.id.us", "@organizer"]),
        ("An army of 3,000 agents at 9:00 a.m. on July 3.", []),
    ],
)
def test_verbatim_spans(text, spans):
    assert [text[a:b] for a, b in verbatim_spans(text)] == spans


@given(
    st.lists(
        st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), min_size=1, max_size=60),
        min_size=1,
        max_size=12,
    )
)
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


@pytest.mark.parametrize(
    "text, spans",
    [
        ("Environ 30 000 000 personnes et 1.000.000 de votes.", []),
        ("Llama al +34 912 345 678 o al +52 55 1234 5678.", ["+34 912 345 678", "+52 55 1234 5678"]),
        ("Phone 208.644.2701, fax +1 (208) 644-2701.", ["208.644.2701", "+1 (208) 644-2701"]),
        ("See https://en.example.org/wiki/Union_(labor) now.", ["https://en.example.org/wiki/Union_(labor)"]),
        ("Read the demands (https://example.org/d).", ["https://example.org/d"]),
        (
            "Follow IG:@tenants_east and email organize@tenants.example.",
            ["IG:@tenants_east", "organize@tenants.example"],
        ),
    ],
)
def test_verbatim_spans_numbers_phones_and_parentheses(text, spans):
    assert [text[a:b] for a, b in verbatim_spans(text)] == spans


@given(
    st.lists(st.sampled_from(list("ab1 .@:/()-+_wg") + ["www.", "http://", ".org", "@x.org", "555"]), max_size=40).map(
        "".join
    )
)
@settings(max_examples=200, deadline=None)
def test_verbatim_spans_are_sorted_and_disjoint(text):
    spans = verbatim_spans(text)
    assert all(0 <= a < b <= len(text) for a, b in spans)
    assert all(prev[1] <= nxt[0] for prev, nxt in zip(spans, spans[1:]))


def paragraphs(*texts: str, kind: Kind = Kind.PARAGRAPH) -> list[Segment]:
    return [Segment("", kind, t) for t in texts]


def test_whitespace_invisible_characters_and_ligatures_are_normalised():
    texts = ("  Tenants\u00a0 organize\u00ad d\u200bwell \ufb01rst\n\ttogether.  ", "Cafe\u0301 meeting \uf9da.")
    doc = split(Document("x", source_format="pdf", segments=paragraphs(*texts)))
    assert [s.source for s in doc.segments] == ["Tenants organize dwell first together.", "Caf\u00e9 meeting \uf9da."]
    typed = split(Document("x", source_format="txt", segments=paragraphs(*texts)))
    assert typed.segments[0].source == "Tenants organize dwell \ufb01rst together."  # only PDFs hold ligatures


def test_list_item_and_quote_cut_by_a_page_break_are_rejoined():
    segments = [
        Segment("", Kind.LIST_ITEM, "Bring your lease and every letter the", marker="-", page=1),
        Segment("", Kind.PARAGRAPH, "landlord has sent since January.", page=2),
        Segment("", Kind.QUOTE, "We will not be moved from the homes we", page=2),
        Segment("", Kind.QUOTE, "have lived in for twenty years.", page=3),
        Segment("", Kind.LIST_ITEM, "Childcare provided", marker="-", page=3),
        Segment("", Kind.LIST_ITEM, "food too", marker="-", page=4),
    ]
    doc = split(Document("x", segments=segments))
    assert [(s.kind, s.source) for s in doc.segments] == [
        (Kind.LIST_ITEM, "Bring your lease and every letter the landlord has sent since January."),
        (Kind.QUOTE, "We will not be moved from the homes we have lived in for twenty years."),
        (Kind.LIST_ITEM, "Childcare provided"),
        (Kind.LIST_ITEM, "food too"),
    ]
    assert all("joined across a page break" in s.repairs[0] for s in doc.segments[:2])


def test_headings_and_finished_sentences_are_never_joined():
    segments = [
        Segment("", Kind.HEADING, "Why we strike", level=1, page=1),
        Segment("", Kind.PARAGRAPH, "because the rent went up again and nobody fixed the heating in winter", page=1),
        Segment("", Kind.PARAGRAPH, "then we met in the hall and voted for a strike by a wide margin.", page=2),
        Segment("", Kind.PARAGRAPH, "jobs and homes are both at stake for every family in the building.", page=3),
    ]
    doc = split(Document("x", segments=segments))
    assert [s.kind for s in doc.segments] == [Kind.HEADING, Kind.PARAGRAPH, Kind.PARAGRAPH]
    assert doc.segments[1].source.endswith("margin.") and doc.segments[2].source.startswith("jobs")


def test_cjk_full_stop_ends_a_paragraph():
    doc = split(
        Document(
            "x",
            segments=paragraphs(
                "我们明天在工会大厅开会讨论房租问题和维修问题以及其他事情。",
                "bring friends and neighbours along to the meeting tomorrow.",
            ),
        )
    )
    assert len(doc.segments) == 2


def test_numbers_only_segment_is_not_translated_but_a_date_is():
    doc = split(
        Document(
            "x",
            segments=paragraphs(
                "2026", "March 3, 2026 · (555) 010-2030", "The meeting is on Thursday in the union hall downstairs."
            ),
        )
    )
    assert [s.translate for s in doc.segments] == [False, True, True]
    assert doc.segments[1].kind == Kind.CONTACT


def test_markdown_leaflet_segments_keep_links_and_contacts_verbatim():
    from ..conftest import MESSY

    doc = split(read(MESSY / "idaho-ice-outta-jerome.en.md"))
    call = next(s for s in doc.segments if s.source.startswith("CALL the County"))
    assert call.kind == Kind.LIST_ITEM and call.marker == "*"
    assert [call.source[a:b] for a, b in verbatim_spans(call.source)] == ["(208) 644-2701", "chowell@jerome.id.us"]


def test_a_paragraph_in_another_script_is_in_another_language():
    doc = detect(
        split(
            Document(
                "x",
                segments=paragraphs(
                    "Tenants Together",
                    "The landlord raised the rent again this year, and the repairs we asked for last winter "
                    "never happened.",
                    "يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق. وقد وهبوا عقلاً وضميرًا.",
                    "مرحبا بالجيران",
                    "Come to the meeting on Thursday evening and bring your neighbours with you.",
                ),
            )
        ),
        None,
    )
    assert doc.source_lang == "en"
    assert [s.lang for s in doc.segments] == ["en", "en", "ar", "ar", "en"]  # the short line: the script's language
    assert doc.segments[2].lang_confidence >= 0.85
    assert doc.segments[0].lang_confidence < 0.85  # too short to judge: inherited, and says so


def test_within_one_script_close_languages_are_not_trusted():
    """The detector names a Spanish paragraph of an English leaflet Spanish, but also 2 of 80 Spanish UDHR
    articles Portuguese with certainty 1.0: within the leaflet's script a paragraph keeps the leaflet's
    language, and its confidence says how unsure that is."""
    doc = detect(
        split(
            Document(
                "x",
                segments=paragraphs(
                    "The landlord raised the rent again this year, and the repairs we asked for last winter "
                    "never happened.",
                    "El dueño subió el alquiler otra vez este año y las reparaciones que pedimos el invierno pasado "
                    "nunca llegaron.",
                    "Come to the meeting on Thursday evening and bring your neighbours with you.",
                ),
            )
        ),
        None,
    )
    assert [s.lang for s in doc.segments] == ["en", "en", "en"]
    assert doc.segments[1].lang_confidence < 0.5 < doc.segments[0].lang_confidence


def test_declared_regional_code_becomes_iso_639_1():
    assert detect(sample(), "zh-TW").source_lang == "zh"
    assert detect(sample(), "pt-BR").source_lang == "pt"


def test_chinese_variants_are_one_language():
    text = (UDHR / "preamble" / "zh.txt").read_text(encoding="utf-8")
    doc = detect(split(Document("x", segments=blocks_from_text(text))), None)
    assert {s.lang for s in doc.segments} == {"zh"}
    short = [s for s in doc.segments if 6 <= len(s.source) <= 20]
    assert short and all(s.lang_confidence > 0 for s in short)  # a short CJK line still gets judged
