"""The decision's gap where it is needed (issue 25): toys with hand-computed answers.

Every unit is sure (never fails) and the load is flat but for one peak hour, so every loss-of-load day
is certain: a short day on a two-day horizon is 182 d/yr, far over any criterion, and a zone's need is
its peak-hour deficit. The decision's searches stop within 200 MW (their tolerance), so the toys are in
GW and the hand values hold within 200 MW.
"""

from __future__ import annotations

import numpy as np
import pytest

from gigawatt import Generators, Regions, SystemModel, TimeAxis
from gigawatt.datacenter.order import EmergencyOrder
from gigawatt.datacenter.system import DataCenterSystem
from gigawatt.decision.cell import capacity_gap, placed_gap, zone_needs
from gigawatt.decision.method import DecisionMethod
from gigawatt.decision.zonal import (combined, copper_plate, decomposition, gap_by_zone, import_alternative,
                                     with_own_capacity, zone_lole_per_year)
from gigawatt.methods.sequential import SequentialMonteCarlo
from gigawatt.system import Interfaces

T = 48
PEAK_HOUR = 18
TOL_MW = 200.0
SCALE_MW = 500.0
N = 2


def _toy(limit_mw: float) -> DataCenterSystem:
    """DOM (importing): 8 GW, 12 GW at the peak hour, 6 GW of sure generation; REST: 5 GW of load and 10 GW
    of sure generation; one interface REST -> DOM of ``limit_mw`` each way."""
    dom = np.full(T, 8_000.0)
    dom[PEAK_HOUR] = 12_000.0
    load = np.vstack([dom, np.full(T, 5_000.0)])
    g = Generators(["g DOM", "g REST"], ["sure", "sure"], ["DOM", "REST"],
                   np.array([[6_000.0] * T, [10_000.0] * T]), 0.0, 1.0)
    itf = Interfaces(["REST"], ["DOM"], np.array([limit_mw]), np.array([limit_mw]), n_periods=T)
    grid = SystemModel(TimeAxis("2026-01-01", 1.0, T), Regions(["DOM", "REST"], load), g, interfaces=itf)
    return DataCenterSystem(grid, order=EmergencyOrder(voltage_reduction_frac=0.0))  # no voltage reduction


MC = SequentialMonteCarlo(seed=1)
METHOD = DecisionMethod(search_samples=N, max_trials=8)


def test_binding_limit_puts_the_gap_in_the_importing_zone_at_the_hand_value():
    # DOM with REST made sure imports 3 GW: at the peak 12 - 6 - 3 = 3 GW short, so its own need is 3 GW;
    # with it in place the RTO (17 GW of peak, 16 GW + 3 GW in DOM) meets: the whole gap is DOM's 3 GW
    dcs = _toy(3_000.0)
    needs = zone_needs(dcs, MC, METHOD, SCALE_MW)
    assert set(needs) == {"DOM"}
    assert needs["DOM"].capacity.x_mw == pytest.approx(3_000.0, abs=TOL_MW)
    assert needs["DOM"].lole_d.mean > 100.0  # the short day of the two: ~182 d/yr
    gap = placed_gap(dcs, needs, N, MC, SCALE_MW, max_trials=8)
    assert gap.x_mw == pytest.approx(3_000.0, abs=TOL_MW) and gap.status == "zone criterion"
    by = gap_by_zone(with_own_capacity(dcs, needs), needs, gap)
    assert by["DOM"]["estimate"] == pytest.approx(gap.x_mw) and by["REST"]["estimate"] == 0.0
    # the zones add up to the gap, within their intervals
    assert sum(v["estimate"] for v in by.values()) == pytest.approx(gap.x_mw)
    assert sum(v["low"] for v in by.values()) - 1e-6 <= gap.x_mw <= sum(v["high"] for v in by.values()) + 1e-6
    # the transmission alternative: 3 GW more import capability (6 GW in all) closes DOM's own gap
    alt = import_alternative(dcs, needs["DOM"], MC, N, SCALE_MW, max_trials=8)
    assert alt.x_mw == pytest.approx(6_000.0, abs=TOL_MW)
    # ... and the gap with capacity spread by load would be larger: DOM gets only its share of it
    by_load = capacity_gap(dcs, None, N, MC, SCALE_MW, max_trials=8)
    assert by_load.x_mw > gap.x_mw + 1_000.0
    # the decomposition: the copper plate is 1 GW short (17 GW of peak, 16 GW of generation); the limit
    # adds 2 GW; the last step is the model's gap
    plate = capacity_gap(copper_plate(dcs), None, N, MC, SCALE_MW, max_trials=8)
    rows = decomposition(900.0, plate, gap)
    assert [r["gap_mw"] for r in rows] == [900.0, plate.x_mw, gap.x_mw]
    assert plate.x_mw == pytest.approx(1_000.0, abs=TOL_MW)


def test_no_limit_gap_equals_the_copper_plate():
    # no binding limit: DOM needs nothing of its own; the RTO is 17 - 16 = 1 GW short at the peak
    dcs = _toy(1e6)
    needs = zone_needs(dcs, MC, METHOD, SCALE_MW)
    assert needs["DOM"].capacity.x_mw == 0.0
    gap = placed_gap(dcs, needs, N, MC, SCALE_MW, max_trials=8)
    plate = capacity_gap(copper_plate(dcs), None, N, MC, SCALE_MW, max_trials=8)
    assert gap.x_mw == pytest.approx(1_000.0, abs=TOL_MW)
    assert gap.x_mw == pytest.approx(plate.x_mw, abs=1e-6)
    rows = decomposition(1_234.0, plate, gap)
    assert rows[0] == {"step": "capacity arithmetic", "gap_mw": 1_234.0, "low_mw": 1_234.0, "high_mw": 1_234.0}
    assert rows[-1]["gap_mw"] == gap.x_mw  # the last step is the model's gap
    # the RTO's capacity spread by load: the zones add up to the gap, within their intervals
    by = gap_by_zone(with_own_capacity(dcs, needs), needs, gap)
    assert sum(v["estimate"] for v in by.values()) == pytest.approx(gap.x_mw)
    assert sum(v["low"] for v in by.values()) - 1e-6 <= gap.x_mw <= sum(v["high"] for v in by.values()) + 1e-6
    dom_mean = (8_000.0 * (T - 1) + 12_000.0) / T  # DOM's share of the mean load
    assert by["DOM"]["estimate"] == pytest.approx(gap.x_mw * dom_mean / (dom_mean + 5_000.0))


def test_zone_lole_is_the_zone_own_days():
    from gigawatt.assess import Assessment

    a = Assessment(_toy(3_000.0), MC).extend(N)
    dom, rest = zone_lole_per_year(a, "DOM"), zone_lole_per_year(a, "REST")
    np.testing.assert_allclose(dom, 8760.0 / T)  # one short day in two days
    np.testing.assert_allclose(rest, 0.0)


def test_combined_adds_the_own_needs_and_the_rest():
    from gigawatt.decision.search import Search
    from gigawatt.decision.zonal import ZoneNeed
    from gigawatt.stats import Estimate

    need = ZoneNeed("DOM", 0.04, Estimate(1.0, 0.1), Search("capacity", 3_000.0, 2_800.0, 3_300.0, "ok"), 8_000.0)
    g = combined({"DOM": need}, Search("capacity", 1_000.0, 900.0, 1_200.0, "ok"))
    assert (g.x_mw, g.low_mw, g.high_mw) == (4_000.0, 3_700.0, 4_500.0)
    assert combined({}, Search("capacity", 1.0, 0.0, 2.0, "ok")).x_mw == 1.0
    unbounded = combined({"DOM": need}, Search("capacity", 1_000.0, 1_000.0, None, "beyond cap"))
    assert unbounded.high_mw is None and unbounded.status == "beyond cap"
    # standard errors add in quadrature; a rest that meets at zero is exact: the own need's intervals hold
    own = ZoneNeed("DOM", 0.04, Estimate(1.0, 0.1),
                   Search("capacity", 3_000.0, 2_500.0, 3_500.0, "ok", (), 2_700.0, 3_300.0, 150.0), 8_000.0)
    g = combined({"DOM": own}, Search("capacity", 1_000.0, 900.0, 1_100.0, "ok", (), 950.0, 1_050.0, 20.0))
    assert (g.ci_low_mw, g.ci_high_mw) == (3_650.0, 4_350.0) and g.sd_mw == pytest.approx((150.0**2 + 20.0**2) ** 0.5)
    z = combined({"DOM": own}, Search("capacity", 0.0, 0.0, 0.0, "meets at zero"))
    assert z.status == "zone criterion" and (z.ci_low_mw, z.ci_high_mw, z.sd_mw) == (2_700.0, 3_300.0, 150.0)
