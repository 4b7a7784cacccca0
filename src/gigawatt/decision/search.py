"""The gap's root finder: where LOLE crosses the standard along one direction of change."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Callable, NamedTuple

import numpy as np

from gigawatt.decision.verdict import STANDARD_LOLE_D
from gigawatt.stats import Estimate

class Meter:
    """Progress over the runs of a search: ``progress(done, total)`` counts the samples of every run so far
    (``offset`` plus them, of ``overall``: the most the search and what surrounds it may run)."""

    def __init__(self, progress: Callable | None, total: int, offset: int = 0, overall: int | None = None):
        self.progress, self.total, self.offset = progress, int(total), int(offset)
        self.overall = self.offset + self.total if overall is None else int(overall)
        self.ran = 0

    def mc(self, mc):
        """``mc`` reporting this run's samples after those of the runs before (itself without a callback)."""
        if self.progress is None:
            return mc
        base = self.offset + self.ran
        return replace(mc, progress=lambda done, _n: self.progress(min(base + done, self.offset + self.total),
                                                                   self.overall))

    def ran_samples(self, n: int) -> None:
        self.ran += int(n)

    def part(self, k: int, per: int) -> "Meter":
        """The meter of the ``k``-th of several searches of ``per`` samples at most each."""
        return Meter(self.progress, per, self.offset + k * per, self.overall)

    def finish(self) -> None:
        """All of its samples done (a search that stopped early ran fewer than it might have)."""
        if self.progress is not None:
            self.progress(self.offset + self.total, self.overall)


@dataclass(frozen=True)
class Search:
    """Where LOLE crosses the standard along one direction of change.

    ``x_mw`` is the change [MW]: perfect capacity added (a gap) or data-center load added (headroom);
    ``low_mw``/``high_mw`` its prediction interval: where another seed's estimate falls with the interval's
    probability (``high_mw`` None: beyond ``cap_mw``); ``ci_low_mw``/``ci_high_mw`` the confidence interval
    of the crossing itself and ``sd_mw`` the estimate's standard error (jackknife over the samples; None
    where not searched). ``trials`` holds (x [MW], LOLE mean, stderr) in the order run.
    """

    kind: str
    x_mw: float
    low_mw: float
    high_mw: float | None
    status: str
    trials: tuple = field(default=(), repr=False)
    ci_low_mw: float | None = None
    ci_high_mw: float | None = None
    sd_mw: float | None = None

    @classmethod
    def of(cls, kind: str, crossing: "Crossing") -> "Search":
        """The search of ``kind`` from :func:`secant_search`'s answer."""
        c = crossing
        return cls(kind, c.x_mw, c.low_mw, c.high_mw, c.status, c.trials, c.ci_low_mw, c.ci_high_mw, c.sd_mw)

    @property
    def gap_mw(self) -> float:
        """The change [MW] (for a capacity search: the gap)."""
        return self.x_mw

    def to_dict(self) -> dict:
        r = lambda x: None if x is None or not math.isfinite(x) else round(float(x), 1)  # noqa: E731
        exact = self.status in ("meets at zero", "fails at zero")  # no search: the point is exact
        ci_lo = self.low_mw if exact else self.ci_low_mw
        ci_hi = self.high_mw if exact else self.ci_high_mw
        return {"estimate": r(self.x_mw), "low": r(self.low_mw), "high": r(self.high_mw),
                "ci_low": r(ci_lo), "ci_high": r(ci_hi), "sd": r(0.0 if exact else self.sd_mw),
                "status": self.status,
                "trials": [{"mw": round(x, 1), "lole_d": round(m, 5), "stderr": round(s, 5)}
                           for x, m, s in self.trials]}


class Crossing(NamedTuple):
    """:func:`secant_search`'s answer: the crossing ``x_mw``, its prediction interval ``low_mw``-``high_mw``
    (``high_mw`` inf for a lower bound), ``status``, ``trials`` (x, mean, stderr), its confidence interval
    ``ci_low_mw``-``ci_high_mw`` and standard error ``sd_mw`` (None for a lower bound)."""

    x_mw: float
    low_mw: float
    high_mw: float
    status: str
    trials: tuple
    ci_low_mw: float | None = None
    ci_high_mw: float | None = None
    sd_mw: float | None = None


def interval_quantiles(z: float, samples: int) -> tuple[float, float]:
    """Half-widths, in standard errors of the estimate, of the confidence interval and of the prediction
    interval for another seed's estimate, at the two-sided probability of ``z`` normal standard errors
    (2: 95.4 %) with the standard error estimated from ``samples`` samples.

    Two seeds' estimates ``X1``, ``X2`` are independent with the same standard deviation ``sigma``, so
    ``X2 - X1`` has standard deviation ``sqrt(2) sigma``; with ``sigma`` estimated from ``n`` samples,
    ``(X2 - X1) / (sqrt(2) s)`` follows Student's t with ``n - 1`` degrees of freedom. The confidence
    interval is ``x +- t s``, the prediction interval ``x +- sqrt(2) t s``.
    """
    from scipy.stats import t as student_t

    p = math.erf(z / math.sqrt(2.0))  # two-sided probability of z normal standard errors
    q = float(student_t.ppf(0.5 + p / 2.0, samples - 1)) if samples >= 2 else math.inf
    return q, math.sqrt(2.0) * q


def _log_floor(sim_years: float, target: float = STANDARD_LOLE_D) -> float:
    """What stands in for a LOLE of zero in logarithms: half a shortfall day over the simulated years, and
    always well under the target (so that a trial without a shortfall reads as meeting it)."""
    return min(0.5 / sim_years, 0.1 * target)


def _log_lole(mean: float, floor: float) -> float:
    return math.log(max(mean, floor))


def secant_search(evaluate: Callable[[float], np.ndarray], f0: np.ndarray, direction: int, scale_mw: float,
                  target: float, floor: float, *, z: float = 2.0, max_trials: int = 5,
                  cap_mw: float = math.inf, tol_mw: float = 200.0, first_mw: float | None = None,
                  f0_full: Callable | None = None) -> Crossing:
    """The change ``x >= 0`` [MW] at which mean LOLE reaches ``target``, by a secant on log LOLE.

    ``evaluate(x)`` returns per-sample LOLE [day/yr] with ``x`` MW of the change and ``f0`` those at
    ``x = 0``. LOLE falls with ``x`` when ``direction`` is -1 (capacity added) and rises when +1
    (load added). ``scale_mw`` is the first guess of the MW per e-fold of LOLE; ``floor`` stands in
    for a LOLE of zero in logarithms (half a shortfall day over a trial's simulated years).

    The search runs in "stress" ``u = direction * x``, in which ``g(u) = log LOLE - log target`` rises.
    It keeps the bracket of the crossing, steps by regula falsi inside it (at 2-98 % of the bracket,
    as the log-linear model is only local) and extrapolates with the local slope outside it.

    The crossing is the secant's root between the bracket's ends (or, when the last trial lands on the
    target within the noise on one side of the others, a step from it by the slope to its neighbour); its
    standard error is the jackknife's over the samples (:func:`_crossing`). ``z`` sets the intervals'
    probability (2: 95.4 %, :func:`interval_quantiles`) and the search's resolution.

    Returns a :class:`Crossing`: ``x_mw``, the prediction interval ``low_mw``-``high_mw`` (where another
    seed's estimate falls), ``status``, ``trials`` (``(x, mean, stderr)`` in the order run), the confidence
    interval ``ci_low_mw``-``ci_high_mw`` and the standard error ``sd_mw``. When the crossing lies beyond
    ``cap_mw`` (status ``"beyond cap"``) or beyond the furthest trial (``"beyond the trials"``), ``x_mw`` is
    that furthest change, a lower bound, ``high_mw`` is inf and the rest None.
    ``first_mw``: the first trial [MW], e.g. the crossing of the year before (saves trials). ``f0_full``:
    when ``f0`` has fewer samples than the trials (it only aims the first step), returns all of them; called
    if the crossing's bracket ends at the unchanged system. A bracket still wider than the statistical
    resolution when the trials run out gives status ``"wide bracket"`` and intervals that cover it.
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
    trials = tuple((float(direction * u), *stats(u)) for u in order)
    if a is None or b is None:
        if not (close_enough(order[-1]) and order[-1] != 0.0):
            # not bracketed: the crossing lies beyond the furthest trial, a lower bound on the change
            u_est = max(pts) if b is None else min(pts)
            status = "beyond cap" if u_est in (u_lo, u_hi) else "beyond the trials"
            return Crossing(direction * u_est, direction * u_est, math.inf, status, trials)
        # the last trial is on the target within the noise, on one side of every other trial: a step from it
        # by the slope to its nearest neighbour (the first guess of the slope if that does not rise)
        p1 = order[-1]
        p2 = min((u for u in order if u != p1), key=lambda u: abs(u - p1))
    else:
        p1, p2 = a, b
    u_est, sd = _crossing(pts[p1], pts[p2], p1, p2, floor, math.log(target), 1.0 / scale_mw)
    q1, q2 = _slope_pair(pts, p1, p2, u_est, lambda u: g(u), lambda u: stats(u), floor, z)
    if (q1, q2) != (min(p1, p2), max(p1, p2)):
        sd = _crossing(pts[q1], pts[q2], q1, q2, floor, math.log(target), 1.0 / scale_mw)[1]
    n = max(len(pts[q1]), len(pts[q2]))
    q_ci, q_pi = interval_quantiles(z, n)
    x_est = direction * u_est
    ci = [x_est - q_ci * sd, x_est + q_ci * sd]
    pi = [x_est - q_pi * sd, x_est + q_pi * sd]
    if not converged:  # the trials ran out on a wide bracket: the intervals cover it
        status = "wide bracket"
        for iv in (ci, pi):
            iv[0], iv[1] = min(iv[0], direction * a, direction * b), max(iv[1], direction * a, direction * b)
    return Crossing(x_est, max(0.0, pi[0]), pi[1], status, trials, max(0.0, ci[0]), ci[1], sd)


def _slope_pair(pts: dict, p1: float, p2: float, u_est: float, g: Callable, stats: Callable, floor: float,
                z: float) -> tuple[float, float]:
    """The two trials whose secant gives the crossing's standard error: ``p1``, ``p2`` widened, a trial at a
    time (the next one out, nearer the estimate first), until their log LOLE differ by more than ``z``
    standard errors of either. LOLE per sample is a count of shortfall days, a step function of the change;
    between two close trials its slope is that of the few steps between them, not the mean curve's, and the
    standard error through it would be too small."""
    lo, hi = min(p1, p2), max(p1, p2)

    def noise(u):
        m, se = stats(u)
        return se / max(m, floor)

    while abs(g(hi) - g(lo)) < max(1.0, z * max(noise(lo), noise(hi))):
        below = [u for u in pts if u < lo and stats(u)[0] > 0]
        above = [u for u in pts if u > hi and stats(u)[0] > 0]
        cands = ([max(below)] if below else []) + ([min(above)] if above else [])
        if not cands:
            break
        w = min(cands, key=lambda u: abs(u - u_est))
        lo, hi = (w, hi) if w < lo else (lo, w)
    return lo, hi


def _crossing(f1: np.ndarray, f2: np.ndarray, u1: float, u2: float, floor: float, log_target: float,
              fallback_slope: float) -> tuple[float, float]:
    """Where log mean LOLE, linear through trials ``u1`` and ``u2`` (per-sample LOLE ``f1``, ``f2``), reaches
    ``log_target``, and its standard error by the delete-one jackknife over the samples.

    Sample ``i`` of every trial is the same stream (common random numbers), so the jackknife removes it from
    both trials at once: the standard error holds the noise of both ends, their correlation and that of the
    slope, which the delta method at one end leaves out. A trial with fewer samples (the unchanged system,
    from the verdict's first samples) loses sample ``i`` only if it has it. A slope that does not rise is
    replaced by ``fallback_slope``; a replicate is held within one span of the two trials.
    """
    f1, f2 = np.asarray(f1, float), np.asarray(f2, float)

    def root(m1, m2):
        g1 = np.log(np.maximum(m1, floor)) - log_target
        g2 = np.log(np.maximum(m2, floor)) - log_target
        slope = (g2 - g1) / (u2 - u1)
        slope = np.where(slope > 0, slope, fallback_slope)
        return u1 - g1 / slope

    m1, m2 = f1.mean(), f2.mean()
    u_est = float(root(m1, m2))
    n = max(len(f1), len(f2))
    if n < 2:
        return u_est, 0.0

    def loo(f):  # the mean without sample i, for every i (the mean itself where the trial lacks sample i)
        out = np.full(n, f.mean())
        if len(f) >= 2:
            out[:len(f)] = (f.sum() - f) / (len(f) - 1)
        return out

    span = abs(u2 - u1)
    reps = np.clip(root(loo(f1), loo(f2)), min(u1, u2) - span, max(u1, u2) + span)
    sd = float(np.sqrt((n - 1) / n * ((reps - reps.mean()) ** 2).sum()))
    return u_est, sd
