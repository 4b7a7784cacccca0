"""The weather of the PJM model: load by weather year, cold severity, heat, planned outages, data-center draw."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gigawatt.errors import InputError
from gigawatt.systems import pjm_load as W
from gigawatt.systems.pjm_assumptions import PJMAssumptions, _total_peak, forecast_energy_mwh, forecast_peak_mw
from gigawatt.systems.pjm_constants import DC_BASE_FRACTION, MODEL


def _month_of_hour(n: int = W.HOURS) -> np.ndarray:
    """Local (EST) month of each hour of a weather year without 29 February (1-12)."""
    days = pd.date_range("2023-01-01", periods=365, freq="D")  # a non-leap year
    return np.repeat(days.month.values, 24)[:n]


def cold_severity(rel_load: np.ndarray, month: np.ndarray | None = None, model=None) -> np.ndarray:
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
    model : PJMModel, optional
        The PJM description whose ``[cold]`` thresholds apply (default the embedded one: the constants below).

    Returns
    -------
    (8760,) severity [-], in [0, 1]
    """
    month = _month_of_hour(len(rel_load)) if month is None else month
    jump_start, jump_full, level_start, level_full, level_weight = (MODEL if model is None else model).cold_thresholds
    winter = np.isin(month, [11, 12, 1, 2, 3])
    x = np.asarray(rel_load, float)
    daily_peak = x.reshape(-1, 24).max(axis=1)
    wd = np.isin(month.reshape(-1, 24)[:, 0], [12, 1, 2])
    level = x / float(np.median(daily_peak[wd]))
    c = np.cumsum(np.r_[0.0, x])
    t = np.arange(len(x))
    t0 = np.maximum(t - 72, 0)
    prev = np.where(t > 0, (c[t] - c[t0]) / np.maximum(t - t0, 1), x[0])
    sudden = np.clip((x / prev - 1.0 - jump_start) / (jump_full - jump_start), 0.0, 1.0)
    gate = np.clip((level - 1.0) / 0.15, 0.0, 1.0)  # only above the typical winter peak
    deep = np.clip((level - level_start) / (level_full - level_start), 0.0, 1.0)
    inst = np.where(winter, (1.0 - level_weight) * sudden * gate + level_weight * deep, 0.0)
    # the highest of the last 24 hours
    pad = np.r_[np.zeros(23), inst]
    return np.lib.stride_tricks.sliding_window_view(pad, 24).max(axis=1)


# the thresholds of the embedded PJM description ([cold] in gigawatt/data/pjm.toml, with their derivations):
#: a jump of the load over its previous three days' mean beyond this starts to count as sudden cold [est]
#: ... and counts fully from COLD_JUMP_FULL; deep cold starts at COLD_LEVEL_START times the median winter
#: daily peak, is full at COLD_LEVEL_FULL, and weighs COLD_LEVEL_WEIGHT in the severity [est]
COLD_JUMP_START, COLD_JUMP_FULL, COLD_LEVEL_START, COLD_LEVEL_FULL, COLD_LEVEL_WEIGHT = MODEL.cold_thresholds


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


@dataclass(frozen=True)
class PJMWeather:
    """Hourly load and weather signals of the study year, all weather years back to back."""

    years: tuple
    load_mw: np.ndarray  # (T,) total load without data centers [MW]
    dom_share: np.ndarray  # (T,) Dominion's share of it [fraction]
    cold: np.ndarray  # (T,) cold severity [-]
    heat: np.ndarray  # (T,) heat index [-]
    month: np.ndarray  # (T,) local month
    zone_shares: dict | None = None  # zone -> (T,) share of the load ("lda" zone set) [fraction]


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
        base = a.model.dc_base_fraction
        dc_energy = a.dc_load_mw * float(np.mean([dc_profile(h, base).mean() for h in heat1])) * W.HOURS
        energy = (forecast_energy_mwh(a.year, a.load_forecast, a.model) * total
                  / forecast_peak_mw(a.year, a.load_forecast, a.model) - dc_energy)
    loads = W.scale_to_forecast(shapes, base_peak, energy)
    shares = _dom_shares(years, month)
    cold = np.concatenate([cold_severity(s, month, a.model) for s in shapes])
    zone_shares = None
    if a.zones and a.zone_set == "lda":
        from gigawatt.systems import pjm_zones

        zone_shares = pjm_zones.weather_shares(years, month)
    return PJMWeather(years, np.concatenate(loads), np.concatenate(shares), cold, np.concatenate(heat1),
                      np.tile(month, len(years)), zone_shares)


def dc_profile(heat: np.ndarray, base_fraction: float = DC_BASE_FRACTION) -> np.ndarray:
    """Data-center draw per MW of its summer-peak draw, hour by hour [fraction].

    Facility power = IT power x PUE; the IT load of training is flat, the cooling load rises
    with the heat (PUE ~1.1 for liquid-cooled sites, higher in the hottest hours: the site
    model's :class:`~gigawatt.datacenter.power.SitePower` PUE at its peak) [est: a 10 % swing];
    ``base_fraction`` is the draw outside the hottest hours (the PJM description's
    ``data_centers.base_fraction``).
    """
    return base_fraction + (1.0 - base_fraction) * np.asarray(heat, float)


def _dom_shares(years, month) -> list:
    """Hourly DOM share per weather year (:func:`~gigawatt.systems.pjm_load.dom_weather_share`); years
    without DOM data take the month x hour mean of the others."""
    have = {y: W.dom_weather_share(y) for y in W.WEATHER_YEARS}
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
