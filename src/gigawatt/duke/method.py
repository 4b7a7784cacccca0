"""Curtailment-enabled headroom, the method of the Duke Nicholas Institute study.

Reference: T. H. Norris, T. Profeta, D. Patino-Echeverri, A. Cowie-Haskell,
"Rethinking Load Growth: Assessing the Potential for Integration of Large Flexible
Loads in US Power Systems", Nicholas Institute for Energy, Environment & Sustainability,
Duke University, NI R 25-01, February 2025 (method summarised in
sources.md F3).

Method. A constant new load ``L`` [MW] is added to every hour of a balancing
authority's historical demand ``d_t``. Each hour has a threshold ``T_t``: the summer
threshold (maximum hourly demand over all June-August hours of the study years)
applies April-October, the winter threshold (maximum over December-February) applies
November-March. The curtailment in hour ``t`` is ``c_t = max(0, d_t + L - T_t)`` [MW];
a year's curtailment rate is ``sum_t c_t / (L * 8760)`` (8760 even in leap years);
the study's rate is the mean of the yearly rates. The headroom at a limit ``r`` is
the ``L`` at which that mean equals ``r``, found by root finding (``scipy.optimize.brentq``).

Where an hour inside an applied season exceeds its window's peak (the report notes
"a few BAs whose seasonal peak fell just outside the window"), the study uses that
peak; :func:`seasonal_thresholds` does the same by default (``extend_to_season=True``),
which also guarantees ``c_t = 0`` at ``L = 0``.

Implementation. With ``h_t = T_t - d_t`` (the hour's spare room), a year's curtailed
energy is ``C(L) = sum_{h_t < L} (L - h_t)``; with the ``h_t`` of each year sorted
once and cumulated, ``C(L) = k L - S_k`` (``k`` = number of hours with ``h_t < L``,
``S_k`` their sum) costs one binary search per year, so a root find is microseconds.
``C(L) / L`` is non-decreasing when every ``h_t >= 0`` (``C`` convex, ``C(0) = 0``),
so the root is unique. Everything here is plain numpy on arrays; calendars (month,
year of each hour) are computed by the caller, see :mod:`gigawatt.duke.study`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import brentq

from gigawatt.errors import InputError

#: Divisor of the yearly curtailment rate [h]: "8760 even in leap years" (Norris et al. 2025).
HOURS_PER_YEAR = 8760.0
#: Months whose peak sets the summer threshold (Jun-Aug) and months it applies to (Apr-Oct).
SUMMER_WINDOW_MONTHS = (6, 7, 8)
SUMMER_APPLIED_MONTHS = (4, 5, 6, 7, 8, 9, 10)
#: Months whose peak sets the winter threshold (Dec-Feb) and months it applies to (Nov-Mar).
WINTER_WINDOW_MONTHS = (12, 1, 2)
WINTER_APPLIED_MONTHS = (11, 12, 1, 2, 3)
#: Curtailment-rate limits of the study [fraction]: 0.25 %, 0.5 %, 1 %, 5 %.
STUDY_LIMITS = (0.0025, 0.005, 0.01, 0.05)
#: Retained-load levels reported by the study [fraction of the new load].
RETAINED_LEVELS = (0.5, 0.75, 0.9)


def seasonal_thresholds(demand_mw, month, *, extend_to_season: bool = True):
    """Summer and winter thresholds of the Duke method.

    Parameters
    ----------
    demand_mw : array_like, shape (T,)
        Hourly demand over all study years [MW].
    month : array_like of int, shape (T,)
        Calendar month (1-12) of each hour.
    extend_to_season : bool
        Raise a threshold to the highest demand of the months it applies to, where
        that is higher than the window peak (the study's treatment of BAs whose
        seasonal peak fell just outside the window).

    Returns
    -------
    summer_mw, winter_mw : float
        Thresholds [MW].
    extended : dict
        ``{"summer": bool, "winter": bool}``: whether a threshold was raised.
    """
    d = np.asarray(demand_mw, dtype=float)
    m = np.asarray(month)
    out = []
    extended = {}
    for name, window, applied in (("summer", SUMMER_WINDOW_MONTHS, SUMMER_APPLIED_MONTHS),
                                  ("winter", WINTER_WINDOW_MONTHS, WINTER_APPLIED_MONTHS)):
        w = np.isin(m, window)
        if not w.any():
            raise InputError(f"no {name} hours (months {window}) in the demand series")
        thr = float(d[w].max())
        a = np.isin(m, applied)
        season_peak = float(d[a].max())
        extended[name] = bool(extend_to_season and season_peak > thr)
        out.append(max(thr, season_peak) if extend_to_season else thr)
    return out[0], out[1], extended


def hourly_thresholds(month, summer_mw: float, winter_mw: float) -> np.ndarray:
    """Threshold of each hour [MW]: summer Apr-Oct, winter Nov-Mar."""
    return np.where(np.isin(np.asarray(month), SUMMER_APPLIED_MONTHS), summer_mw, winter_mw)


@dataclass(frozen=True)
class DukeCurve:
    """Spare room of one demand series, prepared for fast curtailment-rate evaluation.

    Build it with :func:`prepare_curve`.

    Attributes
    ----------
    room_mw : numpy.ndarray, shape (T,)
        ``h_t = threshold - demand`` in time order [MW].
    year_index : numpy.ndarray of int, shape (T,)
        0-based study year of each hour.
    winter : numpy.ndarray of bool, shape (T,)
        Hour lies in the winter season (Nov-Mar).
    n_years : int
        Number of study years.
    sorted_room : list of numpy.ndarray
        Per year, ``h_t`` sorted ascending [MW].
    cum_room : list of numpy.ndarray
        Per year, ``[0, cumsum(sorted_room)]`` [MW].
    """

    room_mw: np.ndarray
    year_index: np.ndarray
    winter: np.ndarray
    n_years: int
    sorted_room: list = field(repr=False)
    cum_room: list = field(repr=False)


def prepare_curve(demand_mw, month, year_index, n_years: int, *, extend_to_season: bool = True):
    """Thresholds and sorted spare room of a demand series.

    Parameters
    ----------
    demand_mw : array_like, shape (T,)
        Hourly demand [MW], complete (no NaN), in time order.
    month : array_like of int, shape (T,)
        Calendar month of each hour (1-12).
    year_index : array_like of int, shape (T,)
        0-based study year of each hour (0 .. n_years - 1).
    n_years : int
        Number of study years; every one must have hours.
    extend_to_season : bool
        See :func:`seasonal_thresholds`.

    Returns
    -------
    curve : DukeCurve
    info : dict
        ``summer_threshold_mw``, ``winter_threshold_mw``, ``threshold_extended``.
    """
    d = np.asarray(demand_mw, dtype=float)
    m = np.asarray(month, dtype=np.int64)
    y = np.asarray(year_index, dtype=np.int64)
    if not (d.shape == m.shape == y.shape) or d.ndim != 1:
        raise InputError("demand_mw, month and year_index must be 1-D arrays of the same length")
    if not np.isfinite(d).all():
        raise InputError("demand_mw has NaN or infinite values; clean the series first")
    if n_years < 1 or y.min() < 0 or y.max() >= n_years:
        raise InputError(f"year_index must lie in 0..{n_years - 1}")
    counts = np.bincount(y, minlength=n_years)
    if (counts == 0).any():
        raise InputError(f"study year {int(np.flatnonzero(counts == 0)[0])} has no hours")
    summer, winter, extended = seasonal_thresholds(d, m, extend_to_season=extend_to_season)
    room = hourly_thresholds(m, summer, winter) - d
    sorted_room, cum_room = [], []
    for k in range(n_years):
        s = np.sort(room[y == k])
        sorted_room.append(s)
        cum_room.append(np.concatenate([[0.0], np.cumsum(s)]))
    curve = DukeCurve(room, y, np.isin(m, WINTER_APPLIED_MONTHS), int(n_years), sorted_room, cum_room)
    info = {"summer_threshold_mw": summer, "winter_threshold_mw": winter, "threshold_extended": extended}
    return curve, info


def curtailment_rate(curve: DukeCurve, load_mw: float) -> float:
    """Mean over the study years of the yearly curtailment rate at new load ``load_mw``.

    Parameters
    ----------
    curve : DukeCurve
    load_mw : float
        Constant new load [MW], > 0.

    Returns
    -------
    float
        ``mean_y sum_t max(0, L - h_t) / (L * 8760)`` [fraction].
    """
    L = float(load_mw)
    if not L > 0:
        raise InputError(f"load_mw must be > 0, got {load_mw}")
    total = 0.0
    for s, c in zip(curve.sorted_room, curve.cum_room, strict=True):
        k = int(np.searchsorted(s, L, side="left"))
        total += k * L - c[k]
    return total / (L * HOURS_PER_YEAR * curve.n_years)


def solve_headroom(curve: DukeCurve, limit: float, *, xtol_mw: float = 1e-3) -> float:
    """New load [MW] at which the mean curtailment rate equals ``limit``.

    Parameters
    ----------
    curve : DukeCurve
    limit : float
        Curtailment-rate limit [fraction], 0 < limit < 1 (0.005 for 0.5 %).
    xtol_mw : float
        Absolute tolerance of the root [MW].

    Returns
    -------
    float
        Headroom [MW].
    """
    if not 0 < limit < 1:
        raise InputError(f"curtailment limit must be a fraction in (0, 1), got {limit}")
    sup = float(np.mean([len(s) for s in curve.sorted_room])) / HOURS_PER_YEAR
    if limit >= sup:
        raise InputError(f"curtailment limit {limit} is not reached for any new load (the rate tends to "
                         f"{sup:.4g} as the load grows: hours per year / 8760)")
    lo = max(float(min(s[0] for s in curve.sorted_room)), 0.0)
    if curtailment_rate(curve, max(lo, xtol_mw)) >= limit:
        # with every h_t >= 0 this only happens for limits below 1/(8760 * n_years)
        return max(lo, 0.0)
    lo = max(lo, xtol_mw)
    hi = max(float(max(s[-1] for s in curve.sorted_room)), 1.0)
    while curtailment_rate(curve, hi) < limit:
        hi *= 2.0
        if hi > 1e15:  # pragma: no cover - the rate tends to `sup` > limit
            raise InputError(f"curtailment limit {limit} is not reached for any new load")
    return float(brentq(lambda L: curtailment_rate(curve, L) - limit, lo, hi, xtol=xtol_mw))


def curtailment_stats(curve: DukeCurve, load_mw: float) -> dict:
    """Hour-level statistics of curtailment at new load ``load_mw``.

    Parameters
    ----------
    curve : DukeCurve
    load_mw : float
        Constant new load [MW].

    Returns
    -------
    dict
        ``curtailment_rate`` [fraction]; ``curtailed_hours_per_year`` [h/yr];
        ``curtailed_hours_per_year_winter`` / ``_summer`` [h/yr];
        ``curtailed_energy_mwh_per_year`` [MWh/yr]; ``max_curtailment_mw`` [MW];
        ``share_hours_retaining`` {"50","75","90"}: fraction of curtailed hours in which
        at least that percentage of the new load is served [fraction];
        ``events_per_year`` [1/yr] (an event is a run of consecutive curtailed hours);
        ``mean_event_duration_h`` [h].
    """
    L = float(load_mw)
    c = np.maximum(0.0, L - curve.room_mw)
    on = c > 0
    n_on = int(on.sum())
    ny = curve.n_years
    edges = np.diff(np.concatenate([[0], on.astype(np.int8), [0]]))
    n_events = int((edges == 1).sum())
    share = {}
    for p in RETAINED_LEVELS:
        kept = on & (c <= (1.0 - p) * L)
        share[f"{round(100 * p)}"] = float(kept.sum() / n_on) if n_on else 1.0
    return {
        "curtailment_rate": curtailment_rate(curve, L) if L > 0 else 0.0,
        "curtailed_hours_per_year": n_on / ny,
        "curtailed_hours_per_year_winter": float((on & curve.winter).sum()) / ny,
        "curtailed_hours_per_year_summer": float((on & ~curve.winter).sum()) / ny,
        "curtailed_energy_mwh_per_year": float(c.sum()) / ny,
        "max_curtailment_mw": float(c.max()) if c.size else 0.0,
        "share_hours_retaining": share,
        "events_per_year": n_events / ny,
        "mean_event_duration_h": n_on / n_events if n_events else 0.0,
    }


def duke_headroom(demand_mw, month, year_index, n_years: int, limits=STUDY_LIMITS, *,
                  extend_to_season: bool = True) -> dict:
    """Headroom and curtailment statistics at each limit for one demand series.

    Parameters
    ----------
    demand_mw, month, year_index, n_years, extend_to_season
        See :func:`prepare_curve`.
    limits : sequence of float
        Curtailment-rate limits [fraction].

    Returns
    -------
    dict
        ``summer_threshold_mw``, ``winter_threshold_mw``, ``threshold_extended`` and
        ``limits``: ``{limit: {"headroom_mw": .., **curtailment_stats}}``.
    """
    curve, info = prepare_curve(demand_mw, month, year_index, n_years, extend_to_season=extend_to_season)
    res = {}
    for r in limits:
        L = solve_headroom(curve, float(r))
        res[float(r)] = {"headroom_mw": L, **curtailment_stats(curve, L)}
    return {**info, "limits": res}
