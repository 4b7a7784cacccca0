"""Noise-aware root finding for Monte Carlo reliability metrics.

The searches of this package ask "for which size ``x`` [MW] does a Monte Carlo
metric ``f(x)`` cross a target?" (largest load at LOLE 0.1 d/yr, load carried by a
battery at equal reliability, ...). ``f`` is only known through an estimate with a
standard error, so a single root would be false precision. Instead:

* every trial runs with the **same seed**: sample ``i`` of every trial sees the same
  outage history (common random numbers), so the estimated ``f`` is a deterministic,
  (for added load) monotone function of ``x`` and differences between trials are
  paired and far less noisy than their parts;
* the search brackets and bisects three crossings of the estimate: of
  ``f + z se`` (the largest ``x`` that still meets the target with confidence:
  ``low``), of ``f`` itself (``estimate_mw``, interpolated) and of ``f - z se``
  (the smallest ``x`` that fails it with confidence: ``high``);
* it stops when each bracket is within ``rel_tol`` of the statistical interval width
  ``high - low`` (or ``abs_tol_mw``): locating a crossing more finely than the noise
  allows buys nothing.

``[low, high]`` is the test-inversion confidence interval of the crossing at
``z`` standard errors (two-sided, z = 2: about 95 %); the achieved metric at both
ends is reported with its standard error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from gigawatt.capacity.targets import estimate
from gigawatt.errors import InputError
from gigawatt.stats import Estimate


@dataclass(frozen=True)
class Trial:
    """One evaluated size: ``x_mw`` [MW], the metric estimate and (Monte Carlo) per-sample values."""

    x_mw: float
    estimate: Estimate
    values: np.ndarray | None = field(default=None, repr=False)

    def g(self, target: float, k: float) -> float:
        """``mean + k se - target``."""
        se = self.estimate.stderr if np.isfinite(self.estimate.stderr) else 0.0
        return self.estimate.mean + k * se - target


@dataclass(frozen=True)
class Crossing:
    """Where a noisy increasing metric crosses a target.

    Attributes
    ----------
    low_mw, high_mw : float
        Confidence interval of the crossing [MW]: at ``low_mw`` the metric is at least
        ``z`` standard errors under the target, at ``high_mw`` at least ``z`` over it.
        ``high_mw`` is ``inf`` when the target is still met at the largest size tried
        (status ``"meets_at_max"``); ``low_mw`` is ``-inf`` when it is not met at the
        smallest (``"fails_at_min"``).
    estimate_mw : float
        Crossing of the mean estimate (linear interpolation in the last bracket) [MW].
    achieved_low, achieved_high : Estimate
        The metric at ``low_mw`` and ``high_mw``.
    target : float
    z : float
    trials : tuple of Trial, in the order run
    status : str
    """

    low_mw: float
    high_mw: float
    estimate_mw: float
    achieved_low: Estimate | None
    achieved_high: Estimate | None
    target: float
    z: float
    trials: tuple = field(repr=False)
    status: str = "ok"

    @property
    def n_trials(self) -> int:
        return len(self.trials)

    def trial_at(self, x_mw: float) -> Trial:
        """The trial run at ``x_mw``."""
        for t in self.trials:
            if t.x_mw == x_mw:
                return t
        raise KeyError(x_mw)

    def paired_difference(self) -> Estimate | None:
        """Metric at ``high_mw`` minus metric at ``low_mw``, paired sample by sample."""
        if not (np.isfinite(self.low_mw) and np.isfinite(self.high_mw)):
            return None
        a, b = self.trial_at(self.low_mw), self.trial_at(self.high_mw)
        if a.values is None or b.values is None:
            return Estimate(b.estimate.mean - a.estimate.mean, math.hypot(a.estimate.stderr, b.estimate.stderr))
        return Estimate.of(b.values - a.values)

    def to_dict(self) -> dict:
        def num(x):
            return float(x) if np.isfinite(x) else None

        return {
            "low": num(self.low_mw),
            "high": num(self.high_mw),
            "estimate": num(self.estimate_mw),
            "status": self.status,
        }


def _brackets(trials, target, k):
    """(a, b): largest x with g <= 0 below the smallest x with g > 0."""
    xs = sorted(trials)
    above = [x for x in xs if trials[x].g(target, k) > 0]
    b = above[0] if above else math.inf
    below = [x for x in xs if x < b and trials[x].g(target, k) <= 0]
    a = below[-1] if below else -math.inf
    return a, b


def find_crossing(
    evaluate: Callable[[float], object],
    target: float,
    *,
    x_start: float = 0.0,
    step_mw: float,
    x_min: float = -math.inf,
    x_max: float = math.inf,
    z: float = 2.0,
    rel_tol: float = 0.1,
    abs_tol_mw: float = 1.0,
    max_trials: int = 40,
) -> Crossing:
    """Bracket and bisect the crossing of ``target`` by an increasing noisy metric.

    Parameters
    ----------
    evaluate : callable
        ``evaluate(x_mw)`` returns per-sample values (array) or an :class:`Estimate`
        of the metric at size ``x_mw`` [MW]. Run every trial with the same seed.
    target : float
        Level of the metric to locate [metric unit].
    x_start : float
        First size tried [MW].
    step_mw : float
        First bracketing step [MW]; doubled until the target is bracketed.
    x_min, x_max : float
        Range of sizes allowed [MW].
    z : float
        Standard errors on each side (2: about 95 % two-sided).
    rel_tol : float
        Stop when every bracket is narrower than ``rel_tol`` times the interval width.
    abs_tol_mw : float
        ... or narrower than this [MW].
    max_trials : int
        Most trials (engine runs) in all.

    Returns
    -------
    Crossing
    """
    if not (step_mw > 0 and np.isfinite(step_mw)):
        raise InputError(f"search step: expected a positive number of MW, got {step_mw!r}")
    if not (x_min <= x_start <= x_max):
        raise InputError(f"search: start {x_start} MW is outside [{x_min}, {x_max}] MW")
    if z < 0 or rel_tol <= 0 or abs_tol_mw <= 0 or max_trials < 2:
        raise InputError("search: z >= 0, rel_tol > 0, abs_tol_mw > 0 and max_trials >= 2 are required")
    trials: dict[float, Trial] = {}
    order: list[Trial] = []

    def run(x):
        x = float(x)
        if x not in trials:
            out = evaluate(x)
            vals = None if isinstance(out, Estimate) else np.asarray(out, dtype=float)
            t = Trial(x, estimate(out), vals)
            trials[x] = t
            order.append(t)
        return trials[x]

    status = "ok"
    # ---- bracket: a size that meets the target with confidence ...
    x, s = x_start, step_mw
    while run(x).g(target, z) > 0 and len(order) < max_trials:
        if x <= x_min:
            status = "fails_at_min"
            break
        x, s = max(x - s, x_min), 2 * s
    # ... and one that fails it with confidence
    x, s = max(trials), step_mw
    while status == "ok" and run(x).g(target, -z) <= 0 and len(order) < max_trials:
        if x >= x_max:
            status = "meets_at_max"
            break
        x, s = min(x + s, x_max), 2 * s
    # ---- bisect the three crossings until within the statistical resolution
    while status != "fails_at_min" and len(order) < max_trials:
        br = {k: _brackets(trials, target, k) for k in (z, 0.0, -z)}
        ends = [e for e in (br[z][0], br[0.0][1], br[-z][1]) if np.isfinite(e)]
        width = max(ends) - min(ends) if ends else 0.0
        tol = max(abs_tol_mw, rel_tol * width)
        gaps = {k: (b - a) for k, (a, b) in br.items() if np.isfinite(a) and np.isfinite(b)}
        k_next = max(gaps, key=lambda k: gaps[k], default=None)
        if k_next is None or gaps[k_next] <= tol:
            break
        a, b = br[k_next]
        run(0.5 * (a + b))
    low, _ = _brackets(trials, target, z)
    _, high = _brackets(trials, target, -z)
    a0, b0 = _brackets(trials, target, 0.0)
    if np.isfinite(a0) and np.isfinite(b0):
        fa, fb = trials[a0].estimate.mean, trials[b0].estimate.mean
        w = (target - fa) / (fb - fa) if fb > fa else 0.5
        est = a0 + min(max(w, 0.0), 1.0) * (b0 - a0)
    else:
        est = a0 if np.isfinite(a0) else b0
    if not np.isfinite(high) and status == "ok":
        status = "meets_at_max"
    if not np.isfinite(low) and status == "ok":
        status = "fails_at_min"
    return Crossing(
        low_mw=low,
        high_mw=high,
        estimate_mw=est,
        achieved_low=trials[low].estimate if np.isfinite(low) else None,
        achieved_high=trials[high].estimate if np.isfinite(high) else None,
        target=float(target),
        z=float(z),
        trials=tuple(order),
        status=status,
    )
