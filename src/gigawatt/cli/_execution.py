"""Shared CLI plumbing for where Monte Carlo chunks run (``--workers``, ``--scheduler``)."""

from __future__ import annotations

from contextlib import contextmanager

from gigawatt.errors import InputError

WORKERS_HELP = "Run chunks on a local Dask cluster of N single-threaded worker processes."
SCHEDULER_HELP = "Run chunks on an existing Dask scheduler at ADDRESS (e.g. tcp://10.0.0.5:8786)."
CHECKPOINT_HELP = ("Save finished chunks under DIR; rerunning the same command resumes from them "
                   "(a changed input starts a new run folder).")


@contextmanager
def executor_from_options(workers: int | None, scheduler: str | None):
    """The executor the options ask for, started, and closed on exit (``None``: this process)."""
    if workers is not None and scheduler is not None:
        raise InputError("--workers and --scheduler: give one or the other (--workers starts a local cluster, "
                         "--scheduler uses an existing one)")
    if workers is None and scheduler is None:
        yield None
        return
    from gigawatt.execution import DaskExecutor

    ex = DaskExecutor(workers=workers, scheduler=scheduler)
    ex.start()
    try:
        yield ex
    finally:
        ex.close()
