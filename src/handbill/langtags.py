"""Language tags: handbill accepts BCP 47 tags (es, es-419, pt-BR, ca-valencia); per-language tables
(glossaries, dates, voices, orthography) are keyed by the primary language subtag."""

from __future__ import annotations


def primary(tag: str) -> str:
    """'pt-BR' -> 'pt', 'es_419' -> 'es', 'EN' -> 'en': the key every per-language table uses."""
    return (tag or "").replace("_", "-").split("-", 1)[0].strip().lower()
