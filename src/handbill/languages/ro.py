"""Romanian: sentence-case headlines and its Hunspell dictionary."""

from . import Language

LANGUAGE = Language(code="ro", sentence_case=True, hunspell="ro_RO")
