"""Soak: random leaflets through real `handbill run` and `handbill review import` processes on the same output
folders, killed at random moments with SIGKILL, SIGTERM or SIGINT, or run two at a time, with the guarantees
checked after every step:
- every exit is documented (0, one error line with its code, 130/143 for a signal) and never 1;
- nothing outside the output folder changes, and the user's own files in it survive;
- every output opens (document.json, PDF, DOCX, MP3), and no temporary file is left once a run has
  finished in that folder (a SIGKILL may leave some, for the next run to sweep);
- a translation a reviewer approved is never lost, and the translation memory stays consistent.

HANDBILL_SOAK_RUNS sets the number of steps (default 200: most are cheap — the identity engine, document.json
only — and one in ten renders PDF, Word or audio with Apertium or the identity engine; two lanes run at once, each
with its own folders), HANDBILL_SOAK_LANES the lanes, HANDBILL_SOAK_HEAVY the share of rendering runs,
HANDBILL_SOAK_SEED the random seed (printed on failure)."""

from __future__ import annotations

import concurrent.futures
import contextlib
import csv
import io
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from handbill.store import load_document

from ..conftest import run_args
from .conftest import handbill_command
from .guarantees import DOCUMENTED, check_outputs, check_planted, plant, snapshot

STEPS = int(os.environ.get("HANDBILL_SOAK_RUNS", "200"))
LANES = max(1, int(os.environ.get("HANDBILL_SOAK_LANES", "2")))
HEAVY = float(os.environ.get("HANDBILL_SOAK_HEAVY", "0.1"))  # share of runs that render (PDF, DOCX, MP3)
SEED = int(os.environ.get("HANDBILL_SOAK_SEED", str(random.SystemRandom().randrange(10**6))))
SENTENCES = [
    "Tenants meet on Thursday at the hall.",
    "Bring your rent book and a friend.",
    "The landlord must fix the heating before winter.",
    "Childcare and food will be provided.",
    "If ICE comes to the building, do not open the door.",
    "Call the rapid response line: (555) 010-2030.",
    "We won the repairs last year by standing together.",
    "Write to info@union.example with questions.",
]
APPROVED = "Texto aprobado por la revisora número {n}."


class Soak:
    def __init__(self, root: Path, rng: random.Random):
        self.root, self.rng = root, rng
        self.out = root / "out"
        self.approved: dict[str, dict[str, str]] = {}  # leaflet -> source -> approved target
        self.dirty: set[str] = set()  # folders a SIGKILL may have left temporary files in
        self.log: list[str] = []
        for name in ("union", "strike", "heating"):
            sentences = rng.sample(SENTENCES, rng.randint(3, 6))
            (root / f"{name}.txt").write_text(
                f"{name.title()} news\n\n" + "\n\n".join(sentences) + "\n", encoding="utf-8"
            )
        plant(root)
        plant(self.out)

    def folder(self, name: str) -> Path:
        return self.out / name / "es"

    # -- what a step starts ---------------------------------------------------------------------------------
    def start_run(self, name: str) -> subprocess.Popen:
        """Most steps are cheap (identity engine, document.json only), so that many fit in the time; a HEAVY
        share renders PDF, Word or audio, with Apertium or the identity engine."""
        formats, engine = "none", "identity"
        if self.rng.random() < HEAVY:
            formats = self.rng.choice(["docx", "pdf,docx", "pdf", "audio"])
            engine = self.rng.choice(["identity", "apertium"])
        return self._start(run_args(self.root / f"{name}.txt", self.out, engine=engine, fmt=formats))

    def start_import(self, name: str) -> subprocess.Popen | None:
        """A reviewer's CSV with one translation changed, imported with --approve."""
        document = self.folder(name) / "document.json"
        try:
            doc = load_document(document)
        except Exception:  # noqa: BLE001 — not there yet: nothing to review
            return None
        seg = self.rng.choice([s for s in doc.segments if s.translate] or doc.segments)
        text = APPROVED.format(n=self.rng.randrange(1000))
        sheet = io.StringIO()
        writer = csv.writer(sheet, lineterminator="\r\n")
        writer.writerow(["id", "status", "source", "translation", "notes"])
        for s in doc.segments:
            writer.writerow([s.id, s.status.value, s.source, text if s is seg else s.target, ""])
        reviewed = self.root / "reviews" / f"{name}-{len(self.log)}.csv"
        reviewed.parent.mkdir(exist_ok=True)
        reviewed.write_text(sheet.getvalue(), encoding="utf-8")
        proc = self._start(["review", "import", str(document), str(reviewed), "--approve"])
        proc.hoped = (name, seg.source, text)
        return proc

    def _start(self, args: list[str]) -> subprocess.Popen:
        env = {k: v for k, v in os.environ.items() if k != "HANDBILL_DEBUG"}
        proc = subprocess.Popen(
            [*handbill_command(), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
        proc.hoped = None
        return proc

    # -- the guarantees after each step -------------------------------------------------------------------
    def finish(self, proc: subprocess.Popen, name: str, killed: int | None) -> None:
        _stdout, stderr = proc.communicate(timeout=300)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # workers of a SIGKILLed run
        code = proc.returncode
        what = f"{' '.join(map(str, proc.args[3:5]))} killed={killed} -> {code}"
        self.log.append(what)
        detail = f"seed {SEED}, step {len(self.log)}: {what}\n{stderr[-2000:]}"
        assert "Traceback" not in stderr, detail
        if killed == signal.SIGKILL and code == -signal.SIGKILL:
            self.dirty.add(name)
            return
        assert code in DOCUMENTED | {0}, detail
        if code not in (0, 130, 143):
            lines = [line for line in stderr.splitlines() if line.strip() and not line.startswith("handbill: ")]
            assert len(lines) == 1 and lines[0].startswith("error:"), detail
        if code == 0 and proc.hoped:
            leaflet, source, text = proc.hoped
            self.approved.setdefault(leaflet, {})[source] = text
        if code != 9 or "another handbill run" not in stderr:
            self.dirty.discard(name)  # it held the folder's lock, and swept it

    def check(self, before: dict[str, str]) -> None:
        try:
            self._check(before)
        except AssertionError as exc:
            raise AssertionError(f"seed {SEED}, step {len(self.log)} after {self.log[-3:]}: {exc}") from None

    def _check(self, before: dict[str, str]) -> None:
        where = f"seed {SEED} after {self.log[-3:]}"
        assert snapshot(self.root, skip=self.out) == before, f"something outside the output folder changed ({where})"
        check_planted(self.root)
        check_planted(self.out)
        for name in ("union", "strike", "heating"):
            folder = self.folder(name)
            if not folder.exists():
                continue
            check_planted(folder) if (folder / "notes.txt").exists() else None
            if name in self.dirty:
                continue
            check_outputs(folder)
            if (folder / "document.json").exists():
                targets = {s.source: s.target for s in load_document(folder / "document.json").segments}
                for source, text in self.approved.get(name, {}).items():
                    assert targets.get(source) == text, f"approved text lost in {name} ({where})"
        if (self.out / "memory.sqlite").exists():
            with contextlib.closing(sqlite3.connect(self.out / "memory.sqlite")) as db:
                assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", where


def started_handling(proc: subprocess.Popen, signum: int, timeout: float = 60) -> None:
    """Wait until the process catches `signum` (Linux: its bit in /proc/PID/status SigCgt). Before that the
    interpreter is still starting and the kernel's default action ends it: no handbill code has run, so
    there is nothing to guarantee; on a loaded machine that window can outlast the random delay."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            status = Path(f"/proc/{proc.pid}/status").read_text()
            caught = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
            if caught & (1 << (signum - 1)):
                return
        time.sleep(0.005)


def _lane(lane: int, steps: int) -> str:
    """One lane of the soak: its own leaflets and output folder, STEPS steps, the guarantees after each."""
    rng = random.Random(SEED * 100 + lane)
    root = Path(tempfile.mkdtemp(prefix=f"handbill-soak-{lane}-"))
    soak = Soak(root, rng)
    kills = {signal.SIGKILL: 0, signal.SIGTERM: 0, signal.SIGINT: 0}
    try:
        for _ in range(steps):
            name = rng.choice(["union", "strike", "heating"])
            action = rng.choices(["run", "import", "kill", "pair"], weights=[3, 2, 4, 2])[0]
            first = soak.start_import(name) if action == "import" else None
            first = first or soak.start_run(name)
            before = snapshot(root, skip=soak.out)
            killed = None
            if action == "pair":
                second = soak.start_import(name) if rng.random() < 0.5 else None
                second = second or soak.start_run(name)
                before = snapshot(root, skip=soak.out)
                soak.finish(second, name, None)
            elif action == "kill":
                time.sleep(rng.uniform(0.02, 1.2))
                signum = rng.choice(list(kills))
                if signum != signal.SIGKILL:
                    started_handling(first, signal.SIGTERM)
                if first.poll() is None:
                    killed = signum
                    kills[killed] += 1
                    first.send_signal(killed)
            soak.finish(first, name, killed)
            soak.check(before)
        # A last clean run in every folder sweeps what any SIGKILL left, and finds all approved text.
        for name in ("union", "strike", "heating"):
            soak.finish(soak.start_run(name), name, None)
            soak.dirty.discard(name)
        soak.check(snapshot(root, skip=soak.out))
        return (
            f"lane {lane}: {steps} steps, kills { {signal.Signals(k).name: v for k, v in kills.items()} }, "
            f"approvals kept {sum(len(v) for v in soak.approved.values())}"
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_soak():
    """LANES lanes at once (each its own folders: the checks after a step need its folders quiet), the steps
    shared out among them; two processes on the same folder happen inside a lane ("pair" steps)."""
    started = time.monotonic()
    shares = [STEPS // LANES + (i < STEPS % LANES) for i in range(LANES)]
    with concurrent.futures.ThreadPoolExecutor(LANES) as pool:
        done = [pool.submit(_lane, i, n) for i, n in enumerate(shares)]
        summaries = [future.result() for future in done]
    print(
        f"\nsoak: {STEPS} steps in {time.monotonic() - started:.0f} s (seed {SEED}); " + "; ".join(summaries),
        file=sys.stderr,
    )
