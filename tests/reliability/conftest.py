"""Shared helpers for the reliability tests: run the real CLI in a child process, bounded in time
and memory, and check the one-line error contract."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

MEMORY_LIMIT = 3 * 1024**3  # address space of the child, so a runaway input cannot take the machine

# The console script installed next to the interpreter (used when the package has no __main__ module).
HANDBILL = Path(sys.executable).with_name("handbill")


def _limit_memory(limit: int = MEMORY_LIMIT) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def handbill_command() -> list[str]:
    """The argv prefix that starts handbill: `python -m handbill` if it works, else the console script."""
    if (Path(__file__).parents[2] / "src" / "handbill" / "__main__.py").exists():
        return [sys.executable, "-m", "handbill"]
    return [str(HANDBILL)]


def run_cli(
    *args, cwd=None, timeout=120, env=None, obey_permissions=False, memory: int = MEMORY_LIMIT
) -> subprocess.CompletedProcess:
    """Run `handbill ARGS...` as a user would, with a memory cap (3 GB unless given) and a time limit (and,
    with `obey_permissions`, subject to file permission bits even as root)."""
    child_env = dict(os.environ)
    child_env.pop("HANDBILL_DEBUG", None)
    if env:
        child_env.update(env)
    return subprocess.run(
        [*(feeling_permissions() if obey_permissions else []), *handbill_command(), *map(str, args)],
        cwd=cwd,
        env=child_env,
        timeout=timeout,
        text=True,
        capture_output=True,
        preexec_fn=lambda: _limit_memory(memory),
    )


def assert_one_line_error(proc: subprocess.CompletedProcess, code: int) -> str:
    """The error contract: exit CODE, exactly one non-empty stderr line starting "error:", and it is the
    last; any other stderr line is a "handbill: " progress line (none with -q); no traceback, nothing on
    stdout. Returns the error line."""
    detail = f"exit {proc.returncode}\nstdout: {proc.stdout!r}\nstderr: {proc.stderr!r}"
    assert proc.returncode == code, detail
    assert "Traceback" not in proc.stderr, detail
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    progress = [line for line in lines[:-1] if line.startswith("handbill: ")]
    lines = lines[len(progress) :] if progress == lines[:-1] else lines
    assert len(lines) == 1, detail
    assert lines[0].startswith("error:"), detail
    assert proc.stdout == "", detail
    return lines[0]


def files_under(folder) -> set[str]:
    """Every file below FOLDER as a POSIX path relative to it (empty if FOLDER does not exist)."""
    root = Path(folder)
    if not root.exists():
        return set()
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() or p.is_symlink()}


# -- a child process that feels permission bits -----------------------------------------------------------
# Root ignores permission bits; a root child started through setpriv without CAP_DAC_OVERRIDE (and its
# kin) feels them like anyone else, while still owning the test's folders. For any other user the bits
# apply anyway.
PERMISSIONS_APPLY = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner,-linux_immutable", "--"]


def feeling_permissions() -> list[str]:
    """The argv prefix that makes a child obey file permission bits."""
    return PERMISSIONS_APPLY if os.geteuid() == 0 else []
