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
shed, the demand of the weather year is the load served plus the shed, so that a weather year replays
the cold's demand, not the blackout:

* ERCOT, 15-18 Feb 2021 (Uri): rotating outages began 01:25 CST 15 Feb (10,500 MW at first), reached
  16,500 MW in the morning and 20,000 MW at the most; ERCOT was restoring load by 16 Feb evening and
  left emergency operations 19 Feb (ERCOT news releases 15-19 Feb 2021; FERC-NERC-Regional Entity
  Staff Report, *The February 2021 Cold Weather Outages in Texas and the South Central United States*,
  Nov 2021: "20,000 MW of rolling blackouts"). The hourly shed between those published points is
  linear [est] (:data:`ERCOT_SHED_CST`).
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
#: ERCOT's firm load shed in Feb 2021, (local CST time, MW): published points (ERCOT releases, FERC-NERC
#: report) joined linearly [est]; see the module docstring
ERCOT_SHED_CST = (("2021-02-15 01:00", 0.0), ("2021-02-15 02:00", 10_500.0), ("2021-02-15 08:00", 16_500.0),
                  ("2021-02-15 20:00", 20_000.0), ("2021-02-16 16:00", 14_000.0), ("2021-02-17 12:00", 8_000.0),
                  ("2021-02-18 12:00", 2_000.0), ("2021-02-19 00:00", 0.0))
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
    """Firm load shed in each hour of ``idx`` [MW] (the demand it suppressed), 0 outside the events."""
    out = np.zeros(len(idx))
    t = idx.as_unit("ns").asi8.astype(float)
    if grid == "ercot":
        xs = np.array([_cst(a).value for a, _ in ERCOT_SHED_CST], float)
        ys = np.array([mw for _, mw in ERCOT_SHED_CST])
        inside = (t >= xs[0]) & (t <= xs[-1])
        out[inside] = np.interp(t[inside], xs, ys)
    else:
        for a, b, frac in TVA_SHED_CST:
            inside = (t >= _cst(a).value) & (t < _cst(b).value)
            out[inside] = frac * served[inside]
    return out


def series(grid: str, year: int, data: Path, report: list) -> np.ndarray:
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
    held = len(idx) - len(have)
    full = cleaned.reindex(idx).ffill()
    wy = full.reindex(weather_year_index(year)).to_numpy(float)
    added = shed_mw(grid, weather_year_index(year), wy)
    summary = audit_summary(audit, len(have))
    report.append((grid, year, path.name, summary["n_repaired"], held, float(added.max()),
                   float(wy.max()), float((wy + added).max())))
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
        print("  year  file       repaired  held-tail  shed-added-max-MW  served-peak-MW  demand-peak-MW")
        for _, y, name, n, held, add, pk, pk2 in report:
            print(f"  {y}  {name:10s} {n:8d}  {held:9d}  {add:17,.0f}  {pk:14,.0f}  {pk2:14,.0f}")
        if not args.check:
            np.savez_compressed(OUT / f"{grid}_weather_years.npz", **out)
            print(f"  wrote {OUT / f'{grid}_weather_years.npz'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
