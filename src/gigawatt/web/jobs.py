"""What-ifs as jobs on a small pool of threads: progress, cancelling, superseding and a time limit.

The sampler's kernels release the GIL, so a few threads run a few what-ifs at once (several
browser tabs do not wait for each other beyond the cores they share). A job is cancelled between
two chunks of samples (sized by time, ~0.6 s: :class:`gigawatt.assess.Assessment`): by its
page, by a newer job of the same page, by the time limit, by a client that went away, or by the
server stopping. Memory stays bounded: at most ``max_pending`` jobs wait or run,
and at most ``keep`` finished ones are remembered (results are a few kB).
"""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable

from gigawatt.errors import Cancelled

#: job states; the last three are final
QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
FINAL = (DONE, FAILED, CANCELLED)


class Busy(Exception):
    """Too many jobs wait or run; try again shortly."""


@dataclass
class Job:
    """One what-if (or gap) job. ``error`` is ``(HTTP status, message)`` when it failed or was cancelled."""

    id: str
    kind: str
    page: str | None
    deadline: float
    state: str = QUEUED
    done: int = 0
    total: int = 0
    result: dict | None = None
    error: tuple | None = None
    cancel_reason: str | None = None
    future: Future | None = field(default=None, repr=False)
    created: float = field(default_factory=time.monotonic)

    def to_dict(self) -> dict:
        out = {"id": self.id, "kind": self.kind, "state": self.state, "done": self.done, "total": self.total}
        if self.result is not None:
            out["result"] = self.result
        if self.error is not None:
            out["error"] = {"status": self.error[0], "detail": self.error[1]}
        return out

    def progress(self, done: int, total: int) -> None:
        """The progress callback of the run: samples done of ``total``."""
        self.done, self.total = int(done), int(total)

    def cancelled(self) -> bool:
        """The cancel callback of the run: true once cancelled or past the deadline (the run then stops)."""
        if self.cancel_reason is None and time.monotonic() > self.deadline:
            self.cancel_reason = "time limit"
        return self.cancel_reason is not None


class JobManager:
    """Runs jobs on ``workers`` threads.

    Parameters
    ----------
    workers : int
        What-ifs run at once.
    max_pending : int
        Jobs waiting or running at most; more are refused (:class:`Busy`).
    time_limit_s : float
        A job still running this long after it was submitted is cancelled [s].
    keep : int
        Finished jobs remembered for their pages.
    """

    def __init__(self, workers: int = 2, max_pending: int = 64, time_limit_s: float = 120.0, keep: int = 256):
        self.workers = int(workers)
        self.max_pending = int(max_pending)
        self.time_limit_s = float(time_limit_s)
        self.keep = int(keep)
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="gigawatt-whatif")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._count = itertools.count()

    def submit(self, kind: str, fn: Callable[[Job], dict], page: str | None = None, total: int = 0) -> Job:
        """Queue ``fn(job)`` (``total``: samples, for progress); a job of the same ``page`` and ``kind``
        still waiting or running is cancelled (superseded)."""
        with self._lock:
            pending = [j for j in self._jobs.values() if j.state not in FINAL]
            if page is not None:
                for j in pending:
                    if j.page == page and j.kind == kind:
                        self._cancel(j, "superseded by a newer request")
                pending = [j for j in pending if j.state not in FINAL]
            if len(pending) >= self.max_pending:
                raise Busy(f"{len(pending)} what-ifs are waiting or running (at most {self.max_pending}); "
                           "try again shortly")
            job = Job(id=f"{next(self._count)}-{secrets.token_hex(6)}", kind=kind, page=page,
                      deadline=time.monotonic() + self.time_limit_s, total=int(total))
            self._jobs[job.id] = job
            self._forget_old()
            job.future = self._pool.submit(self._run, job, fn)
        return job

    def _run(self, job: Job, fn) -> dict | None:
        if job.cancel_reason is not None:
            self._finish(job, CANCELLED, error=(409 if job.cancel_reason != "time limit" else 504, job.cancel_reason))
            return None
        job.state = RUNNING
        try:
            if job.cancelled():
                raise Cancelled(job.cancel_reason)
            result = fn(job)
            if job.cancelled():  # cancelled after its last chunk: still cancelled, never done
                raise Cancelled(job.cancel_reason)
        except Cancelled:
            reason = job.cancel_reason or "cancelled"
            status = 504 if reason == "time limit" else 409
            msg = (f"time limit: the what-if ran past {self.time_limit_s:g} s; use fewer samples"
                   if status == 504 else reason)
            self._finish(job, CANCELLED, error=(status, msg))
            return None
        except Exception as exc:  # noqa: BLE001 - every failure is reported to the page
            from gigawatt.errors import GigawattError

            status = 422 if isinstance(exc, GigawattError) else 500
            self._finish(job, FAILED, error=(status, str(exc) if status < 500 else f"{type(exc).__name__}: {exc}"))
            return None
        self._finish(job, DONE, result=result)
        return result

    def _finish(self, job: Job, state: str, result=None, error=None) -> None:
        with self._lock:
            job.result, job.error, job.state = result, error, state

    def _cancel(self, job: Job, reason: str) -> None:
        if job.state in FINAL:
            return
        job.cancel_reason = reason
        if job.future is not None and job.future.cancel():  # had not started
            job.state, job.error = CANCELLED, (409, reason)

    def cancel(self, job_id: str, reason: str = "cancelled") -> Job | None:
        """Cancel a job (it stops at its next chunk); None if there is no such job."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                self._cancel(job, reason)
            return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def pending(self) -> int:
        with self._lock:
            return sum(j.state not in FINAL for j in self._jobs.values())

    def _forget_old(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.state in FINAL]
        for k in finished[:max(0, len(finished) - self.keep)]:
            del self._jobs[k]

    def cancel_all(self, reason: str = "server stopping") -> None:
        """Cancel every job waiting or running."""
        with self._lock:
            for j in self._jobs.values():
                self._cancel(j, reason)

    def shutdown(self) -> None:
        """Cancel every job and wait for the workers (each stops at its next chunk, within about a second)."""
        self.cancel_all()
        self._pool.shutdown(wait=True, cancel_futures=True)


__all__ = ["Busy", "Job", "JobManager"]
