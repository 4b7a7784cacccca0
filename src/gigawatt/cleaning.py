"""Cleaning of hourly series with an audit trail.

Pure functions (no file access). :func:`clean_hourly` detects and repairs, by the
documented rules below, the defects found in public hourly demand data, and
returns every change in an audit table the user can inspect. Nothing is repaired
silently: each repaired or dropped value is one row of the audit.

Rules, applied in this order (``rule`` column of the audit):

``duplicate_hour``
    A timestamp that appears more than once: the first row (in file order) is kept,
    the others dropped. (PJM's fall-back hour is resolved by the reader before this,
    see :func:`gigawatt.io.pjm.read_pjm_hourly`.)
``missing_hour``
    An hour absent from the file inside the requested period.
``missing_value``
    A blank / ``MISSING`` / ``EMPTY`` cell (NaN after reading).
``nonpositive``
    A value <= ``min_valid_mw`` (default 0): a balancing authority's demand is never
    zero; EIA-930 zeros are reporting gaps (Ruggles et al. 2020, section "Anomaly
    screening", https://doi.org/10.1038/s41597-020-0483-x).
``stuck``
    A run of ``stuck_run_h`` or more identical consecutive values (a frozen meter or
    a repeated last value): all but the first value of the run. Demand of a
    balancing authority varies every hour; Ruggles et al. (2020) screen such runs
    with their "identical run" filter (https://doi.org/10.1038/s41597-020-0483-x). The
    default run length 4 flags no hour of the 22 cleaned study series (3 would flag
    two plausible repeats in PACW and PJM-AE).
``spike``
    A reporting spike or dip, by either of two robust tests:
    (a) the value is more than ``spike_rel`` (default 30 %) away from the centred
    rolling median of ``spike_window_h`` (default 7) hours, so runs of up to 3 bad
    hours are caught; (b) the value jumps away from *both* neighbours in the same
    direction by more than ``jump_rel`` (default 15 %) of itself (an isolated spike
    such as PJM's 176,085 MW between 139,527 and 141,853 MW on 2020-07-29).
    Hour-to-hour demand of a balancing authority moves a few percent. On the 57
    series cleaned by Ruggles et al. (2020) (MICE imputation, both releases, about
    2.2 million hours) the defaults flag 64 hours, mostly isolated jumps in small
    BAs (FPL 39, SRP 8, AZPS 5, PACE 6) and dips the MICE screen kept (SOCO 27,405 MW
    between 37,670 and 37,647 MW on 2018-06-20 20:00 UTC); they catch every gross
    error in the raw 2020-2024 ISO totals    (e.g. 2,147,480,000 MW in PJM). A file's own cleaned column is not screened
    again (``screen`` argument of :func:`clean_hourly`).

All flagged and missing values are then filled by linear interpolation in time
between the nearest valid hours (the Duke study "interpolate[s] missing/zero
values", Norris et al. 2025, NI R 25-01, appendix); hours before the first or after
the last valid value take that value (``edge_hold``). A gap longer than
``max_fill_h`` hours is not filled: it raises :class:`gigawatt.errors.InputError`
naming the period, because interpolating over it would invent data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gigawatt.errors import InputError

#: Audit table columns.
AUDIT_COLUMNS = ["time_utc", "original_mw", "new_mw", "rule", "reason"]


@dataclass(frozen=True)
class CleaningRules:
    """Parameters of :func:`clean_hourly` (see the module docstring for the rules).

    Parameters
    ----------
    enabled : bool
        ``False`` turns every repair off: the series is checked and returned as is,
        and :func:`clean_hourly` raises if it has gaps or missing values.
    min_valid_mw : float
        Values <= this are treated as missing [MW].
    stuck_run_h : int
        Shortest run of identical consecutive values flagged as stuck [h]; 0 turns
        the rule off.
    spike_rel : float
        Largest allowed deviation from the rolling median, as a fraction of it [-]
        (``inf`` turns the test off).
    spike_window_h : int
        Window of the centred rolling median [h] (odd).
    jump_rel : float
        Largest allowed same-direction jump from both neighbours, as a fraction of
        the value [-] (``inf`` turns the test off).
    max_fill_h : int
        Longest gap that is filled [h].
    """

    enabled: bool = True
    min_valid_mw: float = 0.0
    stuck_run_h: int = 4
    spike_rel: float = 0.3
    spike_window_h: int = 7
    jump_rel: float = 0.15
    max_fill_h: int = 168


def empty_audit() -> pd.DataFrame:
    """An audit table with no rows (and the right columns and dtypes)."""
    return pd.DataFrame(
        {
            "time_utc": pd.DatetimeIndex([], tz="UTC"),
            "original_mw": np.array([], dtype=float),
            "new_mw": np.array([], dtype=float),
            "rule": np.array([], dtype=object),
            "reason": np.array([], dtype=object),
        }
    )


def _audit(times, original, new, rule, reason) -> pd.DataFrame:
    n = len(times)
    return pd.DataFrame(
        {
            "time_utc": pd.DatetimeIndex(times),
            "original_mw": np.asarray(original, dtype=float).reshape(n),
            "new_mw": np.asarray(new, dtype=float).reshape(n),
            "rule": np.array([rule] * n, dtype=object),
            "reason": np.asarray(reason, dtype=object).reshape(n) if not isinstance(reason, str)
            else np.array([reason] * n, dtype=object),
        }
    )


def detect_spikes(values_mw: np.ndarray, rules: CleaningRules = CleaningRules()) -> np.ndarray:
    """Flag reporting spikes and dips (rule ``spike``) in an hourly series.

    Parameters
    ----------
    values_mw : numpy.ndarray
        Hourly values [MW], NaN where missing (ignored).
    rules : CleaningRules
        ``spike_rel``, ``spike_window_h``, ``jump_rel``.

    Returns
    -------
    numpy.ndarray of bool
        True where the value is a spike.
    """
    x = pd.Series(np.asarray(values_mw, dtype=float))
    m = x.rolling(rules.spike_window_h, center=True, min_periods=1).median()
    far = ((x - m).abs() > rules.spike_rel * m.abs()).to_numpy()
    prev, nxt = x.shift(1), x.shift(-1)
    up = np.minimum(x - prev, x - nxt)
    down = np.minimum(prev - x, nxt - x)
    jump = ((up > rules.jump_rel * x.abs()) | (down > rules.jump_rel * x.abs())).to_numpy()
    return (far | jump) & x.notna().to_numpy()


def detect_stuck(values_mw: np.ndarray, min_run_h: int = 4) -> np.ndarray:
    """Flag repeated values (rule ``stuck``).

    Parameters
    ----------
    values_mw : numpy.ndarray
        Hourly values [MW] (NaN never matches).
    min_run_h : int
        Shortest run of identical consecutive values that is flagged [h]; 0 = off.

    Returns
    -------
    numpy.ndarray of bool
        True for every value of such a run except its first.
    """
    x = np.asarray(values_mw, dtype=float)
    out = np.zeros(len(x), dtype=bool)
    if min_run_h <= 1 or len(x) < 2:
        return out
    same = np.concatenate([[False], x[1:] == x[:-1]])
    for start, stop in _runs(same):
        # same[start:stop] True: values start-1 .. stop-1 are identical (stop-start+1 values)
        if stop - start + 1 >= min_run_h:
            out[start:stop] = True
    return out


def clean_hourly(series: pd.Series, index: pd.DatetimeIndex | None = None,
                 rules: CleaningRules = CleaningRules(), screen: pd.Series | None = None, *,
                 source: str | None = None):
    """Detect and repair defects in an hourly series, recording every change.

    Parameters
    ----------
    series : pandas.Series
        Hourly values [MW] indexed by UTC hour-beginning timestamps (as the
        ``gigawatt.io`` readers return); may be unsorted, with duplicates and gaps.
    index : pandas.DatetimeIndex, optional
        The hours wanted (UTC, hourly, sorted). Default: every hour from the first
        to the last timestamp of ``series``.
    rules : CleaningRules
        Detection thresholds; ``CleaningRules(enabled=False)`` turns repairs off.
    screen : pandas.Series of bool, optional
        Same index as ``series``: False marks values already cleaned upstream (a
        file's own cleaned column), to which the ``nonpositive``, ``stuck`` and
        ``spike`` screens are not applied. Default: screen everything.
    source : str, optional
        The file the series comes from, named at the start of every error message.
        Default: ``series.attrs["source"]``, which the ``gigawatt.io`` readers set.

    Returns
    -------
    cleaned : pandas.Series
        Values [MW] on ``index``, no NaN.
    audit : pandas.DataFrame
        One row per dropped or repaired value: ``time_utc``, ``original_mw`` (NaN
        where there was none), ``new_mw`` (NaN for a dropped duplicate), ``rule``,
        ``reason``; sorted by time.

    Raises
    ------
    InputError
        Repairs are disabled and the series has gaps, duplicates or missing values;
        or a gap is longer than ``rules.max_fill_h``; or the series has no valid value.
    """
    if source is None:
        source = getattr(series, "attrs", {}).get("source")
    try:
        return _clean_hourly(series, index, rules, screen)
    except InputError as exc:
        if source:
            raise InputError(f"{source}: {exc}") from None
        raise


def _clean_hourly(series, index, rules, screen):
    s = pd.Series(np.asarray(series, dtype=float), index=pd.DatetimeIndex(series.index))
    if s.index.tz is None:
        raise InputError("clean_hourly: the series index must be time-zone aware (UTC)")
    scr = pd.Series(True if screen is None else np.asarray(screen, dtype=bool), index=s.index)
    order = np.argsort(s.index.to_numpy(), kind="stable")
    s, scr = s.iloc[order], scr.iloc[order]
    parts = []

    dup = s.index.duplicated(keep="first")
    if dup.any():
        kept = s[~dup]
        first = kept.reindex(s.index[dup]).to_numpy()
        parts.append(_audit(s.index[dup], s.to_numpy()[dup], first, "duplicate_hour",
                            "timestamp appears more than once; first row kept, this one dropped"))
        s = kept
        scr = scr[~dup]
    if index is None:
        if len(s) == 0:
            raise InputError("clean_hourly: empty series")
        index = pd.date_range(s.index[0], s.index[-1], freq="h", name="time_utc")
    else:
        index = pd.DatetimeIndex(index, name="time_utc")
    absent = ~index.isin(s.index)
    outside = ~s.index.isin(index)
    s = s[~outside].reindex(index)
    check = scr[~outside].reindex(index, fill_value=True).to_numpy(dtype=bool)
    x = s.to_numpy(dtype=float).copy()
    rule = np.full(len(x), "", dtype=object)
    rule[absent] = "missing_hour"
    rule[~absent & np.isnan(x)] = "missing_value"
    nonpos = check & ~np.isnan(x) & (x <= rules.min_valid_mw)
    rule[nonpos] = "nonpositive"
    stuck = check & detect_stuck(x, rules.stuck_run_h) & ~nonpos
    rule[stuck] = "stuck"
    x_valid = np.where(nonpos | stuck, np.nan, x)
    spikes = check & detect_spikes(x_valid, rules)
    rule[spikes] = "spike"
    bad = rule != ""

    if not rules.enabled:
        if dup.any() or bad.any():
            i = int(np.flatnonzero(bad)[0]) if bad.any() else 0
            what = rule[i] if bad.any() else "duplicate_hour"
            raise InputError(
                f"cleaning is off but the series has {int(bad.sum())} hours to repair and "
                f"{int(dup.sum())} duplicated hours (first: {what} at {index[i] if bad.any() else ''}); "
                "turn cleaning on or use the file's own cleaned column"
            )
        audit = empty_audit()
        return pd.Series(x, index=index, name=series.name), audit

    y = np.where(bad, np.nan, x)
    valid = ~np.isnan(y)
    if not valid.any():
        raise InputError("clean_hourly: the series has no valid value to interpolate from")
    # gap lengths
    runs = _runs(~valid)
    for start, stop in runs:
        if stop - start > rules.max_fill_h:
            raise InputError(
                f"gap of {stop - start} h from {index[start]} to {index[stop - 1]} (UTC hour beginning) is longer "
                f"than max_fill_h={rules.max_fill_h} h; it is not filled. Narrow the period or add data."
            )
    pos = np.arange(len(y))
    filled = np.interp(pos, pos[valid], y[valid])  # linear inside, nearest value at the edges
    first_valid, last_valid = pos[valid][0], pos[valid][-1]
    reasons = np.empty(len(y), dtype=object)
    for start, stop in runs:
        if start == 0 or stop == len(y):
            src = first_valid if start == 0 else last_valid
            txt = f"edge_hold: value of nearest valid hour {index[src]} held over {stop - start} h"
        else:
            txt = (f"linear interpolation over {stop - start} h between {index[start - 1]} "
                   f"({y[start - 1]:.6g}) and {index[stop]} ({y[stop]:.6g})")
        reasons[start:stop] = txt
    idx = np.flatnonzero(bad)
    for r in ("missing_hour", "missing_value", "nonpositive", "stuck", "spike"):
        sel = idx[rule[idx] == r]
        if sel.size:
            label = {"missing_hour": "hour absent from the file",
                     "missing_value": "blank/MISSING/EMPTY value",
                     "nonpositive": f"value <= {rules.min_valid_mw:g} MW",
                     "stuck": f"repeats the previous value ({rules.stuck_run_h}+ identical hours in a row)",
                     "spike": f"reporting spike/dip (> {rules.spike_rel:.0%} off the {rules.spike_window_h} h "
                              f"rolling median, or a > {rules.jump_rel:.0%} jump from both neighbours)"}[r]
            parts.append(_audit(index[sel], x[sel], filled[sel], r,
                                np.array([f"{label}; {reasons[i]}" for i in sel], dtype=object)))
    audit = pd.concat(parts, ignore_index=True) if parts else empty_audit()
    audit = audit.sort_values("time_utc", kind="stable").reset_index(drop=True)
    return pd.Series(filled, index=index, name=series.name), audit


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Half-open ``[start, stop)`` index ranges where ``mask`` is True."""
    m = np.concatenate([[False], np.asarray(mask, dtype=bool), [False]])
    d = np.diff(m.astype(np.int8))
    return list(zip(np.flatnonzero(d == 1).tolist(), np.flatnonzero(d == -1).tolist(), strict=True))


def audit_summary(audit: pd.DataFrame, n_hours: int) -> dict:
    """Counts of repaired values by rule.

    Parameters
    ----------
    audit : pandas.DataFrame
        As returned by :func:`clean_hourly`.
    n_hours : int
        Length of the cleaned series [h].

    Returns
    -------
    dict
        ``{"n_hours": .., "n_repaired": .., "fraction_repaired": .., "by_rule": {rule: count}}``.
    """
    by_rule = {str(k): int(v) for k, v in audit["rule"].value_counts().sort_index().items()}
    n_rep = int((audit["rule"] != "duplicate_hour").sum())
    return {
        "n_hours": int(n_hours),
        "n_repaired": n_rep,
        "fraction_repaired": n_rep / n_hours if n_hours else 0.0,
        "by_rule": by_rule,
    }
