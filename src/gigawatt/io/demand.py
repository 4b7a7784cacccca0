"""Hourly demand of a balancing authority from EIA-930 files, joined and cleaned for a study."""

from __future__ import annotations

import pandas as pd

from gigawatt.cleaning import CleaningRules
from gigawatt.duke.study import pick_demand, study_demand
from gigawatt.io.eia930 import find_eia930_files, read_eia930


def load_demand(paths, ba: str, *, first_year: int, last_year: int, tz: str = "UTC",
                demand: str = "auto", rules: CleaningRules = CleaningRules()):
    """Cleaned hourly demand of one balancing authority over the study years.

    Parameters
    ----------
    paths : iterable of path-like
        EIA-930 files and/or folders (see :func:`gigawatt.io.eia930.find_eia930_files`).
    ba : str
        Balancing-authority code.
    first_year, last_year : int
        Study years (inclusive), calendar years in ``tz``.
    tz : str
        Time zone of the calendar ("UTC" by default).
    demand : str
        ``auto``, ``cleaned``, ``adjusted`` or ``raw`` (see :func:`gigawatt.duke.study.pick_demand`).
    rules : CleaningRules
        Cleaning rules applied to the joined series.

    Returns
    -------
    demand_mw : pandas.Series
        Hourly demand [MW] on :func:`gigawatt.duke.study.study_index`.
    audit : pandas.DataFrame
        The cleaning audit (see :func:`gigawatt.cleaning.clean_hourly`).
    sources : list of dict
        Per file: ``path``, ``format``, ``column`` used, ``first``/``last`` hour.
    """
    files = find_eia930_files(paths, ba)
    series, screens, sources = [], [], []
    for f in files:
        data, meta = read_eia930(f, ba=ba)
        col = pick_demand(data, demand)
        s = data[col].rename("demand_mw")
        series.append(s)
        # a file's own cleaned column is not screened again (only its gaps are filled)
        screens.append(pd.Series(col != "demand_cleaned_mw", index=s.index))
        sources.append({"path": str(f), "format": meta["format"], "column": meta["source_columns"][col],
                        "first": str(s.index[0]), "last": str(s.index[-1])})
    cleaned, audit = study_demand(series, screens, ba, first_year=first_year, last_year=last_year, tz=tz,
                                  rules=rules)
    return cleaned, audit, sources


__all__ = ["load_demand"]
