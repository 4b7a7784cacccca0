"""``run_samples``: all samples of a method on a system, on an executor, with checkpoints.

``simulate`` is what :func:`gigawatt.assess` calls: the method describes the run, this layer drives it."""

from __future__ import annotations

from gigawatt.execution.local import LocalExecutor
from gigawatt.execution.reduce import StreamingReducer
from gigawatt.methods.sequential import Accumulators, SequentialMonteCarlo, chunk_ranges, prepare
from gigawatt.system import SystemModel


def run_samples(system: SystemModel, method: SequentialMonteCarlo, dense: bool = False, executor=None,
                checkpoint_dir=None, chunks: list[tuple[int, int]] | None = None,
                info: dict | None = None) -> Accumulators:
    """Run every sample of ``method`` on ``system`` and reduce the chunks as they finish.

    Parameters
    ----------
    system : SystemModel
    method : SequentialMonteCarlo
        Samples, seed, chunk size, threads per chunk and progress callback.
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
    executor = executor if executor is not None else (method.executor or LocalExecutor())
    checkpoint_dir = checkpoint_dir if checkpoint_dir is not None else method.checkpoint_dir
    prep = prepare(system, method.day_utc_offset_h)
    if chunks is None:
        chunks = chunk_ranges(method.samples, method.chunk_size)
    reducer = StreamingReducer(0, method.samples)
    store = None
    todo = list(chunks)
    if checkpoint_dir is not None:
        from gigawatt.execution.checkpoint import ChunkCheckpoint, chunk_schema, run_key

        key = run_key(prep, method.seed, dense, method.day_utc_offset_h)
        store = ChunkCheckpoint(checkpoint_dir, key, {"samples": method.samples, "seed": method.seed,
                                                      "chunk_size": method.chunk_size, "dense": dense},
                                schema=chunk_schema(prep, dense))
        todo = []
        for s0, n in chunks:
            acc = store.load(s0, n)
            if acc is None:
                todo.append((s0, n))
            else:
                reducer.add(acc)
    reused = reducer.done
    if method.progress is not None and reused:
        method.progress(reducer.done, method.samples)
    if todo:
        for acc in executor.map_chunks(prep, method.seed, todo, method.threads, dense):
            if store is not None:
                store.save(acc)
            reducer.add(acc)
            if method.progress is not None:
                method.progress(reducer.done, method.samples)
    out = reducer.result()
    if info is not None:
        info.update(reused_samples=reused, computed_samples=out.samples - reused,
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
