"""Calendar dates written the way each language writes them.

A date is the one thing on a flyer that must never be wrong, and engines get them wrong: Apertium reads
"March 5" as the noun ("Marcha 5"). So dates are found in the source and handed to the engine as
placeholders already written the target's way ("5 de marzo", "5 mars"), like a fixed glossary rendering.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

MONTHS = {
    "en": ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
    "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
           "novembro", "dezembro"],
}
# "Mar." and "Sept." are how English leaflets shorten months; May has no short form to confuse.
SHORT_EN = {"jan": 0, "feb": 1, "mar": 2, "apr": 3, "jun": 5, "jul": 6, "aug": 7, "sep": 8, "sept": 8, "oct": 9,
            "nov": 10, "dec": 11}
# "on March 5": the engine, seeing only "on ⟦1⟧", would pick "encima" ("on top of"); the date brings its own.
ON = r"(?P<on>[Oo]n\s+)?"
ARTICLE = {"en": "on", "es": "el", "fr": "le", "pt": "em"}
# Spanish puts an article before a date ("hasta el 30 de abril", "del 3 de marzo"); English does not, and an
# engine that sees "hasta el ⟦1⟧" writes "until the April 30". Going into English the article goes with the
# date: after a preposition it is dropped, elsewhere it becomes "on" ("El 1 de mayo marchamos": "On May 1").
EL = r"(?P<on>(?<!\w)(?:[Ee]l|[Dd]el)\s+)?"
PREPOSITIONS_ES = {"a", "ante", "bajo", "con", "contra", "de", "desde", "durante", "en", "entre", "hacia", "hasta",
                   "mediante", "para", "por", "según", "sin", "sobre", "tras", "antes", "después", "partir"}
DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])"
YEAR = r"(?P<year>\d{4})"


class Found(NamedTuple):
    lead: int  # where "on" starts, or the date when there is none
    start: int
    end: int
    day: int
    month: int  # 0 = January
    year: str | None
    on: str


@functools.cache
def _patterns(lang: str) -> list[re.Pattern]:
    months = "|".join(MONTHS[lang])
    if lang == "en":
        # Title Case or capitals only: "march 5 blocks" is not a date, "March 5" and "MARCH 5" are.
        names = "|".join(f"{m.capitalize()}|{m.upper()}" for m in MONTHS["en"])
        short = "|".join(f"{s.capitalize()}\\.?|{s.upper()}\\.?" for s in SHORT_EN)
        month = rf"(?P<month>{names}|{short})"
        return [re.compile(rf"(?<!\w){ON}{month}\s+{DAY}(?:st|nd|rd|th)?(?!\w)(?:,?\s+{YEAR}(?!\w))?"),
                re.compile(rf"(?<!\w){ON}{DAY}(?:st|nd|rd|th)?\s+(?:of\s+)?{month}(?!\w)(?:,?\s+{YEAR}(?!\w))?")]
    month = rf"(?P<month>(?i:{months}))"
    if lang == "fr":
        return [re.compile(rf"(?<!\w)(?:1er|{DAY})\s+{month}(?!\w)(?:\s+{YEAR}(?!\w))?")]
    lead = EL if lang == "es" else ""
    return [re.compile(rf"(?<!\w){lead}{DAY}\s+de\s+{month}(?!\w)(?:\s+del?\s+{YEAR}(?!\w))?"),
            re.compile(rf"(?<!\w){month}\s+{DAY}(?!\w)(?:,?\s+{YEAR}(?!\w))?")]  # "febrero 2, 2026"


def _month_index(name: str, lang: str) -> int:
    name = name.lower().rstrip(".")
    return MONTHS[lang].index(name) if name in MONTHS[lang] else SHORT_EN[name]


def find(text: str, *langs: str) -> list[Found]:
    """Every date written the way one of `langs` writes dates, in order, none overlapping (the first
    language wins); languages without a month table find nothing."""
    found: list[Found] = []
    for lang in dict.fromkeys(lang for lang in langs if lang in MONTHS):
        for pattern in _patterns(lang):
            for match in pattern.finditer(text):
                if any(match.start() < f.end and f.lead < match.end() for f in found):
                    continue
                on = match.groupdict().get("on") or ""
                found.append(Found(match.start(), match.end("on") if on else match.start(), match.end(),
                                   1 if match["day"] is None else int(match["day"]),  # French "1er"
                                   _month_index(match["month"], lang), match["year"], on.strip()))
    return sorted(found)


def write(day: int, month: int, year: str | None, lang: str) -> str:
    """One date in the language's own order and words: March 5, 2026 / 5 de marzo de 2026 / 1er mars 2026."""
    name = MONTHS[lang][month]
    if lang == "en":
        return f"{name.capitalize()} {day}" + (f", {year}" if year else "")
    if lang == "fr":
        return f"{'1er' if day == 1 else day} {name}" + (f" {year}" if year else "")
    return f"{day} de {name}" + (f" de {year}" if year else "")


def rewrites(text: str, src: str, tgt: str) -> list[tuple[int, int, str]]:
    """(start, end, the date written in tgt) for every date in `text`; none when either side has no table."""
    src, tgt = src.split("-")[0], tgt.split("-")[0]
    if src == tgt or tgt not in MONTHS:
        return []
    rewritten = []
    for date in find(text, src):
        written = write(date.day, date.month, date.year, tgt)
        if date.on and src == "en":
            article = ARTICLE[tgt]
            written = f"{article.capitalize() if date.on[0].isupper() else article} {written}"
        elif date.on and tgt == "en":  # a Spanish article: see EL
            if date.on.lower() == "del":  # keep "de" for the engine ("a partir de" -> "from")
                rewritten.append((date.lead + 2, date.end, " " + written))
                continue
            before = re.findall(r"[^\W\d_]+", text[:date.lead])[-1:]
            if not before or before[0].lower() not in PREPOSITIONS_ES:
                written = ("On " if date.on[0].isupper() else "on ") + written
        elif date.on:  # the target has articles too: the engine translates it
            rewritten.append((date.start, date.end, written))
            continue
        rewritten.append((date.lead, date.end, written))
    return rewritten
