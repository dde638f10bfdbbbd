"""The interface's own text in English and Spanish: gettext catalogs (locale/<lang>.po) read with polib,
the language chosen from a cookie set by the switch, else the browser's Accept-Language."""

from __future__ import annotations

from functools import cache
from pathlib import Path

LANGUAGES = {"en": "English", "es": "Español"}
LOCALE = Path(__file__).parent / "locale"


@cache
def catalog(lang: str) -> dict[str, str]:
    path = LOCALE / f"{lang}.po"
    if not path.exists():
        return {}
    import polib

    return {
        e.msgid: e.msgstr for e in polib.pofile(str(path)) if e.msgstr and not e.obsolete and "fuzzy" not in e.flags
    }


def translator(lang: str):
    table = catalog(lang)

    def gettext(text: str, **values) -> str:
        out = table.get(text, text)
        return out.format(**values) if values else out

    return gettext


def choose(cookie: str | None, accept_language: str | None) -> str:
    """The switch's choice, else the first language in Accept-Language (by q) the interface has, else English."""
    if cookie in LANGUAGES:
        return cookie
    ranked = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        ranked.append((-q, index, tag.strip().lower().split("-")[0]))
    for _, _, tag in sorted(ranked):
        if tag in LANGUAGES:
            return tag
    return "en"
