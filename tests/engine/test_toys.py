"""Hand-worked toy systems: exact answers (deterministic units) and Monte Carlo within 3 standard errors."""

import math

import numpy as np
import pytest

from gigawatt import (
    Convolution,
    EventStats,
    GeneratorStorages,
    Generators,
    Interfaces,
    Lines,
    Regions,
    SequentialMonteCarlo,
    Shortfall,
    Storages,
    SystemModel,
    TimeAxis,
    assess,
)
from gigawatt.methods.sequential import trace_sample

MC = SequentialMonteCarlo(samples=20, seed=1)


def one_region(load, gen_mw, storages=None, genstors=None, step_h=1.0, lam=0.0, mu=1.0):
    T = len(load)
    return SystemModel(TimeAxis("2024-01-01", step_h, T), Regions(["A"], [load]),
                       Generators(["g"], None, ["A"], gen_mw, lam, mu, n_periods=T), storages, genstors)


def test_deterministic_shortfall_counts():
    # capacity 100 MW, never fails; load exceeds it in 3 periods spread over 2 days
    load = np.full(48, 80.0)
    load[[5, 6, 30]] = [130.0, 110.0, 101.0]
    r = assess(one_region(load, 100.0), MC)
    assert r.lolh_h.mean == 3.0 and r.lolh_h.stderr == 0.0
    assert r.eue_mwh.mean == pytest.approx(30 + 10 + 1)
    assert r.lole_d.mean == 2.0  # two days with a shortfall
    assert r.events.mean == 2.0  # periods 5-6 form one event, 30 another
    assert r.neue_ppm.mean == pytest.approx(41 / load.sum() * 1e6)
    ev = assess(one_region(load, 100.0), MC, EventStats())
    assert float(ev.duration.sel(duration_periods=2)) == 1.0
    assert float(ev.duration.sel(duration_periods=1)) == 1.0
    assert ev.mean_duration_h() == pytest.approx(1.5)


def test_storage_covers_then_runs_out():
    # gen 100; load 50, 50, 150, 150; battery 60 MW / 80 MWh starts empty.
    # t0 charges 50 (surplus), t1 charges 30 (full), t2 discharges 50 (30 left), t3 discharges 30: 20 MW short.
    sys_ = one_region([50, 50, 150, 150], 100.0, Storages(["b"], None, ["A"], 60.0, 60.0, 80.0, n_periods=4))
    tr = trace_sample(sys_, 1)
    np.testing.assert_allclose(tr.storage_energy_mwh.values[:, 0], [50, 80, 30, 0])
    np.testing.assert_allclose(tr.unserved_mw.values[:, 0], [0, 0, 0, 20])
    r = assess(sys_, MC)
    assert r.eue_mwh.mean == pytest.approx(20.0) and r.lolh_h.mean == 1.0


def test_storage_efficiencies_and_carryover():
    # charge eff 0.9, discharge eff 0.8, carry-over 0.5 per period.
    # t0: surplus 50 -> charge min(50, 100/0.9) = 50 MW -> 45 MWh.
    # t1: carry 45 * 0.5 = 22.5 MWh; deficit 10 -> discharge 10 MW draws 12.5 MWh -> 10 MWh.
    # t2: carry -> 5 MWh; deficit 10: can deliver 5 * 0.8 = 4 MW -> 6 MW short.
    st = Storages(["b"], None, ["A"], 50.0, 50.0, 100.0, charge_eff=0.9, discharge_eff=0.8, carryover_eff=0.5,
                  n_periods=3)
    tr = trace_sample(one_region([50, 110, 110], 100.0, st), 1)
    np.testing.assert_allclose(tr.storage_energy_mwh.values[:, 0], [45.0, 10.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(tr.unserved_mw.values[:, 0], [0, 0, 6.0], atol=1e-12)


def test_time_to_go_priority():
    # two batteries, same power; the one with more energy (longer time-to-go) discharges first.
    st = Storages(["short", "long"], None, ["A", "A"], [0.0, 0.0], [30.0, 30.0], [30.0, 90.0], n_periods=3)
    sys_ = one_region([100, 100, 130], 100.0, st)
    # storages start empty and cannot charge (charge limit 0): nothing to discharge
    assert float(trace_sample(sys_, 1).unserved_mw[2, 0]) == 30.0
    st2 = Storages(["short", "long"], None, ["A", "A"], [30.0, 30.0], [30.0, 30.0], [30.0, 90.0], n_periods=5)
    tr = trace_sample(one_region([40, 40, 40, 100, 120], 100.0, st2), 1)
    # t0-t2: 60 MW surplus charges both 30/30 -> short full after 1 period, long after 3 (30+30+30 = 90)
    np.testing.assert_allclose(tr.storage_energy_mwh.values[2], [30.0, 90.0])
    # t4: deficit 20 is taken from "long" (time-to-go 3 h vs 1 h)
    np.testing.assert_allclose(tr.storage_power_mw.values[4], [0.0, 20.0])


def test_generator_storage_inflow():
    # CSP-like device: inflow 30 MW, storage 100 MWh, charge 50, discharge 40, injection 60.
    # t0: no deficit -> inflow 30 charges storage (30 MWh); t1: deficit 50 -> inflow 30 to grid + 20 from storage.
    gs = GeneratorStorages(names=["csp"], categories=None, regions=["A"], charge_mw=50.0, discharge_mw=40.0,
                           energy_mwh=100.0, inflow_mw=30.0, grid_injection_mw=60.0, grid_withdrawal_mw=0.0,
                           n_periods=3)
    tr = trace_sample(one_region([100, 150, 180], 100.0, genstors=gs), 1)
    np.testing.assert_allclose(tr.genstor_energy_mwh.values[:, 0], [30.0, 10.0, 0.0])
    # t2: deficit 80: inflow 30 + storage 10 -> 40 delivered (injection limit 60 not binding), 40 short
    np.testing.assert_allclose(tr.unserved_mw.values[:, 0], [0.0, 0.0, 40.0])


def two_regions(load_a, load_b, gen_a, gen_b, limit_ab, limit_ba, lines=None):
    T = len(load_a)
    return SystemModel(TimeAxis("2024-01-01", 1.0, T), Regions(["A", "B"], [load_a, load_b]),
                       Generators(["ga", "gb"], None, ["A", "B"], [gen_a, gen_b], 0.0, 1.0, n_periods=T),
                       interfaces=Interfaces(["A"], ["B"], limit_ab, limit_ba, n_periods=T), lines=lines)


def test_transfer_limits():
    # A: 100 gen, 50 load; B: 0 gen, 80 load; A->B limit 40 -> B short 40; B->A direction irrelevant
    sys_ = two_regions([50.0] * 3, [80.0] * 3, 100.0, 0.0, 40.0, 0.0)
    tr = trace_sample(sys_, 1)
    np.testing.assert_allclose(tr.unserved_mw.values, [[0, 40]] * 3)
    np.testing.assert_allclose(tr.flow_mw.values[:, 0], 40.0)
    r = assess(sys_, MC)
    assert r.regions["B"].eue_mwh.mean == pytest.approx(120.0)
    assert r.regions["A"].lolh_h.mean == 0.0 and r.lolh_h.mean == 3.0


def test_lines_limit_interface():
    # interface unlimited, two lines of 25 and 10 MW: transfer limited to 35 MW (PRAS semantics)
    lines = Lines(["l1", "l2"], None, ["A", "A"], ["B", "B"], [25.0, 10.0], [25.0, 10.0], n_periods=2)
    sys_ = two_regions([50.0] * 2, [80.0] * 2, 100.0, 0.0, np.inf, np.inf, lines)
    np.testing.assert_allclose(trace_sample(sys_, 1).unserved_mw.values[:, 1], 45.0)
    # a line that is always out (fails with certainty, never repaired) leaves only the other
    lines = Lines(["l1", "l2"], None, ["A", "A"], ["B", "B"], [25.0, 10.0], [25.0, 10.0],
                  failure_prob=[1.0, 0.0], repair_prob=[0.0, 1.0], n_periods=2)
    sys_ = two_regions([50.0] * 2, [80.0] * 2, 100.0, 0.0, np.inf, np.inf, lines)
    np.testing.assert_allclose(trace_sample(sys_, 1).unserved_mw.values[:, 1], 70.0)


def test_storage_in_other_region_discharges_across_interface():
    st = Storages(["b"], None, ["A"], 0.0, 30.0, 60.0, n_periods=3)
    T = 3
    sys_ = SystemModel(TimeAxis("2024-01-01", 1.0, T), Regions(["A", "B"], [[0, 0, 0], [0, 0, 50]]),
                       Generators(["ga", "gb"], None, ["A", "B"], [40.0, 0.0], 0.0, 1.0, n_periods=T),
                       st, interfaces=Interfaces(["A"], ["B"], 60.0, 60.0, n_periods=T))
    # storage cannot charge (limit 0) -> generation of A serves 40 of B's 50
    np.testing.assert_allclose(trace_sample(sys_, 1).unserved_mw.values[2], [0.0, 10.0])


def test_single_unit_mc_matches_forced_outage_rate():
    # one 100 MW unit, load 50: short exactly when the unit is out; LOLP = FOR = 0.1
    T = 500
    lam, mu = 0.01, 0.09
    sys_ = one_region(np.full(T, 50.0), 100.0, lam=lam, mu=mu)
    r = assess(sys_, SequentialMonteCarlo(samples=400, seed=7))
    assert r.lolh_h.within(0.1 * T)
    assert r.eue_mwh.within(0.1 * T * 50.0)
    exact = assess(sys_, Convolution())
    assert exact.lolh_h.mean == pytest.approx(50.0)
    # expected number of outage events = P(out at start) + (T-1) * P(in) * lambda
    assert r.events.within(0.1 + (T - 1) * 0.9 * lam)


def test_five_minute_step_consistent_energy():
    # the same deterministic shortfall at 1 h and at 5 min steps gives the same EUE and LOLH
    load_h = np.array([80.0, 120.0, 90.0, 130.0])
    r_h = assess(one_region(load_h, 100.0), MC)
    r_5 = assess(one_region(np.repeat(load_h, 12), 100.0, step_h=5 / 60), MC)
    assert r_5.eue_mwh.mean == pytest.approx(r_h.eue_mwh.mean)
    assert r_5.lolh_h.mean == pytest.approx(r_h.lolh_h.mean)
    # each 5-minute period carries one twelfth of its hour's unserved energy
    per = r_5.period["eue_mwh"].values
    np.testing.assert_allclose(per[12:24], 20.0 / 12, rtol=1e-5)


def test_five_minute_step_mc_matches_hourly():
    # Markov units at 5-minute steps with per-period probabilities lambda/12 and mu/12: the same forced
    # outage rate, so the same expected LOLH and EUE as the hourly system (given by its convolution)
    T = 24 * 20
    load = np.tile(np.r_[np.full(12, 120.0), np.full(12, 150.0)], 20)
    caps = [60.0, 60.0, 60.0]
    lam_h, mu_h = 0.02, 0.2
    hourly = SystemModel(TimeAxis("2024-01-01", 1.0, T), Regions(["A"], [load]),
                         Generators(["a", "b", "c"], None, ["A"] * 3, caps, lam_h, mu_h, n_periods=T))
    lam5, mu5 = lam_h / 12, mu_h / 12
    five = SystemModel(TimeAxis("2024-01-01", 5 / 60, T * 12), Regions(["A"], [np.repeat(load, 12)]),
                       Generators(["a", "b", "c"], None, ["A"] * 3, caps, lam5, mu5, n_periods=T * 12))
    m = SequentialMonteCarlo(samples=300, seed=3)
    rh, r5 = assess(hourly, m), assess(five, m)
    exact = assess(hourly, Convolution())  # marginal outage probabilities are the same at both steps
    assert rh.lolh_h.within(exact.lolh_h.mean) and r5.lolh_h.within(exact.lolh_h.mean)
    assert rh.eue_mwh.within(exact.eue_mwh.mean) and r5.eue_mwh.within(exact.eue_mwh.mean)


def test_invalid_inputs_name_the_field():
    from gigawatt.errors import InputError

    with pytest.raises(InputError, match="generators.failure_prob"):
        Generators(["g"], None, ["A"], 10.0, 1.5, 0.1, n_periods=3)
    with pytest.raises(InputError, match="unknown region 'Z'"):
        SystemModel(TimeAxis("2024-01-01", 1, 2), Regions(["A"], [[1, 2]]),
                    Generators(["g"], None, ["Z"], 10.0, n_periods=2))
    with pytest.raises(InputError, match="storages.charge_eff"):
        Storages(["b"], None, ["A"], 1.0, 1.0, 1.0, charge_eff=0.0, n_periods=2)
    with pytest.raises(InputError, match="3 periods but the time axis has 2"):
        SystemModel(TimeAxis("2024-01-01", 1, 2), Regions(["A"], [[1, 2]]),
                    Generators(["g"], None, ["A"], 10.0, n_periods=3))
    with pytest.raises(InputError, match="samples"):
        SequentialMonteCarlo(samples=0)
    with pytest.raises(InputError, match="names must be unique"):
        Generators(["g", "g"], None, ["A", "A"], 10.0, n_periods=2)
    with pytest.raises(InputError, match="step_h"):
        TimeAxis("2024-01-01", -1, 2)


def test_system_is_immutable():
    sys_ = one_region([1.0, 2.0], 10.0)
    with pytest.raises(ValueError):
        sys_.regions.load_mw[0, 0] = 5.0
    with pytest.raises(Exception):
        sys_.regions = None
    assert math.isclose(sys_.with_added_load(3.0).regions.load_mw[0, 1], 5.0)
