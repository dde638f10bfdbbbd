"""Target-language orthography the engines miss, fixed on their output while placeholders still hide
e-mails, URLs and glossary terms.

Headlines: English ones are Title Case; Spanish, French and Portuguese ones are sentence case
(`sentence_case` in languages/<code>.py). Engines copy
the capitals word by word ("Huelga de alquiler que Cumple Este jueves"), which reads as a string of names.
Names keep their capitals: a word the leaflet writes with a capital where no sentence starts (Minneapolis,
Frey, the group's name in the masthead), a word the engine itself capitalises mid-sentence in the body
("Nueva York" for New York), and acronyms; every other word of the headline is lowered. Only a headline
is changed: a Title Case line with digits (an address) or a label ("Where: …") is left as the engine wrote it.

Spanish opens exclamations and questions with ¡ and ¿ (`opening_marks`); Apertium leaves them out ("Somos la unión !").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Set as AbstractSet

from . import languages

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def is_headline(text: str) -> bool:
    """Title Case that reads as a headline, not an address ("247 Main Ave W Twin Falls") or a label
    ("Where: Jerome County Jail"): no digits, no colon after its first word or two."""
    return is_title_case(text) and not any(ch.isdigit() for ch in text) and not re.match(r"\W*\w+(?:\s+\w+)?\s*:", text)


def is_title_case(text: str) -> bool:
    """Most words of four letters or more start with a capital (ALL CAPS is a different style)."""
    words = [w for w in WORD.findall(text) if len(w) >= 4]
    return len(words) >= 2 and not text.isupper() and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def names(texts) -> set[str]:
    """Words written with a capital where no sentence starts (in running text, not headlines): names."""
    found = set()
    for text in texts:
        for match in WORD.finditer(text):
            if not text[match.start()].isupper():
                continue
            before = text[max(0, match.start() - 12) : match.start()].rstrip(" \t\n«“\"'(¡¿")  # a window: linear
            if before and before[-1] not in ".!?…:":
                found.add(match.group(0))
    return found


def sentence_case(translated: str, source: str, tgt: str, kept: AbstractSet[str] = frozenset()) -> str:
    """`translated` (engine output, placeholders still in) in sentence case when `tgt` writes headlines so
    and `source` is a headline; words in `kept` (names) and acronyms keep their capitals."""
    if not languages.get(tgt).sentence_case or not is_headline(source):
        return translated

    first = WORD.search(translated)
    if first is None:
        return translated
    start = first.start()

    def lower(match: re.Match) -> str:
        word = match.group(0)
        if match.start() == start and not re.search(r"\w", translated[:start]):
            return word[0].upper() + word[1:]  # the headline's first word (not after a placeholder ⟦n⟧)
        if word in kept or (word.isupper() and len(word) > 1):
            return word
        return word[0].lower() + word[1:]

    return WORD.sub(lower, translated)


BOUNDARY = re.compile(r"[.!?…]+[»”\"')]*\s+")
MARKS = re.compile(r"([!?]+)([»”\"')]*)")
OPENS = {"»": "«", "”": "“", '"': '"', "'": "'", ")": "("}


def spanish_marks(text: str) -> str:
    """¡…! and ¿…? around every exclamation and question that lacks its opening mark; no space before ! ?

    The opening mark goes where the exclamation begins: inside the quotation it closes, else after a
    colon, else at the start of the sentence ("p.m. vienes" goes on: a lower-case word starts no sentence).
    """
    text = re.sub(r"\s+([!?])", r"\1", text)
    starts = [0] + [m.end() for m in BOUNDARY.finditer(text) if not text[m.end() : m.end() + 1].islower()]
    inserts, previous = [], 0
    for mark in MARKS.finditer(text):
        start = max(previous, starts[bisect.bisect_right(starts, mark.start()) - 1])
        body, closers, previous = text[start : mark.start()], mark[2], mark.end()
        opener = "¡" if mark[1][0] == "!" else "¿"
        if opener in body or not body.strip():
            continue
        at = body.rfind(OPENS[closers[0]]) + 1 if closers else 0
        if not at:
            at = body.rfind(": ") + 2 if ": " in body else len(body) - len(body.lstrip())
        inserts.append((start + at, opener))
    for at, opener in reversed(inserts):
        text = text[:at] + opener + text[at:]
    return text


def fix(translated: str, source: str, tgt: str, headline: bool, kept: AbstractSet[str] = frozenset()) -> str:
    """Everything this module knows for `tgt`, on one engine output; `kept`: the document's names."""
    if headline:
        translated = sentence_case(translated, source, tgt, kept)
    if languages.get(tgt).opening_marks:
        translated = spanish_marks(translated)
    return translated
