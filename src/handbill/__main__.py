"""`handbill` and `python -m handbill`: the command line, started so that even a failure while loading it
(a memory limit, a broken installation) ends in one line on stderr and a documented exit code."""

from __future__ import annotations

import sys

from .errors import report, stop_like_ctrl_c


def main() -> int:
    stop_like_ctrl_c()  # from the first moment: a SIGTERM while loading is exit 143 too
    try:
        from .cli import main as cli
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 — nothing else can catch it
        return report(exc)
    return cli(prog_name="handbill")


if __name__ == "__main__":
    sys.exit(main())
