"""Background work (a run with its targets, a re-render) in a bounded pool inside the server process.

A job is found by its id, so a browser reload (or another tab) sees the same job; progress is the share of
the pipeline's stages reported so far, polled by the page."""

from __future__ import annotations

import secrets
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..errors import HandbillError, documented

MAX_WAITING = 8  # jobs queued behind the running ones; more is refused (HTTP 503) rather than piled up
STAGES = ("translate:", "saved:", "render: PDF", "render: Word", "audio:")


class Busy(Exception):
    """The pool is full."""


@dataclass
class Job:
    id: str
    title: str
    steps: int  # stages expected, for the progress bar
    state: str = "waiting"  # waiting, running, done, failed
    messages: list[str] = field(default_factory=list)
    done_steps: int = 0
    results: dict = field(default_factory=dict)  # target -> output folder (str)
    failures: dict = field(default_factory=dict)  # target -> one-line error
    error: str = ""
    started: float = field(default_factory=time.time)
    _seen: set = field(default_factory=set)

    def progress(self, message: str) -> None:
        self.messages.append(message)
        del self.messages[:-200]
        target = message[1 : message.index("]")] if message.startswith("[") and "]" in message else ""
        for stage in STAGES:
            if stage in message and (target, stage) not in self._seen:
                self._seen.add((target, stage))
                self.done_steps += 1

    @property
    def fraction(self) -> float:
        if self.state in ("done", "failed"):
            return 1.0
        return min(0.95, self.done_steps / max(1, self.steps))

    def public(self) -> dict:
        return {
            "id": self.id,
            "state": self.state,
            "percent": round(self.fraction * 100),
            "message": self.messages[-1] if self.messages else "",
            "error": self.error,
            "failures": self.failures,
        }


class Jobs:
    def __init__(self, workers: int = 2):
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="handbill-job")
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()
        self.workers = workers

    def submit(self, title: str, steps: int, work: Callable[[Job], None]) -> Job:
        with self.lock:
            pending = sum(j.state in ("waiting", "running") for j in self.jobs.values())
            if pending >= self.workers + MAX_WAITING:
                raise Busy()
            job = Job(secrets.token_hex(8), title, steps)
            self.jobs[job.id] = job
        self.pool.submit(self._run, job, work)
        return job

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    @staticmethod
    def _run(job: Job, work: Callable[[Job], None]) -> None:
        job.state = "running"
        try:
            work(job)
            job.state = "failed" if job.failures and not job.results else "done"
        except HandbillError as exc:
            job.error, job.state = exc.one_line(), "failed"
        except Exception as exc:  # noqa: BLE001 — a job's failure is shown on its page, never a dead worker
            known = documented(exc)
            if known is None:
                traceback.print_exc()
            job.error = known.one_line() if known else f"error: internal error ({type(exc).__name__}: {exc})"
            job.state = "failed"

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
