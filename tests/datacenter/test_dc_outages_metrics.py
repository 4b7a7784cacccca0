"""Rotating outages and the per-sample results of residents and data centers (hand-worked)."""

import numpy as np
import pytest

from gigawatt.datacenter.contracts import ConnectAndManage
from gigawatt.datacenter.metrics import residents_sample, site_sample, summarize
from gigawatt.datacenter.order import DataCenterSite
from gigawatt.datacenter.outages import PJM_PEOPLE_PER_MW, RotationPolicy, rotating_outages
from gigawatt.datacenter.power import Fleet, SitePower
from gigawatt.datacenter.resources import ComputeFlexibility, SiteBattery
from gigawatt.datacenter.throughput import JobClass
from gigawatt.errors import InputError

# 1000 MW firm load, 100 people/MW -> 100,000 people, 50,000 customers, 80 % rotatable in 10 blocks:
# 4,000 customers and 80 MW per block
POL = RotationPolicy(n_blocks=10, rotation_h=0.5, critical_frac=0.2, max_rotation_frac=0.5, people_per_mw=100,
                     customers_per_person=0.5)


def test_pjm_people_per_mw():
    assert PJM_PEOPLE_PER_MW == pytest.approx(67e6 / 160_153)


def test_rotation_spreads_the_shed():
    # 160 MW = 2 blocks off on average; 2 block-hours per hour = 4 half-hour turns per hour
    r = rotating_outages([160.0, 160.0, 0.0], 1000.0, 1.0, 1000.0, POL)
    assert r.customers_per_block == pytest.approx(4000.0)
    np.testing.assert_allclose(r.hours_per_block, [0.5] * 8 + [0.0] * 2)
    assert r.customers_interrupted == pytest.approx(32_000)
    assert r.people_interrupted == pytest.approx(64_000)
    assert r.customer_hours == pytest.approx(16_000)  # = 320 MWh / 80 MW per block * 4,000
    assert r.longest_outage_h == pytest.approx(0.5)
    assert r.collapsed_h == 0.0


def test_rotation_collapses_into_sustained_outages():
    # 480 MW = 6 of 10 blocks > 50 %: the same 6 blocks stay off for both hours
    r = rotating_outages([480.0, 480.0, 0.0], 1000.0, 1.0, 1000.0, POL)
    np.testing.assert_allclose(r.hours_per_block, [2.0] * 6 + [0.0] * 4)
    assert r.customers_interrupted == pytest.approx(24_000)
    assert r.customer_hours == pytest.approx(48_000)
    assert r.longest_outage_h == pytest.approx(2.0)
    assert r.collapsed_h == 2.0
    np.testing.assert_allclose(r.hours_quantiles((0.5, 1.0)), [2.0, 2.0])


def test_shed_beyond_rotatable_load_is_reported():
    r = rotating_outages([900.0], 1000.0, 1.0, 1000.0, POL)
    assert r.unallocated_mwh == pytest.approx(100.0)
    assert r.customers_interrupted == pytest.approx(40_000)


def test_rotation_input_checks():
    with pytest.raises(InputError, match="shed_mw"):
        rotating_outages([-1.0], 1000.0, 1.0, 1000.0, POL)
    with pytest.raises(InputError, match="critical_frac"):
        RotationPolicy(critical_frac=1.0)


def test_residents_sample_counts_days_and_energy():
    shed = np.zeros(48)
    shed[[17, 18, 41]] = 80.0
    day = np.repeat([0, 1], 24)
    r = residents_sample(shed, 1000.0, 1.0, day, 1000.0, POL)
    assert (r.lole_d, r.lolh_h, r.eue_mwh) == (2.0, 3.0, 240.0)
    assert r.customer_hours == pytest.approx(3 * 4000.0)


SITE_POWER = SitePower((Fleet("H100", 1000),), pue=1.0, gpu_utilisation=1.0)  # 0.7 MW GPU, 1.4025 MW


def test_site_sample_throughput_matches_curve():
    dc = DataCenterSite("dc", "A", SITE_POWER, ConnectAndManage(),
                        ComputeFlexibility(jobs=(JobClass("pt", 1.0, 1.0, 0.0),)), SiteBattery(1.0, 2.0))
    load = np.full(6, SITE_POWER.peak_facility_mw)
    cut = np.array([0.0, 0.14, 0.14, 0.0, 0.07, 0.0])  # p 0.8 for 2 h, then p 0.9 for 1 h
    bat = np.array([0.0, 0.5, 0.5, 0.0, 0.0, 0.0])
    s = site_sample(dc, 1.0, load, cut, bat)
    assert s.events == 2 and s.curtailed_h == 3.0 and s.curtailed_mwh == pytest.approx(0.35)
    assert s.gpu_hours_lost == pytest.approx(1000 * (2 * 0.07 + 1 * 0.03))
    assert s.throughput_lost_frac == pytest.approx(170 / 6000)
    assert s.max_depth_frac == pytest.approx(0.14 / 1.4025)
    assert s.battery_cycles == pytest.approx(0.5)
    assert s.mean_event_h == 1.5 and s.restarts == 0


def test_site_sample_undeliverable_cut_counts_as_pauses():
    dc = DataCenterSite("dc", "A", SITE_POWER, ConnectAndManage(),
                        ComputeFlexibility(jobs=(JobClass("pt", 1.0, 0.0, 0.0),)))
    s = site_sample(dc, 1.0, np.full(2, 1.4025), [1.4025 / 2, 0.0])
    assert s.gpu_hours_lost == pytest.approx(500.0) and s.restarts == 1


def test_summarize_gives_mean_and_stderr():
    a = residents_sample([0.0, 80.0], 1000.0, 1.0, [0, 0], 1000.0, POL)
    b = residents_sample([0.0, 0.0], 1000.0, 1.0, [0, 0], 1000.0, POL)
    est = summarize([a, b])
    assert est["eue_mwh"].mean == pytest.approx(40.0)
    assert est["eue_mwh"].stderr == pytest.approx(40.0)  # sd 56.57 / sqrt(2)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kernel_rotation_matches_reference(seed):
    """The engine's per-period rotation (only the blocks it touches) equals the reference over a random
    shed series with gaps, partial turns, wrap-around of the cycle and collapses into sustained outages."""
    from gigawatt.methods import _dc_kernel as DC

    rng = np.random.default_rng(seed)
    T, B, dt_h, firm = 300, 20, 1.0, 1000.0
    pol = RotationPolicy(n_blocks=B, rotation_h=0.5, critical_frac=0.1, max_rotation_frac=0.5)
    shed = np.where(rng.random(T) < 0.5, rng.uniform(0.0, 1100.0, T), 0.0)
    ref = rotating_outages(shed, firm, dt_h, firm, pol)
    rot_par = np.zeros((1, DC.NROT))
    rot_par[0, DC.ROT_BLOCK_FRAC] = (1.0 - pol.critical_frac) / B
    rot_par[0, DC.ROT_TURN_H] = pol.rotation_h
    rot_par[0, DC.ROT_MAX_K] = pol.max_rotation_frac * B
    rot_s, rot_b = np.zeros((DC.NRS, 1)), np.zeros((DC.NRB, 1, B))
    DC.dc_reset(np.zeros((0, 1)), np.zeros((0, 1)), np.zeros((0, 1)), np.zeros((DC.NDN, 0)), rot_s, rot_b)
    s_res_row = np.zeros(DC.NRR)
    for t in range(T):
        if shed[t] > 1e-6:
            DC._rotate(t, dt_h, 0, shed[t], firm, rot_par, rot_s, rot_b, s_res_row, 0.0)
    np.testing.assert_allclose(DC.block_hours(rot_b, rot_par, 0), ref.hours_per_block, atol=1e-9)
    assert rot_s[DC.RS_LONGEST, 0] == pytest.approx(ref.longest_outage_h)
    assert rot_s[DC.RS_COLLAPSED, 0] == pytest.approx(ref.collapsed_h) and ref.collapsed_h > 0
    assert s_res_row[DC.RR_UNALLOC_MWH] == pytest.approx(ref.unallocated_mwh) and ref.unallocated_mwh > 0
    assert ref.longest_outage_h > dt_h  # some blocks stayed off across periods
