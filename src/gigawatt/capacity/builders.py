"""Builders: where a data center's load goes, how its contract works, what resources join it.

Two small protocols keep the searches independent of what is being sized:

* a **load builder** ``(system, load_mw) -> SystemModel`` adds ``load_mw`` [MW] of new
  load under some contract (:class:`Firm`, :class:`Capped`); the headroom search
  varies ``load_mw``;
* a **resource builder** ``(system) -> SystemModel`` adds a resource of fixed size
  (:class:`Battery`, :class:`OnsiteGenerationOption`, :class:`DemandResponseOption`,
  :class:`PerfectGenerator`); capacity-value searches compare systems with and without it.

A data-center contract modelled by the data-center engine (``gigawatt.datacenter``)
plugs in later as one more load builder.

Everything is expressed with the engine's existing components, so no kernel change is
needed. Devices that never fail draw no random numbers, so adding them keeps every other
device's outage history (common random numbers); a device that can fail (on-site
generation with a forced outage rate) shifts the random streams, and comparisons with
and without it are then unpaired (still valid, just noisier).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from gigawatt.errors import InputError
from gigawatt.system import GeneratorStorages, Generators, Storages, SystemModel

#: Tesla Megapack round-trip efficiency [-]; source: sources.md F5
#: ("Megapack 2 XL ... round-trip efficiency ~92 % [est]")
MEGAPACK_ROUND_TRIP_EFF = 0.92
#: gas combustion turbine forced outage rate [-] and MTTR [h]; source: RTS-GMLC gen.csv
#: via sources.md F2 ("gas CT 55 MW 0.031/969/31"); sources.md F5 says to use it on site
GAS_CT_FOR = 0.031
GAS_CT_MTTR_H = 31.0


def _check_mw(value, option: str, *, allow_zero: bool = True) -> float:
    v = float(value)
    if not math.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        raise InputError(f"{option}: expected a {'non-negative' if allow_zero else 'positive'} number, got {value!r}")
    return v


# ------------------------------------------------------------------------------- placement
@dataclass(frozen=True)
class Placement:
    """Where new load goes and how it varies in time.

    Parameters
    ----------
    regions : tuple of str
        Regions of the data center(s). Empty: every region, in proportion to its energy.
        Several: split in proportion to their energy.
    profile : float or array (n_periods,)
        Utilisation, fraction 0-1 of the nameplate load drawn in each period [-]
        (1: constant at nameplate).
    """

    regions: tuple = ()
    profile: object = 1.0

    def __post_init__(self):
        object.__setattr__(self, "regions", tuple(str(r) for r in self.regions))
        p = np.asarray(self.profile, dtype=float)
        if p.ndim > 1 or not np.all(np.isfinite(p)) or np.any((p < 0) | (p > 1)):
            raise InputError("--profile: utilisation must be a number or a series of fractions in [0, 1]")

    def shares(self, system: SystemModel) -> np.ndarray:
        """Share of the new load in each region of ``system`` [-] (sums to 1)."""
        names = list(system.regions.names)
        chosen = self.regions or tuple(names)
        unknown = [r for r in chosen if r not in names]
        if unknown:
            raise InputError(f"--region: unknown region(s) {unknown}; the system has {names}")
        energy = system.regions.load_mw.sum(axis=1)
        w = np.zeros(len(names))
        idx = system.region_index(chosen)
        w[idx] = np.where(energy[idx] > 0, energy[idx], 1.0) if energy[idx].sum() > 0 else 1.0
        return w / w.sum()

    def profile_series(self, system: SystemModel) -> np.ndarray:
        """Utilisation in each period (n_periods,) [-]."""
        p = np.asarray(self.profile, dtype=float)
        if p.ndim == 1 and p.shape[0] != system.n_periods:
            raise InputError(f"--profile: {p.shape[0]} values for {system.n_periods} periods")
        return np.broadcast_to(p, (system.n_periods,)).astype(float)

    def load_mw(self, system: SystemModel, mw: float) -> np.ndarray:
        """New load by region and period (n_regions, n_periods) [MW] for nameplate ``mw`` [MW]."""
        return mw * self.shares(system)[:, None] * self.profile_series(system)[None, :]

    def min_load_mw(self, system: SystemModel) -> float:
        """Most negative nameplate that keeps every region's load non-negative [MW] (<= 0)."""
        sh = self.shares(system)
        per = self.profile_series(system)
        with np.errstate(divide="ignore", invalid="ignore"):
            room = system.regions.load_mw / (sh[:, None] * per[None, :])
        room = room[np.isfinite(room)]
        return -float(room.min()) if room.size else 0.0


# ------------------------------------------------------------------------------- contracts
@dataclass(frozen=True)
class FirmLoad:
    """Firm load: ``load_mw`` [MW] added at the placement, never curtailed."""

    placement: Placement = Placement()
    name: str = "firm"

    def __call__(self, system: SystemModel, load_mw: float) -> SystemModel:
        return system.with_added_load(self.placement.load_mw(system, load_mw))


def _budget_device(system: SystemModel, name: str, region: str, power_mw, budget_mwh: float) -> GeneratorStorages:
    """A never-failing generator-storage that can inject ``power_mw`` [MW] with ``budget_mwh`` [MWh] per year.

    The budget arrives as inflow in the first period of each UTC year and is held without
    loss; the device cannot charge from the grid. Dispatched only to cover shortfall, its
    injection is load not served by choice: curtailment of the new load or demand response.
    """
    t = system.n_periods
    dt = system.timeaxis.step_h
    power = np.broadcast_to(np.asarray(power_mw, float), (t,))
    years = system.timeaxis.timestamps.year.to_numpy()
    first = np.r_[True, years[1:] != years[:-1]]
    inflow = np.where(first, budget_mwh / dt, 0.0)
    return GeneratorStorages(
        (name,), ("curtailment",), (region,),
        charge_mw=np.full((1, t), budget_mwh / dt), discharge_mw=power[None, :], energy_mwh=np.full((1, t), budget_mwh),
        inflow_mw=inflow[None, :], grid_injection_mw=power[None, :], grid_withdrawal_mw=np.zeros((1, t)),
    )


def _append(system: SystemModel, field: str, new):
    """``system`` with the items of ``new`` appended to component ``field``."""
    old = getattr(system, field)
    if len(old) == 0:
        return dataclasses.replace(system, **{field: new})
    kw = {}
    for f in dataclasses.fields(type(old)):
        if f.name == "n_periods":
            continue
        a, b = getattr(old, f.name), getattr(new, f.name)
        kw[f.name] = tuple(a) + tuple(b) if isinstance(a, tuple) else np.vstack([a, b])
    return dataclasses.replace(system, **{field: type(old)(**kw)})


@dataclass(frozen=True)
class CappedLoad:
    """Load curtailable in system shortfalls up to ``hours`` full-load hours a year (``capped:100h``).

    The new load is added as firm load plus, in each of its regions, a never-failing
    generator-storage of the region's share of the load [MW] holding a budget of that
    power times ``hours`` [MWh] per year. The engine dispatches it only to cover shortfall,
    so it curtails the data center first, exactly as deep as needed, with the engine's own
    transfers and storage, until the budget is spent; the load is firm after that.

    Notes
    -----
    The cap is on energy (``hours`` x load); partial curtailments stretch over more hours.
    Within a region the budget is drawn before batteries with less time-to-go (the engine's
    discharge priority), which slightly understates what a battery adds on top.
    """

    hours: float = 100.0
    placement: Placement = Placement()

    def __post_init__(self):
        h = float(self.hours)
        if not math.isfinite(h) or h < 0:
            raise InputError(f"--dc-contract capped:H: H must be non-negative hours, got {self.hours!r}")
        object.__setattr__(self, "hours", h)

    @property
    def name(self) -> str:
        return f"capped:{self.hours:g}h"

    def __call__(self, system: SystemModel, load_mw: float) -> SystemModel:
        out = system.with_added_load(self.placement.load_mw(system, load_mw))
        if load_mw <= 0 or self.hours == 0:
            return out
        prof = self.placement.profile_series(system)
        for r, share in zip(system.regions.names, self.placement.shares(system)):
            if share > 0:
                dev = _budget_device(system, f"dc-curtailment-{r}", r, load_mw * share * prof, load_mw * share * self.hours)
                out = _append(out, "generatorstorages", dev)
        return out


# ------------------------------------------------------------------------------- resources
@dataclass(frozen=True)
class BatteryOption:
    """A battery [MW, MWh] that never fails, charged from surplus generation.

    Parameters
    ----------
    power_mw : float
        Charge and discharge limit [MW].
    energy_mwh : float
        Energy capacity [MWh].
    region : str, optional
        Region; ``None``: split over ``placement`` (the data center's regions).
    round_trip_eff : float
        Round-trip efficiency [-], split evenly between charging and discharging
        (default: Megapack, 0.92).
    placement : Placement
        Used when ``region`` is None.
    """

    power_mw: float
    energy_mwh: float
    region: str | None = None
    round_trip_eff: float = MEGAPACK_ROUND_TRIP_EFF
    placement: Placement = Placement()

    def __post_init__(self):
        _check_mw(self.power_mw, "--battery-mw")
        _check_mw(self.energy_mwh, "--battery-mwh")
        if not 0 < self.round_trip_eff <= 1:
            raise InputError(f"battery round-trip efficiency: expected (0, 1], got {self.round_trip_eff!r}")

    @property
    def name(self) -> str:
        return f"battery {self.power_mw:g} MW / {self.energy_mwh:g} MWh"

    def __call__(self, system: SystemModel) -> SystemModel:
        if self.power_mw == 0 or self.energy_mwh == 0:
            return system
        eff = math.sqrt(self.round_trip_eff)
        if self.region is not None:
            Placement((self.region,)).shares(system)  # validates the name
            shares = {self.region: 1.0}
        else:
            shares = dict(zip(system.regions.names, self.placement.shares(system)))
        t = system.n_periods
        out = system
        for r, sh in shares.items():
            if sh > 0:
                p, e = self.power_mw * sh, self.energy_mwh * sh
                dev = Storages((f"battery-{r}",), ("battery",), (r,), np.full((1, t), p), np.full((1, t), p),
                               np.full((1, t), e), charge_eff=eff, discharge_eff=eff)
                out = _append(out, "storages", dev)
        return out


@dataclass(frozen=True)
class OnsiteGenerationOption:
    """On-site generation: ``units`` identical units of ``unit_mw`` [MW] with forced outages.

    Defaults are gas combustion turbines (FOR 0.031, MTTR 31 h; RTS-GMLC via sources.md).
    ``forced_outage_rate=0`` gives a perfectly reliable generator.
    """

    unit_mw: float
    units: int = 1
    region: str | None = None
    forced_outage_rate: float = GAS_CT_FOR
    mttr_h: float = GAS_CT_MTTR_H
    placement: Placement = Placement()

    def __post_init__(self):
        _check_mw(self.unit_mw, "--onsite-mw")
        if int(self.units) != self.units or self.units < 0:
            raise InputError(f"--onsite-units: expected a non-negative integer, got {self.units!r}")

    @property
    def name(self) -> str:
        return f"on-site {self.units} x {self.unit_mw:g} MW (FOR {self.forced_outage_rate:g})"

    def __call__(self, system: SystemModel) -> SystemModel:
        if self.units == 0 or self.unit_mw == 0:
            return system
        region = self.region or system.regions.names[int(np.argmax(self.placement.shares(system)))]
        Placement((region,)).shares(system)
        names = tuple(f"onsite-{region}-{i}" for i in range(self.units))
        dev = Generators.from_for(names, (region,) * self.units, np.full(self.units, self.unit_mw),
                                  self.forced_outage_rate, self.mttr_h, dt_h=system.timeaxis.step_h,
                                  categories=("onsite",) * self.units, n_periods=system.n_periods)
        # broadcast to (n, n_periods) like the system's own generators
        t = system.n_periods
        dev = Generators(dev.names, dev.categories, dev.regions, np.broadcast_to(dev.capacity_mw, (self.units, t)),
                         np.broadcast_to(dev.failure_prob, (self.units, t)),
                         np.broadcast_to(dev.repair_prob, (self.units, t)))
        return _append(system, "generators", dev)


def PerfectGenerator(capacity_mw: float, region: str | None = None, placement: Placement = Placement()):
    """A generator of ``capacity_mw`` [MW] that never fails (the yardstick of equivalent firm capacity)."""
    return OnsiteGenerationOption(capacity_mw, 1, region, 0.0, 1.0, placement)


@dataclass(frozen=True)
class DemandResponseOption:
    """Existing load that can be curtailed in shortfalls: ``mw`` [MW] for ``hours`` full-load hours a year."""

    mw: float
    hours: float
    region: str | None = None
    placement: Placement = Placement()

    def __post_init__(self):
        _check_mw(self.mw, "--dr-mw")
        if not self.hours >= 0:
            raise InputError(f"--dr-hours: expected non-negative hours, got {self.hours!r}")

    @property
    def name(self) -> str:
        return f"demand response {self.mw:g} MW x {self.hours:g} h"

    def __call__(self, system: SystemModel) -> SystemModel:
        if self.mw == 0 or self.hours == 0:
            return system
        shares = ({self.region: 1.0} if self.region else dict(zip(system.regions.names, self.placement.shares(system))))
        Placement(tuple(shares)).shares(system)
        out = system
        for r, sh in shares.items():
            if sh > 0:
                out = _append(out, "generatorstorages",
                              _budget_device(system, f"dr-{r}", r, self.mw * sh, self.mw * sh * self.hours))
        return out
