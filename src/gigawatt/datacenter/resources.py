"""Flexibility resources of a site: on-site battery, on-site generation, compute flexibility.

Battery energy convention (as in :mod:`gigawatt.dynamics.battery`): discharging ``P`` MW
for ``dt`` h takes ``P dt / eta_d`` MWh from storage; charging ``P`` MW stores
``eta_c P dt``; ``eta_c = eta_d = sqrt(round_trip_efficiency)``.

On-site generation: identical units with a two-state outage model (forced outage rate,
mean time to repair, as the engine's generators), a start time, and yearly limits on run
hours (permits) and on energy (fuel).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from gigawatt.datacenter import _validate as v
from gigawatt.datacenter.power import SitePower
from gigawatt.datacenter.throughput import JobClass, default_job_classes, max_reduction_mw
from gigawatt.errors import InputError

# source: sources.md F5, Megapack 2 XL ~3.9 MWh, ~1.9 MW (2-hour) [est], round trip ~92 % [est]
MEGAPACK2XL_ENERGY_MWH = 3.9
MEGAPACK2XL_POWER_MW = 1.9
MEGAPACK2XL_RTE = 0.92
# source: sources.md F5, Megapack 3 5 MWh; Megablock 91 % RTE at medium voltage.
# Power not in sources.md: taken as a 4-hour unit, 1.25 MW [est, assumption].
MEGAPACK3_ENERGY_MWH = 5.0
MEGAPACK3_POWER_MW = 1.25
MEGAPACK3_RTE = 0.91
# Ride-through reserve: share of energy never used for grid support (assumption) [est]
DEFAULT_RESERVE_FRAC = 0.2

# source: sources.md F2, F5, RTS-GMLC gas CT 55 MW: FOR 0.031, MTTF 969 h, MTTR 31 h
GAS_CT_FOR = 0.031
GAS_CT_MTTR_H = 31.0
# source: sources.md F1, large loads may be directed to backup generation "within 15 min"
GAS_CT_START_H = 0.25


@dataclass(frozen=True)
class SiteBattery:
    """On-site battery used to lower the site's grid draw in emergencies.

    Parameters
    ----------
    power_mw : float
        Discharge and charge limit [MW].
    energy_mwh : float
        Energy capacity [MWh].
    round_trip_efficiency : float
        [fraction], in (0, 1].
    reserve_frac : float
        Share of ``energy_mwh`` kept for ride-through, never used for grid support [fraction].
    initial_soc : float
        Stored energy at the start of each sample [fraction of ``energy_mwh``].
    """

    power_mw: float
    energy_mwh: float
    round_trip_efficiency: float = MEGAPACK2XL_RTE
    reserve_frac: float = DEFAULT_RESERVE_FRAC
    initial_soc: float = 1.0

    def __post_init__(self):
        v.non_negative("power_mw", self.power_mw)
        v.non_negative("energy_mwh", self.energy_mwh)
        v.fraction("round_trip_efficiency", self.round_trip_efficiency, open_lo=True)
        v.fraction("reserve_frac", self.reserve_frac)
        v.fraction("initial_soc", self.initial_soc)
        if self.power_mw > 0 and self.energy_mwh == 0:
            raise InputError(f"energy_mwh: expected > 0 when power_mw > 0, got {self.energy_mwh!r}")

    @property
    def eta(self) -> float:
        """One-way efficiency (charge = discharge) [fraction]."""
        return math.sqrt(self.round_trip_efficiency)

    @property
    def reserve_mwh(self) -> float:
        return self.reserve_frac * self.energy_mwh

    @classmethod
    def megapack2xl(cls, n_units: int, **kw) -> SiteBattery:
        """``n_units`` Megapack 2 XL (2-hour): 1.9 MW, 3.9 MWh, 92 % each (sources.md F5)."""
        n = v.whole("n_units", n_units, lo=1)
        kw = {"round_trip_efficiency": MEGAPACK2XL_RTE, **kw}
        return cls(n * MEGAPACK2XL_POWER_MW, n * MEGAPACK2XL_ENERGY_MWH, **kw)

    @classmethod
    def megapack3(cls, n_units: int, **kw) -> SiteBattery:
        """``n_units`` Megapack 3: 5 MWh, 1.25 MW [est], 91 % each (sources.md F5)."""
        n = v.whole("n_units", n_units, lo=1)
        kw = {"round_trip_efficiency": MEGAPACK3_RTE, **kw}
        return cls(n * MEGAPACK3_POWER_MW, n * MEGAPACK3_ENERGY_MWH, **kw)


@dataclass(frozen=True)
class OnsiteGeneration:
    """On-site generation (e.g. mobile gas turbines), run only when the operator directs it.

    Parameters
    ----------
    n_units : int
    unit_mw : float
        Capacity per unit [MW] (Colossus mobile units ~2.5-50 MW, sources.md F5).
    forced_outage_rate : float
        [fraction] in [0, 1). Default gas CT 0.031 (RTS-GMLC).
    mttr_h : float
        Mean time to repair [h]. Default gas CT 31 h (RTS-GMLC).
    start_h : float
        Time from the direction to full output [h]; the first period yields
        ``max(0, 1 - start_h / dt_h)`` of capacity. Default 0.25 h.
    max_hours_per_year : float
        Permit limit on run hours per year [h] (``inf``: none).
    max_energy_mwh_per_year : float
        Fuel limit on energy per year [MWh] (``inf``: none).
    failure_prob, repair_prob : array (n_periods,), optional
        Per-period failure and repair probabilities of each unit, instead of the constant ones of
        ``forced_outage_rate`` and ``mttr_h``: the outage process of a grid class with its
        exposure to the weather (e.g. the correlated cold of :mod:`gigawatt.systems.pjm`). Both or
        neither; their length must be the system's number of periods.
    """

    n_units: int
    unit_mw: float
    forced_outage_rate: float = GAS_CT_FOR
    mttr_h: float = GAS_CT_MTTR_H
    start_h: float = GAS_CT_START_H
    max_hours_per_year: float = math.inf
    max_energy_mwh_per_year: float = math.inf
    failure_prob: object = field(default=None, compare=False, repr=False)
    repair_prob: object = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "n_units", v.whole("n_units", self.n_units, lo=0))
        if (self.failure_prob is None) != (self.repair_prob is None):
            raise InputError("failure_prob, repair_prob: expected both series or neither")
        if self.failure_prob is not None:
            import numpy as np

            for name in ("failure_prob", "repair_prob"):
                a = np.asarray(getattr(self, name), dtype=np.float64)
                if a.ndim != 1 or a.shape[0] == 0 or not np.all(np.isfinite(a)) or a.min() < 0 or a.max() > 1:
                    raise InputError(f"{name}: expected a series of probabilities in [0, 1], one per period")
                a = a.copy()
                a.setflags(write=False)
                object.__setattr__(self, name, a)
            if self.failure_prob.shape != self.repair_prob.shape:
                raise InputError(f"failure_prob, repair_prob: expected series of one length, got "
                                 f"{self.failure_prob.shape[0]} and {self.repair_prob.shape[0]}")
        v.non_negative("unit_mw", self.unit_mw)
        fo = v.finite("forced_outage_rate", self.forced_outage_rate)
        if not 0.0 <= fo < 1.0:
            raise InputError(f"forced_outage_rate: expected a value in [0, 1), got {fo!r}")
        v.positive("mttr_h", self.mttr_h)
        v.non_negative("start_h", self.start_h)
        v.non_negative("max_hours_per_year", self.max_hours_per_year, allow_inf=True)
        v.non_negative("max_energy_mwh_per_year", self.max_energy_mwh_per_year, allow_inf=True)

    @property
    def capacity_mw(self) -> float:
        return self.n_units * self.unit_mw

    @property
    def mttf_h(self) -> float:
        """Mean time to failure [h]: MTTR (1 - FOR) / FOR (``inf`` when FOR = 0)."""
        f = self.forced_outage_rate
        return math.inf if f == 0 else self.mttr_h * (1 - f) / f

    def transition_probs(self, dt_h: float) -> tuple[float, float]:
        """Per-period failure and repair probabilities (lambda, mu) for periods of ``dt_h`` [h]."""
        mu = min(dt_h / self.mttr_h, 1.0)
        f = self.forced_outage_rate
        return min(mu * f / (1 - f), 1.0), mu

    def transition_series(self, n_periods: int, dt_h: float):
        """Per-period failure and repair probabilities, each an array of ``n_periods``: the given series,
        else the constant :meth:`transition_probs`."""
        import numpy as np

        if self.failure_prob is not None:
            if self.failure_prob.shape[0] != n_periods:
                raise InputError(f"on-site generation: failure_prob has {self.failure_prob.shape[0]} periods, "
                                 f"the system {n_periods}")
            return self.failure_prob, self.repair_prob
        lam, mu = self.transition_probs(dt_h)
        return np.full(n_periods, lam), np.full(n_periods, mu)


@dataclass(frozen=True)
class ComputeFlexibility:
    """Caps and pauses a site's jobs accept (see :mod:`gigawatt.datacenter.throughput`).

    Parameters
    ----------
    jobs : tuple of JobClass
    min_power_frac : float
        Floor of facility power under any curtailment [fraction of current draw]
        (e.g. cooling and storage that must stay on).
    design_event_h : float
        Window length used to size the curtailment the tiers allow [h]. Default 3 h
        (the Phoenix demonstration's window).
    """

    jobs: tuple = field(default_factory=default_job_classes)
    min_power_frac: float = 0.0
    design_event_h: float = 3.0  # source: sources.md F4, Emerald AI Phoenix demo: 25 % for 3 h

    def __post_init__(self):
        jobs = tuple(self.jobs)
        if not all(isinstance(j, JobClass) for j in jobs):
            raise InputError("jobs: expected JobClass entries")
        if sum(j.gpu_share for j in jobs) > 1.0 + 1e-9:
            raise InputError(f"jobs: gpu_share values must sum to at most 1, got {sum(j.gpu_share for j in jobs)}")
        object.__setattr__(self, "jobs", jobs)
        v.fraction("min_power_frac", self.min_power_frac)
        v.positive("design_event_h", self.design_event_h)

    def max_curtail_frac(self, site: SitePower) -> float:
        """Largest cut of facility power the tiers allow over ``design_event_h`` [fraction]."""
        frac = max_reduction_mw(site, self.jobs, self.design_event_h) / site.peak_facility_mw
        return float(min(frac, 1.0 - self.min_power_frac))
