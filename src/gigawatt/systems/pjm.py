"""The embedded PJM model: real weather years, class outage rates, correlated cold, two zones.

What a PJM planner expects of a reserve study, from public figures (sources.md sections cited
at each constant; ``[est]`` marks an estimate, exposed as a parameter of :class:`PJMAssumptions`):

* **Load** from twelve real weather years, 2014-2025 (:mod:`gigawatt.systems.pjm_load`), each on
  its own calendar (its weekdays, holidays and cold snaps), scaled to the study year's 50/50 peak
  and energy forecast (:func:`gigawatt.systems.pjm_load.scale_to_forecast`). A Monte Carlo sample
  is one pass over all weather years back to back; metrics per horizon are divided by the number
  of weather years (:func:`per_year`).
* **Fleet** by class at PJM's installed capacity of the 2026/27 reserve requirement study (RRS
  Table 5), each class with its published forced-outage rate (NERC GADS class averages), its
  repair time, planned outages scheduled in spring and autumn, and (gas turbines and combined
  cycles) a derate in the hottest hours.
* **Correlated cold.** In cold hours every gas, coal and oil unit's outage probability rises
  together with the weather year's cold severity (:func:`cold_severity`, from the load, the
  only weather signal at hand), sized so that the peak hours of 7 Jan 2014 and 24 Dec 2022 show
  forced outages of the order PJM reported (40.2 GW; ~46 GW, ~70 % gas). Part of the gas fleet is
  modelled as 1 GW blocks that fail together (fuel supply), so cold events differ between samples.
* **Accounting.** Installed capacity (ICAP) over the forecast peak is PJM's installed reserve
  margin; accredited capacity (UCAP) is ICAP times the class ELCC ratings; demand response
  counts inside the requirement (:func:`capacity_accounts`).
* **Zones.** Dominion (``DOM``) and the rest of PJM (``REST``), joined by an import limit
  (``[est]``: no confirmed CETL value is public, sources.md P8).

:func:`pjm_default` is the grid; :func:`emergency_order` is what PJM's operators do when it falls
short (demand response, voltage reduction), to be assessed together as a
:class:`~gigawatt.datacenter.system.DataCenterSystem` (as :mod:`gigawatt.outlook` does).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numba import njit

from gigawatt.errors import InputError
from gigawatt.system import Generators, Interfaces, Regions, Storages, SystemModel, TimeAxis
from gigawatt.systems import _pjm_fitted as F
from gigawatt.systems import pjm_load as W

# --- load forecast -----------------------------------------------------------------------------
#: 2025 summer peak forecast [MW] (PJM 2025 Load Forecast Report; [S54])
PEAK_2025_MW = 154_144.0
#: 2036 summer peak forecast [MW] and growth (PJM 2026 Load Forecast Report, +3.6 %/yr; [S58])
PEAK_2036_MW = 222_106.0
PEAK_GROWTH_PER_YR = 0.036
#: 2035 net energy forecast [MWh], +4.8 %/yr over 10 years (PJM 2025 Load Forecast Report; [S55])
ENERGY_2035_MWH = 1_328_045e3
ENERGY_GROWTH_PER_YR = 0.048
#: data-center share of 2024-2030 peak growth: 30 of 32 GW (PJM Board letter Aug 2025; [S56])
DC_GROWTH_2024_2030_MW = 30_000.0
#: share of PJM's data-center growth in the Dominion zone [est]: ~15 GW of DOM data-center load by
#: 2030 (Aurora, [S62], secondary) of the 30 GW added 2024-2030
DC_DOM_SHARE = 0.5
#: installed reserve margin, 2026/27 and 2027/28 [fraction of the forecast peak] ([S1],[S2],[S5])
IRM_2026 = 0.191
IRM_2027 = 0.200
#: 2027/28 forecast pool requirement (sources.md P1, [derived] from [S2]): IRM x the pool-wide
#: average accredited UCAP factor, so that factor is FPR / (1 + IRM) = 0.772
FPR_2027 = 0.9260
#: people served by PJM (sources.md F1)
PEOPLE_SERVED = 67e6

# --- demand response -------------------------------------------------------------------------
#: demand response in the 2026/27 study, ICAP [MW] (RRS Table 5; [S16],[S17], secondary)
DEMAND_RESPONSE_MW = 8_184.0
#: longest demand-response event [h] [est]: Extended Summer and Annual DR could be interrupted
#: for up to 10 h at a time (FERC 2011; [S64])
DR_MAX_EVENT_H = 10.0
#: demand-response hours per year through 2026/27 [h] [est]: the Limited product's 10
#: interruptions x 6 h ([S64]); from 2027/28 PJM models DR in all hours ([S42])
#: and this limit is lifted (:meth:`PJMAssumptions.dr_limits`)
DR_MAX_HOURS_PER_YEAR = 60.0
#: first study year in which PJM counts demand response in all hours ([S42])
DR_ALL_HOURS_FROM = 2027
#: hours in a weather year: the yearly limits of the emergency order start again at each one
HOURS_PER_WEATHER_YEAR = W.HOURS
#: the clock of PJM's loss-of-load days: US Eastern standard time, UTC-5 [h]
DAY_UTC_OFFSET_H = -5.0

# --- zones ---------------------------------------------------------------------------------------
ZONES = ("DOM", "REST")
#: import limit into Dominion [MW] [est]: PJM's capacity emergency transfer limits are not public
#: in a retrievable form (sources.md P8); DOM separated in price in 2025/26 and would have in
#: 2027/28 (import-constrained). 8 GW is about a third of DOM's peak; docs/outlook.md shows the
#: sensitivity to 6 and 10 GW.
DOM_IMPORT_LIMIT_MW = 8_000.0
#: export limit out of Dominion [MW] [est]
DOM_EXPORT_LIMIT_MW = 8_000.0


@dataclass(frozen=True)
class PlantClass:
    """One capacity class of the fleet.

    Parameters
    ----------
    name : str
    icap_mw : float
        Installed capacity in the 2026/27 reserve requirement study [MW] (RRS Table 5).
    elcc_2026, elcc_2027 : float
        PJM's ELCC class ratings for 2026/27 and 2027/28 [fraction] (sources.md P2).
    efor : float
        Forced-outage rate: the fraction of hours a unit is out [fraction].
    mttr_h : float
        Mean time to repair [h].
    unit_mw : float
        Typical unit size [MW] [est].
    planned_frac : float
        Planned and maintenance outage factor over the year [fraction] [est], taken where the
        expected load is lowest (:func:`planned_profile`), never in the peak seasons.
    cold_extra : float
        Extra unavailability at the most severe cold (severity 1) [fraction] [est, fitted to the
        Jan 2014 and Dec 2022 outage figures, see :func:`cold_severity`].
    hot_derate : float
        Capacity lost in the hottest summer hours (heat index 1) [fraction of ICAP] [est].
    dom_share : float
        Share of the class's capacity in the Dominion zone [fraction] [est].
    kind : str
        ``thermal`` (two-state units), ``wind``, ``solar``, ``hydro`` (hourly profile), ``storage``.
    """

    name: str
    icap_mw: float
    elcc_2026: float
    elcc_2027: float
    efor: float
    mttr_h: float
    unit_mw: float
    planned_frac: float
    cold_extra: float
    hot_derate: float
    dom_share: float
    kind: str = "thermal"


#: Forced-outage rates: NERC GADS class averages ([S36]: coal 12.0 % in 2023, gas ~8 %,
#: hydro 6.7 %, nuclear < 2 %); PJM's own class EFORd table is not public in retrievable form.
#: Repair times: IEEE RTS / RTS-GMLC (nuclear 150 h, coal 100 h, CC 33 h, CT 31 h, steam 60 h).
#: ICAP: 2025 ELCC/RRS Table 5 for 2026/27 ([S16],[S17], secondary). ELCC ratings:
#: sources.md P2. Cold extras: in the split of Elliott's outages by fuel (~35 % of gas, ~21 % of coal
#: and ~10 % of the rest over this ICAP, [S22]) less the base rates, scaled by one
#: factor (1.2) fitted by least squares to the peak-hour outages of 7 Jan 2014 (40.2 GW) and
#: 24 Dec 2022 (~46 GW) replayed on this fleet (:func:`expected_outages_mw`; model 42.7 and
#: 41.0 GW; tests/outlook/test_pjm_model.py). DOM shares [est]: North
#: Anna and Surry (3.6 GW) of the nuclear fleet, Bath County (3 GW) of the pumped storage,
#: Virginia's solar build-out; gas so that DOM's own ICAP plus its import limit covers its
#: requirement in 2026/27 (no DOM price separation in that auction, [S11]).
CLASSES = (
    PlantClass("Nuclear", 32_144, 0.95, 0.95, 0.018, 150.0, 1100.0, 0.06, 0.036, 0.0, 0.11),
    PlantClass("Coal", 35_779, 0.83, 0.83, 0.120, 100.0, 600.0, 0.08, 0.12, 0.0, 0.06),
    PlantClass("Gas CC", 57_664, 0.74, 0.74, 0.080, 33.0, 500.0, 0.05, 0.324, 0.03, 0.20),
    PlantClass("Gas CT", 11_030, 0.60, 0.61, 0.080, 31.0, 150.0, 0.03, 0.36, 0.05, 0.18),
    PlantClass("Gas CT dual fuel", 13_158, 0.78, 0.77, 0.080, 31.0, 150.0, 0.03, 0.18, 0.05, 0.18),
    PlantClass("Steam oil/gas", 10_004, 0.73, 0.72, 0.080, 60.0, 200.0, 0.06, 0.24, 0.0, 0.12),
    PlantClass("Diesel", 329, 0.91, 0.92, 0.080, 31.0, 10.0, 0.02, 0.12, 0.0, 0.15),
    PlantClass("Hydro run-of-river", 519, 0.38, 0.39, 0.067, 20.0, 50.0, 0.0, 0.0, 0.0, 0.10, kind="hydro"),
    PlantClass("Landfill gas", 118, 0.50, 0.48, 0.080, 31.0, 5.0, 0.0, 0.0, 0.0, 0.10),
    PlantClass("Onshore wind", 3_549, 0.41, 0.41, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.02, kind="wind"),
    PlantClass("Solar", 9_902, 0.105, 0.078, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.35, kind="solar"),
    PlantClass("Storage", 5_834, 0.50, 0.58, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.52, kind="storage"),
)
#: hours of energy of the storage class (mostly pumped hydro: Bath County ~11 h, Seneca, Muddy Run) [est]
STORAGE_H = 8.0
#: ELCC rating of demand response, 2026/27 and 2027/28 ([S16], secondary)
DR_ELCC = {2026: 0.69, 2027: 0.92}
#: extra forced-outage rate of thermal units in the hottest hours (heat index 1) [fraction]: PJM's
#: resources averaged a 9.65 % outage rate in the June 22-26 2025 heat wave ([S37]),
#: ~2.6 points above the fleet's class-average rate here (~7 %)
HEAT_EXTRA_OUTAGE = 0.026
#: size of the gas fleet's common-mode blocks [MW] [est]: a fuel-supply failure (a pipeline
#: segment, a processing plant freezing) takes out several units at once
COLD_BLOCK_MW = 1_000.0
#: share of gas capacity modelled in common-mode blocks [fraction] [est]: Elliott's gas outages
#: were mostly fuel-supply and cold-related ([S22],[S24])
COLD_BLOCK_SHARE = 0.35


#: factor on the cold-weather extra outages [-], a finding rather than a published figure. With the
#: published class rates (no factor on them) and the cold outages of Jan 2014 and Dec 2022 at every
#: hour of equal cold severity (1.0), the 2026 system at the 2026/27 IRM has LOLE 1.25 ± 0.01 d/yr: the
#: load, the only weather signal at hand, finds five Elliott-like sudden colds in twelve winters
#: (2014, 2016, 2019, 2022, 2025) where PJM saw such outages in two. PJM sets the IRM at 0.1 d/yr;
#: its model meets that with cold outages about half as large: at 0.52 the 2026 system has LOLE
#: 0.103 ± 0.006 d/yr with 64-73 % of the risk in Dec-Feb (PJM: 0.1 and 56-76 %, sources.md P1), and an
#: Elliott-like hour loses ~17 % of capacity, between the post-winterization events (Jan 2024 and
#: Jan 2025: ~9-10 %) and 2014/2022 (22-25 %). Fitted by tools/calibrate_outlook.py (300 samples x
#: 12 weather years, seed 2026, common random numbers); docs/outlook.md has the table.
COLD_SCALE_FITTED = 0.52


def _class_icap_total() -> float:
    return float(sum(c.icap_mw for c in CLASSES))


#: generation ICAP of the 2026/27 study [MW] (sum of :data:`CLASSES`)
GENERATION_ICAP_2026_MW = _class_icap_total()


@dataclass(frozen=True)
class PJMAssumptions:
    """Parameters of the PJM model for one study year (defaults: the public figures above).

    Parameters
    ----------
    year : int
        Study year (2026 ...).
    peak_mw : float, optional
        Total 50/50 summer peak, data centers included [MW]; default the forecast
        (:func:`forecast_peak_mw`).
    energy_mwh : float, optional
        Yearly energy of the load without data centers [MWh]; default the energy forecast
        (scaled with ``peak_mw`` when that is given) less the data centers' energy.
    dc_load_mw : float
        Data-center load at the summer peak [MW], part of the peak; its hourly profile is
        :func:`dc_profile` (utilisation and cooling).
    dc_as_load : bool
        Add the data centers to the zones' load (True), or leave them out because they join as
        sites (the outlook); they count in the reserve margin either way.
    reserve_margin : float, optional
        Installed reserve margin: ICAP (generation and demand response) over the total forecast
        peak, minus one; default the IRM of the year (19.1 % in 2026, 20 % from 2027).
    efor_scale : float
        Factor on every class's forced-outage rate; 1 = the published rates. A calibration, if
        one is needed, must stay within 0.75-1.33 (reported in docs/outlook.md).
    cold_scale : float
        Factor on the cold-weather extra outages: 1 replays the outages of Jan 2014 and Dec 2022
        at every hour of equal cold severity; the default :data:`COLD_SCALE_FITTED` is what
        PJM's own criterion implies (see there).
    weather_years : tuple of int
        Weather years simulated back to back (default all of
        :data:`gigawatt.systems.pjm_load.WEATHER_YEARS`).
    demand_response_mw : float
        Demand response ICAP [MW]; dispatched in emergencies (:func:`emergency_order`), counted
        inside the reserve margin; 0 switches it off.
    dr_max_hours_per_year, dr_max_event_h : float, optional
        Demand-response limits [h]; default by year (:meth:`dr_limits`).
    dom_import_limit_mw, dom_export_limit_mw : float
        Transfer limits into and out of Dominion [MW] [est].
    dc_dom_share : float
        Share of the data-center load in Dominion [fraction] [est].
    zones : bool
        Two zones (DOM, REST); False: one copper-plate region ``PJM``.
    """

    year: int = 2026
    peak_mw: float | None = None
    energy_mwh: float | None = None
    dc_load_mw: float = 0.0
    dc_as_load: bool = True
    reserve_margin: float | None = None
    efor_scale: float = 1.0
    cold_scale: float = COLD_SCALE_FITTED
    weather_years: tuple = W.WEATHER_YEARS
    demand_response_mw: float = DEMAND_RESPONSE_MW
    dr_max_hours_per_year: float | None = None
    dr_max_event_h: float | None = None
    dom_import_limit_mw: float = DOM_IMPORT_LIMIT_MW
    dom_export_limit_mw: float = DOM_EXPORT_LIMIT_MW
    dc_dom_share: float = DC_DOM_SHARE
    zones: bool = True

    def __post_init__(self):
        if isinstance(self.year, bool) or not isinstance(self.year, (int, np.integer)) or not 2020 <= self.year <= 2060:
            raise InputError(f"year: expected a year in 2020-2060, got {self.year!r}")
        wy = tuple(self.weather_years)
        unknown = [y for y in wy if y not in W.WEATHER_YEARS]
        if unknown or not wy or len(set(wy)) != len(wy):
            raise InputError(f"weather_years: expected distinct years among {list(W.WEATHER_YEARS)}, got {list(wy)}")
        object.__setattr__(self, "weather_years", wy)
        for name, lo, hi in (("dc_load_mw", 0.0, 1e6), ("efor_scale", 0.0, 5.0), ("cold_scale", 0.0, 5.0),
                             ("demand_response_mw", 0.0, 1e6), ("dom_import_limit_mw", 0.0, 1e6),
                             ("dom_export_limit_mw", 0.0, 1e6), ("dc_dom_share", 0.0, 1.0)):
            x = getattr(self, name)
            if not (isinstance(x, (int, float, np.floating, np.integer)) and math.isfinite(x) and lo <= x <= hi):
                raise InputError(f"{name}: expected a number in [{lo:g}, {hi:g}], got {x!r}")
        if self.efor_scale == 0.0:
            raise InputError("efor_scale: expected a number > 0, got 0")
        for name in ("peak_mw", "energy_mwh"):
            x = getattr(self, name)
            if x is not None and not (math.isfinite(x) and 0 < x < 1e12):
                raise InputError(f"{name}: expected a positive finite number, got {x!r}")
        rm = self.reserve_margin
        if rm is not None and not (math.isfinite(rm) and -0.9 < rm < 5):
            raise InputError(f"reserve_margin: expected a fraction in (-0.9, 5), got {self.reserve_margin!r}")
        hours, event = self.dr_max_hours_per_year, self.dr_max_event_h
        if hours is not None and not hours >= 0:
            raise InputError(f"dr_max_hours_per_year: expected >= 0 h, got {hours!r}")
        if event is not None and not event > 0:
            raise InputError(f"dr_max_event_h: expected > 0 h, got {event!r}")

    def dr_limits(self) -> tuple[float, float]:
        """Demand-response hours per year and per event [h]: the product rules of the year.

        Through 2026/27 PJM's DR had availability windows (modelled as 60 h/yr [est]); from
        2027/28 PJM models it in all hours ([S42]): no yearly limit, 10-hour events.
        """
        hours = DR_MAX_HOURS_PER_YEAR if self.year < DR_ALL_HOURS_FROM else math.inf
        hours = hours if self.dr_max_hours_per_year is None else float(self.dr_max_hours_per_year)
        event = DR_MAX_EVENT_H if self.dr_max_event_h is None else float(self.dr_max_event_h)
        return hours, event

    def irm(self) -> float:
        """Installed reserve margin of the study year [fraction] (PJM's target, or the one given)."""
        if self.reserve_margin is not None:
            return float(self.reserve_margin)
        return IRM_2026 if self.year <= 2026 else IRM_2027


def forecast_peak_mw(year: int) -> float:
    """Total 50/50 summer peak forecast [MW]: the 2025 report's value grown at the 2026 report's rate."""
    return PEAK_2025_MW * (1.0 + PEAK_GROWTH_PER_YR) ** (year - 2025)


def default_dc_mw(year: int) -> float:
    """Data-center load at the summer peak [MW]: 30 GW added 2024-2030 (PJM 2025 forecast), then the same pace [est]."""
    return max(0.0, (int(year) - 2024) * DC_GROWTH_2024_2030_MW / 6.0)


def forecast_energy_mwh(year: int) -> float:
    """Total net energy forecast [MWh/yr]: 2035 value of the 2025 report, 4.8 %/yr back and forth."""
    return ENERGY_2035_MWH / (1.0 + ENERGY_GROWTH_PER_YR) ** (2035 - year)


def elcc(cls: PlantClass, year: int) -> float:
    """ELCC class rating of ``year`` (2026/27 through 2026, 2027/28 after) [fraction]."""
    return cls.elcc_2026 if year <= 2026 else cls.elcc_2027


def capacity_accounts(a: PJMAssumptions) -> dict:
    """PJM's accounting of the study year: ICAP and UCAP by class, the reserve margin, the fleet scale.

    The fleet is RRS Table 5's (2026/27) scaled by one factor so that generation ICAP plus
    demand-response ICAP is ``(1 + IRM)`` times the total forecast peak (PJM's installed reserve
    margin: ICAP over the forecast peak, minus one; sources.md P1). UCAP is ICAP times the class
    ELCC ratings (sources.md P2).

    Returns
    -------
    dict
        ``scale``, ``peak_mw`` (total 50/50 peak), ``icap_mw``/``ucap_mw`` (totals with DR),
        ``reserve_margin``, ``classes`` (name -> {icap_mw, ucap_mw, elcc}), ``dr_icap_mw``, ``dr_ucap_mw``.
    """
    total_peak = _total_peak(a)
    target_icap = (1.0 + a.irm()) * total_peak
    gen_icap = target_icap - a.demand_response_mw
    if gen_icap <= 0:
        raise InputError("reserve_margin: leaves no room for generation")
    scale = gen_icap / GENERATION_ICAP_2026_MW
    classes = {}
    for c in CLASSES:
        icap = c.icap_mw * scale
        classes[c.name] = {"icap_mw": icap, "ucap_mw": icap * elcc(c, a.year), "elcc": elcc(c, a.year)}
    dr_e = DR_ELCC[2026] if a.year <= 2026 else DR_ELCC[2027]
    icap = gen_icap + a.demand_response_mw
    ucap = sum(v["ucap_mw"] for v in classes.values()) + a.demand_response_mw * dr_e
    return {"scale": scale, "peak_mw": total_peak, "icap_mw": icap, "ucap_mw": ucap,
            "reserve_margin": icap / total_peak - 1.0, "classes": classes,
            "dr_icap_mw": a.demand_response_mw, "dr_ucap_mw": a.demand_response_mw * dr_e}


def _total_peak(a: PJMAssumptions) -> float:
    return float(a.peak_mw) if a.peak_mw is not None else forecast_peak_mw(a.year)


# --------------------------------------------------------------------------------------- weather
def _month_of_hour(n: int = W.HOURS) -> np.ndarray:
    """Local (EST) month of each hour of a weather year without 29 February (1-12)."""
    days = pd.date_range("2023-01-01", periods=365, freq="D")  # a non-leap year
    return np.repeat(days.month.values, 24)[:n]


def cold_severity(rel_load: np.ndarray, month: np.ndarray | None = None) -> np.ndarray:
    """Cold severity of each hour of one weather year, 0 (not cold) to about 1 (Jan 2014, Dec 2022).

    No temperature series is at hand, so the load is the proxy, relative to the weather year's own
    winter (so that the economy's growth does not count as cold). Two terms, from Nov to Mar:

    * *sudden cold*: the load jumps above its mean of the previous three days by more than
      :data:`COLD_JUMP_START` (full at :data:`COLD_JUMP_FULL`), at a load above the typical winter
      peak. A cold front that arrives within a day strands more plant (frozen instruments, gas
      supply) than a cold spell that builds over days: the 2014 polar vortex and Winter Storm
      Elliott (load +30 % over three days) against Jan 2024 and Jan 2025 (+17 %), with outage
      rates of 22-25 % against ~9-10 % (sources.md P4, P5);
    * *deep cold*: the load above :data:`COLD_LEVEL_START` times the median winter daily peak
      (full at :data:`COLD_LEVEL_FULL`), weighted :data:`COLD_LEVEL_WEIGHT`.

    The severity stays at its highest of the last 24 hours (plant stays exposed while the cold
    lasts). Known limit: a sudden cold of Elliott's size without its outages (Dec 2016) scores
    like Elliott; docs/outlook.md lists the replay of each weather year's coldest day.

    Parameters
    ----------
    rel_load : (8760,) load relative to the year's annual mean [-]
    month : (8760,) month of each hour, optional

    Returns
    -------
    (8760,) severity [-], in [0, 1]
    """
    month = _month_of_hour(len(rel_load)) if month is None else month
    winter = np.isin(month, [11, 12, 1, 2, 3])
    x = np.asarray(rel_load, float)
    daily_peak = x.reshape(-1, 24).max(axis=1)
    wd = np.isin(month.reshape(-1, 24)[:, 0], [12, 1, 2])
    level = x / float(np.median(daily_peak[wd]))
    c = np.cumsum(np.r_[0.0, x])
    t = np.arange(len(x))
    t0 = np.maximum(t - 72, 0)
    prev = np.where(t > 0, (c[t] - c[t0]) / np.maximum(t - t0, 1), x[0])
    sudden = np.clip((x / prev - 1.0 - COLD_JUMP_START) / (COLD_JUMP_FULL - COLD_JUMP_START), 0.0, 1.0)
    gate = np.clip((level - 1.0) / 0.15, 0.0, 1.0)  # only above the typical winter peak
    deep = np.clip((level - COLD_LEVEL_START) / (COLD_LEVEL_FULL - COLD_LEVEL_START), 0.0, 1.0)
    inst = np.where(winter, (1.0 - COLD_LEVEL_WEIGHT) * sudden * gate + COLD_LEVEL_WEIGHT * deep, 0.0)
    # the highest of the last 24 hours
    pad = np.r_[np.zeros(23), inst]
    return np.lib.stride_tricks.sliding_window_view(pad, 24).max(axis=1)


#: a jump of the load over its previous three days' mean beyond this starts to count as sudden cold [est]
COLD_JUMP_START = 0.18
#: ... and counts fully from this jump [est: between Jan 2024/2025 (+17 %) and Jan 2014/Dec 2022 (+30 %)]
COLD_JUMP_FULL = 0.28
#: deep cold starts at this multiple of the median winter daily peak [est]
COLD_LEVEL_START = 1.10
#: ... and is full at this multiple [est]
COLD_LEVEL_FULL = 1.35
#: weight of deep cold in the severity [est: Jan 2024 and Jan 2025 outages ~9-10 % against a base of ~7 %]
COLD_LEVEL_WEIGHT = 0.2


def heat_index(rel_load: np.ndarray, month: np.ndarray | None = None) -> np.ndarray:
    """How hot each summer hour is, 0-1: the load above the 95th percentile of summer load, up to the peak."""
    month = _month_of_hour(len(rel_load)) if month is None else month
    summer = np.isin(month, [6, 7, 8, 9])
    x = np.asarray(rel_load, float)
    lo = np.quantile(x[summer], 0.95)
    hi = x[summer].max()
    return np.where(summer, np.clip((x - lo) / max(hi - lo, 1e-9), 0.0, 1.0), 0.0)


def planned_profile(expected_rel_load: np.ndarray) -> np.ndarray:
    """Share of a class's yearly planned outage factor taken in each hour (mean 1 over the year).

    Planned and maintenance outages are scheduled ahead of time where the *expected* load is
    lowest (spring and autumn), as PJM's outage coordination does (Manual 10): each day's weight
    is how far the day's mean load, averaged over the weather years, falls below the median day
    (the levelized-reserve rule of maintenance scheduling) [est]. Outages are not recalled in
    emergencies here.

    Parameters
    ----------
    expected_rel_load : (8760,) load averaged over the weather years, relative to its mean [-]
    """
    daily = np.asarray(expected_rel_load, float).reshape(-1, 24).mean(axis=1)
    w = np.clip(np.median(daily) - daily, 0.0, None)
    w = w / w.mean()
    return np.repeat(w, 24)


@functools.lru_cache(maxsize=1)
def _expected_planned_profile() -> np.ndarray:
    """:func:`planned_profile` of the load averaged over all weather years (the same for every grid)."""
    mean = np.mean([W.weather_year_shape(y, rto_equivalent=True) for y in W.WEATHER_YEARS], axis=0)
    return planned_profile(mean)


# -------------------------------------------------------------------------------------- the model
@dataclass(frozen=True)
class PJMWeather:
    """Hourly load and weather signals of the study year, all weather years back to back."""

    years: tuple
    load_mw: np.ndarray  # (T,) total load without data centers [MW]
    dom_share: np.ndarray  # (T,) Dominion's share of it [fraction]
    cold: np.ndarray  # (T,) cold severity [-]
    heat: np.ndarray  # (T,) heat index [-]
    month: np.ndarray  # (T,) local month


@functools.lru_cache(maxsize=4)
def weather(a: PJMAssumptions) -> PJMWeather:
    """The study year's load (no data centers) and weather signals for ``a.weather_years``."""
    years = a.weather_years
    shapes = [W.weather_year_shape(y, rto_equivalent=True) for y in years]
    total = _total_peak(a)
    base_peak = total - a.dc_load_mw
    if base_peak <= 0:
        raise InputError(f"dc_load_mw: expected less than the peak ({total:,.0f} MW), got {a.dc_load_mw:,.0f} MW")
    month = _month_of_hour()
    heat1 = [heat_index(s, month) for s in shapes]
    if a.energy_mwh is not None:
        energy = float(a.energy_mwh)
    else:
        dc_energy = a.dc_load_mw * float(np.mean([dc_profile(h).mean() for h in heat1])) * W.HOURS
        energy = forecast_energy_mwh(a.year) * total / forecast_peak_mw(a.year) - dc_energy
    loads = W.scale_to_forecast(shapes, base_peak, energy)
    shares = _dom_shares(years, month)
    cold = np.concatenate([cold_severity(s, month) for s in shapes])
    return PJMWeather(years, np.concatenate(loads), np.concatenate(shares), cold, np.concatenate(heat1),
                      np.tile(month, len(years)))


#: data-center utilisation between the hottest hours and the rest [fraction of peak draw] [est]:
#: training runs flat near full power; what varies is cooling
DC_BASE_FRACTION = 0.9


def dc_profile(heat: np.ndarray) -> np.ndarray:
    """Data-center draw per MW of its summer-peak draw, hour by hour [fraction].

    Facility power = IT power x PUE; the IT load of training is flat, the cooling load rises
    with the heat (PUE ~1.1 for liquid-cooled sites, higher in the hottest hours: the site
    model's :class:`~gigawatt.datacenter.power.SitePower` PUE at its peak) [est: a 10 % swing].
    """
    return DC_BASE_FRACTION + (1.0 - DC_BASE_FRACTION) * np.asarray(heat, float)


def _dom_shares(years, month) -> list:
    """Hourly DOM share per weather year; years without DOM data take the month x hour mean of the others."""
    have = {y: W.dom_share(y) for y in W.WEATHER_YEARS}
    have = {y: s for y, s in have.items() if s is not None}
    if not have:  # pragma: no cover - the shipped data has DOM years
        raise InputError("no weather year has Dominion zone data")
    hour = np.tile(np.arange(24), W.HOURS // 24)
    key = (month - 1) * 24 + hour
    mean = np.zeros(288)
    for s in have.values():
        mean += np.bincount(key, weights=s, minlength=288) / np.bincount(key, minlength=288)
    mean /= len(have)
    return [have[y] if y in have else mean[key] for y in years]


def hazard_for(target: np.ndarray, repair_prob: float) -> np.ndarray:
    """Hourly failure probabilities that make a two-state unit's chance of being out follow ``target``.

    A unit out with probability ``u`` is out the next hour with ``u (1 - r) + (1 - u) f`` (repair
    ``r``, failure ``f``), so ``f = (target' - u (1 - r)) / (1 - u)``. Where the target falls faster
    than repairs allow, ``f`` is 0 and the unit recovers at the repair rate (the expected outage
    then lags the target). The first hour starts at the stationary value.

    Parameters
    ----------
    target : (T,) unavailability wanted [fraction], < 1
    repair_prob : float
        Probability per hour that an out unit returns (1 / MTTR) [-].

    Returns
    -------
    (T,) failure probability per hour [-]
    """
    target = np.asarray(target, float)
    return _hazard_path(target, float(repair_prob))


@njit(cache=True)
def _hazard_path(target, r):  # pragma: no cover - compiled
    n = target.shape[0]
    f = np.empty(n)
    u = target[0]
    for t in range(n):
        f[t] = r * target[t] / (1.0 - target[t])
    for t in range(n - 1):
        if target[t + 1] == target[t] and u == target[t]:
            continue  # stationary
        ft = (target[t + 1] - u * (1.0 - r)) / (1.0 - u)
        ft = min(max(ft, 0.0), 1.0)
        f[t] = ft
        u = u * (1.0 - r) + (1.0 - u) * ft
        if abs(u - target[t + 1]) < 1e-15:
            u = target[t + 1]
    return f


def pjm_default(assumptions: PJMAssumptions | None = None, **kwargs) -> SystemModel:
    """The PJM system of one study year: zones DOM and REST (or one region), all weather years back to back.

    Parameters
    ----------
    assumptions : PJMAssumptions, optional
    **kwargs
        Fields of :class:`PJMAssumptions` (e.g. ``year=2030, dc_load_mw=5000``).
    """
    a = assumptions or PJMAssumptions(**kwargs)
    wx = weather(a)
    acc = capacity_accounts(a)
    T = wx.load_mw.shape[0]
    K = len(wx.years)
    dc = a.dc_load_mw * dc_profile(wx.heat) if a.dc_as_load else np.zeros(T)
    if a.zones:
        dom = wx.load_mw * wx.dom_share + a.dc_dom_share * dc
        rest = wx.load_mw * (1.0 - wx.dom_share) + (1.0 - a.dc_dom_share) * dc
        regions = Regions(list(ZONES), np.vstack([dom, rest]))
        zone_names = ZONES
    else:
        regions = Regions(["PJM"], (wx.load_mw + dc)[None, :])
        zone_names = ("PJM",)
    planned = np.tile(_expected_planned_profile(), K)
    names, cats, regs, mus = [], [], [], []
    groups = []  # (capacity row, failure row, count): one row per unit of the group
    solar_rows, wind_rows = [], []
    storage = []
    for c in CLASSES:
        icap = acc["classes"][c.name]["icap_mw"]
        for zone in zone_names:
            share = (c.dom_share if zone == "DOM" else 1.0 - c.dom_share) if a.zones else 1.0
            mw = icap * share
            if mw <= 0:
                continue
            if c.kind == "storage":
                storage.append((f"{c.name} {zone}", c.name, zone, mw))
                continue
            if c.kind in ("wind", "solar", "hydro"):
                prof = _renewable(c, T, K)
                names.append(f"{c.name} {zone}")
                cats.append(c.name)
                regs.append(zone)
                groups.append((prof * mw, None, 1))
                mus.append(1.0)
                continue
            # thermal: two-state units; gas classes split into units and common-mode blocks
            mu = 1.0 / c.mttr_h
            base_u = min(c.efor * a.efor_scale, 0.95)
            hot = HEAT_EXTRA_OUTAGE if c.kind == "thermal" else 0.0
            target = np.minimum(base_u + c.cold_extra * a.cold_scale * wx.cold + hot * wx.heat, 0.95)
            lam = hazard_for(target, mu)
            derate = 1.0 - c.planned_frac * planned - c.hot_derate * wx.heat
            gas = c.name.startswith("Gas") or c.name.startswith("Steam")
            block_mw = mw * COLD_BLOCK_SHARE if gas and c.cold_extra > 0 else 0.0
            unit_total = mw - block_mw
            for part_mw, size, label in ((unit_total, c.unit_mw, ""), (block_mw, COLD_BLOCK_MW, " block")):
                if part_mw <= 0:
                    continue
                n = max(1, int(round(part_mw / size)))
                groups.append((derate * (part_mw / n), np.minimum(lam, 1.0), n))
                for i in range(n):
                    names.append(f"{c.name}{label} {zone} #{i + 1}")
                    cats.append(c.name)
                    regs.append(zone)
                    mus.append(mu)
    # filled group by group (no per-unit temporaries), then handed over read-only: the system takes
    # read-only arrays it owns as they are instead of copying them (~0.7 GB less memory traffic a grid)
    capacity = np.empty((len(names), T))
    failure = np.zeros((len(names), T))
    i = 0
    for cap_row, fail_row, n in groups:
        capacity[i:i + n] = cap_row
        if fail_row is not None:
            failure[i:i + n] = fail_row
        i += n
    capacity.setflags(write=False)
    failure.setflags(write=False)
    gens = Generators(names, cats, regs, capacity, failure, np.array(mus), n_periods=T)
    st = Storages([s[0] for s in storage], [s[1] for s in storage], [s[2] for s in storage],
                  np.array([s[3] for s in storage]), np.array([s[3] for s in storage]),
                  np.array([s[3] * STORAGE_H for s in storage]), charge_eff=0.87, discharge_eff=0.87,
                  n_periods=T)
    interfaces = None
    if a.zones:
        interfaces = Interfaces(["REST"], ["DOM"], np.array([a.dom_import_limit_mw]),
                                np.array([a.dom_export_limit_mw]), n_periods=T)
    # local midnight (EST, UTC-5) of 1 January of the study year; PJM's days are Eastern days
    start = pd.Timestamp(f"{a.year}-01-01T05:00:00Z")
    return SystemModel(TimeAxis(start, 1.0, T, day_utc_offset_h=DAY_UTC_OFFSET_H), regions, gens, st,
                       interfaces=interfaces)


def _renewable(c: PlantClass, T: int, K: int) -> np.ndarray:
    """Hourly output per MW of ICAP of a wind, solar or run-of-river class."""
    month = _month_of_hour() - 1
    if c.kind == "wind":
        prof = F.WIND_PROFILE[month, np.tile(np.arange(24), 365)]
    elif c.kind == "solar":
        prof = F.SOLAR_PROFILE[month, np.tile(np.arange(24), 365)]
    else:
        prof = np.full(W.HOURS, c.elcc_2026)  # run-of-river at its rating [est]
    return np.tile(prof, K)


def expected_outages_mw(system: SystemModel, period: int, window_h: int = 720) -> dict:
    """Expected forced-out capacity by class at one period [MW] (exact two-state recursion).

    Each unit is out with probability ``p``; per period ``p <- p (1 - repair) + (1 - p) failure``,
    started ``window_h`` periods before at the stationary value, which is what the sequential
    Monte Carlo samples. Planned outages and derates are not outages here (capacity at ``period``).

    Returns
    -------
    dict
        Class (generator category) -> expected MW out; ``"total"`` their sum.
    """
    g = system.generators
    t0 = max(0, int(period) - int(window_h))
    lam = np.asarray(g.failure_prob)[:, t0:period + 1]
    mu = np.broadcast_to(np.asarray(g.repair_prob, float).reshape(-1, 1) if np.ndim(g.repair_prob) < 2
                         else np.asarray(g.repair_prob)[:, t0:period + 1], lam.shape)
    p = lam[:, 0] / np.maximum(lam[:, 0] + mu[:, 0], 1e-12)
    for k in range(1, lam.shape[1]):
        p = p * (1.0 - mu[:, k]) + (1.0 - p) * lam[:, k]
    out_mw = p * np.asarray(g.capacity_mw)[:, period]
    res: dict = {}
    for cat, mw in zip(g.categories, out_mw):
        res[cat] = res.get(cat, 0.0) + float(mw)
    res["total"] = float(out_mw.sum())
    return res


def per_year(value: float, system: SystemModel) -> float:
    """Convert a per-horizon metric of a :func:`pjm_default` system to per year."""
    return value / (system.n_periods / HOURS_PER_WEATHER_YEAR)


def emergency_order(assumptions: PJMAssumptions | None = None, **kwargs):
    """PJM's emergency order for the model: demand response by zone, then voltage reduction.

    The steps keep PJM's sequence (Manual 13; sources.md P10): curtailment of large loads under
    connect-and-manage (before pre-emergency demand response), demand response, large loads
    directed to their backup generation, voltage reduction, then manual load dump. Demand
    response is split between the zones by load share, with the year's limits
    (:meth:`PJMAssumptions.dr_limits`), applied per weather year
    (``DataCenterSystem(limit_year_h=HOURS_PER_WEATHER_YEAR)``).

    Returns
    -------
    gigawatt.datacenter.order.EmergencyOrder
    """
    from gigawatt.datacenter.order import DemandResponse, EmergencyOrder

    a = assumptions or PJMAssumptions(**kwargs)
    hours, event = a.dr_limits()
    dr = ()
    if a.demand_response_mw > 0:
        if a.zones:
            s = DR_DOM_SHARE
            dr = tuple(DemandResponse(f"demand response {z}", z, a.demand_response_mw * f, max_hours_per_year=hours,
                                      max_event_h=event) for z, f in (("DOM", s), ("REST", 1.0 - s)))
        else:
            dr = (DemandResponse("PJM demand response", "PJM", a.demand_response_mw, max_hours_per_year=hours,
                                 max_event_h=event),)
    return EmergencyOrder(demand_response=dr)


#: share of demand response in Dominion [est]: its share of PJM's load
DR_DOM_SHARE = 0.15


__all__ = ["CLASSES", "PJMAssumptions", "PlantClass", "capacity_accounts", "cold_severity", "dc_profile",
           "default_dc_mw", "emergency_order", "expected_outages_mw", "forecast_energy_mwh", "forecast_peak_mw",
           "hazard_for", "per_year", "pjm_default", "weather"]
