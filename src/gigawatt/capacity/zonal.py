"""The gap by zone: firm capacity placed where it relieves risk, and the import alternative (issue 25).

Given a system whose regions are zones joined by transfer limits (interfaces), :func:`zonal_gap`
finds, per zone, the firm (never-failing) capacity [MW] to add so that the whole system meets its
criterion (PJM's 0.1 day/yr) and every zone meets its own (PJM's locational criterion, see
:class:`ZonalCriteria`). Capacity is placed where the risk is, not pro rata to load:

1. **Each zone's own deficiency.** A zone is held to its criterion for want of its own capacity
   and imports: its LOLE with every other zone made sure (PJM's CETO study of an LDA: the rest of
   the RTO can always help up to the import limit). Shortfalls the whole system shares are not a
   zone's (how the engine spreads them among the regions is a dispatch tie, not a location). The
   zone that fails gets the firm capacity that brings it to its criterion; each zone on its own.
2. **Then the system.** While the system's LOLE is over its criterion (with the zones' additions),
   each zone is probed with one step of firm capacity (common random numbers) and the one whose
   probe relieves the most unserved energy gets the capacity that brings the system to its
   criterion; where ten steps there do not reach it (a limit binds), that zone gets one step and the
   zones are probed again. Ties go to the first zone in region order.

Each step is a noise-aware 1-D search (:func:`~gigawatt.capacity.search.find_crossing`) with
common random numbers: every trial runs the same seed, so sample ``i`` sees the same outages in
every trial and the zones' additions are compared on equal draws. The interval of each step is
the search's (``z`` standard errors of the metric at each end); a zone's interval is the sum of
its steps' (conservative: the steps' errors are treated as fully correlated).

With no binding transfer limit the sum over the zones equals the copper plate's gap
(:func:`copper_plate_gap`); with a binding limit the capacity goes to the importing zone.

**Import alternative.** For each zone that needed capacity for its own criterion, the import
capability into it [MW] (the sum of its interfaces' limits into it, each raised by the same MW)
with which its own deficiency meets its criterion *without* capacity of its own: transmission in
place of local generation (the capacity itself is then needed elsewhere, where the system's
criterion puts it).

Regions with no load (hubs that only join interfaces) carry no criterion of their own.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

from gigawatt.capacity.builders import _append
from gigawatt.capacity.search import Crossing, find_crossing
from gigawatt.capacity.targets import horizon_years
from gigawatt.constants import STANDARD_LOLE_D
from gigawatt.errors import InputError
from gigawatt.stats import Estimate
from gigawatt.system import Generators, Interfaces, SystemModel

#: PJM's reliability criterion for the RTO: LOLE 0.1 day/yr (one day in ten years; PJM Manual 20,
#: the installed reserve margin study; sources.md P1)
RTO_LOLE_D = STANDARD_LOLE_D
#: PJM's criterion for a Locational Deliverability Area: the capacity emergency transfer objective
#: (CETO) is the import an LDA needs for an LOLE of one event in 25 years, 0.04 day/yr (PJM Manual
#: 20, *Resource Adequacy Analysis*, load deliverability, [S152]; PJM Manual 14B; the CETL as the
#: import an LDA needs "to meet its loss-of-load-expectation threshold", [S153], secondary).
#: [unverified here: the manual's text was not retrievable in this project's reference search; a
#: parameter of :class:`ZonalCriteria`; sources.md P8]
LDA_LOLE_D = 0.04


@dataclass(frozen=True)
class ZonalCriteria:
    """The reliability criteria: the system's and each zone's LOLE [day/yr].

    Parameters
    ----------
    rto_lole_d : float
        The whole system's criterion (PJM: 0.1 d/yr).
    zone_lole_d : float or mapping
        Each zone's criterion (PJM's LDA criterion 0.04 d/yr); a mapping zone -> criterion for
        zone-specific values (zones not named take :data:`LDA_LOLE_D`).
    """

    rto_lole_d: float = RTO_LOLE_D
    zone_lole_d: float | Mapping = LDA_LOLE_D

    def __post_init__(self):
        values = dict(self.zone_lole_d) if isinstance(self.zone_lole_d, Mapping) else {"": self.zone_lole_d}
        for name, v in [("rto_lole_d", self.rto_lole_d)] + [(f"zone_lole_d.{k}" if k else "zone_lole_d", v)
                                                          for k, v in values.items()]:
            if isinstance(v, bool) or not isinstance(v, (int, float, np.floating, np.integer)) or not (
                    math.isfinite(v) and v > 0):
                raise InputError(f"criteria {name}: expected a positive number of days per year, got {v!r}")

    def for_zone(self, zone: str) -> float:
        """The criterion of ``zone`` [d/yr]."""
        if isinstance(self.zone_lole_d, Mapping):
            return float(self.zone_lole_d.get(zone, LDA_LOLE_D))
        return float(self.zone_lole_d)


@dataclass(frozen=True)
class ZoneGap:
    """The firm capacity to add in one zone and its import alternative.

    Attributes
    ----------
    zone : str
    estimate_mw, low_mw, high_mw : float
        Firm capacity to add [MW]: estimate and interval (``z`` standard errors of the metric).
    for_zone_mw : float
        Part of ``estimate_mw`` added for the zone's own criterion [MW]; the rest was placed there
        for the system's.
    criterion_d : float
        The zone's LOLE criterion [d/yr] (NaN for a region without load).
    lole_before_d, lole_after_d : Estimate
        The zone's LOLE without and with every zone's additions [d/yr].
    import_limit_mw : float
        Import capability into the zone [MW]: the sum of its interfaces' limits into it (``inf``
        where one is unlimited), at the period where the sum is smallest.
    import_alternative_mw : float or None
        Import capability into the zone with which it meets its criterion without capacity of its
        own [MW] (None where it needed none for its criterion).
    import_alternative_status : str
        ``"ok"``, ``"none needed"``, ``"no interface"`` or the search's status.
    own_lole_before_d : Estimate or None
        The zone's LOLE for want of its own capacity and imports (every other zone made sure) [d/yr]:
        what its criterion is checked on.
    """

    zone: str
    estimate_mw: float
    low_mw: float
    high_mw: float
    for_zone_mw: float
    criterion_d: float
    lole_before_d: Estimate
    lole_after_d: Estimate
    import_limit_mw: float
    import_alternative_mw: float | None = None
    import_alternative_status: str = "none needed"
    own_lole_before_d: Estimate | None = None

    def interval(self) -> dict:
        """``{estimate, low, high}`` [MW], the shape of results.json's ``gap_by_zone_mw`` values."""
        return {"estimate": self.estimate_mw, "low": self.low_mw, "high": self.high_mw}


@dataclass(frozen=True)
class ZonalGap:
    """The gap by zone: what :func:`zonal_gap` returns.

    Attributes
    ----------
    zones : dict
        Zone -> :class:`ZoneGap`, in the system's region order.
    total_mw, total_low_mw, total_high_mw : float
        The system's gap: the sum over the zones [MW] and its interval.
    rto_lole_before_d, rto_lole_after_d : Estimate
        The system's LOLE without and with the additions [d/yr].
    criteria : ZonalCriteria
    samples, seed : int
    steps : tuple of dict
        The search's steps in order: ``zone``, ``reason`` (``"zone"`` or ``"system"``),
        ``added_mw``, ``low_mw``, ``high_mw``, ``status``, ``trials``.
    """

    zones: dict
    total_mw: float
    total_low_mw: float
    total_high_mw: float
    rto_lole_before_d: Estimate
    rto_lole_after_d: Estimate
    criteria: ZonalCriteria
    samples: int
    seed: int
    steps: tuple = field(default=(), repr=False)

    def gap_by_zone_mw(self) -> dict:
        """Zone -> ``{estimate, low, high}`` [MW] (results.json ``gap_by_zone_mw``)."""
        return {z: g.interval() for z, g in self.zones.items()}

    def import_alternative_mw(self) -> dict:
        """Zone -> import capability that closes the zone's own gap [MW], for the zones that have one."""
        return {z: g.import_alternative_mw for z, g in self.zones.items() if g.import_alternative_mw is not None}

    def to_dict(self) -> dict:
        def est(e):
            return e.to_dict() if e is not None else None

        def num(x):
            return float(x) if x is not None and np.isfinite(x) else None

        return {
            "total_mw": {"estimate": self.total_mw, "low": self.total_low_mw, "high": self.total_high_mw},
            "gap_by_zone_mw": self.gap_by_zone_mw(),
            "import_alternative_mw": self.import_alternative_mw(),
            "rto": {"criterion_d": self.criteria.rto_lole_d, "lole_before_d": est(self.rto_lole_before_d),
                    "lole_after_d": est(self.rto_lole_after_d)},
            "zones": {z: {"criterion_d": num(g.criterion_d), "for_zone_mw": g.for_zone_mw,
                          "lole_before_d": est(g.lole_before_d), "lole_after_d": est(g.lole_after_d),
                          "own_lole_before_d": est(g.own_lole_before_d),
                          "import_limit_mw": num(g.import_limit_mw),
                          "import_alternative_status": g.import_alternative_status}
                      for z, g in self.zones.items()},
            "samples": self.samples, "seed": self.seed, "steps": list(self.steps),
        }


# ------------------------------------------------------------------------------- the system
def _grid(system) -> SystemModel:
    """The grid of a system or of a :class:`~gigawatt.datacenter.system.DataCenterSystem`."""
    return system if isinstance(system, SystemModel) else system.system


def _with_grid(system, grid: SystemModel):
    return grid if isinstance(system, SystemModel) else dataclasses.replace(system, system=grid)


def with_firm_mw(system, added: Mapping):
    """``system`` with a never-failing generator of ``added[zone]`` MW in each zone named."""
    items = [(z, float(mw)) for z, mw in added.items() if mw > 0]
    if not items:
        return system
    grid = _grid(system)
    t = grid.n_periods
    gens = Generators(tuple(f"firm gap {z}" for z, _ in items), ("firm gap",) * len(items),
                      tuple(z for z, _ in items), np.repeat(np.array([[mw] for _, mw in items]), t, axis=1),
                      np.zeros((len(items), t)), np.ones((len(items), t)))
    return _with_grid(system, _append(grid, "generators", gens))


def _into(grid: SystemModel, zone) -> list:
    """The interfaces into ``zone`` (a zone, or a tuple of zones: those from outside the set into it):
    (index, field of the limit into it, the region at the other end)."""
    itf = grid.interfaces
    out = []
    if itf is None or len(itf) == 0:
        return out
    inside = {zone} if isinstance(zone, str) else set(zone)
    for i, (a, b) in enumerate(zip(itf.regions_from, itf.regions_to)):
        if b in inside and a not in inside:
            out.append((i, "forward_mw", a))
        elif a in inside and b not in inside:
            out.append((i, "backward_mw", b))
    return out


def import_limit_mw(system, zone) -> float:
    """Import capability into ``zone`` [MW] (a zone, or a tuple of zones: into the set from outside it, its
    cut): its interfaces' limits into it, summed, at the tightest period."""
    grid = _grid(system)
    links = _into(grid, zone)
    if not links:
        return 0.0
    total = sum(np.asarray(getattr(grid.interfaces, f))[i] for i, f, _ in links)
    m = float(np.min(total))
    return math.inf if m >= 1e299 else m


def with_import_raised(system, zone, mw: float):
    """``system`` with each interface limit into ``zone`` (a zone, or a tuple of zones: its cut) raised by
    ``mw`` [MW]."""
    grid = _grid(system)
    itf = grid.interfaces
    fwd, bwd = np.array(itf.forward_mw, float), np.array(itf.backward_mw, float)
    for i, f, _ in _into(grid, zone):
        arr = fwd if f == "forward_mw" else bwd
        arr[i] = np.minimum(arr[i] + mw, 1e300)
    new = Interfaces(itf.regions_from, itf.regions_to, fwd, bwd)
    return _with_grid(system, dataclasses.replace(grid, interfaces=new))


def copper_plate(system):
    """``system`` with every transfer limit lifted."""
    grid = _grid(system)
    itf = grid.interfaces
    if itf is None or len(itf) == 0:
        return system
    inf = np.full(np.shape(itf.forward_mw), math.inf)
    return _with_grid(system, dataclasses.replace(grid, interfaces=Interfaces(itf.regions_from, itf.regions_to,
                                                                               inf, inf)))


# ------------------------------------------------------------------------------- evaluation
@dataclass
class _Runner:
    """Runs the engine with one seed and sample count (every trial on the same draws)."""

    samples: int
    seed: int
    threads: int | None
    day_utc_offset_h: float | None  # None: the system's own clock
    runs: int = 0

    def __call__(self, system) -> tuple[Estimate, dict, Estimate]:
        from gigawatt.assess import assess
        from gigawatt.methods.sequential import SequentialMonteCarlo, forget_prepared
        from gigawatt.results.specs import Shortfall

        m = SequentialMonteCarlo(samples=self.samples, seed=self.seed, threads=self.threads,
                                 day_utc_offset_h=self.day_utc_offset_h)
        r = assess(system, m, Shortfall())
        # every trial is a system of its own: drop the engine's prepared tables of it (they hold its
        # arrays, ~2 GB for the PJM LDA set on 23 weather years) rather than keep four such at once
        forget_prepared()
        self.runs += 1
        k = 1.0 / horizon_years(_grid(system))
        return r.lole_d.scaled(k), {z: v.lole_d.scaled(k) for z, v in r.regions.items()}, r.eue_mwh.scaled(k)


def _search(evaluate_added, target: float, step_mw: float, max_trials: int, z: float,
            cap_mw: float = math.inf) -> tuple[float, float, float, Crossing]:
    """Smallest firm MW ``m >= 0`` at which ``evaluate_added(m)`` (a decreasing metric) meets ``target``.

    The estimate is the smallest size tried whose mean meets the target, at or above the crossing of
    the mean (so that what is added meets the criterion; within the search's tolerance of the
    interpolated crossing). Returns (estimate, low, high, crossing) [MW]; high is ``inf`` when not met
    within ``cap_mw``.
    """
    c = find_crossing(lambda x: evaluate_added(-x), target, x_start=0.0, step_mw=step_mw, x_max=0.0, z=z,
                      x_min=-cap_mw, max_trials=max_trials)
    est, low, high = -c.estimate_mw, -c.high_mw, -c.low_mw
    meeting = [-t.x_mw for t in c.trials if t.estimate.mean <= target and -t.x_mw >= est]
    if meeting and c.status == "ok":
        est = min(meeting)
    return max(est, 0.0), max(low, 0.0), max(high, 0.0), c


def zonal_gap(
    system,
    *,
    seed: int,
    samples: int,
    criteria: ZonalCriteria = ZonalCriteria(),
    zones=None,
    step_mw: float | None = None,
    z: float = 2.0,
    max_rounds: int = 40,
    max_trials: int = 30,
    import_alternative: bool = True,
    threads: int | None = None,
    day_utc_offset_h: float | None = None,
) -> ZonalGap:
    """Per zone, the firm MW to add so that the system and every zone meet their criteria.

    Parameters
    ----------
    system : SystemModel or DataCenterSystem
        Its regions are the zones, its interfaces the transfer limits between them. A horizon
        of several (weather) years is reported per year (as the PJM default's).
    seed, samples : int
        Monte Carlo seed and samples of every trial; sample ``i`` is stream ``(seed, i)`` in
        every trial (common random numbers).
    criteria : ZonalCriteria
    zones : sequence of str, optional
        The zones held to a criterion; default every region with load.
    step_mw : float, optional
        First step of each search [MW]; default 2 % of the system's peak load.
    z : float
        Standard errors at each end of the intervals (2: about 95 %).
    max_rounds : int
        Most search steps in all (the zones may be revisited).
    max_trials : int
        Most engine runs per search step.
    import_alternative : bool
        Also search each zone's import alternative.
    threads : int, optional
    day_utc_offset_h : float, optional
        Overrides the system's own clock for event-day LOLE [h] (default: ``system.timeaxis``'s).

    Returns
    -------
    ZonalGap
    """
    grid = _grid(system)
    names = list(grid.regions.names)
    if zones is None:
        zones = [n for n, e in zip(names, grid.regions.load_mw.sum(axis=1)) if e > 0]
    zones = [str(x) for x in zones]
    unknown = [x for x in zones if x not in names]
    if unknown:
        raise InputError(f"zones: unknown zone(s) {unknown}; the system has {names}")
    if int(samples) != samples or samples < 2:
        raise InputError(f"samples: expected an integer >= 2, got {samples!r}")
    if int(seed) != seed or seed < 0:
        raise InputError(f"seed: expected a non-negative integer, got {seed!r}")
    peak = float(grid.regions.load_mw.sum(axis=0).max())
    step = float(step_mw) if step_mw is not None else max(0.02 * peak, 1.0)
    run = _Runner(int(samples), int(seed), threads, day_utc_offset_h)

    added = {n: 0.0 for n in names}
    low = {n: 0.0 for n in names}
    high = {n: 0.0 for n in names}
    for_zone = {n: 0.0 for n in names}
    own0 = {}
    steps = []
    ample = float(grid.regions.load_mw.max(axis=1).sum()) + 1.0  # more than every load at once
    rto0, zl0, _ = run(system)

    # 1. each zone's own deficiency: the rest of the system made sure (PJM's CETO study of an LDA)
    for x in zones:
        crit = criteria.for_zone(x)
        helped = with_firm_mw(system, {n: ample for n in names if n != x})
        own0[x] = run(helped)[1][x]
        if own0[x].mean <= crit:
            continue

        def own(mw, x=x, helped=helped):
            return run(with_firm_mw(helped, {x: mw}))[1][x]

        est, lo, hi, c = _search(own, crit, step, int(max_trials), z)
        added[x], low[x], high[x], for_zone[x] = est, lo, hi, est
        steps.append({"zone": x, "reason": "zone", "added_mw": est, "low_mw": lo, "high_mw": hi, "status": c.status,
                      "trials": c.n_trials})

    # 2. the system's criterion: capacity where a probe of one step relieves the most unserved energy
    rto, zl, _ = run(with_firm_mw(system, added))
    for _ in range(int(max_rounds)):
        if rto.mean <= criteria.rto_lole_d:
            break
        relief = {x: run(with_firm_mw(system, {**added, x: added[x] + step}))[2].mean for x in zones}
        where = min(relief, key=relief.get)  # ties go to the first zone in region order

        def metric(mw, where=where):
            return run(with_firm_mw(system, {**added, where: added[where] + mw}))[0]

        cap = 10.0 * step
        est, lo, hi, c = _search(metric, criteria.rto_lole_d, step, int(max_trials), z, cap_mw=cap)
        if c.status == "fails_at_min":  # not met within the cap there (a limit binds): one step, then probe again
            est, lo, hi = step, step, step
        added[where] += est
        low[where] += lo
        high[where] += hi
        steps.append({"zone": where, "reason": "system", "added_mw": est, "low_mw": lo, "high_mw": hi,
                      "status": c.status, "trials": c.n_trials})
        rto, zl, _ = run(with_firm_mw(system, added))

    final = with_firm_mw(system, added)
    out = {}
    for n in names:
        crit = criteria.for_zone(n) if n in zones else math.nan
        alt, status = None, "none needed"
        if import_alternative and for_zone[n] > 0:
            helped = with_firm_mw(system, {m: ample for m in names if m != n})
            alt, status = _import_alternative(helped, n, crit, run, step, int(max_trials), z)
        out[n] = ZoneGap(n, added[n], low[n], high[n], for_zone[n], crit, zl0[n], zl[n], import_limit_mw(final, n),
                         alt, status, own0.get(n))
    return ZonalGap(out, float(sum(added.values())), float(sum(low.values())), float(sum(high.values())),
                    rto0, rto, criteria, int(samples), int(seed), tuple(steps))


def _import_alternative(helped, zone, criterion, run, step, max_trials, z):
    """Import capability into ``zone`` with which its own deficiency meets its criterion (no capacity in it)."""
    grid = _grid(helped)
    links = _into(grid, zone)
    if not links:
        return None, "no interface"
    est, _, _, c = _search(lambda mw: run(with_import_raised(helped, zone, mw))[1][zone], criterion, step, max_trials, z)
    if c.status != "ok":
        return None, c.status
    return import_limit_mw(grid, zone) + est * len(links), "ok"


def copper_plate_gap(system, *, seed: int, samples: int, rto_lole_d: float = RTO_LOLE_D, step_mw: float | None = None,
                     z: float = 2.0, max_trials: int = 30, threads: int | None = None,
                     day_utc_offset_h: float | None = None) -> tuple[float, float, float]:
    """The system's gap with every transfer limit lifted [MW]: (estimate, low, high)."""
    plate = copper_plate(system)
    grid = _grid(plate)
    peak = float(grid.regions.load_mw.sum(axis=0).max())
    step = float(step_mw) if step_mw is not None else max(0.02 * peak, 1.0)
    run = _Runner(int(samples), int(seed), threads, day_utc_offset_h)
    where = grid.regions.names[0]
    est, lo, hi, _ = _search(lambda mw: run(with_firm_mw(plate, {where: mw}))[0], rto_lole_d, step, max_trials, z)
    return est, lo, hi


def gap_decomposition(arithmetic_mw: float, steps, *, seed: int, samples: int,
                      criteria: ZonalCriteria = ZonalCriteria(), **search) -> list:
    """From the capacity arithmetic to the model's gap, one modelling element at a time.

    Parameters
    ----------
    arithmetic_mw : float
        The first step, ``"capacity arithmetic"`` [MW]: PJM's requirement minus accredited capacity
        on the model's own inputs (for PJM: ``((1 + IRM) x peak - ICAP) x FPR / (1 + IRM)``).
    steps : sequence of (str, system, bool)
        Each modelling element added in turn: its name, the system with it (and every element
        before it), and whether the system has zones to search by (:func:`zonal_gap`; otherwise
        :func:`copper_plate_gap`). The last is the model itself, so the last ``gap_mw`` is the
        model's gap.
    seed, samples, criteria, **search
        As :func:`zonal_gap` (the same draws in every step: common random numbers).

    Returns
    -------
    list of dict
        ``{"step", "gap_mw", "low_mw", "high_mw"}``, the first ``"capacity arithmetic"`` (exact: low =
        high = gap). results.json's ``gap_decomposition`` is this list with ``step`` and ``gap_mw``.
    """
    out = [{"step": "capacity arithmetic", "gap_mw": float(arithmetic_mw), "low_mw": float(arithmetic_mw),
            "high_mw": float(arithmetic_mw)}]
    for name, system, zoned in steps:
        if zoned:
            g = zonal_gap(system, seed=seed, samples=samples, criteria=criteria, import_alternative=False, **search)
            est, lo, hi = g.total_mw, g.total_low_mw, g.total_high_mw
        else:
            keep = {k: v for k, v in search.items() if k in ("step_mw", "z", "max_trials", "threads",
                                                           "day_utc_offset_h")}
            est, lo, hi = copper_plate_gap(system, seed=seed, samples=samples, rto_lole_d=criteria.rto_lole_d, **keep)
        out.append({"step": str(name), "gap_mw": float(est), "low_mw": float(lo), "high_mw": float(hi)})
    return out


__all__ = ["LDA_LOLE_D", "RTO_LOLE_D", "ZonalCriteria", "ZonalGap", "ZoneGap", "copper_plate", "copper_plate_gap",
           "gap_decomposition", "import_limit_mw", "with_firm_mw", "with_import_raised", "zonal_gap"]
