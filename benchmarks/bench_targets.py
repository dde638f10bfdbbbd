"""Several targets in one run against one run per target, measured in one go: seconds and ratios.

    .venv/bin/python benchmarks/bench_targets.py [--repeats N] [--targets es,fr,pt]

`handbill run LEAFLET --to es,fr,pt` (read, split and detect once; the en->es hop shared by the chains through
Spanish; the English reading synthesised once) against three `handbill run LEAFLET --to X` processes one
after another, with every output (PDF, DOCX, audio) and with translation only (--format none). The raw
engine doing the same translation work is timed too: one `apertium` process per hop, eng-spa once and then
es-fr and es-pt_BR on its output. Fresh output folders and --no-memory, so nothing is reused between runs.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LEAFLET = HERE.parent.parent / "shared" / "samples" / "speak-out-now-2026-02-02.txt"
HANDBILL = str(Path(sys.executable).parent / "handbill")
SCRATCH = Path(tempfile.mkdtemp(prefix="handbill-bench-targets-"))


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def best(fn, repeats: int) -> float:
    return min(timed(fn) for _ in range(repeats))


def handbill(targets: str, formats: str) -> None:
    out = SCRATCH / "out"
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run(
        [
            HANDBILL,
            "run",
            str(LEAFLET),
            "--to",
            targets,
            "--format",
            formats,
            "--out",
            str(out),
            "--engine",
            "apertium",
            "--no-memory",
            "-q",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def separately(targets: list[str], formats: str) -> None:
    for target in targets:
        handbill(target, formats)


def raw_apertium(text: str, targets: list[str]) -> None:
    """The least engine work for the same targets: en->es once, then es->X on its output."""
    modes = {"fr": "es-fr", "pt": "es-pt_BR", "gl": "es-gl", "it": "spa-ita"}
    spanish = subprocess.run(["apertium", "eng-spa"], input=text, capture_output=True, text=True, check=True).stdout
    for target in targets:
        if target in modes:
            subprocess.run(["apertium", modes[target]], input=spanish, capture_output=True, text=True, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--targets", default="es,fr,pt")
    args = parser.parse_args()
    targets = args.targets.split(",")
    text = "\n\n".join(p for p in LEAFLET.read_text(encoding="utf-8").split("\n\n") if p.strip()) + "\n"
    handbill(args.targets, "none")  # warm the file cache and Python's bytecode
    rows = []
    for formats in ("pdf,docx,audio", "none"):
        one = best(lambda f=formats: handbill(args.targets, f), args.repeats)
        each = best(lambda f=formats: separately(targets, f), args.repeats)
        rows.append((formats, one, each))
    raw = best(lambda: raw_apertium(text, targets), max(3, args.repeats))
    print(f"{len(targets)} targets ({args.targets}), sample leaflet, best of {args.repeats}")
    print(f"{'outputs':<16} {'one run':>9} {'one per target':>15} {'ratio':>7}")
    for formats, one, each in rows:
        print(f"{formats:<16} {one:>8.2f}s {each:>14.2f}s {each / one:>6.2f}x faster")
    print(
        f"raw apertium, the same translation work (eng-spa once, then each es->X): {raw:.2f}s; "
        f"handbill --format none one run: {rows[1][1] / raw:.1f}x raw (start-up, reading, detection, glossary)"
    )
    shutil.rmtree(SCRATCH, ignore_errors=True)


if __name__ == "__main__":
    main()
