"""Every failure a user can cause or fix, each with its exit code and a hint.

The CLI's error boundary turns these into one line on stderr and the exit code. Failures of the system
and of libraries (a full disk, a memory limit, a locked database, text in no known encoding) are mapped
to these classes by `documented`; anything else is a bug (exit 1). Codes are documented in the README
and pinned by tests/cli/test_exit_codes.py.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import traceback
from typing import Any

from . import headroom

OK = 0
INTERNAL = 1
USAGE = 2
INTERRUPTED = 128 + signal.SIGINT  # 130; SIGTERM ends with 143 and SIGHUP with 129, as shells report them
TERMINATED = 128 + signal.SIGTERM
HANGUP = 128 + signal.SIGHUP


class HandbillError(Exception):
    """Base class: a message for the user, an exit code, and a hint on what to do next."""

    exit_code = INTERNAL
    default_hint = ""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = self.default_hint if hint is None else hint

    def one_line(self) -> str:
        text = f"error: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return " ".join(text.split())


class BadInput(HandbillError):
    """The leaflet, document.json or review file cannot be used as it is."""

    exit_code = 3
    default_hint = "check the input file"


class BadConfig(HandbillError):
    """A configuration value or glossary file is invalid."""

    exit_code = 4
    default_hint = "fix the configuration or glossary file named above"


class GlossaryError(BadConfig):
    """A glossary file is invalid (file:line in the message)."""

    default_hint = "run `handbill glossary check FILE` for every problem"


class MissingDependency(HandbillError):
    """A tool, voice, font, model or language pair is not installed; the hint says how to install it."""

    exit_code = 5
    default_hint = "run `handbill doctor` to see what is installed"


class UnsupportedPair(MissingDependency):
    """No engine can translate this language pair."""


class EngineFailure(HandbillError):
    """A translation or speech engine crashed or returned unusable output."""

    exit_code = 6
    default_hint = "re-run with --verbose to see the engine's own messages"


class ReviewConflict(HandbillError):
    """A reviewed file cannot be merged without losing or misplacing a translator's text."""

    exit_code = 7
    default_hint = "see the report above; --force applies what is safe and keeps the rest for review"


class QualityGate(HandbillError):
    """--strict was given and the run has glossary misses or other review flags."""

    exit_code = 8
    default_hint = "open the review draft, fix the flagged segments, or run without --strict"
    result: Any = None  # the run's outcome, still reported with --json


class OutputError(HandbillError):
    """An output file or directory cannot be written (permissions, disk full, locked by another run)."""

    exit_code = 9
    default_hint = "choose another --out directory or free some space"


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or SIGHUP: handbill stops the same way for each (temporary files and scratch folders
    removed, workers stopped) and exits with 128 + the signal's number."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(signum)
        self.signum = signum
        self.exit_code = 128 + signum

    def one_line(self) -> str:
        names: dict[int, str] = {
            signal.SIGINT: "interrupted",
            signal.SIGTERM: "terminated (SIGTERM)",
            signal.SIGHUP: "hung up (SIGHUP)",
        }
        name = names.get(self.signum, f"stopped by signal {self.signum}")
        return f"error: {name}; finished outputs are intact, re-run to resume"


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _stop(signum, _frame) -> None:
    """SIGINT, SIGTERM and SIGHUP all stop handbill the way Ctrl-C does: the exception unwinds every stage,
    so temporary files and scratch folders are removed and workers stopped. Later signals are ignored
    while that clean-up runs."""
    for number in STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN)
    _received.append(signum)
    raise Interrupted(signum)


_received: list[int] = []  # stop signals _stop took during the current command


def swallowed_stop() -> Interrupted | None:
    """The stop signal of this command, if Python swallowed its exception: a handler that runs while a weakref
    callback or __del__ does (an import freeing its module lock) raises where Python prints the exception and
    goes on. The command then ran to its end, its outputs whole; it still ends as stopped (128 + the signal)."""
    return Interrupted(_received[0]) if _received else None


def quiet_unraisable(unraisable) -> None:
    """sys.unraisablehook while handbill runs. A stop signal whose exception Python swallowed (see swallowed_stop)
    is reported by the boundary in one line, so Python's "Exception ignored" traceback is not printed; nor is a
    second OSError from a file a failed write abandoned (python-docx's zip on a full disk), which fails again
    when Python closes it at exit after the failure was reported."""
    if not isinstance(unraisable.exc_value, (OSError, Interrupted)):
        sys.__unraisablehook__(unraisable)


def stop_like_ctrl_c() -> dict:
    """Handle SIGTERM and SIGHUP as SIGINT (in the main thread); returns the handlers it replaced that were
    not already these (to be put back when a library caller's command is over)."""
    previous = {number: signal.signal(number, _stop) for number in STOP_SIGNALS}
    return {number: handler for number, handler in previous.items() if handler is not _stop}


def finished() -> None:
    """The command is over and its exit code known: a stop signal now (while Python shuts down, when it
    would kill the process outright) changes nothing, so it is ignored."""
    for number in STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN)
    _received.clear()


MEMORY_HINT = "raise the memory limit (ulimit -v) or split the leaflet into smaller ones"


def documented(exc: BaseException) -> HandbillError | None:
    """The documented error a failure of the system or of a library stands for, or None when it is a bug."""
    if not isinstance(exc, Interrupted) and headroom.ran_out(exc):
        return OutputError("not enough memory to finish", MEMORY_HINT)
    if isinstance(exc, HandbillError):
        return exc
    text = str(exc)
    if (isinstance(exc, OSError) and exc.errno == errno.ENOMEM) or (
        isinstance(exc, (ImportError, RuntimeError))
        and any(m in text for m in ("failed to map segment", "annot allocate memory", "can't start new thread"))
    ):
        return OutputError("not enough memory to finish", MEMORY_HINT)
    if isinstance(exc, UnicodeDecodeError):
        return BadInput(
            f"text that is not valid {exc.encoding} (byte {exc.start}: {exc.reason})", "re-save the file as UTF-8"
        )
    if isinstance(exc, UnicodeEncodeError):
        return OutputError(
            f"cannot write {exc.object[exc.start : exc.end][:20]!r} in the {exc.encoding} encoding",
            "use a UTF-8 locale, e.g. LANG=C.UTF-8",
        )
    if isinstance(exc, RecursionError):
        return BadInput("the input is nested too deeply to read", "check the input file")
    if isinstance(exc, OSError):
        return _os_error(exc)
    sqlite3 = sys.modules.get("sqlite3")
    if sqlite3 is not None and isinstance(exc, sqlite3.Error):
        if "locked" in text or "busy" in text:
            return OutputError(
                f"the translation memory is locked by another program ({text})",
                "wait for it to finish, or run with --no-memory",
            )
        return OutputError(
            f"the translation memory cannot be used ({text})",
            "move memory.sqlite aside (handbill starts a new one), or run with --no-memory",
        )
    subprocess = sys.modules.get("subprocess")
    if subprocess is not None and isinstance(exc, subprocess.SubprocessError):
        return EngineFailure(f"a helper program failed ({text[:200]})")
    if isinstance(exc, ImportError):
        return MissingDependency(
            f"part of handbill's installation cannot be loaded ({exc.name or text[:200]})",
            "reinstall handbill: make setup, or pip install --force-reinstall handbill",
        )
    return None


def _os_error(exc: OSError) -> HandbillError:
    where = f" {exc.filename}" if exc.filename else ""
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return OutputError(f"cannot write{where}: {reason}", "free some space, or choose another --out folder")
    if exc.errno == errno.EPIPE:
        return OutputError(
            "the program reading handbill's output stopped reading",
            "let it read to the end; the output files themselves are whole",
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(f"cannot write{where}: {reason}", "check the folder's permissions, or choose another --out")
    if exc.errno in (errno.EMFILE, errno.ENFILE):
        return OutputError(f"too many open files ({reason})", "raise the limit (ulimit -n) and re-run")
    return OutputError(f"cannot read or write{where}: {reason}")


def report(exc: BaseException) -> int:
    """Print the one line `exc` deserves on stderr and return its exit code; with HANDBILL_DEBUG set, the
    traceback too. A bug (no documented class) is exit 1 with the exception named."""
    if isinstance(exc, Interrupted):
        line, code = exc.one_line(), exc.exit_code
    elif isinstance(exc, KeyboardInterrupt):
        line, code = Interrupted().one_line(), INTERRUPTED
    else:
        known = documented(exc)
        if known is not None:
            line, code = known.one_line(), known.exit_code
        else:
            detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
            line, code = (
                (
                    f"error: internal error ({detail}) (hint: this is a bug; re-run with HANDBILL_DEBUG=1 "
                    "and report the traceback)"
                ),
                INTERNAL,
            )
    try:
        if os.environ.get("HANDBILL_DEBUG"):
            traceback.print_exception(exc)
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # no terminal left (SIGHUP), or stderr closed: the exit code still tells
        pass
    return code


EXIT_CODES = {
    OK: "ok",
    INTERNAL: "internal error (a bug: re-run with HANDBILL_DEBUG=1 and report it)",
    USAGE: "usage error (unknown option, missing argument)",
    BadInput.exit_code: "bad input (leaflet, document.json or review file)",
    BadConfig.exit_code: "bad configuration or glossary",
    MissingDependency.exit_code: "missing dependency or unsupported language pair",
    EngineFailure.exit_code: "translation or speech engine failure",
    ReviewConflict.exit_code: "review conflict",
    QualityGate.exit_code: "quality gate failed (--strict)",
    OutputError.exit_code: "cannot write output, or out of memory "
    "(permissions, disk full, memory limit, locked folder)",
    HANGUP: "hung up (SIGHUP), stopped as for Ctrl-C",
    INTERRUPTED: "interrupted (Ctrl-C, SIGINT)",
    TERMINATED: "terminated (SIGTERM), stopped as for Ctrl-C",
}
