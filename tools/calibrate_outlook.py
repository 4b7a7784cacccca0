"""Fit the cold-outage factor: the 2026 system at PJM's installed reserve margin has LOLE 0.1 day/yr.

PJM sets its installed reserve margin (19.1 % for 2026/27) so that loss-of-load expectation is 0.1
day/yr. The PJM model (:mod:`gigawatt.systems.pjm`) takes the classes' published forced-outage rates
as they are; what no public figure pins down is how much plant the cold takes out in the hours the
load marks as Elliott-like (:func:`gigawatt.systems.pjm.cold_severity`). This script finds the factor
on those cold outages (``cold_scale``: 1 replays Jan 2014 and Dec 2022 at every such hour) with which
the 2026 system, assessed as the outlook does (its data centers firm, PJM's emergency order), meets
PJM's criterion. The value is a finding (``COLD_SCALE_FITTED``, docs/outlook.md), not a published input.

Search: bisection with common random numbers (the same seed at every trial, so LOLE changes only
through the factor), then linear interpolation within the last bracket.

Run from the repository root::

    .venv/bin/python tools/calibrate_outlook.py                  # 400 samples x the 23 weather years
    .venv/bin/python tools/calibrate_outlook.py --samples 100    # a quick look
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from gigawatt.outlook import OutlookAssumptions, assess_year

TARGET_LOLE_D = 0.1  # PJM's criterion, 0.1 day/yr (sources.md P1)


def lole_2026(cold_scale: float, samples: int, seed: int):
    """LOLE [d/yr] (Estimate), demand-response hours [h/yr] and winter share of LOLP of 2026, firm policy."""
    o = OutlookAssumptions(years=(2026,), cold_scale=cold_scale)
    r = assess_year(o, 2026, samples, seed, "firm")
    mh = np.array(r.shortfall_month_hour)
    winter = mh[[11, 0, 1]].sum() / mh.sum() if mh.sum() > 0 else float("nan")
    return r.lole_d, r.dr_hours, winter


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--samples", type=int, default=400, help="samples per trial (x the weather years)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--lo", type=float, default=0.3, help="lower end of the bracket")
    ap.add_argument("--hi", type=float, default=0.8, help="upper end of the bracket")
    ap.add_argument("--tol", type=float, default=0.04, help="stop when the bracket is this narrow")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    seen = {}

    def trial(c):
        e, dr, w = lole_2026(c, a.samples, a.seed)
        seen[c] = e
        print(f"cold_scale {c:6.3f}: LOLE {e.mean:.4f} ± {e.stderr:.4f} d/yr, winter share {w:.2f}, demand "
              f"response {dr.mean:5.2f} h/yr ({time.perf_counter() - t0:5.0f} s)", flush=True)
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
    c = round(lo + (TARGET_LOLE_D - f_lo) * (hi - lo) / (f_hi - f_lo), 2)
    e = seen[c] if c in seen else lole_2026(c, a.samples, a.seed)[0]
    print(f"\nCOLD_SCALE_FITTED = {c}  (LOLE 2026 = {e.mean:.4f} ± {e.stderr:.4f} d/yr; "
          f"{a.samples} samples x {len(OutlookAssumptions().weather_years)} weather years, seed {a.seed}; {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
