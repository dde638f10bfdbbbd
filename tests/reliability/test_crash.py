"""Crash safety: a real `handbill run` killed with SIGKILL at many moments leaves a folder a user can
trust — document.json is the old one or a complete new one, reviewed text survives, every PDF/DOCX/MP3
opens, the memory database is intact, the dead run's lock does not block the next run — and two runs on
one folder never interleave."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from handbill import api
from handbill.model import Status
from handbill.store import load_document

from .conftest import assert_one_line_error, files_under, handbill_command, run_cli

REVIEWED = "Texto revisado por una traductora, que debe sobrevivir."
FIRST = "Tenants Union meeting"
OLD = [
    FIRST,
    "We meet every Tuesday at the library to talk about rent.",
    "Bring your neighbours and your questions about repairs.",
]
NEW = OLD + [
    "The landlord must fix the heating before winter.",
    "Children are welcome and there will be tea and bread.",
]
# Seconds after start, spread over a ~2.5 s run (start-up, reading, translating, rendering, audio).
DELAYS = [0.05, 0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.1]
# Kill as soon as this progress line appears on stderr (plus a small extra delay).
STAGES = [("read:", 0.0), ("detect:", 0.0), ("saved:", 0.0), ("synthesising", 0.0), ("synthesising", 0.4)]


def cli_args(leaflet: Path, out: Path) -> list[str]:
    return ["run", str(leaflet), "--to", "es", "--engine", "apertium", "--format", "pdf,docx,audio", "--out", str(out)]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_folder(out: Path, old_doc_hash: str) -> None:
    """Everything a user might open is whole; document.json is old or complete-new; review kept."""
    import docx
    import mutagen.mp3
    import pypdf

    folder = out / "leaflet" / "es"
    doc_path = folder / "document.json"
    doc = load_document(doc_path)
    by_source = {s.source: s for s in doc.segments}
    assert by_source[FIRST].target == REVIEWED and by_source[FIRST].status == Status.APPROVED
    assert len(doc.segments) in (len(OLD), len(NEW)), len(doc.segments)
    if len(doc.segments) == len(OLD):
        assert digest(doc_path) == old_doc_hash  # untouched old one
    for name in files_under(folder):
        path = folder / name
        if Path(name).name.startswith("."):
            continue  # lock file, or a temp file a SIGKILL cannot clean (swept by the next run)
        if name.endswith(".pdf"):
            assert len(pypdf.PdfReader(path).pages) >= 1, name
        elif name.endswith(".docx"):
            assert docx.Document(str(path)).paragraphs is not None, name
        elif name.endswith(".mp3"):
            assert mutagen.mp3.MP3(path).info.length > 0, name
    with sqlite3.connect(out / "memory.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def leftovers(out: Path) -> set[str]:
    return {n for n in files_under(out) if ".handbill-tmp-" in n}


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def start(leaflet: Path, out: Path, stderr) -> subprocess.Popen:
    env = dict(os.environ)
    env.pop("HANDBILL_DEBUG", None)
    return subprocess.Popen(
        [*handbill_command(), *cli_args(leaflet, out)],
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        text=True,
        env=env,
        start_new_session=True,
    )


def kill_parent_then_group(proc: subprocess.Popen, out: Path) -> bool:
    """SIGKILL the handbill process only (what a crash does), see whether children outlive it and
    write into OUT, then clean the whole group up. Returns whether orphans were seen."""
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before = {n: (out / n).stat().st_mtime_ns for n in files_under(out) if (out / n).exists()}
    time.sleep(0.3)
    orphans = group_alive(proc.pid)
    if orphans:
        time.sleep(0.7)
        after = {n: (out / n).stat().st_mtime_ns for n in files_under(out) if (out / n).exists()}
        # Hidden names are the lock and handbill's temporary files and scratch folders (swept by the next run).
        written = {
            n for n in after if not any(part.startswith(".") for part in Path(n).parts) and after[n] != before.get(n)
        }
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        assert not written, f"orphans of the killed run wrote {written}"
    return orphans


@pytest.fixture
def baseline(tmp_path):
    """A complete run of OLD, then the first segment approved with an edited text, as a translator would."""
    leaflet = tmp_path / "leaflet.txt"
    leaflet.write_text("\n\n".join(OLD) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli(*cli_args(leaflet, out))
    assert proc.returncode == 0, proc.stderr
    from handbill.store import save_document

    doc_path = out / "leaflet" / "es" / "document.json"
    doc = load_document(doc_path)
    seg = next(s for s in doc.segments if s.source == FIRST)
    seg.target, seg.status = REVIEWED, Status.APPROVED
    save_document(doc, doc_path)
    return leaflet, out, digest(doc_path)


def test_sigkill_at_many_moments_leaves_whole_files(baseline, tmp_path):
    leaflet, out, old_hash = baseline
    leaflet.write_text("\n\n".join(NEW) + "\n", encoding="utf-8")
    survived, orphan_runs, moments = 0, 0, []
    for delay in DELAYS:
        log = open(tmp_path / "stderr.log", "w")
        proc = start(leaflet, out, log)
        time.sleep(delay)
        if proc.poll() is not None:
            log.close()
            continue  # finished before the moment; the next run starts from the new document
        orphan_runs += kill_parent_then_group(proc, out)
        log.close()
        check_folder(out, old_hash)
        survived += 1
        moments.append(f"{delay}s")
    for marker, extra in STAGES:
        proc = start(leaflet, out, subprocess.PIPE)
        seen = False
        for line in proc.stderr:
            if marker in line:
                seen = True
                break
        time.sleep(extra)
        if proc.poll() is None:
            orphan_runs += kill_parent_then_group(proc, out)
            check_folder(out, old_hash)
            survived += 1
            moments.append(f"after {marker}+{extra}s")
        else:
            proc.wait()
        proc.stderr.close()
        assert seen, marker
    print(f"\nkills survived: {survived} at {moments}; runs with orphans: {orphan_runs}", file=sys.stderr)
    assert survived >= 8
    # The dead runs' lock did not block this one, and it finishes the job.
    proc = run_cli(*cli_args(leaflet, out))
    assert proc.returncode == 0, proc.stderr
    check_folder(out, old_hash)
    assert len(load_document(out / "leaflet" / "es" / "document.json").segments) == len(NEW)
    assert not leftovers(out), leftovers(out)


def test_held_lock_refuses_second_run(baseline):
    leaflet, out, _ = baseline
    folder = out / "leaflet" / "es"
    before = {n: digest(folder / n) for n in files_under(folder)}
    with api.locked(folder):
        proc = run_cli(*cli_args(leaflet, out))
    line = assert_one_line_error(proc, 9)
    assert "another handbill run" in line
    assert {n: digest(folder / n) for n in files_under(folder)} == before


def test_two_concurrent_runs_one_wins(tmp_path):
    leaflet = tmp_path / "leaflet.txt"
    leaflet.write_text("\n\n".join(NEW * 3) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    first = start(leaflet, out, subprocess.PIPE)
    for line in first.stderr:  # the first holds the lock once it translates
        if "translate:" in line or "saved:" in line:
            break
    second = run_cli(*cli_args(leaflet, out))
    first_rest = first.stderr.read()
    first.stderr.close()
    assert first.wait(timeout=120) == 0, first_rest
    assert_one_line_error(second, 9)
    assert len(load_document(out / "leaflet" / "es" / "document.json").segments) > 0
