"""A grid from a sourced description: what it holds (validated once) and the system of a study year built from it.

A :class:`GridDescription` is what a planner writes down about a grid (docs/grids.md: the TOML
format, read by :func:`gigawatt.io.grid.read_grid_description`): its zones, the fleet by class with
outage rates, planned outages, heat and cold behaviour, demand response, the load forecast and the
data-center trajectory, the reliability standard, the real weather years of hourly load, the
calibration events (``replays``) and the sources of every figure.

:func:`build_grid` turns it into the :class:`~gigawatt.system.SystemModel` of one study year with
the PJM model's building blocks, imported, not copied (:mod:`gigawatt.systems.pjm_weather`: cold
severity and heat from the load, planned outages in the lowest-load weeks, the data centers' draw;
:mod:`gigawatt.systems.pjm_hazard`: the two-state units whose outage probability follows the cold;
the PJM class profiles of wind and solar output, scaled per class). Weather years are simulated
back to back, each on its own calendar; the load of every weather year is scaled by one factor so
that the median of the weather years' peaks is the study year's 50/50 peak (less the data centers,
which join as sites or, with ``dc_as_load``, as load).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gigawatt.errors import InputError
from gigawatt.system import Generators, Interfaces, Regions, Storages, SystemModel, TimeAxis
from gigawatt.systems import _pjm_fitted as F
from gigawatt.systems.pjm_hazard import hazard_for
from gigawatt.systems.pjm_weather import _month_of_hour, cold_severity, dc_profile, heat_index, planned_profile

#: hours of one weather year (29 February dropped)
HOURS = 8760
#: plant kinds a class may have
KINDS = ("thermal", "wind", "solar", "hydro", "storage")


@dataclass(frozen=True)
class Source:
    """One cited source: ``kind`` is ``primary`` (the body that made the figure) or ``secondary``."""

    id: str
    title: str
    publisher: str
    date: str
    url: str
    kind: str


@dataclass(frozen=True)
class Zone:
    """A zone of the grid and its share of the grid's load [fraction]."""

    name: str
    load_share: float


@dataclass(frozen=True)
class Interface:
    """A transfer limit between two zones [MW] (both directions)."""

    from_zone: str
    to_zone: str
    limit_mw: float


@dataclass(frozen=True)
class GridClass:
    """One capacity class of the fleet (see :class:`gigawatt.systems.pjm.PlantClass` for PJM's).

    ``icap_mw`` is the installed capacity of the description's base year; ``efor`` the forced-outage
    rate; ``cold_extra`` the extra unavailability at the most severe cold (for wind and solar: the
    output lost); ``hot_derate`` the capacity lost in the hottest hours; ``common_mode``: part of the
    class fails in blocks together in the cold (fuel supply); ``zones``: share of the class by zone;
    ``profile_scale``: wind and solar output per MW relative to PJM's class profile; ``elcc``:
    accredited share of ICAP (hydro runs at it); ``storage_h``: hours of energy of a storage class.
    """

    name: str
    kind: str
    icap_mw: float
    efor: float = 0.0
    mttr_h: float = 1.0
    unit_mw: float = 1.0
    planned_frac: float = 0.0
    cold_extra: float = 0.0
    hot_derate: float = 0.0
    common_mode: bool = False
    elcc: float = 1.0
    profile_scale: float = 1.0
    storage_h: float = 4.0
    zones: dict = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True)
class Site:
    """A named data-center site: its grid draw [MW] by year, batteries and on-site turbines (as published)."""

    name: str
    zone: str
    mw_by_year: dict
    megapacks: int = 0
    turbines_mw: float = 0.0
    source: str = ""


@dataclass(frozen=True)
class Replay:
    """A calibration event: a local (standard time) hour of a weather year and what was published for it.

    ``published_mw``: the generation unavailable at that hour (or on average over ``hours``) as the
    source reports it (NaN: none published); ``what`` says what the figure counts.
    """

    name: str
    start_local: str
    hours: int
    published_mw: float
    what: str
    source: str


@dataclass(frozen=True)
class GridDescription:
    """A grid, as described (validated once; see :func:`gigawatt.io.grid.read_grid_description`)."""

    name: str
    title: str
    path: str | None
    day_utc_offset_h: float
    timezone: str
    people_served: float
    zones: tuple
    interfaces: tuple
    classes: tuple
    weather_years: tuple
    shapes: dict  # weather year -> (8760,) load relative to its annual mean
    weather_note: str
    base_year: int
    peak_mw: float
    peak_growth_per_yr: float
    energy_note: str
    net_additions_mw_per_year: float
    reserve_margin_target: float
    standard_lole_d: float
    standard_note: str
    cold_scale: float
    cold_signal: str
    cold_level_start: float
    cold_level_full: float
    cold_block_mw: float
    cold_block_share: float
    heat_extra_outage: float
    demand_response_mw: float
    dr_max_hours_per_year: float
    dr_max_event_h: float
    dc_mw_by_year: dict
    dc_growth_mw_per_year: float
    dc_zone_shares: dict
    sites: tuple
    replays: tuple
    sources: dict
    policy_notes: dict = field(default_factory=dict)
    #: the classes that capacity added after the base year goes to (class name -> share); {}: pro rata
    additions_mix: dict = field(default_factory=dict)

    @property
    def generation_icap_mw(self) -> float:
        """Installed generation and storage capacity of the base year [MW] (sum of the classes)."""
        return float(sum(c.icap_mw for c in self.classes))

    @property
    def zone_names(self) -> tuple:
        return tuple(z.name for z in self.zones)

    def forecast_peak_mw(self, year: int) -> float:
        """50/50 peak of ``year`` [MW], data centers included (base-year peak grown at the forecast rate)."""
        return self.peak_mw * (1.0 + self.peak_growth_per_yr) ** (year - self.base_year)

    def dc_load_mw(self, year: int) -> float:
        """Data-center load of ``year`` [MW]: the table where it has the year, else the last year's plus growth."""
        return dc_from_table(self.dc_mw_by_year, self.dc_growth_mw_per_year, year)

    def capacity_mw(self, year: int) -> float:
        """Installed capacity [MW]: the base year's fleet and demand response plus the net additions since."""
        return self.generation_icap_mw + self.demand_response_mw + self.net_additions_mw_per_year * (
            year - self.base_year)

    def hour_of(self, local: str) -> tuple[int, int]:
        """(weather year, hour of its 8760-hour axis) of a local standard-time stamp ``YYYY-MM-DD HH:MM``."""
        t = pd.Timestamp(local)
        if t.year not in self.shapes:
            raise InputError(f"{self.name}: {local} is not in a weather year of the grid "
                             f"({', '.join(map(str, self.weather_years))})")
        h = int((t - pd.Timestamp(f"{t.year}-01-01")) / pd.Timedelta(hours=1))
        if t.is_leap_year and t >= pd.Timestamp(f"{t.year}-03-01"):
            h -= 24
        return t.year, h


def dc_from_table(table: dict, growth_mw_per_year: float, year: int) -> float:
    """The data-center load of ``year`` [MW] from a year table: the table's value, straight lines between its
    years, its first year's before, its last year's plus ``growth_mw_per_year`` a year after (0 without a table)."""
    known = sorted(table)
    if not known:
        return 0.0
    if year in table:
        return float(table[year])
    if year < known[0]:
        return float(table[known[0]])
    last = max(y for y in known if y < year)
    nxt = min((y for y in known if y > year), default=None)
    if nxt is None:
        return float(table[last]) + (year - last) * growth_mw_per_year
    return float(table[last]) + (year - last) * (float(table[nxt]) - float(table[last])) / (nxt - last)


def scale_factor(desc: GridDescription, weather_years, base_peak_mw: float) -> float:
    """The one factor on every weather year's relative load: the median of their peaks is ``base_peak_mw``."""
    return float(base_peak_mw / np.median([desc.shapes[y].max() for y in weather_years]))


def class_icap_mw(desc: GridDescription, generation_mw: float) -> dict:
    """Installed capacity of each class [MW] when the fleet (generation and storage) is ``generation_mw``:
    the base year's classes plus what was added since, in the classes of ``desc.additions_mix`` (every class
    in proportion without one, or when the fleet shrank)."""
    extra = max(generation_mw, 0.0) - desc.generation_icap_mw  # capacity added since the base year [MW]
    if desc.additions_mix and extra > 0.0:  # the new capacity goes to the classes of the mix
        return {c.name: c.icap_mw + extra * desc.additions_mix.get(c.name, 0.0) for c in desc.classes}
    scale = max(generation_mw, 0.0) / desc.generation_icap_mw
    return {c.name: c.icap_mw * scale for c in desc.classes}


def unit_sizes(mw: float, unit_mw: float) -> list:
    """``[(MW per unit, units), ...]`` of a class part of ``mw`` in units of ``unit_mw``: as many whole units as
    fit and one unit of the remainder (none when it is under 1 % of a unit), so that a unit keeps its size
    from one year to the next and the fleet's capacity moves by the remainder, not by resizing every unit
    (``round(mw / unit_mw)`` units of ``mw / n`` each made LOLE jump where ``n`` stepped). A part smaller than
    one unit is one unit of its size."""
    n = int(mw // unit_mw)
    rest = mw - n * unit_mw
    if n == 0:
        return [(mw, 1)]
    out = [(float(unit_mw), n)]
    if rest > 0.01 * unit_mw:
        out.append((float(rest), 1))
    elif rest > 0:
        out[0] = (mw / n, n)  # a sliver: spread over the whole units
    return out


def build_grid(desc: GridDescription, year: int, *, peak_mw: float | None = None, dc_mw: float | None = None,
               capacity_mw: float | None = None, dc_as_load: bool = False, outage_multiplier: float = 1.0,
               cold_scale: float | None = None, demand_response_mw: float | None = None,
               weather_years: tuple | None = None) -> SystemModel:
    """The system of study ``year``: every weather year back to back, zones, the fleet by class.

    Parameters
    ----------
    peak_mw, dc_mw, capacity_mw : float, optional
        The year's 50/50 peak (data centers included), data-center load and installed capacity
        (generation and demand response) [MW]; default the description's of ``year``.
    dc_as_load : bool
        The data centers added to the zones' load (a plain system); default they are not (they
        join as sites, :meth:`gigawatt.grids.GridOutlook.policy_system`).
    outage_multiplier : float
        Factor on every class's forced-outage rate.
    cold_scale : float, optional
        Factor on the classes' cold outages; default the description's.
    demand_response_mw : float, optional
        Demand response inside ``capacity_mw`` (the fleet is the capacity less it).
    weather_years : tuple, optional
        A subset of the description's weather years.
    """
    wy = tuple(desc.weather_years if weather_years is None else weather_years)
    missing = [y for y in wy if y not in desc.shapes]
    if not wy or missing:
        raise InputError(f"weather_years: {desc.name} has weather years {list(desc.weather_years)}, got {list(wy)}")
    peak = desc.forecast_peak_mw(year) if peak_mw is None else float(peak_mw)
    dc = desc.dc_load_mw(year) if dc_mw is None else float(dc_mw)
    cap = desc.capacity_mw(year) if capacity_mw is None else float(capacity_mw)
    dr = desc.demand_response_mw if demand_response_mw is None else float(demand_response_mw)
    cs = desc.cold_scale if cold_scale is None else float(cold_scale)
    if dc >= peak:
        raise InputError(f"dc_mw: expected less than the peak of {year} ({peak:,.0f} MW), got {dc:,.0f} MW")
    K = len(wy)
    T = K * HOURS
    month = _month_of_hour()
    k = scale_factor(desc, wy, peak - dc)
    load = np.concatenate([desc.shapes[y] * k for y in wy])
    cold = np.concatenate([grid_cold(desc, y) for y in wy])
    heat = np.concatenate([heat_index(desc.shapes[y], month) for y in wy])
    planned = np.tile(planned_profile(np.mean([desc.shapes[y] for y in wy], axis=0)), K)
    dcl = dc * dc_profile(heat) if dc_as_load else np.zeros(T)
    zones = desc.zone_names
    regions = Regions(list(zones), np.vstack([load * z.load_share + dcl * desc.dc_zone_shares.get(z.name, 0.0)
                                              for z in desc.zones]))
    icap = class_icap_mw(desc, cap - dr)
    names, cats, regs, mus, groups, storage = [], [], [], [], [], []
    for c in desc.classes:
        for zone in zones:
            mw = icap[c.name] * c.zones.get(zone, 0.0)
            if mw <= 0:
                continue
            label = f"{c.name} {zone}" if len(zones) > 1 else c.name
            if c.kind == "storage":
                storage.append((label, c.name, zone, mw, mw * c.storage_h))
                continue
            if c.kind in ("wind", "solar", "hydro"):
                prof = _renewable(c, K) * np.clip(1.0 - c.cold_extra * cs * cold, 0.0, 1.0)
                names.append(label)
                cats.append(c.name)
                regs.append(zone)
                groups.append((prof * mw, None, 1))
                mus.append(1.0)
                continue
            mu = 1.0 / c.mttr_h
            target = np.minimum(min(c.efor * outage_multiplier, 0.95) + c.cold_extra * cs * cold
                                + desc.heat_extra_outage * heat, 0.95)
            lam = np.minimum(hazard_for(target, mu), 1.0)
            derate = 1.0 - c.planned_frac * planned - c.hot_derate * heat
            block_mw = mw * desc.cold_block_share if c.common_mode and c.cold_extra > 0 else 0.0
            for part_mw, size, tag in ((mw - block_mw, c.unit_mw, ""), (block_mw, desc.cold_block_mw, " block")):
                if part_mw <= 0:
                    continue
                k = 0
                for unit_mw, n in unit_sizes(part_mw, size):
                    groups.append((derate * unit_mw, lam, n))
                    for _ in range(n):
                        k += 1
                        names.append(f"{label}{tag} #{k}")
                        cats.append(c.name)
                        regs.append(zone)
                        mus.append(mu)
    # one row per unit, group by group; handed over read-only (the system keeps read-only arrays as they are)
    capacity = np.concatenate([np.broadcast_to(row, (n, T)) for row, _, n in groups]) if groups else np.empty((0, T))
    failure = np.concatenate([np.broadcast_to(np.zeros(T) if f is None else f, (n, T)) for _, f, n in groups]) \
        if groups else np.empty((0, T))
    capacity.setflags(write=False)
    failure.setflags(write=False)
    gens = Generators(names, cats, regs, capacity, failure, np.array(mus), n_periods=T)
    st = Storages([s[0] for s in storage], [s[1] for s in storage], [s[2] for s in storage],
                  np.array([s[3] for s in storage]), np.array([s[3] for s in storage]),
                  np.array([s[4] for s in storage]), charge_eff=0.92, discharge_eff=0.92, n_periods=T)
    interfaces = None
    if desc.interfaces:
        interfaces = Interfaces([f.from_zone for f in desc.interfaces], [f.to_zone for f in desc.interfaces],
                                np.array([f.limit_mw for f in desc.interfaces]),
                                np.array([f.limit_mw for f in desc.interfaces]), n_periods=T)
    start = pd.Timestamp(f"{year}-01-01T00:00:00Z") - pd.Timedelta(hours=desc.day_utc_offset_h)
    return SystemModel(TimeAxis(start, 1.0, T, day_utc_offset_h=desc.day_utc_offset_h), regions, gens, st,
                       interfaces=interfaces)


def _renewable(c: GridClass, K: int) -> np.ndarray:
    """Hourly output per MW of ICAP: PJM's month x hour class profile times the class's ``profile_scale``
    for wind and solar; hydro at its ``elcc``."""
    month = _month_of_hour() - 1
    hour = np.tile(np.arange(24), 365)
    if c.kind == "wind":
        prof = np.minimum(F.WIND_PROFILE[month, hour] * c.profile_scale, 1.0)
    elif c.kind == "solar":
        prof = np.minimum(F.SOLAR_PROFILE[month, hour] * c.profile_scale, 1.0)
    else:
        prof = np.full(HOURS, c.elcc)
    return np.tile(prof, K)


def replay(desc: GridDescription, system: SystemModel, event: Replay, weather_years: tuple | None = None) -> dict:
    """The model's generation unavailable in a calibration event, against what was published.

    Counted over the event's hours (the mean; one hour: that hour) on the grid's fleet: the expected
    forced-out MW of the thermal classes (:func:`gigawatt.systems.pjm.expected_outages_mw`, the exact
    two-state recursion) plus their planned outages and derates, plus the wind and solar output lost to
    the cold (below their expected output). Returns ``model_mw``, ``published_mw``, ``ratio``.
    """
    from gigawatt.systems.pjm import expected_outages_mw

    wy = tuple(desc.weather_years if weather_years is None else weather_years)
    y, h = desc.hour_of(event.start_local)
    if y not in wy:
        return {"name": event.name, "weather_year": y, "model_mw": None, "published_mw": event.published_mw}
    p0 = wy.index(y) * HOURS + h
    g = system.generators
    cap = np.asarray(g.capacity_mw)
    thermal = np.array([float(np.max(np.asarray(g.failure_prob)[i, :])) > 0 for i in range(len(g.names))])
    kinds = {c.name: c.kind for c in desc.classes}
    ren = np.array([kinds.get(c) in ("wind", "solar") for c in g.categories])
    # capacity a class would have without planned outages, derates or cold (its highest of the year)
    ceiling_th = cap[thermal].max(axis=1)
    k0 = wy.index(y) * HOURS
    vals = []
    for p in range(p0, p0 + max(1, int(event.hours))):
        forced = expected_outages_mw(system, p)["total"]
        planned = float((ceiling_th - cap[thermal, p]).sum())
        # wind and solar: output lost to cold against the same hour without cold (cold factor removed)
        lost = 0.0
        if ren.any():
            for i in np.flatnonzero(ren):
                c = next(cc for cc in desc.classes if cc.name == g.categories[i])
                f = 1.0 - c.cold_extra * desc.cold_scale * _cold_at(desc, y, p - k0)
                lost += float(cap[i, p] / max(f, 1e-9) - cap[i, p]) if f > 0 else 0.0
        vals.append(forced + planned + lost)
    model = float(np.mean(vals))
    pub = event.published_mw
    return {"name": event.name, "weather_year": y, "hour": h, "hours": int(event.hours), "model_mw": round(model, 1),
            "published_mw": None if math.isnan(pub) else pub,
            "ratio": None if math.isnan(pub) or pub <= 0 else round(model / pub, 3), "what": event.what,
            "source": event.source}


def _cold_at(desc: GridDescription, year: int, hour: int) -> float:
    return float(grid_cold(desc, year)[hour])


#: hours of the mean load that measures persistent cold (signal ``level``) [est: Uri's load stayed high
#: for days, where a one-day cold front does not strand plant on the same scale]
COLD_LEVEL_WINDOW_H = 48


def grid_cold(desc: GridDescription, year: int) -> np.ndarray:
    """Cold severity of each hour of weather ``year``, 0-1, by the description's ``cold.signal``.

    * ``pjm``: the PJM model's severity (:func:`gigawatt.systems.pjm_weather.cold_severity`: sudden
      cold and deep cold from the load);
    * ``level``: persistent cold, the load's mean over the last :data:`COLD_LEVEL_WINDOW_H` hours over
      the median winter (Dec-Feb) daily peak, from ``cold.level_start`` (0) to ``cold.level_full``
      (1), Nov-Mar only. For grids whose load swings more within a day than PJM's, the PJM severity
      reaches 1 in hundreds of hours of every winter (docs/grids.md).
    """
    x = desc.shapes[year]
    month = _month_of_hour()
    if desc.cold_signal == "pjm":
        return cold_severity(x, month)
    daily_peak = x.reshape(-1, 24).max(axis=1)
    level = x / float(np.median(daily_peak[np.isin(month.reshape(-1, 24)[:, 0], [12, 1, 2])]))
    w = COLD_LEVEL_WINDOW_H
    c = np.cumsum(np.r_[0.0, level])
    t = np.arange(1, len(x) + 1)
    mean = (c[t] - c[np.maximum(t - w, 0)]) / np.minimum(t, w)
    sev = np.clip((mean - desc.cold_level_start) / (desc.cold_level_full - desc.cold_level_start), 0.0, 1.0)
    return np.where(np.isin(month, [11, 12, 1, 2, 3]), sev, 0.0)


__all__ = ["GridClass", "GridDescription", "Interface", "KINDS", "Replay", "Site", "Source", "Zone", "build_grid", "dc_from_table", "unit_sizes",
           "grid_cold", "replay", "scale_factor"]
