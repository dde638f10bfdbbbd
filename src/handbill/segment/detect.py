"""Language detection with langdetect, seeded so the same leaflet always gives the same answer.

langdetect (and its ~0.3 s of language profiles) is loaded only when something is to be guessed: a leaflet
whose language is declared (--from) and that is all in one script never loads it."""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter

from ..errors import BadInput
from ..langtags import primary
from ..model import Document
from .verbatim import verbatim_spans

MIN_LETTERS = 40  # below this a segment inherits the document's language (short lines misdetect)
MIN_CONFIDENCE = 0.85
WIDE_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL")  # one character is a word: count it as three letters


def _iso(code: str) -> str:
    return code.split("-")[0].lower()


@functools.cache
def _detector():
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    return detect_langs, LangDetectException


def _guesses(text: str) -> dict[str, float]:
    """ISO 639-1 code -> probability; variants of one language (zh-cn, zh-tw) are added together."""
    detect_langs, failure = _detector()
    try:
        found = detect_langs(text)
    except failure:
        return {}
    merged: dict[str, float] = {}
    for guess in found:
        merged[_iso(guess.lang)] = merged.get(_iso(guess.lang), 0.0) + guess.prob
    return merged


@functools.lru_cache(maxsize=4096)
def _script_of(ch: str) -> str:
    """The writing system of one letter (the first word of its Unicode name), "" for anything else."""
    return unicodedata.name(ch, "").split(" ", 1)[0] if ch.isalpha() else ""


def _letters(text: str) -> int:
    return sum(
        n * (3 if _script_of(ch).startswith(WIDE_SCRIPTS) else 1) for ch, n in Counter(text).items() if ch.isalpha()
    )


def _without_verbatim(text: str) -> str:
    """E-mail addresses and URLs are not in any language; they only confuse the detector."""
    for start, end in reversed(verbatim_spans(text)):
        text = text[:start] + " " + text[end:]
    return text


def detect(doc: Document, declared: str | None = None, script: str | None = None) -> Document:
    """Document language from the whole text (or `declared`), then per segment. A segment is in another
    language only when it is written in another script (an Arabic paragraph in an English leaflet); the
    detector names it, or for a line too short to judge, the script's usual language. Within one script the
    detector cannot be trusted between close languages (2 of 80 Spanish UDHR articles come out Portuguese,
    with certainty 1.0), so such a segment takes the leaflet's language, with the confidence the detector
    gave that language for it (0.0 when it was not guessed at all). With a declared language only segments in
    another script are judged; the others are in the declared language (confidence 1.0, as the document's).

    `script`: `doc` is a later part of a leaflet run in parts, whose language (already in doc.source_lang) and
    writing system (leaflet_script) were found in its first part."""
    if script is not None:  # a later part of a leaflet run in parts: the language is the first part's
        pass
    elif declared:
        doc.source_lang, doc.source_lang_confidence = _iso(declared), 1.0
    else:
        whole = "\n".join(_without_verbatim(s.source) for s in doc.segments)
        guesses = _guesses(whole) or _guesses("\n".join(s.source for s in doc.segments))
        if not guesses:
            raise BadInput(
                "cannot tell which language the leaflet is in (it has no words)",
                "give --from LANG if it really is text",
            )
        lang = max(guesses, key=guesses.__getitem__)
        doc.source_lang, doc.source_lang_confidence = lang, round(min(guesses[lang], 1.0), 4)
    main = leaflet_script(doc) if script is None else script
    for seg in doc.segments:
        words = _without_verbatim(seg.source)
        own = _script(words)
        other_script = bool(own) and own != main
        if declared and not other_script:  # declared, and in the leaflet's script: nothing to guess
            seg.lang, seg.lang_confidence = doc.source_lang, 1.0
            continue
        guesses = _guesses(words) if other_script or _letters(words) >= MIN_LETTERS else {}
        best = max(guesses, key=guesses.__getitem__) if guesses else ""
        seg.lang = doc.source_lang
        seg.lang_confidence = round(min(guesses.get(doc.source_lang, 0.0), 1.0), 4)
        if other_script:  # the detector where it can judge, else the script's usual language (none for Latin)
            sure = best and guesses[best] >= MIN_CONFIDENCE and _letters(words) >= MIN_LETTERS
            lang = best if sure else SCRIPT_LANGUAGE.get(own, "")
            if lang and primary(lang) != primary(doc.source_lang):
                seg.lang, seg.lang_confidence = lang, round(min(guesses.get(lang, 0.0), 1.0), 4)
    return doc


def leaflet_script(doc: Document) -> str:
    """The writing system most of the leaflet's letters are in."""
    letters: Counter[str] = Counter()
    for seg in doc.segments:  # counted segment by segment: a long leaflet is never joined into one string
        letters.update(seg.source)
    return _dominant(letters)


# The usual language of a writing system, for a line too short to detect (Latin serves too many).
SCRIPT_LANGUAGE = {
    "ARABIC": "ar",
    "HEBREW": "he",
    "CYRILLIC": "ru",
    "GREEK": "el",
    "CJK": "zh",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "HANGUL": "ko",
    "DEVANAGARI": "hi",
    "THAI": "th",
    "BENGALI": "bn",
    "TAMIL": "ta",
    "GEORGIAN": "ka",
    "ARMENIAN": "hy",
    "ETHIOPIC": "am",
    "KHMER": "km",
}


def _script(text: str) -> str:
    """The writing system most of the letters are in (LATIN, ARABIC, CJK, …), or "" without letters."""
    return _dominant(Counter(text))


def _dominant(chars: Counter[str]) -> str:
    """The script with most letters among counted characters (Counter keeps first-seen order, so a tie goes to
    the script met first, as a count letter by letter would): each distinct character is named once."""
    counts: dict[str, int] = {}
    for ch, n in chars.items():
        if ch.isalpha():
            name = _script_of(ch)
            counts[name] = counts.get(name, 0) + n
    return max(counts, key=counts.__getitem__) if counts else ""
