"""Benchmark: gigawatt vs assetra on the same single-region system (IEEE RTS-79), same samples.

assetra (``pip install assetra``) samples every unit's outage independently in every hour
(hourly forced outage rate); gigawatt samples two-state Markov units (failure and repair
probabilities per hour). With units starting in their steady state both have the same
availability distribution in every hour, so the *expected* LOLH and EUE agree (they are sums
over hours of per-hour marginals); LOLE in days and event counts do not (outage durations
differ), so only LOLH and EUE are compared. The system is the embedded IEEE RTS-79
(32 units, 3405 MW, hourly load peaking at 2850 MW, 8736 hours); RTS-GMLC is not used
because assetra has no multi-region transport and its storage/hydro models differ.

assetra runs in its own virtual environment (``/tmp/gw-bench-assetra``, created by this script);
gigawatt runs in this process on one thread. Both are timed over whole runs (assetra: building
the system, simulating, evaluating EUE and LOLH; gigawatt: ``assess`` with Shortfall), median
of ``--repeat`` runs after one warm-up. "Equal accuracy" compares the time to reach the same
standard error: time per sample x variance per sample.

    python benchmarks/bench_assetra.py [--samples 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import math
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

_ASSETRA_CHILD = r"""
import json, sys, time
import numpy as np, xarray as xr
from assetra.units import StochasticUnit, DemandUnit
from assetra.system import EnergySystemBuilder
from assetra.simulation import ProbabilisticSimulation
from assetra.metrics import ExpectedUnservedEnergy, LossOfLoadHours

d = np.load(sys.argv[1])
n, repeat = int(sys.argv[2]), int(sys.argv[3])
time_idx = xr.date_range(str(d["start"]), periods=d["load"].size, freq="h")
def run(seed):
    np.random.seed(seed)
    t = time.perf_counter()
    b = EnergySystemBuilder()
    b.add_unit(DemandUnit(0, xr.DataArray(d["load"], coords={"time": time_idx})))
    for i, (cap, forate) in enumerate(zip(d["cap"], d["for"])):
        series = lambda v: xr.DataArray(np.full(time_idx.size, v), coords={"time": time_idx})
        b.add_unit(StochasticUnit(i + 1, float(cap), series(cap), series(forate)))
    sim = ProbabilisticSimulation(time_idx[0], time_idx[-1], n)
    sim.assign_energy_system(b.build())
    sim.run()
    eue = ExpectedUnservedEnergy(sim).evaluate()
    lolh = LossOfLoadHours(sim).evaluate()
    el = time.perf_counter() - t
    net = sim.net_hourly_capacity_matrix.values
    per_eue = np.where(net < 0, -net, 0).sum(axis=1)
    per_lolh = (net < 0).sum(axis=1)
    return el, eue, lolh, per_eue.std(ddof=1) / np.sqrt(n), per_lolh.std(ddof=1) / np.sqrt(n), per_eue.var(ddof=1)
run(0)  # warm-up (imports, caches)
res = [run(k + 1) for k in range(repeat)]
print("RESULT " + json.dumps([list(map(float, r)) for r in res]))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from gigawatt import SequentialMonteCarlo, Shortfall, assess, systems

    system = systems.ieee_rts79()
    g = system.generators
    lam, mu = g.failure_prob[:, 0], g.repair_prob[:, 0]
    forced_outage_rate = lam / (lam + mu)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"system: ieee-rts79 ({len(g.names)} units, {g.capacity_mw[:, 0].sum():.0f} MW, "
          f"peak load {system.regions.load_mw.max():.0f} MW, {system.n_periods} h); {args.samples} samples")
    try:
        py = peer_python("assetra", ["assetra"])
    except RuntimeError as exc:
        print(f"assetra could not be installed: {exc}")
        return
    print(f"peer: {peer_versions(py, ['assetra', 'numpy', 'xarray'])} in {py.parent.parent}")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "rts79.npz"
        np.savez(data, load=system.regions.load_mw[0], cap=g.capacity_mw[:, 0], **{"for": forced_outage_rate},
                 start=np.str_(system.timeaxis.timestamps[0].tz_localize(None).isoformat()))
        out = subprocess.run([str(py), "-c", _ASSETRA_CHILD, str(data), str(args.samples), str(args.repeat)],
                             capture_output=True, text=True)
    if out.returncode != 0:
        print("assetra run failed:\n" + out.stderr[-2000:])
        return
    a_runs = json.loads(next(ln for ln in out.stdout.splitlines() if ln.startswith("RESULT "))[7:])
    a_time = statistics.median(r[0] for r in a_runs)
    a_eue, a_lolh, a_eue_se, a_lolh_se, a_var = a_runs[-1][1:]

    assess(system, SequentialMonteCarlo(samples=10, seed=1, threads=1))  # warm-up (numba load)
    g_times = []
    for k in range(args.repeat):
        t = time.perf_counter()
        res = assess(system, SequentialMonteCarlo(samples=args.samples, seed=k + 1, threads=1), Shortfall())
        g_times.append(time.perf_counter() - t)
    g_time = statistics.median(g_times)
    g_var = (res.eue_mwh.stderr ** 2) * args.samples
    n = args.samples
    print(f"{'':10} {'median s':>9} {'ms/sample':>10} {'EUE MWh/yr':>18} {'LOLH h/yr':>16}")
    print(f"{'assetra':10} {a_time:9.3f} {1e3 * a_time / n:10.4f} {a_eue:9.1f} ± {a_eue_se:6.1f} "
          f"{a_lolh:7.2f} ± {a_lolh_se:5.2f}")
    print(f"{'gigawatt':10} {g_time:9.3f} {1e3 * g_time / n:10.4f} {res.eue_mwh.mean:9.1f} ± "
          f"{res.eue_mwh.stderr:6.1f} {res.lolh_h.mean:7.2f} ± {res.lolh_h.stderr:5.2f}")
    z_eue = (res.eue_mwh.mean - a_eue) / math.hypot(res.eue_mwh.stderr, a_eue_se)
    z_lolh = (res.lolh_h.mean - a_lolh) / math.hypot(res.lolh_h.stderr, a_lolh_se)
    print(f"agreement: EUE differs by {z_eue:+.2f} combined standard errors, LOLH by {z_lolh:+.2f}")
    print(f"speed per sample: gigawatt {a_time / g_time:.0f}x assetra")
    print(f"variance of annual EUE per sample: assetra {a_var:.3g}, gigawatt {g_var:.3g} MWh^2 "
          f"(hourly-independent outages average out within a year)")
    print(f"speed at equal accuracy (time per sample x variance per sample): gigawatt "
          f"{(a_time * a_var) / (g_time * g_var):.1f}x assetra")
    # the question assetra answers (expected EUE and LOLH of one region without storage) has an exact
    # answer: gigawatt's convolution method, no sampling error at all
    from gigawatt import Convolution

    assess(system, Convolution(), Shortfall())  # warm-up
    c_times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        exact = assess(system, Convolution(), Shortfall())
        c_times.append(time.perf_counter() - t)
    c_time = statistics.median(c_times)
    z_a = (a_eue - exact.eue_mwh.mean) / a_eue_se
    print(f"exact (gigawatt Convolution): EUE {exact.eue_mwh.mean:.1f} MWh/yr, LOLH {exact.lolh_h.mean:.3f} h/yr in "
          f"{c_time:.4f} s: {a_time / c_time:.0f}x faster than assetra's {n} samples, whose EUE is "
          f"{z_a:+.2f} of its standard errors off the exact value")


if __name__ == "__main__":
    main()
