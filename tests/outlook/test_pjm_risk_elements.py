"""What the PJM model adds to the fleet's outages, each on a hand-worked toy: load forecast uncertainty
(one factor per sample), the capacity benefit of ties (emergency imports), demand response with its
event limits, voltage reduction left out of the criterion, and the describe keys."""

import math

import numpy as np
import pandas as pd
import pytest

from gigawatt import Generators, Regions, SequentialMonteCarlo, Shortfall, ShortfallSamples, SystemModel, TimeAxis, assess
from gigawatt.datacenter import emergency as E
from gigawatt.datacenter.order import DemandResponse, EmergencyOrder, pack, run_emergency
from gigawatt.datacenter.system import DataCenterSystem
from gigawatt.errors import InputError
from gigawatt import Convolution
from gigawatt.methods._rng import load_factors
from gigawatt.systems import pjm

T = 48


def _toy(load_mw=980.0, cap_mw=1000.0, sd=0.0):
    """One region, one unit that never fails: short exactly when the load exceeds ``cap_mw``."""
    gens = Generators(["g"], ["g"], ["A"], np.full((1, T), cap_mw), np.zeros((1, T)), np.array([1.0]), n_periods=T)
    return SystemModel(TimeAxis(pd.Timestamp("2026-01-01T00:00Z"), 1.0, T), Regions(["A"], np.full((1, T), load_mw)),
                       gens, load_forecast_sd=sd)


# ------------------------------------------------------------------------ load forecast uncertainty
def test_load_factors_have_the_given_mean_and_sd():
    n, sd = 4000, 0.02
    f = load_factors(3, range(n), sd)
    assert abs(f.mean() - 1.0) < 3 * sd / math.sqrt(n)
    assert abs(f.std(ddof=1) - sd) < 3 * sd / math.sqrt(2 * (n - 1))
    assert np.array_equal(f[100:200], load_factors(3, range(100, 200), sd))  # sample i's own stream


def test_each_sample_is_short_exactly_when_its_factor_lifts_the_load_above_capacity():
    # 980 MW against 1,000 MW that never fails: sample i is short in all 48 hours iff 980 f_i > 1,000
    samples, seed, sd = 300, 7, 0.02
    r = assess(_toy(sd=sd), SequentialMonteCarlo(samples=samples, seed=seed), ShortfallSamples())
    f = load_factors(seed, range(samples), sd)
    assert np.array_equal(r.lolh_h.values, np.where(980.0 * f > 1000.0, float(T), 0.0))
    assert 0 < (980.0 * f > 1000.0).sum() < samples  # both outcomes occur
    # independent of how the samples are chunked
    c = assess(_toy(sd=sd), SequentialMonteCarlo(samples=samples, seed=seed, chunk_size=37), ShortfallSamples())
    assert np.array_equal(c.lolh_h.values, r.lolh_h.values)
    # switched off: the load as given, never short
    assert assess(_toy(sd=0.0), SequentialMonteCarlo(samples=50, seed=seed), Shortfall()).lolh_h.mean == 0.0


def test_with_sites_only_the_residents_load_takes_the_factor():
    # residents 900 MW, a site of 90 MW, 1,000 MW of capacity: short iff 900 f + 90 > 1,000
    samples, seed, sd = 200, 5, 0.01
    grid = _toy(load_mw=900.0, sd=sd)
    from gigawatt.datacenter.order import DataCenterSite
    from gigawatt.datacenter.power import Fleet, SitePower
    site = DataCenterSite("dc", "A", SitePower((Fleet("GB200", 2),)))
    dcs = DataCenterSystem(grid, sites=(site,), order=EmergencyOrder(voltage_reduction_frac=0.0),
                           site_load_mw=np.full((1, T), 90.0))
    r = assess(dcs, SequentialMonteCarlo(samples=samples, seed=seed), ShortfallSamples())
    f = load_factors(seed, range(samples), sd)
    assert np.array_equal(r.lolh_h.values > 0, 900.0 * f + 90.0 > 1000.0 + 1e-6)
    assert 0 < (r.lolh_h.values > 0).sum() < samples


def test_pjm_load_forecast_sd_by_lead_time():
    # lead time from the forecast's vintage (the 2026 report by default), at least one year
    assert pjm.PJMAssumptions(year=2026).lfu_lead_years() == 1
    assert pjm.PJMAssumptions(year=2026).lfu_sd() == pjm.LOAD_FORECAST_SD_BY_LEAD[0]
    assert pjm.PJMAssumptions(year=2028).lfu_sd() == pjm.LOAD_FORECAST_SD_BY_LEAD[1]
    assert pjm.PJMAssumptions(year=2028, load_forecast="2025").lfu_sd() == pjm.LOAD_FORECAST_SD_BY_LEAD[2]
    assert pjm.PJMAssumptions(year=2040).lfu_sd() == pjm.LOAD_FORECAST_SD_BY_LEAD[-1]
    assert pjm.PJMAssumptions(year=2026, load_forecast_sd=0.0).lfu_sd() == 0.0
    with pytest.raises(InputError, match="load_forecast_sd"):
        pjm.PJMAssumptions(load_forecast_sd=0.5)
    with pytest.raises(InputError, match="load forecast uncertainty"):
        assess(_toy(sd=0.01), Convolution())


# ------------------------------------------------------------------------ capacity benefit of ties
def _order_toy(order, short_mw, load_mw=1000.0):
    pk = pack((), order, ["A"], limit_year_periods=0)
    n = len(short_mw)
    return run_emergency(pk, 1.0, np.asarray(short_mw, float)[:, None], np.full((n, 1), load_mw), np.zeros((n, 0)))


def test_ties_cover_a_shortfall_of_exactly_their_size():
    # 1,000 MW of load on 900 MW that never fails, 100 MW of emergency imports: never short;
    # 99 MW of imports: 1 MW short in every hour
    def run(imports):
        grid = _toy(load_mw=1000.0, cap_mw=900.0)
        dcs = DataCenterSystem(grid, order=EmergencyOrder(imports_mw={"A": imports}, voltage_reduction_frac=0.0))
        return assess(dcs, SequentialMonteCarlo(samples=4, seed=1), Shortfall())
    assert run(100.0).lolh_h.mean == 0.0
    short = run(99.0)
    assert short.lolh_h.mean == T
    assert short.eue_mwh.mean == pytest.approx(1.0 * T)


def test_pjm_cbot_is_emergency_imports_into_the_rest():
    a = pjm.PJMAssumptions(year=2026)
    order = pjm.emergency_order(a)
    assert order.imports_mw == {"REST": pytest.approx(0.015 * pjm.forecast_peak_mw(2026))}
    assert pjm.emergency_order(pjm.PJMAssumptions(year=2026, zones=False)).imports_mw.keys() == {"PJM"}
    assert pjm.emergency_order(pjm.PJMAssumptions(year=2026, cbot_frac=0.0)).imports_mw == {}
    # PJM's criterion counts no voltage reduction
    assert order.voltage_reduction_frac == 0.0


# ------------------------------------------------------------------------ demand response limits
def test_demand_response_stops_after_its_events_per_year():
    # five separate 2-h shortfalls of 50 MW; 100 MW of DR with 2 events a year of up to 3 h: the first two
    # are covered (4 h), the other three shed (6 h, 300 MWh)
    short = np.zeros(30)
    for k in range(5):
        short[6 * k:6 * k + 2] = 50.0
    dr = DemandResponse("dr", "A", 100.0, max_event_h=3.0, max_events_per_year=2.0)
    rec = _order_toy(EmergencyOrder(demand_response=(dr,), voltage_reduction_frac=0.0), short)
    assert (rec.dr_mw[:, 0] > 0).sum() == 4
    assert rec.dr_mw[:12, 0].sum() == pytest.approx(200.0)
    assert rec.shed_mw[:, 0].sum() == pytest.approx(300.0)
    assert rec.dr_state[0, E.DS_EVENTS] == 2.0
    # a long shortfall: one event of at most 3 h, then a break, then the second event
    long = np.full(10, 50.0)
    rec = _order_toy(EmergencyOrder(demand_response=(dr,), voltage_reduction_frac=0.0), long)
    assert list((rec.dr_mw[:, 0] > 0).astype(int)) == [1, 1, 1, 0, 1, 1, 1, 0, 0, 0]


def test_demand_response_gives_nothing_outside_its_window():
    # 50 MW short in hours 0-5; the program is available in hours 2-3 only: one 2-h event, 4 h shed
    short = np.zeros(8)
    short[:6] = 50.0
    window = np.array([0, 0, 1, 1, 0, 0, 0, 0], float)
    dr = DemandResponse("dr", "A", 100.0, availability=window)
    rec = _order_toy(EmergencyOrder(demand_response=(dr,), voltage_reduction_frac=0.0), short)
    assert list(rec.dr_mw[:, 0]) == [0, 0, 50, 50, 0, 0, 0, 0]
    assert rec.shed_mw[:, 0].sum() == pytest.approx(200.0)
    assert rec.dr_state[0, E.DS_EVENTS] == 1.0
    half = DemandResponse("dr", "A", 100.0, availability=0.4 * window)  # 40 % of 100 MW
    rec = _order_toy(EmergencyOrder(demand_response=(half,), voltage_reduction_frac=0.0), short)
    assert rec.dr_mw[:, 0].sum() == pytest.approx(80.0)


def test_pjm_demand_response_at_its_availability_with_the_rules_of_the_year():
    a26, a27 = pjm.PJMAssumptions(year=2026, weather_years=(2022,)), pjm.PJMAssumptions(year=2027)
    assert a26.dr_availability_frac() == a27.dr_availability_frac() == 0.92  # DR ELCC in all hours ([S16])
    assert (a26.dr_events_per_year(), a27.dr_events_per_year()) == (10.0, math.inf)
    order = pjm.emergency_order(a26)
    assert sum(p.capacity_mw for p in order.demand_response) == pytest.approx(8_184.0 * 0.92)
    assert {p.max_events_per_year for p in order.demand_response} == {10.0}
    # windows through 2026/27: 7 Jan 18:00 EST (in the winter window), 03:00 (outside), 15 Jul 21:00 EST
    # = 22:00 EDT (outside the summer window), 20:00 EST = 21:00 EDT (inside)
    w = order.demand_response[0].availability
    day = lambda m, d: (pd.Timestamp(2023, m, d) - pd.Timestamp(2023, 1, 1)).days
    assert w.shape == (8760,)
    assert (w[day(1, 7) * 24 + 18], w[day(1, 7) * 24 + 3]) == (1.0, 0.0)
    assert (w[day(7, 15) * 24 + 21], w[day(7, 15) * 24 + 20]) == (0.0, 1.0)
    assert 12 * 365 < w.sum() < 15 * 365
    assert pjm.emergency_order(a27).demand_response[0].availability is None  # all hours from 2027/28
    full = pjm.emergency_order(pjm.PJMAssumptions(year=2027, dr_availability=1.0))
    assert sum(p.capacity_mw for p in full.demand_response) == pytest.approx(8_184.0)


# ------------------------------------------------------------------------ describe
def test_describe_reports_the_risk_elements():
    from gigawatt.systems.describe import describe_pjm

    d = describe_pjm(2026, weather_years=(2022,), replay=False)
    lfu = d["load_forecast_uncertainty"]
    assert set(lfu) >= {"distribution", "sd_by_lead_year", "source"}
    assert lfu["sd"] == 0.01 and lfu["sd_by_lead_year"]["1"] == 0.01
    assert d["cbot_mw"] == pytest.approx(0.015 * pjm.forecast_peak_mw(2026))
    dr = d["demand_response"]
    assert (dr["icap_mw"], dr["availability"], dr["max_events"], dr["max_hours"]) == (8_184.0, 0.92, 10.0, 60.0)
    assert dr["windows_ept"] == {"summer": [10, 22], "winter": [6, 21]}
    assert "source" in dr
    assert d["cold"] == {"factor": pjm.COLD_SCALE_FITTED, "replays": []}
    assert [w["year"] for w in d["weather_years"]] == [2022]  # its own keys, tested in test_system_describe


def test_scenario_files_set_the_forecast_uncertainty_and_the_ties():
    from gigawatt.io.outlook_scenario import parse_outlook_scenario

    doc = {"load": {"forecast_sd": 0.0, "weather_years": [2022]}, "capacity": {"cbot_frac": 0.02},
           "run": {"first_year": 2026, "last_year": 2026}}
    o = parse_outlook_scenario(doc).assumptions
    a = o.pjm(2026)
    assert (a.lfu_sd(), a.cbot_frac, o.grid(2026).load_forecast_sd) == (0.0, 0.02, 0.0)
    assert parse_outlook_scenario({"run": {"first_year": 2029, "last_year": 2029}}).assumptions.pjm(2029).lfu_sd() == 0.02
    with pytest.raises(InputError, match="load.forecast_sd"):
        parse_outlook_scenario({"load": {"forecast_sd": 0.5}})
