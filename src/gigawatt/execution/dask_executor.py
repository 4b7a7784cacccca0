"""Run Monte Carlo chunks on a Dask cluster (local, or any existing scheduler).

Dask is imported only when a :class:`DaskExecutor` starts, so the core never
imports it otherwise. Each chunk is one task; the prepared system is scattered
to every worker once; results stream back in completion order and are released
from the cluster as soon as they are received. A chunk is a pure function of
(system, seed, sample range), so a task that is retried after a worker is lost
gives the same bits.
"""

from __future__ import annotations

import uuid

from gigawatt.errors import InputError
from gigawatt.methods.sequential import run_chunk

#: seconds to wait for an existing scheduler to answer before giving up
CONNECT_TIMEOUT_S = 10.0
#: times a task that raised is retried (tasks lost with a worker are rescheduled by Dask itself)
TASK_RETRIES = 2


def _code_version() -> str:
    """The sampler's code version in this process (run on workers to compare)."""
    from gigawatt.execution.checkpoint import code_version

    return code_version()


def _import_distributed():
    try:
        import distributed
    except ImportError as exc:  # pragma: no cover - dask is a dependency
        raise InputError("Dask execution needs the 'distributed' package: pip install 'dask[distributed]'") from exc
    return distributed


class DaskExecutor:
    """Run chunks as Dask tasks.

    Parameters
    ----------
    workers : int, optional
        Start a local cluster of this many single-threaded worker processes.
    scheduler : str, optional
        Address of an existing scheduler (e.g. ``tcp://10.0.0.5:8786``), as started by
        ``dask scheduler``, dask-kubernetes or dask-jobqueue.
    client : distributed.Client, optional
        An existing client to use (not closed by this executor).
    threads_per_task : int
        Numba threads per chunk on a worker [threads]; 1 fits ``threads_per_worker=1``.
    connect_timeout_s : float
        Seconds to wait for ``scheduler`` [s].

    Exactly one of ``workers``, ``scheduler`` and ``client`` is given. The cluster
    starts on :meth:`start` (or on first use, or when entering a ``with`` block) and is
    closed by :meth:`close`. Workers must have the same gigawatt installed; this is
    checked (:meth:`check_workers`) before any work is sent.

    Examples
    --------
    On SLURM with dask-jobqueue (any cluster manager that yields a ``Client`` works)::

        from dask_jobqueue import SLURMCluster
        from distributed import Client
        cluster = SLURMCluster(cores=1, processes=1, memory="2GB"); cluster.scale(jobs=64)
        with DaskExecutor(client=Client(cluster)) as ex:
            res = assess(system, SequentialMonteCarlo(samples=100_000, executor=ex))
    """

    def __init__(self, workers: int | None = None, scheduler: str | None = None, client=None,
                 threads_per_task: int = 1, connect_timeout_s: float | None = None):
        given = [x is not None for x in (workers, scheduler, client)]
        if sum(given) != 1:
            raise InputError("DaskExecutor: give exactly one of workers=, scheduler= or client=")
        if workers is not None and (int(workers) != workers or workers < 1):
            raise InputError(f"workers: expected a positive integer, got {workers!r}")
        self.workers = workers
        self.scheduler = scheduler
        self.threads_per_task = int(threads_per_task)
        self.connect_timeout_s = CONNECT_TIMEOUT_S if connect_timeout_s is None else connect_timeout_s
        self._client = client
        self._own_client = client is None
        self._cluster = None

    @property
    def description(self) -> str:
        if self.workers is not None:
            return f"{self.workers} local Dask worker{'s' if self.workers != 1 else ''}"
        if self.scheduler is not None:
            return f"Dask scheduler {self.scheduler}"
        return "Dask client"

    @property
    def client(self):
        """The ``distributed.Client`` (starting the cluster if needed)."""
        self.start()
        return self._client

    def start(self) -> "DaskExecutor":
        """Start the local cluster or connect to the scheduler; idempotent."""
        if self._client is not None:
            return self
        distributed = _import_distributed()
        if self.workers is not None:
            self._cluster = distributed.LocalCluster(n_workers=int(self.workers), threads_per_worker=1,
                                                     processes=True, dashboard_address=":0")
            self._client = distributed.Client(self._cluster)
        else:
            try:
                self._client = distributed.Client(self.scheduler, timeout=self.connect_timeout_s)
            except Exception as exc:  # OSError, TimeoutError, ValueError from a malformed address
                raise InputError(
                    f"--scheduler {self.scheduler!r}: could not reach a Dask scheduler there within "
                    f"{self.connect_timeout_s:g} s ({type(exc).__name__}: {exc}). Give the address printed by "
                    "`dask scheduler` (e.g. tcp://10.0.0.5:8786), or use --workers N for a local cluster."
                ) from None
        return self

    def close(self) -> None:
        """Close the client and the local cluster if this executor started them."""
        if self._own_client and self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()
        return False

    def check_workers(self, expected: str | None = None) -> None:
        """Check that every worker runs the same sampler code as this process.

        Parameters
        ----------
        expected : str, optional
            Code version the workers must have (default: this process's,
            :func:`gigawatt.execution.checkpoint.code_version`).

        Raises
        ------
        InputError
            When a worker cannot import gigawatt or runs another version of the sampler
            (its results would differ from a single-process run).
        """
        mine = expected or _code_version()
        try:
            theirs = self.client.run(_code_version)
        except Exception as exc:  # e.g. ModuleNotFoundError on a worker without gigawatt
            raise InputError(f"{self.description}: the workers cannot run gigawatt ({type(exc).__name__}: {exc}); "
                             "install the same gigawatt version in the workers' environment") from None
        if not theirs:
            raise InputError(f"{self.description}: the cluster has no workers")
        other = {addr: v for addr, v in theirs.items() if v != mine}
        if other:
            addr, v = next(iter(other.items()))
            raise InputError(f"{self.description}: worker {addr} runs gigawatt sampler {v}, this process {mine}; "
                             "install the same version everywhere so that results match a single-process run")

    def map_chunks(self, prep, seed, chunks, threads, dense, periods="all"):
        """Submit every chunk, scatter ``prep`` once, and yield results as they complete."""
        distributed = _import_distributed()
        client = self.client
        self.check_workers()
        threads = threads or self.threads_per_task
        prep_f = client.scatter(prep, broadcast=True, hash=False)
        run = uuid.uuid4().hex[:12]
        futures = [client.submit(run_chunk, prep_f, seed, s0, n, threads, dense, periods=periods,
                                 key=f"gigawatt-chunk-{run}-{s0}-{n}", pure=False, retries=TASK_RETRIES)
                   for s0, n in chunks]
        pending = set(futures)
        del futures
        try:
            for fut in distributed.as_completed(list(pending)):
                acc = fut.result()
                pending.discard(fut)
                fut.release()  # drop the result from the cluster's memory at once
                yield acc
        finally:
            if pending:  # stopped early (error or interrupt): do not leave work running
                client.cancel(list(pending))
            client.cancel([prep_f])
