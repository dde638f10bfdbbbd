"""Room left under an address-space limit (`ulimit -v`).

Some native libraries end the process when an allocation fails instead of failing it: Hunspell aborts, and
OpenBLAS (loaded with numpy) prints "Memory allocation still failed after 10 retries, giving up" and exits 1.
So before loading one of them handbill checks that it fits and otherwise raises MemoryError, which the error
boundary reports as "not enough memory" (exit 9). Without a limit there is nothing to check.
"""

from __future__ import annotations

import sys

MB = 1024**2
# Address space measured on these machines (VmSize before and after the import, 2 cores), plus a margin.
NUMPY = 160 * MB  # numpy with OpenBLAS's thread buffers: +123 MB
AUDIO = 360 * MB  # numpy, scipy.ndimage, pyloudnorm and lameenc: +324 MB
# Python itself can hang, not fail, when the limit is reached inside an import (CI: a run spun for 180 s in the
# import system while loading reportlab), so the print libraries are checked the same way.
PDF = 100 * MB  # reportlab, pypdf, pikepdf, Pillow, HarfBuzz: +67 MB; then the fonts: +34 MB
DOCX = 16 * MB  # python-docx and lxml: +10 MB
RESERVE = 8 * MB  # set aside for the way out once the limit is reached (see ran_out)
STARVED = 2 * MB  # less than this left: the limit is reached, whatever the failure says

_reserve: bytearray | None = None
_ran_out = False  # plain globals: rebinding them allocates nothing, which matters when nothing can be allocated


def limit() -> int | None:
    """The process's address-space limit in bytes, or None when there is none (or no such limit here)."""
    try:
        import resource
    except ImportError:  # not a POSIX system
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else soft


def used() -> int:
    """The process's address space in bytes (VmSize), 0 when it cannot be read."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            return next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError, IndexError):
        return 0


def left() -> int | None:
    """Bytes of address space left under the limit, or None when there is no limit."""
    cap = limit()
    return None if cap is None else cap - used()


def require(need: int, what: str, module: str) -> None:
    """MemoryError unless `need` bytes fit under the limit: said before loading `what` (whose first import is
    `module`), which would end the process rather than fail. Once `module` is loaded there is nothing to check."""
    if module in sys.modules:
        return
    room = left()
    if room is not None and room < need:
        raise MemoryError(f"not enough memory to load {what}")


def set_aside() -> None:
    """Under an address-space limit, keep RESERVE bytes for the way out (see ran_out); none without a limit."""
    global _reserve
    if limit() is not None and _reserve is None:
        try:
            _reserve = bytearray(RESERVE)
        except MemoryError:
            pass  # not even that much: the limit is reached before any work


def ran_out(exc: BaseException | None = None) -> bool:
    """Whether `exc` is the process reaching its address-space limit: a MemoryError, or any failure with under
    STARVED left (a native library that cannot allocate may raise anything: lxml a syntax error, the import system
    SystemError, python-docx a broken package). In a command that set a reserve aside, the first time it is frees
    the reserve, for the clean-up and the one-line report (measured: without one they failed in turn and printed
    tracebacks), and the answer stays yes for the rest of the way out: with the reserve freed, room is back."""
    global _reserve, _ran_out
    if _ran_out:
        return True
    hit = isinstance(exc, MemoryError)
    if not hit:
        try:
            room = left()
        except MemoryError:  # not even room to read /proc
            hit = True
        else:
            hit = room is not None and room < STARVED
    if hit and _reserve is not None:
        _reserve, _ran_out = None, True
    return hit
