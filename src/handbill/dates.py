"""Calendar dates written the way each language writes them.

A date is the one thing on a flyer that must never be wrong, and engines get them wrong: Apertium reads
"March 5" as the noun ("Marcha 5"). So dates are found in the source and handed to the engine as
placeholders already written the target's way ("5 de marzo", "5 mars"), like a fixed glossary rendering.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from . import languages

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


def grammar_of(lang: str) -> languages.Dates:
    """How `lang` writes dates; LookupError for a language handbill has no date grammar for."""
    grammar = languages.get(lang).dates
    if grammar is None:
        raise LookupError(f"no date grammar for {lang!r}")
    return grammar


@functools.cache
def _patterns(code: str) -> list[re.Pattern]:
    """The language's date patterns (languages/<code>.py) with their slots filled in."""
    grammar = grammar_of(code)
    if grammar.capitalised:  # Title Case or capitals only
        names = [name for m in grammar.months for name in (m.capitalize(), m.upper())]
        names += [name for s in grammar.short_months for name in (f"{s.capitalize()}\\.?", f"{s.upper()}\\.?")]
        month = rf"(?P<month>{'|'.join(names)})"
    else:
        short = [f"{s}\\.?" for s in grammar.short_months]
        month = rf"(?P<month>(?i:{'|'.join([*grammar.months, *short])}))"
    lead = rf"(?P<on>(?<!\w)(?:{grammar.lead}))?" if grammar.lead else ""
    slots = {"lead": lead, "day": DAY, "month": month, "year": YEAR}
    return [
        re.compile(r"(?<!\w)" + re.sub(r"\{(lead|day|month|year)\}", lambda m: slots[m[1]], pattern))
        for pattern in grammar.patterns
    ]


def _month_index(name: str, code: str) -> int:
    grammar = grammar_of(code)
    name = name.lower().rstrip(".")
    return grammar.months.index(name) if name in grammar.months else grammar.short_months[name]


def _dated(lang: str) -> str | None:
    """The code of `lang` when handbill knows how it writes dates."""
    language = languages.get(lang)
    return language.code if language.dates else None


def find(text: str, *langs: str) -> list[Found]:
    """Every date written the way one of `langs` writes dates, in order, none overlapping (the first
    language wins); languages without date grammar find nothing."""
    found: list[Found] = []
    for code in dict.fromkeys(filter(None, map(_dated, langs))):
        for pattern in _patterns(code):
            for match in pattern.finditer(text):
                if any(match.start() < f.end and f.lead < match.end() for f in found):
                    continue
                on = match.groupdict().get("on") or ""
                found.append(
                    Found(
                        match.start(),
                        match.end("on") if on else match.start(),
                        match.end(),
                        1 if match["day"] is None else int(match["day"]),  # French "1er"
                        _month_index(match["month"], code),
                        match["year"],
                        on.strip(),
                    )
                )
    return sorted(found)


def form(grammar: languages.Dates, day: str, month: int, year: str | None) -> str:
    """A date through the language's template, `day` and `year` already in the wanted form (digits, words)."""
    name = grammar.months[month]
    text = grammar.written.format(day=day, month=name, Month=name.capitalize())
    if year:
        text += grammar.year.format(year=year)
    return elide(grammar, text)


def elide(grammar: languages.Dates, text: str) -> str:
    for pattern, replacement in grammar.elisions:
        text = re.sub(pattern, replacement, text)
    return text


def write(day: int, month: int, year: str | None, lang: str) -> str:
    """One date in the language's own order and words: March 5, 2026 / 5 de marzo de 2026 / 1er mars 2026."""
    grammar = grammar_of(lang)
    return form(grammar, grammar.first_day if day == 1 and grammar.first_day else str(day), month, year)


def rewrites(text: str, src: str, tgt: str) -> list[tuple[int, int, str]]:
    """(start, end, the date written in tgt) for every date in `text`; none when either side has no date
    grammar (languages/<code>.py)."""
    source, target = languages.get(src), languages.get(tgt)
    if source.code == target.code or target.dates is None or source.dates is None:
        return []
    source_dates, target_dates = source.dates, target.dates
    rewritten = []
    for date in find(text, src):
        written = write(date.day, date.month, date.year, tgt)
        if date.on and not source_dates.takes_article and target_dates.article:  # "on": the target's own word
            article = target_dates.article
            written = elide(target_dates, f"{article.capitalize() if date.on[0].isupper() else article} {written}")
        elif date.on and not target_dates.takes_article:  # a source article into English: see languages/es.py
            kept = source_dates.contractions.get(date.on.lower())
            if kept:  # "del" keeps "de" for the engine ("a partir de" -> "from")
                rewritten.append((date.lead + len(kept), date.end, " " + written))
                continue
            before = re.findall(r"[^\W\d_]+", text[: date.lead])[-1:]
            if not before or before[0].lower() not in source_dates.prepositions:
                article = target_dates.article
                written = f"{article.capitalize() if date.on[0].isupper() else article} {written}"
        elif date.on:  # the target has articles too: the engine translates it
            rewritten.append((date.start, date.end, written))
            continue
        rewritten.append((date.lead, date.end, written))
    return rewritten
