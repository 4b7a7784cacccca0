"""Reproduce the numbers and plots of docs/dynamics.md.

Usage (repo root, project venv)::

    python docs/make_dynamics_study.py > /tmp/study.json

Writes docs/dynamics_*.png and prints the study's figures as JSON.
"""

from __future__ import annotations

import json
import math
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gigawatt.cli._dynamics_plots import plot_frequency, plot_trace  # noqa: E402
from gigawatt.dynamics import (  # noqa: E402
    BatterySpec,
    ComplianceLimits,
    FrequencySystem,
    GpuSmoothing,
    colossus_like_site,
    data_center_trip,
    evaluate,
    generator_trip,
    simulate_frequency,
    site_power,
    smallest_battery,
    smallest_floor,
)
from gigawatt.dynamics.mitigation import default_controller  # noqa: E402
from gigawatt.dynamics.smoothing import site_ramp_to_gpu_w_per_s  # noqa: E402

DOCS = ROOT / "docs"
HOURS = 1.0
DT = 0.025  # s: Nyquist 20 Hz, the top of the 0.1-20 Hz band
SEED = 2026
LIMITS = ComplianceLimits(max_ramp_mw_per_s=10.0, max_band_rms_mw=5.0, band_hz=(0.1, 20.0),
                          max_step_mw=20.0, step_window_s=1.0)


def mitigation_study() -> dict:
    site = colossus_like_site()  # 550k GB200, 8 jobs in phase, sources.md F1, F4
    dur = HOURS * 3600.0
    t0 = time.perf_counter()
    base = site_power(site, dur, DT, seed=SEED)
    ctl = default_controller(LIMITS)
    floor = 0.6
    floor_sm = GpuSmoothing(power_floor_fraction=floor)
    floored = site_power(site, dur, DT, seed=SEED, smoothing=floor_sm)
    size_b = smallest_battery(base.facility_mw, DT, LIMITS, ctl)
    size_fb = smallest_battery(floored.facility_mw, DT, LIMITS, ctl)
    gpu_ramp = site_ramp_to_gpu_w_per_s(LIMITS.max_ramp_mw_per_s * 0.9, site.n_gpus)
    ramp_sm = GpuSmoothing(power_floor_fraction=floor, ramp_up_w_per_s=gpu_ramp,
                           ramp_down_w_per_s=gpu_ramp)
    cases = [
        ("unsmoothed", GpuSmoothing(), None),
        (f"GPU floor {floor:g}", floor_sm, None),
        (f"GPU floor {floor:g} + GPU ramp {gpu_ramp:.0f} W/s", ramp_sm, None),
        ("battery (smallest)", GpuSmoothing(),
         BatterySpec(size_b.power_mw, size_b.energy_mwh) if size_b else None),
        (f"GPU floor {floor:g} + battery (smallest)", floor_sm,
         BatterySpec(size_fb.power_mw, size_fb.energy_mwh) if size_fb else None),
        # source: sources.md F1, F5, 168 Megapacks at Colossus 2 (~0.65 GWh)
        ("168 Megapacks", GpuSmoothing(), BatterySpec.megapacks(168)),
        (f"GPU floor {floor:g} + 168 Megapacks", floor_sm, BatterySpec.megapacks(168)),
    ]
    rows = []
    grids = {}
    for label, sm, b in cases:
        r = evaluate(site, dur, DT, LIMITS, seed=SEED, smoothing=sm, battery=b, controller=ctl,
                     baseline=base, label=label)
        d = r.summary()
        d["battery_mw"] = b.power_mw if b else 0.0
        d["battery_mwh"] = b.energy_mwh if b else 0.0
        rows.append(d)
        grids[label] = r.grid_mw
    f_min = smallest_floor(site, dur, DT, LIMITS, seed=SEED)
    # sensitivity: jobs out of phase
    rnd = colossus_like_site(in_phase=False)
    rnd_tr = site_power(rnd, dur, DT, seed=SEED)
    rnd_eval = evaluate(rnd, dur, DT, LIMITS, seed=SEED, baseline=rnd_tr, label="random phase")
    size_rnd = smallest_battery(rnd_tr.facility_mw, DT, LIMITS, ctl)
    t = base.time_s
    sl = slice(0, int(120 / DT))
    plot_trace(DOCS / "dynamics_site_trace.png", t[sl],
               {"facility (grid side)": base.facility_mw[sl], "IT": base.it_mw[sl]},
               title="Colossus-like site, 8 jobs in phase, first 2 min (start-up ramp)")
    # a window around the first failure
    fail_t = float(base.schedule.start_s[base.schedule.kind == 4].min())
    i0 = max(0, int((fail_t - 30) / DT))
    sl2 = slice(i0, i0 + int(90 / DT))
    shown = [c[0] for c in cases[:5]]
    plot_trace(DOCS / "dynamics_mitigations.png", t[sl2] - t[i0],
               {k: grids[k][sl2] for k in shown}, window_s=90,
               title=f"grid-side power; a job fails 30 s into the window (t = {fail_t:.0f} s)")
    return {
        "site": {"n_gpus": site.n_gpus, "jobs": len(site.jobs),
                 "job_mttf_min": site.jobs[0].effective_mttf_s / 60,
                 "peak_it_mw": site.peak_it_mw, "mean_facility_mw": float(base.facility_mw.mean()),
                 "max_facility_mw": float(base.facility_mw.max()),
                 "failures": int(base.schedule.n_failures.sum()),
                 "checkpoints": int(base.schedule.n_checkpoints.sum())},
        "limits": {"max_ramp_mw_per_s": 10.0, "band_rms_mw": 5.0, "band_hz": [0.1, 20.0],
                   "max_step_1s_mw": 20.0},
        "cases": rows,
        "smallest_floor_alone": f_min,
        "smallest_battery": {"power_mw": size_b.power_mw, "energy_mwh": size_b.energy_mwh}
        if size_b else None,
        "smallest_battery_with_floor": {"power_mw": size_fb.power_mw,
                                        "energy_mwh": size_fb.energy_mwh} if size_fb else None,
        "random_phase": {**rnd_eval.summary(),
                         "smallest_battery": {"power_mw": size_rnd.power_mw,
                                              "energy_mwh": size_rnd.energy_mwh}
                         if size_rnd else None},
        "wall_s": time.perf_counter() - t0,
    }


def frequency_study() -> dict:
    ei = FrequencySystem()
    cases = {
        "1.5 GW data-center trip (EI-like)": (ei, data_center_trip(1500)),
        "same, no governor deadband": (replace(ei, governor_deadband_hz=0.0), data_center_trip(1500)),
        "same, half the inertia": (replace(ei, inertia_mw_s=ei.inertia_mw_s / 2), data_center_trip(1500)),
        "1.5 GW generator trip (H = 4 s)": (ei, generator_trip(1500, inertia_h_s=4.0)),
        "4.5 GW generator trip (design contingency)": (ei, generator_trip(4500, inertia_h_s=4.0)),
        "5 GW data-center cluster trip": (ei, data_center_trip(5000)),
    }
    rows = {}
    series = {}
    for name, (s, ev) in cases.items():
        r = simulate_frequency(s, [ev], duration_s=60.0, dt_s=0.01)
        rows[name] = r.metrics()
        if "data-center" in name or "deadband" in name or "inertia" in name:
            series[name] = r.frequency_hz
        t = r.time_s
    plot_frequency(DOCS / "dynamics_frequency.png", t,
                   {k: v for k, v in series.items()},
                   title="Eastern-Interconnection-like system, trip at t = 1 s")
    return {"system": {"inertia_mw_s": ei.inertia_mw_s, "beta_mw_per_hz": ei.beta_mw_per_hz,
                       "load_damping_mw_per_hz": ei.load_damping_mw_per_hz,
                       "governor_gain_mw_per_hz": ei.governor_gain_mw_per_hz,
                       "governor_time_constant_s": ei.governor_time_constant_s,
                       "deadband_hz": ei.governor_deadband_hz},
            "cases": rows}


if __name__ == "__main__":
    out = {"mitigation": mitigation_study(), "frequency": frequency_study()}
    print(json.dumps(out, indent=1, default=lambda x: None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)))
