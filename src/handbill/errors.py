"""Every failure a user can cause or fix, each with its exit code and a hint.

The CLI's error boundary turns these into one line on stderr and the exit code; anything else
is a bug (exit 1). Codes are documented in the README and pinned by tests/cli/test_exit_codes.py.
"""

from __future__ import annotations

OK = 0
INTERNAL = 1
USAGE = 2
INTERRUPTED = 130


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


class OutputError(HandbillError):
    """An output file or directory cannot be written (permissions, disk full, locked by another run)."""

    exit_code = 9
    default_hint = "choose another --out directory or free some space"


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
    OutputError.exit_code: "cannot write output",
    INTERRUPTED: "interrupted",
}
