"""Build ``src/gigawatt/data/pjm_weather_years.npz``: PJM's real hourly load, one weather year each.

Run from the repository root with the shared data beside it (or ``GIGAWATT_SHARED_DATA`` set)::

    .venv/bin/python tools/build_pjm_weather_years.py            # writes the npz, prints a report
    .venv/bin/python tools/build_pjm_weather_years.py --check    # report only, writes nothing

The raw data is read (never copied) with the project's readers (:mod:`gigawatt.io.eia930`,
:mod:`gigawatt.io.pjm`) and repaired by :func:`gigawatt.cleaning.clean_hourly`, whose audit is
summarised in the report. What is shipped is a normalised product: each weather year's hourly
load divided by its own annual mean (the *shape*), plus the observed mean and peak in MW.

Sources by weather year (all timestamps are converted to UTC hour *beginning* by the readers):

==========  ======================================================================================
2003-2015   PJM estimated hourly load by zone 1998-2018 (``pjm_hourly_1998_2018``): the sum of
            the zonal files covering the year in full (:func:`footprint_zones`,
            :data:`ZONAL_COVERAGE`): PJME + PJMW 2003-2004, + AEP 2005, + DOM 2006-2010, + COMED
            2011-2015. Local prevailing time, hour *ending*: the reader maps ``label - 1 h`` in
            America/New_York to UTC (the repeated fall-back label is resolved first = EDT, second
            = EST; through 2013 the files lack it, and the gap is filled). A partial footprint
            ("zonal-sum"), used as a shape only; each footprint's share of the RTO and its affine
            map to the RTO shape (``share_of_rto``, ``rto_map``) are fitted on the full overlap
            years 2016-2017 (:data:`FIT_YEARS`), and ``--check`` prints the fit on 2016-2018
            (shape correlation, load-duration curve, peak error before and after the map).
            ``PJM_Load_hourly.csv`` (1998-2001) ends before the other files begin: no footprint of
            it overlaps an RTO year, so it is left out, as is 2002 (PJM West begins in April).
2016-2019   EIA-930 ``release_2020_Oct/balancing_authorities/PJM.csv``, the file's own cleaned
            demand (Ruggles et al. 2020), UTC hour *ending* -> ``- 1 h``; only gaps are filled.
2020-2024   EIA-930 ``release_2025_Jan_include_subregions/original_eia_files/PJM.csv``: the raw
            PJM balancing-authority total, cleaned here (spikes, zeros, blanks). Chosen over the
            sum of the 19 cleaned ``PJM-<zone>`` files (= ``regions/MIDA``; PJM-RECO is absent
            from the release) because it is the *same series* as 2016-2019 (release_2020's PJM
            file equals it hour for hour where both exist), so the weather years are on one
            definition. The zone sum runs 0-6 % (median 1 %) below it, by a margin with
            a daily cycle: 2-4.5 GW at night, 0.1-0.5 GW at the peak hours, the signature of
            storage (pumped-storage) charging, which BA demand (net generation minus
            interchange) includes and zonal metered load does not. The last 6 hours of weather
            year 2024 (after the release's last hour, 2024-12-31 22:00 UTC) are interpolated to
            the first 2025 Data Miner hour; PJM-DOM's are held at its last value (audited).
2025        PJM Data Miner 2 ``pjm_rto_2025/hrl_load_metered.csv`` (RTO metered load,
            preliminary), ``datetime_beginning_utc`` (UTC hour beginning) used as is.
==========  ======================================================================================

Zones (``zone_share_steps``, :data:`ZONE_GROUPS`): each zone's hourly share of the RTO series,
from the sum of its EIA-930 ``PJM-<code>`` cleaned subregion files (release_2025) for 2020-2024
and DOM's and ComEd's zonal files where they cover the year (2006-2017, 2011-2017); up to 2017 the
other zones take the shape of a
proxy zonal file (``proxy_share_steps``: AEP for the western zones, PJM East for the Mid-Atlantic
ones, :data:`ZONE_PROXY`), used for its shape only. Stored as int16 hour-to-hour steps of
:data:`ZONE_SHARE_RES` (decode: ``cumsum(steps) * res``).

Dominion (DOM) zone: ``DOM_hourly.csv`` (zonal files) for 2006-2017 (the file runs 2005-05-01 to
2018-08-03, so 2005 and 2018 have none), ``PJM-DOM.csv`` (release_2025, cleaned) for 2020-2024; none
for 2003-2005, 2019 and 2025. DOM's share is of the ``rto`` series, so for the zonal-sum years it is
of the footprint's sum (DOM is ~15 % of the five-zone sum, ~16-17 % of the four-zone one; of the RTO
it is ~11-12 % in 2006-2017 and 13-15 % in 2020-2024).

Time axis: hour 0 is Jan 1 05:00 UTC (00:00 EST) of the weather year; 8760 start-labelled UTC
hours; in leap years the 24 hours from Feb 29 05:00 UTC are dropped. Daylight saving time needs
no special handling on this axis: every source is converted to UTC by its reader (the zonal
files' local hour-ending labels explicitly), so the spring-forward and fall-back days simply
have 23 and 25 local hours, as they really do.
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
from gigawatt.io.pjm import read_pjm_dataminer, read_pjm_hourly

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "gigawatt" / "data" / "pjm_weather_years.npz"
YEARS = tuple(range(2003, 2026))
#: the five zones of the zonal files (PJM_Load_hourly.csv, 1998-2001, is left out: it ends before
#: every other file begins, so no footprint of it overlaps the RTO years)
ZONES = ("PJME", "PJMW", "AEP", "COMED", "DOM")
#: first and last weather year each zonal file covers in full (AEP from 2004-10-01, PJMW from
#: 2002-04-01, DOM from 2005-05-01, ComEd from 2011-01-01; all end 2018-08-03)
ZONAL_COVERAGE = {"PJME": (2002, 2017), "PJMW": (2003, 2017), "AEP": (2005, 2017), "COMED": (2011, 2017),
                  "DOM": (2006, 2017)}
#: weather years built from the zonal files, each with its footprint: every zone covering it in full
ZONAL_YEARS = tuple(range(2003, 2016))
#: years of full overlap of the zonal files with the EIA-930 RTO series, on which each footprint's
#: share of the RTO and its affine map to the RTO shape are fitted
FIT_YEARS = (2016, 2017)


def footprint_zones(year: int) -> tuple[str, ...]:
    """The zonal files covering weather ``year`` in full (the footprint of a zonal-sum year)."""
    return tuple(z for z in ZONES if ZONAL_COVERAGE[z][0] <= year <= ZONAL_COVERAGE[z][1])

R20 = Path("eia930") / "release_2020_Oct" / "balancing_authorities" / "PJM.csv"
R25 = Path("eia930") / "release_2025_Jan_include_subregions"
DM25 = Path("pjm_rto_2025") / "hrl_load_metered.csv"
HOURS = 8760
#: the model's zones (:mod:`gigawatt.systems.pjm_zones`) and the EIA-930 PJM
#: subregions (``PJM-<code>``) each sums, 2020-2024; PJM-RECO is absent from the release and EKPC
#: goes with the rest of PJM (the residual of the RTO total)
ZONE_GROUPS = {
    "DOM": ("DOM",),
    "COMED": ("CE",),
    "WEST": ("AEP", "AP", "ATSI", "DAY", "DEOK", "DUQ"),
    "EMAAC": ("AE", "DPL", "JC", "PE", "PS"),
    "BGE": ("BC",),
    "PEPCO": ("PEP",),
    "PPL": ("PL",),
    "WMAAC": ("ME", "PN"),
}
#: where a zone has no data of its own before 2020, the shape of a 1998-2018 zonal file stands in
#: (its level is not used): DOM and ComEd their own files (DOM's ends 2018-08-03: none in 2018); the western zones AEP's (AEP is ~43 % of their
#: load in 2024); the Mid-Atlantic zones PJM East's (PJME: the classic PJM zones, i.e. MAAC)
ZONE_PROXY = {"DOM": "DOM", "COMED": "COMED", "WEST": "AEP", "EMAAC": "PJME", "BGE": "PJME", "PEPCO": "PJME", "PPL": "PJME",
              "WMAAC": "PJME"}
#: the proxies' shapes are stored once each (not per zone)
PROXIES = ("AEP", "PJME")
#: resolution of the stored zone shares [fraction of the RTO load]: 1e-4 is ~10 MW of a 100 GW hour
#: (0.3 % of the smallest zone's share); the shares are stored as int16 hour-to-hour steps of it,
#: which keeps the package data under 1 MB (the RTO shapes themselves stay float32)
ZONE_SHARE_RES = 1e-4


def shared_data() -> Path:
    """The shared data folder (``GIGAWATT_SHARED_DATA``, default ``../shared/data``)."""
    return Path(os.environ.get("GIGAWATT_SHARED_DATA", ROOT.parent / "shared" / "data"))


def full_index(year: int) -> pd.DatetimeIndex:
    """UTC hour-beginning stamps Jan 1 05:00 UTC of ``year`` .. Jan 1 05:00 UTC of ``year + 1`` (exclusive)."""
    start = pd.Timestamp(f"{year}-01-01 05:00", tz="UTC")
    stop = pd.Timestamp(f"{year + 1}-01-01 05:00", tz="UTC")
    return pd.date_range(start, stop, freq="h", inclusive="left", name="time_utc")


def weather_year_index(year: int) -> pd.DatetimeIndex:
    """The 8760-hour axis of a weather year (:func:`full_index` less Feb 29 05:00 UTC + 24 h)."""
    idx = full_index(year)
    if len(idx) == 8784:
        feb29 = pd.Timestamp(f"{year}-02-29 05:00", tz="UTC")
        idx = idx[(idx < feb29) | (idx >= feb29 + pd.Timedelta(hours=24))]
    assert len(idx) == HOURS, (year, len(idx))
    return idx


def _clean(series: pd.Series, year: int, *, screen: bool, label: str, audits: list,
           bridge: bool = False) -> pd.Series:
    """Clean ``series`` over the weather year and return it on :func:`weather_year_index`.

    ``bridge``: clean over one more hour (the first of the next weather year), so that missing last
    hours are interpolated towards the next source's first value instead of held."""
    idx = full_index(year)
    if bridge:
        idx = idx.append(pd.DatetimeIndex([idx[-1] + pd.Timedelta(hours=1)]))
    s = series.sort_index(kind="stable")
    s = s[(s.index >= idx[0] - pd.Timedelta(hours=24)) & (s.index <= idx[-1] + pd.Timedelta(hours=24))]
    scr = pd.Series(screen, index=s.index)
    cleaned, audit = clean_hourly(s, idx, screen=scr)
    audits.append((year, label, audit_summary(audit, len(idx)), audit))
    return cleaned.reindex(weather_year_index(year))


# --- readers of each source (cached: each file is read once) -------------------------------------
_cache: dict = {}


def _once(key, fn):
    if key not in _cache:
        _cache[key] = fn()
    return _cache[key]


def zonal(zone: str, data: Path) -> pd.Series:
    """A 1998-2018 zonal file as a UTC hour-beginning series [MW] (DST resolved by the reader)."""
    name = "PJME_hourly.csv" if zone == "PJME" else f"{zone}_hourly.csv"

    def read():
        d, _meta = read_pjm_hourly(data / "pjm_hourly_1998_2018" / name)
        return d["load_mw"]

    return _once(("zonal", zone), read)


def eia_r20(data: Path) -> pd.Series:
    """release_2020_Oct PJM, the file's cleaned demand [MW] (UTC hour beginning)."""
    return _once("r20", lambda: read_eia930(data / R20)[0]["demand_cleaned_mw"])


def eia_r25_total(data: Path) -> pd.Series:
    """release_2025 raw PJM BA total [MW] (UTC hour beginning), to be cleaned."""
    return _once("r25", lambda: read_eia930(data / R25 / "original_eia_files" / "PJM.csv")[0]["demand_mw"])


def eia_r25_zone(zone: str, data: Path) -> pd.Series:
    """release_2025 cleaned ``PJM-<zone>`` demand [MW] (UTC hour beginning)."""
    f = data / R25 / "subregions_and_balancing_authorities" / f"PJM-{zone}.csv"
    return _once(("r25z", zone), lambda: read_eia930(f)[0]["demand_cleaned_mw"])


def dataminer_2025(data: Path) -> pd.Series:
    """PJM Data Miner RTO metered load 2025 [MW] (UTC hour beginning)."""
    return _once("dm25", lambda: read_pjm_dataminer(data / DM25)[0]["load_mw"])


# --- one weather year ----------------------------------------------------------------------------
def weather_year(year: int, data: Path, audits: list | None = None) -> dict:
    """Real hourly load of one weather year on the 8760-hour axis.

    Returns
    -------
    dict
        ``rto_mw`` (8760,) [MW] (the zonal sum for :data:`ZONAL_YEARS`), ``dom_mw`` (8760,) [MW] or None,
        ``footprint`` ('rto' / 'zonal-sum'), ``zones`` (the zonal files summed, '+'-joined; 'RTO'),
        ``source`` (text).
    """
    audits = [] if audits is None else audits
    dom = None
    zones = "RTO"
    if year in ZONAL_YEARS:
        fz = footprint_zones(year)
        parts = {z: _clean(zonal(z, data), year, screen=True, label=f"zonal {z}", audits=audits) for z in fz}
        rto = sum(parts.values())
        dom = parts.get("DOM")
        zones = "+".join(fz)
        footprint, source = "zonal-sum", f"PJM zonal 1998-2018: {zones} (local HE -> UTC HB)"
    elif year <= 2019:
        rto = _clean(eia_r20(data), year, screen=False, label="EIA-930 r2020 PJM cleaned", audits=audits)
        footprint, source = "rto", "EIA-930 release_2020_Oct PJM cleaned demand (UTC HE -> HB)"
        if year <= 2017:  # the zonal DOM file covers these weather years in full
            dom = _clean(zonal("DOM", data), year, screen=True, label="zonal DOM", audits=audits)
    else:
        if year <= 2024:
            s = eia_r25_total(data)
            if year == 2024:  # the release ends 2024-12-31 22:00 UTC: bridge to the 2025 file
                s = pd.concat([s, dataminer_2025(data).iloc[:1]])
            rto = _clean(s, year, screen=True, label="EIA-930 r2025 PJM raw total", audits=audits,
                         bridge=year == 2024)
            footprint, source = "rto", "EIA-930 release_2025 raw PJM BA total, cleaned (UTC HE -> HB)"
            dom = _clean(eia_r25_zone("DOM", data), year, screen=False, label="EIA-930 r2025 PJM-DOM cleaned",
                         audits=audits)
        else:
            rto = _clean(dataminer_2025(data), year, screen=True, label="Data Miner 2025", audits=audits)
            footprint, source = "rto", "PJM Data Miner 2 hrl_load_metered 2025, RTO (UTC HB, preliminary)"
    return {"rto_mw": rto.to_numpy(float), "dom_mw": None if dom is None else dom.to_numpy(float),
            "footprint": footprint, "zones": zones, "source": source}


def zone_year(year: int, data: Path, audits: list) -> dict:
    """Hourly load of each zone of :data:`ZONE_GROUPS` in one weather year.

    Returns
    -------
    dict
        Zone -> (``mw`` (8760,) [MW] or None, ``own`` bool): ``own`` True for the zone's own data
        (EIA-930 subregions, 2020-2024; DOM's and ComEd's zonal files where they cover the year),
        False for a proxy's shape (:data:`ZONE_PROXY`, up to 2017), None where there is neither
        (2018, 2019, 2025; DOM before 2006, ComEd before 2011, the western zones before 2005).
    """
    out = {}
    for zone, codes in ZONE_GROUPS.items():
        if 2020 <= year <= 2024:
            mw = sum(_clean(eia_r25_zone(c, data), year, screen=False, label=f"EIA-930 r2025 PJM-{c} cleaned",
                            audits=audits) for c in codes)
            out[zone] = (mw.to_numpy(float), True)
        elif ZONE_PROXY[zone] == zone and ZONAL_COVERAGE[zone][0] <= year <= ZONAL_COVERAGE[zone][1]:
            mw = _clean(zonal(zone, data), year, screen=True, label=f"zonal {zone}", audits=audits)
            out[zone] = (mw.to_numpy(float), True)
        else:
            out[zone] = (None, False)
    return out


def proxy_year(year: int, data: Path, audits: list) -> dict:
    """Proxy -> hourly load [MW] of the 1998-2018 zonal files standing in for zones (up to 2017, where
    the proxy's file covers the year), else None."""
    return {p: _clean(zonal(p, data), year, screen=True, label=f"zonal {p}", audits=audits).to_numpy(float)
            if ZONAL_COVERAGE[p][0] <= year <= ZONAL_COVERAGE[p][1] else None for p in PROXIES}


def quantized_steps(share: np.ndarray) -> np.ndarray:
    """int16 hour-to-hour steps of ``share`` in units of :data:`ZONE_SHARE_RES` (``cumsum`` decodes)."""
    q = np.round(np.nan_to_num(share, nan=0.0) / ZONE_SHARE_RES).astype(np.int64)
    d = np.diff(q, axis=-1, prepend=0)
    assert np.abs(d).max() < 2**15, "zone share step too large for int16"
    return d.astype(np.int16)


def build(data: Path, years=YEARS, audits: list | None = None) -> dict:
    """All arrays of the npz (see the module docstring of :mod:`gigawatt.systems.pjm_load`)."""
    rto_rel, mean, peak, foot, fzones, src = [], [], [], [], [], []
    zone_rel, zone_own, proxy_rel = [], [], []
    zaudits = [] if audits is None else audits
    for y in years:
        w = weather_year(y, data, audits)
        m = w["rto_mw"].mean()
        rto_rel.append(w["rto_mw"] / m)
        mean.append(m)
        peak.append(w["rto_mw"].max())
        foot.append(w["footprint"])
        fzones.append(w["zones"])
        src.append(w["source"])
        zy = zone_year(y, data, zaudits)
        zone_rel.append([np.full(HOURS, np.nan) if mw is None else mw / w["rto_mw"] for mw, _ in zy.values()])
        zone_own.append([own for _, own in zy.values()])
        py = proxy_year(y, data, zaudits)
        proxy_rel.append([np.full(HOURS, np.nan) if mw is None else mw / w["rto_mw"] for mw in py.values()])
    return {
        "zone_names": np.array(list(ZONE_GROUPS)),
        "zone_share_steps": quantized_steps(np.array(zone_rel)),
        "zone_has": np.array(zone_own, dtype=bool),
        "zone_proxy": np.array([PROXIES.index(ZONE_PROXY[z]) if ZONE_PROXY[z] in PROXIES else -1
                                for z in ZONE_GROUPS], dtype=np.int8),
        "proxy_share_steps": quantized_steps(np.array(proxy_rel)),
        "proxy_has": np.array([[np.isfinite(a).any() for a in row] for row in proxy_rel], dtype=bool),
        "zone_share_res": np.float64(ZONE_SHARE_RES),
        "years": np.array(years, dtype=np.int16),
        "rto_rel": np.array(rto_rel, dtype=np.float32),
        "rto_mean_mw": np.array(mean, dtype=np.float32),
        "rto_peak_mw": np.array(peak, dtype=np.float32),
        "footprint": np.array(foot, dtype="<U9"),
        "footprint_zones": np.array(fzones),
        "source": np.array(src),
    }


# --- overlap check: zonal sum vs RTO -------------------------------------------------------------
def overlap(data: Path, years=(2016, 2017, 2018), zones=ZONES) -> list[dict]:
    """Sum of the zonal files ``zones`` vs EIA-930 RTO in the overlap years (2018: Jan 1 - Aug 2 only, where the zonal
    files end). Share of the RTO energy, correlation of the hourly shapes (each divided by its own
    mean over the common hours), and the largest / 100th-hour differences of their load-duration
    curves (each relative to its own peak)."""
    out = []
    for y in years:
        idx = weather_year_index(y)
        rto = eia_r20(data).reindex(idx)
        parts = [zonal(z, data).reindex(idx) for z in zones]
        zs = sum(parts)
        ok = rto.notna() & zs.notna()
        r, z = rto[ok].to_numpy(), zs[ok].to_numpy()
        rs, zn = r / r.mean(), z / z.mean()
        lr, lz = np.sort(r)[::-1] / r.max(), np.sort(z)[::-1] / z.max()
        # time-convention check: hour-to-hour changes line up best at lag 0 (DST and standard time)
        lag = {}
        for k in (-1, 0, 1):
            dr, dz = rto.diff(), zs.shift(k).diff()
            m = dr.notna() & dz.notna()
            lag[k] = float(np.corrcoef(dr[m], dz[m])[0, 1])
        out.append({
            "year": y, "hours": int(ok.sum()), "share": float(z.sum() / r.sum()),
            "share_at_rto_peak": float(z[np.argmax(r)] / r.max()),
            "corr": float(np.corrcoef(rs, zn)[0, 1]),
            "rms_shape_diff": float(np.sqrt(np.mean((rs - zn) ** 2))),
            "ldc_max_abs_diff": float(np.max(np.abs(lr - lz))),
            "ldc_100_rto": float(lr[99]), "ldc_100_zonal": float(lz[99]),
            "peak_to_mean_rto": float(r.max() / r.mean()), "peak_to_mean_zonal": float(z.max() / z.mean()),
            "same_peak_hour": bool(np.argmax(r) == np.argmax(z)),
            "lag_corr_of_changes": lag,
        })
    return out


def zonal_to_rto_fit(data: Path, years=FIT_YEARS, zones=ZONES) -> tuple[float, float, list[dict]]:
    """Affine map ``rto_rel ~ a + b * zonal_rel`` of the sum of the zonal files ``zones``, fitted by
    least squares on the hours of the full overlap years (both series over their own annual mean),
    and per year: the mean relative error of the 100 highest hours of the load-duration curve and
    the relative error of the annual peak, without and with it, and the rms error of the mapped
    hourly shape."""
    rs, zs_ = {}, {}
    for y in years:
        idx = weather_year_index(y)
        r = eia_r20(data).reindex(idx).to_numpy(float)
        z = sum(zonal(zz, data).reindex(idx) for zz in zones).to_numpy(float)
        rs[y], zs_[y] = r / np.nanmean(r), z / np.nanmean(z)
    rr, zz = np.concatenate(list(rs.values())), np.concatenate(list(zs_.values()))
    ok = np.isfinite(rr) & np.isfinite(zz)
    b, a = np.polyfit(zz[ok], rr[ok], 1)
    errs = []
    for y in years:
        lr = np.sort(rs[y][np.isfinite(rs[y])])[::-1][:100]
        lz = np.sort(zs_[y][np.isfinite(zs_[y])])[::-1][:100]
        ok_y = np.isfinite(rs[y]) & np.isfinite(zs_[y])
        errs.append({"year": y, "top100_err_raw": float(np.mean(lz / lr - 1)),
                     "top100_err_mapped": float(np.mean((a + b * lz) / lr - 1)),
                     "peak_err_raw": float(lz[0] / lr[0] - 1), "peak_err_mapped": float((a + b * lz[0]) / lr[0] - 1),
                     "rms_mapped": float(np.sqrt(np.mean((a + b * zs_[y][ok_y] - rs[y][ok_y]) ** 2)))})
    return float(a), float(b), errs


def report(arrays: dict, audits: list, ov: dict) -> str:
    from gigawatt.systems.pjm_load import load_stats

    lines = ["Weather years (MW of the source footprint; hours EPT, hour beginning):",
             f"{'year':>4} {'footprint':>9} {'peak MW':>9} {'peak at':>17} {'winter pk':>9} {'winter pk at':>17} "
             f"{'ldc100':>6} {'LF':>5} {'pk/50-50':>8}  source"]
    shapes = [_shape(arrays, i) for i in range(len(arrays["years"]))]
    rel = relative_peaks(shapes)
    for i, y in enumerate(arrays["years"]):
        mw = arrays["rto_rel"][i].astype(float) * float(arrays["rto_mean_mw"][i])
        st = load_stats(mw, int(y))
        lines.append(f"{y:>4} {arrays['footprint'][i]:>9} {st['peak_mw']:9.0f} {st['peak_time']:>17} "
                     f"{st['winter_peak_mw']:9.0f} {st['winter_peak_time']:>17} {st['ldc_100']:6.3f} "
                     f"{st['load_factor']:5.3f} {rel[i]:8.3f}  {arrays['source'][i]}")
    lines.append("")
    lines.append("Cleaning audit (hours repaired, by rule):")
    for y, label, summ, _audit in audits:
        if summ["n_repaired"] or summ["by_rule"]:
            lines.append(f"  {y} {label}: {summ['n_repaired']} of {summ['n_hours']} h {summ['by_rule']}")
    lines.append("")
    for zones, (ovz, (a, b, errs)) in ov.items():
        lines.append("")
        lines.append(f"Zonal sum ({zones}) vs EIA-930 PJM, overlap years:")
        for o in ovz:
            lines.append(
                f"  {o['year']} ({o['hours']} h): energy share {o['share']:.3f}, share at RTO peak "
                f"{o['share_at_rto_peak']:.3f}; shape corr {o['corr']:.4f}, rms diff {o['rms_shape_diff']:.4f}; "
                f"LDC max |diff| {o['ldc_max_abs_diff']:.4f}, ldc_100 rto {o['ldc_100_rto']:.4f} vs zonal "
                f"{o['ldc_100_zonal']:.4f}; peak/mean rto {o['peak_to_mean_rto']:.3f} vs zonal "
                f"{o['peak_to_mean_zonal']:.3f}; same peak hour {o['same_peak_hour']}; corr of hourly changes at "
                f"lag -1/0/+1 h " + "/".join(f"{v:.3f}" for v in o["lag_corr_of_changes"].values()))
        lines.append(
            f"  RTO-equivalent map (least squares over {list(FIT_YEARS)}): rto_rel ~ {a:.4f} + {b:.4f} x zonal_rel; "
            "raw -> mapped error of the mean of the 100 highest hours / of the peak, rms of the mapped shape: "
            + "; ".join(f"{e['year']} {e['top100_err_raw']:+.4f} -> {e['top100_err_mapped']:+.4f} / "
                        f"{e['peak_err_raw']:+.4f} -> {e['peak_err_mapped']:+.4f}, rms {e['rms_mapped']:.4f}"
                        for e in errs))
    return "\n".join(lines)


def _shape(arrays: dict, i: int) -> np.ndarray:
    """Row ``i``'s shape mapped to the RTO (as :func:`gigawatt.systems.pjm_load.weather_year_shape`
    with ``rto_equivalent=True``)."""
    a, b = arrays["rto_map"][i]
    s = a + b * arrays["rto_rel"][i].astype(float)
    return s / s.mean()


def relative_peaks(shapes) -> np.ndarray:
    """Each weather year's peak over the 50/50 peak once scaled to a forecast
    (:func:`gigawatt.systems.pjm_load.forecast_map` at the 2025 forecast's load factor) [-]."""
    from gigawatt.systems.pjm_load import forecast_map

    # 50/50 peak 154,144 MW, energy 0.6 x 8760 h of it: the ratio is the same for any targets of that load factor
    a, b = forecast_map(shapes, 154_144.0, 0.6 * 154_144.0 * HOURS)
    pk = np.array([a + b * s.max() for s in shapes])
    return pk / np.median(pk)


_fits: dict = {}


def add_footprint_maps(arrays: dict, data: Path) -> None:
    """Each row's share of the RTO energy and affine map to the RTO shape (``share_of_rto`` (n,),
    ``rto_map`` (n, 2); 1 and (0, 1) for the RTO rows), fitted per footprint on :data:`FIT_YEARS`;
    ``zonal_share_of_rto`` and ``zonal_to_rto`` keep the five-zone footprint's."""
    n = len(arrays["years"])
    share, amap = np.ones(n, dtype=np.float64), np.tile([0.0, 1.0], (n, 1))
    for i, zones in enumerate(arrays["footprint_zones"]):
        if str(arrays["footprint"][i]) != "zonal-sum":
            continue
        zs = tuple(str(zones).split("+"))
        if zones not in _fits:
            ov = overlap(data, zones=zs)
            _fits[str(zones)] = (ov, zonal_to_rto_fit(data, zones=zs))
        ov, (a, b, _errs) = _fits[str(zones)]
        share[i] = np.mean([o["share"] for o in ov if o["year"] in FIT_YEARS])
        amap[i] = (a, b)
    arrays["share_of_rto"] = share
    arrays["rto_map"] = amap
    five = "+".join(ZONES)
    ov, (a, b, _errs) = _fits[five]
    arrays["zonal_share_of_rto"] = np.float32(np.mean([o["share"] for o in ov if o["year"] in FIT_YEARS]))
    arrays["zonal_to_rto"] = np.array([a, b], dtype=np.float64)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="print the report, write nothing")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    data = shared_data()
    if not data.is_dir():
        sys.exit(f"shared data folder {data} is absent (set GIGAWATT_SHARED_DATA)")
    audits: list = []
    arrays = build(data, audits=audits)
    add_footprint_maps(arrays, data)
    print(report(arrays, audits, _fits))
    if not args.check:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(args.out, **arrays)
        print(f"\nwrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
