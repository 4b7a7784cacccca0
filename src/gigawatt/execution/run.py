"""Runs of Monte Carlo samples: :class:`SampleRun` (extendable), ``run_samples`` and ``simulate``.

Every study samples a system through here: :func:`gigawatt.assess` (through ``simulate``) and
:class:`gigawatt.assess.Assessment`, which the decision, the outlook, the what-if page and the
capacity studies use. The method describes the run; this layer drives it on an executor (this
process or Dask), with checkpoints, progress and cancellation between chunks.
"""

from __future__ import annotations

import time

from gigawatt.errors import Cancelled, InputError
from gigawatt.execution.local import LocalExecutor
from gigawatt.execution.reduce import StreamingReducer
from gigawatt.methods.sequential import (PERIODS, Accumulators, SequentialMonteCarlo, chunk_ranges, outage_record,
                                         prepare)
from gigawatt.system import SystemModel


def next_chunk(timing: tuple, left: int, threads: int, target_s: float) -> int:
    """Samples of the next chunk: ``target_s`` [s] at the rate seen so far (``timing``: seconds and samples
    run), a whole number of samples per thread (at least one each), at most ``left``. The first chunk is
    one sample per thread."""
    spent, done = timing
    if done <= 0 or spent <= 0.0:
        k = threads
    else:
        k = int(target_s * done / spent)
        k = max(threads, k - k % threads)
    return max(1, min(k, left))


class SampleRun:
    """Samples ``0 .. n - 1`` of one system under one seed, extended in place.

    Sample ``i`` always draws from the random stream ``(seed, i)``, so extending a run to more
    samples gives the same bits as running them all at once, and each extension computes only the
    new samples. Chunks run on ``method.executor`` (default: this process), are saved under
    ``method.checkpoint_dir`` when set (a rerun of the same inputs reuses them), report
    ``method.progress(done, total)`` and stop between chunks when ``method.cancel()`` is true
    (raising :class:`~gigawatt.errors.Cancelled`).

    Parameters
    ----------
    system : SystemModel or DataCenterSystem
    method : SequentialMonteCarlo
        Seed, chunk size (``None``: one chunk per extension, or chunks of about
        ``method.chunk_seconds`` when that is set), threads, executor, checkpoints, progress, cancel.
    dense : bool
        Record per-period flows, surplus and storage energy (for dense result specs).
    periods : {"all", "lolp"}
        What is kept by period (:data:`gigawatt.methods.sequential.PERIODS`): ``"all"`` the shortfall count
        and energy of every period, in total and by region (the ``period`` of ``Shortfall()``'s result in full); ``"lolp"`` the
        system's count only (that ``period`` then holds ``lolp`` and its standard error).
    """

    def __init__(self, system, method: SequentialMonteCarlo, dense: bool = False, periods: str = "all"):
        if periods not in PERIODS:
            raise InputError(f"periods must be one of {', '.join(PERIODS)}, got {periods!r}")
        self.system = system
        self.method = method
        self.dense = bool(dense)
        self.periods = periods
        self.prep = prepare(system, method.day_utc_offset_h)
        if method.reuse_outages and (method.executor is None or isinstance(method.executor, LocalExecutor)):
            # the grid's outages read back where recorded (runs in this process only)
            self.prep.outages = outage_record(self.prep, method.seed)
        self.parts: list[Accumulators] = []  # one per extension, in sample order
        self.n = 0
        self.reused_samples = 0
        self._store = None
        self._timing = (0.0, 0)  # seconds and samples run so far (chunks sized by time)

    # ----------------------------------------------------------------------------- checkpoints
    def _open_store(self, samples: int):
        """The run's :class:`~gigawatt.execution.checkpoint.ChunkCheckpoint` (``None`` without checkpoints);
        its manifest records the samples first asked for (for people: later extensions reuse it)."""
        if self._store is None and self.method.checkpoint_dir is not None:
            from gigawatt.execution.checkpoint import ChunkCheckpoint, chunk_schema, run_key

            key = run_key(self.prep, self.method.seed, self.dense, self.periods)
            self._store = ChunkCheckpoint(self.method.checkpoint_dir, key,
                                          {"samples": int(samples), "seed": self.method.seed,
                                           "chunk_size": self.method.chunk_size, "dense": self.dense,
                                           "periods": self.periods},
                                          schema=chunk_schema(self.prep, self.dense, self.periods))
        return self._store

    # ----------------------------------------------------------------------------- sampling
    def _check_cancel(self) -> None:
        if self.method.cancel is not None and self.method.cancel():
            raise Cancelled(f"stopped after {self.n} samples")

    def _plan(self, s0: int, n: int) -> list[tuple[int, int]]:
        """Chunks of samples ``s0 .. s0 + n - 1``: by ``chunk_size``, else one (sized by time: see :meth:`extend`)."""
        if self.method.chunk_size is not None:
            return [(s0 + a, b) for a, b in chunk_ranges(n, self.method.chunk_size)]
        return [(s0, n)]

    def extend(self, n_total: int, executor=None, chunks: list[tuple[int, int]] | None = None) -> "SampleRun":
        """Run samples ``self.n .. n_total - 1`` (nothing when ``n_total <= self.n``); returns ``self``.

        With ``method.chunk_seconds`` set (and no ``chunk_size`` and no checkpoints) the chunks are
        sized by the time measured so far, so that cancellation is heard within about that time
        whatever the system costs; the bits do not depend on the chunking. ``chunks``: the
        ``(first sample, count)`` of each chunk of the new samples, instead of the method's.
        """
        n_total = int(n_total)
        if n_total <= self.n:
            return self
        self._check_cancel()
        s0, n = self.n, n_total - self.n
        ex = executor if executor is not None else (self.method.executor or LocalExecutor())
        reducer = StreamingReducer(s0, n)
        store = self._open_store(n_total)
        timed = (self.method.chunk_seconds is not None and self.method.chunk_size is None and store is None
                 and isinstance(ex, LocalExecutor))
        todo = []
        for c0, cn in (self._plan(s0, n) if chunks is None else chunks):
            acc = store.load(c0, cn) if store is not None else None
            if acc is None:
                todo.append((c0, cn))
            else:
                reducer.add(acc)
                self.reused_samples += cn
        if reducer.done:
            self._report(reducer.done, n)
        if timed:
            self._run_timed(ex, todo, reducer, n)
        elif todo:
            chunks = ex.map_chunks(self.prep, self.method.seed, todo, self.method.threads, self.dense,
                                   **self._periods_kw())
            try:
                for acc in chunks:
                    if store is not None:
                        store.save(acc)
                    reducer.add(acc)
                    self._report(reducer.done, n)
                    self._check_cancel()
            finally:
                close = getattr(chunks, "close", None)
                if close is not None:
                    close()  # a Dask executor cancels what is still pending
        self.parts.append(reducer.result())
        self.n = n_total
        return self

    def _run_timed(self, ex, todo, reducer, n) -> None:
        """Run ``todo`` in chunks of about ``method.chunk_seconds`` each (:func:`next_chunk`); ``cancel`` is
        asked before every chunk and once after the last (work cancelled meanwhile is not returned)."""
        import numba

        target = float(self.method.chunk_seconds)
        threads = int(self.method.threads or numba.config.NUMBA_NUM_THREADS)
        for c0, cn in todo:
            done = 0
            while done < cn:
                self._check_cancel()
                k = next_chunk(self._timing, cn - done, threads, target)
                t0 = time.perf_counter()
                for acc in ex.map_chunks(self.prep, self.method.seed, [(c0 + done, k)], self.method.threads,
                                         self.dense, **self._periods_kw()):
                    reducer.add(acc)
                self._timing = (self._timing[0] + time.perf_counter() - t0, self._timing[1] + k)
                done += k
                self._report(reducer.done, n)
        self._check_cancel()

    def _periods_kw(self) -> dict:
        """``periods`` for an executor's ``map_chunks``, passed only when not the default (an executor written
        before it existed takes every other run)."""
        return {} if self.periods == "all" else {"periods": self.periods}

    def _report(self, done: int, n: int) -> None:
        if self.method.progress is not None:
            self.method.progress(self.n + done, self.n + n)

    # ----------------------------------------------------------------------------- results
    def accumulators(self) -> Accumulators:
        """The accumulators of every sample run so far (bit-identical however the run was extended)."""
        if not self.parts:
            raise ValueError("no sample has been run yet")
        if len(self.parts) > 1:
            self.parts = [Accumulators.merge(self.parts)]
        return self.parts[0]


def run_samples(system: SystemModel, method: SequentialMonteCarlo, dense: bool = False, executor=None,
                checkpoint_dir=None, chunks: list[tuple[int, int]] | None = None,
                info: dict | None = None) -> Accumulators:
    """Run every sample of ``method`` on ``system`` and reduce the chunks as they finish.

    Parameters
    ----------
    system : SystemModel
    method : SequentialMonteCarlo
        Samples, seed, chunk size, threads per chunk, progress and cancel callbacks.
    dense : bool
        Record per-period flows, surplus and storage energy (for dense result specs).
    executor : Executor, optional
        Where chunks run (default: ``method.executor``, else :class:`LocalExecutor`).
    checkpoint_dir : path, optional
        Save each finished chunk there and reuse those already saved by an earlier,
        interrupted run of the same inputs (default: ``method.checkpoint_dir``).
    chunks : list of (int, int), optional
        ``(first sample, count)`` of each chunk (default: from ``method.chunk_size``).
    info : dict, optional
        Filled in place with ``reused_samples`` (from checkpoints), ``computed_samples``,
        ``checkpoint`` (the run's checkpoint folder, or ``None``) and ``rejected_chunks``
        (checkpoint files found damaged, removed and recomputed).

    Returns
    -------
    Accumulators
        Bit-identical whatever the executor, worker count, chunking and resumptions.
    """
    import dataclasses

    if checkpoint_dir is not None:
        method = dataclasses.replace(method, checkpoint_dir=checkpoint_dir)
    run = SampleRun(system, method, dense)
    run.extend(method.samples, executor=executor, chunks=chunks)
    out = run.accumulators()
    if info is not None:
        store = run._store
        info.update(reused_samples=run.reused_samples, computed_samples=out.samples - run.reused_samples,
                    checkpoint=None if store is None else str(store.path),
                    rejected_chunks=[] if store is None else [str(p) for p, _ in store.rejected])
    return out


def simulate(system, method: SequentialMonteCarlo, dense: bool = False,
             chunks: list[tuple[int, int]] | None = None) -> Accumulators:
    """Run all samples of ``method`` on ``system`` in chunks and merge the results.

    Chunks run on ``method.executor`` (default: this process) and are checkpointed
    under ``method.checkpoint_dir`` if set; see :func:`run_samples`.
    """
    return run_samples(system, method, dense=dense, chunks=chunks)
