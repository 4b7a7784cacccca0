"""How the decision is sampled and searched (:class:`DecisionMethod`), and where its samples run."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable

from gigawatt.constants import DEFAULT_DECISION_SAMPLES, DEFAULT_SEED
from gigawatt.datacenter._validate import positive, whole
from gigawatt.errors import InputError
from gigawatt.methods.sequential import SequentialMonteCarlo


@dataclass(frozen=True)
class DecisionMethod:
    """How the decision is sampled and searched.

    Parameters
    ----------
    seed : int
        Sample ``i`` of every run is the stream ``(seed, i)``.
    batch : int
        Samples of the adaptive verdict's first batch; each further batch doubles the samples.
    max_samples : int
        Cap of the adaptive verdict per (year, policy): a cell not decided by then is "undecided".
    search_samples : int
        Samples of each gap or headroom trial (common to all trials of a search).
    z_verdict : float
        Standard errors by which LOLE must clear the standard for a verdict.
    z_interval : float
        Standard errors of the gap and headroom intervals (2: about 95 %).
    max_trials : int
        Most search trials per (year, policy).
    headroom_cap_mw : float
        Largest headroom searched [MW].

    Where the samples run (none of these changes a number):

    executor : gigawatt.execution.Executor, optional
        This process (default) or a Dask cluster (:class:`~gigawatt.execution.DaskExecutor`).
    checkpoint_dir : str or path, optional
        Save every finished chunk there; a rerun of the same decision resumes from them.
    cancel : callable, optional
        Called between chunks; true stops the work with :class:`~gigawatt.errors.Cancelled`.
    chunk_seconds : float, optional
        Chunks of about this many seconds (so that ``cancel`` is heard within about that time).
    """

    seed: int = DEFAULT_SEED
    batch: int = 4
    max_samples: int = DEFAULT_DECISION_SAMPLES
    search_samples: int = 8
    z_verdict: float = 3.0
    z_interval: float = 2.0
    max_trials: int = 5
    headroom_cap_mw: float = 60_000.0
    executor: object | None = field(default=None, compare=False, repr=False)
    checkpoint_dir: str | os.PathLike | None = field(default=None, compare=False)
    cancel: Callable | None = field(default=None, compare=False, repr=False)
    chunk_seconds: float | None = field(default=None, compare=False)

    #: the fields that set the numbers (``to_dict``); the others only say where and how the work runs
    SAMPLING = ("seed", "batch", "max_samples", "search_samples", "z_verdict", "z_interval", "max_trials",
                "headroom_cap_mw")

    def __post_init__(self):
        for name in ("batch", "max_samples", "search_samples", "max_trials"):
            object.__setattr__(self, name, whole(name, getattr(self, name), lo=1))
        if self.max_samples < self.batch:
            raise InputError(f"max_samples: expected at least batch ({self.batch}), got {self.max_samples}")
        if isinstance(self.seed, bool) or int(self.seed) != self.seed or not 0 <= self.seed < 2 ** 63:
            raise InputError(f"seed: expected an integer in [0, 2**63), got {self.seed!r}")  # exact: no float
        for name in ("z_verdict", "z_interval", "headroom_cap_mw"):
            object.__setattr__(self, name, positive(name, getattr(self, name)))


    def to_dict(self) -> dict:
        """The fields that set the numbers (results.json's ``method``)."""
        return {k: getattr(self, k) for k in self.SAMPLING}

    def monte_carlo(self) -> SequentialMonteCarlo:
        """The sampling method of every run of the decision: its seed, executor, checkpoints and cancel."""
        return SequentialMonteCarlo(seed=self.seed, executor=self.executor, checkpoint_dir=self.checkpoint_dir,
                                    cancel=self.cancel, chunk_seconds=self.chunk_seconds)
