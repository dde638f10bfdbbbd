"""Translation memory: approved segments in SQLite, reused on every later run.

One transaction per write and WAL journaling: a crash mid-write leaves the previous, consistent state.
A run only reads the memory (opened read-only, so a memory on a read-only disk still serves); only review
import writes it. A damaged, foreign, locked or unwritable database is one error line (exit 9) naming the
file, and handbill never writes into a database that is not its own.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
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
COLUMNS = {"src", "tgt", "source", "target", "glossary_version", "origin", "updated"}
TIMEOUT = 10.0  # seconds to wait for another writer (a concurrent review import) before giving up
ASIDE = "move it aside (handbill starts a new one), or run with --no-memory"


def _key(text: str) -> str:
    return " ".join(text.split())


def _problem(path: Path, exc: sqlite3.Error | OSError) -> OutputError:
    """What went wrong with the database file, in the user's terms."""
    text = str(exc) if isinstance(exc, sqlite3.Error) else (exc.strerror or str(exc))
    if "locked" in text or "busy" in text:
        return OutputError(f"translation memory {path} is locked by another program",
                           "wait for it to finish, or run with --no-memory")
    if "readonly" in text or "read-only" in text.lower() or "ermission" in text:
        return OutputError(f"cannot write translation memory {path} ({text})",
                           "check its permissions, or give another file with --memory")
    return OutputError(f"translation memory {path} is damaged or not a database ({text})", ASIDE)


def _guarded(method):
    """Database failures inside a method become one error line naming the file (exit 9)."""

    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.Error, OSError) as exc:
            raise _problem(self.path, exc) from None

    return guarded


class Memory:
    def __init__(self, path: Path | str, read_only: bool = False):
        self.path = Path(path)
        try:
            self.db = self._connect(read_only)
            self.empty = not self._check_own()  # read-only and no table yet: nothing to reuse
            if not read_only:
                self.db.execute(SCHEMA)
                self.empty = False
        except BaseException as exc:
            with contextlib.suppress(AttributeError, sqlite3.Error):
                self.db.close()
            if isinstance(exc, (sqlite3.Error, OSError)):
                raise _problem(self.path, exc) from None
            raise
        self._cache: dict[tuple[str, str], list[tuple[str, str]]] = {}

    def _connect(self, read_only: bool) -> sqlite3.Connection:
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=TIMEOUT, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            return db
        # Read-only; a WAL database in a folder we cannot write needs `immutable` (nothing else writes it).
        error: sqlite3.Error | None = None
        for flags in ("mode=ro", "immutable=1"):
            db = sqlite3.connect(f"{self.path.resolve().as_uri()}?{flags}", uri=True, timeout=TIMEOUT,
                                 isolation_level=None)
            try:
                db.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return db
            except sqlite3.Error as exc:
                db.close()
                error = exc
                if "locked" in str(exc) or "not a database" in str(exc):
                    break
        raise error

    def _check_own(self) -> bool:
        """Whether the memory table is there; refuse a database handbill did not make (never write into,
        or trust, someone else's tables)."""
        tables = sorted(r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'"))
        if "memory" in tables:
            columns = {r[1] for r in self.db.execute("PRAGMA table_info(memory)")}
            if COLUMNS <= columns:
                return True
        elif not tables:
            return False
        raise OutputError(f"{self.path} is not a handbill translation memory (it holds {', '.join(tables)})",
                          "give handbill its own file with --memory or HANDBILL_MEMORY, or run with --no-memory")

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @_guarded
    def lookup(self, source: str, src: str, tgt: str) -> str | None:
        if self.empty:
            return None
        row = self.db.execute("SELECT target FROM memory WHERE src=? AND tgt=? AND source=?",
                              (src, tgt, _key(source))).fetchone()
        return row[0] if row else None

    @_guarded
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

    @_guarded
    def fuzzy(self, source: str, src: str, tgt: str, limit: int = 3,
              threshold: float = 0.75) -> list[tuple[float, str, str]]:
        """Similar approved segments, best first, for a reviewer to reuse by hand."""
        rows = [] if self.empty else self._cache.get((src, tgt))
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

    @_guarded
    def __len__(self) -> int:
        if self.empty:
            return 0
        return self.db.execute("SELECT COUNT(*) FROM memory").fetchone()[0]

    def close(self) -> None:
        self.db.close()
