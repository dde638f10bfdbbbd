"""Hostile surroundings of a real `handbill` process: SIGTERM and SIGHUP stop it the way Ctrl-C does
(documented exit 143 / 129 / 130, one line, no worker traceback, no worker left, no scratch folder left
anywhere), a stdout that cannot be written is exit 9, and a memory limit is exit 9 with one line."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import time
from pathlib import Path

import pytest

from ..conftest import run_args, write_leaflet
from .conftest import assert_one_line_error, files_under, handbill_command

TEXT = (
    "Tenants Union meeting\n\n"
    + "\n\n".join(
        f"Paragraph {n}: we meet every Tuesday at the library to talk about rent and repairs." for n in range(12)
    )
    + "\n"
)


def _env(tmp_path: Path) -> dict:
    env = dict(os.environ)
    env.pop("HANDBILL_DEBUG", None)
    env["TMPDIR"] = str(tmp_path / "tmp")  # a private temporary directory, to see what is left in it
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return env


def _gone(pgid: int, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize(
    "signum, code",
    [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)],
    ids=["SIGTERM", "SIGHUP", "SIGINT"],
)
def test_a_stop_signal_during_audio_is_like_ctrl_c(tmp_path, signum, code):
    leaflet = write_leaflet(tmp_path, TEXT)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [*handbill_command(), *run_args(leaflet, out, fmt="audio")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(tmp_path),
        start_new_session=True,
    )
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if "synthesising" in line:
            break
    time.sleep(0.3)  # the speech workers are busy now
    proc.send_signal(signum)  # to handbill only, as `kill PID` or a service manager does
    rest = proc.stderr.read()
    proc.stderr.close()
    stdout = proc.stdout.read()
    proc.stdout.close()
    returncode = proc.wait(timeout=60)
    assert _gone(proc.pid), "a worker outlived handbill"
    done = subprocess.CompletedProcess(proc.args, returncode, stdout, "".join(seen) + rest)
    line = assert_one_line_error(done, code)
    assert "intact" in line
    assert not [p for p in files_under(out) if ".handbill-tmp-" in p], files_under(out)
    assert files_under(tmp_path / "tmp") == set() and not list((tmp_path / "tmp").iterdir())


def test_a_full_stdout_is_exit_9(tmp_path):
    leaflet = write_leaflet(tmp_path, TEXT)
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [*handbill_command(), *run_args(leaflet, tmp_path / "out", "-q", "--json")],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(tmp_path),
            timeout=120,
        )
    done = subprocess.CompletedProcess(proc.args, proc.returncode, "", proc.stderr)
    assert "standard output" in assert_one_line_error(done, 9)


def test_a_closed_pipe_is_exit_9_without_a_traceback(tmp_path):
    read_end, write_end = os.pipe()
    os.close(read_end)
    proc = subprocess.run(
        [*handbill_command(), "doctor"],
        stdout=write_end,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(tmp_path),
        timeout=120,
    )
    os.close(write_end)
    done = subprocess.CompletedProcess(proc.args, proc.returncode, "", proc.stderr)
    assert_one_line_error(done, 9)


def run_capped(tmp_path, megabytes: int, *args: str) -> subprocess.CompletedProcess:
    """`handbill run` on a small leaflet under an address-space limit of `megabytes`."""
    leaflet = write_leaflet(tmp_path, TEXT)
    limit = megabytes * 1024 * 1024

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    argv = [*handbill_command(), "run", str(leaflet), "--to", "es", *args, "--out", str(tmp_path / "out"), "-q"]
    return subprocess.run(argv, capture_output=True, text=True, env=_env(tmp_path), timeout=180, preexec_fn=cap)


@pytest.mark.parametrize("megabytes", range(40, 200, 8))
def test_a_memory_limit_is_one_line_and_exit_9(tmp_path, megabytes):
    """Under an address-space limit handbill fails while loading its libraries, or while rendering, or
    finishes: one line and exit 9 or nothing and exit 0, never a half-written file. Every 8 MB up to where
    the run fits: before the reserve (headroom.ran_out) limits between 109 and 184 MB ended in tracebacks,
    exit 1 (lxml's "unknown error", SystemError), exit 3 (the review file "not readable"), or a hang."""
    proc = run_capped(tmp_path, megabytes, "--from", "en", "--engine", "identity", "--format", "pdf,docx")
    if proc.returncode != 0:
        assert "memory" in assert_one_line_error(proc, 9)
    assert not [p for p in files_under(tmp_path / "out") if ".handbill-tmp-" in p]


@pytest.mark.parametrize("megabytes", [280, 340])
def test_a_memory_limit_near_the_native_libraries_is_exit_9_not_1(tmp_path, megabytes):
    """Between 280 and 340 MB the real engine's run loaded numpy (through the Argos engine's check, then the
    audio stage), and OpenBLAS ended the process with exit 1 ("Memory allocation still failed"). handbill
    now checks the room first: the run finishes or stops with one line and exit 9."""
    proc = run_capped(tmp_path, megabytes, "--engine", "apertium", "--format", "audio")
    if proc.returncode != 0:
        assert "memory" in assert_one_line_error(proc, 9)
