"""Vietnamese: typical length against English."""

from . import Language

LANGUAGE = Language(code="vi", typical_length=1.21)
