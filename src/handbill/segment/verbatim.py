"""Spans that stay verbatim inside translated text: e-mail addresses, URLs and domains, @handles, phones."""

from __future__ import annotations

import functools
import re

EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# A URL may hold balanced parentheses (wiki links); an unbalanced ")" after it closes the sentence's
# own parentheses, as in the "text (URL)" the readers write.
URL_CHAR = r"[^\s<>()\"]"
URL_END = r"[^\s<>()\".,;:!?’”]"
URL = rf"(?:https?://|www\.)(?:{URL_CHAR}|\({URL_CHAR}*\))*(?:{URL_END}|\({URL_CHAR}*\))"
TLDS = "org|com|net|edu|gov|info|io|us|uk|ca|mx|es|fr|pt|br|de|coop|example|app|social|me|ly"
DOMAIN = rf"(?<![\w@.-])(?:[\w-]+\.)+(?:{TLDS})(?:/[^\s<>()\"]*{URL_END})?(?![\w@-])"
HANDLE = r"(?:\b[A-Za-z]{2,9}:)?(?<![\w.])@\w[\w.]*\w|(?:\b[A-Za-z]{2,9}:)?(?<![\w.])@\w"
# With a country code any grouping counts; without one the number must end in a group of four digits,
# so "30 000 000" (French thousands) is a number to translate, not a phone.
SEP = r"[\s.-]"
PHONE = (
    rf"(?<![\w+])(?:\+\d{{1,3}}{SEP}?(?:\(\d{{1,4}}\){SEP}?|\d{{1,4}}{SEP})(?:\d{{2,4}}{SEP}){{0,2}}\d{{3,4}}"
    rf"|(?:\(\d{{2,4}}\){SEP}?|\d{{2,4}}{SEP})\d{{3,4}}{SEP}\d{{4}})(?![\w])"
)
KINDS = {"email": EMAIL, "url": URL, "domain": DOMAIN, "handle": HANDLE, "phone": PHONE}
NEEDED = {"domain": re.compile(rf"\.(?:{TLDS})"), "phone": re.compile(r"\d{3}")}


def _possible(text: str) -> tuple[str, ...]:
    """The kinds whose fixed part the text holds (an e-mail needs "@", a domain "." and a TLD, a phone three
    digits in a row): the others cannot match anywhere, so leaving them out of the pattern changes no match
    and spares most of the work (all five tried at every character: 220 µs for a 540-character paragraph)."""
    at = "@" in text
    url = "://" in text or "www." in text
    found = {"email": at, "url": url, "handle": at, **{kind: bool(p.search(text)) for kind, p in NEEDED.items()}}
    return tuple(kind for kind in KINDS if found[kind])


@functools.cache
def _pattern(kinds: tuple[str, ...]) -> re.Pattern:
    """The alternatives in KINDS order (order decides between matches at one place)."""
    return re.compile("|".join(f"(?P<{kind}>{KINDS[kind]})" for kind in kinds), re.UNICODE)


def verbatim_matches(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every verbatim span, kind one of KINDS: what translation keeps as written is
    exactly what the reading says as an address (render/spoken.py), so the two never disagree."""
    kinds = _possible(text)
    if not kinds:
        return []
    return [(m.start(), m.end(), m.lastgroup or "") for m in _pattern(kinds).finditer(text)]


def verbatim_spans(text: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) character spans."""
    spans: list[tuple[int, int]] = []
    for start, end, _kind in verbatim_matches(text):
        if spans and start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans
