"""Start-up and work skipped: `handbill --help` and `--version` against the raw floor (the interpreter alone, and
click's own import, which any click CLI pays), and `handbill run --from en` against the same run detecting the
language. Median wall and CPU (user + system of the process) time over N runs, taken in turn; on a busy machine
the CPU figures are the ones to compare.

    .venv/bin/python benchmarks/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HANDBILL = [sys.executable, "-m", "handbill"]
LEAFLET = ROOT / "examples" / "tenant-meeting.md"


def measure(commands: dict[str, list[str]], runs: int) -> dict[str, tuple[float, float]]:
    """label -> (median wall, median CPU) seconds, the commands run in turn so load hits them alike."""
    wall: dict[str, list[float]] = {k: [] for k in commands}
    cpu: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(runs):
        for label, command in commands.items():
            out = tempfile.mkdtemp(prefix="handbill-bench-")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(
                [c.replace("{out}", out) for c in command],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            wall[label].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[label].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            shutil.rmtree(out, ignore_errors=True)
    return {k: (statistics.median(wall[k]), statistics.median(cpu[k])) for k in commands}


def table(title: str, found: dict[str, tuple[float, float]], base: str) -> None:
    print(f"\n{title}  (load average {os.getloadavg()[0]:.1f})")
    print(f"{'':44} {'wall':>8} {'cpu':>8} {'cpu ratio':>10}")
    for label, (wall, cpu) in found.items():
        print(f"{label:44} {wall:8.3f} {cpu:8.3f} {cpu / found[base][1]:9.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    table(
        f"start-up (median of {runs})",
        measure(
            {
                "python -c pass": [sys.executable, "-c", "pass"],
                "python -c 'import click' (raw floor)": [sys.executable, "-c", "import click"],
                "handbill --help": [*HANDBILL, "--help"],
                "handbill --version": [*HANDBILL, "--version"],
            },
            runs,
        ),
        "python -c 'import click' (raw floor)",
    )
    run = [
        *HANDBILL,
        "run",
        str(LEAFLET),
        "--to",
        "es",
        "--engine",
        "apertium",
        "--format",
        "none",
        "--no-memory",
        "-q",
        "--out",
        "{out}",
    ]
    table(
        f"run, Apertium, no outputs (median of {max(runs // 3, 3)})",
        measure(
            {
                "run (detects the language)": run,
                "run --from en (no detection)": [*run, "--from", "en"],
            },
            max(runs // 3, 3),
        ),
        "run (detects the language)",
    )


if __name__ == "__main__":
    main()
