"""Haitian Creole: its eSpeak NG voice and typical length against English."""

from . import Language

LANGUAGE = Language(code="ht", voice="ht", typical_length=1.21)
