"""Reliability targets and Monte Carlo evaluators for the capacity searches.

A target is a metric and a level, written ``METRIC=VALUE`` (``lole_d=0.1`` is the
"one day in ten years" standard). An evaluator runs the adequacy engine on one
system and returns the metric of every sample, so that two systems assessed with the
same seed can be compared sample by sample (common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gigawatt.errors import InputError
from gigawatt.stats import Estimate

#: metric name -> (description, unit)
METRICS = {
    "lole_d": ("loss-of-load expectation, event-days per horizon", "d/yr"),
    "lolh_h": ("loss-of-load hours per horizon", "h/yr"),
    "eue_mwh": ("expected unserved energy per horizon", "MWh/yr"),
    "neue_ppm": ("normalised expected unserved energy", "ppm"),
}


@dataclass(frozen=True)
class Target:
    """A reliability target: ``metric`` must stay at or under ``value``.

    Parameters
    ----------
    metric : str
        One of ``lole_d`` [d/yr], ``lolh_h`` [h/yr], ``eue_mwh`` [MWh/yr], ``neue_ppm`` [ppm].
    value : float
        The level, in the metric's unit (>= 0).
    """

    metric: str = "lole_d"
    value: float = 0.1

    def __post_init__(self):
        if self.metric not in METRICS:
            raise InputError(f"--target: unknown metric {self.metric!r}; expected one of {sorted(METRICS)}")
        v = float(self.value)
        if not np.isfinite(v) or v < 0:
            raise InputError(f"--target: the level must be a non-negative number, got {self.value!r}")
        object.__setattr__(self, "value", v)

    @classmethod
    def parse(cls, text: str) -> "Target":
        """``"lole_d=0.1"`` -> Target("lole_d", 0.1)."""
        if not isinstance(text, str) or text.count("=") != 1:
            raise InputError(f"--target must be METRIC=VALUE (e.g. lole_d=0.1), got {text!r}")
        name, value = (p.strip() for p in text.split("="))
        try:
            v = float(value)
        except ValueError:
            raise InputError(f"--target: {value!r} is not a number (expected METRIC=VALUE, e.g. lole_d=0.1)") from None
        return cls(name, v)

    def to_dict(self) -> dict:
        return {"metric": self.metric, "value": self.value, "unit": METRICS[self.metric][1]}


def per_sample_metric(samples, metric: str, demand_mwh: float) -> np.ndarray:
    """One metric of every sample from a ``ShortfallSamples`` dataset.

    Parameters
    ----------
    samples : xarray.Dataset
        ``assess(..., ShortfallSamples())``.
    metric : str
        A key of :data:`METRICS`.
    demand_mwh : float
        Total demand over the horizon [MWh] (for ``neue_ppm``).
    """
    if metric == "neue_ppm":
        return np.asarray(samples["eue_mwh"].values, float) / demand_mwh * 1e6
    return np.asarray(samples[metric].values, dtype=float)


def horizon_years(system) -> float:
    """Whole years in the system's horizon (1 for a year or less): metrics are reported per year."""
    years = system.timeaxis.years
    return float(round(years)) if years >= 1.5 else 1.0


@dataclass(frozen=True)
class MonteCarlo:
    """How every trial of a search is run: samples and seed (the same for all trials).

    Parameters
    ----------
    samples : int
        Sampled years per trial.
    seed : int
        Seed; every trial uses streams ``(seed, i)``, so trials are paired sample by sample.
    threads : int, optional
        Threads (results do not depend on it).
    """

    samples: int = 1000
    seed: int = 1
    threads: int | None = None

    def __post_init__(self):
        if int(self.samples) != self.samples or self.samples < 2:
            raise InputError(f"--samples: expected an integer >= 2, got {self.samples!r}")
        if int(self.seed) != self.seed or self.seed < 0:
            raise InputError(f"--seed: expected a non-negative integer, got {self.seed!r}")

    def run(self, system, metric: str) -> np.ndarray:
        """Per-sample values of ``metric`` for ``system`` [metric unit]."""
        from gigawatt.assess import assess
        from gigawatt.methods.sequential import SequentialMonteCarlo
        from gigawatt.results.specs import ShortfallSamples

        method = SequentialMonteCarlo(samples=int(self.samples), seed=int(self.seed), threads=self.threads)
        ds = assess(system, method, ShortfallSamples())
        demand = float(system.regions.load_mw.sum() * system.timeaxis.step_h)
        # a horizon of several (weather) years, e.g. the PJM default, is reported per year
        return per_sample_metric(ds, metric, demand) / horizon_years(system)


def estimate(values) -> Estimate:
    """Mean and standard error of per-sample values (an :class:`Estimate` passes through)."""
    if isinstance(values, Estimate):
        return values
    return Estimate.of(values)
