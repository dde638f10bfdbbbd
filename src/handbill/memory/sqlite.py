"""The embedded translation memory: one SQLite file, fuzzy matches found through an FTS5 trigram index.

One transaction per write and WAL journaling: a crash mid-write leaves the previous, consistent state.
A run only reads the memory (opened read-only, so a memory on a read-only disk still serves); review import
and `memory import` write it. A damaged, foreign, locked or unwritable database is one error line (exit 9)
naming the file, and handbill never writes into a database that is not its own. A memory made by an older
handbill is upgraded on its first write (its entries become the first versions in the history); read-only,
it is read as it is, with the linear scan it was made for.
"""

from __future__ import annotations

import contextlib
import functools
import math
import sqlite3
import time
from pathlib import Path

from ..errors import OutputError
from .base import Unit, key, score, tally, who

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS memory (
        src TEXT NOT NULL, tgt TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,
        glossary_version TEXT NOT NULL DEFAULT '', origin TEXT NOT NULL DEFAULT '', updated REAL NOT NULL,
        who TEXT NOT NULL DEFAULT '', approved INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (src, tgt, source))""",
    "CREATE INDEX IF NOT EXISTS memory_by_source ON memory (source, tgt)",
    # Every version ever stored: what two translators approving at once both wrote, nothing overwritten.
    """CREATE TABLE IF NOT EXISTS history (
        id INTEGER PRIMARY KEY, src TEXT NOT NULL, tgt TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,
        glossary_version TEXT NOT NULL DEFAULT '', origin TEXT NOT NULL DEFAULT '', who TEXT NOT NULL DEFAULT '',
        approved INTEGER NOT NULL DEFAULT 1, time REAL NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS history_by_source ON history (src, tgt, source)",
]
# The fuzzy index: trigrams of every source, kept in step with the memory table by triggers.
FTS = [
    "CREATE VIRTUAL TABLE memory_fts USING fts5(source, content='memory', content_rowid='rowid', tokenize='trigram')",
    "CREATE TRIGGER memory_fts_add AFTER INSERT ON memory BEGIN "
    "INSERT INTO memory_fts(rowid, source) VALUES (new.rowid, new.source); END",
    "CREATE TRIGGER memory_fts_del AFTER DELETE ON memory BEGIN "
    "INSERT INTO memory_fts(memory_fts, rowid, source) VALUES ('delete', old.rowid, old.source); END",
    "CREATE TRIGGER memory_fts_upd AFTER UPDATE OF source ON memory BEGIN "
    "INSERT INTO memory_fts(memory_fts, rowid, source) VALUES ('delete', old.rowid, old.source); "
    "INSERT INTO memory_fts(rowid, source) VALUES (new.rowid, new.source); END",
    "INSERT INTO memory_fts(memory_fts) VALUES ('rebuild')",
]
COLUMNS = {"src", "tgt", "source", "target", "glossary_version", "origin", "updated"}
ADDED = {"who": "TEXT NOT NULL DEFAULT ''", "approved": "INTEGER NOT NULL DEFAULT 1"}
# Newer wins, and an approved version is never displaced by a suggestion (an unapproved TMX unit).
UPSERT = (
    "INSERT INTO memory (src, tgt, source, target, glossary_version, origin, updated, who, approved) "
    "VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(src, tgt, source) DO UPDATE SET target=excluded.target, "
    "glossary_version=excluded.glossary_version, origin=excluded.origin, updated=excluded.updated, who=excluded.who, "
    "approved=excluded.approved WHERE excluded.approved > memory.approved OR "
    "(excluded.approved = memory.approved AND excluded.updated >= memory.updated)"
)
CANDIDATES = 50  # trigram-ranked candidates scored per fuzzy lookup (100,000 fragments: 20 matched 55 of 100, 50: 58)
RARE = 8  # trigrams of a query that select candidates (common ones would select every row)
COMMON = 0.04  # a trigram in more entries than this share selects too many to rank
ASIDE = "move it aside (handbill starts a new one), or run with --no-memory"


TIMEOUT = 10.0  # seconds to wait for another writer (a concurrent review import) before giving up


def _timeout() -> float:
    return TIMEOUT  # read when used: tests shorten it


def _switch_to_wal(db: sqlite3.Connection) -> None:
    """PRAGMA journal_mode=WAL, waiting its turn. Two processes creating the same memory at once both hold a
    shared lock and both need an exclusive one; SQLite then answers one of them "database is locked" at once,
    without its busy timeout (waiting could deadlock), so the wait is here."""
    deadline = time.monotonic() + _timeout()
    pause = 0.005
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def _problem(path: Path, exc: sqlite3.Error | OSError) -> OutputError:
    """What went wrong with the database file, in the user's terms."""
    text = str(exc) if isinstance(exc, sqlite3.Error) else (exc.strerror or str(exc))
    if "locked" in text or "busy" in text:
        return OutputError(
            f"translation memory {path} is locked by another program", "wait for it to finish, or run with --no-memory"
        )
    if "readonly" in text or "read-only" in text.lower() or "ermission" in text:
        return OutputError(
            f"cannot write translation memory {path} ({text})",
            "check its permissions, or give another file with --memory",
        )
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


def _sources(src: str) -> tuple[str, str, str]:
    """A source language and its variants: a memory made from en-US text serves an English leaflet."""
    primary = src.split("-")[0]
    return src, primary, primary + "-%"


def _selective(text: str, df: dict[str, int], entries: int, most: int = RARE) -> list[str]:
    """The trigrams that select candidates: the rarest trigram of each word, rarest words first, up to `most`
    (a changed word then holds at most one, so its rare letters cannot crowd out the words a similar entry
    shares), leaving out trigrams in more than COMMON of the entries (they select a crowd and rank nothing)
    unless that leaves fewer than three. Trigrams no entry holds are left out."""
    picks = []
    for word in set(text.lower().split()):
        grams = {word[i : i + 3] for i in range(len(word) - 2)} & df.keys()
        if grams:
            picks.append(min(grams, key=df.__getitem__))
    picks = sorted(set(picks), key=df.__getitem__)[:most]
    selective = [g for g in picks if df[g] <= COMMON * entries]
    return selective if len(selective) >= 3 else picks[:3]


def _phrase(gram: str) -> str:
    """An FTS5 query matching one trigram (quoted, so nothing in it is FTS syntax)."""
    return '"' + gram.replace('"', '""') + '"'


def _ranked(grams: list[str], df: dict[str, int], entries: int) -> tuple[str, list]:
    """The rowids of the CANDIDATES entries sharing the most of the trigrams, each weighted by its rarity, and
    the parameters. FTS5's own rank (bm25) reads every matching row's length from another table: 14-44 ms at
    100,000 entries, where counting each trigram's posting list in one GROUP BY takes 4-8 ms."""
    each = " UNION ALL ".join(["SELECT rowid, ? AS weight FROM memory_fts WHERE memory_fts MATCH ?"] * len(grams))
    params = [v for g in grams for v in (math.log((entries + 1) / df[g]), _phrase(g))]
    return f"SELECT rowid FROM ({each}) GROUP BY rowid ORDER BY sum(weight) DESC LIMIT {CANDIDATES}", params


class SQLiteMemory:
    backend = "sqlite"

    def __init__(self, path: Path | str, read_only: bool = False):
        self.path = Path(path)
        self.location = str(self.path)
        try:
            self.db = self._connect(read_only)
            self.empty = not self._check_own()  # read-only and no table yet: nothing to reuse
            if not read_only:
                self._upgrade()
                self.empty = False
            self._inspect()
        except BaseException as exc:
            with contextlib.suppress(AttributeError, sqlite3.Error):
                self.db.close()
            if isinstance(exc, (sqlite3.Error, OSError)):
                raise _problem(self.path, exc) from None
            raise
        self._cache: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self._df: dict[str, int] | None = None
        self._entries = 0

    def _connect(self, read_only: bool) -> sqlite3.Connection:
        if read_only and not self.path.exists():  # nothing to reuse yet, and a run never creates the file
            return sqlite3.connect(":memory:", isolation_level=None)
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=_timeout(), isolation_level=None)
            try:
                _switch_to_wal(db)
                db.execute("PRAGMA synchronous=NORMAL")
            except sqlite3.Error:
                db.close()
                raise
            return db
        # Read-only; a WAL database in a folder we cannot write needs `immutable` (nothing else writes it).
        error: sqlite3.Error | None = None
        for flags in ("mode=ro", "immutable=1"):
            db = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?{flags}", uri=True, timeout=_timeout(), isolation_level=None
            )
            try:
                db.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return db
            except sqlite3.Error as exc:
                db.close()
                error = exc
                if "locked" in str(exc) or "not a database" in str(exc):
                    break
        assert error is not None
        raise error

    def _tables(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}

    def _check_own(self) -> bool:
        """Whether the memory table is there; refuse a database handbill did not make (never write into,
        or trust, someone else's tables)."""
        tables = self._tables()
        if "memory" in tables:
            columns = {r[1] for r in self.db.execute("PRAGMA table_info(memory)")}
            if COLUMNS <= columns:
                return True
        elif not tables:
            return False
        raise OutputError(
            f"{self.path} is not a handbill translation memory (it holds {', '.join(sorted(tables))})",
            "give handbill its own file with --memory or HANDBILL_MEMORY, or run with --no-memory",
        )

    def _upgrade(self) -> None:
        """Create the tables, or bring a memory made by an older handbill up to date, in one transaction."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            tables = self._tables()
            new_history = "history" not in tables
            if "memory" in tables:
                columns = {r[1] for r in self.db.execute("PRAGMA table_info(memory)")}
                for name, kind in ADDED.items():
                    if name not in columns:
                        self.db.execute(f"ALTER TABLE memory ADD COLUMN {name} {kind}")
            for statement in SCHEMA:
                self.db.execute(statement)
            if new_history:  # an older memory's entries are the first versions of its history
                self.db.execute(
                    "INSERT INTO history (src, tgt, source, target, glossary_version, origin, who, "
                    "approved, time) SELECT src, tgt, source, target, glossary_version, origin, who, "
                    "approved, updated FROM memory"
                )
            if "memory_fts" not in tables:
                for statement in FTS:
                    self.db.execute(statement)

    def _inspect(self) -> None:
        """What this database has (an older memory opened read-only lacks the newer columns and index)."""
        columns = {r[1] for r in self.db.execute("PRAGMA table_info(memory)")}
        self._approved = "approved=1" if "approved" in columns else "1"
        self._who = "who" if "who" in columns else "''"
        self._fts = "memory_fts" in self._tables()
        if self._fts:  # how many entries hold each trigram (the temp schema: works on a read-only file too)
            self.db.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.memory_vocab USING fts5vocab(main, memory_fts, row)"
            )
        self._history = "history" in self._tables()

    def __enter__(self) -> SQLiteMemory:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @_guarded
    def lookup(self, source: str, src: str, tgt: str) -> str | None:
        """The approved translation of exactly this source (whitespace aside), newest; same language first."""
        if self.empty:
            return None
        exact, primary, variants = _sources(src)
        row = self.db.execute(
            f"SELECT target FROM memory WHERE source=? AND tgt=? AND {self._approved} AND "
            "(src=? OR src=? OR src LIKE ?) ORDER BY src=? DESC, updated DESC LIMIT 1",
            (key(source), tgt, exact, primary, variants, exact),
        ).fetchone()
        return row[0] if row else None

    def add(
        self,
        source: str,
        target: str,
        src: str,
        tgt: str,
        glossary_version: str = "",
        origin: str = "review",
        who_: str | None = None,
    ) -> None:
        self.add_units(
            [
                Unit(
                    src,
                    tgt,
                    source,
                    target,
                    True,
                    origin,
                    who() if who_ is None else who_,
                    time.time(),
                    glossary_version,
                )
            ]
        )

    @_guarded
    def add_units(self, units: list[Unit]) -> int:
        """Store units in one transaction: each becomes a version in the history, and the memory's entry
        for its source when it is the newest (an approved one is never replaced by a suggestion)."""
        rows = [
            (
                u.src,
                u.tgt,
                key(u.source),
                u.target,
                u.glossary_version,
                u.origin,
                u.created or time.time(),
                u.who,
                int(u.approved),
            )
            for u in units
            if key(u.source) and u.target
        ]
        with self.db:  # one transaction
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany(UPSERT, rows)
            self.db.executemany(
                "INSERT INTO history (src, tgt, source, target, glossary_version, origin, time, who, "
                "approved) VALUES (?,?,?,?,?,?,?,?,?)",
                rows,
            )
        self._cache.clear()
        self._df = None
        return len(rows)

    @_guarded
    def fuzzy(
        self, source: str, src: str, tgt: str, limit: int = 3, threshold: float = 0.75
    ) -> list[tuple[float, str, str]]:
        """Similar entries, best first, for a reviewer to reuse by hand: the trigram index ranks candidates
        sharing the most rare trigrams, which are then scored exactly."""
        query = key(source)
        if self.empty or not query:
            return []
        if not self._fts:  # an older memory opened read-only: the linear scan it was made for
            return score(query, self._all(src, tgt), limit, threshold)
        if self._df is None:  # entries per trigram, read once per connection (tens of thousands of numbers)
            self._df = dict(self.db.execute("SELECT term, doc FROM temp.memory_vocab"))
            self._entries = self.db.execute("SELECT count(*) FROM memory").fetchone()[0]
        rare = _selective(query, self._df, self._entries)
        if not rare:  # no entry shares a single trigram
            return []
        ranked, params = _ranked(rare, self._df, self._entries)
        exact, primary, variants = _sources(src)
        rows = self.db.execute(
            f"SELECT m.source, m.target FROM memory m JOIN ({ranked}) f ON m.rowid = f.rowid WHERE m.tgt=? AND "
            "(m.src=? OR m.src=? OR m.src LIKE ?)",
            (*params, tgt, exact, primary, variants),
        ).fetchall()
        return score(query, rows, limit, threshold)

    def _all(self, src: str, tgt: str) -> list[tuple[str, str]]:
        rows = self._cache.get((src, tgt))
        if rows is None:
            exact, primary, variants = _sources(src)
            rows = self.db.execute(
                "SELECT source, target FROM memory WHERE tgt=? AND (src=? OR src=? OR src LIKE ?)",
                (tgt, exact, primary, variants),
            ).fetchall()
            self._cache[(src, tgt)] = rows
        return rows

    def scan(
        self, source: str, src: str, tgt: str, limit: int = 3, threshold: float = 0.75
    ) -> list[tuple[float, str, str]]:
        """The linear scan fuzzy lookups used before the index (the benchmark's baseline)."""
        return [] if self.empty else score(key(source), self._all(src, tgt), limit, threshold)

    @_guarded
    def units(self, src: str | None = None, tgt: str | None = None) -> list[Unit]:
        """Every entry (the newest version of each source), for export."""
        if self.empty:
            return []
        rows = self.db.execute(
            f"SELECT src, tgt, source, target, {self._approved}, origin, {self._who}, updated, "
            "glossary_version FROM memory WHERE (? IS NULL OR src=?) AND (? IS NULL OR tgt=?) "
            "ORDER BY src, tgt, source",
            (src, src, tgt, tgt),
        ).fetchall()
        return [Unit(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], r[7], r[8]) for r in rows]

    @_guarded
    def versions(self, source: str, src: str, tgt: str) -> list[Unit]:
        """Every version stored for one source, newest first."""
        if self.empty or not self._history:
            return []
        rows = self.db.execute(
            "SELECT src, tgt, source, target, approved, origin, who, time, glossary_version "
            "FROM history WHERE src=? AND tgt=? AND source=? ORDER BY time DESC, id DESC",
            (src, tgt, key(source)),
        ).fetchall()
        return [Unit(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], r[7], r[8]) for r in rows]

    @_guarded
    def stats(self) -> list[dict]:
        """Per language pair: entries approved, entries only suggested, versions in the history."""
        if self.empty:
            return []
        entries = self.db.execute(
            f"SELECT src, tgt, SUM({self._approved}), SUM(NOT ({self._approved})) FROM memory GROUP BY src, tgt"
        )
        versions = self.db.execute("SELECT src, tgt, COUNT(*) FROM history GROUP BY src, tgt") if self._history else []
        return tally(entries, versions)

    @_guarded
    def __len__(self) -> int:
        if self.empty:
            return 0
        return self.db.execute("SELECT COUNT(*) FROM memory").fetchone()[0]

    def close(self) -> None:
        self.db.close()
