"""Translation memory: approved segments in SQLite, reused on every later run.

One transaction per write and WAL journaling: a crash mid-write leaves the previous, consistent state.
"""

from __future__ import annotations

import difflib
import sqlite3
import time
from pathlib import Path

from .errors import OutputError

SCHEMA = """
CREATE TABLE IF NOT EXISTS memory (
    src TEXT NOT NULL, tgt TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,
    glossary_version TEXT NOT NULL DEFAULT '', origin TEXT NOT NULL DEFAULT '', updated REAL NOT NULL,
    PRIMARY KEY (src, tgt, source)
)
"""


def _key(text: str) -> str:
    return " ".join(text.split())


class Memory:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise OutputError(f"translation memory {self.path} is unusable ({exc})",
                              "move it aside; handbill will start a new one") from None
        except OSError as exc:
            raise OutputError(f"cannot open translation memory {self.path}: {exc.strerror or exc}") from None
        self._cache: dict[tuple[str, str], list[tuple[str, str]]] = {}

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def lookup(self, source: str, src: str, tgt: str) -> str | None:
        row = self.db.execute("SELECT target FROM memory WHERE src=? AND tgt=? AND source=?",
                              (src, tgt, _key(source))).fetchone()
        return row[0] if row else None

    def add(self, source: str, target: str, src: str, tgt: str, glossary_version: str = "",
            origin: str = "review") -> None:
        with self.db:  # one transaction
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                "INSERT INTO memory VALUES (?,?,?,?,?,?,?) ON CONFLICT(src, tgt, source) DO UPDATE SET "
                "target=excluded.target, glossary_version=excluded.glossary_version, origin=excluded.origin, "
                "updated=excluded.updated",
                (src, tgt, _key(source), target, glossary_version, origin, time.time()))
        self._cache.pop((src, tgt), None)

    def fuzzy(self, source: str, src: str, tgt: str, limit: int = 3,
              threshold: float = 0.75) -> list[tuple[float, str, str]]:
        """Similar approved segments, best first, for a reviewer to reuse by hand."""
        rows = self._cache.get((src, tgt))
        if rows is None:
            rows = self.db.execute("SELECT source, target FROM memory WHERE src=? AND tgt=?", (src, tgt)).fetchall()
            self._cache[(src, tgt)] = rows
        key = _key(source)
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(key)
        scored = []
        for old, target in rows:
            matcher.set_seq1(old)
            if old != key and matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold:
                score = matcher.ratio()
                if score >= threshold:
                    scored.append((round(score, 3), old, target))
        return sorted(scored, reverse=True)[:limit]

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM memory").fetchone()[0]

    def close(self) -> None:
        self.db.close()
