"""`handbill` and `python -m handbill`: the command line, started so that even a failure while loading it
(a memory limit, a broken installation) ends in one line on stderr and a documented exit code."""

from __future__ import annotations

import sys

from .errors import finished, quiet_unraisable, report, stop_like_ctrl_c, swallowed_stop
from .headroom import set_aside


def main() -> int:
    sys.unraisablehook = quiet_unraisable  # first: a stop swallowed while loading prints no traceback
    stop_like_ctrl_c()  # from the first moment: a SIGTERM while loading is exit 143 too
    try:
        set_aside()  # under a memory limit, room for the way out
        from .cli import main as cli

        return cli(prog_name="handbill")
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 — nothing else can catch it
        # Loading handbill, or a stop signal before click's own boundary begins. A stop inside an import may
        # arrive wrapped (a class body's __set_name__ makes it a RuntimeError).
        stopped = swallowed_stop()
        finished()  # the outcome is known: a signal now must not interrupt the report
        return report(stopped or exc)


if __name__ == "__main__":
    sys.exit(main())
