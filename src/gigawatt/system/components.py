"""System components: what is modelled.

All components are immutable and validated once, at construction. Time series
are float64 arrays of shape ``(n_items, n_periods)``; a scalar or a per-item
vector is broadcast. Power in MW, energy in MWh, probabilities per period.

Outage model (all devices): two-state Markov chain per period. An available
device fails with probability ``failure_prob`` (lambda), an unavailable one is
repaired with probability ``repair_prob`` (mu); the forced outage rate is
``FOR = lambda / (lambda + mu)``. This is PRAS's device model
(NREL PRAS documentation, "SystemModel" and "SequentialMonteCarlo").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gigawatt.errors import InputError
from gigawatt.system._validate import (
    as_efficiency,
    as_labels,
    as_names,
    as_probability,
    as_series,
)


def _set(obj, name, value):
    object.__setattr__(obj, name, value)


#: hours in a year of the horizon: "per year" figures divide by this (leap days are not counted apart)
HOURS_PER_YEAR = 8760.0


@dataclass(frozen=True)
class TimeAxis:
    """The simulated periods.

    Parameters
    ----------
    start : str or pandas.Timestamp
        Start of the first period, UTC (naive times are taken as UTC).
    step_h : float
        Length of one period [h]; need not be one hour (e.g. 5/60).
    n_periods : int
        Number of periods.
    day_utc_offset_h : float
        Offset from UTC of the clock whose days count for loss-of-load days [h] (e.g. -5 for US
        Eastern standard time, the clock of PJM's planning day); default 0 (UTC days).
    """

    start: pd.Timestamp
    step_h: float
    n_periods: int
    day_utc_offset_h: float = 0.0

    def __post_init__(self):
        try:
            ts = pd.Timestamp(self.start)
        except (TypeError, ValueError) as exc:
            raise InputError(f"timeaxis.start: expected an ISO timestamp, got {self.start!r}") from exc
        ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
        _set(self, "start", ts)
        step = float(self.step_h)
        if not np.isfinite(step) or step <= 0:
            raise InputError(f"timeaxis.step_h: expected a positive number of hours, got {self.step_h!r}")
        _set(self, "step_h", step)
        n = int(self.n_periods)
        if n != self.n_periods or n < 1:
            raise InputError(f"timeaxis.n_periods: expected a positive integer, got {self.n_periods!r}")
        _set(self, "n_periods", n)
        off = self.day_utc_offset_h
        if isinstance(off, bool) or not isinstance(off, (int, float, np.integer, np.floating)) \
                or not np.isfinite(off) or abs(off) > 24:
            raise InputError(f"timeaxis.day_utc_offset_h: expected hours in [-24, 24], got {off!r}")
        _set(self, "day_utc_offset_h", float(off))

    @property
    def timestamps(self) -> pd.DatetimeIndex:
        """Start of each period (UTC)."""
        return pd.date_range(self.start, periods=self.n_periods, freq=pd.Timedelta(hours=self.step_h))

    @property
    def duration_h(self) -> float:
        """Length of the whole horizon [h]."""
        return self.n_periods * self.step_h

    @property
    def years(self) -> float:
        """Length of the whole horizon in years of 8760 h [yr]: what "per year" divides by."""
        return self.n_periods * self.step_h / HOURS_PER_YEAR

    def day_index(self, utc_offset_h: float | None = None) -> np.ndarray:
        """Day number (0-based from the first period's day) of each period.

        Parameters
        ----------
        utc_offset_h : float, optional
            Offset of the clock that defines days from UTC [h] (default: the axis's own
            ``day_utc_offset_h``). Days are the usual planning unit for LOLE in days/year.
        """
        if utc_offset_h is None:
            utc_offset_h = self.day_utc_offset_h
        hours = (self.start.value / 3.6e12) + utc_offset_h + np.arange(self.n_periods) * self.step_h
        day = np.floor(hours / 24.0 + 1e-9).astype(np.int64)
        return day - day[0]


@dataclass(frozen=True)
class Regions:
    """Regions ("bubbles") and their load.

    Parameters
    ----------
    names : sequence of str
    load_mw : array (n_regions, n_periods)
        Load to be served in each period [MW].
    """

    names: tuple
    load_mw: np.ndarray

    def __post_init__(self):
        names = as_names(self.names, "regions.names")
        if not names:
            raise InputError("regions.names: a system needs at least one region")
        load = np.asarray(self.load_mw, dtype=np.float64)
        if load.ndim == 1 and len(names) == 1:
            load = load[None, :]
        if load.ndim != 2 or load.shape[0] != len(names):
            raise InputError(f"regions.load_mw: expected shape ({len(names)} regions, n_periods), got {load.shape}")
        _set(self, "names", names)
        _set(self, "load_mw", as_series(load, len(names), load.shape[1], "regions.load_mw", lo=0.0))

    def __len__(self):
        return len(self.names)

    @property
    def n_periods(self) -> int:
        return self.load_mw.shape[1]


def _items(obj, prefix, n_periods, extra_names=()):
    """Validate names/categories/regions common to unit-like components; return n."""
    names = as_names(obj.names, f"{prefix}.names")
    n = len(names)
    _set(obj, "names", names)
    _set(obj, "categories", as_labels(obj.categories, n, f"{prefix}.categories", default=prefix))
    regs = tuple(str(r) for r in obj.regions)
    if len(regs) != n:
        raise InputError(f"{prefix}.regions: expected {n} region names, got {len(regs)}")
    _set(obj, "regions", regs)
    return n


@dataclass(frozen=True)
class Generators:
    """Dispatchable (energy-unlimited) units with per-period capacity and outages.

    Parameters
    ----------
    names, categories, regions : sequences of str
        One entry per unit; ``regions`` names the region each unit is in.
    capacity_mw : scalar, (n,) or (n, n_periods)
        Available capacity when the unit is in service [MW].
    failure_prob, repair_prob : scalar, (n,) or (n, n_periods)
        Per-period transition probabilities lambda and mu [-].
    """

    names: tuple
    categories: tuple | None
    regions: tuple
    capacity_mw: np.ndarray
    failure_prob: np.ndarray = 0.0
    repair_prob: np.ndarray = 1.0
    n_periods: int = field(default=0, repr=False)

    def __post_init__(self):
        t = self._periods()
        n = _items(self, "generators", t)
        _set(self, "capacity_mw", as_series(self.capacity_mw, n, t, "generators.capacity_mw", lo=0.0))
        _set(self, "failure_prob", as_probability(self.failure_prob, n, t, "generators.failure_prob"))
        _set(self, "repair_prob", as_probability(self.repair_prob, n, t, "generators.repair_prob"))
        _set(self, "n_periods", t)

    def _periods(self):
        for a in (self.capacity_mw, self.failure_prob, self.repair_prob):
            a = np.asarray(a)
            if a.ndim == 2:
                return a.shape[1]
        if not self.n_periods:
            raise InputError("generators: give n_periods or at least one (n, n_periods) array")
        return int(self.n_periods)

    def __len__(self):
        return len(self.names)

    @classmethod
    def from_for(cls, names, regions, capacity_mw, forced_outage_rate, mttr_h, dt_h=1.0, categories=None, n_periods=1):
        """Build units from forced outage rate and mean time to repair.

        lambda = dt/MTTF and mu = dt/MTTR with MTTF = MTTR (1 - FOR) / FOR, so that
        lambda / (lambda + mu) = FOR.

        Parameters
        ----------
        forced_outage_rate : scalar or (n,)  [-]
        mttr_h : scalar or (n,)  [h]
        dt_h : float
            Period length [h].
        """
        forr = np.asarray(forced_outage_rate, dtype=float)
        mttr = np.asarray(mttr_h, dtype=float)
        if np.any((forr < 0) | (forr >= 1)):
            raise InputError("generators.forced_outage_rate: expected values in [0, 1)")
        if np.any(mttr <= 0):
            raise InputError("generators.mttr_h: expected positive hours")
        mu = np.minimum(dt_h / mttr, 1.0)
        lam = np.minimum(mu * forr / (1.0 - forr), 1.0)
        return cls(names, categories, regions, capacity_mw, lam, mu, n_periods=n_periods)


@dataclass(frozen=True)
class Storages:
    """Energy-limited storage devices (batteries, pumped hydro).

    Parameters
    ----------
    charge_mw, discharge_mw : grid-side power limits [MW]
    energy_mwh : energy capacity [MWh]
    charge_eff, discharge_eff : conversion efficiencies (0, 1]
    carryover_eff : fraction of stored energy kept from one period to the next (0, 1]
    failure_prob, repair_prob : outage transition probabilities per period
    """

    names: tuple
    categories: tuple | None
    regions: tuple
    charge_mw: np.ndarray
    discharge_mw: np.ndarray
    energy_mwh: np.ndarray
    charge_eff: np.ndarray = 1.0
    discharge_eff: np.ndarray = 1.0
    carryover_eff: np.ndarray = 1.0
    failure_prob: np.ndarray = 0.0
    repair_prob: np.ndarray = 1.0
    n_periods: int = field(default=0, repr=False)

    _power_fields = ("charge_mw", "discharge_mw", "energy_mwh")
    _eff_fields = ("charge_eff", "discharge_eff", "carryover_eff")
    _prefix = "storages"

    def __post_init__(self):
        t = self._periods()
        n = _items(self, self._prefix, t)
        for f in self._power_fields:
            _set(self, f, as_series(getattr(self, f), n, t, f"{self._prefix}.{f}", lo=0.0))
        for f in self._eff_fields:
            _set(self, f, as_efficiency(getattr(self, f), n, t, f"{self._prefix}.{f}"))
        for f in ("failure_prob", "repair_prob"):
            _set(self, f, as_probability(getattr(self, f), n, t, f"{self._prefix}.{f}"))
        _set(self, "n_periods", t)

    def _periods(self):
        for f in self._power_fields + self._eff_fields + ("failure_prob", "repair_prob"):
            a = np.asarray(getattr(self, f))
            if a.ndim == 2:
                return a.shape[1]
        if not self.n_periods:
            raise InputError(f"{self._prefix}: give n_periods or at least one (n, n_periods) array")
        return int(self.n_periods)

    def __len__(self):
        return len(self.names)


@dataclass(frozen=True)
class GeneratorStorages(Storages):
    """Storage with its own inflow, e.g. concentrating solar with thermal storage or hydro with a reservoir.

    Additional parameters
    ---------------------
    inflow_mw : energy flowing into the device each period [MW]; it can go to the grid
        directly or into storage (up to ``charge_mw``); what neither takes is spilled.
    grid_injection_mw : limit on total power to the grid [MW]
    grid_withdrawal_mw : limit on power drawn from the grid to charge [MW]
    """

    inflow_mw: np.ndarray = 0.0
    grid_injection_mw: np.ndarray = 0.0
    grid_withdrawal_mw: np.ndarray = 0.0

    _power_fields = Storages._power_fields + ("inflow_mw", "grid_injection_mw", "grid_withdrawal_mw")
    _prefix = "generatorstorages"


@dataclass(frozen=True)
class Interfaces:
    """Transfer limits between pairs of regions ("pipes").

    Parameters
    ----------
    regions_from, regions_to : sequences of region names
    forward_mw : limit on flow from ``regions_from`` to ``regions_to`` [MW]; ``inf`` for no limit
    backward_mw : limit on flow the other way [MW]
    """

    regions_from: tuple
    regions_to: tuple
    forward_mw: np.ndarray
    backward_mw: np.ndarray
    n_periods: int = field(default=0, repr=False)

    def __post_init__(self):
        rf = tuple(str(r) for r in self.regions_from)
        rt = tuple(str(r) for r in self.regions_to)
        if len(rf) != len(rt):
            raise InputError("interfaces: regions_from and regions_to must have the same length")
        pairs = set()
        for a, b in zip(rf, rt):
            if a == b:
                raise InputError(f"interfaces: an interface must join two different regions, got {a!r} to {b!r}")
            key = tuple(sorted((a, b)))
            if key in pairs:
                raise InputError(f"interfaces: more than one interface between {key[0]!r} and {key[1]!r}")
            pairs.add(key)
        t = next((np.asarray(a).shape[1] for a in (self.forward_mw, self.backward_mw) if np.asarray(a).ndim == 2),
                 int(self.n_periods))
        if not t:
            raise InputError("interfaces: give n_periods or at least one (n, n_periods) array")
        n = len(rf)
        _set(self, "regions_from", rf)
        _set(self, "regions_to", rt)
        for f in ("forward_mw", "backward_mw"):
            a = np.asarray(getattr(self, f), dtype=np.float64)
            a = np.where(np.isposinf(a), 1e300, a)  # "no limit"
            _set(self, f, as_series(a, n, t, f"interfaces.{f}", lo=0.0))
        _set(self, "n_periods", t)

    def __len__(self):
        return len(self.regions_from)


@dataclass(frozen=True)
class Lines:
    """Transmission lines that make up interfaces; each can fail.

    The usable limit of an interface in a period is the smaller of its own limit and
    the sum of the limits of its lines that are in service (PRAS semantics).
    """

    names: tuple
    categories: tuple | None
    regions_from: tuple
    regions_to: tuple
    forward_mw: np.ndarray
    backward_mw: np.ndarray
    failure_prob: np.ndarray = 0.0
    repair_prob: np.ndarray = 1.0
    n_periods: int = field(default=0, repr=False)

    def __post_init__(self):
        names = as_names(self.names, "lines.names")
        n = len(names)
        _set(self, "names", names)
        _set(self, "categories", as_labels(self.categories, n, "lines.categories", default="line"))
        rf = tuple(str(r) for r in self.regions_from)
        rt = tuple(str(r) for r in self.regions_to)
        if len(rf) != n or len(rt) != n:
            raise InputError(f"lines: expected {n} regions_from and regions_to")
        _set(self, "regions_from", rf)
        _set(self, "regions_to", rt)
        arrays = (self.forward_mw, self.backward_mw, self.failure_prob, self.repair_prob)
        t = next((np.asarray(a).shape[1] for a in arrays if np.asarray(a).ndim == 2), int(self.n_periods))
        if not t:
            raise InputError("lines: give n_periods or at least one (n, n_periods) array")
        for f in ("forward_mw", "backward_mw"):
            a = np.asarray(getattr(self, f), dtype=np.float64)
            a = np.where(np.isposinf(a), 1e300, a)  # "no limit"
            _set(self, f, as_series(a, n, t, f"lines.{f}", lo=0.0))
        for f in ("failure_prob", "repair_prob"):
            _set(self, f, as_probability(getattr(self, f), n, t, f"lines.{f}"))
        _set(self, "n_periods", t)

    def __len__(self):
        return len(self.names)
