"""Multi-year outlook on the PJM-like default: load growth, data centers, capacity, reliability by year.

For each study year the embedded grid (:func:`gigawatt.systems.pjm.pjm_default`: 23 real weather
years, two zones, class outage rates) is built with the forecast peak of that year and the installed
capacity the market has procured (PJM's accounting: ICAP over the forecast peak, demand response
inside). The data centers join it as one aggregate site per zone under the policy's contract and
resources, and the
operator's emergency order (:func:`gigawatt.systems.pjm.emergency_order`: data-center curtailment
where the contract allows, demand response, directed on-site generation, voltage reduction, then
rotating outages) runs inside the sequential Monte Carlo for every policy, the firm one included.
Yearly limits (contract hours, demand-response hours, on-site generation hours) apply to each
weather year of the horizon. Residents' impacts (people and customers interrupted, customer-hours,
how many hours affected customers are without power) come from the engine's rotating-outage
accounting (:mod:`gigawatt.datacenter.outages`), counted per weather year.

The assumptions can be read from a scenario file (:func:`gigawatt.io.outlook_scenario.read_outlook_scenario`).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field, fields

import numpy as np

from gigawatt.datacenter import _validate as v
from gigawatt.datacenter.outages import RotationPolicy
from gigawatt.datacenter.resources import MEGAPACK2XL_ENERGY_MWH, MEGAPACK2XL_POWER_MW, MEGAPACK2XL_RTE
from gigawatt.constants import (DEFAULT_FIRST_YEAR, DEFAULT_LAST_YEAR, FIRST_STUDY_YEAR, LAST_STUDY_YEAR,  # noqa: F401
                                POLICIES, POLICY_KINDS)
from gigawatt.errors import InputError
from gigawatt.stats import Estimate
from gigawatt.systems import pjm
from gigawatt.systems import pjm_constants, pjm_description, pjm_fleet, pjm_forecast, pjm_load, pjm_zones
from gigawatt.systems.pjm_assumptions import ZONE_SETS

#: factor on every class's published forced-outage rate (``PJMAssumptions.efor_scale``): the PJM
#: description's ``capacity.outage_multiplier``. PJM sets its installed reserve margin so that LOLE is
#: 0.1 day/yr; a factor within 0.75-1.33 may bring the 2026 system at the 2026/27 IRM to that criterion.
#: Fitted by tools/calibrate_outlook.py with common random numbers; see docs/outlook.md for the finding.
CALIBRATED_OUTAGE_MULTIPLIER = pjm_constants.MODEL.outage_multiplier
#: 2027/28 capacity auction's accredited capacity (UCAP) short of the reliability requirement [MW] (the
#: PJM description's ``capacity.shortfall_2027_ucap_mw``); converted to installed capacity on the model's
#: one UCAP basis, the class ELCC ratings of 2027/28 on the fleet's mix
#: (:meth:`OutlookAssumptions.shortfall_2027_icap_mw`)
SHORTFALL_2027_MW = pjm_constants.MODEL.shortfall_2027_ucap_mw
#: data-center load growth [MW/yr] of the default load forecast (the 2026 report's large loads,
#: :data:`gigawatt.systems.pjm_forecast.LF2026_DC_GROWTH_MW_PER_YEAR`)
DC_GROWTH_MW_PER_YEAR = pjm_forecast.LF_2026.dc_growth_mw_per_year


#: data-center load of a study year [MW] (the PJM model's trajectory)
default_dc_mw = pjm.default_dc_mw


# ------------------------------------------------------------------------------------ policies
# policy kinds (gigawatt.constants.POLICY_KINDS); a policy is named by its kind, the capped one by its
# hours ("capped-100h"); the policies compared by default: gigawatt.constants.POLICIES


def _above_minus_one(name: str, x) -> float:
    """``x`` as a finite float > -1 (growth rates and reserve margins), else an InputError naming ``name``."""
    f = v.finite(name, x)
    if f <= -1.0:
        raise InputError(f"{name}: expected a number > -1, got {x!r}")
    return f


@dataclass(frozen=True)
class PolicyParams:
    """Sizes and limits of the data-center policies (all relative to the year's data-center load).

    Parameters
    ----------
    capped_hours_per_year : float
        Curtailment hours a year under the capped contract [h]. Default 100 h, the top of the
        hyperscalers' offers of 24-100 h/yr (sources.md F1).
    capped_max_event_h : float
        Longest curtailment event under the capped contract [h]. Default 8 h [est: a working day].
    capped_max_depth_frac : float
        Deepest cut under the capped contract [fraction of the data-center load]. Default 1.
    battery_power_frac : float
        Battery power of the firm+battery policy [fraction of the data-center load]. Default 0.25 [est].
    battery_duration_h : float
        Battery energy over power [h]. Default Megapack 2 XL, 3.9 MWh / 1.9 MW (sources.md F5).
    onsite_gen_frac : float
        On-site generation of the firm+onsite-gen policy [fraction of the data-center load].
        Default 0.5 [est].
    onsite_gen_unit_mw : float
        Size of one on-site unit [MW]. Default 50 MW (Colossus mobile turbines up to ~50 MW,
        sources.md F1, F5).
    onsite_gen_max_hours_per_year : float
        Permit limit on on-site run hours per year [h]; ``inf``: none.
    onsite_gen_dual_fuel : bool
        On-site turbines with dual fuel: the outage process (rate, heat, correlated cold) of the grid's
        dual-fuel CT class instead of the gas-only CT class.
    """

    capped_hours_per_year: float = 100.0
    capped_max_event_h: float = 8.0
    capped_max_depth_frac: float = 1.0
    battery_power_frac: float = 0.25
    battery_duration_h: float = MEGAPACK2XL_ENERGY_MWH / MEGAPACK2XL_POWER_MW
    onsite_gen_frac: float = 0.5
    onsite_gen_unit_mw: float = 50.0
    onsite_gen_max_hours_per_year: float = math.inf
    onsite_gen_dual_fuel: bool = False

    def __post_init__(self):
        v.non_negative("capped_hours_per_year", self.capped_hours_per_year)
        v.positive("capped_max_event_h", self.capped_max_event_h, allow_inf=True)
        v.fraction("capped_max_depth_frac", self.capped_max_depth_frac)
        v.non_negative("battery_power_frac", self.battery_power_frac)
        v.positive("battery_duration_h", self.battery_duration_h)
        v.non_negative("onsite_gen_frac", self.onsite_gen_frac)
        v.positive("onsite_gen_unit_mw", self.onsite_gen_unit_mw)
        v.non_negative("onsite_gen_max_hours_per_year", self.onsite_gen_max_hours_per_year, allow_inf=True)
        if not isinstance(self.onsite_gen_dual_fuel, bool):
            raise InputError(f"onsite_gen_dual_fuel: expected true or false, got {self.onsite_gen_dual_fuel!r}")

    def name(self, kind: str) -> str:
        """The policy's name: its kind, the capped one with its hours (``capped-100h``)."""
        return f"capped-{self.capped_hours_per_year:g}h" if kind == "capped" else kind

    def resolve(self, names, where: str = "policies") -> tuple:
        """Policy names from kinds or names (``capped`` or ``capped-100h``); unknown ones raise."""
        known = {self.name(k): k for k in POLICY_KINDS}
        out = []
        for n in names:
            if n in POLICY_KINDS:
                n = self.name(n)
            if n not in known:
                raise InputError(f"{where}: unknown policy {n!r}; expected some of {list(known)} "
                                 f"(or 'capped' for the capped one)")
            if n not in out:
                out.append(n)
        if not out:
            raise InputError(f"{where}: expected at least one policy of {list(known)}")
        return tuple(out)

    def kind(self, name: str) -> str:
        return "capped" if name == self.name("capped") else name


# --------------------------------------------------------------------------------- assumptions
def _year_table(name: str, table, check) -> dict:
    """A {year: number} table with whole years as keys and values passing ``check(name, value)``."""
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise InputError(f"{name}: expected a table of year = value, got {type(table).__name__}")
    out = {}
    for y, x in table.items():
        if isinstance(y, bool) or not isinstance(y, int) or not FIRST_STUDY_YEAR - 2 <= y <= LAST_STUDY_YEAR:
            raise InputError(f"{name}: expected years {FIRST_STUDY_YEAR - 2}-{LAST_STUDY_YEAR} as keys, got {y!r}")
        out[y] = check(f"{name}.{y}", x)
    return out


@dataclass(frozen=True)
class OutlookAssumptions:
    """What the outlook assumes, year by year (defaults: public figures, see docs/outlook.md).

    Parameters
    ----------
    years : tuple of int
        Study years, increasing, 2026-2060.
    weather_years : tuple of int
        Real weather years simulated back to back in each study year (default 2003-2025).
    load_forecast : str
        Vintage of PJM's load forecast (:data:`gigawatt.systems.pjm_forecast.LOAD_FORECASTS`): the
        peak and energy of every year come from its table; default the 2026 report.
    peak_2025_mw : float, optional
        Total 50/50 summer peak of 2025 [MW]; given (or ``peak_growth_per_yr`` given), the peak is
        ``peak_2025_mw (1 + peak_growth_per_yr) ** (year - 2025)`` instead of the vintage's table
        (the missing one from the vintage: its 2025 peak, its ten-year growth from 2026).
    peak_growth_per_yr : float, optional
        Growth of the peak after 2025 [fraction per year] (see ``peak_2025_mw``).
    peak_mw_by_year : dict, optional
        Total 50/50 summer peak by year [MW], data centers included; overrides the trajectory.
    dc_growth_mw_per_year : float
        Data-center load added per year from zero in 2024 [MW/yr] (default the 2026 report's large
        loads, 5.2 GW/yr).
    dc_mw_by_year : dict, optional
        Data-center load by year [MW]; overrides the trajectory.
    shortfall_2027_mw : float
        Accredited capacity (UCAP) short of the requirement in 2027 [MW] (2027/28 auction).
    net_additions_mw_per_year : float, optional
        Net installed capacity (ICAP) added per year after 2027 (new minus retired) [MW], spread over
        the classes in proportion to the year before's fleet, instead of the fleet schedule's
        deactivations and new entry (:data:`gigawatt.systems.pjm_fleet.FLEET_SCHEDULE`). Default
        ``None``: the schedule.
    net_additions_mw_by_year : dict, optional
        Net capacity added in given years [MW]; overrides the year's net change there (the schedule's
        or ``net_additions_mw_per_year``): the difference goes to the classes in proportion to the
        year before's fleet, on top of the schedule's class changes.
    entry_completion_scale : float
        Factor on the completion rates of the schedule's new entry (1: the schedule's [est] rates).
    reserve_margin_by_year : dict, optional
        Installed reserve margin by year [fraction of the peak]; capacity of later years builds on it.
    outage_multiplier : float
        Factor on the classes' published forced-outage rates; see :data:`CALIBRATED_OUTAGE_MULTIPLIER`.
    cold_scale : float
        Factor on the correlated cold-weather outages (1: Jan 2014 and Dec 2022 replayed at every
        equally cold hour); see :data:`gigawatt.systems.pjm.COLD_SCALE_FITTED`.
    heat_scale : float
        Factor on the summer heat elements (1: the June 2025 heat wave's outages at every year's hottest
        hours); see :data:`gigawatt.systems.pjm_constants.HEAT_SCALE_FITTED`.
    dom_import_limit_mw : float
        Import (and export) limit of the Dominion zone in 2026/27 [MW] [est]; later years add the
        transmission PJM approved into the zone (:data:`gigawatt.systems.pjm_zones.DOM_UPGRADES`).
    dom_transfer_upgrades : float
        Factor on the import capability those upgrades add [fraction] (1: as estimated and on time;
        0: the limit frozen at ``dom_import_limit_mw``).
    demand_response_mw : float
        Demand response ICAP [MW], inside the reserve margin and in the emergency order (0: none).
    dr_max_hours_per_year, dr_max_event_h : float, optional
        Demand-response limits [h]; default PJM's rule of each year
        (:meth:`gigawatt.systems.pjm.PJMAssumptions.dr_limits`: 60 h/yr through 2026, all hours after).
    load_forecast_sd : float, optional
        Standard deviation of the load forecast factor [fraction], one draw per sample on the
        residents' load; default by lead time (:meth:`gigawatt.systems.pjm.PJMAssumptions.lfu_sd`);
        0: none.
    cbot_frac : float
        Capacity benefit of ties [fraction of the peak], emergency imports into the rest of PJM
        (:data:`gigawatt.systems.pjm.CBOT_FRAC`).
    voltage_reduction_frac : float
        Voltage reduction in the emergency order [fraction of firm load]; default 0, as PJM's
        loss-of-load criterion counts none (:data:`gigawatt.systems.pjm.VOLTAGE_REDUCTION_FRAC`).
    policy : PolicyParams
        Sizes and limits of the data-center policies.
    rotation : RotationPolicy
        How firm load shed becomes rotating outages of people and customers.
    zone_set : str
        The grid's zones (:data:`gigawatt.systems.pjm_assumptions.ZONE_SETS`): ``"two"`` (default: Dominion
        and the rest) or ``"lda"`` (PJM's Locational Deliverability Areas where the data centers land,
        :mod:`gigawatt.systems.pjm_zones`: each limited zone is then held to PJM's LDA criterion, and the
        data centers are split by :func:`gigawatt.systems.pjm.dc_zone_shares`).
    lda_import_headroom : float, optional
        On the ``"lda"`` zone set, the import limit of each LDA without a published CETL over the model's own
        import objective, minus one [fraction] [est]; default the description's ``[lda] import_headroom``
        (0.15); Dominion's limit is ``dom_import_limit_mw`` (:func:`gigawatt.systems.pjm_zones.derived_import_limits_mw`).
    model : PJMModel, optional
        The PJM description whose figures the outlook reads (classes, reserve margins and the auction's
        shortfall, the fleet schedule, forecast vintages, demand-response rules, Dominion's upgrades);
        default the embedded one (gigawatt/data/pjm.toml). The defaults of the fields above are the
        embedded model's: :meth:`from_model` takes them from another.
    """

    years: tuple = tuple(range(DEFAULT_FIRST_YEAR, DEFAULT_LAST_YEAR + 1))
    weather_years: tuple = pjm_load.WEATHER_YEARS
    load_forecast: str = pjm_forecast.DEFAULT_LOAD_FORECAST
    peak_2025_mw: float | None = None
    peak_growth_per_yr: float | None = None
    peak_mw_by_year: dict | None = None
    dc_growth_mw_per_year: float = DC_GROWTH_MW_PER_YEAR
    dc_mw_by_year: dict | None = None
    shortfall_2027_mw: float = SHORTFALL_2027_MW
    net_additions_mw_per_year: float | None = None
    net_additions_mw_by_year: dict | None = None
    entry_completion_scale: float = 1.0
    reserve_margin_by_year: dict | None = None
    outage_multiplier: float = CALIBRATED_OUTAGE_MULTIPLIER
    cold_scale: float = pjm.COLD_SCALE_FITTED
    heat_scale: float = pjm_constants.HEAT_SCALE_FITTED
    dom_import_limit_mw: float = pjm.DOM_IMPORT_LIMIT_MW
    dom_transfer_upgrades: float = 1.0
    demand_response_mw: float = pjm.DEMAND_RESPONSE_MW
    dr_max_hours_per_year: float | None = None
    dr_max_event_h: float | None = None
    load_forecast_sd: float | None = None
    cbot_frac: float = pjm.CBOT_FRAC
    voltage_reduction_frac: float = pjm.VOLTAGE_REDUCTION_FRAC
    policy: PolicyParams = field(default_factory=PolicyParams)
    rotation: RotationPolicy = field(default_factory=RotationPolicy)
    zone_set: str = "two"
    lda_import_headroom: float | None = None
    model: pjm_description.PJMModel | None = None

    @classmethod
    def from_model(cls, model: pjm_description.PJMModel, **kw) -> "OutlookAssumptions":
        """The outlook of a PJM description (:func:`gigawatt.io.grid.read_grid_description` of a file with
        ``[grid] model = "pjm"``): the fields the description sets take its values; ``kw`` overrides."""
        lf = model.forecast(model.default_vintage)
        base = {"weather_years": model.weather_years, "load_forecast": model.default_vintage,
                "dc_growth_mw_per_year": lf.dc_growth_mw_per_year,
                "shortfall_2027_mw": model.shortfall_2027_ucap_mw,
                "outage_multiplier": model.outage_multiplier, "cold_scale": model.cold_scale,
                "heat_scale": model.heat_scale, "dom_import_limit_mw": model.dom_import_limit_mw,
                "demand_response_mw": model.dr_mw, "cbot_frac": model.cbot_frac,
                "voltage_reduction_frac": model.voltage_reduction_frac, "model": model}
        return cls(**{**base, **kw})

    def __post_init__(self):
        if self.model is None:
            object.__setattr__(self, "model", pjm_constants.MODEL)
        elif not isinstance(self.model, pjm_description.PJMModel):
            raise InputError(f"model: expected a PJM description (PJMModel), got {type(self.model).__name__}")
        if not isinstance(self.zone_set, str) or self.zone_set not in ZONE_SETS:
            raise InputError(f"zone_set: expected one of {list(ZONE_SETS)}, got {self.zone_set!r}")
        if self.lda_import_headroom is not None and self.zone_set != "lda":
            raise InputError("lda_import_headroom: the LDAs' import limits are read on the LDA set only; "
                             "set zone_set = \"lda\" (--zones lda, [run] zones) or leave it out")
        years = tuple(self.years)
        if (not years or any(isinstance(y, bool) or not isinstance(y, int) for y in years)
                or not all(FIRST_STUDY_YEAR <= y <= LAST_STUDY_YEAR for y in years)):
            raise InputError(f"years: expected study years {FIRST_STUDY_YEAR}-{LAST_STUDY_YEAR}, got {years!r}")
        if list(years) != sorted(set(years)):
            raise InputError(f"years: expected increasing years, got {years!r}")
        object.__setattr__(self, "years", years)
        object.__setattr__(self, "weather_years", tuple(self.weather_years))
        checks = {"peak_2025_mw": v.positive, "peak_growth_per_yr": _above_minus_one,
                  "dc_growth_mw_per_year": v.non_negative, "shortfall_2027_mw": v.finite,
                  "net_additions_mw_per_year": v.finite, "outage_multiplier": v.positive,
                  "cold_scale": v.non_negative, "heat_scale": v.non_negative, "dom_import_limit_mw": v.non_negative,
                  "dom_transfer_upgrades": v.non_negative, "demand_response_mw": v.non_negative,
                  "dr_max_hours_per_year": lambda n, x: v.non_negative(n, x, allow_inf=True),
                  "dr_max_event_h": lambda n, x: v.positive(n, x, allow_inf=True),
                  "entry_completion_scale": v.non_negative,
                  "load_forecast_sd": v.fraction, "cbot_frac": v.fraction, "voltage_reduction_frac": v.fraction,
                  "lda_import_headroom": _above_minus_one}
        self.model.forecast(self.load_forecast)
        optional = ("dr_max_hours_per_year", "dr_max_event_h", "peak_2025_mw", "peak_growth_per_yr",
                    "net_additions_mw_per_year", "load_forecast_sd", "lda_import_headroom")
        for name, check in checks.items():
            if getattr(self, name) is None and name in optional:
                continue  # the year's rule (PJMAssumptions.dr_limits, lfu_sd), the forecast's table, the fleet schedule
            object.__setattr__(self, name, float(check(name, getattr(self, name))))
        for name, check in (("peak_mw_by_year", v.positive), ("dc_mw_by_year", v.non_negative),
                            ("net_additions_mw_by_year", v.finite), ("reserve_margin_by_year", _above_minus_one)):
            object.__setattr__(self, name, _year_table(name, getattr(self, name), check))
        if not isinstance(self.policy, PolicyParams):
            raise InputError(f"policy: expected PolicyParams, got {type(self.policy).__name__}")
        if not isinstance(self.rotation, RotationPolicy):
            raise InputError(f"rotation: expected a RotationPolicy, got {type(self.rotation).__name__}")
        self.pjm(years[0])  # weather years checked once
        for y in years:
            if self.dc_load_mw(y) >= self.forecast_peak_mw(y):
                where = f"dc_mw_by_year.{y}" if y in self.dc_mw_by_year else "dc_growth_mw_per_year"
                raise InputError(f"{where}: expected data-center load below the peak of {y} "
                                 f"({self.forecast_peak_mw(y):,.0f} MW), got {self.dc_load_mw(y):,.0f} MW")
            rm = self.reserve_margin(y)
            if rm <= -0.5:
                where = (f"reserve_margin_by_year.{y}" if y in self.reserve_margin_by_year
                         else "net_additions_mw_by_year" if self.net_additions_mw_by_year
                         else "net_additions_mw_per_year")
                raise InputError(f"{where}: the capacity left in {y} gives a reserve margin of {rm:.1%}; "
                                 f"expected more than -50 %")

    # ---- year by year
    def forecast(self) -> pjm_forecast.LoadForecast:
        """The load forecast's vintage (:mod:`gigawatt.systems.pjm_forecast`)."""
        return self.model.forecast(self.load_forecast)

    def forecast_peak_mw(self, year: int) -> float:
        """Total 50/50 summer peak of ``year`` [MW], data centers included."""
        if year in self.peak_mw_by_year:
            return self.peak_mw_by_year[year]
        lf = self.forecast()
        if self.peak_2025_mw is None and self.peak_growth_per_yr is None:
            return lf.peak_mw(year)
        base = lf.peak_mw(2025) if self.peak_2025_mw is None else self.peak_2025_mw
        g = lf.growth_per_yr(2026, 2036) if self.peak_growth_per_yr is None else self.peak_growth_per_yr
        return base * (1.0 + g) ** (year - 2025)

    def forecast_energy_mwh(self, year: int) -> float:
        """Net energy for load of ``year`` [MWh/yr]: the vintage's, times this peak over the vintage's
        (a peak set by year or by growth keeps the vintage's energy-to-peak ratio)."""
        lf = self.forecast()
        return lf.energy_mwh(year) * self.forecast_peak_mw(year) / lf.peak_mw(year)

    def dc_load_mw(self, year: int) -> float:
        """Data-center load of ``year`` at the summer peak [MW] (hourly: :func:`gigawatt.systems.pjm.dc_profile`)."""
        if year in self.dc_mw_by_year:
            return self.dc_mw_by_year[year]
        return max(0.0, (year - self.forecast().dc_base_year) * self.dc_growth_mw_per_year)

    def shortfall_2027_icap_mw(self) -> float:
        """The 2027/28 auction's UCAP shortfall as installed capacity [MW]: ``shortfall_2027_mw`` over the
        UCAP per MW of ICAP of the procured mix at its 2027/28 class ratings
        (:func:`gigawatt.systems.pjm_fleet.generation_ucap_per_icap`), the basis of
        :func:`gigawatt.systems.pjm.capacity_accounts`: the 2027 fleet's UCAP is the IRM fleet's less
        exactly ``shortfall_2027_mw``."""
        mix = {c.name: c.icap_mw for c in self.model.classes}
        return self.shortfall_2027_mw / pjm_fleet.generation_ucap_per_icap(mix, 2027, self.model)

    def _procured_generation_mw(self, year: int) -> float:
        """Generation ICAP the auctions procured for 2026 (at the 2026/27 IRM) and 2027 (at the 2027/28
        IRM less the auction's shortfall) [MW]."""
        gen = (1.0 + self.model.irm_of(year)) * self.forecast_peak_mw(year) - self.demand_response_mw
        return gen - self.shortfall_2027_icap_mw() if year >= 2027 else gen

    def fleet_changes_mw(self, year: int, fleet_before: dict) -> dict:
        """ICAP by class that changes in ``year`` (after 2027) [MW]: the fleet schedule's deactivations
        and new entry (:func:`gigawatt.systems.pjm_fleet.schedule_changes`), or ``net_additions_mw_per_year``
        instead; a year of ``net_additions_mw_by_year`` has that net change, the difference to the
        schedule's spread over the classes in proportion to ``fleet_before``."""
        if self.net_additions_mw_per_year is None:
            change = pjm_fleet.schedule_changes(year, self.model.schedule, self.entry_completion_scale,
                                                self.model.class_names)
        else:
            change = dict.fromkeys(fleet_before, 0.0)
        net = self.net_additions_mw_by_year.get(year, self.net_additions_mw_per_year)
        if net is not None:
            extra = net - sum(change.values())
            total = sum(fleet_before.values())
            change = {c: mw + extra * fleet_before[c] / total for c, mw in change.items()}
        return change

    def fleet_icap_mw(self, year: int) -> dict:
        """Generation ICAP by class of ``year`` [MW].

        2026 and 2027: what the auctions procured (:meth:`capacity_mw`), in the mix of RRS Table 5.
        Later years: the year before's fleet plus :meth:`fleet_changes_mw` (no class below zero). A year
        in ``reserve_margin_by_year`` has its fleet scaled to that margin, and later years build on it.
        """
        fleet: dict = {}
        for y in range(min(year, FIRST_STUDY_YEAR), year + 1):
            if y <= self.model.procured_through or not fleet:
                gen = self._procured_generation_mw(y)
                fleet = {c.name: c.icap_mw * gen / self.model.generation_icap_mw for c in self.model.classes}
            else:
                change = self.fleet_changes_mw(y, fleet)
                fleet = {c: max(0.0, mw + change[c]) for c, mw in fleet.items()}
            if y in self.reserve_margin_by_year:
                gen = (1.0 + self.reserve_margin_by_year[y]) * self.forecast_peak_mw(y) - self.demand_response_mw
                k = max(gen, 0.0) / sum(fleet.values())
                fleet = {c: mw * k for c, mw in fleet.items()}
        return fleet

    def capacity_mw(self, year: int) -> float:
        """Installed capacity (ICAP, generation and demand response) of ``year`` [MW].

        2026 at the 2026/27 installed reserve margin (19.1 %); 2027 at the 2027/28 margin (20 %)
        less the auction's shortfall (:meth:`shortfall_2027_icap_mw`): an input, so the 2027 gap
        is not a check of the auction; later years the fleet by class (:meth:`fleet_icap_mw`).
        """
        return sum(self.fleet_icap_mw(year).values()) + self.demand_response_mw

    def reserve_margin(self, year: int) -> float:
        """Capacity over the total peak, minus one [fraction]."""
        return self.capacity_mw(year) / self.forecast_peak_mw(year) - 1.0

    def pjm(self, year: int, **kw) -> pjm.PJMAssumptions:
        """The grid's assumptions for ``year``: the data centers count in the peak and the reserve
        margin, and join as sites (not as the zones' load)."""
        peak = self.forecast_peak_mw(year)
        return pjm.PJMAssumptions(**{
            "year": year, "peak_mw": peak, "dc_load_mw": self.dc_load_mw(year), "dc_as_load": False,
            "load_forecast": self.load_forecast, "class_icap_mw": tuple(self.fleet_icap_mw(year).items()),
            "efor_scale": self.outage_multiplier, "cold_scale": self.cold_scale, "heat_scale": self.heat_scale,
            "dom_import_limit_mw": self.dom_import_limit_mw_in(year),
            "dom_export_limit_mw": self.dom_import_limit_mw_in(year),
            "weather_years": self.weather_years,
            "demand_response_mw": self.demand_response_mw, "dr_max_hours_per_year": self.dr_max_hours_per_year,
            "dr_max_event_h": self.dr_max_event_h, "load_forecast_sd": self.load_forecast_sd,
            "cbot_frac": self.cbot_frac, "voltage_reduction_frac": self.voltage_reduction_frac,
            "dc_dom_share": self.model.dc_dom_share, "zone_set": self.zone_set,
            "import_limits_mw": self.lda_import_limits_mw(year), "model": self.model, **kw})

    def lda_import_limits_mw(self, year: int) -> tuple | None:
        """On the ``"lda"`` set with ``lda_import_headroom`` given: ``(zone, MW)`` of each LDA without a published
        CETL in ``year`` (Dominion aside), its import objective times ``1 + lda_import_headroom``; else None
        (the description's limits, :func:`gigawatt.systems.pjm_zones.derived_import_limits_mw`)."""
        if self.zone_set != "lda" or self.lda_import_headroom is None:
            return None
        m = self.model
        lim = pjm_zones.derived_import_limits_mw(m, year, self.lda_import_headroom)
        return tuple((z, mw) for z, mw in lim.items()
                     if z != "DOM" and pjm_zones.published_mw(m.published_cetl_mw, z, year) is None)

    def dom_import_limit_mw_in(self, year: int) -> float:
        """Dominion's import (and export) limit in ``year`` [MW]: ``dom_import_limit_mw`` plus the RTEP
        upgrades in service by then, times ``dom_transfer_upgrades``
        (:func:`gigawatt.systems.pjm_zones.dom_import_limit_mw`)."""
        return pjm_zones.dom_import_limit_mw(year, self.dom_import_limit_mw, self.dom_transfer_upgrades, self.model)

    def grid(self, year: int):
        """The grid of ``year`` (:func:`gigawatt.systems.pjm.pjm_default`): its load is the residents'."""
        return pjm.pjm_default(self.pjm(year))

    def system(self, year: int):
        """The whole system of ``year`` as one plain model: data centers added to the load, no emergency order."""
        return pjm.pjm_default(self.pjm(year, dc_as_load=True))

    def to_dict(self) -> dict:
        """JSON-ready: every field, year tables keyed by year strings, ``null`` for no limit (inf)."""
        def plain(x):
            if isinstance(x, dict):
                return {str(k): plain(v) for k, v in x.items()}
            if isinstance(x, (PolicyParams, RotationPolicy)):
                return {g.name: plain(getattr(x, g.name)) for g in fields(x)}
            if isinstance(x, tuple):
                return [plain(v) for v in x]
            return None if isinstance(x, float) and math.isinf(x) else x

        return {f.name: plain(getattr(self, f.name)) for f in fields(self) if f.name != "model"}


@dataclass(frozen=True)
class OutlookScenario:
    """An outlook scenario: assumptions and run options (``None``: not set, the defaults apply).

    Read from TOML by :func:`gigawatt.io.outlook_scenario.read_outlook_scenario`.

    Parameters
    ----------
    name : str
    assumptions : OutlookAssumptions
        Study years included.
    path : str, optional
        The file it was read from.
    description : str
    samples, seed : int, optional
    policies : tuple of str, optional
        Policy names to compare.
    """

    name: str
    assumptions: OutlookAssumptions = field(default_factory=OutlookAssumptions)
    path: str | None = None
    description: str = ""
    samples: int | None = None
    seed: int | None = None
    policies: tuple | None = None


# ------------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class YearResult:
    """Reliability of one study year under one policy (all values per year).

    ``hours_per_affected_customer`` is a histogram: ``upper_h`` (bin upper bounds of a customer's
    hours without power in a year [h], ``None`` for no bound) and ``customers_per_year`` (mean
    number of customers per year whose hours without power fall in each bin).
    """

    year: int
    policy: str
    peak_mw: float
    dc_load_mw: float
    reserve_margin: float
    lole_d: Estimate
    lolh_h: Estimate
    eue_mwh: Estimate
    people_affected: Estimate
    customer_hours: Estimate
    hours_per_affected_customer: dict = field(default_factory=dict)
    dc_curtailed_hours: Estimate = Estimate(0.0, 0.0)
    dc_curtailed_mwh: Estimate = Estimate(0.0, 0.0)
    dc_throughput_lost_fraction: Estimate = Estimate(0.0, 0.0)
    dc_gpu_hours_lost: Estimate = Estimate(0.0, 0.0)
    dr_hours: Estimate = Estimate(0.0, 0.0)
    shortfall_month_hour: list = field(default_factory=list)
    zones: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        out = {"year": self.year, "policy": self.policy, "peak_mw": self.peak_mw, "dc_load_mw": self.dc_load_mw,
               "reserve_margin": self.reserve_margin}
        for k in ("lole_d", "lolh_h", "eue_mwh", "people_affected", "customer_hours", "dc_curtailed_hours",
                  "dc_curtailed_mwh", "dc_throughput_lost_fraction", "dc_gpu_hours_lost", "dr_hours"):
            out[k] = getattr(self, k).to_dict()
        out["hours_per_affected_customer"] = self.hours_per_affected_customer
        out["shortfall_month_hour"] = self.shortfall_month_hour
        out["zones"] = self.zones
        return out


# ------------------------------------------------------------------------------------ assessing
def dc_site(outlook: OutlookAssumptions, kind: str, dc_mw: float, region: str = "PJM", name: str = "data centers",
             grid=None):
    """The aggregate data-center site of a policy kind in ``region`` (GPUs scaled from the Colossus-2 preset);
    on-site turbines take the outage process of the ``grid``'s units of their class in ``region``."""
    from gigawatt.datacenter.contracts import CappedCurtailment, ConnectAndManage, Firm
    from gigawatt.datacenter.order import DataCenterSite
    from gigawatt.datacenter.power import Fleet, SitePower, colossus2
    from gigawatt.datacenter.resources import OnsiteGeneration, SiteBattery

    p = outlook.policy
    ref = colossus2()
    n = max(2, int(round(ref.n_gpus * dc_mw / ref.peak_facility_mw)))
    power = SitePower((Fleet("GB200", n // 2), Fleet("GB300", n - n // 2)), pue=ref.pue)
    kw = {}
    if kind == "connect-and-manage":
        kw["contract"] = ConnectAndManage()
    elif kind == "capped":
        kw["contract"] = CappedCurtailment(max_hours_per_year=p.capped_hours_per_year,
                                           max_event_h=p.capped_max_event_h, max_depth_frac=p.capped_max_depth_frac)
    else:
        kw["contract"] = Firm()
    if kind == "firm+battery" and p.battery_power_frac > 0:
        # whole Megapack 2 XL units (1.9 MW each) of the chosen power and duration (sources.md F5)
        units = max(1, int(round(p.battery_power_frac * dc_mw / MEGAPACK2XL_POWER_MW)))
        kw["battery"] = SiteBattery(units * MEGAPACK2XL_POWER_MW, units * MEGAPACK2XL_POWER_MW * p.battery_duration_h,
                                    round_trip_efficiency=MEGAPACK2XL_RTE)
    if kind == "firm+onsite-gen" and p.onsite_gen_frac > 0:
        # gas turbines directed before load shed, with the grid's gas CT class rate (8 %, NERC GADS;
        # sources.md P4) and repair time, and -- given the grid -- the same outage process as the
        # grid's units of that class in the zone: its heat outages and its correlated cold
        cls = "Gas CT dual fuel" if p.onsite_gen_dual_fuel else "Gas CT"
        ct = next((c for c in getattr(outlook, "model", pjm_constants.MODEL).classes if c.name == cls), None)
        if ct is None:
            raise InputError(f"policy {kind}: the PJM description has no class {cls!r}, whose outage rate and repair "
                             "time the on-site turbines take")
        units = max(1, int(round(p.onsite_gen_frac * dc_mw / p.onsite_gen_unit_mw)))
        series = {}
        if grid is not None:
            gens = grid.generators
            mine = [i for i, (c, r) in enumerate(zip(gens.categories or (), gens.regions)) if c == cls and r == region]
            if mine:
                series = {"failure_prob": gens.failure_prob[mine[0]], "repair_prob": gens.repair_prob[mine[0]]}
        kw["generation"] = OnsiteGeneration(n_units=units, unit_mw=p.onsite_gen_unit_mw,
                                            forced_outage_rate=ct.efor * outlook.outage_multiplier,
                                            mttr_h=ct.mttr_h, max_hours_per_year=p.onsite_gen_max_hours_per_year,
                                            **series)
    return DataCenterSite(name, region, power, **kw)


def policy_system(outlook: OutlookAssumptions, year: int, policy: str, grid=None, dc_mw: float | None = None,
                  dc_zone_mw: dict | None = None, demand_response: bool = True, assumptions=None):
    """The grid of ``year`` with the data centers as one site per zone under ``policy`` and PJM's emergency order.

    The data-center load is split between the zones (:data:`gigawatt.systems.pjm.DC_DOM_SHARE` in
    Dominion) and follows :func:`gigawatt.systems.pjm.dc_profile` (utilisation and cooling).

    Parameters
    ----------
    grid : SystemModel, optional
        The year's grid (:meth:`OutlookAssumptions.grid`), to share one among policies.
    dc_mw : float, optional
        Data-center load [MW] instead of the year's (what-if on the same grid).
    dc_zone_mw : dict, optional
        Data-center load by zone [MW] instead of the year's split (``dc_mw`` is then not read).
    demand_response : bool
        False: the emergency order calls no demand response (the fleet stays the same).
    assumptions : gigawatt.systems.pjm.PJMAssumptions, optional
        The grid's assumptions instead of the year's (:meth:`OutlookAssumptions.pjm`), e.g. with one
        modelling element switched off (:mod:`gigawatt.decision.decompose`); the grid is then built from
        them unless ``grid`` is given.

    Returns
    -------
    gigawatt.datacenter.system.DataCenterSystem
        Yearly limits count per weather year.
    """
    if hasattr(outlook, "policy_system"):  # a grid from a description (gigawatt.grids.GridOutlook)
        return outlook.policy_system(year, policy, grid=grid, dc_mw=dc_mw, dc_zone_mw=dc_zone_mw,
                                     demand_response=demand_response)
    kind = outlook.policy.kind(outlook.policy.resolve([policy], "policy")[0])
    a = outlook.pjm(year) if assumptions is None else assumptions
    if grid is None:
        grid = outlook.grid(year) if assumptions is None else pjm.pjm_default(a)
    dc = outlook.dc_load_mw(year) if dc_mw is None else float(dc_mw)
    profile = pjm.dc_profile(pjm.weather(a).heat, a.model.dc_base_fraction)
    names = grid.regions.names
    if dc_zone_mw is not None:
        zone_mw = checked_zone_mw(dc_zone_mw, names)
    elif a.zones and set(pjm.dc_zone_shares(a)) <= set(names):  # two zones or the LDA set
        zone_mw = pjm.dc_zone_mw(a, dc)
    else:
        zone_mw = {names[0]: dc}
    order = pjm.emergency_order(a if demand_response else dataclasses.replace(a, demand_response_mw=0.0))
    return sites_system(outlook, kind, grid, zone_mw, profile, order, float(pjm.HOURS_PER_WEATHER_YEAR))


def checked_zone_mw(dc_zone_mw: dict, names) -> dict:
    """Data-center load by zone [MW], each a zone of the grid (``names``) and not negative."""
    unknown = set(dc_zone_mw) - set(names)
    if unknown:
        raise InputError(f"dc_zone_mw: unknown zones {sorted(unknown)}; expected some of {list(names)}")
    return {z: float(v.non_negative(f"dc_zone_mw.{z}", x)) for z, x in dc_zone_mw.items()}


def sites_system(outlook, kind: str, grid, zone_mw: dict, profile, order, limit_year_h: float):
    """``grid`` with one data-center site of policy ``kind`` per zone of ``zone_mw`` [MW] (none where 0),
    each drawing ``profile`` [fraction of its MW] per period, and the emergency ``order``; yearly limits
    count per ``limit_year_h`` [h] (a weather year)."""
    from gigawatt.datacenter.system import DataCenterSystem

    sites, loads = [], []
    for zone, mw in zone_mw.items():
        if mw <= 0:
            continue
        sites.append(dc_site(outlook, kind, max(mw, 1.0), region=zone, name=f"data centers {zone}", grid=grid))
        loads.append(mw * profile)
    return DataCenterSystem(grid, sites=tuple(sites), order=order, rotation=outlook.rotation,
                            site_load_mw=np.vstack(loads) if loads else np.zeros((0, profile.shape[0])),
                            limit_year_h=limit_year_h)


def assess_year(outlook: OutlookAssumptions, year: int, samples: int, seed: int, policy: str = "firm",
                grids: dict | None = None) -> YearResult:
    """Assess one study year under one data-center policy (a name or kind, see :data:`POLICY_KINDS`).

    Parameters
    ----------
    grids : dict, optional
        year -> grid, shared by the policies of one year (building the grid is the costly part).
    """
    from gigawatt.assess import Assessment
    from gigawatt.methods.sequential import SequentialMonteCarlo
    from gigawatt.results import Shortfall
    from gigawatt.results.datacenter import DataCenters

    name = outlook.policy.resolve([policy], "policy")[0]
    grids = {} if grids is None else grids
    if year not in grids:
        grids[year] = outlook.grid(year)
    dcs = policy_system(outlook, year, name, grid=grids[year])
    # by period the year's result reads the LOLP only (when in the year shortfalls happen)
    short, dcr = Assessment(dcs, SequentialMonteCarlo(seed=seed), periods="lolp").extend(samples).results(
        Shortfall(), DataCenters())
    return year_result(outlook, year, name, dcs, short, dcr)


def year_result(outlook: OutlookAssumptions, year: int, name: str, dcs, short, dcr) -> YearResult:
    """The :class:`YearResult` of policy ``name`` in ``year`` from the assessed system ``dcs``: its
    :class:`~gigawatt.results.specs.ShortfallResult` ``short`` and data-center result ``dcr``."""
    years = dcs.timeaxis.years
    sites = list(dcr.sites.values())
    res = dcr.residents
    hist = dcr.outage_hours
    return YearResult(
        year=year, policy=name, peak_mw=outlook.forecast_peak_mw(year), dc_load_mw=outlook.dc_load_mw(year),
        reserve_margin=outlook.reserve_margin(year),
        lole_d=short.lole_d.scaled(1 / years), lolh_h=short.lolh_h.scaled(1 / years),
        eue_mwh=short.eue_mwh.scaled(1 / years),
        people_affected=res["people_interrupted"].scaled(1 / years),
        customer_hours=res["customer_hours"].scaled(1 / years),
        hours_per_affected_customer={
            "upper_h": [None if math.isinf(x) else x for x in hist["upper_h"]],
            "customers_per_year": [round(e.mean / years, 3) for e in hist["customers"]]},
        dc_curtailed_hours=_most([s["curtailed_h"] for s in sites]).scaled(1 / years),
        dc_curtailed_mwh=_total([s["curtailed_mwh"] for s in sites]).scaled(1 / years),
        dc_throughput_lost_fraction=_weighted([s["throughput_lost_frac"] for s in sites],
                                              dcs.site_load_mw.sum(axis=1)) if sites else Estimate(0.0, 0.0),
        dc_gpu_hours_lost=_total([s["gpu_hours_lost"] for s in sites]).scaled(1 / years),
        dr_hours=_dr_hours(dcr.demand_response, years),
        shortfall_month_hour=_month_hour(dcs, short, timezone_of(outlook)),
        zones={z: {"lole_d": r.lole_d.scaled(1 / years).to_dict(), "eue_mwh": r.eue_mwh.scaled(1 / years).to_dict(),
                   "dc_curtailed_hours": dcr.sites[f"data centers {z}"]["curtailed_h"].scaled(1 / years).to_dict()
                   if f"data centers {z}" in dcr.sites else None}
               for z, r in short.regions.items()},
    )


def _total(es) -> Estimate:
    """Sum of site estimates; the standard error as if independent (a lower bound for correlated sites)."""
    return Estimate(float(sum(e.mean for e in es)), float(math.sqrt(sum(e.stderr ** 2 for e in es))))


def _most(es) -> Estimate:
    """The estimate with the largest mean (e.g. the more curtailed zone's hours); none: exactly 0."""
    return max(es, key=lambda e: e.mean, default=Estimate(0.0, 0.0))


def _weighted(es, weights) -> Estimate:
    w = np.asarray(weights, float) / float(np.sum(weights))
    return Estimate(float(sum(wi * e.mean for wi, e in zip(w, es))), float(math.sqrt(sum((wi * e.stderr) ** 2
                                                                                       for wi, e in zip(w, es)))))


def _dr_hours(dr: dict, years: float) -> Estimate:
    """Demand-response hours per year (the most-called zone's program; none: exactly 0)."""
    if not dr:
        return Estimate(0.0, 0.0)
    return max((prog["hours_h"] for prog in dr.values()), key=lambda e: e.mean).scaled(1 / years)


def _month_hour(system, short, tz: str = "America/New_York") -> list:
    """Mean LOLP by local month and hour (``tz``; the PJM model's: US Eastern): when shortfalls happen.

    Every weather year of a sample is a copy of the study year's calendar (hour ``h`` of each is the study
    year's hour ``h``), so the months come from that year's first 8,760 hours, repeated, not from the axis'
    running timestamps (which drift by a day at each leap year across the weather years)."""
    ts = system.timeaxis.timestamps
    n = min(len(ts), pjm.HOURS_PER_WEATHER_YEAR)
    first = ts[:n].tz_convert(tz)
    reps = -(-len(ts) // n)
    month = np.tile(first.month.values - 1, reps)[:len(ts)]
    hour = np.tile(first.hour.values, reps)[:len(ts)]
    grid = np.zeros((12, 24))
    cnt = np.zeros((12, 24))
    np.add.at(grid, (month, hour), short.period.lolp.values)
    np.add.at(cnt, (month, hour), 1)
    return (grid / np.maximum(cnt, 1)).round(8).tolist()


#: how the page and the report name a time zone's clock
CLOCK_NAMES = {"America/New_York": "US Eastern", "America/Chicago": "US Central", "America/Denver": "US Mountain",
               "America/Los_Angeles": "US Pacific"}


def clock_name(tz: str) -> str:
    """``"US Eastern"`` for ``America/New_York`` (:data:`CLOCK_NAMES`), else the zone's name."""
    return CLOCK_NAMES.get(tz, tz)


def timezone_of(outlook) -> str:
    """The clock a grid's results are read on: its description's time zone (the PJM model's: US Eastern)."""
    d = getattr(outlook, "description", None) or getattr(outlook, "model", None)
    return str(getattr(d, "timezone", None) or "America/New_York")


__all__ = ["CALIBRATED_OUTAGE_MULTIPLIER", "POLICIES", "POLICY_KINDS", "OutlookAssumptions", "OutlookScenario",
           "PolicyParams", "YearResult", "assess_year", "dc_site", "year_result", "default_dc_mw", "policy_system",
           "clock_name", "timezone_of"]
