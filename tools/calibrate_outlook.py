"""Fit the cold-outage factor: the 2026 system at PJM's installed reserve margin has LOLE 0.1 day/yr.

PJM sets its installed reserve margin (19.1 % for 2026/27) so that loss-of-load expectation is 0.1
day/yr. The PJM model (:mod:`gigawatt.systems.pjm`) takes the classes' published forced-outage rates
as they are and carries what PJM's reserve requirement study carries besides them: load forecast
uncertainty (one factor per sample), the capacity benefit of ties (emergency imports), demand
response at its accredited availability with its limits, and no voltage reduction in the
criterion. What no public figure pins down is how much plant the cold takes out in the hours the
load marks as Elliott-like (:func:`gigawatt.systems.pjm.cold_severity`). This script finds the
factor on those cold outages (``cold_scale``: 1 replays Jan 2014 and Dec 2022 at every such hour)
with which the 2026 system, assessed as the outlook does (its data centers firm, PJM's emergency
order), meets PJM's criterion. The value is a finding (``COLD_SCALE_FITTED``, docs/outlook.md), not a
published input.

Search: bisection with common random numbers (the same seed at every trial, so LOLE changes only
through the factor), then linear interpolation within the last bracket. ``--table`` prints, for a
list of factors, LOLE, the winter share and the replays of the reported cold events against PJM's
figures (the table of docs/outlook.md).

Run from the repository root::

    .venv/bin/python tools/calibrate_outlook.py --samples 300 --lo 0.35 --hi 0.6 --tol 0.03   # the fit of COLD_SCALE_FITTED
    .venv/bin/python tools/calibrate_outlook.py --weather-years 2014-2025   # on the twelve years 2014-2025 only
    .venv/bin/python tools/calibrate_outlook.py --samples 100    # a quick look
    .venv/bin/python tools/calibrate_outlook.py --table 0.2,0.4,0.6,0.8,1.0 --samples 200 --seed 7
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from gigawatt.outlook import OutlookAssumptions, assess_year

TARGET_LOLE_D = 0.1  # PJM's criterion, 0.1 day/yr (sources.md P1)


def lole_2026(cold_scale: float, samples: int, seed: int, **kw):
    """LOLE [d/yr] (Estimate), demand-response hours [h/yr] and winter share of LOLP of 2026, firm policy."""
    o = OutlookAssumptions(years=(2026,), cold_scale=cold_scale, **kw)
    r = assess_year(o, 2026, samples, seed, "firm")
    mh = np.array(r.shortfall_month_hour)
    winter = mh[[11, 0, 1]].sum() / mh.sum() if mh.sum() > 0 else float("nan")
    return r.lole_d, r.dr_hours, winter


def replays(cold_scale: float) -> list[dict]:
    """The cold replays of the 2026 system at ``cold_scale`` (:func:`gigawatt.systems.describe.cold_replay`)."""
    from gigawatt.systems.describe import cold_replay

    o = OutlookAssumptions(years=(2026,), cold_scale=cold_scale)
    return cold_replay(o.pjm(2026))


def table(factors, samples: int, seed: int, **kw) -> None:
    """Print a Markdown table: factor, LOLE, winter share, each replay's model MW and ratio to PJM's
    (``kw``: fields of :class:`~gigawatt.outlook.OutlookAssumptions`, e.g. ``voltage_reduction_frac``)."""
    t0 = time.perf_counter()
    head = None
    for c in factors:
        e, _, w = lole_2026(c, samples, seed, **kw)
        reps = replays(c)
        if head is None:
            names = [r["event"].split(" (")[0] for r in reps]
            print("| cold_scale | LOLE 2026 [d/yr] | winter share | " + " | ".join(
                f"{n}: model GW (x observed)" for n in names) + " |")
            print("|---" * (3 + len(reps)) + "|")
            head = True
        cells = []
        for r in reps:
            obs = r.get("observed_outage_mw")
            ratio = f" ({r['model_outage_mw'] / obs:.2f})" if obs else f" ({r['model_outage_share_of_icap']:.0%} of ICAP)"
            cells.append(f"{r['model_outage_mw'] / 1e3:.1f}{ratio}")
        print(f"| {c:.2f} | {e.mean:.3f} ± {e.stderr:.3f} | {w:.2f} | " + " | ".join(cells) + " |", flush=True)
    print(f"\n{samples} samples x the weather years, seed {seed}; {time.perf_counter() - t0:.0f} s")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--samples", type=int, default=400, help="samples per trial (x the weather years)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--lo", type=float, default=0.05, help="lower end of the bracket")
    ap.add_argument("--hi", type=float, default=0.8, help="upper end of the bracket")
    ap.add_argument("--tol", type=float, default=0.02, help="stop when the bracket is this narrow")
    ap.add_argument("--table", type=str, default=None, help="comma-separated factors: print the table instead")
    ap.add_argument("--weather-years", type=str, default=None,
                    help="weather years, e.g. 2014-2025 (default: all of them)")
    ap.add_argument("--voltage-reduction", type=float, default=None,
                    help="count voltage reduction of this fraction of firm load (PJM's criterion: none)")
    ap.add_argument("--heat-scale", type=float, default=None,
                    help="factor on the summer heat elements (default HEAT_SCALE_FITTED; 1: June 2025's outages)")
    a = ap.parse_args(argv)
    kw = {} if a.voltage_reduction is None else {"voltage_reduction_frac": a.voltage_reduction}
    if a.heat_scale is not None:
        kw["heat_scale"] = a.heat_scale
    if a.weather_years:
        first, _, last = a.weather_years.partition("-")
        kw["weather_years"] = tuple(range(int(first), int(last or first) + 1))
    if a.table:
        table([float(x) for x in a.table.split(",")], a.samples, a.seed, **kw)
        return
    t0 = time.perf_counter()
    seen = {}

    def trial(c):
        e, dr, w = lole_2026(c, a.samples, a.seed, **kw)
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
    e = seen[c] if c in seen else lole_2026(c, a.samples, a.seed, **kw)[0]
    n_wy = len(OutlookAssumptions(years=(2026,), **{k: v for k, v in kw.items() if k == "weather_years"}).weather_years)
    print(f"\nCOLD_SCALE_FITTED = {c}  (LOLE 2026 = {e.mean:.4f} ± {e.stderr:.4f} d/yr; "
          f"{a.samples} samples x {n_wy} weather years, seed {a.seed}; {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
