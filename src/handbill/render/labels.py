"""What handbill itself says on every output, in the reader's language: the review notice (machine draft,
how much is still unreviewed, or reviewed by whom), language names (from CLDR through langcodes), the
title, and which languages run right to left. PDF, Word, audio and EPUB take these words from here, so
they never disagree."""

from __future__ import annotations

import langcodes

from ..langtags import primary
from ..model import Document

RTL_LANGS = frozenset({"ar", "fa", "he", "ur", "yi", "ps"})

# reviewed, reviewed by {who}, machine draft with {n} of {total} unreviewed, reviewed but {n} still flagged.
NOTICE = {
    "en": ("Translated with handbill — translation reviewed.",
           "Translated with handbill — translation reviewed by {who}.",
           "Translated with handbill — machine translation: {n} of {total} segments not yet reviewed.",
           "Translated with handbill — {n} of {total} segments still flagged for review."),
    "es": ("Traducido con handbill — traducción revisada.",
           "Traducido con handbill — traducción revisada por {who}.",
           "Traducido con handbill — traducción automática: {n} de {total} segmentos aún sin revisar.",
           "Traducido con handbill — {n} de {total} segmentos aún marcados para revisión."),
    "fr": ("Traduit avec handbill — traduction relue.",
           "Traduit avec handbill — traduction relue par {who}.",
           "Traduit avec handbill — traduction automatique : {n} segments sur {total} pas encore relus.",
           "Traduit avec handbill — {n} segments sur {total} encore signalés pour relecture."),
    "pt": ("Traduzido com handbill — tradução revisada.",
           "Traduzido com handbill — tradução revisada por {who}.",
           "Traduzido com handbill — tradução automática: {n} de {total} segmentos ainda não revisados.",
           "Traduzido com handbill — {n} de {total} segmentos ainda marcados para revisão."),
    "ca": ("Traduït amb handbill — traducció revisada.",
           "Traduït amb handbill — traducció revisada per {who}.",
           "Traduït amb handbill — traducció automàtica: {n} de {total} segments encara sense revisar.",
           "Traduït amb handbill — {n} de {total} segments encara marcats per revisar."),
    "it": ("Tradotto con handbill — traduzione rivista.",
           "Tradotto con handbill — traduzione rivista da {who}.",
           "Tradotto con handbill — traduzione automatica: {n} segmenti su {total} non ancora rivisti.",
           "Tradotto con handbill — {n} segmenti su {total} ancora segnalati per la revisione."),
    "de": ("Übersetzt mit handbill — Übersetzung geprüft.",
           "Übersetzt mit handbill — Übersetzung geprüft von {who}.",
           "Übersetzt mit handbill — maschinelle Übersetzung: {n} von {total} Abschnitten noch nicht geprüft.",
           "Übersetzt mit handbill — {n} von {total} Abschnitten noch zur Prüfung markiert."),
}
# "Contents", for the EPUB's table of contents; English where we have no word.
CONTENTS = {"en": "Contents", "es": "Índice", "fr": "Sommaire", "pt": "Sumário", "ca": "Índex", "it": "Indice",
            "de": "Inhalt"}


def contents_word(lang: str) -> str:
    return CONTENTS.get(primary(lang), CONTENTS["en"])


def is_rtl(lang: str) -> bool:
    return primary(lang) in RTL_LANGS


def lang_name(tag: str) -> str:
    """The language's name in itself, for column labels and tables of contents ('es-419' -> 'Español')."""
    try:
        language = langcodes.Language.get(tag)
        name = language.language_name(language=tag) if language.is_valid() else ""
    except (ValueError, LookupError, langcodes.LanguageTagError):
        name = ""
    if not name or "Unknown" in name:
        return tag.upper() or "?"
    return name[:1].upper() + name[1:]


def alpha3(tag: str) -> str:
    """ISO 639-2 code for ID3's TLAN ('es-419' -> 'spa'); 'und' when there is none."""
    try:
        return langcodes.Language.get(tag).to_alpha3()
    except (ValueError, LookupError, langcodes.LanguageTagError):
        return "und"


def review_notice(doc: Document, lang: str, reviewer: str = "") -> str:
    """The sentence every output carries about review, from Document.review_state()/review_counts() only:
    "reviewed" (by whom) when every translated segment is, else how many are not (English where we have
    no words for `lang`)."""
    reviewed, reviewed_by, pending, flagged = NOTICE.get(primary(lang), NOTICE["en"])
    counts = doc.review_counts()
    if doc.review_state() == "reviewed":
        if not reviewer.strip():
            return reviewed
        who = reviewer.strip()
        text = reviewed_by.format(who=who)
        return text[:-1] if who.endswith((".", "!", "?")) and text.endswith(".") else text  # "María R." once
    if counts["flagged"] and not counts["unreviewed"]:
        return flagged.format(n=counts["flagged"], total=counts["translated"])
    return pending.format(n=counts["unreviewed"], total=counts["translated"])


def text_in(doc: Document, seg, lang: str) -> str:
    """What a segment says in `lang`: the source for the source language and for verbatim segments."""
    if primary(lang) == primary(doc.source_lang) or not seg.translate:
        return seg.source
    return seg.target or seg.source


def title_in(doc: Document, lang: str) -> str:
    """The document's title in `lang`: the translation of the segment the title was taken from."""
    title = doc.title or doc.source_name
    for seg in doc.segments:
        if " ".join(seg.source.split()) == " ".join(title.split()):
            return text_in(doc, seg, lang)
    return title
