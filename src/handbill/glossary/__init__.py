"""Glossary of movement terms: load, protect -> translate -> restore -> verify. (being built)"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model import Document, Issue


@dataclass
class Glossary:
    src: str
    tgt: str
    terms: list = field(default_factory=list)


@dataclass
class Protected:
    masked: str
    slots: dict = field(default_factory=dict)


def load_glossary(path: Path | None, src: str, tgt: str) -> Glossary:
    return Glossary(src, tgt)


def protect(text: str, glossary: Glossary, spans: list[tuple[int, int]]) -> Protected:
    return Protected(text)


def restore(output: str, protected: Protected) -> tuple[str, list[Issue]]:
    return output, []


def verify(doc: Document, glossary: Glossary) -> Document:
    return doc
