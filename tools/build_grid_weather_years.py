"""Build ``src/gigawatt/data/{ercot,tva}_weather_years.npz``: real hourly load of ERCOT and TVA, 2016-2024.

Run from the repository root with the shared data beside it (or ``GIGAWATT_SHARED_DATA`` set)::

    python tools/build_grid_weather_years.py            # writes both files, prints a report
    python tools/build_grid_weather_years.py --check    # report only, writes nothing

Sources (read, never copied; EIA-930 timestamps are UTC hour *ending*, the project's reader turns
them into UTC hour beginning):

==========  ============================================================================================
2016-2019   EIA-930 ``release_2020_Oct/balancing_authorities/{ERCO,TVA}.csv``: the file's own cleaned
            demand (Ruggles et al. 2020); only gaps are filled here.
2020-2024   ERCOT: ``release_2025_Jan_include_subregions/original_eia_files/ERCO.csv`` (the raw
            balancing-authority demand; the release has no cleaned ERCO file), cleaned here by
            :func:`gigawatt.cleaning.clean_hourly` (spikes, zeros, blanks, audited).
            TVA: ``release_2025_Jan_include_subregions/subregions_and_balancing_authorities/TVA.csv``
            (cleaned demand of the release).
==========  ============================================================================================

Time axis: hour 0 is Jan 1 06:00 UTC (00:00 CST, UTC-6) of the weather year; 8760 start-labelled UTC
hours; in leap years the 24 hours from Feb 29 06:00 UTC are dropped. The release's last hours of 2024
(after 2024-12-31 23:00 UTC) are held at the last value (counted in the report).

**Demand that load shed suppressed.** What EIA-930 reports is the load served. Where firm load was
shed, the demand of the weather year is the load served plus the demand the shed suppressed, so that a weather year replays
the cold's demand, not the blackout:

* ERCOT, 15-18 Feb 2021 (Uri): rotating outages began 01:25 CST 15 Feb, reached 20,000 MW at the
  most (FERC-NERC-Regional Entity Staff Report, *The February 2021 Cold Weather Outages in Texas and the
  South Central United States*, Nov 2021) and ended shortly after midnight on 18 Feb. The hourly shed is
  the load-shed series of the Texas A&M data hub of Wu et al. (``data/load_shed_processed.csv`` of
  github.com/tamu-engineering-research/DemandFlexibilityTexas, 10-minute values processed from ERCOT's
  published figures, [S136]; read here at each hour, joined linearly: :data:`ERCOT_SHED_CST`). The shed MW is not
  the demand it suppressed: ERCOT's own estimate of the demand had no load been shed peaks at about
  77 GW (:data:`ERCOT_DEMAND_PEAK_MW`; as reported by D. Lewin, Texas Grid Roundup #5, 22 Feb 2024, from
  ERCOT's 2024 system-planning peak demand forecast, [S137]), where served load plus shed peaks at ~66 GW. The
  suppressed demand is the shed series times one factor (:func:`suppressed_demand_factor`) chosen so that
  the demand's peak over the shed hours equals ERCOT's estimate [est: the shape of the shed]; the build
  prints the factor.
* TVA, 23-24 Dec 2022 (Elliott): Step 50, local power companies directed to cut 5-10 % of load,
  ~04:30-11:30 CST 23 Dec (lifted by 13:30 EST) and ~05:00-10:30 CST 24 Dec (TVA Winter Storm
  Elliott After-Action Report, 2023; press of 23-24 Dec 2022). Added back at 7.5 % of the served load
  over those hours [est: the middle of 5-10 %] (:data:`TVA_SHED_CST`).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from gigawatt.cleaning import audit_summary, clean_hourly
from gigawatt.io.eia930 import read_eia930

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "gigawatt" / "data"
YEARS = tuple(range(2016, 2025))
HOURS = 8760
OFFSET_H = 6  # CST = UTC-6: the weather year starts at local midnight
R20 = Path("eia930") / "release_2020_Oct" / "balancing_authorities"
R25 = Path("eia930") / "release_2025_Jan_include_subregions"
FILES = {
    "ercot": (R20 / "ERCO.csv", R25 / "original_eia_files" / "ERCO.csv", "demand_mw"),
    "tva": (R20 / "TVA.csv", R25 / "subregions_and_balancing_authorities" / "TVA.csv", "demand_cleaned_mw"),
}
#: ERCOT's firm load shed, 15-18 Feb 2021, (local CST time, MW): the Texas A&M data hub's load-shed series
#: (Wu et al.; processed from ERCOT's published figures) read at each hour, joined linearly between the hours
ERCOT_SHED_CST = (
    ("2021-02-15 00:00", 0), ("2021-02-15 01:00", 10), ("2021-02-15 02:00", 7_300), ("2021-02-15 03:00", 8_950),
    ("2021-02-15 04:00", 8_950), ("2021-02-15 05:00", 11_220), ("2021-02-15 06:00", 13_530),
    ("2021-02-15 07:00", 14_530), ("2021-02-15 08:00", 16_290), ("2021-02-15 09:00", 16_530),
    ("2021-02-15 10:00", 16_530), ("2021-02-15 11:00", 16_530), ("2021-02-15 12:00", 16_530),
    ("2021-02-15 13:00", 16_110), ("2021-02-15 14:00", 14_960), ("2021-02-15 15:00", 13_950),
    ("2021-02-15 16:00", 13_960), ("2021-02-15 17:00", 13_960), ("2021-02-15 18:00", 17_950),
    ("2021-02-15 19:00", 19_860), ("2021-02-15 20:00", 19_970), ("2021-02-15 21:00", 18_960),
    ("2021-02-15 22:00", 18_970), ("2021-02-15 23:00", 18_970), ("2021-02-16 00:00", 18_640),
    ("2021-02-16 01:00", 17_960), ("2021-02-16 02:00", 17_760), ("2021-02-16 03:00", 17_010),
    ("2021-02-16 04:00", 16_960), ("2021-02-16 05:00", 16_960), ("2021-02-16 06:00", 18_390),
    ("2021-02-16 07:00", 18_500), ("2021-02-16 08:00", 19_200), ("2021-02-16 09:00", 19_400),
    ("2021-02-16 10:00", 19_400), ("2021-02-16 11:00", 18_560), ("2021-02-16 12:00", 17_140),
    ("2021-02-16 13:00", 16_970), ("2021-02-16 14:00", 15_440), ("2021-02-16 15:00", 14_960),
    ("2021-02-16 16:00", 14_960), ("2021-02-16 17:00", 14_960), ("2021-02-16 18:00", 16_350),
    ("2021-02-16 19:00", 16_960), ("2021-02-16 20:00", 16_960), ("2021-02-16 21:00", 16_960),
    ("2021-02-16 22:00", 16_960), ("2021-02-16 23:00", 16_530), ("2021-02-17 00:00", 15_710),
    ("2021-02-17 01:00", 14_960), ("2021-02-17 02:00", 13_960), ("2021-02-17 03:00", 13_530),
    ("2021-02-17 04:00", 13_530), ("2021-02-17 05:00", 13_530), ("2021-02-17 06:00", 13_530),
    ("2021-02-17 07:00", 13_530), ("2021-02-17 08:00", 13_960), ("2021-02-17 09:00", 13_960),
    ("2021-02-17 10:00", 13_710), ("2021-02-17 11:00", 12_940), ("2021-02-17 12:00", 11_960),
    ("2021-02-17 13:00", 10_460), ("2021-02-17 14:00", 9_950), ("2021-02-17 15:00", 8_950),
    ("2021-02-17 16:00", 8_950), ("2021-02-17 17:00", 7_560), ("2021-02-17 18:00", 5_950),
    ("2021-02-17 19:00", 5_950), ("2021-02-17 20:00", 4_940), ("2021-02-17 21:00", 3_680),
    ("2021-02-17 22:00", 2_940), ("2021-02-17 23:00", 1_940), ("2021-02-18 00:00", 290), ("2021-02-18 01:00", 0))
#: ERCOT's estimate of the peak demand in Uri had no load been shed [MW] (about 77 GW; secondary: D. Lewin,
#: Texas Grid Roundup #5, 22 Feb 2024, reporting ERCOT's 2024 system-planning peak demand forecast)
ERCOT_DEMAND_PEAK_MW = 77_000.0
#: TVA's Step 50 load curtailment, (start, end local CST, fraction of the served load) [est: 7.5 %, the middle
#: of the 5-10 % directed]
TVA_SHED_CST = (("2022-12-23 04:00", "2022-12-23 12:00", 0.075), ("2022-12-24 05:00", "2022-12-24 11:00", 0.075))


def shared_data() -> Path:
    return Path(os.environ.get("GIGAWATT_SHARED_DATA", ROOT.parent / "shared" / "data"))


def full_index(year: int) -> pd.DatetimeIndex:
    start = pd.Timestamp(f"{year}-01-01", tz="UTC") + pd.Timedelta(hours=OFFSET_H)
    return pd.date_range(start, start + pd.DateOffset(years=1), freq="h", inclusive="left", name="time_utc")


def weather_year_index(year: int) -> pd.DatetimeIndex:
    idx = full_index(year)
    if len(idx) == 8784:
        feb29 = pd.Timestamp(f"{year}-02-29", tz="UTC") + pd.Timedelta(hours=OFFSET_H)
        idx = idx[(idx < feb29) | (idx >= feb29 + pd.Timedelta(hours=24))]
    assert len(idx) == HOURS, (year, len(idx))
    return idx


def _cst(s: str) -> pd.Timestamp:
    return pd.Timestamp(s, tz="UTC") + pd.Timedelta(hours=OFFSET_H)


def shed_mw(grid: str, idx: pd.DatetimeIndex, served: np.ndarray) -> np.ndarray:
    """Firm load shed in each hour of ``idx`` [MW], 0 outside the events."""
    out = np.zeros(len(idx))
    t = idx.as_unit("ns").asi8.astype(float)
    if grid == "ercot":
        xs = np.array([_cst(a).value for a, _ in ERCOT_SHED_CST], float)
        ys = np.array([mw for _, mw in ERCOT_SHED_CST], float)
        inside = (t >= xs[0]) & (t <= xs[-1])
        out[inside] = np.interp(t[inside], xs, ys)
    else:
        for a, b, frac in TVA_SHED_CST:
            inside = (t >= _cst(a).value) & (t < _cst(b).value)
            out[inside] = frac * served[inside]
    return out


def suppressed_demand_factor(served: np.ndarray, shed: np.ndarray, peak_mw: float) -> float:
    """The factor ``k`` on the shed series such that ``max(served + k * shed)`` over the shed hours is ``peak_mw``.

    ``max(served + k * shed)`` grows with ``k`` (shed >= 0), so bisection finds it; ``ValueError`` when the
    served load alone already reaches ``peak_mw`` or no hour has a shed."""
    inside = shed > 0
    if not inside.any():
        raise ValueError("no hour with a shed")
    s, d = served[inside], shed[inside]
    if s.max() >= peak_mw:
        raise ValueError(f"served load {s.max():,.0f} MW already reaches {peak_mw:,.0f} MW")
    lo, hi = 0.0, (peak_mw - s.min()) / d.max() + 1.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if (s + mid * d).max() < peak_mw else (lo, mid)
    return 0.5 * (lo + hi)


def suppressed_mw(grid: str, idx: pd.DatetimeIndex, served: np.ndarray) -> tuple[np.ndarray, float]:
    """The demand that the load shed suppressed in each hour of ``idx`` [MW] and the factor on the shed series:
    ERCOT: the shed times :func:`suppressed_demand_factor` (ERCOT's estimated peak); TVA: the curtailment."""
    shed = shed_mw(grid, idx, served)
    if grid != "ercot" or not shed.any():
        return shed, 1.0
    k = suppressed_demand_factor(served, shed, ERCOT_DEMAND_PEAK_MW)
    return k * shed, k


def served(grid: str, year: int, data: Path) -> tuple[np.ndarray, str, int, int]:
    """The load served in weather ``year`` [MW] (EIA-930, cleaned), the file's name, the values repaired
    and the hours held at the end of the release."""
    f20, f25, col25 = FILES[grid]
    if year <= 2019:
        path, col, screen = data / f20, "demand_cleaned_mw", False
    else:
        path, col, screen = data / f25, col25, col25 == "demand_mw"
    s = read_eia930(path)[0][col]
    idx = full_index(year)
    s = s.sort_index(kind="stable")
    s = s[(s.index >= idx[0] - pd.Timedelta(hours=24)) & (s.index <= idx[-1] + pd.Timedelta(hours=24))]
    have = idx[idx <= s.index.max()]
    cleaned, audit = clean_hourly(s, have, screen=pd.Series(screen, index=s.index))
    full = cleaned.reindex(idx).ffill()
    wy = full.reindex(weather_year_index(year)).to_numpy(float)
    return wy, path.name, audit_summary(audit, len(have))["n_repaired"], len(idx) - len(have)


def series(grid: str, year: int, data: Path, report: list) -> np.ndarray:
    """The demand of weather ``year`` [MW]: the load served plus the demand that load shed suppressed."""
    wy, name, n_repaired, held = served(grid, year, data)
    added, k = suppressed_mw(grid, weather_year_index(year), wy)
    report.append((grid, year, name, n_repaired, held, float(added.max()),
                   float(wy.max()), float((wy + added).max()), k))
    return wy + added


def build(grid: str, data: Path, report: list) -> dict:
    loads = np.array([series(grid, y, data, report) for y in YEARS])
    mean = loads.mean(axis=1)
    return {"years": np.array(YEARS), "shape": loads / mean[:, None], "mean_mw": mean,
            "peak_mw": loads.max(axis=1), "day_utc_offset_h": np.array(-float(OFFSET_H))}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true", help="report only, write nothing")
    args = p.parse_args(argv)
    data = shared_data()
    for grid in FILES:
        report: list = []
        out = build(grid, data, report)
        print(f"{grid}: weather years {YEARS[0]}-{YEARS[-1]}")
        print("  year  file       repaired  held-tail  added-max-MW  served-peak-MW  demand-peak-MW  factor-on-shed")
        for _, y, name, n, held, add, pk, pk2, k in report:
            print(f"  {y}  {name:10s} {n:8d}  {held:9d}  {add:12,.0f}  {pk:14,.0f}  {pk2:14,.0f}  {k:14.3f}")
        if not args.check:
            np.savez_compressed(OUT / f"{grid}_weather_years.npz", **out)
            print(f"  wrote {OUT / f'{grid}_weather_years.npz'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
