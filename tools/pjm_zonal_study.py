"""The PJM model by zone: calibration check, zonal LOLE and the gap by zone (issue 25).

Builds the outlook's system of a year on the ``"lda"`` zone set (PJM's LDAs,
:mod:`gigawatt.systems.pjm_zones`): the grid of ``OutlookAssumptions().pjm(year, zone_set="lda")``,
the data centers as one site per zone (:func:`gigawatt.systems.pjm.dc_zone_mw`) and PJM's
emergency order with demand response by zone. Then:

* ``--calibration``: LOLE of 2026 at the installed reserve margin, the system's and each zone's,
  with its winter (Dec-Feb) share, on the two-zone and the LDA systems with the same seeds (``--plate``:
  also with every transfer limit lifted, the single area of PJM's reserve study);
* ``--gap``: the firm capacity by zone that meets PJM's criteria (0.1 d/yr for the RTO, 0.04 d/yr
  for each LDA) by :func:`gigawatt.capacity.zonal.zonal_gap`, beside the copper plate's gap.

Run from the repository root::

    .venv/bin/python tools/pjm_zonal_study.py --calibration --samples 300 --seeds 7,11
    .venv/bin/python tools/pjm_zonal_study.py --calibration --plate --samples 100 --seeds 7
    .venv/bin/python tools/pjm_zonal_study.py --gap --years 2027,2030 --samples 30 --seed 5
    .venv/bin/python tools/pjm_zonal_study.py --fit-limits --samples 60 --seed 2026
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time

import numpy as np

from gigawatt import SequentialMonteCarlo, Shortfall, assess
from gigawatt.capacity.zonal import ZonalCriteria, copper_plate_gap, with_firm_mw, zonal_gap
from gigawatt.outlook import OutlookAssumptions, policy_system
from gigawatt.system import Interfaces
from gigawatt.systems import pjm



def lda_system(o: OutlookAssumptions, year: int, policy: str = "firm", zone_set: str = "lda"):
    """The outlook's data-center system of ``year`` on zone set ``zone_set``."""
    a = o.pjm(year, zone_set=zone_set)
    grid = pjm.pjm_default(a)
    dcs = policy_system(o, year, policy, grid=grid, dc_zone_mw=pjm.dc_zone_mw(a))
    return dataclasses.replace(dcs, order=pjm.emergency_order(a))


def calibration(o: OutlookAssumptions, samples: int, seed: int, zone_set: str, plate: bool = False) -> dict:
    """LOLE of 2026 [d/yr], the system's and each zone's, and the winter share of the system's LOLP;
    ``plate``: with every transfer limit lifted (PJM's reserve study: the RTO as one area)."""
    from gigawatt.capacity.zonal import copper_plate

    dcs = lda_system(o, 2026, zone_set=zone_set)
    if plate:
        dcs = copper_plate(dcs)
    t0 = time.perf_counter()
    r = assess(dcs, SequentialMonteCarlo(samples=samples, seed=seed), Shortfall())
    dt = time.perf_counter() - t0
    k = len(o.weather_years)
    t = dcs.timeaxis.timestamps.tz_convert("America/New_York")
    lolp = r.period.lolp.values
    winter = float(lolp[np.isin(t.month, [12, 1, 2])].sum() / lolp.sum()) if lolp.sum() > 0 else float("nan")
    return {"zone_set": zone_set, "copper_plate": plate, "seed": seed, "samples": samples,
            "lole_d": r.lole_d.scaled(1 / k).to_dict(),
            "winter_share": winter, "zones": {z: v.lole_d.scaled(1 / k).to_dict() for z, v in r.regions.items()},
            "ms_per_sample_year": dt / (samples * k) * 1e3}


def gap(o: OutlookAssumptions, year: int, samples: int, seed: int) -> dict:
    """The gap by zone of ``year`` and the copper plate's [MW]."""
    dcs = lda_system(o, year)
    t0 = time.perf_counter()
    g = zonal_gap(dcs, seed=seed, samples=samples, criteria=ZonalCriteria())
    cp = copper_plate_gap(dcs, seed=seed, samples=samples)
    return {"year": year, **g.to_dict(), "copper_plate_mw": dict(zip(("estimate", "low", "high"), cp)),
            "seconds": time.perf_counter() - t0}


def fit_import_limits(o: OutlookAssumptions, samples: int, seed: int, year: int = 2026) -> dict:
    """Each LDA's import objective in the model (PJM's CETO): the import limit [MW] with which the LDA's
    LOLE is PJM's 0.04 d/yr in ``year``, every other limit lifted and the rest of PJM never short (as
    PJM studies one LDA at a time, for its own deficiency).

    An LDA of several zones (MAAC behind WMAAC's interface, SWMAAC behind its hub's) is as reliable
    as its least reliable zone here (the largest zone LOLE; the LDA's own event-days are at least
    that). Returns LDA interface zone -> {estimate, low, high, status, trials}.
    """
    from gigawatt.capacity.search import find_crossing
    from gigawatt.capacity.zonal import LDA_LOLE_D
    from gigawatt.systems import pjm_zones as Z
    from gigawatt.systems.pjm_assumptions import LIMITED_ZONES

    k = len(o.weather_years)
    method = SequentialMonteCarlo(samples=samples, seed=seed)
    open_limits = {z: 1e6 for z in LIMITED_ZONES}
    a = dataclasses.replace(o.pjm(year, zone_set="lda"), import_limits_mw=tuple(open_limits.items()),
                            dom_import_limit_mw=1e6, dom_export_limit_mw=1e6)
    grid = pjm.pjm_default(a)
    dcs = dataclasses.replace(policy_system(o, year, "firm", grid=grid, dc_zone_mw=pjm.dc_zone_mw(a)),
                              order=pjm.emergency_order(a))
    # the rest of PJM can always help (PJM's CETO studies the LDA's own deficiency, not the RTO's):
    # a sure 100 GW in the western hub, so an LDA is short only for want of its own capacity and imports
    dcs = with_firm_mw(dcs, {"WEST": 100_000.0})
    grid = dcs.system
    itf = grid.interfaces
    out = {}
    for zone in LIMITED_ZONES:
        members = Z.lda_zones(Z.INTERFACE_LDA.get(zone, zone))
        j = list(itf.regions_to).index(zone)

        def lole(x, j=j, members=members):
            fwd, bwd = np.array(itf.forward_mw, float), np.array(itf.backward_mw, float)
            fwd[j] = bwd[j] = max(-x, 0.0)  # import and export limits alike, as the model's default
            new = dataclasses.replace(grid, interfaces=Interfaces(itf.regions_from, itf.regions_to, fwd, bwd))
            r = assess(dataclasses.replace(dcs, system=new), method, Shortfall())
            worst = max(members, key=lambda m: r.regions[m].lole_d.mean)
            return r.regions[worst].lole_d.scaled(1 / k)

        c = find_crossing(lole, LDA_LOLE_D, x_start=-4000.0, step_mw=2000.0, x_max=0.0, x_min=-60000.0,
                          rel_tol=0.2, abs_tol_mw=150.0, max_trials=14)
        out[zone] = {"estimate": -c.estimate_mw, "low": -c.high_mw, "high": -c.low_mw, "status": c.status,
                     "trials": c.n_trials}
        print(json.dumps({"zone": zone, **out[zone]}), flush=True)
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calibration", action="store_true")
    ap.add_argument("--gap", action="store_true")
    ap.add_argument("--fit-limits", action="store_true", help="each LDA's import objective in 2026 (CETO)")
    ap.add_argument("--plate", action="store_true", help="calibration also with every transfer limit lifted")
    ap.add_argument("--samples", type=int, default=100)
    ap.add_argument("--seeds", default="7,11", help="calibration seeds (the fit used 2026)")
    ap.add_argument("--seed", type=int, default=5, help="gap seed")
    ap.add_argument("--years", default="2027,2030,2035")
    args = ap.parse_args(argv)
    o = OutlookAssumptions()
    if args.calibration:
        for seed in (int(s) for s in args.seeds.split(",")):
            for zs in ("two", "lda"):
                for plate in ((False, True) if args.plate else (False,)):
                    print(json.dumps(calibration(o, args.samples, seed, zs, plate)), flush=True)
    if args.fit_limits:
        fit_import_limits(o, args.samples, args.seed)
    if args.gap:
        for y in (int(s) for s in args.years.split(",")):
            print(json.dumps(gap(o, y, args.samples, args.seed)), flush=True)


if __name__ == "__main__":
    main()
