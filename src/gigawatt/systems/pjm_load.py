"""PJM's real hourly load, one weather year each (2003-2025), and its scaling to a forecast.

The package data ``gigawatt/data/pjm_weather_years.npz`` holds, per weather year, the hourly
RTO load divided by that year's annual mean (a *shape*), the zones' hourly shares of the RTO load
(Dominion and the others of :func:`zone_names`; stored as int16 steps of 1e-4, about 10 MW of a
100 GW hour), and the observed annual mean and peak [MW]. It is a derived, normalised product
built by ``tools/build_pjm_weather_years.py`` from public data (read, never copied):

* 2003-2015: PJM estimated hourly load by zone 1998-2018 (the Kaggle "Hourly Energy
  Consumption" mirror of PJM data), the sum of the zonal files that cover the year in full, a
  partial footprint (``footprint == "zonal-sum"``; ``observed(year)["zones"]``) used for its
  shape only:

  ==========  =========================  ================  ===========  ====================
  years       footprint                  share of the RTO  shape corr.  peak error, mapped
  ==========  =========================  ================  ===========  ====================
  2003-2004   PJME + PJMW                0.402             0.982-0.985  -0.2 % / +1.9 %
  2005        PJME + PJMW + AEP          0.563             0.991-0.992  -1.3 % / -0.1 %
  2006-2010   PJME + PJMW + AEP + DOM    0.685             0.990-0.991  -1.5 % / -0.8 %
  2011-2015   PJME + PJMW + AEP + COMED  0.808             0.996-0.997  -0.4 % / -0.4 %
              + DOM
  ==========  =========================  ================  ===========  ====================

  (PJM West's file begins 2002-04-01, AEP's 2004-10-01, DOM's 2005-05-01, ComEd's 2011-01-01;
  all end 2018-08-03; ``PJM_Load_hourly.csv``, 1998-2001, overlaps no RTO year and is left
  out.) Each footprint's share of the EIA-930 RTO energy and its affine map to the RTO shape
  (``observed(year)["rto_map"]``, :func:`weather_year_shape` with ``rto_equivalent=True``) are
  fitted by least squares on the hours of the full overlap years 2016-2017; the table gives the
  correlation of the footprint's normalised hourly shape with the RTO's, and the error of the
  mapped annual peak relative to the mean in 2016 / 2017 (the build tool's ``--check`` report
  gives these and more). The five-zone footprint's share and map are also ``ZONAL_SHARE_OF_RTO``
  (80.8 %) and ``ZONAL_TO_RTO``. The map corrects the footprint, not the era, and the era needs
  no correction: the older years are not peakier on average (peak over mean of the mapped shapes
  1.62 in 2003-2015 against 1.65 in 2016-2025; the summer peak over the median summer hour 1.50
  in both), only more spread (cool 2004, 2009, 2014; hot 2006, 2011, 2013), and the low load
  factors of 2006, 2011 and 2013 (0.55-0.57) are their heat waves'. Rebuilt from the EIA-930
  subregions of 2020-2024, out of sample, the mapped four- and five-zone footprints put the annual
  peak 2.2 % below to 0.1 % above the RTO's; PJM East + West's overshoots by 3-5 %
  (``tools/weather_year_tail.py``; docs/outlook.md).
* 2016-2019: EIA Form 930 PJM demand, cleaned release of Ruggles et al. (2020), Sci Data 7,
  155, https://doi.org/10.1038/s41597-020-0483-x (``release_2020_Oct``).
* 2020-2024: EIA Form 930 PJM balancing-authority total (``release_2025_Jan_include_subregions``,
  raw ISO file, cleaned by :mod:`gigawatt.cleaning`): the same series as 2016-2019. Like every
  EIA-930 BA demand it is net generation minus interchange, so it includes storage charging
  (pumped-storage pumping): at night 2-4.5 GW (3-5 %) above the sum of PJM's zonal loads, at
  the peak hours 0.1-0.5 GW.
* 2025: PJM Data Miner 2, ``hrl_load_metered`` (RTO metered load, preliminary),
  https://dataminer2.pjm.com.
* DOM: the zonal file 2006-2017 (it begins 2005-05-01), EIA-930 ``PJM-DOM`` 2020-2024; none for
  2003-2005, 2018 (the zonal file ends 2018-08-03), 2019 and 2025.

Time axis: hour ``t`` of weather year ``Y`` starts at Jan 1 of ``Y`` 05:00 UTC (00:00 EST)
plus ``t`` hours; 8760 hours; in leap years the 24 hours of Feb 29 (from Feb 29 05:00 UTC) are
left out. The axis is UTC and start-labelled throughout, so daylight saving time needs no
repair: every source was converted to UTC by its reader (the zonal files' local hour-ending
labels explicitly, the repeated fall-back hour resolved as first = EDT, second = EST). In
local Eastern prevailing time (EPT) hour 0 is 00:00 EST; from the second Sunday of March to the
first Sunday of November hour ``t`` is one hour later on the local clock (:func:`local_time`).
Each weather year keeps its own calendar (weekdays, holidays).

Only numpy and :mod:`gigawatt.errors` are imported; the data is opened with
:mod:`importlib.resources` and read once.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

from gigawatt.errors import InputError

#: hours in a weather year on this axis (Feb 29 left out)
HOURS = 8760
#: package data file (inside the ``gigawatt`` package)
DATA_FILE = "data/pjm_weather_years.npz"
#: months of the winter season (Dec-Feb of the same calendar year)
WINTER_MONTHS = (12, 1, 2)


@lru_cache(maxsize=1)
def _data() -> dict:
    with resources.files("gigawatt").joinpath(DATA_FILE).open("rb") as f, np.load(f, allow_pickle=False) as z:
        d = {k: z[k] for k in z.files}
    for v in d.values():
        v.setflags(write=False)
    return d


def __getattr__(name):
    # read on first use, not on import (PEP 562)
    if name == "WEATHER_YEARS":
        return _years()
    if name == "ZONAL_SHARE_OF_RTO":
        return float(_data()["zonal_share_of_rto"])
    if name == "ZONAL_TO_RTO":
        return tuple(float(v) for v in _data()["zonal_to_rto"])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: WEATHER_YEARS (tuple of int): the weather years available, each with 8760 hours (module attribute,
#: read from the package data on first use).
#: ZONAL_SHARE_OF_RTO (float): share of the RTO's energy carried by the five zones of the zonal-sum
#: years 2011-2015 (mean of the full overlap years 2016-2017); each footprint's is ``observed(y)["share_of_rto"]``.
#: ZONAL_TO_RTO (tuple a, b): the five zones' affine map ``rto_rel ~ a + b * zonal_rel`` fitted by least
#: squares on the hours of 2016-2017; each footprint's, used by ``weather_year_shape(..., rto_equivalent=True)``,
#: is ``observed(y)["rto_map"]``.


@lru_cache(maxsize=1)
def _years() -> tuple[int, ...]:
    return tuple(int(y) for y in _data()["years"])


def _row(year) -> int:
    try:
        return _years().index(int(year))
    except (ValueError, TypeError):
        raise InputError(f"weather year: expected one of {list(_years())}, got {year!r}") from None


def weather_year_shape(year: int, rto_equivalent: bool = False) -> np.ndarray:
    """Hourly RTO load of a weather year divided by its annual mean (mean 1).

    Parameters
    ----------
    year : int
        One of :data:`WEATHER_YEARS`.
    rto_equivalent : bool
        For the zonal-sum years (2003-2015) only: map the footprint's shape to an RTO-like one with
        its footprint's map ``observed(year)["rto_map"]`` (``a + b * s``, renormalised to mean 1).
        Every footprint swings more than the whole RTO: on 2016-2017 the five zones' 100 highest
        hours are ~2.2 % higher relative to the mean than the RTO's, after the map -0.3 %; PJME +
        PJMW's +6.3 %, after the map +1.0 %. No effect on the ``"rto"`` years.

    Returns
    -------
    numpy.ndarray
        (8760,) float64 [-], on the axis of the module docstring.
    """
    i = _row(year)
    s = _data()["rto_rel"][i].astype(float)
    if rto_equivalent and str(_data()["footprint"][i]) == "zonal-sum":
        a, b = (float(v) for v in _data()["rto_map"][i])
        s = a + b * s
        s = s / s.mean()
    return s


def dom_share(year: int) -> np.ndarray | None:
    """Hourly Dominion (DOM) zone load as a fraction of the RTO load in the same hour.

    For the zonal-sum years (2006-2015) the fraction is of the footprint's sum, not of the RTO
    (about ``1 / observed(year)["share_of_rto"]`` times larger than DOM's share of the RTO).

    Returns
    -------
    numpy.ndarray or None
        (8760,) float64 [-]; None for weather years without DOM data (2003-2005, 2018, 2019, 2025).
    """
    i = _row(year)
    dom, _own = _zone_rel("DOM", i)
    if not np.isfinite(dom).any():
        return None
    return dom / _data()["rto_rel"][i].astype(float)


#: the weather year whose zone shares set each zone's level [-]: the latest year with zonal data,
#: the base from which the forecast's data-center growth is counted
#: (:func:`gigawatt.systems.pjm_assumptions.default_dc_mw`)
ZONE_REFERENCE_YEAR = 2024


def zone_names() -> tuple[str, ...]:
    """The zones with hourly data of their own (``DOM`` first), as in the package data."""
    return tuple(str(z) for z in _data()["zone_names"])


def _zone_rel(zone: str, i: int) -> tuple[np.ndarray, bool]:
    """(load relative to the weather year's RTO mean, own data?) of ``zone`` in row ``i``."""
    d = _data()
    names = [str(z) for z in d["zone_names"]]
    if zone not in names:
        raise InputError(f"zone: expected one of {list(zone_names())}, got {zone!r}")
    j = names.index(zone)
    rto = d["rto_rel"][i].astype(float)
    res = float(d["zone_share_res"])
    if d["zone_has"][i, j]:
        return np.cumsum(d["zone_share_steps"][i, j].astype(np.int64)) * res * rto, True
    k = int(d["zone_proxy"][j])
    if k >= 0 and d["proxy_has"][i, k]:
        return np.cumsum(d["proxy_share_steps"][i, k].astype(np.int64)) * res * rto, False
    return np.full(HOURS, np.nan), False


def zone_energy_share(zone: str, year: int) -> float | None:
    """A zone's share of the RTO's energy in the year its data was collected [fraction].

    For the zonal-sum years the zone's share of the footprint's sum times the footprint's share of
    the RTO (``observed(year)["share_of_rto"]``; DOM: 0.147 x 0.808 = 0.119 in 2014, beside 0.121 in
    2016; 0.112-0.117 in 2006-2010, of a four-zone footprint carrying 0.685). None for
    weather years without the zone's own data (a proxy's shape has no level of the zone's).
    """
    i = _row(year)
    rel, own = _zone_rel(zone, i)
    if not own or not np.isfinite(rel).any():
        return None
    m = float(rel.mean() / _data()["rto_rel"][i].astype(float).mean())
    if str(_data()["footprint"][i]) == "zonal-sum":
        m *= float(_data()["share_of_rto"][i])
    return m


def zone_reference_share(zone: str) -> float:
    """A zone's share of the RTO's energy in :data:`ZONE_REFERENCE_YEAR` [fraction] (DOM 0.153)."""
    m = zone_energy_share(zone, ZONE_REFERENCE_YEAR)
    if m is None:  # pragma: no cover - every zone has 2024 data
        raise InputError(f"zone {zone!r} has no data in {ZONE_REFERENCE_YEAR}")
    return m


def zone_weather_share(zone: str, year: int) -> np.ndarray | None:
    """A zone's hourly share of the RTO load that the weather of ``year`` gives, at today's level.

    ``share(t) = (m_y d(t) + (m_ref - m_y)) / r(t)``: ``d`` is the zone's own load of the weather
    year over its own annual mean, ``m_y`` its share of the RTO's energy that year
    (:func:`zone_energy_share`), ``r`` the RTO's shape (:func:`weather_year_shape` with
    ``rto_equivalent=True``, so that for the zonal-sum years 2003-2015 the share is of the RTO,
    not of the footprint's sum), and ``m_ref`` the zone's energy share in :data:`ZONE_REFERENCE_YEAR`
    (:func:`zone_reference_share`). The weather year decides when the zone's load is high (its
    cold, its heat); the level is today's, not that of the year the data was collected: DOM grew
    from 12 % of the RTO's energy in 2014-2017 to 15 % in 2024, mostly data centers, whose draw is
    nearly flat, so the growth since the year of collection is added as a flat part [est]. The
    forecast adds the data centers' growth after 2024 on top
    (:func:`gigawatt.systems.pjm_assumptions.default_dc_mw`). Where the weather year has only a
    proxy's shape for the zone (up to 2017: AEP's for the western zones from 2005, PJM East's for the
    Mid-Atlantic ones; the build tool's ``ZONE_PROXY``), ``m_y = m_ref`` (no flat part).

    Returns
    -------
    numpy.ndarray or None
        (8760,) float64 [-]; None for weather years without data or proxy for the zone.
    """
    rel, own = _zone_rel(zone, _row(year))
    if not np.isfinite(rel).any():
        return None
    m_ref = zone_reference_share(zone)
    m = zone_energy_share(zone, year) if own else m_ref
    return (m * rel / rel.mean() + (m_ref - m)) / weather_year_shape(year, rto_equivalent=True)


def dom_reference_share() -> float:
    """Dominion's share of the RTO's energy in :data:`ZONE_REFERENCE_YEAR` [fraction] (0.153)."""
    return zone_reference_share("DOM")


def dom_energy_share(year: int) -> float | None:
    """Dominion's share of the RTO's energy in the year its data was collected (:func:`zone_energy_share`)."""
    return zone_energy_share("DOM", year)


def dom_weather_share(year: int) -> np.ndarray | None:
    """Dominion's hourly share of the RTO load that the weather of ``year`` gives (:func:`zone_weather_share`)."""
    return zone_weather_share("DOM", year)


def observed(year: int) -> dict:
    """Observed level of a weather year's source series.

    Returns
    -------
    dict
        ``mean_mw``, ``peak_mw`` [MW] (of the zonal sum for the zonal-sum years),
        ``footprint`` (``"rto"`` or ``"zonal-sum"``), ``zones`` (the zonal files summed,
        ``"PJME+PJMW+AEP+DOM"``; ``"RTO"``), ``share_of_rto`` (the footprint's share of the RTO's
        energy on 2016-2017; 1 for the RTO), ``rto_map`` (``(a, b)`` of its map to the RTO shape;
        ``(0, 1)``), ``source`` (text).
    """
    d, i = _data(), _row(year)
    return {"mean_mw": float(d["rto_mean_mw"][i]), "peak_mw": float(d["rto_peak_mw"][i]),
            "footprint": str(d["footprint"][i]), "zones": str(d["footprint_zones"][i]),
            "share_of_rto": float(d["share_of_rto"][i]), "rto_map": tuple(float(v) for v in d["rto_map"][i]),
            "source": str(d["source"][i])}


# --- scaling to a forecast -----------------------------------------------------------------------
def forecast_map(shapes, peak_mw: float, energy_mwh_per_year: float) -> tuple[float, float]:
    """Coefficients ``(a, b)`` of the affine map ``load_y(t) = a + b * s_y(t)`` of :func:`scale_to_forecast`.

    Parameters
    ----------
    shapes : sequence of numpy.ndarray
        Hourly shapes ``s_y`` [-] of the weather years (e.g. :func:`weather_year_shape`).
    peak_mw : float
        50/50 forecast peak [MW]: the median over weather years of the annual peaks.
    energy_mwh_per_year : float
        Forecast annual energy [MWh]: the mean over weather years of the annual energy.

    Returns
    -------
    a : float
        Flat part [MW].
    b : float
        Scale of the shape [MW per unit of shape], > 0.

    Raises
    ------
    InputError
        No shapes, non-finite shapes, non-positive targets, a peak at or below the mean load
        (``b <= 0``), or a map that makes some hour's load <= 0.
    """
    if not (np.isfinite(peak_mw) and peak_mw > 0):
        raise InputError(f"peak_mw: expected a finite number > 0 MW, got {peak_mw!r}")
    if not (np.isfinite(energy_mwh_per_year) and energy_mwh_per_year > 0):
        raise InputError(f"energy_mwh_per_year: expected a finite number > 0 MWh, got {energy_mwh_per_year!r}")
    arrs = [np.asarray(s, dtype=float) for s in shapes]
    if not arrs or any(s.ndim != 1 or s.size == 0 or not np.isfinite(s).all() for s in arrs):
        raise InputError("shapes: expected one or more non-empty 1-D arrays of finite hourly values")
    m = float(np.median([s.max() for s in arrs]))  # median of the shapes' peaks
    n = float(np.mean([s.size for s in arrs]))  # mean hours per year
    e = float(np.mean([s.sum() for s in arrs]))  # mean of the shapes' annual sums [h]
    den = e - m * n
    num = energy_mwh_per_year - peak_mw * n
    # peak = a + b m and energy = a n + b e  =>  b = (energy - peak n) / (e - m n)
    if den == 0 or not num / den > 0:
        raise InputError(
            f"peak_mw={peak_mw:.6g} MW with energy_mwh_per_year={energy_mwh_per_year:.6g} MWh (mean load "
            f"{energy_mwh_per_year / n:.6g} MW): the peak must exceed the mean load and the shapes must have "
            "peaks above their mean, or the map a + b*s would invert the shapes")
    b = num / den
    a = peak_mw - b * m
    low = min(float(s.min()) for s in arrs)
    if a + b * low <= 0:
        raise InputError(
            f"scaling to peak_mw={peak_mw:.6g} MW and energy_mwh_per_year={energy_mwh_per_year:.6g} MWh needs "
            f"load = {a:.6g} MW + {b:.6g} MW x shape, which is {a + b * low:.6g} MW <= 0 at the lowest hour; "
            "the peak is too high for the energy (load factor too low for these weather years)")
    return float(a), float(b)


def scale_to_forecast(shapes, peak_mw: float, energy_mwh_per_year: float) -> list[np.ndarray]:
    """Scale weather-year shapes to a load forecast, PJM-style (50/50 peak and annual energy).

    Every weather year ``y`` is mapped by the same affine map ``load_y(t) = a + b * s_y(t)``
    [MW], with ``a`` and ``b > 0`` chosen so that

    (i) the median over the weather years of the annual peaks ``max_t load_y(t)`` equals the
        50/50 forecast peak ``peak_mw``, and
    (ii) the mean over the weather years of the annual energy ``sum_t load_y(t) * 1 h`` equals
        ``energy_mwh_per_year``.

    This follows how PJM defines its forecast: the 50/50 seasonal peak is the median of the
    peaks the forecast model produces over its set of historical weather years (weather-
    normalised peaks), and the annual energy (net energy for load) is the expected value over
    them (PJM Manual 19, *Load Forecasting and Analysis*; PJM Load Forecast Report, January 2025,
    whose 50/50 summer peak 154,144 MW for 2025 and energy 1,328,045 GWh for 2035 are quoted in
    sources.md P7). A common map keeps each weather year's peak, cold snap
    and heat wave where they were relative to the others, so weather years hotter or colder than
    the median stay above or below the 50/50 peak (the 90/10 spread survives). Because ``b > 0``
    is common, the median peak and the mean energy are affine in ``(a, b)`` and both targets are
    met exactly. ``a > 0`` means part of the forecast growth is flat (as data-center load is);
    ``a < 0`` deepens the shape.

    Parameters
    ----------
    shapes : sequence of numpy.ndarray
        Hourly shapes ``s_y`` [-] of the weather years (e.g. :func:`weather_year_shape`; any
        positive scale, usually mean 1), one hour per value.
    peak_mw : float
        50/50 forecast peak [MW].
    energy_mwh_per_year : float
        Forecast annual energy [MWh] (1 h per value).

    Returns
    -------
    list of numpy.ndarray
        Hourly load [MW] of each weather year, in the order of ``shapes``.

    Raises
    ------
    InputError
        When the map would make any hour's load <= 0, or the targets cannot be met with
        ``b > 0`` (see :func:`forecast_map`).

    Examples
    --------
    >>> s1, s2 = np.array([1.0, 3.0]), np.array([1.0, 1.0])   # peaks 3 and 1: median 2
    >>> [x.tolist() for x in scale_to_forecast([s1, s2], peak_mw=20.0, energy_mwh_per_year=30.0)]
    [[10.0, 30.0], [10.0, 10.0]]
    """
    a, b = forecast_map(shapes, peak_mw, energy_mwh_per_year)
    return [a + b * np.asarray(s, dtype=float) for s in shapes]


# --- describing a weather year -------------------------------------------------------------------
def _sunday_on_or_after(day: np.datetime64) -> np.datetime64:
    wd = (int(day.astype("datetime64[D]").astype(np.int64)) + 3) % 7  # Monday 0 (1970-01-01 was a Thursday)
    return day + np.timedelta64((6 - wd) % 7, "D")


def _dst_utc(year: int) -> tuple[np.datetime64, np.datetime64]:
    """UTC start and end of US Eastern daylight time in ``year`` (02:00 local both times)."""
    if year >= 2007:  # Energy Policy Act of 2005: second Sunday of March - first Sunday of November
        start = _sunday_on_or_after(np.datetime64(f"{year}-03-01")) + np.timedelta64(7, "D")
        end = _sunday_on_or_after(np.datetime64(f"{year}-11-01"))
    elif year >= 1987:  # first Sunday of April - last Sunday of October
        start = _sunday_on_or_after(np.datetime64(f"{year}-04-01"))
        end = _sunday_on_or_after(np.datetime64(f"{year}-10-25"))
    else:
        raise InputError(f"year: expected 1987 or later for US Eastern daylight time, got {year}")
    h = np.timedelta64(1, "h")
    return start.astype("datetime64[h]") + 7 * h, end.astype("datetime64[h]") + 6 * h


def utc_time(year: int) -> np.ndarray:
    """UTC start of each hour of the 8760-hour axis of ``year`` (numpy ``datetime64[h]``)."""
    year = int(year)
    t0 = np.datetime64(f"{year}-01-01T05", "h")
    n = int((np.datetime64(f"{year + 1}-01-01T05", "h") - t0).astype(np.int64))
    t = t0 + np.arange(n).astype("timedelta64[h]")
    if n == HOURS + 24:
        feb29 = np.datetime64(f"{year}-02-29T05", "h")
        t = t[(t < feb29) | (t >= feb29 + np.timedelta64(24, "h"))]
    return t


def local_time(year: int) -> np.ndarray:
    """Eastern prevailing (wall-clock) time of the start of each hour of the axis of ``year``.

    EST = UTC - 5 h, EDT = UTC - 4 h (US rules since 2007, 1987-2006 rules before).

    Returns
    -------
    numpy.ndarray of datetime64[h]
        (8760,); on the fall-back day one local hour appears twice, on the spring-forward day
        one is absent.
    """
    t = utc_time(year)
    start, end = _dst_utc(int(year))
    dst = (t >= start) & (t < end)
    return t - np.timedelta64(5, "h") + dst.astype(np.int64).astype("timedelta64[h]")


def load_stats(load_mw, start_year: int) -> dict:
    """Peak, energy and load-duration figures of one weather year's hourly load.

    Parameters
    ----------
    load_mw : array_like
        (8760,) hourly load [MW] on the axis of the module docstring (hour 0 = Jan 1 00:00 EST).
    start_year : int
        Calendar year of hour 0 (fixes the local clock, daylight time and months).

    Returns
    -------
    dict
        ``peak_mw`` [MW]; ``peak_month`` (1-12) and ``peak_hour`` (0-23, EPT hour beginning) of the
        peak hour; ``peak_time`` ("YYYY-MM-DD HH:00" EPT); ``energy_mwh`` [MWh]; ``load_factor``
        (mean / peak); ``ldc_10``, ``ldc_100``, ``ldc_500``: the 10th, 100th and 500th highest
        hour as a fraction of the peak; ``winter_peak_mw`` [MW], ``winter_peak_month``,
        ``winter_peak_hour`` (EPT) and ``winter_peak_time`` of the highest hour in Dec, Jan and Feb
        (local months of ``start_year``).

    Raises
    ------
    InputError
        ``load_mw`` is not 8760 finite values with a positive peak.
    """
    x = np.asarray(load_mw, dtype=float)
    if x.shape != (HOURS,) or not np.isfinite(x).all() or not x.max() > 0:
        raise InputError(f"load_mw: expected {HOURS} finite hourly values [MW] with a positive peak, "
                         f"got shape {x.shape}")
    local = local_time(start_year)
    month = local.astype("datetime64[M]").astype(np.int64) % 12 + 1
    hour = local.astype(np.int64) % 24

    def when(i):
        return int(month[i]), int(hour[i]), str(local[i]).replace("T", " ") + ":00"

    i = int(np.argmax(x))
    winter = np.isin(month, WINTER_MONTHS)
    iw = int(np.flatnonzero(winter)[np.argmax(x[winter])])
    ldc = np.sort(x)[::-1]
    peak = float(x[i])
    pm, ph, pt = when(i)
    wm, wh, wt = when(iw)
    return {
        "peak_mw": peak, "peak_month": pm, "peak_hour": ph, "peak_time": pt,
        "energy_mwh": float(x.sum()), "load_factor": float(x.mean() / peak),
        "ldc_10": float(ldc[9] / peak), "ldc_100": float(ldc[99] / peak), "ldc_500": float(ldc[499] / peak),
        "winter_peak_mw": float(x[iw]), "winter_peak_month": wm, "winter_peak_hour": wh, "winter_peak_time": wt,
    }


__all__ = ["HOURS", "WEATHER_YEARS", "ZONAL_SHARE_OF_RTO", "ZONAL_TO_RTO", "weather_year_shape", "dom_share",
           "dom_weather_share", "dom_energy_share", "dom_reference_share", "ZONE_REFERENCE_YEAR",
           "zone_names", "zone_energy_share", "zone_reference_share", "zone_weather_share", "observed",
           "forecast_map", "scale_to_forecast", "load_stats", "local_time", "utc_time"]
