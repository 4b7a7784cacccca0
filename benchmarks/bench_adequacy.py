"""Adequacy engine speed: RTS-GMLC (3 regions, storage, lines) with +700 MW, 10,000 samples.

Usage (from the repository root, shared data beside it)::

    .venv/bin/python benchmarks/bench_adequacy.py [--samples 10000] [--repeat 3] [--threads 2]
    .venv/bin/python benchmarks/bench_adequacy.py --memory 100000   # peak memory of a 100k-sample run
    .venv/bin/python benchmarks/bench_adequacy.py --scenario examples/rts_dc_firm.toml  # + the scenario's sites

The first call compiles (or loads cached) numba kernels; it is timed separately and left
out of the medians. Results are printed as a small table and JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("GIGAWATT_SHARED_DATA", ROOT.parent / "shared" / "data"))


def run(samples: int, repeat: int, threads: int | None, add_mw: float, scenario: str | None = None) -> dict:
    from gigawatt import DataCenters, SequentialMonteCarlo, Shortfall, assess
    from gigawatt.io.pras import read_pras

    t0 = time.perf_counter()
    system = read_pras(DATA / "pras" / "rts.pras").with_added_load(add_mw)
    specs = (Shortfall(),)
    if scenario:
        from gigawatt.io.catalogue import from_scenario
        from gigawatt.io.scenario import read_scenario

        system = from_scenario(read_scenario(scenario), system)
        specs = (Shortfall(), DataCenters())
    t_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    assess(system, SequentialMonteCarlo(samples=2, seed=1, threads=threads), *specs)
    t_first = time.perf_counter() - t0
    times = []
    res = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = assess(system, SequentialMonteCarlo(samples=samples, seed=1, threads=threads), *specs)
        times.append(time.perf_counter() - t0)
    if scenario:
        res = res[0]
    med = statistics.median(times)
    return {
        "system": "RTS-GMLC rts.pras", "add_load_mw": add_mw, "scenario": scenario, "samples": samples, "threads": threads,
        "read_s": round(t_read, 3), "first_call_s": round(t_first, 2), "runs_s": [round(t, 3) for t in times],
        "median_s": round(med, 3), "samples_per_s": round(samples / med, 1),
        "lolh_h": res.lolh_h.to_dict(), "lole_d": res.lole_d.to_dict(), "eue_mwh": res.eue_mwh.to_dict(),
    }


def memory(samples: int, add_mw: float) -> dict:
    """Peak resident memory of a separate process running ``samples`` samples."""
    code = (
        "import resource, time, sys; sys.path.insert(0, %r);"
        "from benchmarks.bench_adequacy import run;"
        "r = run(%d, 1, None, %r);"
        "print(r['median_s'], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    ) % (str(ROOT), samples, add_mw)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    secs, kib = out.stdout.split()[-2:]
    return {"samples": samples, "wall_s": float(secs), "peak_rss_mb": round(int(kib) / 1024, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--add-load-mw", type=float, default=700.0)
    ap.add_argument("--memory", type=int, default=0, help="also measure peak memory for this many samples")
    ap.add_argument("--scenario", default=None, help="add the sites of this data-center scenario (.toml)")
    args = ap.parse_args()
    out = {"cpu_count": os.cpu_count(), "python": sys.version.split()[0]}
    out["run"] = run(args.samples, args.repeat, args.threads, args.add_load_mw, args.scenario)
    out["load_avg_1_5_15"] = os.getloadavg()
    if args.memory:
        out["memory"] = memory(args.memory, args.add_load_mw)
    print(json.dumps(out, indent=2))
    _ = resource  # imported for the memory subprocess


if __name__ == "__main__":
    main()
