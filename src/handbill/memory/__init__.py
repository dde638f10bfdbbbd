"""Translation memory: approved segments reused exactly on every later run, similar ones offered to reviewers.

One contract, two backends (one module each): SQLite in a file (the embedded default, <out>/memory.sqlite)
and PostgreSQL for a group sharing one memory (`memory = "postgresql://…"`). Both keep every approval in a
history table (origin, time, who): two translators approving the same source at the same moment keep both
versions, and the newest is the one reused. Fuzzy matches are found through an index (FTS5 trigrams,
pg_trgm) and scored with the same similarity everywhere, `similarity` below.
"""

from __future__ import annotations

import difflib
import getpass
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path

TIMEOUT = 10.0  # seconds to wait for another writer (a concurrent review import) before giving up
THRESHOLD = 0.75  # the lowest similarity offered as a fuzzy match
URL_SCHEMES = ("postgresql://", "postgres://")


def key(text: str) -> str:
    """The form a source is stored and looked up in: whitespace runs as one space."""
    return " ".join(text.split())


def similarity(a: str, b: str) -> float:
    """The one similarity of the memory (difflib's ratio), whatever index found the candidates."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def score(query: str, candidates, limit: int = 3, threshold: float = THRESHOLD) -> list[tuple[float, str, str]]:
    """(score, source, target) of the candidates at least `threshold` similar to `query`, best first.

    difflib's ratio counts characters in matching blocks, which form a common subsequence: it is never above
    2·LCS/(len a + len b), which rapidfuzz computes in C++. Candidates are ranked by that bound and difflib runs
    best bound first, stopping once no bound left can beat the `limit`-th score: the answer scoring every
    candidate with difflib gives, at a fraction of its cost."""
    from rapidfuzz.distance import Indel

    bounded = []
    for old, target in candidates:
        if old != query:
            bound = Indel.normalized_similarity(old, query, score_cutoff=threshold)
            if bound >= threshold:
                bounded.append((bound, old, target))
    bounded.sort(key=lambda b: -b[0])
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(query)
    scored: list[tuple[float, str, str]] = []
    for bound, old, target in bounded:
        if len(scored) >= limit and round(bound, 3) < scored[limit - 1][0]:
            break
        matcher.set_seq1(old)
        value = round(matcher.ratio(), 3)
        if value >= threshold:
            scored.append((value, old, target))
            scored.sort(reverse=True)
    return scored[:limit]


def who() -> str:
    """Who approved: HANDBILL_TRANSLATOR if set, else user@host (recorded in the history, shown in TMX)."""
    name = os.environ.get("HANDBILL_TRANSLATOR", "").strip()
    if name:
        return name
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    return f"{user}@{socket.gethostname()}"


@dataclass
class Unit:
    """One memory entry as exchanged with CAT tools (TMX): the newest version of one source."""

    src: str
    tgt: str
    source: str
    target: str
    approved: bool = True
    origin: str = ""
    who: str = ""
    created: float = 0.0  # seconds since the epoch
    glossary_version: str = ""
    props: dict = field(default_factory=dict)


def is_url(location: str | Path | None) -> bool:
    return isinstance(location, str) and location.strip().lower().startswith(URL_SCHEMES)


def describe(location: str | Path) -> str:
    """The location for messages: a URL without its password."""
    if not is_url(location):
        return str(location)
    from .postgres import redact

    return redact(str(location))


def open_memory(location: str | Path, read_only: bool = False):
    """The memory at `location`: a PostgreSQL URL or a SQLite file. Read-only for a run, which only looks up."""
    if is_url(location):
        from .postgres import PostgresMemory

        return PostgresMemory(str(location).strip(), read_only=read_only)
    from .sqlite import SQLiteMemory

    return SQLiteMemory(Path(location), read_only=read_only)


def exists(location: str | Path) -> bool:
    """Whether there can be anything to reuse: a server always may; a file only once it exists."""
    return is_url(location) or Path(location).exists()


from .sqlite import SQLiteMemory as Memory  # noqa: E402 — the embedded default, as older callers name it

__all__ = ["Memory", "Unit", "describe", "exists", "is_url", "key", "open_memory", "score", "similarity", "who"]
