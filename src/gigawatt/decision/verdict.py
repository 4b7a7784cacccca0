"""Verdicts: does a year meet the reliability standard, called only when the sampling is clear."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gigawatt.constants import STANDARD_LOLE_D
from gigawatt.stats import Estimate


def zero_event_upper_bound(sim_years: float, confidence: float = 0.95) -> float:
    """Upper bound on LOLE [day/yr] after ``sim_years`` simulated years without a shortfall day.

    Poisson: no event in ``n`` years bounds the rate by ``-ln(1 - confidence) / n`` (3/n at 95 %,
    the "rule of three").
    """
    if sim_years <= 0:
        return math.inf
    return -math.log(1.0 - confidence) / sim_years


@dataclass(frozen=True)
class Verdict:
    """The call on one (year, policy): ``"meets"``, ``"fails"`` or ``"undecided"`` at ``samples`` samples.

    ``upper_bound_d`` is the LOLE upper bound [day/yr] when no shortfall day was seen (else None).
    """

    status: str
    lole_d: Estimate
    samples: int
    upper_bound_d: float | None = None

    def to_dict(self) -> dict:
        return {"status": self.status, "lole_d": self.lole_d.to_dict(), "samples": self.samples,
                "upper_bound_d": self.upper_bound_d}


def judge(values: np.ndarray, years_per_sample: float, target: float = STANDARD_LOLE_D,
          z: float = 3.0) -> Verdict | None:
    """The verdict on per-sample LOLE values, or None while undecided.

    Meets when the mean plus ``z`` standard errors is under the target; fails when the mean minus
    ``z`` standard errors is over it. Either call must also hold for the exact Poisson bound on the
    number of shortfall days seen at the same one-sided confidence: a handful of days (or none, when
    only that bound is reported) can give a standard error far smaller than the data can support.
    """
    n = values.shape[0]
    e = Estimate.of(values)
    conf = _confidence(z)
    sim_years = n * years_per_sample
    k = int(round(float(values.sum()) * years_per_sample))  # shortfall days seen
    if k == 0:
        ub = zero_event_upper_bound(sim_years, conf)
        return Verdict("meets", Estimate(0.0, 0.0), n, ub) if ub < target else None
    se = e.stderr if math.isfinite(e.stderr) else math.inf
    upper, lower = _poisson_bounds(k, sim_years, conf)
    if e.mean + z * se < target and upper < target:
        return Verdict("meets", e, n)
    if e.mean - z * se > target and lower > target:
        return Verdict("fails", e, n)
    return None


def _confidence(z: float) -> float:
    """One-sided confidence of ``z`` standard errors (3: 0.99865)."""
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def _poisson_bounds(k: int, sim_years: float, conf: float) -> tuple:
    """Exact one-sided Poisson bounds on a rate [per year] from ``k`` events in ``sim_years`` (Garwood)."""
    from scipy.stats import chi2

    upper = float(chi2.ppf(conf, 2 * (k + 1))) / 2.0 / sim_years
    lower = float(chi2.ppf(1.0 - conf, 2 * k)) / 2.0 / sim_years if k > 0 else 0.0
    return upper, lower


def verdict_run(run, method, target: float = STANDARD_LOLE_D) -> Verdict:
    """Sample ``run`` (a :class:`~gigawatt.assess.Assessment`) in batches until the LOLE call is decided or
    ``method.max_samples`` (a :class:`~gigawatt.decision.DecisionMethod`) is reached."""
    while True:
        # batches double (4, 8, 16, ... samples): a clear cell stops after the first, a close one
        # reaches the cap in a few runs
        run.extend(min(max(2 * run.samples, method.batch), method.max_samples))
        v = judge(run.lole_per_year(), run.years_per_sample, target, method.z_verdict)
        if v is not None:
            return v
        if run.samples >= method.max_samples:
            vals = run.lole_per_year()
            ub = (zero_event_upper_bound(run.samples * run.years_per_sample, _confidence(method.z_verdict))
                  if not np.any(vals > 0) else None)
            return Verdict("undecided", Estimate.of(vals), run.samples, ub)
