"""Is the tail of the weather years' peaks weather or era? The top of each year's load-duration curve.

Run from the repository root::

    .venv/bin/python tools/weather_year_tail.py                 # per-year table and the era trends
    .venv/bin/python tools/weather_year_tail.py --footprints    # + the footprint maps out of sample (shared data)
    .venv/bin/python tools/weather_year_tail.py --lol 200       # + loss-of-load hours per weather year, 2026

The model scales every weather year's shape (load over its own annual mean) by one affine map to
the 2026 forecast (:func:`gigawatt.systems.pjm_load.scale_to_forecast`), so a year whose peak is
high *relative to its own energy* gets a high peak. If older years were peakier because their load
was less flat (the era's load mix), that would show as a downward trend of the peak over the mean
across the years, and as older years peaking higher over their own summer's typical load. The
table gives, per weather year, once scaled to the 2026 system (load without data centers, as
:func:`gigawatt.systems.pjm_weather.weather` builds it): the peak over the 50/50 peak, the peak over
the mean, the load factor, the hours within 1/2/3/5 % of the year's own peak, the 10th/50th/100th
highest hour over the 50/50 peak, the hours above 0.97/1.00/1.02 of it, and the era-free ratio of
the summer peak to the median June-August hour (``pk/JJA``), and Dominion's share of the load at
the peak hour (``DOM@pk``). :func:`era_trends` fits a line over
the years to the shape statistics. ``--footprints`` builds each zonal footprint of 2003-2015 from
the EIA-930 subregions of 2020-2024 (PJM East ~ the Mid-Atlantic zones, PJM West ~ APS), maps it
with that footprint's map fitted on 2016-2017 and compares its peak with the RTO's: the maps'
error out of sample. ``--lol N`` runs the 2026 system at the IRM (firm policy, N samples, seed
2026) at ``cold_scale`` 0 and :data:`gigawatt.systems.pjm.COLD_SCALE_FITTED` and gives the
expected loss-of-load hours per sample in each weather year. docs/outlook.md quotes the results.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from gigawatt.systems import pjm_load as W

#: the weather years on PJM's RTO series (EIA-930, Data Miner): today's load mix
MODERN = tuple(range(2016, 2026))
SUMMER = (6, 7, 8)


def _month() -> np.ndarray:
    return W.local_time(2019).astype("datetime64[M]").astype(np.int64) % 12 + 1


def shape_stats(s: np.ndarray) -> dict:
    """Era statistics of one weather year's shape (mean 1): ``peak`` (= peak over mean), ``top100``
    (mean of the 100 highest hours), ``median``, ``low`` (lowest hour), ``summer_peak_over_median``
    (the highest June-August hour over the median June-August hour) [-]."""
    q = np.sort(s)[::-1]
    jja = s[np.isin(_month(), SUMMER)]
    return {"peak": float(q[0]), "top100": float(q[:100].mean()), "median": float(np.median(s)),
            "low": float(q[-1]), "summer_peak_over_median": float(jja.max() / np.median(jja))}


def era_trends(years=None) -> dict:
    """Least-squares line of each :func:`shape_stats` statistic over the weather years (RTO-equivalent shapes).

    Returns
    -------
    dict
        statistic -> ``slope_per_decade``, ``stderr_per_decade`` (ordinary least squares), ``t``,
        ``mean_older`` (years before 2016), ``mean_modern`` (2016-2025), ``sd_older``, ``sd_modern``.
    """
    years = np.array(W.WEATHER_YEARS if years is None else years)
    rows = [shape_stats(W.weather_year_shape(int(y), rto_equivalent=True)) for y in years]
    out = {}
    for k in rows[0]:
        v = np.array([r[k] for r in rows])
        b = np.polyfit(years, v, 1)
        res = v - np.polyval(b, years)
        se = float(np.sqrt(res.var(ddof=2) / ((years - years.mean()) ** 2).sum()))
        old, new = v[years < MODERN[0]], v[years >= MODERN[0]]
        out[k] = {"slope_per_decade": 10 * float(b[0]), "stderr_per_decade": 10 * se, "t": float(b[0] / se),
                  "mean_older": float(old.mean()), "mean_modern": float(new.mean()),
                  "sd_older": float(old.std(ddof=1)), "sd_modern": float(new.std(ddof=1))}
    return out


def scaled_2026() -> tuple[tuple, np.ndarray, np.ndarray]:
    """(weather years, (n, 8760) load [MW], (n, 8760) Dominion's share of it) of the 2026 system, data
    centers left out."""
    from gigawatt.outlook import OutlookAssumptions
    from gigawatt.systems.pjm_weather import weather

    w = weather(OutlookAssumptions(years=(2026,)).pjm(2026))
    return w.years, w.load_mw.reshape(len(w.years), -1), w.dom_share.reshape(len(w.years), -1)


def top_table(years, loads, dom_shares) -> list[dict]:
    """Per weather year: the top of its load-duration curve relative to its own peak and the 50/50 peak,
    and Dominion's share of the load at the peak hour."""
    p50 = float(np.median(loads.max(axis=1)))
    month = _month()
    out = []
    for y, x, dom in zip(years, loads, dom_shares):
        q = np.sort(x)[::-1]
        jja = x[np.isin(month, SUMMER)]
        out.append({"year": int(y), "peak_over_p50": q[0] / p50, "peak_over_mean": q[0] / x.mean(),
                    "load_factor": x.mean() / q[0],
                    "within_own_peak": [int((x >= (1 - f) * q[0]).sum()) for f in (0.01, 0.02, 0.03, 0.05)],
                    "h10_h50_h100_over_p50": [q[9] / p50, q[49] / p50, q[99] / p50],
                    "hours_above_p50": [int((x > f * p50).sum()) for f in (0.97, 1.0, 1.02)],
                    "summer_peak_over_median": jja.max() / np.median(jja), "dom_share_at_peak": dom[np.argmax(x)]})
    return out


def footprint_errors(data: Path, years=range(2020, 2025)) -> dict:
    """Each zonal footprint rebuilt from the EIA-930 subregions, mapped with its 2016-2017 map, against the RTO.

    Returns
    -------
    dict
        ``(year, footprint)`` -> ``(peak, top100)``: the mapped shape's annual peak and mean of its 100
        highest hours relative to the RTO's, minus 1 [-].
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import build_pjm_weather_years as B

    maac = ("AE", "BC", "DPL", "JC", "ME", "PE", "PEP", "PL", "PN", "PS")  # PJM East's zones
    parts = {"PJME": maac, "PJMW": ("AP",), "AEP": ("AEP",), "COMED": ("CE",), "DOM": ("DOM",)}
    maps = {}
    for y in W.WEATHER_YEARS:
        ob = W.observed(y)
        if ob["footprint"] == "zonal-sum":
            maps[ob["zones"]] = ob["rto_map"]
    codes = sorted({c for v in parts.values() for c in v})
    out = {}
    for y in years:
        rto = np.sort(W.weather_year_shape(y))[::-1]
        z = {c: B._clean(B.eia_r25_zone(c, data), y, screen=False, label=c, audits=[]).to_numpy(float)
             for c in codes}
        for name, (a, b) in maps.items():
            f = sum(z[c] for zone in name.split("+") for c in parts[zone])
            m = a + b * f / f.mean()  # as weather_year_shape(..., rto_equivalent=True)
            m = np.sort(m / m.mean())[::-1]
            out[(y, name)] = (float(m[0] / rto[0] - 1), float(m[:100].mean() / rto[:100].mean() - 1))
    return out


def lol_by_year(samples: int, cold_scale: float) -> tuple:
    """(LOLE Estimate [d/yr], winter share of the loss-of-load hours, {year: (other, winter) LOL h per sample})
    of the 2026 system at the IRM, firm policy, seed 2026."""
    from gigawatt.assess import assess
    from gigawatt.methods.sequential import SequentialMonteCarlo
    from gigawatt.outlook import OutlookAssumptions, policy_system
    from gigawatt.results import Shortfall
    from gigawatt.results.datacenter import DataCenters

    o = OutlookAssumptions(years=(2026,), cold_scale=cold_scale)
    dcs = policy_system(o, 2026, "firm", grid=o.grid(2026))
    short, _ = assess(dcs, SequentialMonteCarlo(samples=samples, seed=2026), Shortfall(), DataCenters())
    lolp = short.period.lolp.values.reshape(len(o.weather_years), -1)
    winter = np.isin(_month(), (12, 1, 2))
    per = {int(y): (float(r[~winter].sum()), float(r[winter].sum())) for y, r in zip(o.weather_years, lolp)}
    return short.lole_d.scaled(1 / dcs.timeaxis.years), float(lolp[:, winter].sum() / lolp.sum()), per


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--footprints", action="store_true", help="check the footprint maps on 2020-2024")
    ap.add_argument("--lol", type=int, default=0, metavar="SAMPLES", help="loss-of-load hours per weather year")
    args = ap.parse_args(argv)
    years, loads, dom = scaled_2026()
    print("2026 system, load without data centers, each weather year scaled by the common map:")
    print(f"{'year':>4} {'pk/50-50':>8} {'pk/mean':>7} {'LF':>5} {'h within 1/2/3/5% of own pk':>27} "
          f"{'h10/h50/h100 over 50-50':>23} {'h > 0.97/1.00/1.02 x 50-50':>27} {'pk/JJA':>6} {'DOM@pk':>6}")
    for r in top_table(years, loads, dom):
        print(f"{r['year']:>4} {r['peak_over_p50']:8.3f} {r['peak_over_mean']:7.3f} {r['load_factor']:5.3f} "
              f"{'/'.join(map(str, r['within_own_peak'])):>27} "
              f"{'/'.join(f'{v:.3f}' for v in r['h10_h50_h100_over_p50']):>23} "
              f"{'/'.join(map(str, r['hours_above_p50'])):>27} {r['summer_peak_over_median']:6.3f} "
              f"{r['dom_share_at_peak']:6.3f}")
    print("\nShape statistics over the years (RTO-equivalent shapes): slope per decade ± s.e.; mean (sd) "
          "2003-2015 vs 2016-2025")
    for k, t in era_trends().items():
        print(f"  {k:24s} {t['slope_per_decade']:+.4f} ± {t['stderr_per_decade']:.4f} (t {t['t']:+.1f}); "
              f"{t['mean_older']:.3f} ({t['sd_older']:.3f}) vs {t['mean_modern']:.3f} ({t['sd_modern']:.3f})")
    if args.footprints:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from build_pjm_weather_years import shared_data

        print("\nFootprint maps out of sample (EIA-930 subregions 2020-2024), mapped over the RTO's, peak / "
              "mean of the 100 highest hours:")
        err = footprint_errors(shared_data())
        for fp in dict.fromkeys(name for _, name in err):
            print(f"  {fp:24s} " + "; ".join(f"{y} {p:+.1%} / {t:+.1%}" for (y, name), (p, t) in err.items()
                                             if name == fp))
    if args.lol:
        from gigawatt.systems.pjm import COLD_SCALE_FITTED

        for cs in (0.0, COLD_SCALE_FITTED):
            e, wsh, per = lol_by_year(args.lol, cs)
            print(f"\ncold_scale {cs}: LOLE {e.mean:.3f} ± {e.stderr:.3f} d/yr, winter share {wsh:.2f}; "
                  "LOL h per sample (Mar-Nov / Dec-Feb):")
            print("  " + ", ".join(f"{y} {a:.2f}/{b:.2f}" for y, (a, b) in per.items() if a + b >= 0.005))


if __name__ == "__main__":
    main()
