"""Fuzzy lookups in the translation memory at 1,000 / 10,000 / 100,000 entries: SQLite (FTS5 trigram index)
and PostgreSQL (GIN index of each entry's words) against the linear difflib scan handbill used before.

    .venv/bin/python benchmarks/bench_fuzzy.py [--sizes 1000,10000,100000] [--queries 200]
        [--corpus fragments,manpages] [--no-postgres]

Issue 20: "fuzzy lookup at 1,000 / 10,000 / 100,000 memory entries, SQLite and PostgreSQL: p50/p95 per segment
(target p95 <= 20 ms at 100,000) and the growth curve; today's linear difflib scan as the baseline".
Two sets of entries:
- fragments: English sentences made of two or three fragments (3-8 words) of the UDHR, the Contributor
  Covenant and the sample leaflet (../shared), some with a number -- about 1,000 distinct words, so every word
  is in thousands of entries at 100,000 and entries share whole fragments: a harder case than a real memory.
- manpages: real English sentences, each once, from the manual pages installed on this machine
  (/usr/share/man/man1-8; about 110,000 sentences and 60,000 distinct words here) -- varied prose with names,
  options and numbers, closer to a real memory; the set depends on the packages installed (the count is shown).
Queries: half a stored sentence with one word replaced (a near match exists), half a sentence not stored
(usually nothing >= 0.75). Per lookup: wall time, and CPU time for SQLite (in-process, the figure a busy machine
disturbs least); for PostgreSQL the server's execution time of the lookup's queries (EXPLAIN ANALYZE) plus the
client's CPU. The baseline is the old code: every entry of the pair scored with difflib behind its quick_ratio
bounds (fewer queries at 100,000: it takes seconds each). "agree" counts lookups whose best score is the
baseline's (the index finds candidates; a miss is a similar entry it did not offer).
PostgreSQL runs from Debian's package in a temporary folder, as the tests start it. No timing is asserted.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import gzip
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

from handbill.memory import Unit, key, open_memory  # noqa: E402

TEXTS = [
    SHARED / "corpus" / "udhr" / "en.txt",
    SHARED / "corpus" / "contributor-covenant-2.1" / "en.txt",
    SHARED / "samples" / "speak-out-now-2026-02-02.txt",
]


class Corpus:
    def __init__(self, seed: int) -> None:
        self.words = re.findall(r"[\w'’-]+", " ".join(p.read_text(encoding="utf-8") for p in TEXTS))
        self.rng = random.Random(seed)

    def sentence(self) -> str:
        parts: list[str] = []
        for _ in range(self.rng.randint(2, 3)):
            n = self.rng.randint(3, 8)
            i = self.rng.randrange(len(self.words) - n)
            parts += self.words[i : i + n]
        if self.rng.random() < 0.3:
            parts.insert(self.rng.randrange(len(parts)), str(self.rng.randint(1, 9999)))
        return " ".join(parts).capitalize() + "."

    def near(self, sentence: str) -> str:
        """The sentence with one word replaced by another of the corpus."""
        words = sentence.split()
        words[self.rng.randrange(len(words))] = self.rng.choice(self.words)
        return " ".join(words)

    def entries(self, count: int) -> list[str]:
        seen: dict[str, None] = {}
        while len(seen) < count:
            seen.setdefault(self.sentence())
        return list(seen)

    def queries(self, entries: list[str], count: int) -> list[str]:
        return [self.near(self.rng.choice(entries)) if i % 2 else self.sentence() for i in range(count)]


MAN = Path("/usr/share/man")
ROFF = re.compile(r"\\f[BIRP]|\\f\(..|\\&|\\\(..|\\e|\\-")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
MARKUP = re.compile(r"[{}\[\]=<>_|\\/@#$*]|\.\.\.")


@functools.cache
def man_sentences() -> list[str]:
    """Every distinct English prose sentence of the installed manual pages (roff requests and fonts removed),
    in a fixed order."""
    seen: dict[str, None] = {}
    for page in sorted(MAN.glob("man[1-8]/*.gz")):
        try:
            text = gzip.decompress(page.read_bytes()).decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        prose = "\n".join(
            "" if line.startswith((".", "'")) else ROFF.sub(lambda m: "-" * (m[0] == "\\-"), line)
            for line in text.splitlines()
        )
        for paragraph in re.split(r"\n\s*\n", prose):
            for sentence in SENTENCE_END.split(" ".join(paragraph.split())):
                if (
                    30 <= len(sentence) <= 200
                    and sentence[0].isupper()
                    and sentence[-1] in ".!?"
                    and len(sentence.split()) >= 5
                    and not MARKUP.search(sentence)
                ):
                    seen.setdefault(sentence)
    ordered = list(seen)
    random.Random(20).shuffle(ordered)
    return ordered


class ManPages(Corpus):
    """Real sentences: a memory of `count` of them, queries from the memory (one word replaced) and from the
    sentences left out."""

    def __init__(self, seed: int) -> None:
        self.sentences = man_sentences()
        self.rng = random.Random(seed)
        self.words = [w for s in self.sentences[:2000] for w in s.split()]

    def entries(self, count: int) -> list[str]:
        if count + 1000 > len(self.sentences):
            raise SystemExit(f"only {len(self.sentences)} sentences in the manual pages here: use smaller --sizes")
        return self.sentences[:count]

    def queries(self, entries: list[str], count: int) -> list[str]:
        fresh = self.sentences[-1000:]
        return [self.near(self.rng.choice(entries)) if i % 2 else self.rng.choice(fresh) for i in range(count)]


def linear_scan(rows: list[tuple[str, str]], source: str, limit: int = 3, threshold: float = 0.75):
    """The fuzzy lookup handbill shipped before the index: every entry scored with difflib."""
    query = key(source)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(query)
    scored = []
    for old, target in rows:
        matcher.set_seq1(old)
        if old != query and matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold:
            score = matcher.ratio()
            if score >= threshold:
                scored.append((round(score, 3), old, target))
    return sorted(scored, reverse=True)[:limit]


def timed(lookup, queries: list[str]) -> tuple[list[float], list[float], list]:
    walls, cpus, results = [], [], []
    for query in queries:
        wall, cpu = time.perf_counter(), time.process_time()
        results.append(lookup(query))
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus, results


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def server_time(tm, query: str) -> float:
    """Seconds PostgreSQL spent executing the fuzzy lookup's queries (EXPLAIN ANALYZE), without queueing:
    the one splitting the segment into words, and the one finding candidates."""
    from handbill.memory.postgres import PARSE

    sql, params = tm.candidates(key(query), "en", "es")
    plans = [(f"SELECT tsvector_to_array({PARSE.format('%s')})", (key(query),))] if tm.indexed else []
    plans += [(sql, params)] if params else []
    return (
        sum(
            tm.db.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + text, values).fetchone()[0][0]["Execution Time"]
            for text, values in plans
        )
        / 1000
    )


def best(result: list) -> float | None:
    return result[0][0] if result else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--baseline-queries", type=int, default=40)
    parser.add_argument("--corpus", default="fragments,manpages")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    scratch = Path(tempfile.mkdtemp(prefix="handbill-bench-fuzzy-"))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
    server = None
    if not args.no_postgres:
        from tests.memory.conftest import postgres

        server = postgres(scratch / "pg")
        admin = server.__enter__()
    try:
        for kind, size in [(k, n) for k in args.corpus.split(",") for n in sizes]:
            corpus = {"fragments": Corpus, "manpages": ManPages}[kind](size)
            sentences = corpus.entries(size)
            units = [Unit("en", "es", s, f"[{n}] {s}", True, "bench", "bench", 1.0) for n, s in enumerate(sentences)]
            queries = corpus.queries(sentences, args.queries)
            rows = [(key(s), f"[{n}] {s}") for n, s in enumerate(sentences)]
            few = queries[: args.baseline_queries if size > 10_000 else args.queries]
            extra = f", {len(man_sentences())} sentences in the manual pages" if kind == "manpages" else ""
            print(f"{kind}{extra}", flush=True)
            _, base_cpu, base = timed(lambda q, rows=rows: linear_scan(rows, q), few)
            print(
                f"{size:>7} entries  linear difflib scan: p50 {pct(base_cpu, 0.5):8.1f} ms  p95 "
                f"{pct(base_cpu, 0.95):8.1f} ms CPU ({len(few)} lookups, "
                f"{sum(1 for r in base if r)} with a match)",
                flush=True,
            )
            backends = [("sqlite", str(scratch / f"{kind}{size}.sqlite"))]
            if server is not None:
                import psycopg

                with psycopg.connect(admin, autocommit=True) as db:
                    db.execute(f"CREATE DATABASE bench_{kind}_{size}")
                backends.append(("postgresql", admin.rsplit("/", 1)[0] + f"/bench_{kind}_{size}"))
            for name, location in backends:
                start = time.perf_counter()
                with open_memory(location) as tm:
                    tm.add_units(units)
                load = time.perf_counter() - start
                with open_memory(location, read_only=True) as tm:
                    tm.fuzzy(queries[0], "en", "es")  # the first lookup reads the trigram or word counts
                    walls, cpus, results = timed(lambda q, tm=tm: tm.fuzzy(q, "en", "es"), queries)
                    if name == "postgresql":  # the server's own time (a busy machine makes the wall time wait)
                        cpus = [server_time(tm, q) + c for q, c in zip(queries, cpus)]
                agree = sum(best(r) == best(b) for r, b in zip(results, base))
                what = "CPU" if name == "sqlite" else "server + client CPU"
                speed = statistics.median(base_cpu) / statistics.median(cpus)
                print(
                    f"{size:>7} entries  {name:<10}: {what} p50 {pct(cpus, 0.5):5.1f} ms p95 {pct(cpus, 0.95):5.1f} "
                    f"ms, wall p50 {pct(walls, 0.5):6.1f} ms p95 {pct(walls, 0.95):6.1f} ms; best match agrees with "
                    f"the scan {agree}/{len(base)}; {sum(1 for r in results if r)}/{len(queries)} with a match; "
                    f"loaded in {load:.1f} s; {speed:.0f}x faster than the scan; load average "
                    f"{os.getloadavg()[0]:.1f}",
                    flush=True,
                )
    finally:
        if server is not None:
            server.__exit__(None, None, None)
        shutil.rmtree(scratch, ignore_errors=True)  # the SQLite files: 200 MB at 100,000 entries


if __name__ == "__main__":
    main()
