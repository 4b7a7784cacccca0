"""Samples in chunks sized by measured time, with progress and cancellation between chunks.

A fixed chunk of samples costs ten times more in a deeply short system than in a healthy one, so
a run that must answer a cancel soon sizes each chunk from the time the previous ones took: about
:data:`TARGET_CHUNK_S` a chunk. The first chunk is one sample per thread. Sample ``i`` draws from
the random stream ``(seed, i)`` and the accumulators' sums are integers, so the result is
bit-identical whatever the chunking (:class:`~gigawatt.methods.sequential.Accumulators`).
"""

from __future__ import annotations

import time
from typing import Callable

from gigawatt.errors import Cancelled
from gigawatt.methods.sequential import Accumulators, Prepared, run_chunk

#: wall time a chunk aims at [s]: short enough that a cancel is heard within about a second, long
#: enough that the per-chunk set-up (a few ms) stays small
TARGET_CHUNK_S = 0.3


def _threads(threads: int | None) -> int:
    import numba

    return int(threads or numba.config.NUMBA_NUM_THREADS)


def next_chunk(done_s: float, done_n: int, left: int, threads: int, target_s: float = TARGET_CHUNK_S) -> int:
    """Samples of the next chunk: ``target_s`` at the rate seen so far (``done_n`` samples in ``done_s``),
    a whole number of samples per thread (at least one each), at most ``left``."""
    if done_n <= 0 or done_s <= 0.0:
        n = threads
    else:
        n = int(target_s * done_n / done_s)
        n = max(threads, n - n % threads)
    return max(1, min(n, left))


def run_timed(prep: Prepared, seed: int, sample0: int, n: int, *, threads: int | None = None,
              dense: bool = False, cancel: Callable[[], bool] | None = None,
              progress: Callable[[int, int], None] | None = None,
              target_s: float = TARGET_CHUNK_S) -> Accumulators:
    """Simulate samples ``sample0 .. sample0 + n - 1`` of ``prep`` in chunks of about ``target_s`` each.

    Parameters
    ----------
    cancel : callable, optional
        ``cancel()`` is asked before every chunk; true stops the run with :class:`~gigawatt.errors.Cancelled`.
    progress : callable, optional
        ``progress(samples_done, n)`` after every chunk.

    Returns
    -------
    Accumulators
        Bit-identical to one chunk of ``n`` samples.
    """
    nthreads = _threads(threads)
    parts: list[Accumulators] = []
    done, spent = 0, 0.0
    while done < n:
        if cancel is not None and cancel():
            raise Cancelled("cancelled")
        k = next_chunk(spent, done, n - done, nthreads, target_s)
        t0 = time.perf_counter()
        parts.append(run_chunk(prep, seed, sample0 + done, k, threads, dense))
        spent += time.perf_counter() - t0
        done += k
        if progress is not None:
            progress(done, n)
    if cancel is not None and cancel():
        raise Cancelled("cancelled")
    return parts[0] if len(parts) == 1 else Accumulators.merge(parts)


__all__ = ["TARGET_CHUNK_S", "next_chunk", "run_timed"]
