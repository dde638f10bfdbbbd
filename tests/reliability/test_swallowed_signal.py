"""A stop signal whose handler runs inside a weakref callback or __del__ (the soak caught one while an import freed
its module lock): Python prints the handler's exception as "Exception ignored in …" with a traceback and goes
on, so the command ran to its end and exited 0 as if never stopped. Now the boundary remembers the signal:
nothing is printed but the one line, and the command ends as stopped (130 for SIGINT, 143 for SIGTERM)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import weakref

import pytest
from click.testing import CliRunner

import handbill.readers.txt as txt
from handbill.cli import main

from ..conftest import one_error_line, run_args, write_leaflet


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
    leaflet = write_leaflet(tmp_path, "Tenants meet on Thursday.\n", "flyer.txt")
    result = CliRunner().invoke(main, run_args(leaflet, tmp_path / "out", "-q"))
    assert result.exit_code == 128 + signum, result.output
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    one_error_line(result.stderr)
    # a later command in the same process is not taken for stopped
    monkeypatch.setattr(txt, "read", read)
    again = CliRunner().invoke(main, run_args(leaflet, tmp_path / "out", "-q"))
    assert again.exit_code == 0, again.output


def _signal_here(signum: int) -> None:
    """Send `signum` to this process and give its handler the moment to run, here."""
    os.kill(os.getpid(), signum)
    for _ in range(100_000):
        pass


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_that_a_library_wraps_in_its_own_error_still_stops_the_command(tmp_path, monkeypatch, signum):
    """The soak caught SIGTERM landing in a dataclass's __set_name__ while a module was imported: Python wraps the
    handler's exception in a RuntimeError, which used to end as "internal error" and exit 1."""
    read = txt.read

    def read_defining_a_class(path):
        class Field:
            def __set_name__(self, owner, name):
                _signal_here(signum)

        class Segment:  # its creation calls __set_name__
            provenance = Field()

        return read(path)

    monkeypatch.setattr(txt, "read", read_defining_a_class)
    leaflet = write_leaflet(tmp_path, "Tenants meet on Thursday.\n", "flyer.txt")
    result = CliRunner().invoke(main, run_args(leaflet, tmp_path / "out", "-q"))
    assert result.exit_code == 128 + signum, result.output
    assert "internal" not in one_error_line(result.stderr), result.stderr


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_the_command_line_is_parsed_stops_like_any_other(monkeypatch, signum):
    """Before a command runs, click turns the stop into "Aborted!" and exit 1; handbill says what stopped it."""
    parse_args = type(main).parse_args

    def parse_with_a_signal(self, ctx, args):
        _signal_here(signum)
        return parse_args(self, ctx, args)

    monkeypatch.setattr(type(main), "parse_args", parse_with_a_signal)
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 128 + signum, result.output
    assert "Aborted" not in result.stderr
    one_error_line(result.stderr)


# While `handbill` itself loads (python -m handbill: the stop handlers are installed first, then the command line
# is imported), in a child process since the import happens once per process.
LOADING = """
import builtins, os, signal, sys, weakref
import handbill.__main__ as entry
real_import = builtins.__import__
def busy():
    for _ in range(100_000):
        pass
def signal_in_an_import(name, *args, **kwargs):
    if name == "cli" and not getattr(builtins, "_signalled", False):
        builtins._signalled = True
        if WHERE == "set_name":
            class Field:
                def __set_name__(self, owner, name):
                    os.kill(os.getpid(), signal.SIGTERM); busy()
            class Segment:
                provenance = Field()
        else:
            class Lock:
                pass
            lock = Lock()
            ref = weakref.ref(lock, lambda _ref: (os.kill(os.getpid(), signal.SIGTERM), busy()))
            del lock
    return real_import(name, *args, **kwargs)
builtins.__import__ = signal_in_an_import
sys.argv = ["handbill", "doctor", "--to", "es"]
sys.exit(entry.main())
"""


@pytest.mark.parametrize("where", ["set_name", "weakref"])
def test_a_signal_while_handbill_loads_is_one_line_and_143(where):
    """The soak caught both while the command line was being imported: a RuntimeError from __set_name__ reported
    as an internal error (exit 1), and Python's "Exception ignored … Traceback" for a handler run inside an import
    lock's weakref callback (the hook that keeps it quiet was installed after the stop handlers)."""
    done = subprocess.run(
        [sys.executable, "-c", f"WHERE = {where!r}\n" + LOADING], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    assert one_error_line(done.stderr).startswith("error: terminated"), done.stderr


# A signal after handbill loaded but before click's boundary begins (the soak, seed 237035: SIGTERM while
# HandbillGroup.main asked which thread it runs in, before its try).
STARTING = """
import os, signal, sys
import handbill.__main__ as entry
import handbill.cli as cli
real = cli.stop_like_ctrl_c
def signalled():
    os.kill(os.getpid(), signal.SIGTERM)
    for _ in range(100_000):
        pass
    return real()
cli.stop_like_ctrl_c = signalled
sys.argv = ["handbill", "doctor", "--to", "es"]
sys.exit(entry.main())
"""


def test_a_signal_before_the_command_line_boundary_is_one_line_and_143():
    done = subprocess.run([sys.executable, "-c", STARTING], capture_output=True, text=True, timeout=120)
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert one_error_line(done.stderr).startswith("error: terminated"), done.stderr
