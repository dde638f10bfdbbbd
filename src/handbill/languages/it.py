"""Italian: dates "5 marzo 2026", "1º maggio" read "primo maggio", with their article ("il 5 marzo",
"l'8 marzo"); speech words and the eSpeak NG voice; sentence-case headlines; labels."""

from . import Dates, Language

# A table, kept compact for the people who review a language (ruff format would put one value a line).
# fmt: off
LANGUAGE = Language(
    code="it",
    dates=Dates(
        months=("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
                "ottobre", "novembre", "dicembre"),
        patterns=(r"{lead}(?:1º|1°|{day})\s+{month}(?!\w)(?:\s+{year}(?!\w))?",),
        written="{day} {month}", year=" {year}", first_day="1º",
        # "il" elides before 8 and 11 (read "otto", "undici"): l'8 marzo, l'11 aprile.
        elisions=((r"\bil (?=(?:8|11)\b)", "l'"), (r"\bIl (?=(?:8|11)\b)", "L'")),
        # The article goes before a date ("il 5 marzo", "entro il 30 aprile", "dal 3 maggio"); going into
        # English it is dropped after a preposition and becomes "on" elsewhere.
        lead=r"(?:[Ii]l|[Dd]al|[Aa]l)\s+|[Ll]['’]", article="il", contractions={"dal": "da", "al": "a"},
        prepositions=frozenset({"a", "da", "di", "in", "con", "su", "per", "tra", "fra", "entro", "fino",
                                "prima", "dopo", "partire"}),
        first_day_said="primo",
    ),
    words={"at": "chiocciola", "dot": "punto", "slash": "barra", "and": "e", "percent": "per cento",
           "dollars": "dollari", "dollar": "dollaro", "cents": "centesimi", "point": "virgola",
           "pm": "del pomeriggio", "am": "del mattino", "oclock": "in punto"},
    acronyms={"ICE": "ais", "DACA": "daca"},
    voice="it",
    sentence_case=True,
    hunspell="it_IT",
    notice={"reviewed": "Tradotto con handbill — traduzione rivista.",
            "reviewed_by": "Tradotto con handbill — traduzione rivista da {who}.",
            "pending": "Tradotto con handbill — traduzione automatica: {n} segmenti su {total} non ancora rivisti.",
            "flagged": "Tradotto con handbill — {n} segmenti su {total} ancora segnalati per la revisione."},
    contents="Indice",
)
