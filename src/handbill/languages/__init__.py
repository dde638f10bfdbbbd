"""What handbill knows about each language, one module per language, behind one contract.

A module `languages/<code>.py`, named by the primary language subtag (`es`, `pt`, `ca`), defines
`LANGUAGE = Language(code=..., ...)`; every field it leaves out means "nothing special here" and the
stages fall back to generic behaviour: no dates rewritten, numbers and symbols left to eSpeak NG's own
rules, headlines as the engine wrote them, the language code as the eSpeak NG voice, English labels.
Writing direction and spacing come from the script CLDR gives the language, so Arabic, Hebrew or Thai need
no module for those. `get(tag)` resolves any BCP 47 tag (`es-419`, `pt_BR`, Argos's `pb`) to its
language's `Language`, or to a generic one. Adding a language is one new module here plus its tests
(tests/languages/test_contract.py checks every module; README "Adding a language").
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import langcodes

from .. import langtags

# Scripts written right to left, and scripts that put no space between sentences (ISO 15924).
RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Mand", "Samr"})
UNSPACED_SCRIPTS = frozenset({"Hans", "Hant", "Hani", "Jpan", "Thai", "Laoo", "Khmr", "Mymr", "Tibt"})
# Keys of `Language.words`: what speech needs said in words (see render/spoken.py).
SPOKEN_KEYS = ("at", "dot", "slash", "and", "percent", "dollars", "dollar", "cents", "point", "pm", "am", "oclock")
NOTICE_KEYS = ("reviewed", "reviewed_by", "pending", "flagged")


def _frozen(mapping: Mapping | None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Dates:
    """How a language writes calendar dates: what dates.py finds in a source and writes for a target.

    `patterns` are regular expressions with the slots {lead} (the optional word before a date, `lead`),
    {day} (1-31), {month} (a month name or short form) and {year} (four digits); each is tried in order.
    `written` and `year` are str.format templates with {day}, {month} (lower case), {Month} (capitalised)
    and {year}; `elisions` are (regex, replacement) pairs applied to the written date ("de abril" ->
    "d'abril") and to the article written before it ("el 1" -> "l'1"). `article` is the word that says
    "on" a date ("el", "le", "on"); `takes_article` is true when that word is an article the engine can
    translate itself (Spanish, French), false when it is a preposition (English "on", which the target's
    own word replaces).
    """

    months: tuple[str, ...]  # lower case, January first
    patterns: tuple[str, ...]
    written: str  # "{day} de {month}"
    year: str = " {year}"  # appended when the date has a year: " de {year}"
    short_months: Mapping[str, int] = field(default_factory=dict)  # "sept" -> 8 (lower case, no dot)
    capitalised: bool = False  # month names count only in Title Case or capitals ("march 5 blocks" is no date)
    first_day: str = ""  # how day one is written when not as a digit ("1er")
    elisions: tuple[tuple[str, str], ...] = ()
    lead: str = ""  # regex of the word that may stand before a date, with its space ("(?:[Ee]l|[Dd]el)\\s+")
    article: str = ""
    takes_article: bool = True
    contractions: Mapping[str, str] = field(default_factory=dict)  # lead -> the preposition in it ("del": "de")
    prepositions: frozenset[str] = frozenset()  # after these the lead article is dropped going into English
    # Speech: day one's word ("primero"), and whether days and years are read as ordinals / as years.
    first_day_said: str = ""
    day_said_as: str = "cardinal"  # or "ordinal" ("March fifth")
    year_said_as: str = "cardinal"  # or "year" ("twenty twenty-six")

    def __post_init__(self) -> None:
        object.__setattr__(self, "short_months", _frozen(self.short_months))
        object.__setattr__(self, "contractions", _frozen(self.contractions))


@dataclass(frozen=True)
class Language:
    """Everything handbill knows about one language. Only `code` is required."""

    code: str  # the primary language subtag, which is also the module's name
    dates: Dates | None = None  # None: dates are neither found nor rewritten in this language
    # Speech (render/spoken.py): words for symbols and numbers (SPOKEN_KEYS); empty: left to eSpeak NG.
    words: Mapping[str, str] = field(default_factory=dict)
    acronyms: Mapping[str, str] = field(default_factory=dict)  # "ICE" -> how the community says it
    num2words: str = ""  # num2words' language code ("pt_BR"); default: `code`
    ordinal_suffixes: str = ""  # regex of what makes a number an ordinal ("st|nd|rd|th": "1st" -> "first")
    # Voices (render/speech.py): the eSpeak NG voice for the bare code, and for variants not named like
    # their tag ({"pt-pt": "pt"}); other variants read with their own voice if eSpeak NG has one, else `voice`.
    voice: str = ""
    variant_voices: Mapping[str, str] = field(default_factory=dict)
    # Orthography (orthography.py): headlines in sentence case; ¡ ¿ opening exclamations and questions.
    sentence_case: bool = False
    opening_marks: bool = False
    # Glossary post-editing (glossary/enforce.py): the article a noun of each gender (f, m, fp, mp) needs.
    articles: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # QA (qa.py): target characters per English character; words a sentence may repeat ("nous nous").
    typical_length: float = 1.0
    repeats_ok: frozenset[str] = frozenset()
    hunspell: str = ""  # the dictionary the bare code means ("es_ES"); default: `code`
    # What handbill writes on its outputs in this language (render/labels.py); empty: English.
    notice: Mapping[str, str] = field(default_factory=dict)  # NOTICE_KEYS -> sentence
    contents: str = ""
    script: str = ""  # ISO 15924; default: CLDR's likely script for the code

    def __post_init__(self) -> None:
        for name in ("words", "acronyms", "variant_voices", "notice"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        object.__setattr__(self, "articles", _frozen({g: _frozen(t) for g, t in self.articles.items()}))
        if not self.script:
            object.__setattr__(self, "script", _likely_script(self.code))

    @property
    def rtl(self) -> bool:
        """Written right to left (w:rtl in Word, dir="rtl" in EPUB)."""
        return self.script in RTL_SCRIPTS

    @property
    def spaced(self) -> bool:
        """Sentences are joined with a space (not in Chinese, Japanese, Thai …)."""
        return self.script not in UNSPACED_SCRIPTS

    @property
    def num2words_lang(self) -> str:
        return self.num2words or self.code


def _likely_script(code: str) -> str:
    try:
        return langcodes.Language.get(code).maximize().script or ""
    except (ValueError, LookupError, langcodes.LanguageTagError):
        return ""


CODE = re.compile(r"[a-z]{2,3}")


def code_of(tag: str) -> str:
    """The primary subtag a tag's module is named by: 'pt-BR' -> 'pt', Argos's 'zt' -> 'zh'."""
    tag = (tag or "").strip()
    return langtags.primary(langtags.ENGINE_CODES.get(tag.lower(), tag))


def get(tag: str) -> Language:
    """The Language for a BCP 47 tag ('es-419', 'pt_BR', 'ca-valencia'): its module's, else a generic one."""
    return _load(code_of(tag))


@functools.cache
def _load(code: str) -> Language:
    if CODE.fullmatch(code):
        try:
            module = importlib.import_module(f"{__name__}.{code}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{code}":
                raise
        else:
            return module.LANGUAGE
    return Language(code=code)


def codes() -> list[str]:
    """Codes of every language with a module here."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if CODE.fullmatch(m.name))


def with_dates() -> list[str]:
    """Codes of the languages whose dates handbill finds and writes."""
    return [code for code in codes() if get(code).dates is not None]
