"""Translation memory (SQLite): approved segments are reused on every later run. (being built)"""

from __future__ import annotations

from pathlib import Path


class Memory:
    def __init__(self, path: Path | str):
        self.path = Path(path)

    def lookup(self, source: str, src: str, tgt: str) -> str | None:
        return None

    def close(self) -> None:
        return None
