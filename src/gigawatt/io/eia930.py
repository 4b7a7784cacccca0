"""Readers for EIA-930 hourly balancing-authority demand.

Two families of files are supported, both recognised from their header:

* EIA's own Form-930 download ("EIA930_BALANCE_<year>_<Jan_Jun|Jul_Dec>.csv"), header
  ``Balancing Authority, Data Date, Hour Number, Local Time at End of Hour,
  UTC Time at End of Hour, Demand Forecast (MW), Demand (MW), ...,
  Demand (MW) (Imputed), Demand (MW) (Adjusted), ...``; timestamps
  ``MM/DD/YYYY H:MM:SS AM``, numbers possibly with ``,`` thousands separators
  (source: EIA, "About the EIA-930 data", https://www.eia.gov/electricity/gridmonitor/about).
* The cleaned research releases of Ruggles et al. (2020), "Developing reliable hourly
  electricity demand data through screening and imputation", Sci Data 7, 155,
  https://doi.org/10.1038/s41597-020-0483-x: balancing-authority files
  (``date_time, raw demand (MW), category, cleaned demand (MW)[, forecast demand (MW)]``),
  regional sums (``date_time, raw demand (MW), cleaned demand (MW)``) and the raw
  ISO totals in ``original_eia_files`` (``date_time, demand (MW)``).

All EIA-930 timestamps are UTC **hour ending** (the value is the mean MW over the
hour before the stamp). The readers return a frame indexed by ``time_utc``, the
UTC **start** of the hour, i.e. the file's stamp minus one hour.

Output columns (only those present in the file):

==========================  =============================================
``demand_mw``               demand as reported by the BA [MW] (NaN where blank/MISSING/EMPTY)
``demand_cleaned_mw``       the file's own cleaned demand [MW] (research releases)
``demand_adjusted_mw``      EIA's adjusted demand [MW] (Form-930 download)
``demand_imputed_mw``       EIA's imputed demand [MW] (Form-930 download)
``demand_forecast_mw``      day-ahead demand forecast [MW]
``net_generation_mw``       net generation [MW] (Form-930 download)
``total_interchange_mw``    total interchange [MW] (Form-930 download)
``category``                anomaly class of the raw value (research BA files)
==========================  =============================================
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from gigawatt.errors import FileFormatError, InputError
from gigawatt.io._csv import (
    check_path,
    parse_numbers,
    parse_times,
    read_header,
    read_text_table,
    require_columns,
)

#: One hour, the EIA-930 interval (hour-ending stamps are shifted back by it).
HOUR = pd.Timedelta(hours=1)

#: Form-930 download columns -> our names.
FORM930_COLUMNS = {
    "Demand (MW)": "demand_mw",
    "Demand (MW) (Adjusted)": "demand_adjusted_mw",
    "Demand (MW) (Imputed)": "demand_imputed_mw",
    "Demand Forecast (MW)": "demand_forecast_mw",
    "Net Generation (MW)": "net_generation_mw",
    "Total Interchange (MW)": "total_interchange_mw",
}

#: Research-release columns -> our names.
RESEARCH_COLUMNS = {
    "raw demand (MW)": "demand_mw",
    "demand (MW)": "demand_mw",
    "cleaned demand (MW)": "demand_cleaned_mw",
    "forecast demand (MW)": "demand_forecast_mw",
}

FORM930_TIME_FORMATS = ["%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M:%S"]
RESEARCH_TIME_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]

#: The 22 balancing authorities of the Duke study (Norris et al. 2025, NI R 25-01, table 1),
#: which are also the 22 BA files of the 2020 cleaned release.
STUDY_BAS = (
    "PJM", "MISO", "ERCO", "SWPP", "SOCO", "CISO", "TVA", "NYIS", "FPL", "DUK", "ISNE",
    "PACE", "FPC", "AZPS", "CPLE", "BPAT", "SRP", "PSCO", "PACW", "SCEG", "PGE", "SC",
)  # fmt: skip


def detect_eia930_format(path) -> str:
    """Name the EIA-930 layout of ``path`` from its header.

    Returns
    -------
    str
        ``"form930"``, ``"research_ba"``, ``"research_region"`` or ``"research_original"``.

    Raises
    ------
    FileFormatError
        The header matches none of the supported layouts.
    """
    cols = read_header(path)
    if "UTC Time at End of Hour" in cols:
        return "form930"
    if cols and cols[0] == "date_time":
        if "raw demand (MW)" in cols and "category" in cols:
            return "research_ba"
        if "raw demand (MW)" in cols and "cleaned demand (MW)" in cols:
            return "research_region"
        if "demand (MW)" in cols:
            return "research_original"
    raise FileFormatError(
        path,
        "not an EIA-930 file: expected a Form-930 download header (with 'UTC Time at End of Hour') "
        "or a cleaned-release header starting with 'date_time'; got " + repr(cols[:6]),
        line=1,
    )


def read_eia930(path, ba: str | None = None):
    """Read any supported EIA-930 demand file.

    Parameters
    ----------
    path : path-like
        A Form-930 download or a cleaned-release file (layout detected from the header).
    ba : str, optional
        Balancing authority to keep from a Form-930 download holding several.
        For research files the BA is the file name (``PJM.csv`` -> ``"PJM"``).

    Returns
    -------
    data : pandas.DataFrame
        Indexed by ``time_utc`` (UTC, hour beginning), sorted; columns as in the
        module docstring. Duplicated and missing hours are left as they are in
        the file: repairing them is the job of :mod:`gigawatt.cleaning`.
    metadata : dict
        ``format``, ``ba``, ``path``, ``source_columns`` (ours -> file's),
        ``timestamp_convention`` and ``n_rows``.
    """
    fmt = detect_eia930_format(path)
    if fmt == "form930":
        return read_eia930_form(path, ba=ba)
    return read_eia930_cleaned(path)


def read_eia930_form(path, ba: str | None = None):
    """Read EIA's own Form-930 "BALANCE" CSV download.

    Parameters
    ----------
    path : path-like
        The CSV file.
    ba : str, optional
        Balancing authority code to keep; required when the file holds several.

    Returns
    -------
    data, metadata
        See :func:`read_eia930`. ``time_utc`` = ``UTC Time at End of Hour`` - 1 h.
    """
    p = check_path(path)
    df = read_text_table(p)
    require_columns(df, p, ["Balancing Authority", "UTC Time at End of Hour", "Demand (MW)"])
    bas = df["Balancing Authority"].str.strip()
    present = sorted(set(bas) - {""})
    if ba is None:
        if len(present) != 1:
            raise InputError(
                f"{p}: holds {len(present)} balancing authorities {present[:10]}; choose one with ba=/--ba"
            )
        ba = present[0]
    keep = (bas == ba).to_numpy()
    if not keep.any():
        raise InputError(f"{p}: no rows for balancing authority {ba!r}; the file holds {present[:30]}")
    lines = df.index.to_numpy()[keep]  # file line of each kept row
    sub = df.loc[keep]
    end = parse_times(sub["UTC Time at End of Hour"], p, "UTC Time at End of Hour", FORM930_TIME_FORMATS, lines=lines)
    data = {}
    source = {}
    for col, ours in FORM930_COLUMNS.items():
        if col in sub.columns:
            data[ours] = parse_numbers(sub[col], p, col, thousands=True, lines=lines)
            source[ours] = col
    out = pd.DataFrame(data, index=pd.DatetimeIndex(end - HOUR, name="time_utc").tz_localize("UTC"))
    out = out.sort_index(kind="stable")
    out.attrs["source"] = str(p)  # named by gigawatt.cleaning's errors
    meta = {
        "format": "form930",
        "ba": ba,
        "path": str(p),
        "source_columns": source,
        "timestamp_convention": "time_utc = 'UTC Time at End of Hour' - 1 h (hour beginning, UTC)",
        "n_rows": int(len(out)),
    }
    return out, meta


def read_eia930_cleaned(path):
    """Read a file of the cleaned EIA-930 research releases (Ruggles et al. 2020).

    Parameters
    ----------
    path : path-like
        ``balancing_authorities/<BA>.csv``, ``subregions_and_balancing_authorities/<BA>.csv``,
        ``regions/<REGION>.csv`` or ``original_eia_files/<ISO>.csv``.

    Returns
    -------
    data, metadata
        See :func:`read_eia930`. ``time_utc`` = ``date_time`` - 1 h. ``metadata["ba"]``
        is the file name without extension.
    """
    p = check_path(path)
    fmt = detect_eia930_format(p)
    if fmt == "form930":
        raise FileFormatError(p, "is a Form-930 download; use read_eia930_form", line=1)
    df = read_text_table(p)
    end = parse_times(df["date_time"], p, "date_time", RESEARCH_TIME_FORMATS)
    data = {}
    source = {}
    for col, ours in RESEARCH_COLUMNS.items():
        if col in df.columns:
            data[ours] = parse_numbers(df[col], p, col)
            source[ours] = col
    if "category" in df.columns:
        data["category"] = df["category"].str.strip().to_numpy()
        source["category"] = "category"
    out = pd.DataFrame(data, index=pd.DatetimeIndex(end - HOUR, name="time_utc").tz_localize("UTC"))
    out = out.sort_index(kind="stable")
    out.attrs["source"] = str(p)  # named by gigawatt.cleaning's errors
    meta = {
        "format": fmt,
        "ba": p.stem,
        "path": str(p),
        "source_columns": source,
        "timestamp_convention": "time_utc = 'date_time' (UTC, hour ending) - 1 h (hour beginning, UTC)",
        "n_rows": int(len(out)),
    }
    return out, meta


_RELEASE = re.compile(r"release_(\d{4})")

#: Sub-folders of a research release holding balancing-authority level files, in
#: the order of preference within one release.
_BA_FOLDERS = ("balancing_authorities", "subregions_and_balancing_authorities", "original_eia_files")


def find_eia930_files(paths, ba: str) -> list[Path]:
    """List the files holding ``ba`` among files and folders, oldest data first.

    Files given directly are used as they are, in the order given. A folder is
    searched recursively for ``<BA>.csv`` inside the research-release layout
    (``balancing_authorities/``, ``subregions_and_balancing_authorities/``,
    ``original_eia_files/``); matches are ordered by release year (``release_2020_*``
    before ``release_2025_*``) so that, when the series are joined, the later
    release wins where they overlap.

    Parameters
    ----------
    paths : iterable of path-like
        Files and/or folders.
    ba : str
        Balancing-authority code, e.g. ``"PJM"``.

    Returns
    -------
    list of pathlib.Path

    Raises
    ------
    InputError
        Nothing found for ``ba``.
    """
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = []
            for folder in _BA_FOLDERS:
                for f in p.rglob(f"{folder}/{ba}.csv"):
                    m = _RELEASE.search(str(f.relative_to(p.parent)))
                    year = int(m.group(1)) if m else 0
                    found.append((year, _BA_FOLDERS.index(folder), str(f)))
            # within a release only the most preferred folder is used
            best: dict[int, tuple[int, str]] = {}
            for year, rank, f in found:
                if year not in best or rank < best[year][0]:
                    best[year] = (rank, f)
            out.extend(Path(best[y][1]) for y in sorted(best))
        else:
            out.append(check_path(p))
    if not out:
        raise InputError(
            f"no EIA-930 file for balancing authority {ba!r} in {[str(x) for x in paths]} "
            f"(looked for {ba}.csv under {', '.join(_BA_FOLDERS)})"
        )
    return out
