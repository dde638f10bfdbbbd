"""Language detection with langdetect, seeded so the same leaflet always gives the same answer."""

from __future__ import annotations

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

from ..errors import BadInput
from ..model import Document
from .verbatim import verbatim_spans

DetectorFactory.seed = 0
MIN_LETTERS = 40  # below this a segment inherits the document's language (short lines misdetect)
MIN_CONFIDENCE = 0.85


def _iso(code: str) -> str:
    return code.split("-")[0].lower()


def _best(text: str) -> tuple[str, float] | None:
    try:
        guesses = detect_langs(text)
    except LangDetectException:
        return None
    return (_iso(guesses[0].lang), guesses[0].prob) if guesses else None


def _without_verbatim(text: str) -> str:
    """E-mail addresses and URLs are not in any language; they only confuse the detector."""
    for start, end in reversed(verbatim_spans(text)):
        text = text[:start] + " " + text[end:]
    return text


def detect(doc: Document, declared: str | None = None) -> Document:
    """Document language from the whole text (or `declared`), then per segment with its confidence."""
    whole = "\n".join(s.source for s in doc.segments)
    if declared:
        doc.source_lang, doc.source_lang_confidence = _iso(declared), 1.0
    else:
        best = _best(whole)
        if best is None:
            raise BadInput("cannot tell which language the leaflet is in (it has no words)",
                           "give --from LANG if it really is text")
        doc.source_lang, doc.source_lang_confidence = best[0], round(best[1], 4)
    for seg in doc.segments:
        words = _without_verbatim(seg.source)
        letters = sum(ch.isalpha() for ch in words)
        best = _best(words) if letters >= MIN_LETTERS else None
        if best is None or best[1] < MIN_CONFIDENCE:
            seg.lang, seg.lang_confidence = doc.source_lang, round(best[1], 4) if best else 0.0
        else:
            seg.lang, seg.lang_confidence = best[0], round(best[1], 4)
    return doc
