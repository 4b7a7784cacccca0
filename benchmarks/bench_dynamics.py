"""Benchmark: a year of 1 s steps for a 1 GW site with battery control, and Vessim.

Part 1 (gigawatt): a Colossus-like site (550k GB200, 8 jobs, ~0.9 GW peak) for 365 days
at 1 s, streamed in one-day chunks: job schedules, trace (numba), cooling lag, and
the battery controller. Reports wall time per run (median of ``--repeat`` runs)
and time per simulated step, for the whole pipeline and the controller alone.

Part 2 (Vessim): the same one-site battery problem at Vessim's native 1 s step:
the site's load as a ``Consumer`` with a ``Trace``, a ``GridConnection`` with
per-step ramp limits first in dispatch order, then a ``SimpleBattery``
(lossless, as Vessim's SimpleBattery is). gigawatt's controller solves the
identical problem (ramp limit, no filter, no state-of-charge return, round trip
1.0); the script checks that both give the same grid power, then compares time per
step. Vessim runs in its own virtual environment (default ``/tmp/vessim-venv``),
created here with ``python -m venv`` and ``pip install vessim``; it is never a
dependency of gigawatt.

Usage::

    python benchmarks/bench_dynamics.py [--days 365] [--vessim-steps 86400] [--repeat 3]
        [--write-md FILE.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gigawatt.dynamics import (  # noqa: E402
    BatteryController,
    BatterySpec,
    ControllerSpec,
    SitePowerStream,
    colossus_like_site,
    run_controller,
)

RAMP_MW_PER_S = 10.0
BATTERY = BatterySpec(power_mw=500.0, energy_mwh=200.0, round_trip_efficiency=0.92)
VESSIM_ENERGY_MWH = 4000.0
CONTROLLER = ControllerSpec(RAMP_MW_PER_S, RAMP_MW_PER_S, filter_time_constant_s=20.0)

VESSIM_SCRIPT = r'''
import json, sys, time
import numpy as np, pandas as pd
import vessim as vs

load_w = np.load(sys.argv[1])
ramp_w, cap_wh, repeat = float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
n = load_w.size

def build(record):
    env = vs.Environment(sim_start="2025-01-01", step_size=1)
    trace = vs.Trace(pd.Series(load_w, index=np.arange(n, dtype=float)))
    grid = vs.GridConnection(ramp_up=ramp_w, ramp_down=ramp_w, initial_power=-float(load_w[0]))
    batt = vs.SimpleBattery("battery", capacity=cap_wh, initial_soc=0.5)
    env.add_microgrid(actors=[vs.Consumer("site", trace)], dispatchables=[grid, batt], name="site")
    out = []
    if record:
        class Rec(vs.Controller):
            def step(self, now, states):
                out.append(-states["site"]["p_grid"])
        env.add_controller(Rec())
    return env, out

env, grid_w = build(True)
env.run(until=n)
times = []
for _ in range(repeat):
    env, _ = build(False)
    t = time.perf_counter()
    env.run(until=n)
    times.append(time.perf_counter() - t)
np.save(sys.argv[1] + ".grid.npy", np.asarray(grid_w))
print(json.dumps({"times_s": times, "steps": n, "vessim": vs.__version__ if hasattr(vs, "__version__") else None}))
'''


def bench_gigawatt(days: float, repeat: int) -> dict:
    """Year-scale run: trace + battery control, streamed by day."""
    site = colossus_like_site()
    duration = days * 86400.0
    dt = 1.0
    # warm-up (numba compile / cache load)
    for _, _, fac in SitePowerStream(site, 3600.0, dt, seed=1):
        run_controller(fac, dt, BATTERY, CONTROLLER)
    walls, ctl_walls, out = [], [], {}
    for r in range(repeat):
        t0 = time.perf_counter()
        ctl = BatteryController(BATTERY, CONTROLLER, dt)
        stream = SitePowerStream(site, duration, dt, seed=1, chunk_steps=86400)
        t_ctl = 0.0
        e_sum = 0.0
        g_max_ramp = 0.0
        prev = None
        for _, _, fac in stream:
            tc = time.perf_counter()
            g, _, _ = ctl.step(fac)
            t_ctl += time.perf_counter() - tc
            e_sum += float(fac.sum())
            d = np.abs(np.diff(g if prev is None else np.r_[prev, g]))
            g_max_ramp = max(g_max_ramp, float(d.max()))
            prev = g[-1]
        walls.append(time.perf_counter() - t0)
        ctl_walls.append(t_ctl)
        out = {"steps": stream.n_steps, "failures": int(stream.schedule.n_failures.sum()),
               "site_energy_twh": e_sum / 3600.0 / 1e6, **ctl.totals,
               "max_grid_ramp_mw_per_s": g_max_ramp}
    out.update(wall_s=walls, controller_wall_s=ctl_walls,
               median_wall_s=statistics.median(walls),
               median_controller_wall_s=statistics.median(ctl_walls))
    out["us_per_step"] = out["median_wall_s"] / out["steps"] * 1e6
    out["controller_us_per_step"] = out["median_controller_wall_s"] / out["steps"] * 1e6
    return out


def ensure_vessim(venv: Path) -> tuple[Path | None, str]:
    """Create ``venv`` with vessim if needed; return its python or (None, why)."""
    py = venv / "bin" / "python"
    try:
        if not py.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True,
                           capture_output=True, text=True)
        chk = subprocess.run([str(py), "-c", "import vessim"], capture_output=True, text=True)
        if chk.returncode != 0:
            subprocess.run([str(py), "-m", "pip", "install", "--quiet", "vessim"], check=True,
                           capture_output=True, text=True)
        ver = subprocess.run([str(py), "-m", "pip", "show", "vessim"], capture_output=True,
                             text=True, check=True).stdout
        version = next((x.split(":", 1)[1].strip() for x in ver.splitlines()
                        if x.startswith("Version:")), "?")
        return py, version
    except subprocess.CalledProcessError as exc:
        return None, f"{' '.join(map(str, exc.cmd))} failed: {(exc.stderr or '').strip()[-500:]}"


def bench_vessim(py: Path, n_steps: int, repeat: int) -> dict:
    """Same battery problem in Vessim and in gigawatt; check equal results, time both."""
    site = colossus_like_site()
    fac = next(iter(SitePowerStream(site, n_steps, 1.0, seed=1, chunk_steps=n_steps)))[2]
    ctl = ControllerSpec(RAMP_MW_PER_S, RAMP_MW_PER_S, 0.0, 0.5, float("inf"))
    # Without a state-of-charge return the stored energy wanders (~1.1 GWh range over the
    # first day of this trace), so both tools get an ample lossless store: the check is that
    # they agree step by step and never hit a limit, the timing is per dispatch step.
    batt = BatterySpec(BATTERY.power_mw * 10, VESSIM_ENERGY_MWH, 1.0, 0.5)
    with tempfile.TemporaryDirectory() as tmp:
        f = os.path.join(tmp, "load.npy")
        np.save(f, fac * 1e6)
        proc = subprocess.run([str(py), "-c", VESSIM_SCRIPT, f, str(RAMP_MW_PER_S * 1e6),
                               str(batt.energy_mwh * 1e6), str(repeat)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr[-2000:])
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        v_grid = np.load(f + ".grid.npy") * 1e-6
    ours_t = []
    for _ in range(max(repeat, 5)):
        t = time.perf_counter()
        mine = run_controller(fac, 1.0, batt, ctl)
        ours_t.append(time.perf_counter() - t)
    diff = float(np.max(np.abs(mine.grid_mw - v_grid)))
    v_us = statistics.median(res["times_s"]) / n_steps * 1e6
    o_us = statistics.median(ours_t) / n_steps * 1e6
    return {"steps": n_steps, "vessim_times_s": res["times_s"], "vessim_us_per_step": v_us,
            "gigawatt_controller_times_s": ours_t, "gigawatt_controller_us_per_step": o_us,
            "ratio": v_us / o_us, "max_grid_difference_mw": diff,
            "battery_limited_steps": mine.limited_steps}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=float, default=365.0)
    ap.add_argument("--vessim-steps", type=int, default=86_400)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--venv", type=Path, default=Path("/tmp/vessim-venv"))
    ap.add_argument("--write-md", type=Path, default=None)
    a = ap.parse_args()
    g = bench_gigawatt(a.days, a.repeat)
    print(json.dumps({"gigawatt": g}, indent=1, default=float))
    py, version = ensure_vessim(a.venv)
    v: dict = {"error": version} if py is None else {}
    if py is not None:
        try:
            v = bench_vessim(py, a.vessim_steps, a.repeat)
            v["vessim_version"] = version
        except RuntimeError as exc:
            v = {"error": f"vessim run failed: {exc}"}
    print(json.dumps({"vessim": v}, indent=1, default=float))
    if a.write_md:
        a.write_md.write_text(_markdown(a, g, v))


def _markdown(a, g: dict, v: dict) -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(x.split(":", 1)[1].strip() for x in Path("/proc/cpuinfo").read_text().splitlines()
                     if x.startswith("model name"))
    except (OSError, StopIteration):
        model = cpu
    cmd = (f"python benchmarks/bench_dynamics.py --days {a.days:g} --vessim-steps {a.vessim_steps}"
           f" --repeat {a.repeat} --write-md FILE.md")
    lines = [
        "# Benchmarks: fast dynamics (`gigawatt.dynamics`)",
        "",
        f"Machine: {os.cpu_count()} CPU cores ({model}), Python {platform.python_version()}, "
        f"numpy {np.__version__}. Command (from the repo root, project venv):",
        "",
        f"    {cmd}",
        "",
        "## A year at 1 s, 1 GW site, battery control",
        "",
        "Colossus-like site (550,000 GB200 in 8 in-phase jobs, failures, checkpoints, PUE 1.2 with "
        f"cooling lag), battery {BATTERY.power_mw:g} MW / {BATTERY.energy_mwh:g} MWh, grid ramp "
        f"limit {RAMP_MW_PER_S:g} MW/s, 20 s filter; streamed in one-day chunks.",
        "",
        "| quantity | value |",
        "| --- | --- |",
        f"| simulated steps | {g['steps']:,} |",
        f"| wall time, whole pipeline (median of {a.repeat}) | {g['median_wall_s']:.2f} s "
        f"(runs: {', '.join(f'{x:.2f}' for x in g['wall_s'])}) |",
        f"| per simulated step, whole pipeline | {g['us_per_step']:.3f} us |",
        f"| wall time, battery controller only | {g['median_controller_wall_s']:.2f} s |",
        f"| per simulated step, controller only | {g['controller_us_per_step']:.4f} us |",
        f"| job failures drawn | {g['failures']:,} |",
        f"| site energy | {g['site_energy_twh']:.2f} TWh |",
        f"| battery throughput (discharged) | {g['discharged_mwh']:,.0f} MWh "
        f"(= {g['discharged_mwh'] / BATTERY.energy_mwh:,.0f} full cycles) |",
        f"| battery losses | {g['loss_mwh']:,.0f} MWh |",
        f"| steps where the ramp limit broke | {g['ramp_breaches']:,} |",
        "",
        "## Side by side with Vessim",
        "",
    ]
    if "error" in v:
        lines += [f"Vessim could not be compared: {v['error']}", ""]
    else:
        lines += [
            f"Vessim {v['vessim_version']} (own venv `{a.venv}`), native backend, native 1 s step; "
            f"one microgrid: the site load as a `Consumer` with a `Trace`, `GridConnection` with "
            f"ramp limits ({RAMP_MW_PER_S:g} MW per step) first in dispatch order, then a lossless "
            f"`SimpleBattery` ({VESSIM_ENERGY_MWH:g} MWh, no power limit; 5,000 MW in gigawatt, never reached). gigawatt runs the same problem "
            "(controller with the same ramp limit, no filter, no state-of-charge return, round "
            f"trip 1.0). Both give the same grid power: largest difference "
            f"{v['max_grid_difference_mw']:.2e} MW over {v['steps']:,} steps "
            f"({v['battery_limited_steps']} steps with the battery at a limit). No recorder in "
            "the timed Vessim runs.",
            "",
            "| | time per simulated step | runs (s) |",
            "| --- | --- | --- |",
            f"| Vessim | {v['vessim_us_per_step']:.2f} us | "
            f"{', '.join(f'{x:.2f}' for x in v['vessim_times_s'])} |",
            f"| gigawatt controller | {v['gigawatt_controller_us_per_step']:.4f} us | "
            f"{', '.join(f'{x:.4f}' for x in v['gigawatt_controller_times_s'])} |",
            f"| ratio (Vessim / gigawatt, medians) | **{v['ratio']:,.0f}x** | |",
            "",
            f"Whole gigawatt pipeline (trace + cooling + controller) per step: "
            f"{g['us_per_step']:.3f} us, i.e. {v['vessim_us_per_step'] / g['us_per_step']:,.0f}x "
            "faster than Vessim's dispatch step alone.",
            "",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
