"""A stop signal whose handler runs inside a weakref callback or __del__ (the soak caught one while an import freed
its module lock): Python prints the handler's exception as "Exception ignored in …" with a traceback and goes
on, so the command ran to its end and exited 0 as if never stopped. Now the boundary remembers the signal:
nothing is printed but the one line, and the command ends as stopped (130 for SIGINT, 143 for SIGTERM)."""

from __future__ import annotations

import os
import signal
import weakref

import pytest
from click.testing import CliRunner

import handbill.readers.txt as txt
from handbill.cli import main


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_inside_a_weakref_callback_still_stops_the_command(tmp_path, monkeypatch, signum):
    read = txt.read

    def read_with_a_signal_in_a_callback(path):
        class Lock:
            pass

        def freed(_ref):
            os.kill(os.getpid(), signum)
            for _ in range(100_000):  # the handler runs here, inside the callback
                pass

        lock = Lock()
        ref = weakref.ref(lock, freed)  # noqa: F841 — alive until the lock is freed
        del lock
        return read(path)

    monkeypatch.setattr(txt, "read", read_with_a_signal_in_a_callback)
    leaflet = tmp_path / "flyer.txt"
    leaflet.write_text("Tenants meet on Thursday.\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "run",
            str(leaflet),
            "--to",
            "es",
            "--from",
            "en",
            "--engine",
            "identity",
            "--format",
            "none",
            "--out",
            str(tmp_path / "out"),
            "-q",
        ],
    )
    assert result.exit_code == 128 + signum, result.output
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    # a later command in the same process is not taken for stopped
    monkeypatch.setattr(txt, "read", read)
    again = CliRunner().invoke(
        main,
        [
            "run",
            str(leaflet),
            "--to",
            "es",
            "--from",
            "en",
            "--engine",
            "identity",
            "--format",
            "none",
            "--out",
            str(tmp_path / "out"),
            "-q",
        ],
    )
    assert again.exit_code == 0, again.output
