"""The decision's gap where it is needed (issue 25): toys with hand-computed answers.

Every unit is sure (never fails) and the load is flat but for one peak hour, so every loss-of-load day
is certain: a short day on a two-day horizon is 182 d/yr, far over any criterion, and a zone's need is
its peak-hour deficit. The decision's searches stop within 200 MW (their tolerance), so the toys are in
GW and the hand values hold within 200 MW.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from gigawatt import Generators, Regions, SystemModel, TimeAxis
from gigawatt.datacenter.order import EmergencyOrder
from gigawatt.datacenter.system import DataCenterSystem
from gigawatt.decision.cell import capacity_gap, placed_gap, zone_needs
from gigawatt.decision.method import DecisionMethod
from gigawatt.decision.decompose import Element, decompose
from gigawatt.decision.zonal import (combined, copper_plate, gap_by_zone, import_alternative,
                                     with_own_capacity, zone_lole_per_year)
from gigawatt.methods.sequential import SequentialMonteCarlo
from gigawatt.system import Interfaces

T = 48
PEAK_HOUR = 18
TOL_MW = 200.0
SCALE_MW = 500.0
N = 2


def _toy(limit_mw: float, dom_peak_mw: float = 12_000.0) -> DataCenterSystem:
    """DOM (importing): 8 GW, ``dom_peak_mw`` (12 GW) at the peak hour, 6 GW of sure generation; REST: 5 GW
    of load and 10 GW of sure generation; one interface REST -> DOM of ``limit_mw`` each way."""
    dom = np.full(T, 8_000.0)
    dom[PEAK_HOUR] = dom_peak_mw
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
    # the decomposition, one element a step: a copper plate with an 11 GW DOM peak meets (0); the 12 GW
    # peak (the "tail") makes it 1 GW short (17 GW of peak, 16 GW of generation); an element that changes
    # nothing repeats it; the transfer limit adds 2 GW: the last step is the model's gap itself
    rows = decompose(900.0, _toy_elements(), gap, _toy_search, _toy_probe)
    assert [r["step"] for r in rows] == ["capacity arithmetic", "outages", "+ peak", "+ nothing", "+ same",
                                         "+ limits"]
    assert [r["gap_mw"] for r in rows] == pytest.approx([900.0, 0.0, 1_000.0, 1_000.0, 1_000.0, 3_000.0],
                                                        abs=TOL_MW)
    assert rows[-1]["gap_mw"] == gap.x_mw and rows[4]["gap_mw"] == rows[3]["gap_mw"] == rows[2]["gap_mw"]
    assert [r["status"] for r in rows[:5]] == ["arithmetic", "meets at zero", "ok", "unchanged", "no effect"]


def test_no_limit_gap_equals_the_copper_plate():
    # no binding limit: DOM needs nothing of its own; the RTO is 17 - 16 = 1 GW short at the peak
    dcs = _toy(1e6)
    needs = zone_needs(dcs, MC, METHOD, SCALE_MW)
    assert needs["DOM"].capacity.x_mw == 0.0
    gap = placed_gap(dcs, needs, N, MC, SCALE_MW, max_trials=8)
    plate = capacity_gap(copper_plate(dcs), None, N, MC, SCALE_MW, max_trials=8)
    assert gap.x_mw == pytest.approx(1_000.0, abs=TOL_MW)
    assert gap.x_mw == pytest.approx(plate.x_mw, abs=1e-6)
    rows = decompose(1_234.0, [Element("+ ties", lambda: copper_plate(dcs)), Element("+ limits", lambda: dcs)], gap,
                     _toy_search)
    assert rows[0] == {"step": "capacity arithmetic", "gap_mw": 1_234.0, "low_mw": 1_234.0, "high_mw": 1_234.0,
                       "status": "arithmetic"}
    assert rows[1]["gap_mw"] == pytest.approx(plate.x_mw, abs=TOL_MW)  # no limit binds: the plate is the gap
    assert rows[-1]["gap_mw"] == gap.x_mw  # the last step is the model's gap
    # the RTO's capacity spread by load: the zones add up to the gap, within their intervals
    by = gap_by_zone(with_own_capacity(dcs, needs), needs, gap)
    assert sum(v["estimate"] for v in by.values()) == pytest.approx(gap.x_mw)
    assert sum(v["low"] for v in by.values()) - 1e-6 <= gap.x_mw <= sum(v["high"] for v in by.values()) + 1e-6
    dom_mean = (8_000.0 * (T - 1) + 12_000.0) / T  # DOM's share of the mean load
    assert by["DOM"]["estimate"] == pytest.approx(gap.x_mw * dom_mean / (dom_mean + 5_000.0))


def _toy_search(system, factor, first_mw):
    return capacity_gap(system, None, N * factor, MC, SCALE_MW, max_trials=8, first_mw=first_mw)


def _toy_probe(system, factor, x_mw):
    from gigawatt.assess import Assessment
    from gigawatt.decision.placement import with_added_capacity
    from gigawatt.stats import Estimate

    e = Estimate.of(Assessment(with_added_capacity(system, x_mw), MC).extend(N * factor).lole_per_year())
    return e.mean, e.stderr


def _toy_elements():
    # "+ nothing": an element the model leaves off (no system); "+ same": one that changes nothing (the same
    # system again: no sample's LOLE moves at the bracket, so its search is not run again)
    return [Element("outages", lambda: copper_plate(_toy(3_000.0, 11_000.0))),
            Element("+ peak", lambda: copper_plate(_toy(3_000.0))), Element("+ nothing", None),
            Element("+ same", lambda: copper_plate(_toy(3_000.0))), Element("+ limits", lambda: _toy(3_000.0))]


def test_decomposition_searches_each_element_and_ends_on_the_gap():
    # the last element is never searched again: its row is the gap handed in, whatever its system
    from gigawatt.decision.search import Search

    seen = []

    def search(system, factor, first_mw):
        seen.append(first_mw)
        return _toy_search(system, factor, first_mw)

    gap = Search("capacity", 3_100.0, 2_900.0, 3_300.0, "ok")
    rows = decompose(1_500.0, _toy_elements(), gap, search)
    # without a probe "+ same" is searched again; "+ nothing" repeats, "+ limits" is the gap
    assert len(seen) == 3
    assert seen[0] == 1_500.0  # the arithmetic aims the first search
    assert seen[1] is None  # ... the step before's gap the next (none: it met at zero)
    assert seen[2] == rows[2]["gap_mw"] > 0
    assert (rows[-1]["gap_mw"], rows[-1]["low_mw"], rows[-1]["high_mw"]) == (3_100.0, 2_900.0, 3_300.0)
    # with the probe, an element that moves the LOLE at the bracket is searched: with the limit binding, the
    # capacity spread by load must cover DOM's own shortfall too (more than the copper plate's 1 GW)
    probes = []

    def probe(system, factor, x):
        probes.append(x)
        return _toy_probe(system, factor, x)

    els = [Element("+ peak", lambda: copper_plate(_toy(3_000.0))), Element("+ limits", lambda: _toy(3_000.0)),
           Element("last", lambda: None)]
    seen.clear()
    rows = decompose(1_500.0, els, gap, search, probe)
    assert rows[2]["status"] != "no effect" and rows[2]["gap_mw"] > rows[1]["gap_mw"] + 1_000.0
    assert len(seen) == 2 and 1 <= len(probes) <= 2


def test_pjm_elements_toggle_one_assumption_each():
    from gigawatt.decision.decompose import ELEMENTS, element_knobs, median_weather_year
    from gigawatt.outlook import OutlookAssumptions

    o = OutlookAssumptions(years=(2026, 2027), weather_years=(2014, 2022, 2025))
    for year in o.years:
        steps = element_knobs(o, year)
        assert [label for label, _ in steps] == [label for label, _ in ELEMENTS]
        first, last = steps[0][1], steps[-1][1]
        # the first step: everything off, one weather year, no limits on demand response
        assert first == {"weather_years": (median_weather_year(o.weather_years),), "cold_scale": 0.0,
                         "heat_scale": 0.0, "load_forecast_sd": 0.0, "dr_limits": None, "cbot_frac": 0.0,
                         "transfer_limits": False}
        a = o.pjm(year)
        assert last["weather_years"] == o.weather_years and last["cold_scale"] == a.cold_scale > 0
        assert last["load_forecast_sd"] == a.lfu_sd() > 0 and last["cbot_frac"] == a.cbot_frac > 0
        assert last["transfer_limits"] and last["dr_limits"] is not None  # 10-hour events at least
        for (_, k0), (label, k1), (_, knob) in zip(steps, steps[1:], ELEMENTS[1:]):
            changed = [k for k in k0 if k0[k] != k1[k]]
            assert changed in ([knob], []), (label, changed)  # one assumption (none: the model leaves it off)
    assert [k for (_, k0), (_, k1) in zip(steps, steps[1:]) for k in k0 if k0[k] != k1[k]] == [
        "weather_years", "cold_scale", "load_forecast_sd", "dr_limits", "cbot_frac", "transfer_limits"]  # heat 0
    # the median weather year by peak: of three, the middle one
    from gigawatt.systems import pjm_load as W

    peaks = {y: W.weather_year_shape(y, rto_equivalent=True).max() for y in o.weather_years}
    assert median_weather_year(o.weather_years) == sorted(peaks, key=peaks.get)[1]


def test_pjm_first_element_system_has_every_element_off():
    import math

    from gigawatt.decision.decompose import pjm_elements
    from gigawatt.outlook import OutlookAssumptions, policy_system

    o = OutlookAssumptions(years=(2026,), weather_years=(2022, 2025))
    model = policy_system(o, 2026, "firm")
    els = pjm_elements(o, 2026, "firm", model)
    assert [e.samples_factor for e in els][:2] == [2, 1]  # one weather year of two: twice the samples
    assert els[3].system is None  # heat: the model's heat_scale is 0
    first = els[0].system()
    assert first.system.n_periods == 8760  # one weather year
    assert (first.system.interfaces.forward_mw >= 1e300).all()  # a copper plate
    assert not first.order.imports_mw  # no ties
    assert all(d.max_event_h == math.inf and d.max_hours_per_year == math.inf and d.availability is None
               for d in first.order.demand_response)  # demand response without limits (2026 has windows)
    tail = els[1].system()
    assert tail.system.n_periods == 2 * 8760
    assert els[-1].system() is model and (els[-2].system().system.interfaces.forward_mw >= 1e300).all()
    # the model has the limits: 60 h a year in 2026 and its windows
    assert all(d.max_hours_per_year == 60.0 and d.availability is not None for d in model.order.demand_response)


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


def _three_zone_toy(limit_mw: float = None) -> DataCenterSystem:
    """The LDA set in small (issue 25): WEST (not an LDA: 5 GW of load, 30 GW of sure generation), COMED and
    DOM (LDAs) each behind its own import limit from WEST, and SWMAAC, a hub without load or generation,
    joined to WEST. DOM: 8 GW, 12 GW at the peak hour, 6 GW of generation, 3 GW of import; COMED: 6 GW,
    9 GW at the same hour, 5 GW of generation, 2 GW of import (``limit_mw``: every limit instead)."""
    dom = np.full(T, 8_000.0)
    dom[PEAK_HOUR] = 12_000.0
    comed = np.full(T, 6_000.0)
    comed[PEAK_HOUR] = 9_000.0
    names = ["WEST", "COMED", "DOM", "SWMAAC"]
    load = np.vstack([np.full(T, 5_000.0), comed, dom, np.zeros(T)])
    g = Generators([f"g {z}" for z in names[:3]], ["sure"] * 3, names[:3],
                   np.array([[30_000.0] * T, [5_000.0] * T, [6_000.0] * T]), 0.0, 1.0)
    lim = np.array([2_000.0, 3_000.0, 1_000.0]) if limit_mw is None else np.full(3, limit_mw)
    itf = Interfaces(["WEST", "WEST", "WEST"], ["COMED", "DOM", "SWMAAC"], lim, lim, n_periods=T)
    grid = SystemModel(TimeAxis("2026-01-01", 1.0, T), Regions(names, load), g, interfaces=itf)
    return DataCenterSystem(grid, order=EmergencyOrder(voltage_reduction_frac=0.0))


def test_three_zones_each_lda_gets_its_own_need_at_the_hand_value():
    from gigawatt.decision.cell import lda_zones

    dcs = _three_zone_toy()
    # the LDAs with load, in region order; WEST is not an LDA and the hub SWMAAC has no load of its own
    assert lda_zones(dcs) == ("COMED", "DOM")
    needs = zone_needs(dcs, MC, METHOD, SCALE_MW)
    # each on its own, the rest made sure: DOM 12 - 6 - 3 = 3 GW short at the peak, COMED 9 - 5 - 2 = 2 GW
    assert needs["DOM"].capacity.x_mw == pytest.approx(3_000.0, abs=TOL_MW)
    assert needs["COMED"].capacity.x_mw == pytest.approx(2_000.0, abs=TOL_MW)
    # with both in place the RTO (26 GW of peak, 46 GW of generation) meets: the gap is theirs, nothing in WEST
    gap = placed_gap(dcs, needs, N, MC, SCALE_MW, max_trials=8)
    assert gap.x_mw == pytest.approx(5_000.0, abs=2 * TOL_MW)
    # (an own search that stops a little short leaves the RTO a remainder within the tolerance, spread by load)
    by = gap_by_zone(with_own_capacity(dcs, needs), needs, gap)
    assert by["DOM"]["estimate"] == pytest.approx(3_000.0, abs=TOL_MW)
    assert by["COMED"]["estimate"] == pytest.approx(2_000.0, abs=TOL_MW)
    assert by["WEST"]["estimate"] < TOL_MW and by["SWMAAC"]["estimate"] == 0.0
    assert sum(v["estimate"] for v in by.values()) == pytest.approx(gap.x_mw)


def test_three_zones_without_limits_need_what_the_copper_plate_needs():
    # no limit binds: no LDA needs capacity of its own, and the RTO's 26 GW peak against 41 GW meets: 0; with
    # WEST's generation at 13 GW instead the plate is 26 - 24 = 2 GW short, and so is the zonal gap
    dcs = _three_zone_toy(1e6)
    needs = zone_needs(dcs, MC, METHOD, SCALE_MW)
    assert all(n.capacity.x_mw == 0.0 for n in needs.values())
    grid = dcs.system
    short = DataCenterSystem(dataclasses.replace(grid, generators=dataclasses.replace(
        grid.generators, capacity_mw=grid.generators.capacity_mw * np.array([[13 / 30], [1.0], [1.0]]))),
        order=dcs.order)
    needs = zone_needs(short, MC, METHOD, SCALE_MW)
    gap = placed_gap(short, needs, N, MC, SCALE_MW, max_trials=8)
    plate = capacity_gap(copper_plate(short), None, N, MC, SCALE_MW, max_trials=8)
    assert plate.x_mw == pytest.approx(2_000.0, abs=TOL_MW)
    assert gap.x_mw == pytest.approx(plate.x_mw, abs=TOL_MW)


def _nested_toy() -> DataCenterSystem:
    """A nested LDA in small: SWMAAC (a hub without load) joined to WEST by a 2 GW import limit, with BGE and
    PEPCO behind it (10 GW each, never binding). WEST: 5 GW of load, 30 GW of sure generation; BGE and PEPCO
    each 4 GW, 6 GW at the peak hour, with 3 GW of sure generation."""
    peak = np.full(T, 4_000.0)
    peak[PEAK_HOUR] = 6_000.0
    names = ["WEST", "SWMAAC", "BGE", "PEPCO"]
    load = np.vstack([np.full(T, 5_000.0), np.zeros(T), peak, peak])
    g = Generators(["g WEST", "g BGE", "g PEPCO"], ["sure"] * 3, ["WEST", "BGE", "PEPCO"],
                   np.array([[30_000.0] * T, [3_000.0] * T, [3_000.0] * T]), 0.0, 1.0)
    lim = np.array([2_000.0, 10_000.0, 10_000.0])
    itf = Interfaces(["WEST", "SWMAAC", "SWMAAC"], ["SWMAAC", "BGE", "PEPCO"], lim, lim, n_periods=T)
    grid = SystemModel(TimeAxis("2026-01-01", 1.0, T), Regions(names, load), g, interfaces=itf)
    return DataCenterSystem(grid, order=EmergencyOrder(voltage_reduction_frac=0.0))


def test_nested_lda_is_held_as_a_whole_after_its_zones():
    from gigawatt.decision.cell import lda_zones

    dcs = _nested_toy()
    assert lda_zones(dcs) == ("BGE", "PEPCO", "SWMAAC")
    needs = zone_needs(dcs, MC, METHOD, SCALE_MW)
    # each zone on its own, the rest made sure, imports up to 10 GW from its sure sibling: no need of its own
    assert needs["BGE"].capacity.x_mw == 0.0 and needs["PEPCO"].capacity.x_mw == 0.0
    # the LDA as a whole (WEST made sure): 12 GW of peak against 6 GW of generation and 2 GW of import: 4 GW,
    # spread over BGE and PEPCO by load (equal); its import limit is the cut's, the 2 GW from WEST
    sw = needs["SWMAAC"]
    assert sw.zones == ("SWMAAC", "BGE", "PEPCO") and sw.import_limit_mw == 2_000.0
    assert sw.capacity.x_mw == pytest.approx(4_000.0, abs=TOL_MW)
    assert sw.placed_mw() == pytest.approx({"SWMAAC": 0.0, "BGE": sw.capacity.x_mw / 2, "PEPCO": sw.capacity.x_mw / 2})
    gap = placed_gap(dcs, needs, N, MC, SCALE_MW, max_trials=8)
    by = gap_by_zone(with_own_capacity(dcs, needs), needs, gap)
    assert by["BGE"]["estimate"] == pytest.approx(2_000.0, abs=TOL_MW)
    assert by["PEPCO"]["estimate"] == pytest.approx(2_000.0, abs=TOL_MW)
    assert by["WEST"]["estimate"] < TOL_MW and by["SWMAAC"]["estimate"] == 0.0
    assert sum(v["estimate"] for v in by.values()) == pytest.approx(gap.x_mw)
    # the transmission alternative: the cut's 2 GW raised to 6 GW closes the LDA's own gap (the search's
    # bracket holds it: the step at 6 GW has no slope to aim at)
    alt = import_alternative(dcs, sw, MC, N, SCALE_MW, max_trials=8)
    assert alt.low_mw - 1e-6 <= 6_000.0 <= alt.high_mw + 1e-6 and alt.high_mw - alt.low_mw < 3 * TOL_MW


def test_nested_lda_is_studied_as_one_area():
    # as PJM studies an LDA's import objective, the limits inside the LDA are lifted and its cut kept: SWMAAC's
    # links to BGE and PEPCO are inside it, WEST's into the hub is its cut; a single zone is left as it is
    from gigawatt.capacity.zonal import import_limit_mw
    from gigawatt.decision.zonal import _as_one_area

    dcs = _nested_toy()
    one = _as_one_area(dcs, ("SWMAAC", "BGE", "PEPCO")).system.interfaces
    for limits in (one.forward_mw, one.backward_mw):  # lifted: no limit (inf, or 1e300 as the engine keeps it)
        assert np.asarray(limits)[0, 0] == 2_000.0 and np.all(np.asarray(limits)[1:] >= 1e299)
    assert _as_one_area(dcs, ("BGE",)) is dcs
    assert import_limit_mw(dcs, ("SWMAAC", "BGE", "PEPCO")) == 2_000.0
    assert import_limit_mw(dcs, ("BGE", "PEPCO")) == 20_000.0  # without the hub: the links out of it


def test_nested_lda_adds_its_need_to_the_needs_inside_it():
    # BGE's link cut to 1 GW: on its own BGE needs 6 - 3 - 1 = 2 GW; with it in place SWMAAC as one area is
    # 12 - 8 - 2 = 2 GW short, which it adds, spread over BGE and PEPCO: 4 GW in all, none of it counted twice
    dcs = _nested_toy()
    grid = dcs.system
    itf = grid.interfaces
    lim = np.array([2_000.0, 1_000.0, 10_000.0])
    dcs = DataCenterSystem(dataclasses.replace(grid, interfaces=Interfaces(itf.regions_from, itf.regions_to, lim, lim,
                                                                           n_periods=T)), order=dcs.order)
    needs = zone_needs(dcs, MC, METHOD, SCALE_MW)
    assert needs["BGE"].capacity.x_mw == pytest.approx(2_000.0, abs=TOL_MW)
    assert needs["SWMAAC"].inner == (needs["BGE"],)  # BGE's need in place first
    sw = needs["SWMAAC"].capacity
    assert sw.low_mw - TOL_MW <= 2_000.0 <= sw.high_mw + TOL_MW
    gap = placed_gap(dcs, needs, N, MC, SCALE_MW, max_trials=8)
    assert gap.low_mw - TOL_MW <= 4_000.0 <= gap.high_mw + TOL_MW
    by = gap_by_zone(with_own_capacity(dcs, needs), needs, gap)
    assert by["BGE"]["estimate"] == pytest.approx(needs["BGE"].capacity.x_mw + sw.x_mw / 2, abs=TOL_MW)
    assert sum(v["estimate"] for v in by.values()) == pytest.approx(gap.x_mw)
