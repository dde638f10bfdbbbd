"""Spanish: dates "5 de marzo de 2026" with their article ("el 5 de marzo"), ¡ ¿, sentence-case headlines,
Latin American voice and article agreement after glossary post-edits."""

from . import Dates, Language

# A table, kept compact for the people who review a language (ruff format would put one value a line).
# fmt: off
LANGUAGE = Language(
    code="es",
    dates=Dates(
        months=("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
                "noviembre", "diciembre"),
        patterns=(r"{lead}{day}\s+de\s+{month}(?!\w)(?:\s+del?\s+{year}(?!\w))?",
                  r"{month}\s+{day}(?!\w)(?:,?\s+{year}(?!\w))?"),  # "febrero 2, 2026"
        written="{day} de {month}", year=" de {year}",
        # Spanish puts an article before a date ("hasta el 30 de abril", "del 3 de marzo"); English does not,
        # and an engine that sees "hasta el ⟦1⟧" writes "until the April 30". Going into English the article
        # goes with the date: after a preposition it is dropped, elsewhere it becomes "on" ("El 1 de mayo
        # marchamos": "On May 1"); "del" keeps its "de" for the engine ("a partir de" -> "from").
        lead=r"(?:[Ee]l|[Dd]el)\s+", article="el", contractions={"del": "de"},
        prepositions=frozenset({"a", "ante", "bajo", "con", "contra", "de", "desde", "durante", "en", "entre",
                                "hacia", "hasta", "mediante", "para", "por", "según", "sin", "sobre", "tras",
                                "antes", "después", "partir"}),
        first_day_said="primero",
    ),
    words={"at": "arroba", "dot": "punto", "slash": "barra", "and": "y", "percent": "por ciento",
           "dollars": "dólares", "dollar": "dólar", "cents": "centavos", "point": "coma", "pm": "de la tarde",
           "am": "de la mañana", "oclock": "en punto"},
    acronyms={"ICE": "ais", "DACA": "daca"},
    # Latin American Spanish by default: most readers of these leaflets in the U.S. speak it. Override with
    # --voice es=es or `voices = {es = "es"}` in handbill.toml.
    voice="es-419", variant_voices={"es-es": "es"},
    sentence_case=True, opening_marks=True,
    articles={"f": {"el": "la", "un": "una", "del": "de la", "al": "a la", "los": "las", "unos": "unas"},
              "m": {"la": "el", "una": "un", "las": "los", "unas": "unos"},
              "fp": {"el": "las", "la": "las", "los": "las", "un": "unas", "una": "unas", "unos": "unas",
                     "del": "de las", "al": "a las"},
              "mp": {"el": "los", "la": "los", "las": "los", "un": "unos", "una": "unos", "unas": "unos",
                     "del": "de los", "al": "a los"}},
    typical_length=1.14,
    hunspell="es_ES",
    notice={"reviewed": "Traducido con handbill — traducción revisada.",
            "reviewed_by": "Traducido con handbill — traducción revisada por {who}.",
            "pending": "Traducido con handbill — traducción automática: {n} de {total} segmentos aún sin revisar.",
            "flagged": "Traducido con handbill — {n} de {total} segmentos aún marcados para revisión."},
    contents="Índice",
)
