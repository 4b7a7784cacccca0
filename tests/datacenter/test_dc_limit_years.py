"""Yearly limits over a horizon of several years back to back: each year gets its own limits.

Hand-worked toys: the emergency kernel's reference driver over two short "years", and the full
engine over two 24-hour "years" (``limit_year_h=24``) against the same system with the whole
horizon as one year.
"""

import numpy as np
import pytest

from gigawatt import DataCenters, DataCenterSystem, Generators, Regions, SequentialMonteCarlo, Shortfall, SystemModel
from gigawatt import TimeAxis, assess
from gigawatt.datacenter import emergency as E
from gigawatt.datacenter.contracts import CappedCurtailment, Firm
from gigawatt.datacenter.order import DataCenterSite, DemandResponse, EmergencyOrder, pack, run_emergency
from gigawatt.datacenter.outages import RotationPolicy
from gigawatt.datacenter.power import Fleet, SitePower
from gigawatt.datacenter.resources import OnsiteGeneration
from gigawatt.errors import InputError

POWER = SitePower((Fleet("H100", 50_000),))


def _run(sites, order, shortfall, site_load, limit_year_periods, gen_avail=None):
    p = pack(sites, order, ["A"], limit_year_periods=limit_year_periods)
    T = len(shortfall)
    sh = np.asarray(shortfall, dtype=float).reshape(T, 1)
    sl = np.full((T, len(sites)), site_load)
    ga = None if gen_avail is None else np.full((T, len(sites)), gen_avail)
    return run_emergency(p, 1.0, sh, np.full((T, 1), 1000.0), sl, ga)


def test_contract_dr_and_generation_limits_start_again_each_year():
    # two years of 4 periods, 100 MW short in every period; the site (400 MW) may be curtailed 2 h a
    # year by 25 % (100 MW), DR gives 30 MW for 1 h a year, the site's generation (start 0 h, 40 MW)
    # runs 3 h a year. Order: curtail (voluntary), DR, generation.
    site = DataCenterSite("dc", "A", POWER, CappedCurtailment(2.0, 10.0, 0.25),
                          generation=OnsiteGeneration(1, 40.0, start_h=0.0, max_hours_per_year=3.0))
    order = EmergencyOrder(steps=("curtail_voluntary", "demand_response", "backup_generation"),
                           demand_response=(DemandResponse("dr", "A", 30.0, max_hours_per_year=1.0),),
                           voltage_reduction_frac=0.0)
    rec = _run([site], order, [100.0] * 8, 400.0, limit_year_periods=4, gen_avail=40.0)
    # each year: t0 curtail 100; t1 curtail 100; t2 DR 30 + gen 40 -> shed 30; t3 gen 40 -> shed 60
    year = [100.0, 100.0, 0.0, 0.0]
    np.testing.assert_allclose(rec.site_curtail_mw[:, 0], year * 2)
    np.testing.assert_allclose(rec.dr_mw[:, 0], [0, 0, 30, 0] * 2)
    np.testing.assert_allclose(rec.site_generation_mw[:, 0], [0, 0, 40, 40] * 2)
    np.testing.assert_allclose(rec.shed_mw[:, 0], [0, 0, 30, 60] * 2)
    # totals over the horizon are kept: 4 h curtailed, 2 h of DR, 4 h of generation
    assert rec.site_state[0, E.SS_CURT_H] == 4.0 and rec.site_state[0, E.SS_CURT_MWH] == 400.0
    assert rec.site_state[0, E.SS_GEN_H] == 4.0 and rec.dr_state[0, E.DS_H] == 2.0
    # the whole horizon as one year: the limits bind once, and the second year sheds everything
    one = _run([site], order, [100.0] * 8, 400.0, limit_year_periods=0, gen_avail=40.0)
    np.testing.assert_allclose(one.shed_mw[:, 0], [0, 0, 30, 60, 60, 100, 100, 100])  # generation: 3rd hour at t4
    assert one.site_state[0, E.SS_CURT_H] == 2.0 and one.dr_state[0, E.DS_H] == 1.0


def test_event_limit_runs_over_a_year_boundary():
    # an event that starts in year 0 keeps its length in year 1: max event 3 h, periods 2..4 curtailed,
    # period 5 must rest even though the yearly hours start again at period 4
    site = DataCenterSite("dc", "A", POWER, CappedCurtailment(10.0, 3.0, 1.0))
    rec = _run([site], EmergencyOrder(voltage_reduction_frac=0.0), [0, 0, 50, 50, 50, 50, 50], 400.0,
               limit_year_periods=4)
    np.testing.assert_allclose(rec.site_curtail_mw[:, 0], [0, 0, 50, 50, 50, 0, 50])


def _toy(limit_year_h):
    # 48 h = two 24-hour "years"; generation 1000 MW, firm load 850 MW, 1000 MW at t = 5, 6, 7 and
    # 29, 30, 31; a 100 MW site -> 100 MW short in those six hours.
    T = 48
    firm = np.full(T, 850.0)
    firm[[5, 6, 7, 29, 30, 31]] = 1000.0
    grid = SystemModel(TimeAxis("2024-01-01", 1.0, T), Regions(["A"], [firm]),
                       Generators(["g"], None, ["A"], 1000.0, 0.0, 1.0, n_periods=T))
    site = DataCenterSite("dc", "A", POWER, CappedCurtailment(2.0, 8.0, 0.5))
    order = EmergencyOrder(demand_response=(DemandResponse("dr", "A", 30.0, max_hours_per_year=1.0),),
                           voltage_reduction_frac=0.0)
    # 4 blocks of 200 MW at 1000 MW of firm load, 100,000 customers each
    rot = RotationPolicy(n_blocks=4, people_per_mw=1000.0, customers_per_person=0.5)
    return DataCenterSystem(grid, (site,), order, rot, site_load_mw=np.full((1, T), 100.0),
                            limit_year_h=limit_year_h)


@pytest.mark.parametrize("limit_year_h, curtailed_h, dr_h, eue, customers, customer_h, by_hours", [
    # each year: t5 curtail 50 + DR 30 -> shed 20; t6 curtail 50 -> shed 50; t7 shed 100.
    # Rotation (0.5 h turns): per year 0.85 block-hours -> year 0 blocks {0, 1}, year 1 {1, 2, 3}: 5 blocks
    # counted year by year, each off for at most 0.5 h in its year; 1.7 block-hours = 170,000 customer-hours.
    (24.0, 4.0, 2.0, 340.0, 500_000.0, 170_000.0, (500_000.0, 0.0)),
    # one limit year: year 1 sheds all 300 MWh; 2.35 block-hours wrap over all 4 blocks once: block 0 is
    # off 0.85 h (bin 0.5-1 h), the others 0.5 h
    (None, 2.0, 1.0, 470.0, 400_000.0, 235_000.0, (300_000.0, 100_000.0)),
])
def test_engine_limits_and_residents_counts_per_year(limit_year_h, curtailed_h, dr_h, eue, customers, customer_h,
                                                     by_hours):
    short, dc = assess(_toy(limit_year_h), SequentialMonteCarlo(samples=3, seed=1, threads=1), Shortfall(),
                       DataCenters())
    assert short.lolh_h.mean == 6.0 and short.eue_mwh.mean == pytest.approx(eue)
    s = dc.sites["dc"]
    assert s["curtailed_h"].mean == curtailed_h and s["curtailed_mwh"].mean == pytest.approx(50.0 * curtailed_h)
    assert dc.demand_response["dr"]["hours_h"].mean == dr_h
    r = dc.residents
    assert r["customers_interrupted"].mean == pytest.approx(customers)
    assert r["people_interrupted"].mean == pytest.approx(2 * customers)
    assert r["customer_hours"].mean == pytest.approx(customer_h)
    # customers by hours without power in a year: up to 0.5 h, 0.5-1 h, nothing longer
    assert dc.outage_hours["upper_h"][:2] == [0.5, 1.0]
    hist = [e.mean for e in dc.outage_hours["customers"]]
    assert hist[:2] == pytest.approx(by_hours) and sum(hist[2:]) == 0.0


def test_limit_year_must_be_whole_periods():
    with pytest.raises(InputError, match="limit_year_h"):
        _toy(0.5)
    with pytest.raises(InputError, match="limit_year_periods"):
        pack([DataCenterSite("dc", "A", POWER, Firm())], EmergencyOrder(), ["A"], limit_year_periods=-1)
