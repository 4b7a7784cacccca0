"""The outlook as a decision: the gap in GW each year, what each policy closes, a stable verdict, a range.

A planner does not need the loss-of-load expectation of a doomed extrapolation; they need the size
of the problem. For each study year and data-center policy this module answers:

* **Verdict** (:func:`verdict_run`): does the year meet PJM's 0.1 day/yr standard? Samples are
  added in batches until the call is at least ``z_verdict`` (3) standard errors clear of the
  standard, or the cap is reached and the cell is reported ``"undecided"``. A cell with no
  shortfall day at all is judged on an upper bound (:func:`zero_event_upper_bound`), not on a
  standard error of zero. Sample ``i`` is the stream ``(seed, i)`` whatever the batch, so more
  samples extend a run and never replace it.
* **Gap** (:func:`gap_search`): the perfect firm capacity that must be added to hold LOLE at the
  standard, spread over the zones in proportion to their load (the gap of a year that fails).
  Found on a fixed set of samples (common random numbers: every trial sees the same outage
  histories) by a secant search on log LOLE, which is close to linear in added capacity over the
  range that matters (the tail of the margin distribution is near exponential). The interval is
  the search's estimate plus or minus ``z_interval`` standard errors of LOLE turned into MW by the
  local slope (the delta method).
* **Headroom**: for a year that meets the standard, how many MW of new data centers can connect
  under the policy (each new MW with the policy's battery or on-site generation) before it breaks;
  the same search with added data-center load. Under connect-and-manage the new load is curtailed
  before anyone else; its headroom is reported up to the search's cap.
* **What each policy closes**: the firm policy's gap minus the policy's gap [MW].
* **A range** (:func:`range_scenarios`, :func:`run_range`): the gap of 2030 and 2035 under the
  scenarios that bracket the assumptions (load forecast, data-center growth, net additions, the
  reliability backstop procurement), for a tornado chart.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from gigawatt.datacenter._validate import positive, whole
from gigawatt.errors import Cancelled, InputError
from gigawatt.outlook import (FIRST_STUDY_YEAR, OutlookAssumptions, POLICY_KINDS, YearResult, policy_system,
                              year_result)
from gigawatt.stats import Estimate

#: the reliability standard: loss-of-load expectation [day/yr] (PJM's 1 day in 10 years)
STANDARD_LOLE_D = 0.1


def zero_event_upper_bound(sim_years: float, confidence: float = 0.95) -> float:
    """Upper bound on LOLE [day/yr] after ``sim_years`` simulated years without a shortfall day.

    Poisson: no event in ``n`` years bounds the rate by ``-ln(1 - confidence) / n`` (3/n at 95 %,
    the "rule of three").
    """
    if sim_years <= 0:
        return math.inf
    return -math.log(1.0 - confidence) / sim_years


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
    """

    seed: int = 1
    batch: int = 4
    max_samples: int = 160
    search_samples: int = 16
    z_verdict: float = 3.0
    z_interval: float = 2.0
    max_trials: int = 5
    headroom_cap_mw: float = 60_000.0

    def __post_init__(self):
        for name in ("batch", "max_samples", "search_samples", "max_trials"):
            object.__setattr__(self, name, whole(name, getattr(self, name), lo=1))
        if self.max_samples < self.batch:
            raise InputError(f"max_samples: expected at least batch ({self.batch}), got {self.max_samples}")
        if isinstance(self.seed, bool) or int(self.seed) != self.seed or not 0 <= self.seed < 2 ** 63:
            raise InputError(f"seed: expected an integer in [0, 2**63), got {self.seed!r}")  # exact: no float
        for name in ("z_verdict", "z_interval", "headroom_cap_mw"):
            object.__setattr__(self, name, positive(name, getattr(self, name)))


# --------------------------------------------------------------------------------- sampling
class _Runner:
    """Samples of one system, run in batches and kept: per-sample LOLE [day/yr] and the accumulators."""

    def __init__(self, dcs, seed: int, cancel: Callable[[], bool] | None = None,
                 progress: Callable[[int], None] | None = None):
        from gigawatt.methods.sequential import prepare

        self.dcs = dcs
        self.seed = int(seed)
        self.cancel = cancel
        self.progress = progress  # progress(samples run in this call to extend so far)
        if cancel is not None and cancel():
            raise Cancelled("cancelled")
        self.prep = prepare(dcs, -5.0)
        self.years = dcs.n_periods / 8760.0
        self.parts = []
        self.n = 0

    def extend(self, n_total: int) -> None:
        """Run samples ``self.n .. n_total - 1`` in chunks sized by time (:func:`~gigawatt.execution.timed.run_timed`):
        ``cancel`` is asked between chunks (:class:`~gigawatt.errors.Cancelled`), ``progress`` told after each."""
        from gigawatt.execution.timed import run_timed

        if n_total > self.n:
            prog = None if self.progress is None else (lambda done, _n: self.progress(done))
            self.parts.append(run_timed(self.prep, self.seed, self.n, n_total - self.n, cancel=self.cancel,
                                        progress=prog))
            self.n = n_total

    def lole(self, n: int | None = None) -> np.ndarray:
        """Per-sample LOLE [day/yr] of the first ``n`` samples (default all)."""
        v = np.concatenate([p.lold for p in self.parts]).astype(float) / self.years
        return v if n is None else v[:n]

    def accumulators(self):
        from gigawatt.methods.sequential import Accumulators

        return self.parts[0] if len(self.parts) == 1 else Accumulators.merge(self.parts)


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


def verdict_run(runner: _Runner, method: DecisionMethod, target: float = STANDARD_LOLE_D) -> Verdict:
    """Sample ``runner`` in batches until the LOLE call is decided or ``method.max_samples`` is reached."""
    while True:
        # batches double (4, 8, 16, ... samples): a clear cell stops after the first, a close one
        # reaches the cap in a few runs
        runner.extend(min(max(2 * runner.n, method.batch), method.max_samples))
        v = judge(runner.lole(), runner.years, target, method.z_verdict)
        if v is not None:
            return v
        if runner.n >= method.max_samples:
            vals = runner.lole()
            ub = (zero_event_upper_bound(runner.n * runner.years, _confidence(method.z_verdict))
                  if not np.any(vals > 0) else None)
            return Verdict("undecided", Estimate.of(vals), runner.n, ub)


# ----------------------------------------------------------------------------------- search
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


# ----------------------------------------------------------------------------------- systems
def with_added_capacity(dcs, capacity_mw: float):
    """``dcs`` with ``capacity_mw`` of perfect (never failing) capacity, spread over the regions in
    proportion to their mean load, data centers included (:func:`capacity_shares`).

    The capacity offsets load where it stands, in every period: the residents' load of its region
    first, then (beyond it) the region's data-center load, site by site in proportion to their load;
    beyond all of the region's load it is of no use there (it could only be exported). The grid's
    generators, and so their prepared outage tables, are shared with ``dcs``.
    """
    grid = dcs.system
    load = grid.regions.load_mw
    add = capacity_mw * capacity_shares(dcs)[:, None] * np.ones((1, load.shape[1]))
    grid_cut = np.minimum(add, load)
    shifted = dataclasses.replace(grid, regions=dataclasses.replace(grid.regions, load_mw=load - grid_cut))
    rest = add - grid_cut  # (R, T) left for the data centers of each region
    if not dcs.sites or not np.any(rest > 0):
        return dataclasses.replace(dcs, system=shifted)
    site_load = np.array(dcs.site_load_mw, dtype=float, copy=True)
    region_dc = dcs.region_site_load_mw()
    idx = grid.region_index([site.region for site in dcs.sites])
    for i, r in enumerate(idx):
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.where(region_dc[r] > 0, site_load[i] / region_dc[r], 0.0)
        site_load[i] = np.maximum(site_load[i] - rest[r] * frac, 0.0)
    return dataclasses.replace(dcs, system=shifted, site_load_mw=site_load)


def capacity_shares(dcs) -> np.ndarray:
    """Share of added capacity placed in each region: its mean load, data centers included [fraction]."""
    total = dcs.total_system().regions.load_mw.mean(axis=1)
    return total / total.sum()


def _scale_mw(outlook: OutlookAssumptions, year: int) -> float:
    """First guess of the MW per e-fold of LOLE: 1.5 % of the year's peak [est] (from trial runs of
    the PJM default, 2.2-2.8 GW at 150-190 GW of peak)."""
    return 0.015 * outlook.forecast_peak_mw(year)


# ----------------------------------------------------------------------------------- one cell
@dataclass(frozen=True)
class CellResult:
    """One (year, policy): the detail (:class:`~gigawatt.outlook.YearResult`), verdict, gap and headroom."""

    result: YearResult
    verdict: Verdict
    gap: Search
    headroom: Search


def assess_cell(outlook: OutlookAssumptions, year: int, policy: str, method: DecisionMethod, grid=None,
                dc_mw: float | None = None, search: bool = True, guess_mw: float | None = None) -> CellResult:
    """Verdict, gap or headroom, and the year's detail for one study year under one policy.

    ``guess_mw``: where the gap search starts (e.g. extrapolated from the years before); the answer does
    not depend on it beyond the search's resolution, only the number of trials does.
    """
    from gigawatt.results import Shortfall
    from gigawatt.results.datacenter import DataCenters

    name = outlook.policy.resolve([policy], "policy")[0]
    grid = outlook.grid(year) if grid is None else grid
    dc = outlook.dc_load_mw(year) if dc_mw is None else float(dc_mw)
    dcs = policy_system(outlook, year, name, grid=grid, dc_mw=dc)
    base = _Runner(dcs, method.seed)
    verdict = verdict_run(base, method)
    acc = base.accumulators()
    short = Shortfall().finalize(acc, dcs)
    dcr = DataCenters().finalize(acc, dcs)
    detail = year_result(outlook, year, name, dcs, short, dcr)
    none = Search("none", 0.0, 0.0, 0.0, "not searched")
    if not search:
        return CellResult(detail, verdict, none, none)
    n = method.search_samples
    # gap or headroom by the verdict (an undecided cell by its mean)
    fails = verdict.status == "fails" or (verdict.status == "undecided" and verdict.lole_d.mean > STANDARD_LOLE_D)
    near = verdict.status != "fails" or abs(math.log(max(verdict.lole_d.mean, 1e-9) / STANDARD_LOLE_D)) < 1.0
    if near:
        base.extend(n)  # near the standard, the unchanged system is a point of the search: its samples
        if (Estimate.of(base.lole(n)).mean > STANDARD_LOLE_D) != fails:
            n = base.n  # its first samples disagree with the verdict: search on the verdict's samples
    f0 = base.lole(n)  # far above it, only its verdict's samples (the first of the same streams) aim the first step

    def f0_full():  # ... unless the crossing turns out to lie next to the unchanged system
        base.extend(n)
        return base.lole(n)

    floor = _log_floor(n * base.years)
    scale = _scale_mw(outlook, year)
    if fails:
        gap = capacity_gap(dcs, f0, n, method.seed, scale, z=method.z_interval, max_trials=method.max_trials,
                           first_mw=guess_mw, f0_full=f0_full)
        headroom = Search("data-center load", 0.0, 0.0, 0.0, "fails at zero")
    elif outlook.policy.kind(name) == "connect-and-manage":
        # new load is curtailed before any resident and as deep as needed: it never adds to the
        # residents' LOLE (tests/outlook/test_decision.py checks this on the PJM default)
        gap = Search("capacity", 0.0, 0.0, 0.0, "meets at zero")
        headroom = Search("data-center load", math.inf, math.inf, None, "unlimited: curtailed first")
    else:
        def ev_load(x):
            r = _Runner(policy_system(outlook, year, name, grid=grid, dc_mw=dc + x), method.seed)
            r.extend(n)
            return r.lole()

        cap = min(method.headroom_cap_mw, 0.95 * outlook.forecast_peak_mw(year) - dc)
        x, lo, hi, st, tr = secant_search(ev_load, f0, +1, scale, STANDARD_LOLE_D, floor, z=method.z_interval,
                                          max_trials=method.max_trials, cap_mw=cap, f0_full=f0_full)
        headroom = Search("data-center load", x, lo, hi, st, tr)
        gap = Search("capacity", 0.0, 0.0, 0.0, "meets at zero")
    return CellResult(detail, verdict, gap, headroom)


def capacity_gap(dcs, f0: np.ndarray | None, samples: int, seed: int, scale_mw: float, *, z: float = 2.0,
                 max_trials: int = 5, first_mw: float | None = None, f0_full: Callable | None = None,
                 cancel: Callable[[], bool] | None = None, progress: Callable[[int, int], None] | None = None) -> Search:
    """The perfect firm capacity [MW] (:func:`with_added_capacity`) that brings the LOLE of ``dcs`` down to
    the standard, searched on samples ``0 .. samples - 1`` of ``seed``; ``f0``: per-sample LOLE of ``dcs``
    itself if already run (else it is run). A system that meets the standard has a gap of 0.

    ``cancel()`` is asked between chunks of samples (true: :class:`~gigawatt.errors.Cancelled`);
    ``progress(done, total)`` counts samples over every run of the search (``total``: the most it may run).
    """
    total = samples * (max_trials + (1 if f0 is None else 0))
    ran = [0]

    def runner(system):
        base = ran[0]
        prog = None if progress is None else (lambda done: progress(min(base + done, total), total))
        r = _Runner(system, seed, cancel=cancel, progress=prog)
        r.extend(samples)
        ran[0] += samples
        return r.lole()

    if f0 is None:
        f0 = runner(dcs)
    if Estimate.of(f0).mean <= STANDARD_LOLE_D:
        if progress is not None:
            progress(total, total)
        return Search("capacity", 0.0, 0.0, 0.0, "meets at zero")
    years = dcs.n_periods / 8760.0

    def ev_cap(x):
        return runner(with_added_capacity(dcs, x))

    peak = float(dcs.total_system().regions.load_mw.sum(axis=0).max())
    x, lo, hi, st, tr = secant_search(ev_cap, f0, -1, scale_mw, STANDARD_LOLE_D, _log_floor(samples * years), z=z,
                                      max_trials=max_trials, cap_mw=4 * peak, first_mw=first_mw, f0_full=f0_full)
    if progress is not None:
        progress(total, total)
    return Search("capacity", x, lo, hi, st, tr)


def firm_gap(outlook: OutlookAssumptions, year: int, policy: str = "firm", samples: int = 16, seed: int = 1,
             dc_mw: float | None = None, grid=None, dcs=None, cancel: Callable[[], bool] | None = None,
             progress: Callable[[int, int], None] | None = None) -> Search:
    """The perfect firm capacity [MW] that holds LOLE at the standard in ``year`` under ``policy``
    (``x_mw`` 0 with status "meets at zero" when the year meets it as it is).

    ``dcs``: a system of the year to search instead of the policy's (e.g. a what-if's own sites);
    ``cancel``, ``progress``: as :func:`capacity_gap`.
    """
    if dcs is None:
        name = outlook.policy.resolve([policy], "policy")[0]
        dcs = policy_system(outlook, year, name, grid=grid, dc_mw=dc_mw)
    return capacity_gap(dcs, None, samples, seed, _scale_mw(outlook, year), cancel=cancel, progress=progress)


# ----------------------------------------------------------------------------------- outlook
@dataclass(frozen=True)
class Decision:
    """The outlook as a decision: per year and policy, the cell results; helpers for the report."""

    cells: dict  # (year, policy) -> CellResult
    years: tuple
    policies: tuple
    method: DecisionMethod

    @property
    def results(self) -> list:
        """The :class:`~gigawatt.outlook.YearResult` of every cell, by policy then year."""
        return [self.cells[(y, p)].result for p in self.policies for y in self.years]

    def first_year_failing(self, policy: str):
        """The first study year whose verdict is "fails" (None if none)."""
        for y in self.years:
            if self.cells[(y, policy)].verdict.status == "fails":
                return y
        return None

    def gap_closed_mw(self, policy: str, year: int) -> float | None:
        """MW of the firm policy's gap that ``policy`` closes in ``year`` (None without a firm gap)."""
        base = self.policies[0]
        g0 = self.cells[(year, base)].gap
        g1 = self.cells[(year, policy)].gap
        if g0.x_mw <= 0 or g0.status.startswith("beyond") or g1.status.startswith("beyond"):
            return None  # no gap to close, or one of the two only a lower bound
        return g0.x_mw - g1.x_mw

    def to_dict(self) -> dict:
        """JSON-ready: ``gap_mw`` per year (the first policy's, normally firm), ``verdict``,
        ``headroom_mw`` and ``gap_closed_mw`` per policy and year, ``first_year_failing``."""
        base = self.policies[0]
        return {
            "standard_lole_d": STANDARD_LOLE_D,
            "gap_policy": base,
            "gap_mw": {str(y): self.cells[(y, base)].gap.to_dict() for y in self.years},
            "gap_by_policy_mw": {p: {str(y): self.cells[(y, p)].gap.to_dict() for y in self.years}
                                 for p in self.policies},
            "gap_closed_mw": {p: {str(y): _r(self.gap_closed_mw(p, y)) for y in self.years} for p in self.policies},
            "verdict": {p: {str(y): self.cells[(y, p)].verdict.to_dict() for y in self.years} for p in self.policies},
            "headroom_mw": {p: {str(y): self.cells[(y, p)].headroom.to_dict() for y in self.years}
                            for p in self.policies},
            "first_year_failing": {p: self.first_year_failing(p) for p in self.policies},
            "method": dataclasses.asdict(self.method),
        }


def _r(x):
    return None if x is None else round(float(x), 1)


def _guess(cells: dict, before: tuple, year: int, policy: str, base: str) -> float | None:
    """A first trial for the gap of (``year``, ``policy``): its gap the year before plus the growth of the
    base policy's gap (this year's, when known, else the last step's); None without a gap the year before."""
    if not before or cells[(before[-1], policy)].gap.x_mw <= 0:
        return None
    prev = cells[(before[-1], policy)].gap.x_mw
    g1 = cells[(before[-1], base)].gap.x_mw
    if (year, base) in cells and policy != base:
        step = cells[(year, base)].gap.x_mw - g1
    elif len(before) >= 2 and cells[(before[-2], base)].gap.x_mw > 0:
        step = (g1 - cells[(before[-2], base)].gap.x_mw) / (before[-1] - before[-2])
    else:
        return None
    guess = prev + step * (year - before[-1]) if policy == base else prev + step
    return guess if guess > 0 else None


def run_decision(outlook: OutlookAssumptions, method: DecisionMethod = DecisionMethod(), policies=None,
                 progress: Callable | None = None, search: bool = True) -> Decision:
    """Every study year under every policy: verdicts, gaps, headroom and the detail.

    ``progress(done, total, label)`` is called after each (year, policy).
    """
    names = outlook.policy.resolve(POLICY_KINDS if policies is None else policies)
    cells = {}
    total = len(outlook.years) * len(names)
    for i, y in enumerate(outlook.years):
        grid = outlook.grid(y)  # one grid per year, shared by the policies (common random numbers)
        for p in names:
            cells[(y, p)] = assess_cell(outlook, y, p, method, grid=grid, search=search,
                                        guess_mw=_guess(cells, outlook.years[:i], y, p, names[0]))
            if progress is not None:
                progress(len(cells), total, f"{p} {y}")
    return Decision(cells, tuple(outlook.years), tuple(names), method)


# ------------------------------------------------------------------------------------- range
#: peak growth of PJM's 2025 load forecast: summer 3.1 %/yr over 10 years (FACTS_PJM s7 [S55])
PEAK_GROWTH_2025_LF = 0.031
#: data-center growth, low [est]: half the central 5 GW/yr (PJM's 2026 forecast cut large loads
#: after vetting, FACTS_PJM s7 [S60]); high: ~50 GW of new large loads by ~2032 in the preliminary
#: 2025 forecast, 6.25 GW/yr over 2024-2032 (FACTS_PJM s7 [S57], secondary)
DC_GROWTH_LOW_MW_PER_YEAR = 2_500.0
DC_GROWTH_HIGH_MW_PER_YEAR = 50_000.0 / 8.0
#: net capacity additions, low end of the range [MW/yr] [est] (the issue's 0.4-4 GW/yr bracket)
NET_ADDITIONS_LOW_MW_PER_YEAR = 400.0
#: the reliability backstop procurement: 6.8 GW in service June 2032 (as filed, secondary) and
#: 14.9 GW by June 2031 (April 2026 proposal) (FACTS_PJM s10 [S44], [S74]-[S76])
BACKSTOP_FILED = (6_800.0, 2032)
BACKSTOP_PROPOSED = (14_900.0, 2031)
#: study years of the tornado chart
RANGE_YEARS = (2030, 2035)


def _with_dc_growth(o: OutlookAssumptions, per_year: float) -> OutlookAssumptions:
    """``o`` with its data-center trajectory scaled to ``per_year`` growth (by-year values too); the total
    peak moves by the same MW in every year (the data centers are in it), and the capacity already procured
    for 2026 and 2027 (PJM's auctions) stays as it was: those years keep the central capacity."""
    k = per_year / o.dc_growth_mw_per_year if o.dc_growth_mw_per_year > 0 else 0.0
    years = range(FIRST_STUDY_YEAR, max(o.years) + 1)
    dc = {y: o.dc_load_mw(y) * k if o.dc_growth_mw_per_year > 0 else max(0.0, (y - 2024) * per_year)
          for y in years}
    peak = {y: o.forecast_peak_mw(y) + dc[y] - o.dc_load_mw(y) for y in years}
    rm = dict(o.reserve_margin_by_year)
    for y in (2026, 2027):
        if y <= max(o.years):
            rm[y] = o.capacity_mw(y) / peak[y] - 1.0
    return dataclasses.replace(o, dc_growth_mw_per_year=per_year, dc_mw_by_year=dc, peak_mw_by_year=peak,
                               reserve_margin_by_year=rm)


def _with_backstop(o: OutlookAssumptions, mw: float, year: int) -> OutlookAssumptions:
    adds = dict(o.net_additions_mw_by_year)
    adds[year] = adds.get(year, o.net_additions_mw_per_year) + mw
    return dataclasses.replace(o, net_additions_mw_by_year=adds)


def range_scenarios(o: OutlookAssumptions) -> list[tuple[str, str, OutlookAssumptions]]:
    """(factor, case, assumptions) pairs that bracket the central assumptions ``o``."""
    return [
        ("load forecast", "PJM 2025 forecast (3.1 %/yr)", dataclasses.replace(o, peak_growth_per_yr=PEAK_GROWTH_2025_LF)),
        ("data-center growth", f"low ({DC_GROWTH_LOW_MW_PER_YEAR / 1e3:g} GW/yr)",
         _with_dc_growth(o, DC_GROWTH_LOW_MW_PER_YEAR)),
        ("data-center growth", f"high ({DC_GROWTH_HIGH_MW_PER_YEAR / 1e3:g} GW/yr)",
         _with_dc_growth(o, DC_GROWTH_HIGH_MW_PER_YEAR)),
        ("net additions", f"low ({NET_ADDITIONS_LOW_MW_PER_YEAR / 1e3:g} GW/yr)",
         dataclasses.replace(o, net_additions_mw_per_year=NET_ADDITIONS_LOW_MW_PER_YEAR)),
        ("backstop procurement", f"as filed ({BACKSTOP_FILED[0] / 1e3:g} GW in {BACKSTOP_FILED[1]})",
         _with_backstop(o, *BACKSTOP_FILED)),
        ("backstop procurement", f"as proposed ({BACKSTOP_PROPOSED[0] / 1e3:g} GW in {BACKSTOP_PROPOSED[1]})",
         _with_backstop(o, *BACKSTOP_PROPOSED)),
    ]


def _range_guess(central: OutlookAssumptions, a: OutlookAssumptions, year: int, gap_mw: float | None) -> float | None:
    """A first trial for a scenario's gap: the central gap, plus the scenario's extra peak at the installed
    reserve margin, less its extra installed capacity [MW] (a capacity balance; the search does the rest)."""
    if gap_mw is None or not math.isfinite(gap_mw):
        return None
    d_peak = a.forecast_peak_mw(year) - central.forecast_peak_mw(year)
    d_cap = a.capacity_mw(year) - central.capacity_mw(year)
    guess = gap_mw + (1.0 + IRM_FOR_GUESS) * d_peak - d_cap
    return guess if guess > 0 else None


#: reserve margin of the range's first trials [fraction] (PJM's 2027/28 IRM; only aims the search)
IRM_FOR_GUESS = 0.20


def run_range(o: OutlookAssumptions, method: DecisionMethod, central: Decision | None = None,
              years=RANGE_YEARS, progress: Callable | None = None) -> dict:
    """The firm gap in ``years`` under the central assumptions and each range scenario (tornado data)."""
    years = tuple(y for y in years if o.years[0] <= y <= o.years[-1]) or (o.years[-1],)
    scen = range_scenarios(o)
    out = {"years": list(years), "central": {}, "scenarios": []}
    total = len(years) * (len(scen) + (central is None))
    done = 0
    for y in years:
        if central is not None and (y, "firm") in central.cells:
            out["central"][str(y)] = central.cells[(y, "firm")].gap.to_dict()
        else:
            out["central"][str(y)] = assess_cell(o, y, "firm", method).gap.to_dict()
            done += 1
    for factor, case, a in scen:
        row = {"factor": factor, "case": case, "gap_mw": {}}
        for y in years:
            row["gap_mw"][str(y)] = assess_cell(a, y, "firm", method, guess_mw=_range_guess(
                o, a, y, out["central"][str(y)].get("estimate"))).gap.to_dict()
            done += 1
            if progress is not None:
                progress(done, total, f"range: {case} {y}")
        out["scenarios"].append(row)
    return out


__all__ = ["BACKSTOP_FILED", "BACKSTOP_PROPOSED", "CellResult", "Decision", "DecisionMethod", "STANDARD_LOLE_D",
           "Search", "capacity_gap", "Verdict", "assess_cell", "firm_gap", "judge", "range_scenarios", "run_decision", "run_range",
           "secant_search", "verdict_run", "with_added_capacity", "zero_event_upper_bound"]
