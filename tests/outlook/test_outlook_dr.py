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
    o = OutlookAssumptions(years=(2029,), weather_years=(2024, 2025))
    return o, o.grid(2029)


def test_every_policy_sees_the_same_demand_response(year_2029):
    o, grid = year_2029
    for p in ("firm", "connect-and-manage", "capped", "firm+battery", "firm+onsite-gen"):
        (dr,) = policy_system(o, 2029, p, grid=grid).order.demand_response
        assert (dr.capacity_mw, dr.max_hours_per_year, dr.max_event_h) == (7900.0, 60.0, 10.0)
    off = OutlookAssumptions(years=(2029,), weather_years=(2024, 2025), demand_response_mw=0.0)
    assert policy_system(off, 2029, "firm", grid=grid).order.demand_response == ()


def test_demand_response_lowers_lole_and_eue(year_2029):
    # same grid, same seed: demand response only takes from what would be shed, in every sample
    o, grid = year_2029
    off = OutlookAssumptions(years=(2029,), weather_years=(2024, 2025), demand_response_mw=0.0)
    with_dr = assess(policy_system(o, 2029, "firm", grid=grid), MC, ShortfallSamples())
    without = assess(policy_system(off, 2029, "firm", grid=grid), MC, ShortfallSamples())
    assert (with_dr.eue_mwh.values <= without.eue_mwh.values + 1e-6).all()
    assert (with_dr.lole_d.values <= without.lole_d.values).all()
    assert with_dr.eue_mwh.values.sum() < 0.9 * without.eue_mwh.values.sum()
    assert with_dr.lole_d.values.sum() < without.lole_d.values.sum()


def test_demand_response_hours_respect_its_limits_in_each_weather_year():
    # a stressed year: demand response is called until its 60 h of each weather year are used, in
    # events of at most 10 h; the next weather year has its 60 h again
    o = OutlookAssumptions(years=(2033,), weather_years=(2024, 2025))
    dcs = policy_system(o, 2033, "firm")
    hit_limit = 0
    for s in range(3):
        used = trace_sample(dcs, 9, s).dr_mw.values[:, 0] > 0
        for k in range(2):
            year = used[k * 8760:(k + 1) * 8760]
            assert year.sum() <= 60
            hit_limit += year.sum() == 60
        runs = np.diff(np.flatnonzero(np.diff(np.r_[0, used.astype(int), 0])))[::2]
        assert runs.max() <= 10
    assert hit_limit >= 4  # binding in most weather years: the limit, not the need, stops it
    r = assess_year(o, 2033, 8, 9, "firm")
    assert 50.0 < r.dr_hours.mean <= 60.0  # per year, averaged over the weather years


def test_more_firm_load_never_lowers_lole_through_the_emergency_order(year_2029):
    o, grid = year_2029
    a = assess(policy_system(o, 2029, "firm", grid=grid, dc_mw=25_000.0), MC, ShortfallSamples())
    b = assess(policy_system(o, 2029, "firm", grid=grid, dc_mw=27_000.0), MC, ShortfallSamples())
    assert (b.eue_mwh.values >= a.eue_mwh.values - 1e-6).all()
    assert (b.lole_d.values >= a.lole_d.values).all()
    assert b.eue_mwh.values.sum() > a.eue_mwh.values.sum()


def _calibration_check(samples, seed):
    # PJM's criterion: the 2026 system at the installed reserve margin has LOLE 0.1 day/yr
    r = assess_year(OutlookAssumptions(years=(2026,)), 2026, samples, seed, "firm")
    assert r.reserve_margin == pytest.approx(pjm.IRM_2026)
    assert r.lole_d.stderr < 0.25 * 0.1 * (2000 / samples) ** 0.5
    assert r.lole_d.within(0.1, 3.0), r.lole_d
    return r


def test_calibration_meets_the_standard_in_2026():
    r = _calibration_check(300, 11)
    assert 5.0 < r.dr_hours.mean < 25.0  # demand response is called a few days a year, within its 60 h


@pytest.mark.slow
def test_calibration_meets_the_standard_in_2026_precisely():
    # an independent seed from the fit's (2026), 2,000 samples x 4 weather years: standard error ~0.004
    _calibration_check(2000, 7)


def test_calibrated_multiplier_is_the_default():
    assert OutlookAssumptions().outage_multiplier == CALIBRATED_OUTAGE_MULTIPLIER == 3.86
