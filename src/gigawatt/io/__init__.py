"""File readers (the only package that touches files).

Modelled on pvlib's ``iotools``: ``read_*`` functions take a path and return
``(data, metadata)``; columns are renamed to gigawatt's names (units in the name)
and timestamps converted to UTC, labelled at the **start** of their interval
(index name ``time_utc``).
"""

from __future__ import annotations

from gigawatt.errors import FileFormatError, InputError
from gigawatt.io._csv import read_header
from gigawatt.io.eia930 import (
    STUDY_BAS,
    detect_eia930_format,
    find_eia930_files,
    read_eia930,
    read_eia930_cleaned,
    read_eia930_form,
)
from gigawatt.io.pjm import read_pjm_dataminer, read_pjm_hourly

__all__ = [
    "STUDY_BAS",
    "detect_eia930_format",
    "find_eia930_files",
    "read_eia930",
    "read_eia930_cleaned",
    "read_eia930_form",
    "read_hourly_file",
    "read_pjm_dataminer",
    "read_pjm_hourly",
]

_EIA_COLUMNS = {"raw": "demand_mw", "cleaned": "demand_cleaned_mw", "adjusted": "demand_adjusted_mw"}


def read_hourly_file(path, *, ba: str | None = None, column: str = "raw"):
    """Read any supported hourly file, detecting its format from the header.

    Parameters
    ----------
    path : path-like
        EIA-930 (Form-930 download or cleaned release), PJM Data Miner export or
        PJM 1998-2018 hourly load file.
    ba : str, optional
        Balancing authority / area to keep where the file holds several.
    column : str
        For EIA-930: ``raw``, ``cleaned``, ``adjusted`` or ``auto`` (cleaned, else
        adjusted, else raw). Other formats have one main series and ignore it.

    Returns
    -------
    data : pandas.DataFrame
    metadata : dict
    value_column : str
        The column of ``data`` holding the series to check [MW].
    """
    cols = read_header(path)
    if "UTC Time at End of Hour" in cols or (cols and cols[0] == "date_time"):
        data, meta = read_eia930(path, ba=ba)
        if column == "auto":
            col = next((c for c in ("demand_cleaned_mw", "demand_adjusted_mw", "demand_mw")
                        if c in data.columns and data[c].notna().any()), "demand_mw")
        elif column in _EIA_COLUMNS:
            col = _EIA_COLUMNS[column]
            if col not in data.columns:
                raise InputError(f"{path}: has no {column} demand column; columns: {list(data.columns)}")
        else:
            raise InputError(f"--column must be raw, cleaned, adjusted or auto; got {column!r}")
        return data, meta, col
    if "datetime_beginning_utc" in cols:
        data, meta = read_pjm_dataminer(path, area=ba)
        col = next(c for c in data.columns if c != "area")
        return data, meta, col
    if len(cols) == 2 and cols[0] in ("Datetime", "ds"):
        data, meta = read_pjm_hourly(path)
        return data, meta, "load_mw"
    raise FileFormatError(
        path,
        "unknown file format: expected an EIA-930 file, a PJM Data Miner export "
        f"or a PJM hourly load file; header is {cols[:8]}",
        line=1,
    )
