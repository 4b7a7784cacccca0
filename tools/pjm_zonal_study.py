"""The PJM model by zone: calibration check, zonal LOLE and the gap by zone (issue 25).

Builds the outlook's system of a year on the ``"lda"`` zone set (PJM's LDAs,
:mod:`gigawatt.systems.pjm_zones`): the grid of ``OutlookAssumptions().pjm(year, zone_set="lda")``,
the data centers as one site per zone (:func:`gigawatt.systems.pjm.dc_zone_mw`) and PJM's
emergency order with demand response by zone. Then:

* ``--calibration``: LOLE of 2026 at the installed reserve margin, the system's and each zone's,
  with its winter (Dec-Feb) share, on the two-zone and the LDA systems with the same seeds (``--plate``:
  also with every transfer limit lifted, the single area of PJM's reserve study);
* ``--fit-split``: the gas and oil fleet's split between MAAC, PPL and the other zones with which the
  model's import objectives of MAAC and PPL are PJM's published ones (``[lda] fleet_split``);
* ``--fit-limits``: each LDA's import objective in the model (``[lda] fitted_ceto_mw``), on that split;
* ``--own``: each zone's LOLE in the system and on its own (every other zone made sure: PJM's CETO
  study of an LDA), the zonal LOLEs to compare with the auctions' locational outcomes;
* ``--gap``: the firm capacity by zone that meets PJM's criteria (0.1 d/yr for the RTO, 0.04 d/yr
  for each LDA) by :func:`gigawatt.capacity.zonal.zonal_gap`, beside the copper plate's gap.

Run from the repository root::

    .venv/bin/python tools/pjm_zonal_study.py --calibration --samples 300 --seeds 7,11
    .venv/bin/python tools/pjm_zonal_study.py --calibration --plate --samples 100 --seeds 7
    .venv/bin/python tools/pjm_zonal_study.py --gap --years 2027,2030 --samples 20 --seed 5 --weather-years 2014-2025
    .venv/bin/python tools/pjm_zonal_study.py --fit-split --samples 60 --seed 2026
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


def own_lole(o: OutlookAssumptions, year: int, samples: int, seed: int) -> dict:
    """Each zone's LOLE [d/yr] in ``year`` with its limits, in the system and on its own (every other zone
    made sure, as PJM's CETO study of an LDA), against the LDA criterion (the auctions' locational test)."""
    dcs = lda_system(o, year)
    grid = dcs.system
    names = list(grid.regions.names)
    ample = float(grid.regions.load_mw.max(axis=1).sum()) + 1.0
    k = len(o.weather_years)
    method = SequentialMonteCarlo(samples=samples, seed=seed)
    r = assess(dcs, method, Shortfall())
    out = {"year": year, "samples": samples, "seed": seed, "rto": r.lole_d.scaled(1 / k).to_dict(), "zones": {}}
    for z, e in zip(names, grid.regions.load_mw.max(axis=1)):
        if e <= 0:
            continue
        alone = assess(with_firm_mw(dcs, {n: ample for n in names if n != z}), method, Shortfall())
        out["zones"][z] = {"system": r.regions[z].lole_d.scaled(1 / k).to_dict(),
                           "own": alone.regions[z].lole_d.scaled(1 / k).to_dict()}
    return out


def _ceto_study(o: OutlookAssumptions, year: int, model=None):
    """The outlook's ``year`` system on the LDA set (``model``'s figures, default the embedded) as PJM studies an
    LDA's import objective: every transfer limit lifted and the rest of PJM never short (a sure 100 GW in the
    western hub, so an LDA is short only for want of its own capacity and imports)."""
    from gigawatt.systems.pjm_assumptions import LIMITED_ZONES

    a = dataclasses.replace(o.pjm(year, zone_set="lda"), import_limits_mw=tuple((z, 1e6) for z in LIMITED_ZONES),
                            dom_import_limit_mw=1e6, dom_export_limit_mw=1e6)
    if model is not None:
        a = dataclasses.replace(a, model=model)
    dcs = dataclasses.replace(policy_system(o, year, "firm", grid=pjm.pjm_default(a), dc_zone_mw=pjm.dc_zone_mw(a)),
                              order=pjm.emergency_order(a))
    return with_firm_mw(dcs, {"WEST": 100_000.0}), a


def _lda_lole(dcs, zone: str, limit_mw: float, method, k: int, model=None):
    """LOLE [d/yr] of the LDA behind interface ``zone`` with its import limit at ``limit_mw`` (every other
    import limit lifted; the ties and export limits ``model``'s, default the embedded): its least reliable
    zone's (an LDA's own event-days are at least that)."""
    from gigawatt.systems import pjm_zones as Z
    from gigawatt.systems.pjm_assumptions import LIMITED_ZONES

    grid = dcs.system
    limits = {**{z: 1e6 for z in LIMITED_ZONES}, zone: max(limit_mw, 0.0)}
    frm, to, fwd, bwd = Z.lda_interfaces(limits, model=model)
    t = grid.n_periods
    new = dataclasses.replace(grid, interfaces=Interfaces(list(frm), list(to), np.repeat(fwd[:, None], t, 1),
                                                          np.repeat(bwd[:, None], t, 1)))
    r = assess(dataclasses.replace(dcs, system=new), method, Shortfall())
    worst = max(Z.lda_zones(Z.INTERFACE_LDA.get(zone, zone)), key=lambda m: r.regions[m].lole_d.mean)
    return r.regions[worst].lole_d.scaled(1 / k)


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
    from gigawatt.systems.pjm_assumptions import LIMITED_ZONES

    k = len(o.weather_years)
    method = SequentialMonteCarlo(samples=samples, seed=seed)
    dcs, _ = _ceto_study(o, year)
    out = {}
    for zone in LIMITED_ZONES:
        c = find_crossing(lambda x, zone=zone: _lda_lole(dcs, zone, -x, method, k), LDA_LOLE_D, x_start=-4000.0,
                          step_mw=2000.0, x_max=0.0, x_min=-60000.0, rel_tol=0.2, abs_tol_mw=150.0, max_trials=14)
        out[zone] = {"estimate": -c.estimate_mw, "low": -c.high_mw, "high": -c.low_mw, "status": c.status,
                     "trials": c.n_trials}
        print(json.dumps({"zone": zone, **out[zone]}), flush=True)
    return out


#: the fleet split's fit: (the LDA whose share is fitted, the interface zone that carries its imports)
SPLIT_FIT = (("MAAC", "WMAAC"), ("PPL", "PPL"))


def split_base_mw(a) -> float:
    """ICAP outside DOM of the classes without ``lda_zones`` (the gas and oil fleet) in ``a``'s year [MW]."""
    icap = pjm.zone_icap_mw(a)
    free = [c.name for c in a.model.classes if c.name not in a.model.class_share]
    return float(sum(v.get(c, 0.0) for z, v in icap.items() if z != "DOM" for c in free))


def fit_split(o: OutlookAssumptions, samples: int, seed: int, year: int = 2026) -> dict:
    """The fleet split (``[lda] fleet_split``) with which the model's import objectives of MAAC and PPL are
    PJM's published ones (``[lda] published_ceto_mw`` of ``year``): the share of the gas and oil fleet
    outside DOM in MAAC such that MAAC's LOLE is 0.04 d/yr with PJM's CETO as its import limit, every other
    limit lifted and the rest of PJM never short (:func:`fit_import_limits`' study); then PPL's share within
    it, the same way with PPL's CETO. Each class keeps its ICAP and DOM its share; within each part the zones
    keep their 2024 shares of the load. Returns LDA -> {share, low, high (the crossing's interval), MW,
    status, trials}."""
    from gigawatt.capacity.search import find_crossing
    from gigawatt.capacity.zonal import LDA_LOLE_D
    from gigawatt.systems import pjm_zones as Z

    k = len(o.weather_years)
    method = SequentialMonteCarlo(samples=samples, seed=seed)
    model = Z.MODEL
    _, a = _ceto_study(o, year)
    base = split_base_mw(a)
    split: dict = {}
    out = {}
    for lda, zone in SPLIT_FIT:
        ceto = Z.published_mw(model.published_ceto_mw, zone, year)
        if ceto is None:
            raise SystemExit(f"no published CETO for {lda} ({zone}) in {year}")
        outer = next((split[j] for j in split if lda in Z.lda_zones(j)), 1.0)
        now = Z.split_shares(model.lda_fleet_split, {**Z.LDA_MEMBERS, **{z: (z,) for z in Z.NAMES_LDA}},
                             {z: v for z, v in Z.reference_shares().items() if z != "DOM"})
        start = sum(now[z] for z in Z.lda_zones(lda))

        def lole(x, lda=lda, zone=zone, mw=ceto[0]):
            m = dataclasses.replace(model, lda_fleet_split={**split, lda: -x / base})
            dcs, _ = _ceto_study(o, year, m)
            return _lda_lole(dcs, zone, mw, method, k, m)

        c = find_crossing(lole, LDA_LOLE_D, x_start=-start * base, step_mw=2000.0, x_max=0.0, x_min=-outer * base,
                          rel_tol=0.2, abs_tol_mw=300.0, max_trials=14)
        split[lda] = -c.estimate_mw / base
        out[lda] = {"share": split[lda], "low": -c.high_mw / base, "high": -c.low_mw / base, "mw": -c.estimate_mw,
                    "before": start, "ceto_mw": ceto[0], "base_mw": base, "status": c.status, "trials": c.n_trials}
        print(json.dumps({"lda": lda, **out[lda]}), flush=True)
    return out


def _weather_years(text: str) -> tuple:
    """``FIRST-LAST`` or ``Y1,Y2,...`` -> the weather years."""
    if "-" in text:
        a, b = (int(x) for x in text.split("-"))
        return tuple(range(a, b + 1))
    return tuple(int(x) for x in text.split(","))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calibration", action="store_true")
    ap.add_argument("--gap", action="store_true")
    ap.add_argument("--fit-limits", action="store_true", help="each LDA's import objective in 2026 (CETO)")
    ap.add_argument("--fit-split", action="store_true",
                    help="the gas and oil fleet's split with which MAAC's and PPL's CETOs are PJM's (2026)")
    ap.add_argument("--own", action="store_true",
                    help="each zone's LOLE of --years, in the system and on its own (the rest made sure)")
    ap.add_argument("--plate", action="store_true", help="calibration also with every transfer limit lifted")
    ap.add_argument("--samples", type=int, default=100)
    ap.add_argument("--seeds", default="7,11", help="calibration seeds (the fit used 2026)")
    ap.add_argument("--seed", type=int, default=5, help="gap seed")
    ap.add_argument("--years", default="2027,2030,2035")
    ap.add_argument("--weather-years", default=None,
                    help="weather years, FIRST-LAST or a comma list (default all 23: the gap then peaks at ~12 GB "
                         "of memory, as each trial is a copy of the grid, ~1 GB per array per 12 weather years)")
    args = ap.parse_args(argv)
    o = OutlookAssumptions() if args.weather_years is None else OutlookAssumptions(
        weather_years=_weather_years(args.weather_years))
    if args.calibration:
        for seed in (int(s) for s in args.seeds.split(",")):
            for zs in ("two", "lda"):
                for plate in ((False, True) if args.plate else (False,)):
                    print(json.dumps(calibration(o, args.samples, seed, zs, plate)), flush=True)
    if args.fit_split:
        fit_split(o, args.samples, args.seed)
    if args.fit_limits:
        fit_import_limits(o, args.samples, args.seed)
    if args.own:
        for y in (int(s) for s in args.years.split(",")):
            print(json.dumps(own_lole(o, y, args.samples, args.seed)), flush=True)
    if args.gap:
        for y in (int(s) for s in args.years.split(",")):
            print(json.dumps(gap(o, y, args.samples, args.seed)), flush=True)


if __name__ == "__main__":
    main()
