"""Catalan: dates "5 de març de 2026", "1 d'abril" (de elides before a vowel), read "l'u d'abril";
speech words and the eSpeak NG voice (ca-valencia reads with it too); sentence-case headlines; labels."""

from . import Dates, Language

# A table, kept compact for the people who review a language (ruff format would put one value a line).
# fmt: off
LANGUAGE = Language(
    code="ca",
    dates=Dates(
        months=("gener", "febrer", "març", "abril", "maig", "juny", "juliol", "agost", "setembre", "octubre",
                "novembre", "desembre"),
        patterns=(r"{lead}{day}\s+(?:de\s+|d['’]){month}(?!\w)(?:\s+de\s+{year}(?!\w))?",),
        written="{day} de {month}", year=" de {year}",
        # "de" before a vowel, "el" before 1 and 11 (read "u", "onze"): l'1 d'abril, l'11 d'octubre.
        elisions=((r"\bde (?=[aeiouàèéíòóú])", "d'"), (r"\bel (?=11?\b)", "l'"), (r"\bEl (?=11?\b)", "L'")),
        # Like Spanish, an article goes before a date ("el 5 de març", "l'1 d'abril", "fins al 30 d'abril", "des
        # del 3 de maig"); going into English it is dropped after a preposition and becomes "on" elsewhere.
        lead=r"(?:[Ee]l|[Dd]el|[Aa]l)\s+|[Ll]['’]", article="el", contractions={"del": "de", "al": "a"},
        prepositions=frozenset({"a", "amb", "cap", "contra", "de", "des", "durant", "en", "entre", "fins",
                                "per", "segons", "sense", "sobre", "abans", "després", "partir"}),
        first_day_said="u",  # "l'u de maig"
    ),
    words={"at": "arrova", "dot": "punt", "slash": "barra", "and": "i", "percent": "per cent",
           "dollars": "dòlars", "dollar": "dòlar", "cents": "cèntims", "point": "coma", "pm": "de la tarda",
           "am": "del matí", "oclock": "en punt"},
    acronyms={"ICE": "ais", "DACA": "daca"},
    voice="ca",
    sentence_case=True,
    hunspell="ca",
    notice={"reviewed": "Traduït amb handbill — traducció revisada.",
            "reviewed_by": "Traduït amb handbill — traducció revisada per {who}.",
            "pending": "Traduït amb handbill — traducció automàtica: {n} de {total} segments encara sense revisar.",
            "flagged": "Traduït amb handbill — {n} de {total} segments encara marcats per revisar."},
    contents="Índex",
)
