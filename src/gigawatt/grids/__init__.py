"""The outlook of a grid from a description (:class:`GridOutlook`): what the decision asks of any grid.

The decision (:mod:`gigawatt.decision`) asks an outlook for ``grid(year)``, ``forecast_peak_mw(year)``,
``dc_load_mw(year)``, ``capacity_mw(year)``, ``reserve_margin(year)``, ``policy``, ``years``,
``weather_years`` and, through :func:`gigawatt.outlook.policy_system`, the year's grid with the data
centers as sites under a policy and the grid's emergency order. :class:`GridOutlook` answers them
for a :class:`~gigawatt.systems.grid.GridDescription`, as :class:`gigawatt.outlook.OutlookAssumptions`
does for the PJM model; its field names are the same where the meaning is (so that the range's
scenarios, :mod:`gigawatt.decision.range`, apply unchanged).
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass, field, fields

import numpy as np

from gigawatt.constants import FIRST_STUDY_YEAR, LAST_STUDY_YEAR
from gigawatt.datacenter.outages import RotationPolicy
from gigawatt.errors import InputError
from gigawatt.outlook import OutlookAssumptions, PolicyParams, checked_zone_mw, sites_system
from gigawatt.systems.grid import HOURS, GridDescription, build_grid, class_icap_mw, dc_from_table, replay
from gigawatt.systems.pjm_weather import _month_of_hour, dc_profile, heat_index


@dataclass(frozen=True)
class GridOutlook:
    """A grid's outlook, year by year (defaults: the description's figures).

    Parameters
    ----------
    description : GridDescription
    years : tuple of int
        Study years, increasing.
    weather_years : tuple of int, optional
        Default: the description's.
    peak_growth_per_yr : float, optional
        Growth of the 50/50 peak after the description's base year; default the description's.
    peak_mw_by_year, dc_mw_by_year, net_additions_mw_by_year, reserve_margin_by_year : dict, optional
        Overrides by year (as :class:`gigawatt.outlook.OutlookAssumptions`).
    dc_growth_mw_per_year : float, optional
        Data-center load added a year after the description's table; default the description's.
    net_additions_mw_per_year : float, optional
        Net installed capacity added a year after the base year [MW]; default the description's.
    outage_multiplier, cold_scale : float
        Factor on the forced-outage rates; factor on the cold outages (default the description's).
    """

    description: GridDescription
    years: tuple = (2026, 2027, 2028, 2030, 2035)
    weather_years: tuple | None = None
    peak_growth_per_yr: float | None = None
    peak_mw_by_year: dict = field(default_factory=dict)
    dc_growth_mw_per_year: float | None = None
    dc_mw_by_year: dict = field(default_factory=dict)
    net_additions_mw_per_year: float | None = None
    net_additions_mw_by_year: dict = field(default_factory=dict)
    reserve_margin_by_year: dict = field(default_factory=dict)
    outage_multiplier: float = 1.0
    cold_scale: float | None = None
    demand_response_mw: float | None = None
    policy: PolicyParams = field(default_factory=PolicyParams)
    rotation: RotationPolicy | None = None

    def __post_init__(self):
        d = self.description
        if not isinstance(d, GridDescription):
            raise InputError(f"description: expected a GridDescription, got {type(d).__name__}")
        years = tuple(self.years)
        if (not years or any(isinstance(y, bool) or not isinstance(y, int) for y in years)
                or not all(FIRST_STUDY_YEAR <= y <= LAST_STUDY_YEAR for y in years)
                or list(years) != sorted(set(years))):
            raise InputError(f"years: expected increasing study years {FIRST_STUDY_YEAR}-{LAST_STUDY_YEAR}, "
                             f"got {years!r}")
        set_ = functools.partial(object.__setattr__, self)
        set_("years", years)
        wy = tuple(d.weather_years if self.weather_years is None else self.weather_years)
        bad = [y for y in wy if y not in d.shapes]
        if not wy or bad:
            raise InputError(f"weather_years: {d.name} has weather years {sorted(d.shapes)}, got {list(wy)}")
        set_("weather_years", wy)
        for name, default in (("peak_growth_per_yr", d.peak_growth_per_yr),
                              ("dc_growth_mw_per_year", d.dc_growth_mw_per_year),
                              ("net_additions_mw_per_year", d.net_additions_mw_per_year),
                              ("cold_scale", d.cold_scale), ("demand_response_mw", d.demand_response_mw)):
            x = default if getattr(self, name) is None else getattr(self, name)
            if not isinstance(x, (int, float)) or isinstance(x, bool) or not math.isfinite(x):
                raise InputError(f"{name}: expected a finite number, got {x!r}")
            set_(name, float(x))
        if not (isinstance(self.outage_multiplier, (int, float)) and 0 < self.outage_multiplier <= 5):
            raise InputError(f"outage_multiplier: expected a number in (0, 5], got {self.outage_multiplier!r}")
        for name in ("peak_mw_by_year", "dc_mw_by_year", "net_additions_mw_by_year", "reserve_margin_by_year"):
            set_(name, {int(k): float(v) for k, v in dict(getattr(self, name) or {}).items()})
        if self.rotation is None:
            # people per MW of this grid's peak (the rotating-outage accounting's default is PJM's)
            set_("rotation", RotationPolicy(people_per_mw=d.people_served / d.forecast_peak_mw(d.base_year)))
        for y in years:
            if self.dc_load_mw(y) >= self.forecast_peak_mw(y):
                raise InputError(f"{d.path or d.name}: data_centers: the data-center load of {y} "
                                 f"({self.dc_load_mw(y):,.0f} MW) is not below the peak ({self.forecast_peak_mw(y):,.0f} MW)")
            if self.reserve_margin(y) <= -0.5:
                raise InputError(f"{d.path or d.name}: capacity: the capacity left in {y} gives a reserve margin of "
                                 f"{self.reserve_margin(y):.1%}; expected more than -50 %")

    # ---- year by year
    @property
    def name(self) -> str:
        return self.description.name

    def forecast_peak_mw(self, year: int) -> float:
        """50/50 peak of ``year`` [MW], data centers included."""
        if year in self.peak_mw_by_year:
            return self.peak_mw_by_year[year]
        d = self.description
        return d.peak_mw * (1.0 + self.peak_growth_per_yr) ** (year - d.base_year)

    def dc_load_mw(self, year: int) -> float:
        """Data-center load of ``year`` at the peak [MW]."""
        if year in self.dc_mw_by_year:
            return self.dc_mw_by_year[year]
        return dc_from_table(self.description.dc_mw_by_year, self.dc_growth_mw_per_year, year)

    def capacity_mw(self, year: int) -> float:
        """Installed capacity (generation, storage, demand response) of ``year`` [MW]: the base year's fleet
        plus the net additions since; a year in ``reserve_margin_by_year`` has that margin, later years build on it."""
        if year in self.reserve_margin_by_year:
            return (1.0 + self.reserve_margin_by_year[year]) * self.forecast_peak_mw(year)
        d = self.description
        if year <= d.base_year:
            return d.generation_icap_mw + self.demand_response_mw
        added = self.net_additions_mw_by_year.get(year, self.net_additions_mw_per_year)
        return self.capacity_mw(year - 1) + added

    def reserve_margin(self, year: int) -> float:
        return self.capacity_mw(year) / self.forecast_peak_mw(year) - 1.0

    def _kw(self, year: int) -> dict:
        return {"peak_mw": self.forecast_peak_mw(year), "dc_mw": self.dc_load_mw(year),
                "capacity_mw": self.capacity_mw(year), "outage_multiplier": self.outage_multiplier,
                "cold_scale": self.cold_scale, "demand_response_mw": self.demand_response_mw,
                "weather_years": self.weather_years}

    def grid(self, year: int):
        """The grid of ``year``: its load is the residents' (the data centers join as sites)."""
        return build_grid(self.description, year, **self._kw(year))

    def system(self, year: int):
        """The whole system of ``year`` as one plain model: data centers added to the load, no emergency order."""
        return build_grid(self.description, year, dc_as_load=True, **self._kw(year))

    def dc_profile(self) -> np.ndarray:
        """Data-center draw per MW of its peak draw, hour by hour over the weather years (as PJM's)."""
        month = _month_of_hour()
        return dc_profile(np.concatenate([heat_index(self.description.shapes[y], month) for y in self.weather_years]))

    def emergency_order(self, demand_response: bool = True):
        """The grid's emergency order: demand response by zone (load shares), then load shed."""
        from gigawatt.datacenter.order import DemandResponse, EmergencyOrder

        d = self.description
        dr = ()
        if demand_response and self.demand_response_mw > 0:
            dr = tuple(DemandResponse(f"demand response {z.name}", z.name, self.demand_response_mw * z.load_share,
                                      max_hours_per_year=d.dr_max_hours_per_year, max_event_h=d.dr_max_event_h)
                       for z in d.zones if z.load_share > 0)
        return EmergencyOrder(demand_response=dr)

    def policy_system(self, year: int, policy: str, grid=None, dc_mw: float | None = None,
                      dc_zone_mw: dict | None = None, demand_response: bool = True):
        """The grid of ``year`` with the data centers as one site per zone under ``policy`` (see
        :func:`gigawatt.outlook.policy_system`, which hands grids from a description here)."""
        kind = self.policy.kind(self.policy.resolve([policy], "policy")[0])
        grid = self.grid(year) if grid is None else grid
        dc = self.dc_load_mw(year) if dc_mw is None else float(dc_mw)
        profile = self.dc_profile()
        if dc_zone_mw is not None:
            zone_mw = checked_zone_mw(dc_zone_mw, grid.regions.names)
        else:
            zone_mw = {z: dc * sh for z, sh in self.description.dc_zone_shares.items()}
        return sites_system(self, kind, grid, zone_mw, profile, self.emergency_order(demand_response), float(HOURS))

    def replays(self, year: int | None = None) -> list:
        """The calibration events replayed on the grid of ``year`` (default the first study year)."""
        y = self.years[0] if year is None else year
        g = build_grid(self.description, y, **self._kw(y))
        return [replay(self.description, g, r, self.weather_years) for r in self.description.replays]

    def range_scenarios(self) -> list:
        """(factor, case, outlook) pairs that bracket this outlook for the range [est: the brackets]: peak growth
        1 point lower and higher, the data-center load halved and doubled (the peak moves with it), no net
        capacity additions."""
        g = self.peak_growth_per_yr
        return [("load forecast", f"{g - 0.01:.1%}/yr", dataclasses.replace(self, peak_growth_per_yr=g - 0.01)),
                ("load forecast", f"{g + 0.01:.1%}/yr", dataclasses.replace(self, peak_growth_per_yr=g + 0.01)),
                ("data-center growth", "half", self._dc_scaled(0.5)),
                ("data-center growth", "double", self._dc_scaled(2.0)),
                ("net additions", "none", dataclasses.replace(self, net_additions_mw_per_year=0.0,
                                                              net_additions_mw_by_year={}))]

    def _dc_scaled(self, k: float) -> "GridOutlook":
        years = range(FIRST_STUDY_YEAR, max(self.years) + 1)
        dc = {y: self.dc_load_mw(y) * k for y in years}
        peak = {y: self.forecast_peak_mw(y) + dc[y] - self.dc_load_mw(y) for y in years}
        return dataclasses.replace(self, dc_mw_by_year=dc, peak_mw_by_year=peak)

    # ---- what the report says
    @property
    def system_name(self) -> str:
        return self.description.name

    @property
    def system_note(self) -> str:
        d = self.description
        rates = "published outage rates" if _embedded(d) else "the description's outage rates"
        return (f"{d.title}: a system built from the grid description {d.name} ({len(d.weather_years)} real weather "
                f"years of hourly load, the fleet by class with {rates} and correlated cold); not "
                f"the operator's own model. See {_doc(d)}.")

    def assumptions_table(self, scenario_name: str | None = None) -> list[dict]:
        """The assumptions table of the report: each value with its source (ids of the description's sources)."""
        d = self.description
        mine = f"scenario '{scenario_name}'" if scenario_name else "[est]"
        rows = [
            {"name": f"peak {d.base_year} (50/50)", "value": f"{d.peak_mw:,.0f} MW", "source": _srcs(d, "forecast")},
            {"name": "peak growth", "value": f"{self.peak_growth_per_yr:.1%}/yr",
             "source": _srcs(d, "forecast") if self.peak_growth_per_yr == d.peak_growth_per_yr else mine},
            {"name": "data centers", "value": ", ".join(f"{y}: {self.dc_load_mw(y):,.0f} MW" for y in self.years),
             "source": _srcs(d, "data_centers")},
            {"name": "capacity", "value": ", ".join(f"{y}: {self.capacity_mw(y):,.0f} MW "
                                                    f"({self.reserve_margin(y):.1%})" for y in self.years),
             "source": f"fleet by class {d.base_year} + {self.net_additions_mw_per_year:,.0f} MW/yr net additions"},
            {"name": "reliability standard", "value": f"LOLE {d.standard_lole_d:g} d/yr; {d.standard_note}",
             "source": _srcs(d, "standard")},
            {"name": "fleet", "value": "; ".join(f"{c.name} {c.icap_mw:,.0f} MW (EFOR {c.efor:.1%})"
                                                 for c in d.classes), "source": "classes' sources in the description"},
            {"name": "correlated cold", "value": f"{self.cold_scale:g} x the classes' cold outages",
             "source": _srcs(d, "cold")},
            {"name": "load shapes", "value": f"weather years {', '.join(map(str, self.weather_years))}",
             "source": d.weather_note or "the description's weather data"},
            {"name": "demand response", "value": f"{self.demand_response_mw:,.0f} MW", "source": "description"},
        ]
        return rows

    def to_dict(self) -> dict:
        """JSON-ready: every field but the description (named by ``grid`` and ``description_path``)."""
        out = OutlookAssumptions.to_dict(self)  # the same plain-value rules as the PJM outlook's
        out.pop("description")
        out["grid"] = self.description.name
        out["description_path"] = self.description.path
        return out

    def replace(self, **kw) -> "GridOutlook":
        return dataclasses.replace(self, **kw)


def describe_grid(outlook: GridOutlook, year: int) -> dict:
    """``gigawatt system describe ercot-YYYY``: :func:`gigawatt.systems.describe.describe` of the grid of
    ``year`` with its data centers as load (PJM's keys), plus the grid's accounts, its sites, its sources and
    ``cold.replays`` (the calibration events, :func:`gigawatt.systems.grid.replay`; also ``cold_replay``)."""
    from gigawatt.systems.describe import describe

    d = outlook.description
    system = outlook.system(year)
    icap = class_icap_mw(d, outlook.capacity_mw(year) - outlook.demand_response_mw)
    # UCAP: thermal ICAP x (1 - EFOR); hydro and storage ICAP x their accreditation; wind and solar have none in
    # a description (their output is a profile, not a rating): None, and left out of the UCAP total
    accounts = {"classes": {c.name: {"icap_mw": icap[c.name],
                                     "elcc": None if c.kind in ("thermal", "wind", "solar") else c.elcc,
                                     "ucap_mw": None if c.kind in ("wind", "solar") else
                                     icap[c.name] * ((1.0 - c.efor) if c.kind == "thermal" else c.elcc)}
                            for c in d.classes}}
    out = describe(system, weather_years=outlook.weather_years, start_year=year, accounts=accounts)
    out["grid"] = {"name": d.name, "title": d.title, "description": d.path, "timezone": d.timezone,
                   "day_utc_offset_h": d.day_utc_offset_h}
    out["assumptions"] = {"year": year, "peak_mw": outlook.forecast_peak_mw(year), "dc_load_mw": outlook.dc_load_mw(year),
                          "dc_as_load": True, "efor_scale": outlook.outage_multiplier, "cold_scale": outlook.cold_scale,
                          "cold_signal": d.cold_signal, "demand_response_mw": outlook.demand_response_mw}
    ucap = float(sum(c["ucap_mw"] or 0.0 for c in out["classes"]))
    out["accounts"] = {"peak_mw": outlook.forecast_peak_mw(year), "reserve_margin": outlook.reserve_margin(year),
                       "icap_mw": outlook.capacity_mw(year), "ucap_mw": ucap + outlook.demand_response_mw,
                       "dr_icap_mw": outlook.demand_response_mw, "dr_ucap_mw": outlook.demand_response_mw,
                       "reserve_margin_target": d.reserve_margin_target, "standard_lole_d": d.standard_lole_d}
    replays = [replay(d, system, r, outlook.weather_years) for r in d.replays]
    out["cold"] = {"signal": d.cold_signal, "scale": outlook.cold_scale, "replays": replays}
    icap = outlook.capacity_mw(year) - outlook.demand_response_mw
    # PJM's replay keys too (the describe tables read them); the hour is local standard time here
    out["cold_replay"] = [{**r, "event": r["name"], "time_ept": f"{ev.start_local} (local)",
                           "model_outage_mw": r["model_mw"],
                           "model_outage_share_of_icap": None if r["model_mw"] is None else r["model_mw"] / icap,
                           "model_gas_share": None, "observed_outage_mw": r["published_mw"], "observed_share": None}
                          for r, ev in zip(replays, d.replays)]
    out["sites"] = [{"name": s.name, "zone": s.zone, "mw_by_year": {str(k): v for k, v in s.mw_by_year.items()},
                     "megapacks": s.megapacks, "turbines_mw": s.turbines_mw, "source": s.source} for s in d.sites]
    out["sources"] = {k: dataclasses.asdict(v) for k, v in d.sources.items()}
    return out


def _embedded(d: GridDescription) -> bool:
    """Whether ``d`` is one of the package's descriptions (which have their own docs/NAME.md)."""
    from pathlib import Path

    return d.path is not None and Path(d.path).resolve().parent == Path(__file__).resolve().parents[1] / "data"


def _doc(d: GridDescription) -> str:
    """Where a reader finds the grid explained: docs/NAME.md for the package's, else the file itself."""
    from pathlib import Path

    if _embedded(d):
        return f"docs/{d.name}.md"
    return f"{Path(d.path).name if d.path else d.name} (the format: docs/grids.md)"


def _srcs(d: GridDescription, what: str) -> str:
    from pathlib import Path

    return (f"see [{what}] in {Path(d.path).name if d.path else d.name}"
            + (f" and docs/{d.name}.md" if _embedded(d) else ""))


__all__ = ["GridOutlook", "describe_grid"]
