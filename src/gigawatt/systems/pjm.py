"""An embedded, calibrated PJM-like system (one region, several weather years).

This is a *calibrated synthetic system*, not PJM's own model: load shapes are fitted to
public PJM hourly data (``tools/fit_pjm_default.py`` -> ``_pjm_fitted.py``), the fleet is
built from public capacity totals with RTS-GMLC unit outage parameters, and one outage
multiplier is calibrated so that the 2026 system with PJM's installed reserve margin and its
emergency order (:func:`emergency_order`) meets the 0.1 day/yr standard, which is how PJM
sets that margin (``gigawatt.outlook.CALIBRATED_OUTAGE_MULTIPLIER``). Sources are cited at
each constant; ``[est]`` marks an estimate (exposed as a parameter).

The time axis holds one synthetic year per weather year (2018, 2022, 2024 and 2025 by
default) back to back; a Monte Carlo sample is a pass over all of them, so metrics per
horizon are divided by the number of weather years to give values per year (:func:`per_year`).

:func:`pjm_default` is the grid; :func:`emergency_order` is what PJM's operators do when it
falls short (demand response, voltage reduction), to be assessed together as a
:class:`~gigawatt.datacenter.system.DataCenterSystem` (as :mod:`gigawatt.outlook` does).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gigawatt.errors import InputError
from gigawatt.system import Generators, Regions, Storages, SystemModel, TimeAxis
from gigawatt.systems import _pjm_fitted as F

# --- load forecast -----------------------------------------------------------------------------
#: 2025 summer peak forecast [MW] (PJM 2025 Load Forecast Report; FACTS.md section 1)
PEAK_2025_MW = 154_144.0
#: 2036 summer peak forecast [MW] and growth (PJM 2026 Load Forecast Report, +3.6 %/yr; FACTS.md)
PEAK_2036_MW = 222_106.0
PEAK_GROWTH_PER_YR = 0.036
#: 2035 net energy forecast [MWh], +4.8 %/yr over 10 years (PJM 2025 Load Forecast Report; FACTS.md)
ENERGY_2035_MWH = 1_328_045e3
ENERGY_GROWTH_PER_YR = 0.048
#: data-center share of 2024-2030 peak growth: 30 of 32 GW (PJM 2025 Load Forecast; FACTS.md)
DC_GROWTH_2024_2030_MW = 30_000.0
#: installed reserve margin for 2026/27 [fraction of forecast peak] (PJM BRA report; FACTS.md)
IRM_2026 = 0.191
#: people served by PJM (FACTS.md section 1)
PEOPLE_SERVED = 67e6
#: contracted demand response, summer 2025 [MW] (FACTS.md section 1)
DEMAND_RESPONSE_MW = 7_900.0
#: longest demand-response event [h] [est]: PJM's Extended Summer and Annual demand resources
#: (capacity products approved by FERC in 2011) could be interrupted for up to 10 hours at a
#: time; today's Capacity Performance demand resources must be available 10:00-22:00 in summer
#: (12 h), so a 10-hour event is what the whole 7.9 GW can be relied on for in one go.
DR_MAX_EVENT_H = 10.0
#: demand-response hours per year [h] [est]: PJM's Limited demand resource had to be available for
#: 10 interruptions of up to 6 hours a summer (60 h), the only yearly figure PJM has published.
#: Capacity Performance demand resources have no interruption count limit, but the enrolled
#: (mostly industrial and commercial) customers cannot give up production without end; 60 h/yr
#: stands for that budget. Exposed as a parameter (``dr_max_hours_per_year``).
DR_MAX_HOURS_PER_YEAR = 60.0
#: hours in a weather year: the yearly limits of the emergency order start again at each one
HOURS_PER_WEATHER_YEAR = 8760

#: fleet mix of dispatchable capacity [fraction], unit size [MW] and RTS-GMLC outage data
#: (FOR, MTTF h, MTTR h) by technology (FACTS.md section 2). Mix shares are [est] from PJM's
#: public installed-capacity summaries (gas ~55 %, coal ~21 %, nuclear ~19 % of thermal).
FLEET = {
    # tech: (share of dispatchable MW, unit MW, MTTF h, MTTR h, affected by cold snaps)
    "Nuclear": (0.190, 1100.0, 1100.0, 150.0, False),
    "Coal": (0.210, 600.0, 1150.0, 100.0, True),
    "Gas CC": (0.365, 500.0, 967.0, 33.0, True),
    "Gas CT": (0.190, 150.0, 969.0, 31.0, True),
    "Oil steam": (0.027, 200.0, 2940.0, 60.0, True),
    "Hydro": (0.018, 100.0, 1980.0, 20.0, False),
}
#: pumped storage in PJM [MW] and hours [est] (Bath County, Seneca, Muddy Run, Yards Creek ...)
PUMPED_STORAGE_MW = 5_000.0
PUMPED_STORAGE_H = 8.0
#: wind and solar nameplate 2026 [MW] [est]; output profiles fitted to PJM 2025 generation
WIND_MW = 12_000.0
SOLAR_MW = 16_000.0
#: capacity credit of wind and solar toward the reserve margin [fraction] [est] (PJM ELCC classes)
WIND_CREDIT = 0.35
SOLAR_CREDIT = 0.10


@dataclass(frozen=True)
class PJMAssumptions:
    """Parameters of the PJM-like system for one study year (defaults: public figures above).

    Parameters
    ----------
    year : int
        Study year (2026 ...).
    peak_mw : float, optional
        50/50 summer peak of the non-data-center load [MW]; default from the forecast trajectory.
    dc_load_mw : float
        Flat data-center load added on top [MW].
    reserve_margin : float, optional
        Dispatchable + credited renewable capacity over the total 50/50 peak, minus one;
        default the 2026/27 IRM.
    outage_multiplier : float
        Scales every unit's failure probability (calibrated, see ``CALIBRATED_OUTAGE_MULTIPLIER``).
    cold_snap_multiplier : float
        Extra factor on failure probabilities of cold-sensitive units in the coldest winter hours
        (Jan 2014 outage rates ~3x normal; Winter Storm Elliott; FACTS.md section 1-2).
    cold_snap_quantile : float
        Winter hours whose load exceeds this quantile of the weather year's winter load are "cold".
    weather_years : tuple of int
        Weather years (load shapes) simulated back to back.
    demand_response_mw : float
        Contracted demand response the operator dispatches in emergencies [MW]
        (:func:`emergency_order`); 0 switches it off.
    dr_max_hours_per_year : float
        Demand-response hours per year [h] (``inf``: no limit).
    dr_max_event_h : float
        Longest demand-response event [h] (``inf``: no limit).
    """

    year: int = 2026
    peak_mw: float | None = None
    dc_load_mw: float = 0.0
    reserve_margin: float | None = None
    outage_multiplier: float = 1.0
    cold_snap_multiplier: float = 3.0
    cold_snap_quantile: float = 0.97
    weather_years: tuple = (2018, 2022, 2024, 2025)
    demand_response_mw: float = DEMAND_RESPONSE_MW
    dr_max_hours_per_year: float = DR_MAX_HOURS_PER_YEAR
    dr_max_event_h: float = DR_MAX_EVENT_H

    def __post_init__(self):
        if not 2020 <= int(self.year) <= 2060:
            raise InputError(f"year: expected a year in 2020-2060, got {self.year!r}")
        unknown = [y for y in self.weather_years if y not in F.WEEKLY_PEAK_FACTOR]
        if unknown or not self.weather_years:
            raise InputError(f"weather_years: expected some of {sorted(F.WEEKLY_PEAK_FACTOR)}, got {unknown}")
        if self.dc_load_mw < 0:
            raise InputError(f"dc_load_mw: expected >= 0 MW, got {self.dc_load_mw}")
        if self.outage_multiplier <= 0 or self.cold_snap_multiplier < 1:
            raise InputError("outage_multiplier must be > 0 and cold_snap_multiplier >= 1")
        if not (self.demand_response_mw >= 0 and np.isfinite(self.demand_response_mw)):
            raise InputError(f"demand_response_mw: expected a finite number >= 0 MW, got {self.demand_response_mw!r}")
        if not self.dr_max_hours_per_year >= 0:
            raise InputError(f"dr_max_hours_per_year: expected >= 0 h, got {self.dr_max_hours_per_year!r}")
        if not self.dr_max_event_h > 0:
            raise InputError(f"dr_max_event_h: expected > 0 h, got {self.dr_max_event_h!r}")


def forecast_peak_mw(year: int) -> float:
    """Total 50/50 summer peak forecast [MW]: 2025 report value grown at the 2026 report's rate."""
    return PEAK_2025_MW * (1.0 + PEAK_GROWTH_PER_YR) ** (year - 2025)


def relative_shape(weather_year: int, calendar_year: int) -> np.ndarray:
    """Hourly load of one weather year on ``calendar_year``'s weekdays, relative to its annual mean.

    Product of weekly, daily and hourly factors (the IEEE RTS load model, with factors fitted to PJM),
    raised to the power that gives the weather year's observed peak-to-mean ratio.
    """
    days = pd.date_range(f"{calendar_year}-01-01", periods=365, freq="D")
    week = np.minimum(np.arange(365) // 7, 51)
    wd = days.day_of_week.values
    month = days.month.values
    season = np.where(np.isin(month, [12, 1, 2]), 0, np.where(np.isin(month, [6, 7, 8]), 1, 2))
    # as in the IEEE RTS model, the peak day of a week and the peak hour of a day are 100 %
    daily = F.WEEKLY_PEAK_FACTOR[weather_year][week] * (F.DAILY_PEAK_FACTOR / F.DAILY_PEAK_FACTOR.max())[wd]
    hourly = F.HOURLY_SHAPE / F.HOURLY_SHAPE.max(axis=-1, keepdims=True)
    shape = hourly[season, (wd >= 5).astype(int)]  # (365, 24)
    load = (daily[:, None] * shape).ravel()
    load = load / load.mean()
    # the product of averaged factors is flatter than real load: an exponent restores the weather
    # year's observed peak-to-mean ratio (so peak, energy and load factor are all right)
    target = F.PEAK_TO_MEAN[weather_year]
    lo, hi = 0.5, 4.0
    for _ in range(60):
        g = 0.5 * (lo + hi)
        x = load**g
        if x.max() / x.mean() < target:
            lo = g
        else:
            hi = g
    x = load ** (0.5 * (lo + hi))
    return x / x.mean()


def renewable_profile(profile: np.ndarray, calendar_year: int) -> np.ndarray:
    """Hourly output per MW of 2025 maximum, from the fitted month x hour means (365 days)."""
    month = pd.date_range(f"{calendar_year}-01-01", periods=365, freq="D").month.values - 1
    return profile[month].ravel()


def pjm_default(assumptions: PJMAssumptions | None = None, **kwargs) -> SystemModel:
    """The PJM-like system of one study year (one region "PJM", hourly, all weather years back to back).

    Parameters
    ----------
    assumptions : PJMAssumptions, optional
    **kwargs
        Fields of :class:`PJMAssumptions` (e.g. ``year=2030, dc_load_mw=5000``).
    """
    a = assumptions or PJMAssumptions(**kwargs)
    years = list(a.weather_years)
    K = len(years)
    total_peak = forecast_peak_mw(a.year)
    base_peak = a.peak_mw if a.peak_mw is not None else total_peak - a.dc_load_mw
    shapes = [relative_shape(y, a.year) for y in years]
    # one scale for all weather years: the median weather year peaks at the 50/50 forecast
    scale = base_peak / float(np.median([s.max() for s in shapes]))
    base = np.concatenate(shapes) * scale
    load = base + a.dc_load_mw
    T = load.shape[0]
    # ---- dispatchable fleet sized to the reserve margin over the total 50/50 peak
    rm = IRM_2026 if a.reserve_margin is None else a.reserve_margin
    wind_mw = WIND_MW
    solar_mw = SOLAR_MW
    need = (1.0 + rm) * (base_peak + a.dc_load_mw) - PUMPED_STORAGE_MW - WIND_CREDIT * wind_mw \
        - SOLAR_CREDIT * solar_mw
    if need <= 0:
        raise InputError("reserve_margin: leaves no room for dispatchable capacity")
    # cold hours: winter periods with load above the chosen quantile of that weather year's winter load
    cold = np.zeros(T, dtype=bool)
    month = np.tile(np.repeat(pd.date_range(f"{a.year}-01-01", periods=365, freq="D").month.values, 24), K)
    winter = np.isin(month, [12, 1, 2])
    for k in range(K):
        sl = slice(k * 8760, (k + 1) * 8760)
        w = winter[sl]
        thr = np.quantile(base[sl][w], a.cold_snap_quantile)
        cold[sl] = w & (base[sl] > thr)
    names, cats, cap, mu, lam_rows, counts = [], [], [], [], [], []
    for tech, (share, size, mttf, mttr, cold_sensitive) in FLEET.items():
        n = max(1, int(round(share * need / size)))
        lam_t = np.full(T, a.outage_multiplier / mttf)
        if cold_sensitive:
            lam_t = np.where(cold, lam_t * a.cold_snap_multiplier, lam_t)
        lam_rows.append(np.minimum(lam_t, 1.0))
        counts.append(n)
        names += [f"{tech} #{i + 1}" for i in range(n)]
        cats += [tech] * n
        cap += [share * need / n] * n
        mu += [1.0 / mttr] * n
    n_thermal = len(names)
    # one Generators of thermal units (constant capacity, hourly failure rates) plus wind and solar
    # (hourly capacity, never failing): arrays built once, checked once
    capacity = np.empty((n_thermal + 2, T))
    capacity[:n_thermal] = np.array(cap)[:, None]
    capacity[n_thermal] = np.tile(renewable_profile(F.WIND_PROFILE, a.year), K) * wind_mw
    capacity[n_thermal + 1] = np.tile(renewable_profile(F.SOLAR_PROFILE, a.year), K) * solar_mw
    failure = np.zeros((n_thermal + 2, T))
    failure[:n_thermal] = np.repeat(np.array(lam_rows), counts, axis=0)
    gens = Generators(names + ["Wind", "Solar"], cats + ["Wind", "Solar"], ["PJM"] * (n_thermal + 2), capacity,
                      failure, np.r_[np.array(mu), [1.0, 1.0]], n_periods=T)
    ps = Storages(["Pumped storage"], ["Pumped storage"], ["PJM"], PUMPED_STORAGE_MW, PUMPED_STORAGE_MW,
                  PUMPED_STORAGE_MW * PUMPED_STORAGE_H, charge_eff=0.87, discharge_eff=0.87, n_periods=T)
    # local midnight (EST, UTC-5) of 1 January of the study year
    start = pd.Timestamp(f"{a.year}-01-01T05:00:00Z")
    return SystemModel(TimeAxis(start, 1.0, T), Regions(["PJM"], load[None, :]), gens, ps)


def per_year(value: float, system: SystemModel) -> float:
    """Convert a per-horizon metric of a :func:`pjm_default` system to per year."""
    return value / (system.n_periods / 8760.0)


def emergency_order(assumptions: PJMAssumptions | None = None, **kwargs):
    """PJM's emergency order for the default system: demand response, then voltage reduction.

    The steps keep PJM's sequence (Manual 13; FACTS.md section 1): curtailment of large loads
    under connect-and-manage and voluntary contracts, pre-emergency and emergency load
    management (demand response), large loads directed to their backup generation, emergency
    purchases (none modelled), voltage reduction, then manual load dump. Demand response is one
    program of ``demand_response_mw`` in region "PJM" with its hour limits; its yearly limit
    applies to each weather year (``DataCenterSystem(limit_year_h=HOURS_PER_WEATHER_YEAR)``).

    Parameters
    ----------
    assumptions : PJMAssumptions, optional
    **kwargs
        Fields of :class:`PJMAssumptions`.

    Returns
    -------
    gigawatt.datacenter.order.EmergencyOrder
    """
    from gigawatt.datacenter.order import DemandResponse, EmergencyOrder

    a = assumptions or PJMAssumptions(**kwargs)
    dr = ()
    if a.demand_response_mw > 0:
        dr = (DemandResponse("PJM demand response", "PJM", a.demand_response_mw,
                             max_hours_per_year=a.dr_max_hours_per_year, max_event_h=a.dr_max_event_h),)
    return EmergencyOrder(demand_response=dr)
