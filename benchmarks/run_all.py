"""Run every benchmark in this folder, one after another (`make bench`): bench_audio, bench_memory, bench_qa,
bench_render, bench_targets and bench_translate, each with its defaults (about 6 minutes on 2 cores;
`--long`/`--realistic` only by hand)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    status = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n== {script.name}", flush=True)
        status |= subprocess.run([sys.executable, str(script)], check=False).returncode
    sys.exit(status)
