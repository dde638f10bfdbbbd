"""Italian: sentence-case headlines, the Hunspell dictionary and handbill's own labels."""

from . import Language

LANGUAGE = Language(
    code="it",
    sentence_case=True,
    hunspell="it_IT",
    notice={"reviewed": "Tradotto con handbill — traduzione rivista.",
            "reviewed_by": "Tradotto con handbill — traduzione rivista da {who}.",
            "pending": "Tradotto con handbill — traduzione automatica: {n} segmenti su {total} non ancora rivisti.",
            "flagged": "Tradotto con handbill — {n} segmenti su {total} ancora segnalati per la revisione."},
    contents="Indice",
)
