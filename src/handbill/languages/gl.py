"""Galician: sentence-case headlines and its Hunspell dictionary."""

from . import Language

LANGUAGE = Language(code="gl", sentence_case=True, hunspell="gl_ES")
