"""German: the Hunspell dictionary and handbill's own labels."""

from . import Language

# A table, kept compact for the people who review a language (ruff format would put one value a line).
# fmt: off
LANGUAGE = Language(
    code="de",
    hunspell="de_DE",
    notice={"reviewed": "Übersetzt mit handbill — Übersetzung geprüft.",
            "reviewed_by": "Übersetzt mit handbill — Übersetzung geprüft von {who}.",
            "pending": "Übersetzt mit handbill — maschinelle Übersetzung: {n} von {total} Abschnitten noch nicht "
                       "geprüft.",
            "flagged": "Übersetzt mit handbill — {n} von {total} Abschnitten noch zur Prüfung markiert."},
    contents="Inhalt",
)
