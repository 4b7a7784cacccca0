"""Benchmark: gigawatt vs assetra on the same single-region system, same samples.

Systems (``--system``):

* ``rts-gmlc`` (default): RTS-GMLC (``pras/rts.pras`` in the shared data folder, NREL/PRAS's
  RTS-GMLC SystemModel, 8784 hours of the leap year 2020) aggregated to one region: the load is
  the sum of the three regions' loads, all 153 generators are in the one region with their own
  hourly capacity series and failure/repair probabilities, and interfaces and lines are dropped
  (assetra has no multi-region transport). The battery (``storages``) and the concentrating solar
  plant (``generatorstorages``) are left out of both tools: assetra's storage (constant ratings,
  starts full, one round-trip efficiency, no outages) and its hydro unit (a monthly energy budget
  allocated in proportion to unmet demand) differ from PRAS's storage and generator-storage
  (hourly ratings, start empty, charge, discharge and carry-over efficiencies, outages), and
  including them would compare models rather than samplers. The 20 hydro units of ``rts.pras``
  are plain generators with an hourly capacity series there, and are the same stochastic units
  in both tools (not assetra's hydro unit). ``--add-load-mw`` (default
  1500 MW) is added to the load in every hour: the merged system without transfer limits is far
  more reliable than the three regions, and with 1500 MW added gigawatt's exact convolution
  gives LOLH 15.2 h/yr and EUE 3268 MWh/yr.
* ``ieee-rts79``: the embedded IEEE RTS-79 (32 units, 3405 MW, hourly load peaking at 2850 MW,
  8736 hours); ``--add-load-mw`` defaults to 0.

assetra (``pip install assetra``) samples every unit's outage independently in every hour
(hourly forced outage rate); gigawatt samples two-state Markov units (failure and repair
probabilities lambda and mu per hour). Each unit becomes an assetra ``StochasticUnit`` with its
hourly capacity and the hourly forced outage rate FOR = lambda / (lambda + mu). With units
starting in their steady state (and lambda, mu constant per unit, as in both systems) both have
the same availability distribution in every hour, so the *expected* LOLH and EUE agree (they are
sums over hours of per-hour marginals); LOLE in days and event counts do not (outage durations
differ), so only LOLH and EUE are compared.

assetra runs in its own virtual environment (``/tmp/gw-bench-assetra``, created by this script);
gigawatt runs in this process on one thread. Both are timed over whole runs (assetra: building
the system, simulating, evaluating EUE and LOLH; gigawatt: ``assess`` with Shortfall, the
system being built beforehand), median of ``--repeat`` runs after one warm-up. "Equal accuracy"
compares the time to reach the same standard error: time per sample x variance per sample.
Finally gigawatt's exact ``Convolution`` answers the same question without sampling error
(2-3 s per call on RTS-GMLC, where nearly every hour has its own wind and solar capacities).

    python benchmarks/bench_assetra.py [--system rts-gmlc] [--add-load-mw 1500] [--samples 1000] [--repeat 3]
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

ROOT = Path(__file__).resolve().parents[1]
#: load added to the aggregated RTS-GMLC region in every hour [MW]; chosen so that the one-region
#: system has a meaningful number of shortfall hours (gigawatt Convolution: LOLH 15.2 h/yr,
#: EUE 3268 MWh/yr; 1000 MW gives about 1.4 h/yr, 2000 MW about 84 h/yr)
RTS_GMLC_ADD_LOAD_MW = 1500.0

_ASSETRA_CHILD = r"""
import json, sys, time
import numpy as np, xarray as xr
from assetra.units import StochasticUnit, DemandUnit
from assetra.system import EnergySystemBuilder
from assetra.simulation import ProbabilisticSimulation
from assetra.metrics import ExpectedUnservedEnergy, LossOfLoadHours

d = np.load(sys.argv[1])
n, repeat = int(sys.argv[2]), int(sys.argv[3])
load, cap, forate = d["load"], d["cap"], d["for"]  # (T,), (units, T), (units, T)
time_idx = xr.date_range(str(d["start"]), periods=load.size, freq="h")
assert cap.shape == forate.shape == (cap.shape[0], time_idx.size)
def run(seed):
    np.random.seed(seed)
    t = time.perf_counter()
    b = EnergySystemBuilder()
    b.add_unit(DemandUnit(0, xr.DataArray(load, coords={"time": time_idx})))
    for i in range(cap.shape[0]):
        b.add_unit(StochasticUnit(i + 1, float(cap[i].max()), xr.DataArray(cap[i], coords={"time": time_idx}),
                                  xr.DataArray(forate[i], coords={"time": time_idx})))
    sim = ProbabilisticSimulation(time_idx[0], time_idx[-1], n)
    sim.assign_energy_system(b.build())
    sim.run()
    eue = ExpectedUnservedEnergy(sim).evaluate()
    lolh = LossOfLoadHours(sim).evaluate()
    el = time.perf_counter() - t
    net = sim.net_hourly_capacity_matrix.values
    assert net.shape == (n, time_idx.size)
    per_eue = np.where(net < 0, -net, 0).sum(axis=1)
    per_lolh = (net < 0).sum(axis=1)
    return el, eue, lolh, per_eue.std(ddof=1) / np.sqrt(n), per_lolh.std(ddof=1) / np.sqrt(n), per_eue.var(ddof=1)
run(0)  # warm-up (imports, caches)
res = [run(k + 1) for k in range(repeat)]
print("RESULT " + json.dumps([list(map(float, r)) for r in res]))
"""


def _z(diff, se):
    """``diff`` in standard errors (NaN when the standard error is zero, e.g. no shortfall sampled)."""
    return diff / se if se > 0 else math.nan


def rts_gmlc_one_region(path):
    """RTS-GMLC from a ``.pras`` file as one region: summed load, all generators, no storage or transport."""
    from gigawatt.io.pras import read_pras
    from gigawatt.system import Generators, Regions, SystemModel

    full = read_pras(path)
    g = full.generators
    region = "RTS-GMLC"
    return SystemModel(
        full.timeaxis,
        Regions((region,), full.regions.load_mw.sum(axis=0)[None, :]),
        Generators(g.names, g.categories, (region,) * len(g), g.capacity_mw, g.failure_prob, g.repair_prob),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--system", choices=("ieee-rts79", "rts-gmlc"), default="rts-gmlc")
    ap.add_argument("--add-load-mw", type=float, default=None,
                    help=f"load added in every hour [MW] (default: {RTS_GMLC_ADD_LOAD_MW:g} for rts-gmlc, "
                         "0 for ieee-rts79)")
    ap.add_argument("--data", type=Path,
                    default=Path(os.environ.get("GIGAWATT_SHARED_DATA", ROOT.parent / "shared" / "data")),
                    help="shared data folder holding pras/rts.pras")
    ap.add_argument("--samples", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from gigawatt import Convolution, SequentialMonteCarlo, Shortfall, assess, systems

    if args.system == "rts-gmlc":
        add = RTS_GMLC_ADD_LOAD_MW if args.add_load_mw is None else args.add_load_mw
        system = rts_gmlc_one_region(args.data / "pras" / "rts.pras")
        note = "RTS-GMLC in one region, no storage"
    else:
        add = 0.0 if args.add_load_mw is None else args.add_load_mw
        system = systems.ieee_rts79()
        note = "IEEE RTS-79"
    if add:
        system = system.with_added_load(add)
    g = system.generators
    lam, mu = g.failure_prob, g.repair_prob
    with np.errstate(invalid="ignore", divide="ignore"):
        forced_outage_rate = np.where(lam + mu > 0, lam / (lam + mu), 0.0)  # (units, hours)
    load = system.regions.load_mw[0]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"system: {args.system} ({note}; {len(g.names)} units, up to {g.capacity_mw.sum(axis=0).max():.0f} MW, "
          f"load peaking at {load.max():.0f} MW with {add:g} MW added, {system.n_periods} h); {args.samples} samples")
    try:
        py = peer_python("assetra", ["assetra"])
    except RuntimeError as exc:
        print(f"assetra could not be installed: {exc}")
        return
    print(f"peer: {peer_versions(py, ['assetra', 'numpy', 'xarray'])} in {py.parent.parent}")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "system.npz"
        np.savez(data, load=load, cap=g.capacity_mw, **{"for": forced_outage_rate},
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
    z_eue = _z(res.eue_mwh.mean - a_eue, math.hypot(res.eue_mwh.stderr, a_eue_se))
    z_lolh = _z(res.lolh_h.mean - a_lolh, math.hypot(res.lolh_h.stderr, a_lolh_se))
    print(f"agreement: EUE differs by {z_eue:+.2f} combined standard errors, LOLH by {z_lolh:+.2f}")
    print(f"speed per sample: gigawatt {a_time / g_time:.0f}x assetra")
    print(f"variance of annual EUE per sample: assetra {a_var:.3g}, gigawatt {g_var:.3g} MWh^2 "
          f"(hourly-independent outages average out within a year)")
    print(f"speed at equal accuracy (time per sample x variance per sample): gigawatt "
          f"{_z(a_time * a_var, g_time * g_var):.1f}x assetra")
    # the question assetra answers (expected EUE and LOLH of one region without storage) has an exact
    # answer: gigawatt's convolution method, no sampling error at all
    assess(system, Convolution(), Shortfall())  # warm-up
    c_times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        exact = assess(system, Convolution(), Shortfall())
        c_times.append(time.perf_counter() - t)
    c_time = statistics.median(c_times)
    ratio = a_time / c_time
    speed = f"{ratio:.0f}x faster than" if ratio >= 1 else f"{1 / ratio:.1f}x slower than"
    print(f"exact (gigawatt Convolution): EUE {exact.eue_mwh.mean:.1f} MWh/yr, LOLH {exact.lolh_h.mean:.3f} h/yr in "
          f"{c_time:.4f} s: {speed} assetra's {n} samples")
    off = [_z(a_eue - exact.eue_mwh.mean, a_eue_se), _z(a_lolh - exact.lolh_h.mean, a_lolh_se),
           _z(res.eue_mwh.mean - exact.eue_mwh.mean, res.eue_mwh.stderr),
           _z(res.lolh_h.mean - exact.lolh_h.mean, res.lolh_h.stderr)]
    print("off the exact values, in each estimate's own standard errors: assetra EUE {:+.2f}, LOLH {:+.2f}; "
          "gigawatt EUE {:+.2f}, LOLH {:+.2f}".format(*off))


if __name__ == "__main__":
    main()
