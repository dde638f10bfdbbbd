"""English: dates "March 5, 2026" (also "5th of March", "Sept. 1"), read "March fifth, twenty twenty-six"."""

from . import Dates, Language

# A table, kept compact for the people who review a language (ruff format would put one value a line).
# fmt: off
LANGUAGE = Language(
    code="en",
    dates=Dates(
        months=("january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december"),
        # "Mar." and "Sept." are how English leaflets shorten months; May has no short form to confuse.
        short_months={"jan": 0, "feb": 1, "mar": 2, "apr": 3, "jun": 5, "jul": 6, "aug": 7, "sep": 8, "sept": 8,
                      "oct": 9, "nov": 10, "dec": 11},
        capitalised=True,  # "walk march 5 blocks" is not a date, "March 5" and "MARCH 5" are
        patterns=(r"{lead}{month}\s+{day}(?:st|nd|rd|th)?(?!\w)(?:,?\s+{year}(?!\w))?",
                  r"{lead}{day}(?:st|nd|rd|th)?\s+(?:of\s+)?{month}(?!\w)(?:,?\s+{year}(?!\w))?"),
        written="{Month} {day}", year=", {year}",
        # "on March 5": the engine, seeing only "on ⟦1⟧", would pick "encima" ("on top of"); the date brings
        # the target's own word for "on".
        lead=r"[Oo]n\s+", article="on", takes_article=False,
        day_said_as="ordinal", year_said_as="year",
    ),
    words={"at": "at", "dot": "dot", "slash": "slash", "and": "and", "percent": "percent", "dollars": "dollars",
           "dollar": "dollar", "cents": "cents", "point": "point", "pm": "P M", "am": "A M", "oclock": "o'clock"},
    acronyms={"ICE": "ice", "DACA": "dacka"},
    ordinal_suffixes="st|nd|rd|th",
    voice="en-us",
    repeats_ok=frozenset({"had", "that"}),
    hunspell="en_US",
    notice={"reviewed": "Translated with handbill — translation reviewed.",
            "reviewed_by": "Translated with handbill — translation reviewed by {who}.",
            "pending": "Translated with handbill — machine translation: {n} of {total} segments not yet reviewed.",
            "flagged": "Translated with handbill — {n} of {total} segments still flagged for review."},
    contents="Contents",
)
