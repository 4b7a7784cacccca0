"""Benchmark: Dask scaling (1 vs 2 local workers) and peak memory vs samples, on RTS-GMLC.

Times ``run_samples`` on RTS-GMLC (``../shared/data/pras/rts.pras``, 3 regions, 8784 hours)
on a local Dask cluster of 1 and then 2 single-threaded workers (cluster start-up and the
workers' first numba load are excluded by a warm-up run; the two clusters run alternately),
checks that both give bit-identical accumulators, records the workers' CPU time (which other
processes on a shared machine do not inflate, unlike wall time), then measures the peak
resident memory of a fresh process that runs N samples in-process (one thread) for several N.

    python benchmarks/bench_scale.py [--data ../shared/data] [--samples 20000] [--repeat 3]
        [--memory-samples 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_MEMORY_CHILD = r"""
import json, resource, sys, time, warnings
warnings.simplefilter("ignore", RuntimeWarning)
from gigawatt import SequentialMonteCarlo, Shortfall
from gigawatt.execution import run_samples
from gigawatt.io.pras import read_pras
system = read_pras(sys.argv[1])
run_samples(system, SequentialMonteCarlo(samples=10, seed=1, threads=1))  # numba load
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t = time.perf_counter()
n = int(sys.argv[2])
acc = run_samples(system, SequentialMonteCarlo(samples=n, seed=1, chunk_size=1000, threads=1))
res = Shortfall().finalize(acc, system)
print(json.dumps({"samples": n, "seconds": time.perf_counter() - t, "rss_before_mb": base,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "eue_mwh": res.eue_mwh.mean, "eue_se": res.eue_mwh.stderr, "lolh_h": res.lolh_h.mean}))
"""

_MEMORY_DASK_CHILD = r"""
import json, resource, sys, time, warnings
warnings.simplefilter("ignore", RuntimeWarning)
from gigawatt import SequentialMonteCarlo, Shortfall
from gigawatt.execution import DaskExecutor, run_samples
from gigawatt.io.pras import read_pras

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

if __name__ == "__main__":
    system = read_pras(sys.argv[1])
    n = int(sys.argv[2])
    with DaskExecutor(workers=2) as ex:
        t = time.perf_counter()
        acc = run_samples(system, SequentialMonteCarlo(samples=n, seed=1, chunk_size=1000), executor=ex)
        res = Shortfall().finalize(acc, system)
        el = time.perf_counter() - t
        workers = sorted(ex.client.run(peak_mb).values())
    print(json.dumps({"seconds": el, "client_peak_rss_mb": peak_mb(), "worker_peak_rss_mb": workers,
                      "eue_mwh": res.eue_mwh.mean}))
"""


def time_workers(system, samples: int, repeat: int):
    """Median seconds on 1 and on 2 workers; the two clusters run alternately so load drift hits both."""
    from gigawatt import SequentialMonteCarlo
    from gigawatt.execution import DaskExecutor, run_samples

    chunk = max(1, samples // 40)
    times = {1: [], 2: []}
    cpu = {1: [], 2: []}
    accs = {}
    load = []
    with DaskExecutor(workers=1) as ex1, DaskExecutor(workers=2) as ex2:
        executors = {1: ex1, 2: ex2}
        for w, ex in executors.items():  # warm-up: workers load the numba cache and the scattered system
            run_samples(system, SequentialMonteCarlo(samples=4 * w, seed=1, chunk_size=1), executor=ex)
        for _ in range(repeat):
            for w, ex in executors.items():
                load.append(os.getloadavg()[0])
                c0 = ex.client.run(time.process_time)
                t = time.perf_counter()
                accs[w] = run_samples(system, SequentialMonteCarlo(samples=samples, seed=1, chunk_size=chunk),
                                      executor=ex)
                times[w].append(time.perf_counter() - t)
                c1 = ex.client.run(time.process_time)
                cpu[w].append(sorted(c1[a] - c0[a] for a in c1))
    return times, cpu, accs, load


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.environ.get("GIGAWATT_SHARED_DATA", ROOT.parent / "shared" / "data"))
    ap.add_argument("--samples", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--memory-samples", default="1000,10000,100000")
    ap.add_argument("--dask-memory-samples", type=int, default=100000)
    args = ap.parse_args()
    warnings.simplefilter("ignore", RuntimeWarning)  # rts.pras has units with failure probability 1
    from gigawatt.execution import accumulators_equal
    from gigawatt.io.pras import read_pras

    path = Path(args.data) / "pras" / "rts.pras"
    system = read_pras(path)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    print(f"system: {path} ({len(system.regions)} regions, {system.n_periods} periods)")
    times, cpu, accs, load = time_workers(system, args.samples, args.repeat)
    med = {w: statistics.median(t) for w, t in times.items()}
    for w in (1, 2):
        print(f"{args.samples} samples, {w} worker{'s' if w > 1 else ' '}: median {med[w]:.2f} s  "
              f"({', '.join(f'{x:.2f}' for x in times[w])})")
    print(f"speed-up 2 vs 1 workers: {med[1] / med[2]:.2f}x; identical results: "
          f"{accumulators_equal(accs[1], accs[2])}; 1-min load average before each run: "
          f"{', '.join(f'{x:.1f}' for x in load)} (other processes on the machine compete for its cores)")
    for w in (1, 2):
        per = [sum(c) for c in cpu[w]]
        print(f"worker CPU time, {w} worker{'s' if w > 1 else ' '}: median {statistics.median(per):.2f} CPU-s per run "
              f"(per worker, last run: {', '.join(f'{x:.2f}' for x in cpu[w][-1])})")
    c1, c2 = statistics.median(sum(c) for c in cpu[1]), statistics.median(sum(c) for c in cpu[2])
    busiest = statistics.median(max(c) for c in cpu[2])
    print(f"work done by 2 workers / by 1: {c2 / c1:.2f} (1.00 = no parallel overhead); speed-up with 2 free cores "
          f"(1-worker CPU-s / busiest worker's CPU-s): {c1 / busiest:.2f}x")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    for n in (int(x) for x in args.memory_samples.split(",") if x.strip()):
        out = subprocess.run([sys.executable, "-c", _MEMORY_CHILD, str(path), str(n)], env=env,
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        print(f"memory: {n:>7} samples in {r['seconds']:.1f} s ({1e3 * r['seconds'] / n:.2f} ms/sample), "
              f"peak RSS {r['peak_rss_mb']:.0f} MB (after warm-up {r['rss_before_mb']:.0f} MB); "
              f"EUE {r['eue_mwh']:.3g} ± {r['eue_se']:.2g} MWh/yr, LOLH {r['lolh_h']:.3g} h/yr")
    if args.dask_memory_samples:
        import tempfile

        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:  # spawned workers need a file
            f.write(_MEMORY_DASK_CHILD)
        try:
            out = subprocess.run([sys.executable, f.name, str(path), str(args.dask_memory_samples)], env=env,
                                 capture_output=True, text=True, check=True)
        finally:
            os.unlink(f.name)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"memory on 2 Dask workers: {args.dask_memory_samples} samples in {r['seconds']:.1f} s, peak RSS "
              f"client {r['client_peak_rss_mb']:.0f} MB, workers "
              f"{', '.join(f'{x:.0f}' for x in r['worker_peak_rss_mb'])} MB; EUE {r['eue_mwh']:.3g} MWh/yr")


if __name__ == "__main__":
    main()
