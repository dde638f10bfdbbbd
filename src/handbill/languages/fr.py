"""French: dates "1er mars 2026" (read "premier mars"), sentence-case headlines, article agreement."""

from . import Dates, Language

# A table, kept compact for the people who review a language (ruff format would put one value a line).
# fmt: off
LANGUAGE = Language(
    code="fr",
    dates=Dates(
        months=("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                "novembre", "décembre"),
        patterns=(r"(?:1er|{day})\s+{month}(?!\w)(?:\s+{year}(?!\w))?",),
        written="{day} {month}", year=" {year}", first_day="1er",
        article="le", first_day_said="premier",
    ),
    words={"at": "arobase", "dot": "point", "slash": "barre oblique", "and": "et", "percent": "pour cent",
           "dollars": "dollars", "dollar": "dollar", "cents": "cents", "point": "virgule",
           "pm": "de l'après-midi", "am": "du matin", "oclock": "heures"},
    acronyms={"ICE": "aïce"},
    voice="fr-fr",  # fr-CA reads with it too
    sentence_case=True,
    articles={"f": {"le": "la", "un": "une", "du": "de la", "au": "à la"},
              "m": {"la": "le", "une": "un"},
              "fp": {"le": "les", "la": "les", "du": "des", "au": "aux"},
              "mp": {"le": "les", "la": "les", "du": "des", "au": "aux"}},
    typical_length=1.12,
    repeats_ok=frozenset({"nous", "vous"}),
    hunspell="fr",
    notice={"reviewed": "Traduit avec handbill — traduction relue.",
            "reviewed_by": "Traduit avec handbill — traduction relue par {who}.",
            "pending": "Traduit avec handbill — traduction automatique : {n} segments sur {total} pas encore relus.",
            "flagged": "Traduit avec handbill — {n} segments sur {total} encore signalés pour relecture."},
    contents="Sommaire",
)
