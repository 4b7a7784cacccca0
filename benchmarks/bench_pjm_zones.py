"""Cost per sample-year of the PJM default by zone set: two zones (DOM, REST) against PJM's LDAs.

More zones mean more network dispatch in every hour that is short somewhere. For each year and zone
set this builds the outlook's data-center system (firm policy, PJM's emergency order with demand
response by zone; ``tools/pjm_zonal_study.py``), runs a few samples to warm the kernels, then times
``assess(..., Shortfall())`` over ``--samples`` samples of the 12 weather years.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_pjm_zones.py --samples 40 --years 2026,2030
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import time
from pathlib import Path

from gigawatt import SequentialMonteCarlo, Shortfall, assess
from gigawatt.outlook import OutlookAssumptions

ROOT = Path(__file__).resolve().parents[1]


def _study():
    spec = importlib.util.spec_from_file_location("pjm_zonal_study", ROOT / "tools" / "pjm_zonal_study.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=40)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--years", default="2026,2030")
    args = ap.parse_args(argv)
    study = _study()
    o = OutlookAssumptions()
    k = len(o.weather_years)
    for year in (int(y) for y in args.years.split(",")):
        for zone_set in ("two", "lda"):
            dcs = study.lda_system(o, year, zone_set=zone_set)
            warm = SequentialMonteCarlo(samples=2, seed=args.seed + 1, day_utc_offset_h=study.DAY_UTC_OFFSET_H)
            assess(dcs, warm, Shortfall())
            m = SequentialMonteCarlo(samples=args.samples, seed=args.seed, day_utc_offset_h=study.DAY_UTC_OFFSET_H)
            t0 = time.perf_counter()
            r = assess(dcs, m, Shortfall())
            dt = time.perf_counter() - t0
            print(json.dumps({"year": year, "zone_set": zone_set, "regions": len(dcs.system.regions),
                              "ms_per_sample_year": dt / (args.samples * k) * 1e3,
                              "lole_d": r.lole_d.scaled(1 / k).to_dict(),
                              "lolh_h": r.lolh_h.scaled(1 / k).to_dict()}), flush=True)


if __name__ == "__main__":
    main()
