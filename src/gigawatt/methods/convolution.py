"""Exact adequacy by convolution: the capacity outage probability table (COPT).

For a single region without storage, the available capacity in a period is the sum of
independent two-state units, so its distribution is the convolution of the units'
two-point distributions (Billinton and Allan, *Reliability Evaluation of Power
Systems*, 2nd ed., Plenum 1996, ch. 2). LOLP, expected unserved energy and the
daily-peak LOLE then follow exactly. Each unit is unavailable with probability
``lambda / (lambda + mu)`` of the period (its steady state), as in PRAS's
``Convolution`` method.

Event-day LOLE (days with any short period) depends on chronology and is not
available from a COPT; it is reported as NaN.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import reduce

import numpy as np
from gigawatt.errors import InputError
from gigawatt.system import SystemModel


@dataclass(frozen=True)
class Convolution:
    """Exact COPT method for single-region systems without storage.

    Parameters
    ----------
    resolution_mw : float, optional
        Capacity grid [MW]. Default: the greatest common divisor of the unit
        capacities when they are whole MW (then the result is exact).
    day_utc_offset_h : float, optional
        Offset from UTC of the clock that defines days for the daily-peak LOLE [h]; default: the
        system's own (``system.timeaxis.day_utc_offset_h``).
    """

    resolution_mw: float | None = None
    day_utc_offset_h: float | None = None


def outage_table(capacity_mw, forced_outage_rate, resolution_mw):
    """Probability of each available-capacity level (COPT).

    Parameters
    ----------
    capacity_mw, forced_outage_rate : arrays (n,)
    resolution_mw : float

    Returns
    -------
    levels_mw : (K,) available capacity levels [MW]
    prob : (K,) probability of each level
    """
    cap = np.rint(np.asarray(capacity_mw, float) / resolution_mw).astype(np.int64)
    pmf = _convolve_units(np.ones(1), cap, np.asarray(forced_outage_rate, float))
    return np.arange(pmf.size) * resolution_mw, pmf


def _convolve_units(pmf, cap, q):
    """Add independent two-state units (``cap`` grid steps, unavailable with probability ``q``)
    to the distribution ``pmf`` over capacity levels 0, 1, 2, ... grid steps."""
    top = pmf.size - 1
    out = np.zeros(top + int(cap[cap > 0].sum()) + 1)
    out[: top + 1] = pmf
    for c, qi in zip(cap, q):
        if c <= 0:
            continue
        new = out[: top + c + 1] * 0.0
        new[: top + 1] += out[: top + 1] * qi
        new[c: c + top + 1] += out[: top + 1] * (1.0 - qi)
        top += c
        out[: top + 1] = new
    return out[: top + 1]


def _resolution(system: SystemModel, res):
    if res is not None:
        if not res > 0:
            raise InputError(f"resolution_mw: expected a positive number, got {res!r}")
        return float(res)
    cap = system.generators.capacity_mw
    if np.all(np.abs(cap - np.rint(cap)) < 1e-9):
        vals = np.unique(np.rint(cap).astype(np.int64))
        vals = vals[vals > 0]
        return float(reduce(math.gcd, vals.tolist(), 0)) if vals.size else 1.0
    raise InputError("resolution_mw: capacities are not whole MW; give a capacity grid resolution")


@dataclass(frozen=True)
class ExactShortfall:
    """What the convolution computes, period by period (exact; no sampling error).

    The result spec :class:`~gigawatt.results.specs.Shortfall` turns it into a
    :class:`~gigawatt.results.specs.ShortfallResult` (``Shortfall().finalize_exact``).

    Attributes
    ----------
    lolp : (T,) probability that the period is short [-]
    eue_mwh : (T,) expected unserved energy of the period [MWh]
    peak_lolp_d : expected days whose daily-peak-load period is short [d]
    """

    lolp: np.ndarray
    eue_mwh: np.ndarray
    peak_lolp_d: float


def convolve(system: SystemModel, method: Convolution) -> ExactShortfall:
    """Exact per-period shortfall probabilities and energies of ``system`` (one region, no storage)."""
    if len(system.regions) != 1:
        raise InputError(f"Convolution: needs a single-region system, got {len(system.regions)} regions")
    if len(system.storages) or len(system.generatorstorages):
        raise InputError("Convolution: the system has storage; use SequentialMonteCarlo")
    if system.load_forecast_sd > 0:
        raise InputError("Convolution: the system has load forecast uncertainty (load_forecast_sd > 0); "
                         "use SequentialMonteCarlo")
    res = _resolution(system, method.resolution_mw)
    gens = system.generators
    lam, mu, cap = gens.failure_prob, gens.repair_prob, gens.capacity_mw
    with np.errstate(invalid="ignore", divide="ignore"):
        forr = np.where(lam + mu > 0, lam / (lam + mu), 0.0)
    load = system.regions.load_mw[0]
    T = system.n_periods
    dt = system.timeaxis.step_h
    lolp = np.zeros(T)
    eue = np.zeros(T)
    # Units whose capacity and outage rate never change are convolved once; a unit that is
    # never on outage (or never available) in a period only shifts (or leaves) the table; the
    # rest are added to the shared table once per distinct combination of their values.
    capi = np.rint(cap / res).astype(np.int64)
    random = (forr > 0.0) & (forr < 1.0) & (capi > 0)
    shift = np.where((forr <= 0.0) & (capi > 0), capi, 0).sum(axis=0)  # always available [steps]
    fixed = np.all(capi == capi[:, :1], axis=1) & np.all(forr == forr[:, :1], axis=1) & np.all(random, axis=1)
    base = _convolve_units(np.ones(1), capi[fixed, 0], forr[fixed, 0])
    vary = ~fixed
    key_cols = np.vstack([np.where(random[vary], capi[vary], 0), np.where(random[vary], forr[vary], 0.0)])
    _, first, inverse = np.unique(key_cols.T, axis=0, return_index=True, return_inverse=True)
    inverse = np.asarray(inverse).reshape(-1)
    order = np.argsort(inverse, kind="stable")
    bounds = np.r_[0, np.cumsum(np.bincount(inverse, minlength=len(first)))]
    for j, t0 in enumerate(first):
        units = vary & random[:, t0]
        prob = _convolve_units(base, capi[units, t0], forr[units, t0])
        steps = np.arange(prob.size)
        cdf = np.cumsum(prob)
        partial = np.cumsum(prob * steps)
        ts = order[bounds[j]:bounds[j + 1]]
        # P(A < L): levels (steps + shift) * res strictly below the load
        k = np.searchsorted(steps * res, load[ts] - shift[ts] * res, side="left")  # first level >= load
        below = np.where(k > 0, cdf[np.maximum(k - 1, 0)], 0.0)
        below_mean = np.where(k > 0, partial[np.maximum(k - 1, 0)], 0.0) * res + below * shift[ts] * res
        lolp[ts] = below
        eue[ts] = (load[ts] * below - below_mean) * dt
    day = system.timeaxis.day_index(method.day_utc_offset_h)  # None: the system's own clock
    starts = np.flatnonzero(np.r_[True, day[1:] != day[:-1]])
    ends = np.r_[starts[1:], T]
    peak_lolp = sum(lolp[a + int(np.argmax(load[a:b]))] for a, b in zip(starts, ends))
    return ExactShortfall(lolp=lolp, eue_mwh=eue, peak_lolp_d=peak_lolp)


__all__ = ["Convolution", "ExactShortfall", "convolve", "outage_table"]
