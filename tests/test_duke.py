"""Duke curtailment-enabled headroom: hand-computed toy, invariants, real PJM/22-BA values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gigawatt.errors import InputError
from gigawatt.duke.method import (
    HOURS_PER_YEAR,
    curtailment_rate,
    curtailment_stats,
    duke_headroom,
    prepare_curve,
    seasonal_thresholds,
    solve_headroom,
)

# A toy of two study years with four hours each (two in January, two in July), in time order.
#   year 0: Jan 10, 8   Jul 20, 15
#   year 1: Jan  9, 6   Jul 18, 20
# Winter threshold = max over Dec-Feb = 10; summer threshold = max over Jun-Aug = 20.
# Spare room h = threshold - demand:  year 0: 0, 2, 0, 5   year 1: 1, 4, 2, 0.
TOY_D = np.array([10, 8, 20, 15, 9, 6, 18, 20], dtype=float)
TOY_M = np.array([1, 1, 7, 7, 1, 1, 7, 7])
TOY_Y = np.array([0, 0, 0, 0, 1, 1, 1, 1])


def toy_curve():
    return prepare_curve(TOY_D, TOY_M, TOY_Y, 2)


def test_toy_thresholds():
    _, info = toy_curve()
    assert info["winter_threshold_mw"] == 10.0
    assert info["summer_threshold_mw"] == 20.0
    assert info["threshold_extended"] == {"summer": False, "winter": False}


def test_toy_rate_at_3mw_by_hand():
    # L = 3: year 0 curtails 3, 1, 3, 0 = 7 MWh; year 1 curtails 2, 0, 1, 3 = 6 MWh.
    # yearly rates 7/(3*8760) and 6/(3*8760); mean 6.5/(3*8760) = 2.47336e-4
    curve, _ = toy_curve()
    assert curtailment_rate(curve, 3.0) == pytest.approx(6.5 / (3 * 8760), rel=1e-12)


def test_toy_headroom_by_hand():
    # For 2 <= L <= 4: year 0 sorted room 0,0,2,5 -> C0 = 3L - 2; year 1 sorted 0,1,2,4 -> C1 = 3L - 3.
    # mean rate = (3L - 2.5) / (8760 L). Setting it to r = 2/8760 gives 3L - 2.5 = 2L, L = 2.5 MW.
    curve, _ = toy_curve()
    L = solve_headroom(curve, 2.0 / 8760, xtol_mw=1e-9)
    assert L == pytest.approx(2.5, abs=1e-7)


def test_toy_stats_by_hand():
    # L = 2.5: curtailment c = 2.5, 0.5, 2.5, 0 | 1.5, 0, 0.5, 2.5 -> 6 curtailed hours, 3 per year.
    # Served share (L - c)/L of curtailed hours: 0, 0.8, 0 | 0.4, 0.8, 0 -> >=50 %: 2/6, >=75 %: 2/6, >=90 %: 0.
    # On/off in time order 1,1,1,0,1,0,1,1 -> 3 events (1.5 per year), mean duration 6/3 = 2 h.
    # Winter (Jan) curtailed hours: 2 + 1 = 3 (1.5/yr); summer (Jul): 1 + 2 = 3 (1.5/yr).
    # Energy: 5.5 + 4.5 = 10 MWh over 2 years = 5 MWh/yr; max 2.5 MW.
    curve, _ = toy_curve()
    s = curtailment_stats(curve, 2.5)
    assert s["curtailed_hours_per_year"] == 3.0
    assert s["share_hours_retaining"] == pytest.approx({"50": 2 / 6, "75": 2 / 6, "90": 0.0})
    assert s["events_per_year"] == 1.5
    assert s["mean_event_duration_h"] == 2.0
    assert s["curtailed_hours_per_year_winter"] == 1.5
    assert s["curtailed_hours_per_year_summer"] == 1.5
    assert s["curtailed_energy_mwh_per_year"] == pytest.approx(5.0)
    assert s["max_curtailment_mw"] == 2.5
    assert s["curtailment_rate"] == pytest.approx(2.0 / 8760)


def test_divisor_is_8760_in_leap_years():
    # a leap year of 8784 hours all at the threshold: every hour curtails the whole load L,
    # so the rate is 8784 / 8760 (> 1), as the study's fixed divisor implies.
    d = np.full(8784, 100.0)
    month = np.repeat(np.arange(1, 13), 732)
    curve, _ = prepare_curve(d, month, np.zeros(8784, dtype=int), 1)
    assert HOURS_PER_YEAR == 8760.0
    assert curtailment_rate(curve, 7.0) == pytest.approx(8784 / 8760, rel=1e-12)


def test_season_extension():
    # May (summer-applied, outside the Jun-Aug window) peaks at 30 > July's 20
    d = np.array([10, 30, 20.0])
    m = np.array([1, 5, 7])
    assert seasonal_thresholds(d, m) == (30.0, 10.0, {"summer": True, "winter": False})
    assert seasonal_thresholds(d, m, extend_to_season=False)[:2] == (20.0, 10.0)


def test_bad_inputs_raise():
    curve, _ = toy_curve()
    with pytest.raises(InputError, match="fraction"):
        solve_headroom(curve, 5.0)
    with pytest.raises(InputError, match="NaN"):
        prepare_curve(np.array([1.0, np.nan]), np.array([1, 7]), np.array([0, 0]), 1)
    with pytest.raises(InputError, match="no hours"):
        prepare_curve(TOY_D, TOY_M, TOY_Y, 3)
    with pytest.raises(InputError, match="summer"):
        prepare_curve(np.array([1.0, 2.0]), np.array([1, 2]), np.array([0, 0]), 1)


def _brute_rate(d, m, y, n_years, L):
    s, w, _ = seasonal_thresholds(d, m)
    thr = np.where(np.isin(m, (4, 5, 6, 7, 8, 9, 10)), s, w)
    c = np.maximum(0.0, d + L - thr)
    return np.mean([c[y == k].sum() / (L * 8760) for k in range(n_years)])


demand_arrays = st.lists(st.floats(0, 1e5, allow_nan=False), min_size=24, max_size=24)


@settings(max_examples=200, deadline=None)
@given(demand_arrays, st.floats(1e-3, 1e5))
def test_rate_matches_brute_force(vals, L):
    d = np.array(vals)
    m = np.tile(np.repeat([1, 4, 7, 11], 3), 2)
    y = np.repeat([0, 1], 12)
    curve, _ = prepare_curve(d, m, y, 2)
    # the brute force loses ~eps * threshold per hour in d + L - threshold
    tol = 24 * 1e-15 * (d.max() + 1.0) / (L * 8760)
    assert curtailment_rate(curve, L) == pytest.approx(_brute_rate(d, m, y, 2, L), rel=1e-9, abs=tol)


@settings(max_examples=200, deadline=None)
@given(demand_arrays, st.floats(0.01, 0.99), st.floats(0.1, 10), st.floats(-1e3, 1e3))
def test_headroom_invariants(vals, frac, scale, shift):
    # 12 hours a year: the rate cannot exceed 12/8760, so limits are a fraction of that
    limit = frac * 12 / 8760
    d = np.array(vals) + 2e3
    m = np.tile(np.repeat([1, 4, 7, 11], 3), 2)
    y = np.repeat([0, 1], 12)
    curve, _ = prepare_curve(d, m, y, 2)
    L = solve_headroom(curve, limit, xtol_mw=1e-9)
    assert L >= 0 and np.isfinite(L)
    if L > 1e-6:
        assert curtailment_rate(curve, L) == pytest.approx(limit, rel=1e-5)
    # scaling demand scales the headroom; shifting demand leaves it unchanged (thresholds move too)
    L2 = solve_headroom(prepare_curve(d * scale, m, y, 2)[0], limit, xtol_mw=1e-9)
    L3 = solve_headroom(prepare_curve(d + shift, m, y, 2)[0], limit, xtol_mw=1e-9)
    assert L2 == pytest.approx(L * scale, rel=1e-5, abs=1e-6)
    assert L3 == pytest.approx(L, rel=1e-5, abs=1e-6)
    # a higher limit never gives less headroom
    assert solve_headroom(curve, (1 + frac) / 2 * 12 / 8760, xtol_mw=1e-9) >= L - 1e-6
    with pytest.raises(InputError, match="not reached"):
        solve_headroom(curve, 13 / 8760)


def test_duke_headroom_limits_increase():
    lims = (2 / 8760, 3 / 8760, 3.9 / 8760)
    res = duke_headroom(TOY_D, TOY_M, TOY_Y, 2, limits=lims)
    hs = [res["limits"][r]["headroom_mw"] for r in lims]
    assert hs[0] == pytest.approx(2.5, abs=1e-3)
    assert hs[0] < hs[1] < hs[2]
