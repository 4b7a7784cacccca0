"""Readers for PJM hourly data files.

* :func:`read_pjm_dataminer`: PJM Data Miner 2 CSV exports (``hrl_load_metered``,
  ``solar_gen``, ``wind_gen``, ``da_hrl_lmps``; https://dataminer2.pjm.com). They carry
  ``datetime_beginning_utc`` (hour **beginning**, UTC, ``M/D/YYYY H:MM:SS AM``), used as is.
* :func:`read_pjm_hourly`: PJM estimated hourly load by zone, 1998-2018 (the
  "Hourly Energy Consumption" Kaggle mirror of PJM data): ``Datetime,<ZONE>_MW`` or
  ``ds,y`` with ``YYYY-MM-DD HH:MM:SS``, or ``DD/MM/YY H:MM`` (1998-2001 file), in
  local prevailing time (America/New_York), hour **ending**, rows not sorted.

Timestamp convention of the 1998-2018 files, read from the data: the stamp is the
local wall-clock hour beginning plus one hour (PJM's "hour ending" HE label). On
spring-forward days the labels run 01:00, 02:00, 04:00 (hour beginning 00:00 EST,
01:00 EST, 03:00 EDT: no hour missing); on fall-back days 2014-2017 the label 02:00
appears twice (hour beginning 01:00 EDT, then 01:00 EST); through 2013 both rows of
the repeated hour are absent (labels 01:00, 03:00), so two UTC hours are missing,
which the cleaning step reports and fills. The reader maps ``label - 1 h`` to UTC in
America/New_York; of two rows with the same ambiguous label the first in the file is
taken as daylight time, the second as standard time, and each such decision is listed
in ``metadata["notes"]``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gigawatt.errors import FileFormatError, InputError
from gigawatt.io._csv import check_path, parse_numbers, parse_times, read_header, read_text_table

#: PJM's local prevailing time zone (Eastern Prevailing Time).
PJM_TZ = "America/New_York"

#: Data Miner columns -> our names (units: MW, USD/MWh).
DATAMINER_COLUMNS = {
    "mw": "load_mw",
    "solar_generation_mw": "solar_mw",
    "wind_generation_mw": "wind_mw",
    "total_lmp_da": "lmp_da_usd_per_mwh",
    "system_energy_price_da": "energy_price_da_usd_per_mwh",
    "congestion_price_da": "congestion_price_da_usd_per_mwh",
    "marginal_loss_price_da": "loss_price_da_usd_per_mwh",
}
#: Data Miner columns naming the area a row belongs to (first present is used).
_AREA_COLUMNS = ("load_area", "area", "pnode_name")
DATAMINER_TIME_FORMATS = ["%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M"]
HOURLY_TIME_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%y %H:%M"]


def read_pjm_dataminer(path, area: str | None = None):
    """Read a PJM Data Miner 2 hourly export.

    Parameters
    ----------
    path : path-like
        CSV export with a ``datetime_beginning_utc`` column.
    area : str, optional
        Area to keep (``load_area`` / ``area`` / ``pnode_name`` value) when the file
        holds several.

    Returns
    -------
    data : pandas.DataFrame
        Indexed by ``time_utc`` (UTC, hour beginning), sorted. Numeric columns renamed
        (``load_mw``, ``solar_mw``, ``wind_mw`` [MW]; ``lmp_da_usd_per_mwh``,
        ``energy_price_da_usd_per_mwh``, ``congestion_price_da_usd_per_mwh``,
        ``loss_price_da_usd_per_mwh`` [USD/MWh]); the area column kept as ``area``.
    metadata : dict
        ``format`` ("pjm_dataminer"), ``name`` (area), ``path``, ``source_columns``,
        ``timestamp_convention``, ``n_rows``.
    """
    p = check_path(path)
    df = read_text_table(p)
    if "datetime_beginning_utc" not in df.columns:
        raise FileFormatError(p, "not a PJM Data Miner export: no 'datetime_beginning_utc' column", line=1)
    lines = df.index.to_numpy()  # file line of each row
    area_col = next((c for c in _AREA_COLUMNS if c in df.columns), None)
    name = None
    if area_col is not None:
        areas = df[area_col].str.strip()
        present = sorted(set(areas))
        if area is None and len(present) > 1:
            raise InputError(f"{p}: holds {len(present)} areas in {area_col!r} ({present[:10]}); choose one with area=")
        name = area or (present[0] if present else None)
        keep = (areas == name).to_numpy()
        if not keep.any():
            raise InputError(f"{p}: no rows for area {area!r}; the file holds {present[:30]}")
        df, lines = df.loc[keep], lines[keep]
    t = parse_times(df["datetime_beginning_utc"], p, "datetime_beginning_utc", DATAMINER_TIME_FORMATS, lines=lines)
    data, source = {}, {}
    for col, ours in DATAMINER_COLUMNS.items():
        if col in df.columns:
            data[ours] = parse_numbers(df[col], p, col, lines=lines)
            source[ours] = col
    if not data:
        raise FileFormatError(p, f"no value column among {list(DATAMINER_COLUMNS)}", line=1)
    out = pd.DataFrame(data, index=pd.DatetimeIndex(t, name="time_utc").tz_localize("UTC"))
    if area_col is not None:
        out["area"] = name
    out = out.sort_index(kind="stable")
    out.attrs["source"] = str(p)  # named by gigawatt.cleaning's errors
    meta = {
        "format": "pjm_dataminer",
        "name": name,
        "path": str(p),
        "source_columns": source,
        "timestamp_convention": "time_utc = 'datetime_beginning_utc' (already UTC, hour beginning)",
        "n_rows": int(len(out)),
    }
    return out, meta


def read_pjm_hourly(path):
    """Read a PJM 1998-2018 hourly zonal load file (local time, hour ending).

    Parameters
    ----------
    path : path-like
        ``<ZONE>_hourly.csv`` (``Datetime,<ZONE>_MW`` or ``ds,y``) or
        ``PJM_Load_hourly.csv`` (``DD/MM/YY H:MM``).

    Returns
    -------
    data : pandas.DataFrame
        Column ``load_mw`` [MW] indexed by ``time_utc`` (UTC, hour beginning), sorted.
        Missing hours are *not* filled here (see :func:`gigawatt.cleaning.clean_hourly`).
    metadata : dict
        ``format`` ("pjm_hourly"), ``name`` (zone), ``path``, ``source_columns``,
        ``timestamp_convention``, ``n_rows``, ``notes`` (DST decisions, one per
        repeated fall-back hour).
    """
    p = check_path(path)
    cols = read_header(p)
    if len(cols) != 2:
        raise FileFormatError(p, f"expected 2 columns (time, MW) as in 'Datetime,AEP_MW' or 'ds,y'; got {cols}",
                              line=1)
    tcol, vcol = cols
    if tcol not in ("Datetime", "ds") or not (vcol == "y" or vcol.upper().endswith("_MW")):
        raise FileFormatError(p, f"expected header 'Datetime,<ZONE>_MW' or 'ds,y'; got {cols}", line=1)
    df = read_text_table(p)
    lines = df.index.to_numpy()  # file line of each row
    label = parse_times(df[tcol], p, tcol, HOURLY_TIME_FORMATS)
    values = parse_numbers(df[vcol], p, vcol)
    hb_local = (label - pd.Timedelta(hours=1)).to_numpy()
    order = np.argsort(hb_local, kind="stable")
    hb_local, values, lines = hb_local[order], values[order], lines[order]
    # first / second occurrence of a repeated wall-clock hour -> daylight / standard time
    occ = pd.Series(hb_local).groupby(hb_local).cumcount().to_numpy()
    ambiguous = occ == 0
    local = pd.DatetimeIndex(hb_local)
    utc = local.tz_localize(PJM_TZ, ambiguous=ambiguous, nonexistent="NaT")
    if utc.isna().any():
        i = int(np.flatnonzero(utc.isna())[0])
        raise FileFormatError(p, f"hour beginning {local[i]} (label {df[tcol].iloc[order[i]]!r}) does not exist "
                              f"in {PJM_TZ}: it falls in the spring-forward gap", line=int(lines[i]), column=tcol)
    utc = utc.tz_convert("UTC")
    notes = []
    amb_local = set(local[occ == 1])
    for t in sorted(amb_local):
        notes.append(f"fall-back hour beginning {t} local appears twice: first row taken as daylight time, "
                     f"second as standard time")
    name = vcol[:-3] if vcol.upper().endswith("_MW") else p.stem.replace("_hourly", "")
    out = pd.DataFrame({"load_mw": values}, index=pd.DatetimeIndex(utc, name="time_utc"))
    out.attrs["source"] = str(p)  # named by gigawatt.cleaning's errors
    meta = {
        "format": "pjm_hourly",
        "name": name,
        "path": str(p),
        "source_columns": {"load_mw": vcol},
        "timestamp_convention": f"time_utc = ('{tcol}' - 1 h) in {PJM_TZ} converted to UTC "
                                "(local hour ending -> UTC hour beginning)",
        "n_rows": int(len(out)),
        "notes": notes,
    }
    return out, meta
