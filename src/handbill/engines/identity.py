"""An engine that returns its input: dry runs, layout previews, and tests of everything around engines."""

from __future__ import annotations

from .base import Engine, Translation


class IdentityEngine(Engine):
    name = "identity"

    def available(self) -> bool:
        return True

    def version(self) -> str:
        return "1"

    def pairs(self) -> set[tuple[str, str]]:
        return set()

    def check(self, src: str, tgt: str) -> None:
        return None

    def translate(self, texts: list[str], src: str, tgt: str) -> list[Translation]:
        return [Translation(t, (), "identity") for t in texts]
