"""Streaming reduction of Monte Carlo chunks into one set of accumulators.

Chunks arrive in any order (as workers finish them). Each one is folded in at
once and can then be dropped, so memory holds one output (per-sample arrays of
the whole run plus one copy of each per-period sum) and never all the chunks.
The per-period sums are integers (fixed point), so adding chunks in any order
gives the same bits as :meth:`Accumulators.merge` in sample order.
"""

from __future__ import annotations

import numpy as np

from gigawatt.methods.sequential import Accumulators


class StreamingReducer:
    """Fold chunks covering samples ``sample0 .. sample0 + samples - 1`` into one :class:`Accumulators`.

    Parameters
    ----------
    sample0 : int
        First sample of the run.
    samples : int
        Number of samples the chunks must cover, each exactly once.
    """

    def __init__(self, sample0: int, samples: int):
        self.sample0 = int(sample0)
        self.samples = int(samples)
        self.done = 0
        self._seen = np.zeros(self.samples, dtype=bool)
        self._per: dict[str, np.ndarray] | None = None
        self._sums: dict[str, np.ndarray | None] = {}
        self._step_h: float | None = None

    def add(self, part: Accumulators) -> None:
        """Fold one chunk in; raises ``ValueError`` on overlap, mismatch or samples out of range."""
        lo = part.sample0 - self.sample0
        hi = lo + part.samples
        if lo < 0 or hi > self.samples:
            raise ValueError(f"chunk of samples {part.sample0}..{part.sample0 + part.samples - 1} is outside the run")
        if self._seen[lo:hi].any():
            raise ValueError(f"chunk starting at sample {part.sample0} overlaps one already reduced")
        if self._per is None:
            self._step_h = part.step_h
            self._per = {}
            self._events = []
            for name in Accumulators._PER_SAMPLE:
                a = getattr(part, name)
                if a is None or name in _VARIABLE_LENGTH:
                    self._per[name] = None
                else:
                    self._per[name] = np.zeros((self.samples,) + a.shape[1:], dtype=a.dtype)
            for name in Accumulators._SUMS:
                a = getattr(part, name)
                self._sums[name] = None if a is None else np.zeros_like(a)
        elif part.step_h != self._step_h:
            raise ValueError("chunks of different time steps")
        for name in Accumulators._PER_SAMPLE:
            a = getattr(part, name)
            if name in _VARIABLE_LENGTH:
                if a is not None:
                    self._events.append((part.sample0, a))
            elif self._per[name] is not None:
                self._per[name][lo:hi] = a
        for name in Accumulators._SUMS:
            a = getattr(part, name)
            if (a is None) != (self._sums[name] is None):
                raise ValueError(f"chunks disagree on whether {name} was recorded")
            if a is not None:
                self._sums[name] += a
        self._seen[lo:hi] = True
        self.done += part.samples

    def result(self) -> Accumulators:
        """The reduced accumulators; raises ``ValueError`` if some samples are missing."""
        if self._per is None or not self._seen.all():
            missing = int((~self._seen).sum())
            raise ValueError(f"{missing} of {self.samples} samples have not been reduced")
        per = dict(self._per)
        for name in _VARIABLE_LENGTH:
            # event lists: concatenated in sample order, as Accumulators.merge does
            per[name] = (np.concatenate([a for _, a in sorted(self._events, key=lambda x: x[0])])
                         if self._events else None)
        return Accumulators(sample0=self.sample0, samples=self.samples, step_h=self._step_h, **per, **self._sums)


#: per-sample fields whose rows are events, not samples (data-center curtailment events)
_VARIABLE_LENGTH = ("dc_events",)


def accumulators_equal(a: Accumulators, b: Accumulators) -> bool:
    """True when two accumulators hold the same samples and bit-identical arrays."""
    if (a.sample0, a.samples, a.step_h) != (b.sample0, b.samples, b.step_h):
        return False
    for name in Accumulators._PER_SAMPLE + Accumulators._SUMS:
        x, y = getattr(a, name), getattr(b, name)
        if (x is None) != (y is None):
            return False
        if x is not None and (x.dtype != y.dtype or x.shape != y.shape or x.tobytes() != y.tobytes()):
            return False
    return True
