"""Arabic (right to left, from its script): typical length against English."""

from . import Language

LANGUAGE = Language(code="ar", typical_length=0.71)
