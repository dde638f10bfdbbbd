"""Splitting into segments with stable ids, and language detection. (being built)"""

from __future__ import annotations

from ..model import Document


def split(doc: Document) -> Document:
    raise NotImplementedError


def detect(doc: Document, declared: str | None) -> Document:
    raise NotImplementedError


def verbatim_spans(text: str) -> list[tuple[int, int]]:
    return []
