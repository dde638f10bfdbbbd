"""Memory and time of big leaflets: peak resident memory of a real `handbill run` against Python doing the least
the same job needs (reading and decoding the file; for an accepted leaflet, also holding its paragraphs).

    .venv/bin/python benchmarks/bench_big_leaflet.py [--long | --tiny MB] [--prose MB]

Issue 15: "A 45 MB leaflet of tiny paragraphs runs in under 1 GB of memory" and "the 50 MB limit must hold in
bounded memory" (13.9 MB of tiny paragraphs took 5 GB before). Cases, each a fresh process measured with wait4,
all to document.json alone (identity engine, --format none):
  - 100,000 tiny paragraphs, the most one Document holds;
  - MB (--tiny, default 5; --long: 45) of tiny paragraphs (.txt, 45 MB: 3.2 million) and of one-word list items
    (.md), run in parts of 100,000 segments, and the paragraphs again in the same folder, which first reads what
    carry-over needs of the document.json the first run wrote: 45 MB takes some 12 CPU minutes a run;
  - with --prose MB (--long: 45) also MB of ordinary paragraphs (45 MB: 84,000 of them), then the same run again
    in the same folder (a re-run after review does): 45 MB takes some 4 CPU minutes a run.
The time column is wall-clock (give the load average with it); CPU is user + system time of the child.
No timing or memory is asserted here; tests/reliability/test_big_leaflets.py holds the bounds.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
HANDBILL = [sys.executable, "-m", "handbill"]
ENV = {**os.environ, "PYTHONPATH": str(HERE.parent / "src")}
WORDS = (
    "tenant union rent strike meeting landlord repair heating winter building neighbours library thursday "
    "children welcome"
).split()


def measure(argv: list[str]) -> tuple[int, float, float, float]:
    """(exit code, seconds, CPU seconds, peak resident MB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    return proc.returncode, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def raw(path: Path, paragraphs: bool) -> tuple[int, float, float, float]:
    """Python alone: read and decode the file (and split and keep its paragraphs, or lines for a list)."""
    code = f"t = open({str(path)!r}, 'rb').read().decode('utf-8')"
    if paragraphs:
        code += "; p = [b.strip() for b in (t.split('\\n\\n') if '\\n\\n' in t else t.splitlines()) if b.strip()]"
    return measure([sys.executable, "-c", code])


def write(path: Path, megabytes: float, line) -> int:
    count = 0
    with open(path, "w", encoding="utf-8") as fh:
        while fh.tell() < megabytes * 1024 * 1024:
            fh.write(line(count))
            count += 1
    return count


def row(name: str, path: Path, out: Path, paragraphs: bool) -> None:
    code, seconds, cpu, peak = measure(
        [
            *HANDBILL,
            "run",
            str(path),
            "--to",
            "es",
            "--from",
            "en",
            "--engine",
            "identity",
            "--format",
            "none",
            "--no-memory",
            "--out",
            str(out),
            "-q",
        ]
    )
    raw_peak = raw(path, paragraphs)[3]
    size = path.stat().st_size / 1024 / 1024
    load = open("/proc/loadavg").read().split()[0] if os.path.exists("/proc/loadavg") else "?"
    print(
        f"| {name} ({size:.1f} MB) | exit {code} | {seconds:.1f} s ({cpu:.0f} s CPU) | {peak:.0f} MB "
        f"| {raw_peak:.0f} MB | {peak / raw_peak:.1f}x | {load} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--long", action="store_true", help="45 MB of each (about an hour of CPU)")
    parser.add_argument("--tiny", type=float, metavar="MB", help="MB of tiny paragraphs and list items (5)")
    parser.add_argument("--prose", type=float, metavar="MB", help="also MB of ordinary paragraphs")
    args = parser.parse_args()
    prose_mb = args.prose or (45 if args.long else 0)
    tiny_mb = args.tiny or (45 if args.long else 5)
    scratch = Path(tempfile.mkdtemp(prefix="handbill-bench-big-"))
    try:
        print("| leaflet | handbill | time | peak memory | raw Python | ratio | load |\n|---|---|---|---|---|---|---|")
        most = scratch / "most.txt"
        most.write_text("".join(f"Rent {n}.\n\n" for n in range(100_000)), encoding="utf-8")
        row("100,000 tiny paragraphs", most, scratch / "out", True)
        tiny = scratch / "tiny.txt"
        count = write(tiny, tiny_mb, lambda n: f"Rent {n}.\n\n")
        row(f"{count:,} tiny paragraphs, in parts", tiny, scratch / "tiny-out", True)
        row("the same again, over its document.json", tiny, scratch / "tiny-out", True)
        shutil.rmtree(scratch / "tiny-out")
        items = scratch / "items.md"
        count = write(items, tiny_mb, lambda n: f"- Rent {n}\n")
        row(f"{count:,} one-word list items, in parts", items, scratch / "items-out", True)
        shutil.rmtree(scratch / "items-out")
        if prose_mb:
            rng = random.Random(3)
            prose = scratch / "prose.txt"
            write(prose, prose_mb, lambda n: " ".join(rng.choice(WORDS) for _ in range(70)).capitalize() + f" {n}.\n\n")
            row("ordinary paragraphs", prose, scratch / "prose-out", True)
            row("the same again, over its document.json", prose, scratch / "prose-out", True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
