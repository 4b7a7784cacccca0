"""Demand response in the outlook's emergency order, and the calibration with it."""

import numpy as np
import pytest

from gigawatt import SequentialMonteCarlo, ShortfallSamples, assess
from gigawatt.methods.sequential import trace_sample
from gigawatt.outlook import CALIBRATED_OUTAGE_MULTIPLIER, OutlookAssumptions, assess_year, policy_system
from gigawatt.systems import pjm

MC = SequentialMonteCarlo(samples=16, seed=4, day_utc_offset_h=-5.0)


@pytest.fixture(scope="module")
def year_2029():
    o = OutlookAssumptions(years=(2029,), weather_years=(2022, 2025))
    return o, o.grid(2029)


def test_every_policy_sees_the_same_demand_response(year_2029):
    o, grid = year_2029
    for p in ("firm", "connect-and-manage", "capped", "firm+battery", "firm+onsite-gen"):
        dom, rest = policy_system(o, 2029, p, grid=grid).order.demand_response
        # 8,184 MW at its 92 % availability (DR ELCC, [S16]) split by load share; from 2027/28 PJM counts DR
        # in all hours (no yearly limit, no windows)
        assert (dom.region, rest.region) == ("DOM", "REST")
        assert dom.capacity_mw + rest.capacity_mw == pytest.approx(8184.0 * 0.92)
        assert (dom.max_hours_per_year, dom.max_event_h) == (np.inf, 10.0)
    (d26, _) = policy_system(OutlookAssumptions(years=(2026,), weather_years=(2022,)), 2026, "firm").order.demand_response
    assert d26.max_hours_per_year == 60.0
    off = OutlookAssumptions(years=(2029,), weather_years=(2022, 2025), demand_response_mw=0.0)
    assert policy_system(off, 2029, "firm", grid=grid).order.demand_response == ()


def test_demand_response_lowers_lole_and_eue(year_2029):
    # same grid, same seed: demand response only takes from what would be shed, in every sample
    o, grid = year_2029
    off = OutlookAssumptions(years=(2029,), weather_years=(2022, 2025), demand_response_mw=0.0)
    with_dr = assess(policy_system(o, 2029, "firm", grid=grid), MC, ShortfallSamples())
    without = assess(policy_system(off, 2029, "firm", grid=grid), MC, ShortfallSamples())
    assert (with_dr.eue_mwh.values <= without.eue_mwh.values + 1e-6).all()
    assert (with_dr.lole_d.values <= without.lole_d.values).all()
    assert with_dr.eue_mwh.values.sum() < 0.9 * without.eue_mwh.values.sum()
    assert with_dr.lole_d.values.sum() < without.lole_d.values.sum()


def test_demand_response_hours_respect_its_limits_in_each_weather_year():
    # a stressed year with a 20 h yearly limit: demand response is called until the 20 h of each
    # weather year are used, in events of at most 10 h; the next weather year has its 20 h again
    o = OutlookAssumptions(years=(2033,), weather_years=(2022, 2025), dr_max_hours_per_year=20.0)
    dcs = policy_system(o, 2033, "firm")
    hit_limit = 0
    for s in range(3):
        dr = trace_sample(dcs, 9, s).dr_mw.values
        for p in range(dr.shape[1]):
            used = dr[:, p] > 0
            for k in range(2):
                year = used[k * 8760:(k + 1) * 8760]
                assert year.sum() <= 20
                hit_limit += year.sum() == 20
            runs = np.diff(np.flatnonzero(np.diff(np.r_[0, used.astype(int), 0])))[::2]
            assert runs.max() <= 10
    assert hit_limit >= 8  # binding in most weather years and zones: the limit, not the need, stops it
    r = assess_year(o, 2033, 8, 9, "firm")
    assert 15.0 < r.dr_hours.mean <= 20.0  # per year, averaged over the weather years


def test_more_firm_load_never_lowers_lole_through_the_emergency_order(year_2029):
    o, grid = year_2029
    a = assess(policy_system(o, 2029, "firm", grid=grid, dc_mw=25_000.0), MC, ShortfallSamples())
    b = assess(policy_system(o, 2029, "firm", grid=grid, dc_mw=27_000.0), MC, ShortfallSamples())
    assert (b.eue_mwh.values >= a.eue_mwh.values - 1e-6).all()
    assert (b.lole_d.values >= a.lole_d.values).all()
    assert b.eue_mwh.values.sum() > a.eue_mwh.values.sum()


def test_calibrated_factors_are_the_defaults():
    o = OutlookAssumptions()
    assert o.outage_multiplier == CALIBRATED_OUTAGE_MULTIPLIER == 1.0  # the published class rates
    assert o.cold_scale == pjm.COLD_SCALE_FITTED
    assert o.reserve_margin(2026) == pytest.approx(pjm.IRM_2026)
