"""Portuguese (Brazilian by default): dates "3 de junho de 2026", numbers and voice pt-BR."""

from . import Dates, Language

# A table, kept compact for the people who review a language (ruff format would put one value a line).
# fmt: off
LANGUAGE = Language(
    code="pt",
    dates=Dates(
        months=("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro",
                "outubro", "novembro", "dezembro"),
        patterns=(r"{day}\s+de\s+{month}(?!\w)(?:\s+del?\s+{year}(?!\w))?",
                  r"{month}\s+{day}(?!\w)(?:,?\s+{year}(?!\w))?"),
        written="{day} de {month}", year=" de {year}",
        article="em", first_day_said="primeiro",
    ),
    words={"at": "arroba", "dot": "ponto", "slash": "barra", "and": "e", "percent": "por cento",
           "dollars": "dólares", "dollar": "dólar", "cents": "centavos", "point": "vírgula", "pm": "da tarde",
           "am": "da manhã", "oclock": "em ponto"},
    acronyms={"ICE": "aice"},
    num2words="pt_BR",
    # Brazilian Portuguese by default (most readers in the U.S.); pt-PT reads with eSpeak NG's "pt".
    voice="pt-br", variant_voices={"pt-pt": "pt"},
    sentence_case=True,
    articles={"f": {"o": "a", "um": "uma", "do": "da", "no": "na", "ao": "à", "os": "as", "dos": "das",
                    "nos": "nas"},
              "m": {"a": "o", "uma": "um", "da": "do", "na": "no", "as": "os", "das": "dos", "nas": "nos"},
              "fp": {"o": "as", "a": "as", "os": "as", "do": "das", "da": "das", "no": "nas", "na": "nas"},
              "mp": {"o": "os", "a": "os", "as": "os", "do": "dos", "da": "dos", "no": "nos", "na": "nos"}},
    typical_length=1.07,
    hunspell="pt_BR",
    notice={"reviewed": "Traduzido com handbill — tradução revisada.",
            "reviewed_by": "Traduzido com handbill — tradução revisada por {who}.",
            "pending": "Traduzido com handbill — tradução automática: {n} de {total} segmentos ainda não revisados.",
            "flagged": "Traduzido com handbill — {n} de {total} segmentos ainda marcados para revisão."},
    contents="Sumário",
)
