"""Paired A/B timing of the adequacy engine: two checkouts, the same minutes.

On a shared host one thread's speed drifts by up to 1.8x within a minute (see BENCHMARKS.md), so
timing two versions one after the other compares the host's phases, not the code. This script keeps
one warm process per checkout and alternates short runs between them (ABBA order); the ratio of
each pair is taken within seconds, and the median of the ratios is what to quote.

Usage (from the repository root, shared data beside it)::

    git worktree add ../gw-base HEAD~1
    .venv/bin/python benchmarks/bench_ab.py --base ../gw-base --new . [--samples 1000] [--threads 1] [--rounds 16]
    .venv/bin/python benchmarks/bench_ab.py --base ../gw-base --system pjm-2026 --samples 20

``--system rts`` (default) is RTS-GMLC with ``--add-load-mw``; ``--system pjm-2026`` is the PJM default of
2026 with its data centers under the firm policy (12 weather years a sample: times are then per
sample, and per simulated year is that over 12). Both checkouts run in this virtual environment; each compiles (or loads cached) kernels from its own
source tree before the timed rounds. Prints each side's times (ms per sample per thread) and the
median and quartiles of the paired ratios new / base.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("GIGAWATT_SHARED_DATA", ROOT.parent / "shared" / "data"))


def _system(name: str, add_mw: float):
    if name == "pjm-2026":
        from gigawatt.outlook import OutlookAssumptions, policy_system

        return policy_system(OutlookAssumptions(), 2026, "firm")
    from gigawatt.io.pras import read_pras

    return read_pras(DATA / "pras" / "rts.pras").with_added_load(add_mw)


def serve(src: str, add_mw: float, system_name: str = "rts") -> None:
    """Worker: load ``src``'s gigawatt, then time runs on request (``samples threads`` per line)."""
    sys.path.insert(0, src)
    from gigawatt import SequentialMonteCarlo, Shortfall, assess

    system = _system(system_name, add_mw)
    assess(system, SequentialMonteCarlo(samples=2, seed=1, threads=1), Shortfall())
    print("ready", flush=True)
    for line in sys.stdin:
        n, threads = map(int, line.split())
        t0 = time.perf_counter()
        assess(system, SequentialMonteCarlo(samples=n, seed=1, threads=threads), Shortfall())
        print((time.perf_counter() - t0) / n * 1e3 * threads, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", required=True, help="checkout to compare against (its src/ is imported)")
    ap.add_argument("--new", default=str(ROOT), help="checkout to measure (default: this one)")
    ap.add_argument("--samples", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=16)
    ap.add_argument("--add-load-mw", type=float, default=700.0)
    ap.add_argument("--system", choices=("rts", "pjm-2026"), default="rts")
    ap.add_argument("--serve", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.serve, args.add_load_mw, args.system)
        return
    for d in (args.base, args.new):
        if not (Path(d) / "src" / "gigawatt" / "__init__.py").is_file():
            sys.exit(f"{d}: not a gigawatt checkout (expected src/gigawatt/ in it)")
    if not (DATA / "pras" / "rts.pras").is_file():
        sys.exit(f"{DATA / 'pras' / 'rts.pras'}: not found (set GIGAWATT_SHARED_DATA to the shared data folder)")
    procs = [subprocess.Popen([sys.executable, __file__, "--base", "-", "--serve", str(Path(d).resolve() / "src"),
                               "--add-load-mw", str(args.add_load_mw), "--system", args.system],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for d in (args.base, args.new)]
    for p in procs:
        if p.stdout.readline().strip() != "ready":
            sys.exit("a worker failed to start")
    times: list[list[float]] = [[], []]
    for i in range(args.rounds):
        for k in ((0, 1) if i % 2 == 0 else (1, 0)):
            procs[k].stdin.write(f"{args.samples} {args.threads}\n")
            procs[k].stdin.flush()
            times[k].append(float(procs[k].stdout.readline()))
    for p in procs:
        p.stdin.close()
        p.wait()
    ratios = [b / a for a, b in zip(*times)]
    q1, _, q3 = statistics.quantiles(ratios, n=4)
    print("ms per sample per thread")
    print("base", " ".join(f"{x:.3f}" for x in times[0]))
    print("new ", " ".join(f"{x:.3f}" for x in times[1]))
    print(f"paired ratio new/base: median {statistics.median(ratios):.3f} (quartiles {q1:.3f}-{q3:.3f}); "
          f"medians base {statistics.median(times[0]):.3f}, new {statistics.median(times[1]):.3f}")


if __name__ == "__main__":
    main()
