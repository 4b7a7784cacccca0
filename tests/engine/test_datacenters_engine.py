"""Data centers in the full sequential Monte Carlo engine: hand-worked toys with exact answers,
the emergency order in every period, energy balance, and identity/independence properties."""

import numpy as np
import pytest

from gigawatt import (
    DataCenters,
    DataCenterSystem,
    Generators,
    Interfaces,
    Regions,
    SequentialMonteCarlo,
    Shortfall,
    SystemModel,
    TimeAxis,
    assess,
)
from gigawatt.datacenter import emergency as E
from gigawatt.datacenter.contracts import CappedCurtailment, ConnectAndManage, Firm
from gigawatt.datacenter.metrics import residents_sample, site_sample
from gigawatt.datacenter.order import DataCenterSite, EmergencyOrder, run_emergency
from gigawatt.datacenter.outages import RotationPolicy
from gigawatt.datacenter.power import Fleet, SitePower
from gigawatt.datacenter.resources import OnsiteGeneration, SiteBattery
from gigawatt.errors import InputError
from gigawatt.io.pras import read_pras
from gigawatt.execution import simulate
from gigawatt.methods.sequential import Accumulators, prepare, run_chunk, trace_sample
from gigawatt.results.datacenter import resident_samples, site_samples
from gigawatt.io.catalogue import embedded_system

MC = SequentialMonteCarlo(samples=4, seed=1, threads=1)
POWER = SitePower((Fleet("H100", 50_000),))  # ~85 MW; the toys set site load explicitly
ROT = RotationPolicy(people_per_mw=1000.0, customers_per_person=0.5)  # 4,000 customers per block at 1 GW peak
NO_RELIEF = EmergencyOrder(voltage_reduction_frac=0.0)


def toy(firm_load, gen_mw=1000.0):
    T = len(firm_load)
    return SystemModel(TimeAxis("2024-01-01", 1.0, T), Regions(["A"], [firm_load]),
                       Generators(["g"], None, ["A"], gen_mw, 0.0, 1.0, n_periods=T))


def firm_load_with_peak(T=24, base=850.0, peak_t=5, peak=1000.0):
    load = np.full(T, base)
    load[peak_t] = peak
    return load


def one_site(site, firm, order=NO_RELIEF, site_mw=100.0):
    T = len(firm)
    return DataCenterSystem(toy(firm), (site,), order, ROT, site_load_mw=np.full((1, T), site_mw))


def test_battery_covers_half_and_connect_and_manage_the_rest():
    # gen 1000; firm 850 (1000 at t=5); site 100 -> shortfall 100 MW in one hour.
    # battery 50 MW / 100 MWh, lossless, full: gives 50; connect-and-manage curtails 50; nothing shed.
    # t=6: surplus 50 recharges the battery (50 MWh) to full, then every period is quiet.
    site = DataCenterSite("dc", "A", POWER, ConnectAndManage(),
                          battery=SiteBattery(50.0, 100.0, round_trip_efficiency=1.0, reserve_frac=0.0))
    sys_ = one_site(site, firm_load_with_peak())
    short, dc = assess(sys_, MC, Shortfall(), DataCenters())
    assert short.lolh_h.mean == 0.0 and short.eue_mwh.mean == 0.0
    s = dc.sites["dc"]
    assert s["battery_mwh"].mean == 50.0 and s["battery_cycles"].mean == 0.5
    assert s["curtailed_mwh"].mean == 50.0 and s["curtailed_h"].mean == 1.0 and s["events"].mean == 1.0
    assert s["max_depth_frac"].mean == 0.5 and s["recharge_mwh"].mean == 50.0
    assert s["gpu_hours_lost"].mean > 0 and s["gpu_hours_lost"].stderr == 0.0
    r = dc.residents
    assert r["unserved_before_order_mwh"].mean == 100.0 and r["emergency_relief_mwh"].mean == 100.0
    assert r["customers_interrupted"].mean == 0.0
    tr = trace_sample(sys_, 1)
    np.testing.assert_allclose(tr.site_battery_mw.values[:, 0], np.where(np.arange(24) == 5, 50.0, 0.0))
    np.testing.assert_allclose(tr.site_charge_mw.values[:, 0], np.where(np.arange(24) == 6, 50.0, 0.0))
    np.testing.assert_allclose(tr.surplus_mw.values[6, 0], 0.0)


def test_firm_site_without_resources_sheds_firm_load_in_rotation():
    # same shortfall, firm site: 100 MW of firm load shed in one hour.
    # block = 0.8 * 1000 / 100 = 8 MW -> 12.5 blocks -> 25 half-hour turns of 4,000 customers each.
    sys_ = one_site(DataCenterSite("dc", "A", POWER, Firm()), firm_load_with_peak())
    short, dc = assess(sys_, MC, Shortfall(), DataCenters())
    assert short.lolh_h.mean == 1.0 and short.eue_mwh.mean == 100.0 and short.lole_d.mean == 1.0
    r = dc.residents
    assert r["lole_d"].mean == 1.0 and r["eue_mwh"].mean == 100.0
    assert r["customers_interrupted"].mean == pytest.approx(25 * 4000)
    assert r["people_interrupted"].mean == pytest.approx(50 * 4000)
    assert r["customer_hours"].mean == pytest.approx(12.5 * 4000)
    assert r["mean_hours_per_customer"].mean == pytest.approx(0.5)
    assert r["longest_outage_h"].mean == pytest.approx(0.5) and r["collapsed_h"].mean == 0.0
    assert dc.sites["dc"]["curtailed_mwh"].mean == 0.0


def test_capped_curtailment_and_voltage_reduction():
    # capped contract, depth 25 % of 100 MW -> 25 MW; voltage reduction 2 % of 1000 MW firm -> 20 MW; shed 55
    site = DataCenterSite("dc", "A", POWER, CappedCurtailment(max_hours_per_year=50, max_event_h=4,
                                                                max_depth_frac=0.25))
    sys_ = one_site(site, firm_load_with_peak(), EmergencyOrder(voltage_reduction_frac=0.02))
    short, dc = assess(sys_, MC, Shortfall(), DataCenters())
    assert dc.sites["dc"]["curtailed_mwh"].mean == 25.0
    assert short.eue_mwh.mean == pytest.approx(55.0)
    tr = trace_sample(sys_, 1)
    em = tr.emergency_mw.sel(region="A").values[5]
    np.testing.assert_allclose(em, [0, 25, 0, 0, 0, 20, 55])


@pytest.mark.parametrize("limit, curtailed, shed", [(1000.0, 100.0, 0.0), (30.0, 30.0, 70.0)])
def test_relief_reaches_another_region_over_the_interface(limit, curtailed, shed):
    # A: gen 1000, firm 850 (1100 at t=5) -> 100 MW short at t=5. B: gen 500, firm 250 and a
    # 250 MW connect-and-manage site -> no surplus. The site is curtailed for A's shortfall as far
    # as the interface allows; the relief flows B -> A.
    T = 24
    firm_a = firm_load_with_peak(T, 850.0, 5, 1100.0)
    grid = SystemModel(TimeAxis("2024-01-01", 1.0, T), Regions(["A", "B"], [firm_a, np.full(T, 250.0)]),
                       Generators(["ga", "gb"], None, ["A", "B"], [1000.0, 500.0], 0.0, 1.0, n_periods=T),
                       interfaces=Interfaces(["A"], ["B"], limit, limit, n_periods=T))
    site = DataCenterSite("dc", "B", POWER, ConnectAndManage())
    sys_ = DataCenterSystem(grid, (site,), NO_RELIEF, ROT, site_load_mw=np.full((1, T), 250.0))
    short, dc = assess(sys_, MC, Shortfall(), DataCenters())
    assert dc.sites["dc"]["curtailed_mwh"].mean == pytest.approx(curtailed)
    assert short.eue_mwh.mean == pytest.approx(shed)
    assert short.regions["A"].eue_mwh.mean == pytest.approx(shed) and short.regions["B"].eue_mwh.mean == 0.0
    tr = trace_sample(sys_, 1)
    assert tr.flow_mw.values[5, 0] == pytest.approx(-curtailed)  # A -> B negative: B exports the relief
    np.testing.assert_allclose(tr.emergency_mw.sel(region="B").values[5], [0, curtailed, 0, 0, 0, 0, 0])
    np.testing.assert_allclose(tr.emergency_mw.sel(region="A").values[5], [0, 0, 0, 0, 0, 0, shed])


def test_onsite_generation_start_and_hour_limits():
    # two 40 MW units that never fail; start 0.25 h -> 60 MW in the first hour, 80 MW after.
    # shortfall 100 MW for 3 hours (t=5..7), run limit 2 h -> shed 40, 20, 100.
    firm = np.full(24, 850.0)
    firm[5:8] = 1000.0
    gen = OnsiteGeneration(2, 40.0, forced_outage_rate=0.0, max_hours_per_year=2.0)
    sys_ = one_site(DataCenterSite("dc", "A", POWER, Firm(), generation=gen), firm)
    short, dc = assess(sys_, MC, Shortfall(), DataCenters())
    assert short.eue_mwh.mean == pytest.approx(160.0) and short.lolh_h.mean == 3.0
    s = dc.sites["dc"]
    assert s["generation_h"].mean == 2.0 and s["generation_mwh"].mean == pytest.approx(140.0)


def test_onsite_generation_outages_are_drawn():
    # one 100 MW unit, FOR 0.3, MTTR 2 h; shortfall 100 MW every hour of the day, start 0:
    # expected generation = 24 h * 100 MW * 0.7 (steady state from the first period)
    firm = np.full(24, 1000.0)
    gen = OnsiteGeneration(1, 100.0, forced_outage_rate=0.3, mttr_h=2.0, start_h=0.0)
    sys_ = one_site(DataCenterSite("dc", "A", POWER, Firm(), generation=gen), firm)
    dc = assess(sys_, SequentialMonteCarlo(samples=2000, seed=3), DataCenters())
    g = dc.sites["dc"]["generation_mwh"]
    assert g.stderr > 0 and g.within(24 * 100 * 0.7)
    assert dc.residents["eue_mwh"].within(24 * 100 * 0.3)


def test_empty_sites_are_bit_identical_to_the_plain_system(shared_data):
    for base in (embedded_system("ieee-rts79"), read_pras(shared_data / "pras/rts.pras").with_added_load(700.0)):
        m = SequentialMonteCarlo(samples=30, seed=5, threads=2, chunk_size=11)
        a = simulate(base, m)
        b = simulate(DataCenterSystem(base, (), NO_RELIEF), m)
        for name in ("lolp", "lold", "lold_peak", "eue", "events", "r_lolp", "r_lold", "r_eue", "short_t",
                     "eue_rt", "eue_sq_rt", "dur_hist", "depth_hist", "energy_hist"):
            assert np.array_equal(getattr(a, name), getattr(b, name)), name


def test_order_respected_and_energy_balance_every_period(rts_dc):
    grid = rts_dc.total_system()
    idx = {n: i for i, n in enumerate(grid.regions.names)}
    cm_r = idx["3"]
    n_short = 0
    for sample in range(3):
        tr = trace_sample(rts_dc, 7, sample)
        shed = tr.unserved_mw.values
        em = tr.emergency_mw.values
        load = tr.load_mw.values
        # no firm load shed in region 3 while the connect-and-manage site still draws power
        draw = (tr.site_load_mw.values[:, 0] - tr.site_battery_mw.values[:, 0] - tr.site_curtail_mw.values[:, 0]
                - tr.site_generation_mw.values[:, 0])
        assert np.all(draw[shed[:, cm_r] > 1e-6] < 1e-6)
        # firm site is never curtailed
        assert np.all(tr.site_curtail_mw.values[:, 1] == 0.0)
        np.testing.assert_allclose(em[:, :, E.RO_SHED], shed)
        # balance: generation used + storage + net imports + emergency relief + shed = load + battery recharge
        net_import = np.zeros(load.shape)
        itf = grid.interfaces
        for k, (a, b) in enumerate(zip(itf.regions_from, itf.regions_to)):
            net_import[:, idx[a]] -= tr.flow_mw.values[:, k]
            net_import[:, idx[b]] += tr.flow_mw.values[:, k]
        stor = np.zeros(load.shape)
        for i, r in enumerate(grid.storages.regions):
            stor[:, idx[r]] += tr.storage_power_mw.values[:, i]
        for i, r in enumerate(grid.generatorstorages.regions):
            stor[:, idx[r]] += tr.genstor_power_mw.values[:, i]
        charge = np.zeros(load.shape)
        for i, s in enumerate(rts_dc.sites):
            charge[:, idx[s.region]] += tr.site_charge_mw.values[:, i]
        used = tr.available_mw.values - tr.surplus_mw.values
        lhs = used + stor + net_import + em.sum(axis=2)
        np.testing.assert_allclose(lhs, load + charge, atol=1e-5)
        n_short += int((em[:, :, :E.RO_SHED].sum(axis=2) > 0).sum())
    assert n_short > 0  # the check saw emergency actions


def test_kernel_matches_python_reference_per_sample(rts_dc):
    # one sample: the engine's per-sample results equal metrics.py and order.run_emergency on its trace
    seed, sample = 7, 1
    tr = trace_sample(rts_dc, seed, sample)
    acc = run_chunk(prepare(rts_dc), seed, sample, 1, 1, False)
    dt = 1.0
    shortfall = tr.emergency_mw.values.sum(axis=2)
    sites = site_samples(acc, rts_dc)
    # site 0 has no on-site generation: the reference driver reproduces its battery and curtailment
    assert tr.site_curtail_mw.values[:, 0].sum() > 0
    for i, s in enumerate(rts_dc.sites):
        ref = site_sample(s, dt, tr.site_load_mw.values[:, i], tr.site_curtail_mw.values[:, i],
                          tr.site_battery_mw.values[:, i], tr.site_generation_mw.values[:, i])
        for f in ("events", "curtailed_h", "curtailed_mwh", "max_depth_frac", "battery_mwh", "generation_h",
                  "generation_mwh", "gpu_hours_lost", "restarts", "throughput_lost_frac"):
            assert sites[s.name][f][0] == pytest.approx(getattr(ref, f), rel=1e-9, abs=1e-9), (s.name, f)
    res = resident_samples(acc, rts_dc)
    firm = tr.firm_load_mw.values
    cust = ch = 0.0
    for r in range(firm.shape[1]):
        ref = residents_sample(tr.unserved_mw.values[:, r], firm[:, r], dt, rts_dc.timeaxis.day_index(),
                               firm[:, r].max(), rts_dc.rotation)
        cust += ref.customers_interrupted
        ch += ref.customer_hours
    assert res["customers_interrupted"][0] == pytest.approx(cust)
    assert res["customer_hours"][0] == pytest.approx(ch)
    only_cm = DataCenterSystem(rts_dc.system, rts_dc.sites[:1], rts_dc.order)
    tr1 = trace_sample(only_cm, seed, sample)
    rec = run_emergency(only_cm.packed(), dt, tr1.emergency_mw.values.sum(axis=2), tr1.firm_load_mw.values,
                        tr1.site_load_mw.values, surplus_mw=tr1.surplus_mw.values + tr1.site_charge_mw.values)
    np.testing.assert_allclose(rec.site_curtail_mw[:, 0], tr1.site_curtail_mw.values[:, 0], atol=1e-9)
    np.testing.assert_allclose(rec.site_battery_mw[:, 0], tr1.site_battery_mw.values[:, 0], atol=1e-9)
    np.testing.assert_allclose(rec.shed_mw, tr1.unserved_mw.values, atol=1e-9)
    assert shortfall.sum() > 0


def _same(a, b):
    for name in Accumulators._PER_SAMPLE + Accumulators._SUMS:
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None and y is None) or np.array_equal(x, y), name


def test_identical_for_threads_chunks_and_skipping(rts_dc):
    base = simulate(rts_dc, SequentialMonteCarlo(samples=12, seed=4, threads=1))
    assert base.dc_events.shape[0] > 0 and base.site[:, 0, 0].sum() > 0
    for threads, chunk in ((2, None), (2, 5), (1, 1)):
        _same(base, simulate(rts_dc, SequentialMonteCarlo(samples=12, seed=4, threads=threads, chunk_size=chunk)))
    prep = prepare(rts_dc)
    fast = run_chunk(prep, 4, 0, 12, 1, False)
    dense = run_chunk(prep, 4, 0, 12, 1, True)  # visits every period
    for name in ("lolp", "eue", "site", "res", "dr", "dc_events"):
        assert np.array_equal(getattr(fast, name), getattr(dense, name)), name
    _same(base, fast)


def test_event_buffer_sizing_does_not_change_results(rts_dc, monkeypatch):
    # a chunk with no event count known yet runs a few samples first to size the event buffer; a buffer
    # too small for the events overflows and the chunk runs again: both give the same results
    import gigawatt.methods.sequential as seq

    base = run_chunk(prepare(rts_dc), 4, 0, 140, 2, False)
    monkeypatch.setattr(seq, "EVENTS_PER_SAMPLE_MIN", 0.01)
    prep = prepare(rts_dc)
    pilot = run_chunk(prep, 4, 0, 140, 2, False)
    assert prep.events_hint > 1.0  # learnt from the first samples
    prep.events_hint = 1e-3  # far too few: overflow, run again
    rerun = run_chunk(prep, 4, 0, 140, 2, False)
    assert base.dc_events.shape[0] > 140
    for other in (pilot, rerun):
        _same(base, other)
        for name in ("site", "res", "dr", "dc_events"):
            assert np.array_equal(getattr(base, name), getattr(other, name)), name


def test_sites_leave_grid_outage_draws_unchanged(rts_dc):
    # on-site units draw from their own stream: with a firm site without resources and no relief
    # steps, shed equals the plain system's unserved with the site's load added
    site = DataCenterSite("firm", "1", SitePower((Fleet("H100", 100_000),)), Firm(),
                          generation=OnsiteGeneration(3, 10.0))
    order = EmergencyOrder(steps=(), voltage_reduction_frac=0.0)
    with_gen = DataCenterSystem(rts_dc.system, (site,), order)
    m = SequentialMonteCarlo(samples=10, seed=2, threads=1)
    a = simulate(with_gen, m)
    b = simulate(with_gen.total_system(), m)
    assert np.array_equal(a.eue, b.eue) and np.array_equal(a.lolp, b.lolp)


def test_errors():
    with pytest.raises(InputError, match="sites\\[0\\].region"):
        DataCenterSystem(toy([1.0]), (DataCenterSite("dc", "B", POWER),))
    from gigawatt import Convolution

    with pytest.raises(InputError, match="Convolution"):
        assess(DataCenterSystem(toy([1.0])), Convolution())
    with pytest.raises(InputError, match="DataCenters"):
        assess(toy([1.0]), MC, DataCenters())


def test_vectorised_event_costs_equal_the_reference():
    from gigawatt.datacenter.metrics import event_cost, event_costs
    from gigawatt.datacenter.power import colossus2

    site = DataCenterSite("c", "A", colossus2())
    peak = site.power.peak_facility_mw
    cuts = np.concatenate([np.linspace(0.0, 1.1 * peak, 57), [1e-9, 5.0]])
    for d, load in ((0.5, peak), (2.0, peak), (5.0, 0.8 * peak)):
        lost, restarts = event_costs(site, cuts, d, load)
        ref = [event_cost(site, c, d, load) for c in cuts]
        np.testing.assert_allclose(lost, [r[0] for r in ref], rtol=1e-12, atol=1e-9)
        assert restarts.tolist() == [r[1] for r in ref]
    assert lost[-3] > 0 and restarts.max() >= 1  # the check covers cuts that pause jobs


def test_steps_without_resources_are_left_out():
    """Steps with no resource of their kind are dropped from the order the engine runs."""
    from gigawatt.datacenter import emergency as E

    site_par = np.zeros((2, E.NSP))
    site_par[0, E.SP_TIER] = 1.0  # connect-and-manage, no battery, no generation
    dr_par = np.zeros((0, E.NDP))
    region_par = np.zeros((3, E.NRP))
    region_par[1, E.RP_VR_FRAC] = 0.02
    order = E.DEFAULT_ORDER
    assert list(E.active_steps(order, site_par, dr_par, region_par)) == [E.STEP_CURTAIL_MANAGED, E.STEP_VOLTAGE]
    site_par[1, E.SP_BAT_P] = 10.0
    site_par[1, E.SP_TIER] = 2.0
    site_par[1, E.SP_GEN_DIRECTED] = 1.0
    region_par[2, E.RP_IMPORT_MW] = 50.0
    dr_par = np.zeros((1, E.NDP))
    dr_par[0, E.DP_MW] = 100.0
    assert list(E.active_steps(order[::-1], site_par, dr_par, region_par)) == list(order[::-1])
