"""The agent against a real OpenADR 2.0b VTN (OpenLEADR's) on loopback, time compressed.

"Reduce 300 MW from t+30 s for 10 min" (site time; 25 site seconds per wall second) to the
Colossus-2 example on the sim backend: the measured site power stays within 2 % of the target
from the start to the end, the VTN receives the opt-in and the telemetry, the site is restored
afterwards, and the training given up is within 5 % of the site model's optimum. Beside it: a
site whose contract hours are used up opts out, a malformed event is refused, and the VTN is
stopped and restarted mid-event with the agent still running and reconnected.
"""

from __future__ import annotations

import asyncio
import json
import socket
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from gigawatt.agent.plan import optimum_gpu_hours
from gigawatt.agent.service import build_agent, serve
from gigawatt.agent.site import read_agent_site
from gigawatt.agent.vtn import Vtn

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "colossus2.toml"
SCALE = 25.0  # site seconds per wall second (the 10 min event lasts 24 s)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def wait_for(cond, timeout_s: float, what: str):
    t0 = asyncio.get_running_loop().time()
    while not cond():
        if asyncio.get_running_loop().time() - t0 > timeout_s:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def get_status(port: int) -> dict:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    await writer.drain()
    raw = await reader.read()
    writer.close()
    head, body = raw.split(b"\r\n\r\n", 1)
    assert b" 200 " in head.split(b"\r\n")[0]
    return json.loads(body)


def site_s(delta_wall_s: float) -> timedelta:
    return timedelta(seconds=delta_wall_s / SCALE)


@pytest.mark.filterwarnings("ignore:datetime.datetime.utcnow:DeprecationWarning")
def test_agent_against_openleadr_vtn():
    site = read_agent_site(EXAMPLE)
    spent = replace(site, hours_used_h=site.max_hours_per_year - 0.05)  # 3 min left of the year's hours
    vtn_port, status_port = free_port(), free_port()

    async def scenario():
        vtn = Vtn(port=vtn_port, poll_s=1, report_s=1)
        await vtn.start()
        a = build_agent(site, "sim", time_scale=SCALE)
        b = build_agent(spent, "sim", time_scale=SCALE)
        stop = asyncio.Event()
        e0 = a.storage.battery_energy_mwh
        runs = [asyncio.create_task(serve(a, vtn.url, "colossus-2", status_port=status_port, report_s=0.25, poll_s=0.1,
                                          retry_s=0.2, stop=stop)),
                asyncio.create_task(serve(b, vtn.url, "colossus-2-spent", status_port=None, report_s=0.25, poll_s=0.1,
                                          retry_s=0.2, stop=stop))]
        try:
            await wait_for(lambda: {"colossus-2", "colossus-2-spent"} <= set(vtn.registered), 10, "registration")
            now = datetime.now(timezone.utc)
            start, dur = now + site_s(30), site_s(600)
            ev = vtn.add_reduction("colossus-2", 300.0, start, dur)
            ev_b = vtn.add_reduction("colossus-2-spent", 300.0, start, dur)
            bad = vtn.add_signal("colossus-2", "x-gpu-bonus", "level", 1, now + site_s(3600), site_s(600))
            up = vtn.add_signal("colossus-2", "LOAD_DISPATCH", "delta", 50.0, now + site_s(7200), site_s(600))
            past = vtn.add_reduction("colossus-2", 100.0, now - site_s(300), site_s(3600))
            await wait_for(lambda: len(vtn.opts) >= 5, 5, "the five opt responses")
            opts = {o["event_id"]: o["opt_type"] for o in vtn.opts}
            assert opts[ev] == "optIn"
            assert opts[ev_b] == "optOut" and "contract hours used up" in b.opted["reason"]
            assert opts[bad] == opts[up] == opts[past] == "optOut"
            refusals = [x for x in a.lines if "refused" in x]
            assert any("unknown signal 'x-gpu-bonus'" in x for x in refusals)
            assert any("asks for more load" in x for x in refusals)
            assert any("in the past" in x for x in refusals)

            # mid-event: status, then the VTN goes away and comes back
            t_mid = start + dur * 0.3
            await asyncio.sleep(max(0.0, (t_mid - datetime.now(timezone.utc)).total_seconds()))
            st = await get_status(status_port)
            assert st["event"]["id"] == ev and st["event"]["requested_mw"] == pytest.approx(300.0)
            assert st["target_mw"] == pytest.approx(st["baseline_mw"] - 300.0)
            assert abs(st["measured_mw"] - st["target_mw"]) <= 0.02 * st["target_mw"]
            assert st["opted"]["state"] == "in" and st["battery_mw"] > 0
            assert all(isinstance(v, float) and v < 1.0 for v in st["jobs"].values())
            assert st["training_cost_gpu_h"] > 0 and st["vtn"]["connected"]
            await vtn.stop()
            await wait_for(lambda: not a.vtn["connected"], 5, "the agent to notice the VTN is gone")
            n_reports = len(vtn.reports)
            await asyncio.sleep(0.5)
            await vtn.start()
            await wait_for(lambda: a.vtn["connected"], 5, "the agent to reconnect")
            await wait_for(lambda: any(r[0] == "colossus-2" for r in vtn.reports[n_reports:]), 5,
                           "telemetry after the restart")
            assert not runs[0].done()

            end_wall = start + dur + site_s(120)  # the ramp back and a few reports at the baseline
            await asyncio.sleep(max(0.0, (end_wall - datetime.now(timezone.utc)).total_seconds()))
            st_after = await get_status(status_port)
        finally:
            stop.set()
            await asyncio.gather(*runs, return_exceptions=True)
            await vtn.stop()
        return a, e0, st_after, vtn

    a, e0, st_after, vtn = asyncio.run(scenario())
    tr = np.array([(t, tg, m) for t, tg, m, _ in a.trace])
    d = a.decisions[next(iter(a.decisions))]
    s0, s1 = d.event.start_s, d.event.end_s
    inside = (tr[:, 0] >= s0) & (tr[:, 0] <= s1)
    assert inside.sum() > 100
    assert np.all(np.abs(tr[inside, 1] - (site.baseline_mw - 300.0)) < 1e-6)
    rel = np.abs(tr[inside, 2] - tr[inside, 1]) / tr[inside, 1]
    assert rel.max() <= 0.02, rel.max()
    # restored: target back at the baseline, caps lifted, battery at rest, draw near the baseline
    assert st_after["target_mw"] == pytest.approx(st_after["baseline_mw"])
    assert abs(st_after["measured_mw"] - st_after["baseline_mw"]) <= 0.02 * st_after["baseline_mw"]
    assert set(st_after["jobs"].values()) == {1.0} and st_after["battery_mw"] == 0.0
    # the VTN's telemetry is the measured power: ~baseline before, ~baseline - 300 during the event
    vals = [v for ven, _, v in vtn.reports if ven == "colossus-2"]
    assert min(vals) == pytest.approx(site.baseline_mw - 300.0, rel=0.02)
    assert max(vals) == pytest.approx(site.baseline_mw, rel=0.02)
    # training given up vs the site model's optimum for the same event
    opt = optimum_gpu_hours(site, 300.0, (s1 - s0) / 3600.0, e0)
    assert opt > 0
    lost = a.compute.gpu_hours_lost
    print(f"max relative error {rel.max():.4f}; GPU-h given up {lost:,.0f}, optimum {opt:,.0f} "
          f"({lost / opt - 1:+.2%})")
    assert abs(lost - opt) <= 0.05 * opt, (lost, opt)
