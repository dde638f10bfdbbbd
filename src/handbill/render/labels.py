"""What handbill itself says on every output, in the reader's language: the review notice (machine draft,
how much is still unreviewed, or reviewed by whom; its words are in languages/<code>.py), language names
(from CLDR through langcodes), the title, and which languages run right to left. PDF, Word, audio and
EPUB take these words from here, so they never disagree."""

from __future__ import annotations

import langcodes

from .. import languages
from ..langtags import primary
from ..model import Document


def contents_word(lang: str) -> str:
    """ "Contents", for the EPUB's table of contents; English where we have no word."""
    return languages.get(lang).contents or languages.get("en").contents


def is_rtl(lang: str) -> bool:
    """Written right to left: from the language's script (Arabic, Hebrew …), see languages/."""
    return languages.get(lang).rtl


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
    notice = languages.get(lang).notice or languages.get("en").notice
    reviewed, reviewed_by, pending, flagged = (notice[key] for key in languages.NOTICE_KEYS)
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
