"""Text as it should be read aloud, per language: dates, numbers, times, money, phone numbers, e-mail,
URLs, @handles, "&" and movement acronyms. eSpeak NG reads "3,000" in Spanish as "tres coma cero cero cero"
and URLs letter by letter; this turns them into words first."""

from __future__ import annotations

import re
from collections.abc import Mapping

from num2words import num2words

from .. import dates, languages
from ..segment.verbatim import verbatim_matches

# The words for symbols, acronyms and num2words' language come from languages/<code>.py.

# E-mail, URLs, domains, @handles and phones are the spans translation keeps as written
# (segment/verbatim.py): the same spans are read as addresses, never word by word.
SCHEME = re.compile(r"^(?:https?://)?(?:www\.)?", re.I)
LABEL = re.compile(r"\b([A-Za-z]{2,9}):\s?$")  # "IG: " just before an @handle
# The label before a handle ("IG:@sonsocialists") names a network, said in full the way people say it.
NETWORKS = {
    "ig": "Instagram",
    "insta": "Instagram",
    "fb": "Facebook",
    "tw": "Twitter",
    "tt": "TikTok",
    "yt": "YouTube",
    "tg": "Telegram",
    "wa": "WhatsApp",
    "bsky": "Bluesky",
    "masto": "Mastodon",
}
WORD_PARTS = re.compile(r"_+|(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
TIME = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s?m\.?(?=\W|$)", re.I)
CLOCK = re.compile(r"\b(\d{1,2}):(\d{2})\b")
MONEY = re.compile(r"\$\s?(\d[\d,]*)(?:\.(\d{2}))?")
PERCENT = re.compile(r"(\d[\d,.]*)\s?%")
THOUSANDS = re.compile(r"\b\d{1,3}(?:[,.]\d{3})+\b")
DECIMAL = re.compile(r"\b(\d+)[.,](\d+)\b")
INTEGER = re.compile(r"\b\d+\b")


def _n(number: int | str, lang: str, to: str = "cardinal") -> str:
    return num2words(int(number), lang=languages.get(lang).num2words_lang, to=to)


def _say_date(date: dates.Found, lang: str) -> str:
    grammar = dates.grammar_of(lang)
    day = _n(date.day, lang, grammar.day_said_as)
    if date.day == 1 and grammar.first_day_said:
        day = grammar.first_day_said
    year = _n(int(date.year), lang, grammar.year_said_as) if date.year else None
    return dates.form(grammar, day, date.month, year)


def _say_dates(text: str, lang: str) -> str:
    """Dates in the language's own format, and English ones (a contact line stays as written)."""
    if languages.get(lang).dates is None:
        return text
    for date in reversed(dates.find(text, lang, "en")):
        text = text[: date.start] + _say_date(date, lang) + text[date.end :]
    return text


def _digits(text: str, lang: str) -> str:
    return " ".join(_n(d, lang) for d in text)


def speakable(text: str, lang: str) -> str:
    """The text with every number, date, address and acronym spelled the way a listener expects.

    Only for the languages whose module gives the words (languages/<code>.py); any other reading is left
    to eSpeak NG's own rules for its language, which read digits and symbols in that language (spelling
    them in English would not)."""
    language = languages.get(lang)
    if not language.words:
        return " ".join(text.split())
    lang, w = language.code, language.words
    text = _say_verbatim(text, lang, w)
    text = _say_dates(text, lang)
    text = TIME.sub(lambda m: _say_time(m[1], m[2], m[3], lang, w), text)
    text = CLOCK.sub(lambda m: _n(m[1], lang) + ("" if m[2] == "00" else " " + _n(m[2], lang)), text)
    text = MONEY.sub(lambda m: _say_money(m[1], m[2], lang, w), text)
    text = PERCENT.sub(lambda m: f"{_number(m[1], lang, w)} {w['percent']}", text)
    text = THOUSANDS.sub(lambda m: _n(re.sub(r"[,.]", "", m[0]), lang), text)
    text = DECIMAL.sub(lambda m: f"{_n(m[1], lang)} {w['point']} {_digits(m[2], lang)}", text)
    if language.ordinal_suffixes:  # "1st", "2nd"
        text = re.sub(rf"\b(\d+)(?:{language.ordinal_suffixes})\b", lambda m: _n(m[1], lang, "ordinal"), text)
    text = INTEGER.sub(lambda m: _n(m[0], lang), text)
    text = text.replace("&", f" {w['and']} ")
    for acronym, said in language.acronyms.items():
        text = re.sub(rf"\b{acronym}\b", said, text)
    return " ".join(text.split())


def _say_verbatim(text: str, lang: str, w: Mapping[str, str]) -> str:
    """Each span translation keeps as written, said as people say it: mail at union dot org; example dot org
    slash join; Instagram, at Speak Out Now; a phone number digit by digit, group by group."""
    for start, end, kind in reversed(verbatim_matches(text)):
        span = text[start:end]
        if kind == "email":
            user, _, domain = span.partition("@")
            said = " ".join([user.replace(".", f" {w['dot']} "), w["at"], domain.replace(".", f" {w['dot']} ")])
        elif kind in ("url", "domain"):
            said = SCHEME.sub("", span).rstrip("/").replace(".", f" {w['dot']} ").replace("/", f" {w['slash']} ")
        elif kind == "handle":
            label, _, name = span.rpartition("@")
            before = LABEL.search(text, 0, start) if not label else None
            if before:
                label, start = before[1], before.start()
            said = _say_handle(label.rstrip(":") or None, name, w)
        else:  # phone
            said = ", ".join(_digits(group, lang) for group in re.findall(r"\d+", span.removeprefix("+1")))
        text = text[:start] + said + text[end:]
    return text


def _say_handle(label: str | None, name: str, w: Mapping[str, str]) -> str:
    """'IG:@sonsocialists' -> 'Instagram, at sonsocialists'; '@Speak_Out_Now' -> 'at Speak Out Now'."""
    said = f"{w['at']} {' '.join(WORD_PARTS.split(name))}"
    if label:
        said = f"{NETWORKS.get(label.lower(), label)}, {said}"
    return said


def _number(raw: str, lang: str, w: Mapping[str, str]) -> str:
    raw = raw.rstrip(".,")
    if THOUSANDS.fullmatch(raw):
        return _n(re.sub(r"[,.]", "", raw), lang)
    whole, _, frac = raw.replace(",", ".").partition(".")
    return _n(whole, lang) + (f" {w['point']} {_digits(frac, lang)}" if frac else "")


def _say_time(hour: str, minute: str | None, half: str, lang: str, w: Mapping[str, str]) -> str:
    words = _n(hour, lang)
    if minute and minute != "00":
        words += " " + _n(minute, lang)
    return f"{words} {w['pm'] if half.lower() == 'p' else w['am']}"


def _say_money(whole: str, cents: str | None, lang: str, w: Mapping[str, str]) -> str:
    amount = int(whole.replace(",", ""))
    words = f"{_n(amount, lang)} {w['dollar'] if amount == 1 else w['dollars']}"
    if cents and cents != "00":
        words += f" {w['and']} {_n(cents, lang)} {w['cents']}"
    return words
