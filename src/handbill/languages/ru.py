"""Russian: its Hunspell dictionary and typical length against English."""

from . import Language

LANGUAGE = Language(code="ru", typical_length=1.12, hunspell="ru_RU")
