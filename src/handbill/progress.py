"""Progress: a callable taking one line; the CLI prints it on stderr, a library caller may collect it."""

from __future__ import annotations

import sys
from collections.abc import Callable

Progress = Callable[[str], None]


def stderr_progress(message: str) -> None:
    print(f"handbill: {message}", file=sys.stderr, flush=True)


def quiet(message: str) -> None:
    return None
