"""Benchmark: the question a PyPSA user would ask, answered by PyPSA + HiGHS and by gigawatt.

Question: an 850 MW data center with a 200 MW / 800 MWh battery joins a one-region system
(the embedded IEEE RTS-79: 32 units, 3405 MW, hourly load peaking at 2850 MW, 8736 h).
Over a year of hourly dispatch, how much energy goes unserved, in how many hours?

* PyPSA 1.x + HiGHS (own venv, ``/tmp/gw-bench-pypsa``, created by this script): the deterministic
  answer, a linear program over the whole year with perfect foresight (every unit available,
  load shedding priced at 10,000 USD/MWh, battery starting empty, 95 % charge and discharge
  efficiency). Timed: building the network and ``Network.optimize``.
* gigawatt, same deterministic year (failure probabilities set to zero, one sample): its
  dispatch is chronological without foresight (storage discharges in shortfalls, charges
  from surplus), so it can only serve less or equal.
* gigawatt's own answer: the probabilistic year (random unit outages, ``--samples`` years):
  LOLE, LOLH and EUE with standard errors, which a single deterministic dispatch cannot give.

    python benchmarks/bench_pypsa.py [--samples 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import dataclasses
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _peer_venv import peer_python, peer_versions  # noqa: E402

DC_MW = 850.0
BATTERY_MW = 200.0
BATTERY_MWH = 800.0
EFF = 0.95
SHED_USD_PER_MWH = 10_000.0

_PYPSA_CHILD = r"""
import json, sys, time, logging
import numpy as np, pandas as pd
logging.disable(logging.INFO)
import pypsa
d = np.load(sys.argv[1])
repeat = int(sys.argv[2])
def run():
    t = time.perf_counter()
    n = pypsa.Network()
    n.set_snapshots(pd.date_range(str(d["start"]), periods=d["load"].size, freq="h"))
    n.add("Bus", "RTS")
    n.add("Load", "demand", bus="RTS", p_set=d["load"])
    n.add("Generator", [f"g{i}" for i in range(d["cap"].size)], bus="RTS", p_nom=d["cap"],
          marginal_cost=10.0 + np.arange(d["cap"].size) * 0.01)
    n.add("Generator", "shed", bus="RTS", p_nom=1e5, marginal_cost=float(d["shed_cost"]))
    n.add("StorageUnit", "dc_battery", bus="RTS", p_nom=float(d["bat_mw"]), max_hours=float(d["bat_mwh"] / d["bat_mw"]),
          efficiency_store=float(d["eff"]), efficiency_dispatch=float(d["eff"]), cyclic_state_of_charge=False,
          state_of_charge_initial=0.0)
    status, cond = n.optimize(solver_name="highs", log_to_console=False)
    el = time.perf_counter() - t
    shed = n.generators_t.p["shed"].to_numpy()
    return el, float(shed.sum()), int((shed > 1e-6).sum()), str(status), str(cond)
res = [run() for _ in range(repeat)]
print("RESULT " + json.dumps(res))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from gigawatt import SequentialMonteCarlo, Shortfall, Storages, assess, systems

    base = systems.ieee_rts79()
    region = base.regions.names[0]
    T = base.n_periods
    battery = Storages(("dc_battery",), ("battery",), (region,), BATTERY_MW, BATTERY_MW, BATTERY_MWH, EFF, EFF, 1.0,
                       n_periods=T)
    system = dataclasses.replace(base.with_added_load(DC_MW), storages=battery)
    g = system.generators
    deterministic = dataclasses.replace(system, generators=dataclasses.replace(g, failure_prob=np.zeros_like(
        g.failure_prob)))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"system: ieee-rts79 + {DC_MW:g} MW data center + {BATTERY_MW:g} MW / {BATTERY_MWH:g} MWh battery, {T} h")
    try:
        py = peer_python("pypsa", ["pypsa", "highspy"])
    except RuntimeError as exc:
        print(f"PyPSA could not be installed: {exc}")
        return
    print(f"peer: {peer_versions(py, ['pypsa', 'highspy', 'linopy'])} in {py.parent.parent}")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "sys.npz"
        np.savez(data, load=system.regions.load_mw[0], cap=g.capacity_mw[:, 0], bat_mw=BATTERY_MW,
                 bat_mwh=BATTERY_MWH, eff=EFF, shed_cost=SHED_USD_PER_MWH,
                 start=np.str_(system.timeaxis.timestamps[0].tz_localize(None).isoformat()))
        out = subprocess.run([str(py), "-c", _PYPSA_CHILD, str(data), str(args.repeat)], capture_output=True,
                             text=True)
    if out.returncode != 0:
        print("PyPSA run failed:\n" + out.stderr[-2000:])
        return
    runs = json.loads(next(ln for ln in out.stdout.splitlines() if ln.startswith("RESULT "))[7:])
    p_time = statistics.median(r[0] for r in runs)
    _, p_eue, p_hours, status, cond = runs[-1]

    assess(deterministic, SequentialMonteCarlo(samples=1, seed=1, threads=1))  # warm-up (numba load)
    d_times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        det = assess(deterministic, SequentialMonteCarlo(samples=1, seed=1, threads=1), Shortfall())
        d_times.append(time.perf_counter() - t)
    pr_times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        prob = assess(system, SequentialMonteCarlo(samples=args.samples, seed=1, threads=1), Shortfall())
        pr_times.append(time.perf_counter() - t)
    d_time, pr_time = statistics.median(d_times), statistics.median(pr_times)
    print(f"PyPSA + HiGHS, deterministic year ({status}, {cond}): unserved {p_eue:.1f} MWh in {p_hours} h; "
          f"median {p_time:.2f} s")
    print(f"gigawatt, deterministic year: unserved {det.eue_mwh.mean:.1f} MWh in {det.lolh_h.mean:.0f} h; "
          f"median {d_time:.3f} s ({p_time / d_time:.0f}x faster than PyPSA)")
    print(f"gigawatt, probabilistic ({args.samples} years, one thread): EUE {prob.eue_mwh.mean:.0f} ± "
          f"{prob.eue_mwh.stderr:.0f} MWh/yr, LOLH {prob.lolh_h.mean:.1f} ± {prob.lolh_h.stderr:.1f} h/yr, "
          f"LOLE {prob.lole_d.mean:.2f} ± {prob.lole_d.stderr:.2f} d/yr; median {pr_time:.2f} s "
          f"({pr_time / p_time:.2f}x PyPSA's one deterministic year)")


if __name__ == "__main__":
    main()
