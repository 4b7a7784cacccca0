"""Benchmark: Duke headroom for 22 BAs x 9 years x 4 limits, after loading.

Loads the 22 study BAs (2016-2024) from the shared EIA-930 files once (not timed),
then times the headroom computation proper (thresholds, sorting, 88 root finds and
the statistics at each root) over several repetitions and prints the median.

    python benchmarks/bench_duke.py [--data ../shared/data] [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

from gigawatt.duke.method import STUDY_LIMITS
from gigawatt.duke.study import headroom_from_series
from gigawatt.io.demand import load_demand
from gigawatt.io.eia930 import STUDY_BAS

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.environ.get("GIGAWATT_SHARED_DATA", ROOT.parent / "shared" / "data"))
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    t0 = time.perf_counter()
    series = {ba: load_demand([Path(args.data) / "eia930"], ba, first_year=2016, last_year=2024)[0]
              for ba in STUDY_BAS}
    t_load = time.perf_counter() - t0
    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        res = {ba: headroom_from_series(s, first_year=2016, last_year=2024, limits=STUDY_LIMITS)
               for ba, s in series.items()}
        times.append(time.perf_counter() - t)
    total = [sum(r["limits"][lim]["headroom_mw"] for r in res.values()) / 1e3 for lim in STUDY_LIMITS]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}")
    print(f"load + clean 22 BAs x 9 years (not timed below): {t_load:.1f} s")
    print(f"Duke headroom 22 BAs x 9 years x 4 limits: median {statistics.median(times):.3f} s "
          f"over {args.repeat} runs (min {min(times):.3f} s, max {max(times):.3f} s)")
    print("22-BA total headroom [GW] at 0.25/0.5/1/5 %: " + " / ".join(f"{x:.1f}" for x in total))


if __name__ == "__main__":
    main()
