"""The gap by zone (issue 25 item 3): toys with hand-computed answers.

All units are sure (never fail), so every loss-of-load day is certain and the gap is the largest
hourly deficit that the criteria leave: any short day is over 0.1 (or 0.04) day/yr on a horizon of
two days. Each search locates its crossing to within ~1 MW (the search's absolute tolerance).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from gigawatt import Generators, Regions, SystemModel, TimeAxis
from gigawatt.capacity.zonal import (
    LDA_LOLE_D, RTO_LOLE_D, ZonalCriteria, copper_plate_gap, gap_decomposition, import_limit_mw, zonal_gap,
)
from gigawatt.errors import InputError
from gigawatt.system import Interfaces

T = 48
PEAK_HOUR = 18
TOL_MW = 1.5


def _load(base, peak=None):
    x = np.full(T, float(base))
    if peak is not None:
        x[PEAK_HOUR] = float(peak)
    return x


def _system(loads: dict, gens: dict, links: list) -> SystemModel:
    names = list(loads)
    g = Generators([f"g {z}" for z in gens], ["sure"] * len(gens), list(gens),
                   np.array([[mw] * T for mw in gens.values()]), 0.0, 1.0)
    itf = None
    if links:
        itf = Interfaces([a for a, _, _ in links], [b for _, b, _ in links], np.array([lim for *_, lim in links]),
                         np.array([lim for *_, lim in links]), n_periods=T)
    return SystemModel(TimeAxis("2026-01-01", 1.0, T), Regions(names, np.vstack([loads[n] for n in names])), g,
                       interfaces=itf)


def two_zones(limit):
    # A: 100 MW (120 MW at the peak hour), 60 MW of sure generation; B: 50 MW, 100 MW of generation
    return _system({"A": _load(100, 120), "B": _load(50)}, {"A": 60.0, "B": 100.0}, [("B", "A", limit)])


def three_zones(hub_mw):
    # hub H (100 MW of load) feeds A (100 MW, 110 at the peak; 50 MW own) through 30 MW and
    # B (80 MW; 60 MW own) through 40 MW
    return _system({"H": _load(100), "A": _load(100, 110), "B": _load(80)}, {"H": hub_mw, "A": 50.0, "B": 60.0},
                   [("H", "A", 30.0), ("H", "B", 40.0)])


def run(system, **kw):
    return zonal_gap(system, seed=1, samples=2, step_mw=8.0, **kw)


def test_two_zones_binding_limit_the_gap_goes_to_the_importing_zone():
    # A imports at most 30 MW: at the peak 120 - 60 - 30 = 30 MW short; B has room (100 - 50 - 30)
    g = run(two_zones(30.0))
    assert g.zones["A"].estimate_mw == pytest.approx(30.0, abs=TOL_MW)
    assert g.zones["B"].estimate_mw == 0.0
    assert g.total_mw == pytest.approx(30.0, abs=TOL_MW)
    assert g.zones["A"].for_zone_mw == g.zones["A"].estimate_mw
    assert g.zones["A"].lole_before_d.mean == 2.0  # short on both days (a horizon under a year counts as one)
    assert g.zones["A"].lole_after_d.mean == 0.0 and g.rto_lole_after_d.mean == 0.0
    assert g.zones["A"].low_mw <= g.zones["A"].estimate_mw <= g.zones["A"].high_mw
    assert g.zones["A"].high_mw - g.zones["A"].low_mw <= 2 * TOL_MW
    # the transmission alternative: with A's 30 MW built in B instead, A must import 120 - 60 = 60 MW
    assert g.zones["A"].import_limit_mw == 30.0
    assert g.import_alternative_mw() == {"A": pytest.approx(60.0, abs=TOL_MW)}
    assert g.zones["B"].import_alternative_status == "none needed"


def test_the_search_keeps_no_trial_systems_prepared():
    """Every trial is a system of its own: the engine's prepared tables of it (which hold its arrays) are
    dropped after its run, not kept four at a time (the LDA gap on 23 weather years: 20.2 GB -> 11.8 GB)."""
    from gigawatt.methods import sequential as seq

    run(two_zones(30.0))
    assert not seq._DEVICE_CACHE and not seq._CAPACITY_CACHE


def test_two_zones_no_limit_equals_the_copper_plate():
    # unlimited: 170 MW of peak load on 160 MW of generation -> 10 MW, wherever it goes
    g = run(two_zones(math.inf))
    assert g.total_mw == pytest.approx(10.0, abs=TOL_MW)
    est, lo, hi = copper_plate_gap(two_zones(30.0), seed=1, samples=2, step_mw=8.0)
    assert est == pytest.approx(10.0, abs=TOL_MW) and lo <= est <= hi
    assert g.total_mw == pytest.approx(est, abs=TOL_MW)
    assert import_limit_mw(two_zones(math.inf), "A") == math.inf


def test_three_zones_binding_limit_into_one_zone():
    # A: 110 - 50 - 30 = 30 MW short at the peak; B imports 20 of its 40 MW; the hub has 200 - 100 - 30 - 20
    # = 50 MW to spare: the gap is A's 30 MW alone; built in the hub instead, A needs 60 MW of imports
    g = run(three_zones(200.0))
    assert g.zones["A"].estimate_mw == pytest.approx(30.0, abs=TOL_MW)
    assert g.zones["B"].estimate_mw == 0.0 and g.zones["H"].estimate_mw == 0.0
    assert g.import_alternative_mw() == {"A": pytest.approx(60.0, abs=TOL_MW)}
    est, _, _ = copper_plate_gap(three_zones(200.0), seed=1, samples=2, step_mw=8.0)
    assert est == 0.0  # 310 MW for 290 MW of peak load: the limit alone makes the gap


def mesh(h2_link_mw):
    # a triangle: hub H1 (100 MW of load, 200 MW own) and H2 (100 MW, 100 MW own: nothing to spare) both feed
    # A (100 MW, 110 at the peak; 50 MW own), H1 through 30 MW, H2 through 20 MW; H1 feeds H2 through
    # ``h2_link_mw``, so A's second path carries at most min(20, h2_link_mw) of H1's surplus
    return _system({"H1": _load(100), "H2": _load(100), "A": _load(100, 110)}, {"H1": 200.0, "H2": 100.0, "A": 50.0},
                   [("H1", "A", 30.0), ("H2", "A", 20.0), ("H1", "H2", h2_link_mw)])


@pytest.mark.parametrize("h2_link_mw, short_mw", [(15.0, 15.0), (50.0, 10.0)])
def test_a_zone_with_two_import_paths_gets_capacity_only_beyond_both(h2_link_mw, short_mw):
    # A's own deficiency (the rest made sure, PJM's CETO study): 110 - 50 - 30 - 20 = 10 MW, beyond both of its
    # import limits (a radial network, H1-A alone, would make it 30). On the real network the path through H2
    # carries at most min(20, H1-H2) of H1's surplus: with a 15 MW link A is 5 MW short more, which the
    # system's criterion places where a probe relieves most (H2 and A alike; H1's is stuck behind its limits):
    # H2, the first in region order; with a 50 MW link nothing more. The copper plate needs nothing (350 MW
    # for 310 MW of peak load)
    g = run(mesh(h2_link_mw))
    assert g.zones["A"].for_zone_mw == pytest.approx(10.0, abs=TOL_MW) == g.zones["A"].estimate_mw
    assert g.zones["H1"].estimate_mw == 0.0
    assert g.zones["H2"].estimate_mw == pytest.approx(short_mw - 10.0, abs=TOL_MW)
    assert g.total_mw == pytest.approx(short_mw, abs=TOL_MW)
    assert g.rto_lole_after_d.mean == 0.0 and g.zones["A"].lole_after_d.mean == 0.0
    assert import_limit_mw(mesh(h2_link_mw), "A") == 50.0  # both paths into A
    est, _, _ = copper_plate_gap(mesh(h2_link_mw), seed=1, samples=2, step_mw=8.0)
    assert est == 0.0
    # built elsewhere instead, A needs 110 - 50 = 60 MW of imports: each of its two interfaces raised by the
    # same MW, 50 + 2 x 5
    assert g.import_alternative_mw() == {"A": pytest.approx(60.0, abs=2 * TOL_MW)}


def test_three_zones_short_system_and_short_zone():
    # hub 120 MW: 290 MW of peak load on 230 MW -> the copper plate needs 60 MW. A's own deficiency (the
    # rest made sure) is 110 - 50 - its 30 MW import limit = 30 MW, B's none (80 - 60 = 20 <= 40); the
    # other 30 MW meet the system's criterion wherever they go (every probe relieves as much): the first
    # zone in region order, the hub
    g = run(three_zones(120.0))
    cp, _, _ = copper_plate_gap(three_zones(120.0), seed=1, samples=2, step_mw=8.0)
    assert cp == pytest.approx(60.0, abs=TOL_MW)
    assert g.total_mw == pytest.approx(60.0, abs=2 * TOL_MW)
    assert g.zones["A"].for_zone_mw == pytest.approx(30.0, abs=TOL_MW) == g.zones["A"].estimate_mw
    assert g.zones["B"].estimate_mw == 0.0
    assert g.zones["H"].estimate_mw == pytest.approx(30.0, abs=TOL_MW)
    assert g.zones["A"].own_lole_before_d.mean == 2.0 and g.zones["B"].own_lole_before_d.mean == 0.0
    assert g.rto_lole_after_d.mean == 0.0 and all(z.lole_after_d.mean == 0.0 for z in g.zones.values())
    assert g.total_low_mw <= g.total_mw <= g.total_high_mw
    assert sum(z.estimate_mw for z in g.zones.values()) == pytest.approx(g.total_mw)
    d = g.to_dict()
    assert set(d["gap_by_zone_mw"]) == {"H", "A", "B"} and set(d["gap_by_zone_mw"]["A"]) == {"estimate", "low", "high"}
    assert [s["reason"] for s in d["steps"]][0] == "zone"


def test_criteria_and_bad_input():
    assert ZonalCriteria().rto_lole_d == RTO_LOLE_D == 0.1 and ZonalCriteria().for_zone("DOM") == LDA_LOLE_D == 0.04
    assert ZonalCriteria(zone_lole_d={"A": 0.1}).for_zone("B") == LDA_LOLE_D
    with pytest.raises(InputError, match="criteria zone_lole_d.A"):
        ZonalCriteria(zone_lole_d={"A": -1})
    with pytest.raises(InputError, match="zones: unknown zone"):
        zonal_gap(two_zones(30.0), seed=1, samples=2, zones=["C"])
    with pytest.raises(InputError, match="samples"):
        zonal_gap(two_zones(30.0), seed=1, samples=1)


def test_decomposition_runs_from_the_arithmetic_to_the_zonal_gap():
    # arithmetic (given) -> the copper plate of the two-zone toy (10 MW) -> with A's 30 MW import limit
    # (30 MW, all in A): the last step is the zonal gap
    steps = [("copper plate", two_zones(math.inf), False), ("transfer limits", two_zones(30.0), True)]
    d = gap_decomposition(4.0, steps, seed=1, samples=2, step_mw=8.0)
    assert [s["step"] for s in d] == ["capacity arithmetic", "copper plate", "transfer limits"]
    assert d[0]["gap_mw"] == 4.0
    assert d[1]["gap_mw"] == pytest.approx(10.0, abs=TOL_MW)
    assert d[2]["gap_mw"] == pytest.approx(run(two_zones(30.0)).total_mw, abs=1e-9)
    assert all(s["low_mw"] <= s["gap_mw"] <= s["high_mw"] for s in d)


def test_system_step_stopped_by_a_limit_adds_one_step_and_probes_again():
    # B and D (100 MW of load, 80 MW own) each import from the hub A (15 MW) and from a neighbour that
    # has nothing to spare (C, E: 15 MW): with the rest made sure each meets its own criterion (30 MW of
    # imports for a 20 MW need), but together only 15 MW reach each: 5 MW short behind each limit. The
    # copper plate needs nothing (560 MW for 500 MW). Capacity in B cannot help D: the search in B
    # fails within ten steps, so B gets one step (8 MW) and D, probed next, its 5 MW: 10 MW by hand,
    # at most one step more here
    s = _system({"B": _load(100), "D": _load(100), "A": _load(100), "C": _load(100), "E": _load(100)},
                {"B": 80.0, "D": 80.0, "A": 200.0, "C": 100.0, "E": 100.0},
                [("A", "B", 15.0), ("B", "C", 15.0), ("A", "D", 15.0), ("D", "E", 15.0)])
    g = run(s)
    assert all(z.for_zone_mw == 0.0 for z in g.zones.values())
    assert g.zones["B"].estimate_mw == pytest.approx(8.0)  # one step
    assert g.zones["D"].estimate_mw == pytest.approx(5.0, abs=TOL_MW)
    assert 10.0 - TOL_MW <= g.total_mw <= 10.0 + 8.0
    assert [(st["zone"], st["status"]) for st in g.steps] == [("B", "fails_at_min"), ("D", "ok")]
    assert g.rto_lole_after_d.mean == 0.0
    cp, _, _ = copper_plate_gap(s, seed=1, samples=2, step_mw=8.0)
    assert cp == 0.0
