"""A translation memory a group shares on PostgreSQL (`memory = "postgresql://…"`), through psycopg 3.

Same contract as the SQLite file: approved entries reused exactly, fuzzy matches found through a GIN index of
each entry's words and scored with the memory's one similarity, every approval kept in a history table. Times
come from the server's clock, so approvals from machines whose clocks disagree are still ordered. The tables are
named handbill_* (the database may hold other things) and created on the first write; a run only reads.
A bad URL is exit 4, a server that cannot be reached exit 9, each one line naming the URL without its
password.
"""

from __future__ import annotations

import functools
import re

from ..errors import BadConfig, MissingDependency, OutputError
from .base import Unit, key, score, tally, who

PARSE = "to_tsvector('simple', {})"  # lower-cased words, no stemming or stop words: any language
WORDS = PARSE.format("source")
SCHEMA = [
    """CREATE TABLE IF NOT EXISTS handbill_memory (
        src text NOT NULL, tgt text NOT NULL, source text NOT NULL, target text NOT NULL,
        glossary_version text NOT NULL DEFAULT '', origin text NOT NULL DEFAULT '', who text NOT NULL DEFAULT '',
        approved boolean NOT NULL DEFAULT true, updated timestamptz NOT NULL,
        PRIMARY KEY (src, tgt, source))""",
    # The fuzzy index: each entry's words. ANALYZE counts how many entries hold each word (10,000 words listed).
    # fastupdate off: a new entry goes straight into the index, not into a pending list every lookup reads
    # row by row until a vacuum (17 ms a lookup at 10,000 entries after an import; 0.5 ms without).
    f"CREATE INDEX IF NOT EXISTS handbill_memory_words ON handbill_memory USING gin ({WORDS}) WITH (fastupdate = off)",
    "ALTER INDEX handbill_memory_words ALTER COLUMN 1 SET STATISTICS 1000",
    "CREATE INDEX IF NOT EXISTS handbill_memory_by_source ON handbill_memory (source, tgt)",
    """CREATE TABLE IF NOT EXISTS handbill_history (
        id bigserial PRIMARY KEY, src text NOT NULL, tgt text NOT NULL, source text NOT NULL, target text NOT NULL,
        glossary_version text NOT NULL DEFAULT '', origin text NOT NULL DEFAULT '', who text NOT NULL DEFAULT '',
        approved boolean NOT NULL DEFAULT true, time timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS handbill_history_by_source ON handbill_history (src, tgt, source)",
]
# One statement per unit: its version goes into the history, and into the memory when it is the newest (an
# approved entry is never displaced by a suggestion). Two approvals at once: both versions kept, newest used.
STORE = """
WITH unit AS (
    SELECT %(src)s::text AS src, %(tgt)s::text AS tgt, %(source)s::text AS source, %(target)s::text AS target,
           %(glossary_version)s::text AS glossary_version, %(origin)s::text AS origin, %(who)s::text AS who,
           %(approved)s::boolean AS approved,
           coalesce(to_timestamp(%(created)s::double precision), clock_timestamp()) AS time),
kept AS (
    INSERT INTO handbill_history (src, tgt, source, target, glossary_version, origin, who, approved, time)
    SELECT * FROM unit RETURNING id)
INSERT INTO handbill_memory AS m (src, tgt, source, target, glossary_version, origin, who, approved, updated)
SELECT * FROM unit
ON CONFLICT (src, tgt, source) DO UPDATE SET target = excluded.target, glossary_version = excluded.glossary_version,
    origin = excluded.origin, who = excluded.who, approved = excluded.approved, updated = excluded.updated
WHERE excluded.approved > m.approved OR (excluded.approved = m.approved AND excluded.updated >= m.updated)
"""
LANGS = "(src = %(src)s OR src = %(primary)s OR src LIKE %(variants)s)"
PICKS = 8  # the rarest words of a segment that select candidates: at least two, at most PICKS,
SHARE = 0.02  # more only while the entries holding them add up to at most this share of the memory
MOST = 5000  # candidates scored at most (a segment of only common words)
# Entries holding any of the picked words: a similar entry shares most words of the segment, so it holds at
# least one of them even when one was changed. All are scored in the client (rapidfuzz's bound first).
CANDIDATES = (
    f"SELECT source, target FROM handbill_memory WHERE {WORDS} @@ %(words)s::tsquery AND tgt = %(tgt)s "
    f"AND {LANGS} LIMIT {MOST}"
)
FREQUENCIES = (
    "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
    "WHERE schemaname = current_schema() AND tablename = 'handbill_memory_words'"
)
# A memory made before the word index, opened read-only: candidates through its pg_trgm index, as then.
CANDIDATES_TRGM = 20
TRGM = (
    "SELECT source, target FROM (SELECT source, target, src, tgt FROM handbill_memory WHERE source %% %(query)s "
    f"OFFSET 0) m WHERE tgt = %(tgt)s AND {LANGS} ORDER BY similarity(source, %(query)s) DESC "
    f"LIMIT {CANDIDATES_TRGM}"
)
CONFIG_WORDS = (
    "password authentication failed",
    "does not exist",
    "no password supplied",
    "invalid integer value",
    "invalid connection option",
    "invalid URI",
    "invalid sslmode",
    "role",
    "permission denied",
)


def redact(url: str) -> str:
    """The URL without its password (for messages)."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


def _psycopg():
    try:
        import psycopg
    except ImportError:
        raise MissingDependency(
            "psycopg is not installed (needed for a postgresql:// translation memory)", "pip install 'psycopg[binary]'"
        ) from None
    return psycopg


def _summary(exc: Exception) -> str:
    """psycopg's message in one line: the reason, without the repeated 'connection to server … failed:'."""
    lines = [line.strip() for line in redact(str(exc)).splitlines() if line.strip()]
    first = lines[0] if lines else type(exc).__name__
    return first.rsplit(" failed: ", 1)[-1] if " failed: " in first else first


def _problem(url: str, exc: Exception, connecting: bool = False):
    text = _summary(exc)
    where = f"translation memory {redact(url)}"
    if connecting and any(word in str(exc) for word in CONFIG_WORDS):
        return BadConfig(
            f"{where}: {text}",
            "check the user, password, database and options in the URL (memory setting, --memory or HANDBILL_MEMORY)",
        )
    if connecting:
        return OutputError(
            f"cannot reach {where}: {text}",
            "check that the server is running and the host and port are right, or run with --no-memory",
        )
    return OutputError(f"{where} failed: {text}", "check the server's log, or run with --no-memory")


def _guarded(method):
    """Database failures inside a method become one error line naming the URL (exit 9)."""

    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except self.psycopg.Error as exc:
            raise _problem(self.url, exc) from None

    return guarded


def _langs(src: str, tgt: str) -> dict:
    primary = src.split("-")[0]
    return {"src": src, "primary": primary, "variants": primary + "-%", "tgt": tgt}


class PostgresMemory:
    backend = "postgresql"

    def __init__(self, url: str, read_only: bool = False):
        self.url = self.location = url
        self.psycopg = psycopg = _psycopg()
        try:
            psycopg.conninfo.conninfo_to_dict(url)
        except psycopg.Error as exc:
            raise BadConfig(
                f"translation memory URL {redact(url)} is not valid: {_summary(exc)}",
                "write it as postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE",
            ) from None
        options = {} if "connect_timeout" in url else {"connect_timeout": 10}
        try:
            self.db = psycopg.connect(url, autocommit=True, **options)
        except psycopg.Error as exc:
            raise _problem(url, exc, connecting=True) from None
        try:
            self.empty = not self._exists()
            if not read_only and self.empty:
                self._create()
                self.empty = False
            elif not read_only and not self._indexed():  # made before the word index: its entries stay as they are
                try:
                    self._create()
                except psycopg.errors.InsufficientPrivilege:
                    pass  # only the tables' owner can add the index: the older lookup serves until then
            self.indexed = not self.empty and self._indexed()
            if not self.empty:
                # The planner prices a GIN match like equality and scans small tables row by row, computing
                # every row's words or trigrams (1,000 entries: 35-50 ms); through the index, a few milliseconds.
                self.db.execute("SET enable_seqscan = off")
            if not self.empty and not self.indexed:
                self.db.execute("SET pg_trgm.similarity_threshold = 0.3")
        except psycopg.Error as exc:
            self.db.close()
            raise _problem(url, exc) from None
        except BaseException:
            self.db.close()
            raise
        self._frequencies: dict[str, float] | None = None

    def _exists(self) -> bool:
        row = self.db.execute(
            "SELECT to_regclass('handbill_memory') IS NOT NULL AND to_regclass('handbill_history') IS NOT NULL"
        ).fetchone()
        return bool(row and row[0])

    def _indexed(self) -> bool:
        return self.db.execute("SELECT to_regclass('handbill_memory_words') IS NOT NULL").fetchone()[0]

    def _create(self) -> None:
        """The tables and indexes, once, even when several translators' first writes meet; a memory made
        before the word index gets it, and the word counts at once (a few seconds at 100,000 entries). Its
        pg_trgm index is left for older handbills sharing the database."""
        with self.db.transaction():
            self.db.execute("SELECT pg_advisory_xact_lock(hashtext('handbill_memory schema'))")
            existing = self._exists()
            for statement in SCHEMA:
                self.db.execute(statement)
        if existing:
            self.db.execute("ANALYZE handbill_memory")

    def __enter__(self) -> PostgresMemory:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @_guarded
    def lookup(self, source: str, src: str, tgt: str) -> str | None:
        if self.empty:
            return None
        row = self.db.execute(
            f"SELECT target FROM handbill_memory WHERE source = %(source)s AND tgt = %(tgt)s AND approved AND {LANGS} "
            "ORDER BY src = %(src)s DESC, updated DESC LIMIT 1",
            {"source": key(source), **_langs(src, tgt)},
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
            [Unit(src, tgt, source, target, True, origin, who() if who_ is None else who_, 0.0, glossary_version)]
        )

    @_guarded
    def add_units(self, units: list[Unit]) -> int:
        """Store units in one transaction (created 0: now, by the server's clock)."""
        rows = [
            {
                "src": u.src,
                "tgt": u.tgt,
                "source": key(u.source),
                "target": u.target,
                "glossary_version": u.glossary_version,
                "origin": u.origin,
                "who": u.who,
                "approved": u.approved,
                "created": u.created or None,
            }
            for u in units
            if key(u.source) and u.target
        ]
        with self.db.transaction(), self.db.cursor() as cursor:
            cursor.executemany(STORE, rows)
        if len(rows) >= 1000:  # a TMX import: fresh word counts, for the fuzzy lookups' choice of words
            self.db.execute("ANALYZE handbill_memory")
        self._frequencies = None
        return len(rows)

    @_guarded
    def fuzzy(
        self, source: str, src: str, tgt: str, limit: int = 3, threshold: float = 0.75
    ) -> list[tuple[float, str, str]]:
        """Similar entries, best first: those holding one of the segment's rarest words, scored exactly here."""
        query = key(source)
        if self.empty or not query:
            return []
        sql, params = self.candidates(query, src, tgt)
        return score(query, self.db.execute(sql, params).fetchall() if params else [], limit, threshold)

    def candidates(self, query: str, src: str, tgt: str) -> tuple[str, dict | None]:
        """The query finding a segment's candidates and its parameters (None: no word to look for)."""
        if not self.indexed:
            return TRGM, {"query": query, **_langs(src, tgt)}
        if self._frequencies is None:  # share of entries holding each common word, from the planner's statistics
            row = self.db.execute(FREQUENCIES).fetchone()
            self._frequencies = dict(zip(row[0], row[1])) if row and row[0] else {}
        share = self._frequencies.get
        words = sorted(
            self.db.execute(f"SELECT tsvector_to_array({PARSE.format('%s')})", (query,)).fetchone()[0],
            key=lambda w: (share(w, 0.0), w),
        )
        picked: list[str] = []
        total = 0.0
        for word in words[:PICKS]:  # a word the statistics do not list is rare
            if len(picked) >= 2 and total + share(word, 0.0) > SHARE:
                break
            picked.append(word)
            total += share(word, 0.0)
        if not picked:
            return CANDIDATES, None
        tsquery = " | ".join("'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in picked)
        return CANDIDATES, {"words": tsquery, **_langs(src, tgt)}

    @_guarded
    def scan(
        self, source: str, src: str, tgt: str, limit: int = 3, threshold: float = 0.75
    ) -> list[tuple[float, str, str]]:
        """Every entry of the pair scored (the benchmark's baseline)."""
        if self.empty:
            return []
        rows = self.db.execute(
            f"SELECT source, target FROM handbill_memory WHERE tgt = %(tgt)s AND {LANGS}", _langs(src, tgt)
        ).fetchall()
        return score(key(source), rows, limit, threshold)

    def _units(self, sql: str, params: dict) -> list[Unit]:
        return [
            Unit(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]) for r in self.db.execute(sql, params).fetchall()
        ]

    @_guarded
    def units(self, src: str | None = None, tgt: str | None = None) -> list[Unit]:
        if self.empty:
            return []
        return self._units(
            "SELECT src, tgt, source, target, approved, origin, who, extract(epoch FROM updated)::float8, "
            "glossary_version FROM handbill_memory WHERE (%(src)s::text IS NULL OR src = %(src)s) AND "
            "(%(tgt)s::text IS NULL OR tgt = %(tgt)s) ORDER BY src, tgt, source",
            {"src": src, "tgt": tgt},
        )

    @_guarded
    def versions(self, source: str, src: str, tgt: str) -> list[Unit]:
        if self.empty:
            return []
        return self._units(
            "SELECT src, tgt, source, target, approved, origin, who, extract(epoch FROM time)::float8, "
            "glossary_version FROM handbill_history WHERE src = %(src)s AND tgt = %(tgt)s AND source = %(source)s "
            "ORDER BY time DESC, id DESC",
            {"src": src, "tgt": tgt, "source": key(source)},
        )

    @_guarded
    def stats(self) -> list[dict]:
        if self.empty:
            return []
        return tally(
            self.db.execute(
                "SELECT src, tgt, count(*) FILTER (WHERE approved), "
                "count(*) FILTER (WHERE NOT approved) FROM handbill_memory GROUP BY 1, 2"
            ),
            self.db.execute("SELECT src, tgt, count(*) FROM handbill_history GROUP BY 1, 2"),
        )

    @_guarded
    def __len__(self) -> int:
        if self.empty:
            return 0
        return self.db.execute("SELECT count(*) FROM handbill_memory").fetchone()[0]

    def close(self) -> None:
        self.db.close()
