"""Chinese: Mandarin voice; about a quarter of English's characters."""

from . import Language

LANGUAGE = Language(code="zh", voice="cmn", typical_length=0.26)
