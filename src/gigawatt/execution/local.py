"""The executor interface and the in-process executor."""

from __future__ import annotations

from typing import Iterator, Protocol, Sequence

from gigawatt.methods.sequential import Accumulators, Prepared, run_chunk


class Executor(Protocol):
    """Runs chunks of Monte Carlo samples somewhere and yields their accumulators as they finish.

    A chunk is a pure function of (prepared system, seed, first sample, count), so an
    executor may run chunks in any order, on any machine, and retry them after a failure.
    """

    #: a short description for progress bars and logs (e.g. ``"2 Dask workers"``)
    description: str

    def map_chunks(self, prep: Prepared, seed: int, chunks: Sequence[tuple[int, int]], threads: int | None,
                   dense: bool, periods: str = "all") -> Iterator[Accumulators]:
        """Yield one :class:`Accumulators` per ``(sample0, n)`` in ``chunks``, in completion order
        (``periods``: what each keeps by period, :data:`gigawatt.methods.sequential.PERIODS`)."""
        ...  # pragma: no cover - interface


class LocalExecutor:
    """Run chunks one after another in this process (each chunk on ``threads`` numba threads)."""

    description = "this process"

    def map_chunks(self, prep, seed, chunks, threads, dense, periods="all"):
        for s0, n in chunks:
            yield run_chunk(prep, seed, s0, n, threads, dense, periods=periods)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def close(self) -> None:
        """Nothing to release."""
