"""Catalan: sentence-case headlines and handbill's own labels."""

from . import Language

LANGUAGE = Language(
    code="ca",
    sentence_case=True,
    hunspell="ca",
    notice={"reviewed": "Traduït amb handbill — traducció revisada.",
            "reviewed_by": "Traduït amb handbill — traducció revisada per {who}.",
            "pending": "Traduït amb handbill — traducció automàtica: {n} de {total} segments encara sense revisar.",
            "flagged": "Traduït amb handbill — {n} de {total} segments encara marcats per revisar."},
    contents="Índex",
)
