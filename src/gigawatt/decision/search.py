"""The gap's root finder: where LOLE crosses the standard along one direction of change."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from gigawatt.decision.verdict import STANDARD_LOLE_D
from gigawatt.stats import Estimate

@dataclass(frozen=True)
class Search:
    """Where LOLE crosses the standard along one direction of change.

    ``x_mw`` is the change [MW]: perfect capacity added (a gap) or data-center load added (headroom);
    ``low_mw``/``high_mw`` its interval (``high_mw`` None: beyond ``cap_mw``). ``trials`` holds
    (x [MW], LOLE mean, stderr) in the order run.
    """

    kind: str
    x_mw: float
    low_mw: float
    high_mw: float | None
    status: str
    trials: tuple = field(default=(), repr=False)

    @property
    def gap_mw(self) -> float:
        """The change [MW] (for a capacity search: the gap)."""
        return self.x_mw

    def to_dict(self) -> dict:
        r = lambda x: None if x is None or not math.isfinite(x) else round(float(x), 1)  # noqa: E731
        return {"estimate": r(self.x_mw), "low": r(self.low_mw), "high": r(self.high_mw), "status": self.status,
                "trials": [{"mw": round(x, 1), "lole_d": round(m, 5), "stderr": round(s, 5)}
                           for x, m, s in self.trials]}


def _log_floor(sim_years: float, target: float = STANDARD_LOLE_D) -> float:
    """What stands in for a LOLE of zero in logarithms: half a shortfall day over the simulated years, and
    always well under the target (so that a trial without a shortfall reads as meeting it)."""
    return min(0.5 / sim_years, 0.1 * target)


def _log_lole(mean: float, floor: float) -> float:
    return math.log(max(mean, floor))


def secant_search(evaluate: Callable[[float], np.ndarray], f0: np.ndarray, direction: int, scale_mw: float,
                  target: float, floor: float, *, z: float = 2.0, max_trials: int = 5,
                  cap_mw: float = math.inf, tol_mw: float = 200.0, first_mw: float | None = None,
                  f0_full: Callable | None = None) -> tuple:
    """The change ``x >= 0`` [MW] at which mean LOLE reaches ``target``, by a secant on log LOLE.

    ``evaluate(x)`` returns per-sample LOLE [day/yr] with ``x`` MW of the change and ``f0`` those at
    ``x = 0``. LOLE falls with ``x`` when ``direction`` is -1 (capacity added) and rises when +1
    (load added). ``scale_mw`` is the first guess of the MW per e-fold of LOLE; ``floor`` stands in
    for a LOLE of zero in logarithms (half a shortfall day over a trial's simulated years).

    The search runs in "stress" ``u = direction * x``, in which ``g(u) = log LOLE - log target`` rises.
    It keeps the bracket of the crossing, steps by regula falsi inside it (at 2-98 % of the bracket,
    as the log-linear model is only local) and extrapolates with the local slope outside it.

    Returns ``(x, low, high, status, trials)``; when the crossing lies beyond ``cap_mw`` (status
    ``"beyond cap"``) or beyond the furthest trial (``"beyond the trials"``), ``x`` is that furthest
    change, a lower bound, and ``high`` is inf; ``trials`` are ``(x, mean, stderr)`` in the order run.
    ``first_mw``: the first trial [MW], e.g. the crossing of the year before (saves trials). ``f0_full``:
    when ``f0`` has fewer samples than the trials (it only aims the first step), returns all of them; called
    if the crossing's bracket ends at the unchanged system. A bracket still wider than the statistical
    resolution when the trials run out gives status ``"wide bracket"`` and an interval that covers it.
    """
    pts = {0.0: np.asarray(f0, float)}
    order = [0.0]
    memo = {}

    def stats(u):
        if u not in memo:
            e = Estimate.of(pts[u])
            memo[u] = (e.mean, e.stderr if math.isfinite(e.stderr) else 0.0)
        return memo[u]

    def g(u):
        return _log_lole(stats(u)[0], floor) - math.log(target)

    def bracket():
        us = sorted(pts)
        a = max((u for u in us if g(u) <= 0), default=None)
        b = min((u for u in us if g(u) > 0 and (a is None or u > a)), default=None)
        return a, b

    u_lo, u_hi = (-cap_mw, 0.0) if direction < 0 else (0.0, cap_mw)
    status = "ok"

    def close_enough(u):  # a trial within half the statistical resolution of the target
        m, se = stats(u)
        return m > 0 and abs(g(u)) <= max(1e-3, 0.5 * z * se / m)

    n_left = max_trials
    if first_mw is not None and 0.0 < first_mw <= cap_mw and max_trials > 0:
        u_first = direction * float(first_mw)
        pts[u_first] = np.asarray(evaluate(direction * u_first), float)
        order.append(u_first)
        n_left -= 1
    for _ in range(n_left):
        if close_enough(order[-1]) and order[-1] != 0.0:
            break
        a, b = bracket()
        if a is not None and b is not None:
            # stop once the bracket is within the statistical resolution: z standard errors of log
            # LOLE at its ends, in MW through the bracket's slope
            slope = (g(b) - g(a)) / (b - a)
            res = z * max(stats(a)[1] / max(stats(a)[0], floor), stats(b)[1] / max(stats(b)[0], floor)) / slope
            if b - a <= max(tol_mw, res):
                break
            w = min(max(-g(a) / (g(b) - g(a)), 0.02), 0.98)
            u_new = a + w * (b - a)
        else:
            us = sorted(pts)
            u1 = us[-1] if b is None else us[0]  # the trial nearest the crossing
            slope, most = 1.0 / scale_mw, 4.0 * scale_mw
            if len(us) >= 2:
                u2 = us[-2] if b is None else us[1]
                s = (g(u1) - g(u2)) / (u1 - u2)
                if s > 0 and stats(u1)[0] > 0 and stats(u2)[0] > 0:  # a measured slope: trusted further
                    slope, most = max(s, 0.1 / scale_mw), 10.0 * scale_mw
            step = min(abs(g(u1)) / slope, most)
            u_new = min(u1 + step, u_hi) if b is None else max(u1 - step, u_lo)
            if u_new in pts:  # at the end of the range already
                status = "beyond cap"
                break
        pts[u_new] = np.asarray(evaluate(direction * u_new), float)
        order.append(u_new)
    a, b = bracket()
    if f0_full is not None and 0.0 in (a, b):  # the unchanged system bounds the crossing: on the trials' samples
        pts[0.0] = np.asarray(f0_full(), float)
        memo.pop(0.0, None)
        a, b = bracket()
    converged = True
    if a is not None and b is not None and not close_enough(order[-1]):
        slope_ab = (g(b) - g(a)) / (b - a)
        res = z * max(stats(a)[1] / max(stats(a)[0], floor), stats(b)[1] / max(stats(b)[0], floor)) / slope_ab
        converged = b - a <= max(tol_mw, res)
    if close_enough(order[-1]) and order[-1] != 0.0:  # the last trial: on the target within the noise
        u_est = order[-1]
        if a is not None and b is not None:
            slope = (g(b) - g(a)) / (b - a)
        else:
            others = [u for u in order if u != u_est]
            u2 = min(others, key=lambda u: abs(u - u_est))
            s2 = (g(u_est) - g(u2)) / (u_est - u2) if stats(u2)[0] > 0 else 0.0
            slope = s2 if s2 > 0 else 1.0 / scale_mw
        near = u_est
    elif a is not None and b is not None:
        ga, gb = g(a), g(b)
        u_est = a + (-ga / (gb - ga)) * (b - a)
        slope = (gb - ga) / (b - a)
        near = a if abs(u_est - a) <= abs(b - u_est) else b
    else:
        # not bracketed: the crossing lies beyond the furthest trial, a lower bound on the change
        u_est = max(pts) if b is None else min(pts)
        status = "beyond cap" if u_est in (u_lo, u_hi) else "beyond the trials"
        slope, near = 1.0 / scale_mw, u_est
    m, se = stats(near)
    hw = z * se / max(m, floor) / max(slope, 1e-12)
    x_est = direction * u_est
    trials = tuple((float(direction * u), *stats(u)) for u in order)
    if status.startswith("beyond"):
        return x_est, x_est, math.inf, status, trials
    lo, hi = x_est - hw, x_est + hw
    if not converged:  # the trials ran out on a wide bracket: the interval covers it
        status = "wide bracket"
        lo, hi = min(lo, direction * a, direction * b), max(hi, direction * a, direction * b)
    return x_est, max(0.0, lo), hi, status, trials


