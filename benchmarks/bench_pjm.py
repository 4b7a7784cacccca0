"""Cost per simulated year of the engine on the embedded PJM default with data centers.

A "sample-year" is one sample of one weather year (the default has 12 weather years: 105,120 hourly periods
per sample). For each year and policy: build the grid once (``OutlookAssumptions().grid(year)``), the
policy's data-center system on it, then time

* ``prepare``: the one-off preparation of the kernel's arrays (hazard rows are cached per grid, so the first
  policy of a year pays for them);
* the kernel: ``run_chunk`` over ``--samples`` samples (all threads, as ``assess`` runs it);
* the whole ``assess(..., Shortfall(), DataCenters())`` call.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_pjm.py --samples 20 --years 2026,2030

Another checkout: ``PYTHONPATH=<checkout>/src GIGAWATT_CACHE_DIR=<own cache> .venv/bin/python
benchmarks/bench_pjm.py ...`` (``--old-api`` for checkouts whose ``policy_system`` takes no ``grid``).
``--json`` prints one JSON object per line. On a shared host, compare versions only by alternating runs
(old, new, old, new, ...) and quote medians of the pairs: ``--side`` (twice or more) makes this script such a
driver, each side a process with its own ``PYTHONPATH`` and kernel cache, run in turn ``--alternations``
times::

    git worktree add /tmp/head HEAD
    .venv/bin/python benchmarks/bench_pjm.py --years 2026,2030 --alternations 3 \
        --side head:/tmp/head/src:/tmp/cache_head --side new:src:/tmp/cache_new
    # the old model's own default (4 weather years, 150 samples) against this one (12, 50):
    .venv/bin/python benchmarks/bench_pjm.py --years 2026,2030 --policies firm,connect-and-manage --assess-only \
        --side old:/tmp/old96/src:/tmp/cache_old:150:old-api --side new:src:/tmp/cache_new:50

A side is ``NAME:SRC:CACHE[:SAMPLES[:old-api]]``. The driver prints each side's median and the median of
the ratios of each alternation (second side / first side).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

POLICIES = ("firm", "connect-and-manage", "capped-100h", "firm+battery", "firm+onsite-gen")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=20)
    ap.add_argument("--years", default="2026,2030")
    ap.add_argument("--policies", default=",".join(POLICIES),
                    help="comma-separated (short names: capped = capped-100h)")
    ap.add_argument("--rounds", type=int, default=1, help="timed runs per case (the best is printed)")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--assess-only", action="store_true", help="time only the whole assess call")
    ap.add_argument("--old-api", action="store_true", help="policy_system(OutlookAssumptions(), year, policy)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--side", action="append", default=[], help="NAME:SRC:CACHE[:SAMPLES[:old-api]] (driver mode)")
    ap.add_argument("--alternations", type=int, default=3)
    args = ap.parse_args()
    if args.side:
        drive(args)
        return

    import gigawatt
    from gigawatt.assess import assess
    from gigawatt.methods import sequential as SQ
    from gigawatt.methods.sequential import SequentialMonteCarlo
    from gigawatt.outlook import OutlookAssumptions, policy_system
    from gigawatt.results import Shortfall
    from gigawatt.results.datacenter import DataCenters

    policies = [{"capped": "capped-100h"}.get(p, p) for p in args.policies.split(",")]
    N = args.samples
    if not args.json:
        print(f"gigawatt from {gigawatt.__file__}; {N} samples, threads={args.threads or 'default'}")
        print(f"{'year':>5} {'policy':<20} {'wy':>3} {'prepare s':>9} {'kernel ms/sy':>12} {'assess ms/sy':>12}")
    for y in map(int, args.years.split(",")):
        o = OutlookAssumptions()
        t0 = time.perf_counter()
        g = None if args.old_api else o.grid(y)
        t_grid = time.perf_counter() - t0
        for pol in policies:
            dcs = policy_system(o, y, pol) if args.old_api else policy_system(o, y, pol, grid=g)
            sy = N * dcs.n_periods / 8760.0
            method = SequentialMonteCarlo(samples=N, seed=1, threads=args.threads, day_utc_offset_h=-5.0)
            t0 = time.perf_counter()
            prep = SQ.prepare(dcs, day_utc_offset_h=-5.0)
            t_prep = time.perf_counter() - t0
            # kernels loaded (or compiled) and first-call costs paid before timing
            assess(dcs, SequentialMonteCarlo(samples=1, seed=1, threads=args.threads, day_utc_offset_h=-5.0),
                   Shortfall(), DataCenters())
            kern, wall = [], []
            for _ in range(args.rounds):
                if not args.assess_only:
                    t0 = time.perf_counter()
                    SQ.run_chunk(prep, 1, 0, N, args.threads, False)
                    kern.append((time.perf_counter() - t0) / sy * 1e3)
                t0 = time.perf_counter()
                assess(dcs, method, Shortfall(), DataCenters())
                wall.append((time.perf_counter() - t0) / sy * 1e3)
            row = {"year": y, "policy": pol, "weather_years": dcs.n_periods / 8760.0, "samples": N,
                   "grid_s": t_grid, "prepare_s": t_prep, "kernel_ms_sy": min(kern) if kern else None,
                   "assess_ms_sy": min(wall)}
            if args.json:
                print(json.dumps(row), flush=True)
            else:
                k = f"{row['kernel_ms_sy']:12.2f}" if kern else f"{'-':>12}"
                print(f"{y:>5} {pol:<20} {row['weather_years']:3.0f} {t_prep:9.2f} {k} {row['assess_ms_sy']:12.2f}",
                      flush=True)


def drive(args) -> None:
    """Alternate the sides' runs; medians per side and of the per-alternation ratios."""
    sides = []
    for spec in args.side:
        name, src, cache, *rest = spec.split(":")
        samples = rest[0] if rest and rest[0] else str(args.samples)
        sides.append((name, os.path.abspath(src), os.path.abspath(cache), samples, "old-api" in rest[1:]))
    res = {s[0]: {} for s in sides}
    for k in range(args.alternations):
        for name, src, cache, samples, old in sides:
            cmd = [sys.executable, __file__, "--json", "--samples", samples, "--years", args.years,
                   "--policies", args.policies, "--rounds", str(args.rounds)]
            cmd += (["--threads", str(args.threads)] if args.threads else []) + (["--old-api"] if old else [])
            cmd += ["--assess-only"] if args.assess_only else []
            env = dict(os.environ, PYTHONPATH=src, GIGAWATT_CACHE_DIR=cache)
            out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
            for line in out.stdout.splitlines():
                d = json.loads(line)
                res[name].setdefault((d["year"], d["policy"]), []).append(d)
            print(f"alternation {k + 1}: {name} done", file=sys.stderr, flush=True)
    a, b = sides[0][0], sides[-1][0]
    fields = ("assess_ms_sy",) if args.assess_only else ("kernel_ms_sy", "assess_ms_sy")
    print(f"{'year':>5} {'policy':<20} " + " ".join(f"{f + ' ' + n:>22}" for f in fields for n in (a, b))
          + " " + " ".join(f"{'ratio ' + f:>20}" for f in fields))
    for key in res[a]:
        meds, ratios = [], []
        for f in fields:
            va = [d[f] for d in res[a][key]]
            vb = [d[f] for d in res[b][key]]
            meds += [statistics.median(va), statistics.median(vb)]
            ratios.append(statistics.median([y / x for x, y in zip(va, vb)]))
        print(f"{key[0]:>5} {key[1]:<20} " + " ".join(f"{m:22.2f}" for m in meds) + " "
              + " ".join(f"{r:20.2f}" for r in ratios), flush=True)


if __name__ == "__main__":
    main()
