"""What handbill itself says on every output, in the reader's language: the review notice (machine draft,
how much is still unreviewed, or reviewed by whom), language names, the title, and which languages run
right to left. PDF, Word, audio and EPUB all take these words from here, so they never disagree."""

from __future__ import annotations

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
# Each language's name in itself (column labels, table of contents); unknown codes print as the code.
LANG_NAMES = {
    "en": "English", "es": "Español", "fr": "Français", "pt": "Português", "ca": "Català", "it": "Italiano",
    "de": "Deutsch", "nl": "Nederlands", "ru": "Русский", "uk": "Українська", "pl": "Polski",
    "vi": "Tiếng Việt", "tl": "Tagalog", "ht": "Kreyòl ayisyen", "so": "Soomaali", "sw": "Kiswahili",
    "zh": "中文", "ja": "日本語", "ko": "한국어", "ar": "العربية", "fa": "فارسی", "ur": "اردو",
    "he": "עברית", "hi": "हिन्दी", "ne": "नेपाली", "mr": "मराठी",
}


def is_rtl(lang: str) -> bool:
    return primary(lang) in RTL_LANGS


def lang_name(tag: str) -> str:
    return LANG_NAMES.get(primary(tag), tag.upper() or "?")


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
