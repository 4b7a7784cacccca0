"""Duke headroom from EIA-930 files: join, clean, calendar, solve.

The bridge between the cleaning (:mod:`gigawatt.cleaning`) and the numpy core
(:mod:`gigawatt.duke.method`); the files are read by :func:`gigawatt.io.demand.load_demand`.

Time convention. Seasons and years are taken in **UTC** by default, as the Duke
study did: it used EIA-930 hourly data, whose timestamps are UTC (Norris et al.
2025, NI R 25-01, data section). An hour belongs to the month and year of its UTC
start. ``tz="America/New_York"`` (or any IANA zone) takes them in local time
instead; for PJM the difference is 4-5 hours at the season and year boundaries
and changes the headroom by well under 1 % (see ``docs/headroom_duke.md``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gigawatt.cleaning import CleaningRules, clean_hourly, empty_audit
from gigawatt.errors import InputError
from gigawatt.duke.method import STUDY_LIMITS, duke_headroom

#: Demand columns a user may ask for, in the order ``"auto"`` tries them.
DEMAND_CHOICES = {
    "cleaned": "demand_cleaned_mw",
    "adjusted": "demand_adjusted_mw",
    "raw": "demand_mw",
}


def study_index(first_year: int, last_year: int, tz: str = "UTC") -> pd.DatetimeIndex:
    """Hourly UTC hour-beginning stamps covering calendar years ``first_year..last_year`` in ``tz``."""
    if last_year < first_year:
        raise InputError(f"years {first_year}-{last_year}: the last year is before the first")
    start = pd.Timestamp(f"{first_year}-01-01", tz=tz).tz_convert("UTC")
    stop = pd.Timestamp(f"{last_year + 1}-01-01", tz=tz).tz_convert("UTC")
    return pd.date_range(start, stop, freq="h", inclusive="left", name="time_utc")


def pick_demand(data: pd.DataFrame, demand: str = "auto") -> str:
    """Name of the demand column to use from a reader's frame.

    ``"auto"`` takes the file's own cleaned column if it has one, else EIA's
    adjusted demand if it has any value, else the raw demand.
    """
    if demand == "auto":
        for col in DEMAND_CHOICES.values():
            if col in data.columns and data[col].notna().any():
                return col
        raise InputError("the file has no demand values")
    if demand not in DEMAND_CHOICES:
        raise InputError(f"demand column must be one of auto, {', '.join(DEMAND_CHOICES)}; got {demand!r}")
    col = DEMAND_CHOICES[demand]
    if col not in data.columns:
        raise InputError(f"the file has no {demand} demand column ({col}); columns: {list(data.columns)}")
    return col


def join_series(series_list) -> pd.Series:
    """Join hourly series in time; where spans overlap, the later series wins.

    The later series replaces every hour of the earlier ones inside its own
    ``[first, last]`` span (including its missing values, which cleaning then
    repairs), so that sources are never mixed hour by hour.
    """
    out = None
    for s in series_list:
        s = s.sort_index(kind="stable")
        if out is None:
            out = s
            continue
        keep = (out.index < s.index[0]) | (out.index > s.index[-1])
        out = pd.concat([out[keep], s]).sort_index(kind="stable")
    if out is None:
        raise InputError("no demand series to join")
    return out


def study_demand(series, screens, ba: str, *, first_year: int, last_year: int, tz: str = "UTC",
                 rules: CleaningRules = CleaningRules()):
    """Join the demand series of several sources and clean them over the study years.

    Parameters
    ----------
    series : list of pandas.Series
        Hourly demand [MW] of each source, UTC hour-beginning index, in reading order (a
        later source wins where spans overlap, see :func:`join_series`).
    screens : list of pandas.Series of bool
        Per source and hour, whether cleaning screens the value (a file's own cleaned
        column is not screened again: only its gaps are filled).
    ba : str
        Balancing-authority code (for messages).
    first_year, last_year, tz, rules
        As in :func:`gigawatt.io.demand.load_demand`.

    Returns
    -------
    demand_mw : pandas.Series
        Hourly demand [MW] on :func:`study_index`.
    audit : pandas.DataFrame
        The cleaning audit (see :func:`gigawatt.cleaning.clean_hourly`).
    """
    joined = join_series(series)
    screen = join_series([x.astype(float) for x in screens]).astype(bool)
    idx = study_index(first_year, last_year, tz)
    if joined.index[-1] < idx[0] or joined.index[0] > idx[-1]:
        raise InputError(
            f"{ba}: the files cover {joined.index[0]} .. {joined.index[-1]}, outside the study years "
            f"{first_year}-{last_year}"
        )
    cleaned, audit = clean_hourly(joined, index=idx, rules=rules, screen=screen)
    return cleaned, audit if len(audit) else empty_audit()


def calendar(index: pd.DatetimeIndex, tz: str = "UTC"):
    """Month (1-12) and calendar year of each hour start, in time zone ``tz``."""
    local = index.tz_convert(tz)
    return np.asarray(local.month, dtype=np.int64), np.asarray(local.year, dtype=np.int64)


def headroom_from_series(demand_mw: pd.Series, *, first_year: int, last_year: int, tz: str = "UTC",
                         limits=STUDY_LIMITS, extend_to_season: bool = True) -> dict:
    """Duke headroom of an hourly demand series (see :func:`gigawatt.duke.method.duke_headroom`).

    Parameters
    ----------
    demand_mw : pandas.Series
        Hourly demand [MW] indexed by UTC hour-beginning stamps, complete over the study years.
    first_year, last_year : int
        Study years (inclusive) in ``tz``.
    tz : str
        Calendar time zone.
    limits : sequence of float
        Curtailment-rate limits [fraction].
    extend_to_season : bool
        See :func:`gigawatt.duke.method.seasonal_thresholds`.
    """
    idx = study_index(first_year, last_year, tz)
    s = demand_mw.reindex(idx)
    if s.isna().any():
        t = s.index[s.isna().to_numpy()][0]
        raise InputError(f"demand has no value at {t} (UTC hour beginning) inside the study years")
    month, year = calendar(idx, tz)
    return duke_headroom(s.to_numpy(dtype=float), month, year - first_year, last_year - first_year + 1,
                         limits, extend_to_season=extend_to_season)


def rate_curve(demand_mw: pd.Series, loads_mw, *, first_year: int, last_year: int, tz: str = "UTC",
               extend_to_season: bool = True) -> np.ndarray:
    """Mean curtailment rate [fraction] at each new load in ``loads_mw`` [MW] (for plots)."""
    from gigawatt.duke.method import curtailment_rate, prepare_curve

    idx = study_index(first_year, last_year, tz)
    month, year = calendar(idx, tz)
    curve, _ = prepare_curve(demand_mw.reindex(idx).to_numpy(dtype=float), month, year - first_year,
                             last_year - first_year + 1, extend_to_season=extend_to_season)
    return np.array([curtailment_rate(curve, L) for L in np.asarray(loads_mw, dtype=float)])
