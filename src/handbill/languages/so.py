"""Somali: typical length against English (eSpeak NG has no Somali voice)."""

from . import Language

LANGUAGE = Language(code="so", typical_length=1.11)
