"""Benchmark: what a second CPU of this machine gives, for plain loops and for the engine.

Speed-up targets "on 2 cores" assume two physical cores. Cloud machines often present each
physical core as two virtual CPUs (two hyperthreads sharing one core's execution units and
caches), and the operating system cannot tell them apart (``lscpu`` may report "1 thread per
core" inside a virtual machine). This script measures it: the same loop runs on one thread,
then on two threads at once, each with its own data.

* ``latency``: one long chain of dependent floating-point operations. It leaves most of a
  core's execution units idle, so it runs at full speed on two hyperthreads of one core too:
  about 2x on any two CPUs.
* ``throughput``: independent vector multiply-adds over an array that stays in the L1 cache.
  It keeps a core's floating-point units busy, so two hyperthreads of one core share them:
  about 2x on two physical cores, about 1x on two hyperthreads.
* ``engine``: the sequential Monte Carlo kernel on RTS-GMLC +700 MW, one thread against two.

Intel's optimisation manual describes the sharing of execution resources between the two
logical processors of a core (Intel 64 and IA-32 Architectures Optimization Reference Manual,
section "Hyper-Threading Technology").

    python benchmarks/bench_cores.py [--data ../shared/data] [--samples 4000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

import numba
import numpy as np

ROOT = Path(__file__).resolve().parents[1]


@numba.njit(cache=False)
def _latency(n):
    x = 1.0
    s = 0.0
    for _ in range(n):
        x = x * 1.0000001 + 1e-9
        s += x
    return s


@numba.njit(cache=False, fastmath=True)
def _throughput(a, reps):
    for _ in range(reps):
        for i in range(a.shape[0]):
            a[i] = a[i] * 0.999999 + 1e-7
    return a.sum()


@numba.njit(parallel=True, cache=False)
def _two_latency(n):
    out = np.zeros(2)
    for k in numba.prange(2):
        out[k] = _latency(n + k)
    return out


@numba.njit(parallel=True, cache=False)
def _two_throughput(a, reps):
    out = np.zeros(2)
    for k in numba.prange(2):
        out[k] = _throughput(a[k], reps)
    return out


def _median_s(f, repeat):
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.environ.get("GIGAWATT_SHARED_DATA", str(ROOT.parent / "shared" / "data")))
    ap.add_argument("--samples", type=int, default=4000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    if numba.config.NUMBA_NUM_THREADS < 2:
        raise SystemExit("bench_cores: needs at least 2 CPUs")
    numba.set_num_threads(2)
    n_lat = 200_000_000
    a = np.random.default_rng(1).random((2, 1024))
    reps = 1_000_000
    _latency(10), _two_latency(10), _throughput(a[0], 1), _two_throughput(a, 1)
    out: dict = {"cpu_count": os.cpu_count(), "python": platform.python_version(),
                 "processor": platform.processor() or platform.machine()}
    # one thread does the work of one; two threads do twice the work: ratio = 2 x t1 / t2
    for name, one, two in (("latency", lambda: _latency(n_lat), lambda: _two_latency(n_lat)),
                           ("throughput", lambda: _throughput(a[0], reps), lambda: _two_throughput(a, reps))):
        t1, t2 = _median_s(one, args.repeat), _median_s(two, args.repeat)
        out[name] = {"one_thread_s": round(t1, 3), "two_threads_s": round(t2, 3), "speedup": round(2 * t1 / t2, 2)}

    from gigawatt import SequentialMonteCarlo, Shortfall, assess
    from gigawatt.io.pras import read_pras

    system = read_pras(Path(args.data) / "pras" / "rts.pras").with_added_load(700)
    assess(system, SequentialMonteCarlo(samples=2, seed=1, threads=1), Shortfall())
    n = args.samples
    t1 = _median_s(lambda: assess(system, SequentialMonteCarlo(samples=n, seed=1, threads=1), Shortfall()), args.repeat)
    t2 = _median_s(lambda: assess(system, SequentialMonteCarlo(samples=n, seed=1, threads=2), Shortfall()), args.repeat)
    out["engine"] = {"samples": n, "one_thread_s": round(t1, 3), "two_threads_s": round(t2, 3),
                     "speedup": round(t1 / t2, 2), "ms_per_sample_one_thread": round(1e3 * t1 / n, 4)}
    out["load_avg_1_5_15"] = list(os.getloadavg())
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
