"""Headroom and capacity value on a toy system where convolution gives the exact answer."""

from __future__ import annotations

import numpy as np
from capacity_toy import bisect, exact_eue, toy_system

from gigawatt import Convolution, assess
from gigawatt.capacity import (
    CappedLoad,
    FirmLoad,
    MonteCarlo,
    OnsiteGenerationOption,
    PerfectGenerator,
    Target,
    find_crossing,
    reliability_headroom,
)
from gigawatt.capacity.value import capacity_value
from gigawatt.stats import Estimate

TARGET_EUE = 50.0  # MWh over the 20-day horizon
MC = MonteCarlo(samples=2000, seed=7)


def test_exact_search_with_convolution_brackets_the_bisection_root():
    sys_ = toy_system()
    exact = bisect(lambda x: exact_eue(sys_, x) - TARGET_EUE, -300.0, 500.0)
    c = find_crossing(lambda x: assess(sys_.with_added_load(x), Convolution()).eue_mwh, TARGET_EUE,
                      step_mw=50.0, abs_tol_mw=0.5)
    assert c.status == "ok"
    assert c.low_mw <= exact <= c.high_mw
    assert c.high_mw - c.low_mw <= 0.5 + 1e-9  # no noise: the interval shrinks to the tolerance
    assert abs(c.estimate_mw - exact) < 0.5
    assert c.achieved_low.stderr == 0.0 and c.achieved_low.mean <= TARGET_EUE < c.achieved_high.mean


def test_monte_carlo_firm_headroom_interval_contains_the_exact_headroom():
    sys_ = toy_system()
    exact = bisect(lambda x: exact_eue(sys_, x) - TARGET_EUE, -300.0, 500.0)
    res = reliability_headroom(sys_, Target("eue_mwh", TARGET_EUE), mc=MC)
    c = res.crossing
    assert c.status == "ok"
    assert c.low_mw <= exact <= c.high_mw, (c.low_mw, exact, c.high_mw)
    # an honest interval: wider than the search tolerance, narrower than the bracketing step
    assert 2.0 < c.high_mw - c.low_mw < 100.0
    # the ends are z = 2 standard errors from the target on each side
    assert c.achieved_low.mean + 2 * c.achieved_low.stderr <= TARGET_EUE
    assert c.achieved_high.mean - 2 * c.achieved_high.stderr > TARGET_EUE
    # paired difference between the ends is positive and far better resolved than its parts
    d = c.paired_difference()
    assert d.mean > 0 and d.stderr < np.hypot(c.achieved_low.stderr, c.achieved_high.stderr)
    assert res.to_dict()["headroom_mw"]["low"] == c.low_mw


def test_elcc_of_an_unreliable_unit_matches_convolution():
    sys_ = toy_system()
    base_load = 100.0
    unit = OnsiteGenerationOption(100.0, 1, "A", forced_outage_rate=0.05, mttr_h=10.0)
    eue0 = exact_eue(sys_, base_load)
    with_unit = unit(sys_)
    exact = bisect(lambda x: exact_eue(with_unit, base_load + x) - eue0, 0.0, 200.0)
    assert 80.0 < exact < 100.0  # an unreliable 100 MW unit carries a little less than 100 MW
    cv = capacity_value(sys_, unit, target=Target("eue_mwh", 0.0), base_load_mw=base_load, mc=MC, which=("elcc",))
    assert cv.elcc.low_mw <= exact <= cv.elcc.high_mw
    assert cv.efc is None


def test_elcc_and_efc_of_a_perfect_generator_are_its_size():
    sys_ = toy_system()
    gen = PerfectGenerator(60.0, "A")
    cv = capacity_value(sys_, gen, target=Target("eue_mwh", 0.0), base_load_mw=100.0, mc=MonteCarlo(500, 3))
    for c in (cv.elcc, cv.efc):
        assert c.low_mw <= 60.0 <= c.high_mw
        assert c.high_mw - c.low_mw < 15.0
    # perfect devices draw no random numbers: with and without are paired exactly
    assert cv.with_resource.mean < cv.base.mean


def test_connect_and_manage_curtailment_rate_matches_convolution():
    sys_ = toy_system()
    eue0 = exact_eue(sys_, 0.0)
    hours = sys_.n_periods * sys_.timeaxis.step_h
    exact = bisect(lambda x: (exact_eue(sys_, x) - eue0) / (x * hours) - 0.01, 1.0, 600.0)
    res = reliability_headroom(sys_, "lole_d=0.1", contract="connect-and-manage:1%", mc=MC)
    c = res.crossing
    assert res.target["metric"] == "curtailment_rate"
    assert c.low_mw <= exact <= c.high_mw, (c.low_mw, exact, c.high_mw)


def test_unlimited_capped_budget_leaves_existing_customers_as_reliable_as_before():
    sys_ = toy_system()
    mc = MonteCarlo(300, 5)
    base = mc.run(sys_, "eue_mwh")
    for load in (50.0, 200.0):
        firm = mc.run(FirmLoad()(sys_, load), "eue_mwh")
        capped = mc.run(CappedLoad(hours=24 * 20)(sys_, load), "eue_mwh")  # budget = whole horizon
        assert np.allclose(capped, base, atol=1e-6)  # sample by sample
        assert firm.mean() > base.mean() + 1.0
    # a small budget sits in between, sample by sample
    small = mc.run(CappedLoad(hours=2.0)(sys_, 200.0), "eue_mwh")
    firm = mc.run(FirmLoad()(sys_, 200.0), "eue_mwh")
    assert np.all(small <= firm + 1e-6) and np.all(small >= base - 1e-6)
    assert base.mean() < small.mean() < firm.mean()


def test_capped_headroom_exceeds_firm_headroom():
    sys_ = toy_system()
    mc = MonteCarlo(400, 2)
    firm = reliability_headroom(sys_, "lolh_h=2", mc=mc).crossing
    capped = reliability_headroom(sys_, "lolh_h=2", contract="capped:10h", mc=mc).crossing
    assert capped.low_mw > firm.high_mw
    assert isinstance(firm.achieved_low, Estimate)
