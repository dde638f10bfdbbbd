"""What every memory backend shares: the entry exchanged with CAT tools, the stored form of a source, and the
one similarity fuzzy matches are scored with."""

from __future__ import annotations

import difflib
import getpass
import os
import socket
from dataclasses import dataclass, field

THRESHOLD = 0.75  # the lowest similarity offered as a fuzzy match


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


def tally(entries, versions) -> list[dict]:
    """`stats()` of a backend, from its (src, tgt, approved, suggested) and (src, tgt, versions) counts: one row per
    language pair, sorted."""
    counts = {
        (r[0], r[1]): {"src": r[0], "tgt": r[1], "approved": r[2], "suggested": r[3], "versions": 0} for r in entries
    }
    for src, tgt, n in versions:
        counts.setdefault((src, tgt), {"src": src, "tgt": tgt, "approved": 0, "suggested": 0})["versions"] = n
    return [counts[k] for k in sorted(counts)]


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
