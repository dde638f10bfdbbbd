"""What translation keeps as written (segment/verbatim.py) is what the reading says as an address
(render/spoken.py): one set of patterns, so a URL, e-mail, handle or phone is never protected in the text and
then read letter by letter or as a large number."""

from __future__ import annotations

import pytest

from handbill.render.spoken import speakable
from handbill.segment.verbatim import verbatim_matches, verbatim_spans

TEXTS = [
    "Write to organize@tenants.example or mail@sindicato.es today.",
    "See https://en.example.org/wiki/Union_(labor) and www.union.coop/join now.",
    "Our page is eastside-tenants.example/meet, also on sindicato.mx.",
    "Follow IG:@tenants_east, FB:@union2026 and @SpeakOutNow.",
    "Llama al +34 912 345 678 o al +52 55 1234 5678.",
    "Call (555) 010-2030 or 208.644.2701.",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("lang", ["en", "es", "fr", "pt"])
def test_every_kept_span_is_read_in_words(text, lang):
    spans = verbatim_matches(text)
    assert [(a, b) for a, b, _ in spans] == verbatim_spans(text) and spans
    for start, end, kind in spans:
        said = speakable(text[start:end], lang)
        assert said and not any(ch.isdigit() or ch in "@/." for ch in said), (kind, text[start:end], said)


def test_each_kind_is_named():
    kinds = {kind for text in TEXTS for _, _, kind in verbatim_matches(text)}
    assert kinds == {"email", "url", "domain", "handle", "phone"}
    assert speakable("+34 912 345 678", "es") == "tres cuatro, nueve uno dos, tres cuatro cinco, seis siete ocho"
    assert speakable("mail@sindicato.es", "es") == "mail arroba sindicato punto es"  # .es: not only US domains
