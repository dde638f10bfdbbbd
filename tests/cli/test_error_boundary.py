"""The one error boundary: failures of the system and of libraries (a full disk, a memory limit, a locked
database, text no codec can carry, a missing module) end in their documented exit code with one line and a
hint, never exit 1. The failures are injected through a fake engine; the CLI is the real one."""

from __future__ import annotations

import errno
import sqlite3
import subprocess

import pytest
from click.testing import CliRunner

from handbill import engines
from handbill.cli import main

from ..conftest import EnEsEngine, one_error_line, run_args, write_leaflet

LEAFLET = "Tenants meet on Thursday at the hall.\n\nBring your rent book and a friend to the meeting.\n"


class Failing(EnEsEngine):
    name = "failing"
    failure: BaseException = RuntimeError()

    def translate(self, texts, src, tgt):
        raise self.failure


FAILURES = [
    (OSError(errno.ENOSPC, "No space left on device", "/srv/out/x.pdf"), 9, "No space left"),
    (OSError(errno.EDQUOT, "Disk quota exceeded"), 9, "quota"),
    (OSError(errno.EFBIG, "File too large"), 9, "too large"),
    (OSError(errno.EROFS, "Read-only file system", "/srv"), 9, "Read-only"),
    (PermissionError(errno.EACCES, "Permission denied", "/srv/out"), 9, "Permission denied"),
    (OSError(errno.ENOMEM, "Cannot allocate memory"), 9, "memory"),
    (OSError(errno.EMFILE, "Too many open files"), 9, "open files"),
    (BrokenPipeError(errno.EPIPE, "Broken pipe"), 9, "stopped reading"),
    (MemoryError(), 9, "memory"),
    (RuntimeError("can't start new thread"), 9, "memory"),
    (ImportError("libfoo.so: failed to map segment from shared object"), 9, "memory"),
    (sqlite3.OperationalError("database is locked"), 9, "locked"),
    (sqlite3.DatabaseError("file is not a database"), 9, "translation memory"),
    (sqlite3.IntegrityError("UNIQUE constraint failed"), 9, "translation memory"),
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), 3, "not valid utf-8"),
    (UnicodeEncodeError("ascii", "ñ", 0, 1, "ordinal not in range"), 9, "encoding"),
    (RecursionError("maximum recursion depth exceeded"), 3, "nested"),
    (subprocess.TimeoutExpired(["apertium"], 5), 6, "helper program"),
    (ModuleNotFoundError("No module named 'lameenc'", name="lameenc"), 5, "lameenc"),
]


@pytest.mark.parametrize(
    "failure, code, words", FAILURES, ids=[type(f[0]).__name__ + str(i) for i, f in enumerate(FAILURES)]
)
def test_system_failures_have_their_documented_code(tmp_path, monkeypatch, failure, code, words):
    engine = Failing()
    engine.failure = failure
    monkeypatch.setitem(engines.FACTORIES, "failing", lambda settings: engine)
    leaflet = write_leaflet(tmp_path, LEAFLET)
    result = CliRunner().invoke(
        main, run_args(leaflet, tmp_path / "out", "-q", engine="failing"), catch_exceptions=False
    )
    assert result.exit_code == code, result.stderr
    line = one_error_line(result.stderr)
    assert "(hint:" in line and words.lower() in line.lower(), line
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.stdout == ""


def test_a_real_bug_is_still_exit_1(tmp_path, monkeypatch):
    engine = Failing()
    engine.failure = ValueError("a bug")
    monkeypatch.setitem(engines.FACTORIES, "failing", lambda settings: engine)
    leaflet = write_leaflet(tmp_path, LEAFLET)
    result = CliRunner().invoke(main, run_args(leaflet, tmp_path / "out", engine="failing"))
    assert result.exit_code == 1
    assert "internal error (ValueError: a bug)" in result.stderr
