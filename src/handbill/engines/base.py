"""The engine contract: lists of strings in, lists of translations out, for one language pair.

Engines know nothing of segments, glossaries or files; the pipeline does the rest.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import NamedTuple

from ..errors import UnsupportedPair


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
