"""The decision per event, hand-worked on the Colossus-2 example, and the refusals of bad events."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from gigawatt.agent.backends import SimCompute, SimStorage
from gigawatt.agent.plan import GridEvent, Refusal, decide, optimum_gpu_hours, parse_event
from gigawatt.agent.runtime import Agent
from gigawatt.agent.site import read_agent_site
from gigawatt.datacenter.throughput import cheapest_reduction

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "colossus2.toml"
T0 = 1_800_000_000.0  # a fixed wall clock [s]


@pytest.fixture(scope="module")
def site():
    return read_agent_site(EXAMPLE)


def full_mwh(site):
    return site.site.battery.energy_mwh


def event(start_s, dur_s, mw, eid="e1"):
    return GridEvent(eid, 0, start_s, start_s + dur_s, mw, None, "", "")


def test_example_figures(site):
    # 168 Megapack 2 XL: 168 x 1.9 MW, 168 x 3.9 MWh; 168 MW kept for smoothing -> 151.2 MW for events
    assert site.site.battery.power_mw == pytest.approx(319.2)
    assert site.site.battery.energy_mwh == pytest.approx(655.2)
    assert site.battery_event_mw == pytest.approx(151.2)
    assert site.site.generation.capacity_mw == pytest.approx(245.0)
    assert site.max_hours_per_year == 50.0 and site.max_event_h == 4.0
    assert site.baseline_mw == pytest.approx(float(site.site.power.facility_mw(1.0)))
    assert site.limits.max_ramp_mw_per_s == 20.0


def test_battery_first_then_the_cheapest_caps(site):
    d = decide(site, event(30, 600, 300.0), 0.0, 0.0, full_mwh(site), 245.0)
    assert d.opted == "in"
    # 30 s notice: turbines (15 min to full output) cannot help; the battery gives its event power
    assert d.battery_mw == pytest.approx(151.2) and d.onsite_mw == 0.0
    assert d.compute_mw == pytest.approx(300.0 - 151.2)
    ref = cheapest_reduction(site.site.power, site.jobs, 300.0 - 151.2, 600 / 3600, 1.0)
    assert d.plan.gpu_hours_lost == pytest.approx(ref.gpu_hours_lost)
    assert d.plan.delivered_mw == pytest.approx(148.8)
    assert optimum_gpu_hours(site, 300.0, 600 / 3600, full_mwh(site)) == pytest.approx(ref.gpu_hours_lost)


def test_turbines_when_they_can_be_ready(site):
    # an hour's notice: the turbines start 15 min + the ramp before the start and carry 245 MW
    d = decide(site, event(3600, 3600, 600.0), 0.0, 0.0, full_mwh(site), 245.0)
    assert d.opted == "in" and d.onsite_mw == pytest.approx(245.0)
    assert d.onsite_start_s == pytest.approx(3600 - 600 / 20 - 900)
    assert d.compute_mw == pytest.approx(600 - 151.2 - 245)


def test_battery_limited_by_its_energy(site):
    # 4 h: (655.2 - 20 % reserve) x sqrt(0.92) / (4 h + the ramp) < 151.2 MW
    d = decide(site, event(60, 4 * 3600, 250.0), 0.0, 0.0, full_mwh(site), 0.0)
    usable = 0.8 * 655.2 * math.sqrt(0.92) / (4 + 250 / 20 / 3600)
    assert d.battery_mw == pytest.approx(usable)
    assert d.battery_mw < 151.2


@pytest.mark.parametrize("hours_used, dur_s, mw, needle", [
    (49.95, 600, 300.0, "contract hours used up: 49.95 of 50 h"),
    (0.0, 5 * 3600, 100.0, "exceeds the contract's 4 h per event"),
    (0.0, 600, 600.0, "exceeds the contract's depth"),
])
def test_opt_out_with_the_reason(site, hours_used, dur_s, mw, needle):
    d = decide(site, event(30, dur_s, mw), 0.0, hours_used, full_mwh(site), 245.0)
    assert d.opted == "out" and needle in d.reason
    assert d.reduction_mw(100.0) == 0.0


def test_ramps_at_the_grid_limit(site):
    d = decide(site, event(100, 600, 300.0), 0.0, 0.0, full_mwh(site), 0.0)
    assert d.ramp_s == pytest.approx(15.0)
    assert d.reduction_mw(84.0) == 0.0
    assert d.reduction_mw(92.5) == pytest.approx(150.0)
    assert d.reduction_mw(100.0) == d.reduction_mw(700.0) == pytest.approx(300.0)
    assert d.reduction_mw(705.0) == pytest.approx(200.0)
    assert d.reduction_mw(716.0) == 0.0
    assert d.window_s == (85.0, 715.0)


def test_late_event_ramps_at_once(site):
    # received 5 s before the start, 15 s of ramp needed: full reduction 10 s after the start
    d = decide(site, event(100, 600, 300.0), 95.0, 0.0, full_mwh(site), 0.0)
    assert d.reduction_mw(95.0) == 0.0
    assert d.reduction_mw(100.0) == pytest.approx(100.0)
    assert d.reduction_mw(110.0) == pytest.approx(300.0)
    assert "too late for the ramp" in d.reason


def oadr(start, dur_s, signals, status="far", eid="e1"):
    return {"event_descriptor": {"event_id": eid, "modification_number": 0, "event_status": status},
            "active_period": {"dtstart": start, "duration": timedelta(seconds=dur_s)},
            "event_signals": signals}


def sig(name, kind, payload, start, dur_s=600, measurement=None):
    s = {"signal_name": name, "signal_type": kind,
         "intervals": [{"dtstart": start, "duration": timedelta(seconds=dur_s), "signal_payload": payload}]}
    if measurement is not None:
        s["measurement"] = measurement
    return s


def to_s(when):
    return when.timestamp() - T0


START = datetime.fromtimestamp(T0 + 60, timezone.utc)


@pytest.mark.parametrize("ev, needle", [
    (oadr(START, 600, [sig("SIMPLE", "level", 5, START)]), "SIMPLE level 5 unknown"),
    (oadr(START, 600, [sig("SIMPLE", "level", -1, START)]), "SIMPLE level -1 unknown"),
    (oadr(START, 600, [sig("LOAD_DISPATCH", "delta", 20.0, START)]), "asks for more load"),
    (oadr(START, 600, [sig("LOAD_DISPATCH", "delta", float("nan"), START)]), "finite number"),
    (oadr(START, 600, [sig("LOAD_DISPATCH", "setpoint", 500.0, START)]), "signal type 'setpoint' not supported"),
    (oadr(START, 600, [sig("LOAD_DISPATCH", "delta", -1.0, START, measurement={"name": "powerReal",
                                                                              "scale": "T"})]), "scale 'T'"),
    (oadr(START, 600, [sig("ELECTRICITY_PRICE", "price", 3.0, START)]), "unknown signal 'ELECTRICITY_PRICE'"),
    (oadr(START - timedelta(seconds=120), 600, [sig("SIMPLE", "level", 1, START)]), "in the past"),
    (oadr(START, -60, [sig("SIMPLE", "level", 1, START)]), "ends at or before its start"),
    (oadr(START, 600, []), "no signals"),
    ({"event_descriptor": {}}, "malformed event"),
])
def test_bad_events_are_refused(site, ev, needle):
    with pytest.raises(Refusal, match=needle.replace("(", r"\(").replace(")", r"\)")):
        parse_event(ev, site, to_s, 0.0)


def test_scales_and_simple_levels(site):
    kw = {"name": "powerReal", "scale": "k"}
    ev = parse_event(oadr(START, 600, [sig("LOAD_DISPATCH", "delta", -250_000.0, START, measurement=kw)]), site,
                     to_s, 0.0)
    assert ev.requested_mw == pytest.approx(250.0) and ev.start_s == pytest.approx(60.0)
    ev = parse_event(oadr(START, 600, [sig("SIMPLE", "level", 2, START)]), site, to_s, 0.0)
    assert ev.level == 2 and ev.requested_mw == 200.0


def make_agent(site, seed=0, noise=True):
    clock = [T0]
    comp = SimCompute(site, seed=seed) if noise else SimCompute(site, noise_sd=0.0)
    return Agent(site, comp, SimStorage(site), clock=lambda: clock[0]), clock


def run_to(agent, clock, t_s, step_s=1.0):
    while agent.t_s < t_s:
        clock[0] += step_s
        agent.advance_to_now(step_s)


def test_overlap_refused_and_cancel_restores(site):
    agent, clock = make_agent(site)
    first = oadr(START, 600, [sig("LOAD_DISPATCH", "delta", -200.0, START)], eid="a")
    later = START + timedelta(seconds=300)
    second = oadr(later, 600, [sig("LOAD_DISPATCH", "delta", -100.0, later)], eid="b")
    assert agent.on_event(first) == "optIn"
    assert agent.on_event(second) == "optOut"
    assert "overlaps accepted event a" in agent.last_response["reason"]
    run_to(agent, clock, 200.0)
    assert agent.target_mw == pytest.approx(site.baseline_mw - 200.0)
    cancelled = oadr(START, 600, [sig("LOAD_DISPATCH", "delta", -200.0, START)], status="cancelled", eid="a")
    assert agent.on_event(cancelled) == "optIn"
    assert agent.hours_used_h == pytest.approx((200.0 - 60.0) / 3600.0)
    run_to(agent, clock, 205.0)
    assert agent.target_mw == pytest.approx(site.baseline_mw - 200.0 + 20.0 * 5.0)  # ramps back at 20 MW/s
    run_to(agent, clock, 215.0)
    assert agent.target_mw == pytest.approx(site.baseline_mw)
    assert agent.status()["jobs"] == {j.name: 1.0 for j in site.jobs}


def test_an_internal_error_is_a_refusal_not_a_crash(site):
    agent, _ = make_agent(site)
    assert agent.on_event({"event_descriptor": {"event_id": "x"}, "active_period": None}) == "optOut"
    assert agent.on_event("not an event") == "optOut"
    assert any("refused event" in x for x in agent.lines)


def test_long_event_with_pauses_holds_the_target(site):
    # 3 h, 350 MW with 10 min notice on a site without turbines: the battery gives 151 MW,
    # the rest is cut by caps and pauses (a pause saves power one 150 s checkpoint after its command;
    # the battery bridges)
    no_gen = replace(site, site=replace(site.site, generation=None))
    agent, clock = make_agent(no_gen)
    start = datetime.fromtimestamp(T0 + 600, timezone.utc)
    e0 = agent.storage.battery_energy_mwh
    ev = oadr(start, 3 * 3600, [sig("LOAD_DISPATCH", "delta", -350.0, start, 3 * 3600)])
    assert agent.on_event(ev) == "optIn"
    d = agent.decisions["e1"]
    assert sum(c.paused_share for c in d.plan.classes) > 0
    run_to(agent, clock, 600 + 3 * 3600 + 120, step_s=2.0)
    tr = np.array([(t, tg, m) for t, tg, m, _ in agent.trace])
    inside = (tr[:, 0] >= 600) & (tr[:, 0] <= 600 + 3 * 3600)
    assert np.max(np.abs(tr[inside, 2] - tr[inside, 1]) / tr[inside, 1]) <= 0.02
    assert agent.storage.battery_energy_mwh >= site.site.battery.reserve_mwh - 1e-9
    opt = optimum_gpu_hours(site, 350.0, 3.0, e0)
    assert abs(agent.compute.gpu_hours_lost - opt) <= 0.05 * opt
    assert agent.status()["jobs"] == {j.name: 1.0 for j in site.jobs}  # restored


@pytest.mark.parametrize("old, new, needle", [
    ("max_ramp_mw_per_s = 20.0", "max_ramp_mw_per_s = -1", "bad.toml: agent.max_ramp_mw_per_s"),
    ("simple_levels_mw = [100.0, 200.0, 300.0]", "simple_levels_mw = [300.0, 200.0, 1.0]",
     "agent.simple_levels_mw: expected 3 increasing"),
    ("[agent]", "[agent]\ngpus = { training = [0] }", "agent.gpus.training: unknown job class"),
    ("units = 168", "units = 'many'", "bad.toml: site.battery"),
])
def test_site_file_errors_name_file_and_field(tmp_path, old, new, needle):
    from gigawatt.errors import FileFormatError

    bad = tmp_path / "bad.toml"
    bad.write_text(EXAMPLE.read_text().replace(old, new))
    with pytest.raises(FileFormatError, match=needle):
        read_agent_site(bad)


def test_contract_hours_count_and_replace(site):
    spent = replace(site, hours_used_h=49.0)
    agent, _ = make_agent(spent)
    ev = oadr(START, 1800, [sig("LOAD_DISPATCH", "delta", -100.0, START, 1800)])
    assert agent.on_event(ev) == "optIn" and agent.hours_used_h == pytest.approx(49.5)
    nxt = START + timedelta(hours=1)
    ev2 = oadr(nxt, 3600, [sig("LOAD_DISPATCH", "delta", -100.0, nxt, 3600)], eid="e2")
    assert agent.on_event(ev2) == "optOut" and "contract hours used up" in agent.opted["reason"]


def test_sim_pause_saves_power_after_its_checkpoint_and_costs_the_restart(site):
    comp = SimCompute(site, noise_sd=0.0)
    jc = site.jobs[1]  # fine-tuning: 10 % of 550k GPUs, checkpoint 150 s, restart 15 min
    n = site.site.power.n_gpus * jc.gpu_share
    e = site.baseline_mw / site.site.power.n_gpus
    comp.apply({}, {jc.name: 1.0})
    comp.step(100.0)
    assert comp.load_mw == pytest.approx(site.baseline_mw)  # still writing its checkpoint
    assert comp.expected_mw(60.0) == pytest.approx(site.baseline_mw - n * e)
    comp.step(60.0)
    assert comp.load_mw == pytest.approx(site.baseline_mw - n * e)
    assert comp.gpu_hours_lost == pytest.approx(n * 160 / 3600)
    comp.apply({}, {jc.name: 0.0})
    comp.step(1.0)
    assert comp.load_mw == pytest.approx(site.baseline_mw)
    assert comp.gpu_hours_lost == pytest.approx(n * (160 / 3600 + jc.restart_h))


def test_sim_battery_bounds(site):
    st = SimStorage(site)
    b = site.site.battery
    assert st.set_battery_mw(1e6, 1.0) == pytest.approx(b.power_mw)
    assert st.set_battery_mw(-50.0, 1.0) == 0.0  # full: no charge
    st.energy_mwh = b.reserve_mwh + 0.01
    assert st.set_battery_mw(300.0, 3600.0) == pytest.approx(0.01 * b.eta)  # stops at the reserve
    st.step(3600.0)
    assert st.battery_energy_mwh == pytest.approx(b.reserve_mwh)


def test_modification_of_an_accepted_event(site):
    agent, clock = make_agent(site)
    ev = oadr(START, 600, [sig("LOAD_DISPATCH", "delta", -200.0, START)])
    assert agent.on_event(ev) == "optIn"
    run_to(agent, clock, 120.0)  # the event has started
    longer = oadr(START, 900, [sig("LOAD_DISPATCH", "delta", -250.0, START, 900)])
    longer["event_descriptor"]["modification_number"] = 1
    assert agent.on_event(longer) == "optIn"
    assert agent.hours_used_h == pytest.approx(900 / 3600)
    run_to(agent, clock, 200.0)
    assert agent.target_mw == pytest.approx(site.baseline_mw - 250.0)
    moved = oadr(START + timedelta(seconds=30), 600, [sig("LOAD_DISPATCH", "delta", -250.0, START)])
    assert agent.on_event(moved) == "optOut" and "modified start" in agent.last_response["reason"]
    assert agent.decisions["e1"].event.end_s == pytest.approx(960.0)  # the accepted plan stands


def test_modification_goes_on_from_the_reduction_reached(site):
    agent, clock = make_agent(site, noise=False)
    ev = oadr(START, 600, [sig("LOAD_DISPATCH", "delta", -200.0, START)])
    assert agent.on_event(ev) == "optIn"
    run_to(agent, clock, 100.0)
    deeper = oadr(START, 600, [sig("LOAD_DISPATCH", "delta", -300.0, START)])
    deeper["event_descriptor"]["modification_number"] = 1
    assert agent.on_event(deeper) == "optIn"
    run_to(agent, clock, 101.0)
    assert agent.target_mw == pytest.approx(site.baseline_mw - 220.0)  # 200 MW + 1 s at 20 MW/s, no jump
    # a modification beyond the contract's depth is refused: the plan ends now and ramps back
    huge = oadr(START, 600, [sig("LOAD_DISPATCH", "delta", -900.0, START)])
    huge["event_descriptor"]["modification_number"] = 2
    run_to(agent, clock, 120.0)
    assert agent.on_event(huge) == "optOut" and "modification refused" in agent.opted["reason"]
    assert agent.hours_used_h == pytest.approx(60.0 / 3600.0)  # 60 s of the event were used
    run_to(agent, clock, 125.0)
    assert agent.target_mw == pytest.approx(site.baseline_mw - 200.0)
    run_to(agent, clock, 136.0)
    assert agent.target_mw == pytest.approx(site.baseline_mw)


def test_turbines_started_late_take_over_from_the_caps(site):
    # 3 h, 350 MW with 5 min notice: the turbines cannot be up by the start; started at once, they
    # carry 199 MW after 15 min and the caps ease off, so less training is given up than without them
    start = datetime.fromtimestamp(T0 + 300, timezone.utc)
    ev = oadr(start, 3 * 3600, [sig("LOAD_DISPATCH", "delta", -350.0, start, 3 * 3600)])
    no_gen = replace(site, site=replace(site.site, generation=None))
    lost = {}
    for name, s in (("with", site), ("without", no_gen)):
        agent, clock = make_agent(s, noise=False)
        assert agent.on_event(ev) == "optIn"
        if name == "with":
            d = agent.decisions["e1"]
            assert d.onsite_start_s == pytest.approx(0.0) and d.onsite_mw == pytest.approx(350.0 - d.battery_mw)
            assert "full output in 15 min" in d.reason
        run_to(agent, clock, 300 + 3 * 3600 + 60, step_s=5.0)
        tr = np.array([(t, tg, m) for t, tg, m, _ in agent.trace])
        inside = (tr[:, 0] >= 300) & (tr[:, 0] <= 300 + 3 * 3600)
        assert np.max(np.abs(tr[inside, 2] - tr[inside, 1]) / tr[inside, 1]) <= 0.02
        lost[name] = agent.compute.gpu_hours_lost
        if name == "with":  # after the event the turbines wind down and the battery takes up their output
            assert 0 < agent.storage.onsite_mw < 245.0 and agent.storage.battery_mw < 0
            assert agent.measured_mw == pytest.approx(site.baseline_mw, rel=0.02)
            run_to(agent, clock, 300 + 3 * 3600 + 1200, step_s=5.0)
            assert agent.storage.onsite_mw == 0.0 and agent.storage.battery_mw == 0.0
    assert lost["with"] < 0.2 * lost["without"]
