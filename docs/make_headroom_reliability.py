"""Reproduce the numbers and charts of docs/headroom_reliability.md and BENCHMARKS.md.

Usage (from the repository root; shared data beside it)::

    PYTHONPATH=src python docs/make_headroom_reliability.py --samples-rts 1000 --samples-79 2000

Writes ``docs/headroom_reliability.json`` and ``docs/headroom_reliability_<system>_<option>.png``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

from gigawatt.capacity import BatteryOption, DemandResponseOption, MonteCarlo, OnsiteGenerationOption, reliability_headroom
from gigawatt.capacity.sweep import sweep
from gigawatt.report.plots import plot_sweep
from gigawatt.capacity.value import capacity_value
from gigawatt.io.pras import read_pras
from gigawatt.systems import ieee_rts79

DOCS = Path(__file__).resolve().parent
SHARED = DOCS.parent.parent / "shared" / "data"

SWEEPS = {
    "battery_mw": [0, 100, 200, 400, 800],
    "curtailment_h": [0, 24, 50, 100, 200],
    "onsite_mw": [0, 100, 200, 400],
}


def duke_on_system(system) -> dict:
    """Duke curtailment headroom [MW] computed from the system's own (one-year) load series."""
    from gigawatt.duke.study import headroom_from_series

    load = system.regions.load_mw.sum(axis=0)
    idx = system.timeaxis.timestamps
    s = pd.Series(load, index=idx)
    year = int(idx[0].year)
    s = s[s.index.year == year]
    full = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="h", inclusive="left", tz="UTC")
    s = s.reindex(full).ffill()  # the 1979 RTS has 364 days: its last day is held
    res = headroom_from_series(s, first_year=year, last_year=year, limits=[0.0025, 0.005, 0.01, 0.05])
    return {f"{k * 100:g}%": v["headroom_mw"] for k, v in res["limits"].items()}


def run(name, system, samples, seed, out):
    mc = MonteCarlo(samples, seed)
    rec = {"samples": samples, "seed": seed, "peak_mw": float(system.regions.load_mw.sum(axis=0).max())}
    timings = {}
    t = time.perf_counter()
    rec["firm"] = reliability_headroom(system, "lole_d=0.1", mc=mc).to_dict()
    timings["firm headroom"] = time.perf_counter() - t
    for contract in ("capped:100h", "connect-and-manage:0.5%", "connect-and-manage:1%"):
        t = time.perf_counter()
        rec[contract] = reliability_headroom(system, "lole_d=0.1", contract=contract, mc=mc).to_dict()
        timings[contract] = time.perf_counter() - t
    t = time.perf_counter()
    rec["battery 200 MW / 800 MWh"] = reliability_headroom(system, "lole_d=0.1", mc=mc,
                                                            resources=(BatteryOption(200, 800),)).to_dict()
    timings["battery headroom"] = time.perf_counter() - t
    rec["capacity_value"] = {}
    for res in (BatteryOption(200, 800), OnsiteGenerationOption(50, 4), DemandResponseOption(200, 100)):
        t = time.perf_counter()
        rec["capacity_value"][res.name] = capacity_value(system, res, target="lole_d=0.1", mc=mc).to_dict()
        timings[f"ELCC+EFC {res.name}"] = time.perf_counter() - t
    rec["sweeps"] = {}
    for option, sizes in SWEEPS.items():
        t = time.perf_counter()
        df = sweep(system, option, sizes, target="lole_d=0.1", mc=mc)
        timings[f"sweep {option} ({len(sizes)} sizes)"] = time.perf_counter() - t
        plot_sweep(df, title=f"{name}: headroom at LOLE 0.1 d/yr vs {option}",
                   path=DOCS / f"headroom_reliability_{name}_{option}.png")
        rec["sweeps"][option] = df.replace({np.inf: None, -np.inf: None}).to_dict(orient="records")
    firm_est = rec["firm"]["headroom_mw"]["low"]
    if firm_est < 0:
        calibrated(name, system, firm_est, mc, rec)
    try:
        rec["duke_on_own_load"] = duke_on_system(system)
    except Exception as exc:  # noqa: BLE001 - report, do not stop the study
        rec["duke_on_own_load"] = {"error": str(exc)}
    rec.setdefault("timings_s", {}).update(timings)
    out[name] = rec
    print(name, json.dumps(timings, indent=1), flush=True)


def calibrated(name, system, firm_est, mc, rec):
    """Systems that fail the standard: curtailment sweep after removing the firm deficit (its low end)."""
    from gigawatt.capacity import FirmLoad

    sys_c = FirmLoad()(system, firm_est)
    t = time.perf_counter()
    df = sweep(sys_c, "curtailment_h", SWEEPS["curtailment_h"], target="lole_d=0.1", mc=mc)
    rec.setdefault("timings_s", {})["sweep curtailment_h, calibrated"] = time.perf_counter() - t
    plot_sweep(df, title=f"{name} with {-firm_est:.0f} MW less load: headroom vs curtailment hours",
               path=DOCS / f"headroom_reliability_{name}_curtailment_h_calibrated.png")
    rec["calibrated_load_mw"] = firm_est
    rec["sweeps_calibrated"] = {"curtailment_h": df.replace({np.inf: None, -np.inf: None}).to_dict(orient="records")}


def extra_79(out):
    """Only the calibrated curtailment sweep and the Duke figures of the 1979 RTS (after a full run)."""
    rec = out["ieee-rts79"]
    system = ieee_rts79()
    mc = MonteCarlo(rec["samples"], rec["seed"])
    calibrated("ieee-rts79", system, rec["firm"]["headroom_mw"]["low"], mc, rec)
    rec["duke_on_own_load"] = duke_on_system(system)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples-rts", type=int, default=1000)
    ap.add_argument("--samples-79", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    path = DOCS / "headroom_reliability.json"
    out = json.loads(path.read_text()) if path.exists() else {}
    if a.only == "ieee-rts79-extra":
        extra_79(out)
        path.write_text(json.dumps(out, indent=1, default=float))
    if a.only in ("", "ieee-rts79"):
        run("ieee-rts79", ieee_rts79(), a.samples_79, a.seed, out)
        path.write_text(json.dumps(out, indent=1, default=float))
    if a.only in ("", "rts-gmlc"):
        run("rts-gmlc", read_pras(SHARED / "pras" / "rts.pras"), a.samples_rts, a.seed, out)
        path.write_text(json.dumps(out, indent=1, default=float))
    # the PJM-like default (pjm-2026) is run from the command line; see the PJM section of the page


if __name__ == "__main__":
    main()
