"""Fit the outlook's outage multiplier: the 2026 system at PJM's installed reserve margin has LOLE 0.1 day/yr.

PJM sets its installed reserve margin (19.1 % for 2026/27) so that loss-of-load expectation is 0.1
day/yr. The two-state unit model with RTS-GMLC outage data is more reliable than PJM's fleet, so
one multiplier on every unit's failure rate is fitted to meet that criterion, with the system as
the outlook assesses it: the 2026 grid, its 10 GW of data centers as firm load, and PJM's
emergency order (demand response, then voltage reduction, then load shed).

Search: bisection on the multiplier with common random numbers (the same seed at every trial, so
LOLE changes only through the multiplier), then linear interpolation between the last bracket.

Run from the repository root::

    .venv/bin/python tools/calibrate_outlook.py                  # 2,000 samples x 4 weather years, ~5 min on 2 cores
    .venv/bin/python tools/calibrate_outlook.py --samples 400    # a quick look

and copy the result into ``CALIBRATED_OUTAGE_MULTIPLIER`` (``src/gigawatt/outlook.py``).
"""

from __future__ import annotations

import argparse
import time

from gigawatt.outlook import OutlookAssumptions, assess_year

TARGET_LOLE_D = 0.1  # PJM's criterion, 0.1 day/yr (FACTS.md section 1)


def lole_2026(multiplier: float, samples: int, seed: int):
    """LOLE [d/yr] (Estimate) and demand-response hours [h/yr] of 2026 under the firm policy."""
    o = OutlookAssumptions(years=(2026,), outage_multiplier=multiplier)
    r = assess_year(o, 2026, samples, seed, "firm")
    return r.lole_d, r.dr_hours


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--samples", type=int, default=2000, help="samples per trial (x the weather years)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--lo", type=float, default=2.5, help="lower end of the bracket")
    ap.add_argument("--hi", type=float, default=6.0, help="upper end of the bracket")
    ap.add_argument("--tol", type=float, default=0.02, help="stop when the bracket is this narrow")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    seen = {}

    def trial(m):
        e, dr = lole_2026(m, a.samples, a.seed)
        seen[m] = e
        print(f"multiplier {m:6.3f}: LOLE {e.mean:.4f} ± {e.stderr:.4f} d/yr, demand response {dr.mean:5.2f} h/yr "
              f"({time.perf_counter() - t0:5.0f} s)", flush=True)
        return e.mean

    lo, hi = a.lo, a.hi
    f_lo, f_hi = trial(lo), trial(hi)
    if not f_lo < TARGET_LOLE_D < f_hi:
        raise SystemExit(f"the bracket [{lo}, {hi}] does not contain LOLE {TARGET_LOLE_D}; widen --lo/--hi")
    while hi - lo > a.tol:
        mid = 0.5 * (lo + hi)
        f = trial(mid)
        if f < TARGET_LOLE_D:
            lo, f_lo = mid, f
        else:
            hi, f_hi = mid, f
    m = lo + (TARGET_LOLE_D - f_lo) * (hi - lo) / (f_hi - f_lo)
    m = round(m, 2)
    e = seen[m] if m in seen else lole_2026(m, a.samples, a.seed)[0]
    print(f"\nCALIBRATED_OUTAGE_MULTIPLIER = {m}  (LOLE 2026 = {e.mean:.4f} ± {e.stderr:.4f} d/yr; "
          f"{a.samples} samples x 4 weather years, seed {a.seed}; {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
