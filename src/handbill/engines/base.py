"""The engine contract: lists of strings in, lists of translations out, for one language pair.

Engines know nothing of segments, glossaries or files; the pipeline does the rest.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import NamedTuple

from ..errors import EngineFailure, UnsupportedPair
from ..store import clean_text


class Translation(NamedTuple):
    text: str
    unknown: tuple[str, ...] = ()  # words the engine did not know (Apertium's `*` marks)
    model: str = ""  # model or mode that produced it, for provenance


class Engine(ABC):
    name: str = ""
    install_hint: str = ""

    @abstractmethod
    def available(self) -> bool:
        """True when the engine's software is installed at all."""

    @abstractmethod
    def version(self) -> str: ...

    @abstractmethod
    def pairs(self) -> set[tuple[str, str]]:
        """Installed (source, target) pairs as ISO 639-1 codes."""

    def direct_pairs(self) -> set[tuple[str, str]]:
        """Pairs one model translates; the chooser builds chains from these (an engine's own pivots aside)."""
        return self.pairs()

    def check(self, src: str, tgt: str) -> None:
        """Raise UnsupportedPair (exit 5) naming what to install, unless the pair works."""
        if (src, tgt) not in self.pairs():
            raise UnsupportedPair(
                f"{self.name} cannot translate {src}->{tgt}",
                self.install_hint.format(src=src, tgt=tgt) or None,
            )

    @abstractmethod
    def translate(self, texts: list[str], src: str, tgt: str) -> list[Translation]:
        """Translate every text; the result has the same length and order."""


def checked(texts: list[str], results, name: str) -> tuple[list[Translation], set[int]]:
    """An engine's results as the pipeline may use them: exactly one per text, holding only text every output
    format can carry. Returns them with the indexes of texts that have words but came back empty, so an empty
    translation is never accepted silently; when nothing at all came back, the engine failed (exit 6)."""
    results = list(results) if results is not None else []
    if len(results) != len(texts) or not all(isinstance(getattr(r, "text", None), str) for r in results):
        raise EngineFailure(
            f"{name} returned {len(results)} translations for {len(texts)} texts",
            "re-run with --verbose to see the engine's own messages, or try another --engine",
        )
    empty = {i for i, (text, result) in enumerate(zip(texts, results)) if text.strip() and not result.text.strip()}
    if empty and len(empty) == sum(1 for t in texts if t.strip()):
        raise EngineFailure(
            f"{name} returned no text at all for {len(empty)} segment(s)",
            "check that the engine works on its own, or try another --engine",
        )
    return [r._replace(text=clean_text(r.text)) for r in results], empty
