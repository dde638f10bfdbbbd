"""Language tags: handbill accepts BCP 47 tags (es, es-419, pt-BR, ca-valencia); per-language tables
(glossaries, dates, voices, orthography) are keyed by the primary language subtag.

langcodes (with the CLDR data of language-data) does the parsing, names and distances, so `pt` is
Brazilian Portuguese and `es-MX` is closer to `es-419` than to `es-ES`, as CLDR says.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .errors import USAGE, HandbillError


class _OnFirstUse:
    """`langcodes`, imported on first use: its CLDR tables take ~0.1 s, which `handbill --help` and every
    module that only needs `primary` would otherwise pay."""

    def __getattr__(self, name: str):
        import langcodes as module

        globals()["langcodes"] = module
        return getattr(module, name)


if TYPE_CHECKING:
    import langcodes
else:
    langcodes = _OnFirstUse()

# Codes engines use that are not BCP 47: Argos's index names Brazilian Portuguese "pb" and traditional
# Chinese "zt"; Apertium writes ISO 639-3 codes (eng-spa) and variants after an underscore (es-pt_BR).
ENGINE_CODES = {"pb": "pt-BR", "zt": "zh-Hant"}
# Tags worth suggesting beside a language's bare code (the variants engines and eSpeak NG know).
VARIANTS = {
    "es": ["es-419", "es-MX", "es-ES", "es-US"],
    "pt": ["pt-BR", "pt-PT"],
    "fr": ["fr-CA", "fr-FR"],
    "ca": ["ca-valencia"],
    "en": ["en-US", "en-GB"],
    "zh": ["zh-Hans", "zh-Hant"],
}
EXAMPLES = "es, es-419, pt-BR, pt-PT, fr, fr-CA, ca-valencia"


class TagError(HandbillError):
    """Not a language tag handbill can use (`--to spanish`, `--to xx`): a usage error, with the closest tags."""

    exit_code = USAGE

    def __init__(self, message: str, suggestions: list[str]):
        hint = "did you mean " + " or ".join(suggestions) if suggestions else f"tags look like {EXAMPLES}"
        super().__init__(message, hint + "; `handbill doctor` lists the languages installed here")
        self.suggestions = suggestions


def primary(tag: str) -> str:
    """'pt-BR' -> 'pt', 'es_419' -> 'es', 'EN' -> 'en': the key every per-language table uses."""
    return (tag or "").replace("_", "-").split("-", 1)[0].strip().lower()


def _known(language: langcodes.Language) -> bool:
    return language.is_valid() and "Unknown" not in language.display_name()


def normalize(text: str) -> str:
    """The canonical form of a tag ('PT_br' -> 'pt-BR', 'spa' -> 'es', 'pb' -> 'pt-BR'); TagError otherwise."""
    raw = (text or "").strip()
    cleaned = ENGINE_CODES.get(raw.lower(), raw.replace("_", "-"))
    try:
        tag = langcodes.standardize_tag(cleaned)
        language = langcodes.Language.get(tag)
    except (ValueError, langcodes.LanguageTagError):
        language = None
    if language is None or not language.language or not _known(language):
        raise TagError(f"{raw!r} is not a language tag handbill knows", suggest(raw))
    return tag


def parse_list(spec: str) -> list[str]:
    """'es, fr,pt-br' -> ['es', 'fr', 'pt-BR'] (order kept, repeats dropped); TagError for any bad one."""
    tags = [normalize(part) for part in (spec or "").split(",") if part.strip()]
    if not tags:
        raise TagError("no target language given", [])
    return list(dict.fromkeys(tags))


def suggest(text: str, limit: int = 4) -> list[str]:
    """The valid tags closest to what was typed: a language name ('spanish' -> es), a near miss of a
    code ('es-XX' -> es, es-419 …, 'fr_ca' -> fr-CA), or nothing."""
    raw = (text or "").strip()
    found: list[str] = []
    try:
        found.append(str(langcodes.find(raw)))  # a language name in English or in the language itself
    except (LookupError, ValueError):
        pass
    base = primary(raw)
    try:
        if base and _known(langcodes.Language.get(base)):
            found.append(langcodes.standardize_tag(base))
    except (ValueError, langcodes.LanguageTagError):
        pass
    for tag in list(found):
        found.extend(VARIANTS.get(primary(tag), []))
    if not found:
        known = sorted({*VARIANTS, *(v for vs in VARIANTS.values() for v in vs)})
        found = difflib.get_close_matches(raw.lower(), [k.lower() for k in known], n=limit, cutoff=0.5)
        found = [next(k for k in known if k.lower() == f) for f in found]
    return [f"{t} ({name(t)})" for t in dict.fromkeys(found)][:limit]


@functools.lru_cache(maxsize=256)  # QA names the languages in every flag's message: a long leaflet has millions
def name(tag: str, locale: str = "en") -> str:
    """'pt-BR' -> 'Portuguese (Brazil)', 'es' -> 'Spanish': English names for messages and metadata, or the
    names in another language for the web pages ('es' in Spanish: 'español')."""
    try:
        return langcodes.Language.get(tag).display_name(locale)
    except (ValueError, langcodes.LanguageTagError):
        return tag


@functools.lru_cache(maxsize=256)
def language_name(tag: str) -> str:
    """'pt-BR' -> 'Portuguese': the language alone ("machine translation via Spanish")."""
    try:
        return langcodes.Language.get(tag).language_name()
    except (ValueError, langcodes.LanguageTagError):
        return tag


def distance(a: str, b: str) -> int:
    """CLDR's distance between two tags (0 the same, 5 another region, larger for other languages)."""
    try:
        return langcodes.tag_distance(a, b)
    except (ValueError, langcodes.LanguageTagError):
        return 1000


def best_match(requested: str, offered: Iterable[str]) -> str | None:
    """Which of the offered tags (an engine's targets) serves `requested`: the same tag; else the closest
    variant of the same language by CLDR's distance ('pt' -> 'pt-BR' before 'pt-PT', 'es-MX' -> 'es');
    None when the language itself is not offered."""
    offered = list(dict.fromkeys(offered))
    want = requested.lower()
    for tag in offered:
        if tag.lower() == want:
            return tag
    same = [t for t in offered if primary(t) == primary(requested)]
    if not same:
        return None
    return min(same, key=lambda t: (distance(requested, t), "-" in t, t))
