"""Translation memory: approved segments reused exactly on every later run, similar ones offered to reviewers.

One contract, two backends (one module each): SQLite in a file (the embedded default, <out>/memory.sqlite)
and PostgreSQL for a group sharing one memory (`memory = "postgresql://…"`). Both keep every approval in a
history table (origin, time, who): two translators approving the same source at the same moment keep both
versions, and the newest is the one reused. Fuzzy matches are found through an index (FTS5 trigrams,
a PostgreSQL GIN index of words) and scored with the same similarity everywhere, `similarity` below.
"""

from __future__ import annotations

from pathlib import Path

from .base import THRESHOLD, Unit, key, score, similarity, who

URL_SCHEMES = ("postgresql://", "postgres://")


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

__all__ = [
    "THRESHOLD",
    "Memory",
    "Unit",
    "describe",
    "exists",
    "is_url",
    "key",
    "open_memory",
    "score",
    "similarity",
    "who",
]
