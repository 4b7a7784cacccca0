"""Evaluate and size mitigations of a site's power swings.

:func:`evaluate` runs one site with a given GPU smoothing and battery and
reports compliance, energy overhead, throughput cost and battery cycles against
the same site unsmoothed (same seed, so the same job events). :func:`smallest_floor`
and :func:`smallest_battery` search for the least mitigation that meets limits.

Assumption of the searches: compliance is monotone in the floor and in battery
power and energy (more never hurts). The bisection stops at the given tolerance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from gigawatt.dynamics import _validate as v
from gigawatt.dynamics.battery import (
    BatterySpec,
    ControlResult,
    ControllerSpec,
    run_controller,
    unconstrained_need,
)
from gigawatt.dynamics.compliance import ComplianceLimits, ComplianceReport, check_compliance
from gigawatt.dynamics.jobs import draw_schedule
from gigawatt.dynamics.smoothing import GpuSmoothing, throughput_cost
from gigawatt.dynamics.trace import SitePowerStream, SiteSpec, SiteTrace, site_power

SECONDS_PER_YEAR = 365.0 * 86400.0


@dataclass(frozen=True)
class MitigationResult:
    """One site under one mitigation.

    Attributes
    ----------
    label : str
        Name of the case.
    report : ComplianceReport
        Grid-side compliance.
    grid_mw : ndarray
        Grid-side power [MW].
    mean_grid_mw : float
        Mean grid-side power [MW].
    energy_overhead : float
        Extra grid energy vs the unsmoothed site (floor, filler, battery losses)
        [fraction of unsmoothed energy].
    throughput_cost : float
        Training throughput lost [fraction].
    battery_cycles_per_year : float
        Equivalent full cycles, scaled to a year [1/yr].
    battery_loss_mwh : float
        Battery conversion losses over the run [MWh].
    ramp_breaches : int
        Steps where the battery could not hold the grid-side ramp limit.
    min_soc, max_soc : float
        Range of the battery's state of charge [fraction] (nan without battery).
    """

    label: str
    report: ComplianceReport
    grid_mw: np.ndarray
    mean_grid_mw: float
    energy_overhead: float
    throughput_cost: float
    battery_cycles_per_year: float
    battery_loss_mwh: float
    ramp_breaches: int
    min_soc: float
    max_soc: float

    def summary(self) -> dict:
        """Scalars for JSON output."""
        d = {k: getattr(self, k) for k in ("label", "mean_grid_mw", "energy_overhead",
                                           "throughput_cost", "battery_cycles_per_year",
                                           "battery_loss_mwh", "ramp_breaches", "min_soc",
                                           "max_soc")}
        d["compliance"] = self.report.to_dict()
        return d


def evaluate(site: SiteSpec, duration_s: float, dt_s: float, limits: ComplianceLimits, *,
             seed: int = 0, smoothing: GpuSmoothing | None = None,
             battery: BatterySpec | None = None, controller: ControllerSpec | None = None,
             baseline: SiteTrace | None = None, label: str = "") -> MitigationResult:
    """Run a site with GPU smoothing and/or a battery and assess the grid side.

    Parameters
    ----------
    site : SiteSpec
        The site.
    duration_s, dt_s : float
        Simulated time and time step [s].
    limits : ComplianceLimits
        Grid-side limits.
    seed : int
        Seed of the job events (the baseline uses the same).
    smoothing : GpuSmoothing, optional
        GPU-level smoothing (default none).
    battery : BatterySpec, optional
        Site battery (default none).
    controller : ControllerSpec, optional
        Battery controller; default: ramp limits = ``limits.max_ramp_mw_per_s``,
        20 s low-pass filter.
    baseline : SiteTrace, optional
        Unsmoothed trace for the same site, seed and step (computed if absent).
    label : str
        Name of the case.

    Returns
    -------
    MitigationResult
    """
    smoothing = smoothing or GpuSmoothing()
    if baseline is None:
        baseline = site_power(site, duration_s, dt_s, seed=seed)
    trace = site_power(site, duration_s, dt_s, seed=seed, smoothing=smoothing) \
        if smoothing.is_active else baseline
    load = trace.facility_mw
    ctl: ControlResult | None = None
    if battery is not None and battery.power_mw > 0:
        controller = controller or default_controller(limits)
        ctl = run_controller(load, dt_s, battery, controller)
        grid = ctl.grid_mw
    else:
        grid = load
    base_e = float(baseline.facility_mw.sum())
    overhead = float(grid.sum()) / base_e - 1.0
    # battery energy left in store is not overhead: add back the change in storage
    if ctl is not None:
        overhead -= float(ctl.energy_mwh[-1] - ctl.initial_energy_mwh) * 3600.0 / dt_s / base_e
    cap = battery.energy_mwh if battery is not None else 0.0
    return MitigationResult(
        label=label, report=check_compliance(grid, dt_s, limits), grid_mw=grid,
        mean_grid_mw=float(grid.mean()), energy_overhead=overhead,
        throughput_cost=throughput_cost(smoothing, trace.lost_work_fraction),
        battery_cycles_per_year=(ctl.equivalent_full_cycles * SECONDS_PER_YEAR / duration_s
                                 if ctl is not None else 0.0),
        battery_loss_mwh=ctl.loss_mwh if ctl is not None else 0.0,
        ramp_breaches=ctl.ramp_breaches if ctl is not None else 0,
        min_soc=float(ctl.energy_mwh.min() / cap) if ctl is not None else math.nan,
        max_soc=float(ctl.energy_mwh.max() / cap) if ctl is not None else math.nan,
    )


def default_controller(limits: ComplianceLimits, filter_time_constant_s: float = 20.0,
                       headroom: float = 0.9) -> ControllerSpec:
    """Controller that ramps at ``headroom`` times the ramp limit, with a low-pass filter."""
    r = limits.max_ramp_mw_per_s
    if math.isfinite(limits.percentile_ramp_mw_per_s):
        r = min(r, limits.percentile_ramp_mw_per_s)
    r = r * headroom if math.isfinite(r) else math.inf
    return ControllerSpec(ramp_up_mw_per_s=r, ramp_down_mw_per_s=r,
                          filter_time_constant_s=filter_time_constant_s)


def smallest_floor(site: SiteSpec, duration_s: float, dt_s: float, limits: ComplianceLimits, *,
                   seed: int = 0, smoothing: GpuSmoothing | None = None,
                   tolerance: float = 0.01) -> float | None:
    """Smallest GPU power floor [fraction of TDP] that makes the site compliant alone.

    Bisection on the floor in [0, 1] with other smoothing settings fixed. Returns
    0.0 if the site is compliant without a floor and ``None`` if no floor is enough
    (e.g. failures still drop whole jobs).
    """
    v.positive("tolerance", tolerance)
    base = smoothing or GpuSmoothing()
    sched = draw_schedule(site.jobs, duration_s, seed)

    def ok(floor: float) -> bool:
        sm = replace(base, power_floor_fraction=floor)
        p = np.concatenate([fac for _, _, fac in SitePowerStream(
            site, duration_s, dt_s, smoothing=sm, schedule=sched)])
        return check_compliance(p, dt_s, limits).compliant

    if ok(0.0):
        return 0.0
    if not ok(1.0):
        return None
    lo, hi = 0.0, 1.0
    while hi - lo > tolerance:
        mid = 0.5 * (lo + hi)
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


@dataclass(frozen=True)
class BatterySize:
    """Result of :func:`smallest_battery`: power [MW], energy [MWh], and the run."""

    power_mw: float
    energy_mwh: float
    result: ControlResult
    report: ComplianceReport


def smallest_battery(load_mw: np.ndarray, dt_s: float, limits: ComplianceLimits,
                     controller: ControllerSpec | None = None, *,
                     round_trip_efficiency: float = 0.92,
                     rel_tolerance: float = 0.02) -> BatterySize | None:
    """Smallest battery that keeps a site's grid-side power within ``limits``.

    Two bisections: the least power with ample energy, then the least energy at
    that power. Starts from :func:`gigawatt.dynamics.battery.unconstrained_need`.

    Parameters
    ----------
    load_mw : ndarray
        Facility power before the battery [MW].
    dt_s : float
        Time step [s].
    limits : ComplianceLimits
        Limits on the grid side.
    controller : ControllerSpec, optional
        Default :func:`default_controller`.
    round_trip_efficiency : float
        Battery round-trip efficiency [fraction].
    rel_tolerance : float
        Relative tolerance of each bisection [fraction].

    Returns
    -------
    BatterySize or None
        ``None`` when even an ample battery with this controller is not compliant.
    """
    controller = controller or default_controller(limits)
    v.positive("rel_tolerance", rel_tolerance)
    p_need, e_need = unconstrained_need(load_mw, dt_s, controller)
    if p_need == 0.0:
        p_need = 1e-3
    e_need = max(e_need, p_need * dt_s / 3600.0)
    # The controller returns to soc_target; give room on both sides, plus losses.
    side = min(controller.soc_target, 1.0 - controller.soc_target) or 0.5
    e_ample = 4.0 * e_need / side + 1e-6

    def run(p: float, e: float):
        b = BatterySpec(p, e, round_trip_efficiency, controller.soc_target)
        res = run_controller(load_mw, dt_s, b, controller)
        return res, check_compliance(res.grid_mw, dt_s, limits)

    res, rep = run(1.05 * p_need, e_ample)
    if not rep.compliant:
        return None

    def bisect(lo: float, hi: float, fn) -> float:
        while hi - lo > rel_tolerance * hi:
            mid = 0.5 * (lo + hi)
            if fn(mid):
                hi = mid
            else:
                lo = mid
        return hi

    p_min = bisect(0.0, 1.05 * p_need, lambda p: run(p, e_ample)[1].compliant)
    e_min = bisect(0.0, e_ample, lambda e: run(p_min, e)[1].compliant)
    res, rep = run(p_min, e_min)
    return BatterySize(power_mw=p_min, energy_mwh=e_min, result=res, report=rep)
