"""The emergency-order kernel: hand-worked periods, limits, and invariants."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gigawatt.datacenter import emergency as E
from gigawatt.datacenter.contracts import CappedCurtailment, ConnectAndManage, EnergyBudget, Firm
from gigawatt.datacenter.order import DataCenterSite, DemandResponse, EmergencyOrder, pack, run_emergency
from gigawatt.datacenter.power import Fleet, SitePower
from gigawatt.datacenter.resources import OnsiteGeneration, SiteBattery

POWER = SitePower((Fleet("H100", 1000),))


def site(contract=None, battery=None, generation=None, region="A", name="dc"):
    return DataCenterSite(name, region, POWER, contract if contract is not None else Firm(), battery=battery,
                          generation=generation)


def run(sites, shortfall, site_load, order=EmergencyOrder(), firm_load=0.0, regions=("A",), dt_h=1.0,
        gen_avail=None, surplus=None, annual_energy=None):
    p = pack(sites, order, regions, annual_energy)
    sh = np.asarray(shortfall, dtype=float).reshape(-1, len(regions))
    T = sh.shape[0]
    sl = np.broadcast_to(np.asarray(site_load, dtype=float), (T, len(sites)))
    fl = np.broadcast_to(np.asarray(firm_load, dtype=float), (T, len(regions)))
    ga = None if gen_avail is None else np.broadcast_to(np.asarray(gen_avail, dtype=float), (T, len(sites)))
    return run_emergency(p, dt_h, sh, fl, sl, ga, surplus)


def test_issue_example_300_mw():
    """Battery covers 100, connect-and-manage curtails 150, DR 50, nothing shed."""
    s = site(ConnectAndManage(), SiteBattery(100.0, 400.0, 1.0, reserve_frac=0.0))
    rec = run([s], [300.0], 250.0, EmergencyOrder(demand_response=(DemandResponse("dr", "A", 80.0),)))
    np.testing.assert_allclose(rec.region_mw[0, 0], [100.0, 150.0, 50.0, 0.0, 0.0, 0.0, 0.0])
    assert rec.site_state[0, E.SS_SOC] == pytest.approx(300.0)
    assert rec.site_state[0, E.SS_EVENTS] == 1.0


def test_full_ladder_to_load_shed():
    g = OnsiteGeneration(1, 40.0, start_h=0.0)
    s = site(CappedCurtailment(100, 4, 0.25), SiteBattery(10.0, 100.0, 1.0, 0.0), g)
    order = EmergencyOrder(demand_response=(DemandResponse("dr", "A", 30.0),), imports_mw={"A": 20.0},
                           voltage_reduction_frac=0.02)
    rec = run([s], [500.0], 200.0, order, firm_load=1000.0, gen_avail=40.0)
    # battery 10, curtail 25 % of 200 = 50, DR 30, gen 40, imports 20, VR 2 % of 1000 = 20, shed 330
    np.testing.assert_allclose(rec.region_mw[0, 0], [10, 50, 30, 40, 20, 20, 330])


def test_firm_site_never_curtailed():
    rec = run([site(Firm())], [100.0], 500.0)
    assert rec.site_curtail_mw.sum() == 0.0
    assert rec.shed_mw[0, 0] == pytest.approx(100.0)


def test_custom_order_dr_before_curtailment():
    order = EmergencyOrder(steps=("demand_response", "curtail_managed"),
                           demand_response=(DemandResponse("dr", "A", 60.0),))
    rec = run([site(ConnectAndManage())], [100.0], 500.0, order)
    assert rec.dr_mw[0, 0] == 60.0 and rec.site_curtail_mw[0, 0] == pytest.approx(40.0)


def test_capped_contract_hours_and_event_limits():
    s = site(CappedCurtailment(max_hours_per_year=3, max_event_h=2, max_depth_frac=0.5))
    rec = run([s], [100.0] * 6, 400.0)
    # events of at most 2 h, a rest period, and 3 h in all: periods 0, 1, (rest), 3, then none
    np.testing.assert_allclose(rec.site_curtail_mw[:, 0], [100, 100, 0, 100, 0, 0])
    np.testing.assert_allclose(rec.shed_mw[:, 0], [0, 0, 100, 0, 100, 100])
    assert rec.site_state[0, E.SS_CURT_H] == 3.0
    assert rec.site_state[0, E.SS_EVENTS] == 2.0


def test_capped_depth():
    rec = run([site(CappedCurtailment(100, 10, 0.25))], [300.0], 400.0)
    assert rec.site_curtail_mw[0, 0] == pytest.approx(100.0) and rec.shed_mw[0, 0] == pytest.approx(200.0)


def test_energy_budget_contract():
    # 1 % of 10,000 MWh = 100 MWh: 60 MW in period 0, 40 MW left in period 1, nothing after
    s = site(EnergyBudget(max_energy_frac=0.01))
    rec = run([s], [60.0, 60.0, 60.0], 400.0, annual_energy=[10_000.0])
    np.testing.assert_allclose(rec.site_curtail_mw[:, 0], [60, 40, 0])
    assert rec.site_state[0, E.SS_CURT_MWH] == pytest.approx(100.0)


def test_battery_reserve_and_efficiency():
    b = SiteBattery(100.0, 100.0, round_trip_efficiency=0.81, reserve_frac=0.2)  # eta 0.9 each way
    rec = run([site(Firm(), b)], [100.0, 100.0], 500.0)
    # usable (100 - 20) * 0.9 = 72 MW in the first hour, then empty down to the reserve
    np.testing.assert_allclose(rec.site_battery_mw[:, 0], [72.0, 0.0])
    assert rec.site_state[0, E.SS_SOC] == pytest.approx(20.0)
    np.testing.assert_allclose(rec.shed_mw[:, 0], [28.0, 100.0])


def test_battery_recharges_from_surplus_only():
    b = SiteBattery(50.0, 100.0, round_trip_efficiency=0.81, reserve_frac=0.0, initial_soc=0.5)
    rec = run([site(Firm(), b)], [0.0, 0.0], 500.0, surplus=np.array([[30.0], [100.0]]))
    # 30 MW (surplus), then room (100 - 77) / 0.9 = 25.6 MW
    np.testing.assert_allclose(rec.site_charge_mw[:, 0], [30.0, 23.0 / 0.9])
    assert rec.site_state[0, E.SS_SOC] == pytest.approx(100.0)


def test_backup_generation_start_time_and_hour_limit():
    g = OnsiteGeneration(2, 25.0, start_h=0.25, max_hours_per_year=2.0)
    rec = run([site(Firm(), generation=g)], [100.0] * 3, 300.0, gen_avail=50.0)
    np.testing.assert_allclose(rec.site_generation_mw[:, 0], [37.5, 50.0, 0.0])
    assert rec.site_state[0, E.SS_GEN_H] == 2.0


def test_backup_generation_not_directed():
    g = OnsiteGeneration(2, 25.0, start_h=0.0)
    rec = run([site(Firm(directed_backup=False), generation=g)], [100.0], 300.0, gen_avail=50.0)
    assert rec.site_generation_mw.sum() == 0.0


def test_site_never_exports():
    g = OnsiteGeneration(1, 100.0, start_h=0.0)
    s = site(ConnectAndManage(), SiteBattery(100.0, 200.0, 1.0, 0.0), g)
    rec = run([s], [500.0], 150.0, gen_avail=100.0)
    # battery 100, curtail the remaining 50 of the site's 150 MW, nothing left for its generation
    np.testing.assert_allclose(rec.region_mw[0, 0, :4], [100.0, 50.0, 0.0, 0.0])


def test_dr_hour_limit():
    order = EmergencyOrder(demand_response=(DemandResponse("dr", "A", 10.0, max_hours_per_year=2.0),))
    rec = run([], [10.0] * 4, np.zeros((1, 0)), order)
    np.testing.assert_allclose(rec.dr_mw[:, 0], [10, 10, 0, 0])


def test_regions_are_independent():
    s = [site(ConnectAndManage(), region="A", name="a"), site(ConnectAndManage(), region="B", name="b")]
    rec = run(s, [[100.0, 0.0]], [500.0, 500.0], regions=("A", "B"), firm_load=[1000.0, 1000.0])
    np.testing.assert_allclose(rec.site_curtail_mw[0], [100.0, 0.0])


def test_skipped_periods_end_events():
    """Events are judged by period index: a gap ends the event without a call in between."""
    p = pack([site(CappedCurtailment(100, 1, 1.0))], EmergencyOrder(), ["A"])
    ss, ds = np.zeros((1, E.NSS)), np.zeros((0, E.NDS))
    so, do, ro = np.zeros((1, E.NSO)), np.zeros(0), np.zeros((1, E.NRO))
    E.reset_sample(p.site_par, ss, ds)
    args = (p.order, np.array([50.0]), np.zeros(1), np.array([400.0]), np.zeros(1), p.site_region,
            p.site_par, ss, p.dr_region, p.dr_par, ds, p.region_par, so, do, ro)
    assert E.apply_emergency_order(0, 1.0, *args) == 0.0
    assert E.apply_emergency_order(1, 1.0, *args) == pytest.approx(50.0)  # event at its 1 h limit
    assert E.apply_emergency_order(5, 1.0, *args) == 0.0  # new event after the gap
    assert ss[0, E.SS_EVENTS] == 2.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.0, 900.0), min_size=1, max_size=30), st.floats(0.0, 300.0), st.floats(0.1, 1.0),
       st.floats(1.0, 10.0))
def test_invariants(shortfalls, bat_p, depth, max_h):
    sites = [site(ConnectAndManage(depth), SiteBattery(bat_p, 2 * bat_p + 1, 0.9, 0.1), name="cm"),
             site(CappedCurtailment(max_h, 3.0, 0.3), None, OnsiteGeneration(2, 20.0), name="cap")]
    order = EmergencyOrder(demand_response=(DemandResponse("dr", "A", 40.0, max_h, 2.0),), imports_mw={"A": 30.0})
    loads = np.array([400.0, 300.0])
    rec = run(sites, shortfalls, loads, order, firm_load=2000.0, gen_avail=40.0)
    sh = np.asarray(shortfalls)[:, None]
    # energy balance of every allocation
    np.testing.assert_allclose(rec.region_mw.sum(axis=2), np.where(sh > E.EPS_MW, sh, 0.0), atol=1e-6)
    assert (rec.region_mw >= -1e-12).all()
    # no site draws less than zero
    use = rec.site_battery_mw + rec.site_curtail_mw + rec.site_generation_mw
    assert (use <= loads + 1e-6).all()
    # order: no firm load shed while the connect-and-manage site could still give more
    cm_left = np.minimum(depth * loads[0], loads[0] - rec.site_battery_mw[:, 0]) - rec.site_curtail_mw[:, 0]
    assert ((rec.shed_mw[:, 0] <= 1e-9) | (cm_left <= 1e-6)).all()
    # limits never exceeded
    assert rec.site_state[1, E.SS_CURT_H] <= max_h + 1e-9
    assert (rec.site_curtail_mw[:, 1] > 0).sum() <= max_h + 1e-9
    assert (rec.dr_mw[:, 0] > 0).sum() <= max_h + 1e-9
    assert rec.site_state[0, E.SS_SOC] >= 0.1 * (2 * bat_p + 1) - 1e-6


def test_pack_rejects_unknown_region_and_sets_depth_from_flexibility():
    from gigawatt.datacenter.resources import ComputeFlexibility
    from gigawatt.datacenter.throughput import JobClass
    from gigawatt.errors import InputError

    with pytest.raises(InputError, match=r"sites\[0\].region: expected one of \['A'\], got 'Z'"):
        pack([site(region="Z")], EmergencyOrder(), ["A"])
    sp = SitePower((Fleet("H100", 1000),), pue=1.0, gpu_utilisation=1.0)
    flex = ComputeFlexibility(jobs=(JobClass("inf", 1.0, 0.05, 0.0),))
    dc = DataCenterSite("dc", "A", sp, ConnectAndManage(), flex)
    # tier 5 % slowdown -> cap 0.85 -> 0.105 MW of 1.4025 MW
    assert dc.curtail_depth_frac() == pytest.approx(0.105 / 1.4025, rel=1e-6)
    assert pack([dc], EmergencyOrder(), ["A"]).site_par[0, E.SP_DEPTH] == pytest.approx(0.105 / 1.4025, rel=1e-6)


def test_battery_state_stays_within_bounds_over_cycles():
    b = SiteBattery(50.0, 100.0, 0.9, 0.2)
    sh = np.tile([80.0, 80.0, 0.0, 0.0, 0.0], 4)
    rec = run([site(Firm(), b)], sh, 500.0, surplus=np.full((sh.size, 1), 1000.0))
    assert 20.0 - 1e-9 <= rec.site_state[0, E.SS_SOC] <= 100.0 + 1e-9
    # discharged energy equals what the records show
    assert rec.site_state[0, E.SS_BAT_MWH] == pytest.approx(rec.site_battery_mw.sum())
