"""Spans that stay verbatim inside translated text: e-mail addresses, URLs and domains, @handles, phones."""

from __future__ import annotations

import re

EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
URL = r"(?:https?://|www\.)[^\s<>()\"]+[^\s<>()\".,;:!?’”]"
TLDS = "org|com|net|edu|gov|info|io|us|uk|ca|mx|es|fr|pt|br|de|coop|example|app|social|me|ly"
DOMAIN = rf"(?<![\w@.-])(?:[\w-]+\.)+(?:{TLDS})(?:/[^\s<>()\"]*[^\s<>()\".,;:!?’”])?(?![\w@-])"
HANDLE = r"(?:\b[A-Za-z]{2,9}:)?(?<![\w.])@\w[\w.]*\w|(?:\b[A-Za-z]{2,9}:)?(?<![\w.])@\w"
PHONE = r"(?<![\w])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?|\d{2,4}[\s.-])\d{3,4}[\s.-]\d{3,4}(?![\w])"
PATTERN = re.compile("|".join(f"(?:{p})" for p in (EMAIL, URL, DOMAIN, HANDLE, PHONE)), re.UNICODE)


def verbatim_spans(text: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) character spans."""
    spans: list[tuple[int, int]] = []
    for match in PATTERN.finditer(text):
        start, end = match.span()
        if spans and start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans
