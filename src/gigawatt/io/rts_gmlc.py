"""Reader for the RTS-GMLC source data folder, and its conversion to a gigawatt system.

RTS-GMLC: the Reliability Test System of the Grid Modernization Laboratory
Consortium (Barrows et al., "The IEEE Reliability Test System: A Proposed 2019
Update", IEEE Trans. Power Syst. 35(1), 2020, https://doi.org/10.1109/TPWRS.2019.2925557;
data https://github.com/GridMod/RTS-GMLC). Files used (``SourceData/``): ``bus.csv``
(bus -> area), ``gen.csv`` (units: PMax, FOR, MTTF, MTTR), ``branch.csv`` and
``dc_branch.csv`` (inter-area lines), ``storage.csv``, ``timeseries_pointers.csv``
(which unit or area takes which ``DAY_AHEAD`` hourly series) and the hourly series
in ``timeseries_data_files/``.

Conventions. The series are calendar 2020 (8784 hours), rows ``Year, Month, Day,
Period`` with ``Period`` 1..24. RTS-GMLC states no time zone; like the PRAS
``rts.pras`` file we label period ``p`` of day ``d`` as the UTC hour beginning
``d + (p - 1) h``. Regions are the areas ``"1"``, ``"2"``, ``"3"``. The pointers'
``Scaling Factor`` equals each series' maximum (2850 MW for every area load) and
is metadata: the files are already in MW and are used as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from gigawatt.errors import FileFormatError
from gigawatt.io._csv import parse_numbers, read_text_table, require_columns

#: Unit types that are not generators of energy for adequacy (synchronous condensers).
EXCLUDED_UNIT_TYPES = ("SYNC_COND",)
#: Unit types modelled as storage (``STORAGE``) or generator-storage (``CSP``).
STORAGE_UNIT_TYPES = ("STORAGE",)
GENSTOR_UNIT_TYPES = ("CSP",)


@dataclass(frozen=True)
class RTSGMLCData:
    """Plain-data description of an RTS-GMLC case (all power in MW, energy in MWh).

    Attributes
    ----------
    time_utc : pandas.DatetimeIndex
        Hour-beginning stamps (8784 for 2020).
    regions : tuple of str
        Area names.
    load_mw : pandas.DataFrame
        Hourly load per region [MW] (time x region).
    generators : pandas.DataFrame
        One row per generating unit (index ``GEN UID``): ``region``, ``category``,
        ``unit_type``, ``fuel``, ``pmax_mw``, ``mttf_h``, ``mttr_h``, ``forced_outage_rate``.
        Storage, CSP and synchronous condensers are not in it.
    capacity_mw : pandas.DataFrame
        Hourly available capacity per generator [MW] (time x unit): the unit's
        ``DAY_AHEAD`` ``PMax MW`` series (wind, PV, rooftop PV, hydro) or its PMax.
    storages : pandas.DataFrame
        Batteries: ``region``, ``category``, ``power_mw`` (charge = discharge),
        ``energy_mwh``, ``mttf_h``, ``mttr_h``.
    generatorstorages : pandas.DataFrame
        CSP with thermal storage: ``region``, ``category``, ``pmax_mw``, ``energy_mwh``,
        ``mttf_h``, ``mttr_h``.
    generatorstorage_inflow_mw : pandas.DataFrame
        Hourly natural inflow per generator-storage [MW] (time x unit).
    lines : pandas.DataFrame
        Inter-area branches (AC and DC): ``region_from``, ``region_to``, ``category``,
        ``rating_mw`` (continuous rating).
    interfaces : pandas.DataFrame
        Per pair of areas, the summed ``rating_mw`` of the lines between them.
    """

    time_utc: pd.DatetimeIndex
    regions: tuple
    load_mw: pd.DataFrame
    generators: pd.DataFrame
    capacity_mw: pd.DataFrame
    storages: pd.DataFrame
    generatorstorages: pd.DataFrame
    generatorstorage_inflow_mw: pd.DataFrame
    lines: pd.DataFrame
    interfaces: pd.DataFrame


def _table(path: Path, numeric: list[str], required: list[str] | None = None) -> pd.DataFrame:
    df = read_text_table(path)
    require_columns(df, path, (required or []) + numeric)
    out = df.copy()
    for c in numeric:
        out[c] = parse_numbers(df[c], path, c)
        if np.isnan(out[c]).any():
            i = int(np.flatnonzero(np.isnan(out[c].to_numpy()))[0])
            raise FileFormatError(path, "blank value where a number is required", line=int(df.index[i]), column=c)
    return out


def _series_file(folder: Path, rel: str) -> Path:
    """Resolve a pointer path such as ``../timeseries_data_files/HYDRO/x.csv`` case-insensitively."""
    p = (folder / "SourceData" / rel).resolve()
    if p.exists():
        return p
    base = folder / "timeseries_data_files"
    parts = Path(rel).parts[2:] if rel.startswith("..") else Path(rel).parts
    cur = base
    for part in parts:
        match = [c for c in cur.iterdir() if c.name.lower() == part.lower()] if cur.is_dir() else []
        if not match:
            raise FileFormatError(folder / "SourceData" / "timeseries_pointers.csv",
                                  f"time series file {rel!r} not found under {base}")
        cur = match[0]
    return cur


def _read_series(path: Path) -> pd.DataFrame:
    """An hourly RTS-GMLC series file -> frame indexed by UTC hour beginning, one column per object."""
    df = read_text_table(path)
    require_columns(df, path, ["Year", "Month", "Day", "Period"])
    ymdp = {c: parse_numbers(df[c], path, c) for c in ("Year", "Month", "Day", "Period")}
    for c, x in ymdp.items():
        if np.isnan(x).any():
            i = int(np.flatnonzero(np.isnan(x))[0])
            raise FileFormatError(path, "blank value where a number is required", line=int(df.index[i]), column=c)
    if (ymdp["Period"] < 1).any() or (ymdp["Period"] > 24).any():
        i = int(np.flatnonzero((ymdp["Period"] < 1) | (ymdp["Period"] > 24))[0])
        raise FileFormatError(path, "Period must be 1..24 in an hourly (DAY_AHEAD) file", line=int(df.index[i]),
                              column="Period")
    try:
        day = pd.to_datetime(pd.DataFrame({"year": ymdp["Year"], "month": ymdp["Month"], "day": ymdp["Day"]}))
    except (ValueError, OverflowError) as exc:
        raise FileFormatError(path, f"invalid Year/Month/Day ({exc})") from None
    t = pd.DatetimeIndex(day + pd.to_timedelta(ymdp["Period"] - 1, unit="h"), name="time_utc").tz_localize("UTC")
    cols = [c for c in df.columns if c not in ("Year", "Month", "Day", "Period")]
    out = pd.DataFrame({c: parse_numbers(df[c], path, c) for c in cols}, index=t)
    if not out.index.is_unique:
        raise FileFormatError(path, f"repeated hour {out.index[out.index.duplicated()][0]}")
    return out


def read_rts_gmlc(folder) -> RTSGMLCData:
    """Read an RTS-GMLC folder (``SourceData/`` and ``timeseries_data_files/``).

    Parameters
    ----------
    folder : path-like
        The RTS-GMLC root folder.

    Returns
    -------
    RTSGMLCData
    """
    folder = Path(folder)
    src = folder / "SourceData"
    if not src.is_dir():
        raise FileFormatError(folder, "not an RTS-GMLC folder: no SourceData/ inside")
    bus = _table(src / "bus.csv", ["Bus ID", "Area"])
    area_of = dict(zip(bus["Bus ID"].astype(int), bus["Area"].astype(int).astype(str), strict=True))
    regions = tuple(sorted(set(area_of.values()), key=int))
    gen = _table(src / "gen.csv", ["Bus ID", "PMax MW", "FOR", "MTTF Hr", "MTTR Hr"],
                 ["GEN UID", "Unit Type", "Category", "Fuel"])
    gen = gen.set_index("GEN UID")
    gen["region"] = [area_of.get(int(b)) for b in gen["Bus ID"]]
    if gen["region"].isna().any():
        raise FileFormatError(src / "gen.csv", f"unit {gen.index[gen['region'].isna()][0]} on an unknown bus")
    ptr = read_text_table(src / "timeseries_pointers.csv")
    require_columns(ptr, src / "timeseries_pointers.csv", ["Simulation", "Category", "Object", "Parameter", "Data File"])
    ptr = ptr[ptr["Simulation"] == "DAY_AHEAD"]
    cache: dict[Path, pd.DataFrame] = {}

    def series(obj: str, param: str, category: str, column: str | None = None):
        row = ptr[(ptr["Object"] == obj) & (ptr["Parameter"] == param) & (ptr["Category"] == category)]
        if row.empty:
            return None
        f = _series_file(folder, row["Data File"].iloc[0])
        if f not in cache:
            cache[f] = _read_series(f)
        col = next((c for c in (obj, column) if c in cache[f].columns), None)
        if col is None:
            raise FileFormatError(f, f"no column for {obj!r} named in timeseries_pointers.csv", line=1)
        return cache[f][col]

    load = pd.DataFrame({r: series(r, "MW Load", "Area") for r in regions})
    if load.isna().any().any():
        raise FileFormatError(src / "timeseries_pointers.csv", "an area has no DAY_AHEAD 'MW Load' series")
    time_utc = load.index

    kind = gen["Unit Type"]
    units = gen[~kind.isin(EXCLUDED_UNIT_TYPES + STORAGE_UNIT_TYPES + GENSTOR_UNIT_TYPES)]
    generators = pd.DataFrame({
        "region": units["region"], "category": units["Category"], "unit_type": units["Unit Type"],
        "fuel": units["Fuel"], "pmax_mw": units["PMax MW"], "mttf_h": units["MTTF Hr"],
        "mttr_h": units["MTTR Hr"], "forced_outage_rate": units["FOR"],
    })
    caps = {}
    for uid, pmax in generators["pmax_mw"].items():
        s = series(uid, "PMax MW", "Generator")
        caps[uid] = s.reindex(time_utc).to_numpy() if s is not None else np.full(len(time_utc), pmax)
    capacity = pd.DataFrame(caps, index=time_utc)

    st = _table(src / "storage.csv", ["Max Volume GWh", "Rating MVA"], ["GEN UID", "position"])
    st = st[st["position"].str.strip() == "head"].set_index("GEN UID")
    st_name = read_text_table(src / "storage.csv")
    st_name = dict(zip(st_name["GEN UID"], st_name["Storage"], strict=True)) if "Storage" in st_name else {}
    bat = gen[kind.isin(STORAGE_UNIT_TYPES)]
    storages = pd.DataFrame({
        "region": bat["region"], "category": bat["Category"], "power_mw": bat["PMax MW"],
        "energy_mwh": [1000.0 * st.loc[u, "Max Volume GWh"] for u in bat.index],
        "mttf_h": bat["MTTF Hr"], "mttr_h": bat["MTTR Hr"],
    })
    csp = gen[kind.isin(GENSTOR_UNIT_TYPES)]
    genstor = pd.DataFrame({
        "region": csp["region"], "category": csp["Category"], "pmax_mw": csp["PMax MW"],
        "energy_mwh": [1000.0 * st.loc[u, "Max Volume GWh"] for u in csp.index],
        "mttf_h": csp["MTTF Hr"], "mttr_h": csp["MTTR Hr"],
    })
    inflow = {}
    for u in csp.index:
        # the pointer names the head storage (212_CSP_HEAD_STORAGE); the file column is the unit (212_CSP_1)
        s_in = series(st_name.get(u, u), "Natural_Inflow", "Generator", column=u)
        inflow[u] = s_in.reindex(time_utc).to_numpy() if s_in is not None else np.zeros(len(time_utc))
    inflow = pd.DataFrame(inflow, index=time_utc)

    br = _table(src / "branch.csv", ["From Bus", "To Bus", "Cont Rating"], ["UID"])
    rows = []
    for _, b in br.iterrows():
        a, z = area_of[int(b["From Bus"])], area_of[int(b["To Bus"])]
        if a != z:
            rows.append((b["UID"], a, z, "Interregion_AC", float(b["Cont Rating"])))
    dc_path = src / "dc_branch.csv"
    if dc_path.exists():
        dc = _table(dc_path, ["From Bus", "To Bus", "MW Load"], ["UID"])
        for _, b in dc.iterrows():
            a, z = area_of[int(b["From Bus"])], area_of[int(b["To Bus"])]
            if a != z:
                rows.append((b["UID"], a, z, "Interregion_DC", float(b["MW Load"])))
    lines = pd.DataFrame(rows, columns=["name", "region_from", "region_to", "category", "rating_mw"]).set_index("name")
    key = lines.apply(lambda r: tuple(sorted((r["region_from"], r["region_to"]), key=int)), axis=1)
    interfaces = (lines.assign(pair=key).groupby("pair")["rating_mw"].sum().rename_axis("pair").reset_index())
    interfaces[["region_from", "region_to"]] = pd.DataFrame(interfaces["pair"].tolist(), index=interfaces.index)
    interfaces = interfaces[["region_from", "region_to", "rating_mw"]]
    return RTSGMLCData(time_utc, regions, load, generators, capacity, storages, genstor, inflow, lines, interfaces)


def _per_hour(mttx_h) -> tuple[np.ndarray, np.ndarray]:
    """(failure, repair) probabilities per hour from MTTF/MTTR [h]: 1/MTTF, 1/MTTR; 0/1 where absent.

    Source: sources.md F2 (two-state Markov units, lambda = 1/MTTF, mu = 1/MTTR).
    """
    mttf, mttr = (np.asarray(x, dtype=float) for x in mttx_h)
    fail = np.where(mttf > 0, 1.0 / np.where(mttf > 0, mttf, 1.0), 0.0)
    rep = np.where(mttr > 0, 1.0 / np.where(mttr > 0, mttr, 1.0), 1.0)
    return fail, rep


def rts_gmlc_system(folder):
    """Build a :class:`gigawatt.system.SystemModel` of RTS-GMLC (3 regions, 2020 hourly).

    Generators: every unit but storage, CSP and synchronous condensers, with hourly
    capacity from :func:`read_rts_gmlc`; failure probability 1/MTTF and repair
    probability 1/MTTR per hour (0 and 1 for units without outage data: wind, PV,
    rooftop PV). Storage: the 313 battery (charge = discharge = PMax, efficiencies 1).
    Generator-storage: the CSP plant (grid injection = PMax, no grid withdrawal, the
    natural-inflow series as inflow). Lines: the inter-area AC and DC branches at
    their continuous rating, both directions. Interfaces: per pair of areas, the sum
    of its lines' ratings.

    Parameters
    ----------
    folder : path-like
        RTS-GMLC root folder.

    Returns
    -------
    gigawatt.system.SystemModel

    Notes
    -----
    ``n_periods`` is passed to every component because the components of
    ``gigawatt.system`` need it when all their arrays are per unit (not per hour).
    """
    from gigawatt.system import (
        GeneratorStorages,
        Generators,
        Interfaces,
        Lines,
        Regions,
        Storages,
        SystemModel,
        TimeAxis,
    )

    d = read_rts_gmlc(folder)
    t = len(d.time_utc)
    timeaxis = TimeAxis(start=d.time_utc[0].strftime("%Y-%m-%dT%H:%M:%SZ"), step_h=1.0, n_periods=t)
    regions = Regions(names=list(d.regions), load_mw=d.load_mw[list(d.regions)].to_numpy().T.copy())
    g = d.generators
    gf, gr = _per_hour((g["mttf_h"], g["mttr_h"]))
    generators = Generators(names=list(g.index), categories=list(g["category"]), regions=list(g["region"]),
                            capacity_mw=d.capacity_mw[list(g.index)].to_numpy().T.copy(),
                            failure_prob=gf, repair_prob=gr, n_periods=t)
    s = d.storages
    sf, sr = _per_hour((s["mttf_h"], s["mttr_h"]))
    storages = Storages(names=list(s.index), categories=list(s["category"]), regions=list(s["region"]),
                        charge_mw=s["power_mw"].to_numpy(), discharge_mw=s["power_mw"].to_numpy(),
                        energy_mwh=s["energy_mwh"].to_numpy(), failure_prob=sf, repair_prob=sr,
                        n_periods=t)
    c = d.generatorstorages
    cf, cr = _per_hour((c["mttf_h"], c["mttr_h"]))
    genstor = GeneratorStorages(names=list(c.index), categories=list(c["category"]), regions=list(c["region"]),
                                charge_mw=c["pmax_mw"].to_numpy(), discharge_mw=c["pmax_mw"].to_numpy(),
                                energy_mwh=c["energy_mwh"].to_numpy(),
                                inflow_mw=d.generatorstorage_inflow_mw[list(c.index)].to_numpy().T.copy(),
                                grid_injection_mw=c["pmax_mw"].to_numpy(), grid_withdrawal_mw=np.zeros(len(c)),
                                failure_prob=cf, repair_prob=cr, n_periods=t)
    i = d.interfaces
    interfaces = Interfaces(regions_from=list(i["region_from"]), regions_to=list(i["region_to"]),
                            forward_mw=i["rating_mw"].to_numpy(), backward_mw=i["rating_mw"].to_numpy(),
                            n_periods=t)
    ln = d.lines
    lines = Lines(names=list(ln.index), categories=list(ln["category"]), regions_from=list(ln["region_from"]),
                  regions_to=list(ln["region_to"]), forward_mw=ln["rating_mw"].to_numpy(),
                  backward_mw=ln["rating_mw"].to_numpy(), n_periods=t)
    return SystemModel(timeaxis, regions, generators, storages=storages, generatorstorages=genstor,
                       interfaces=interfaces, lines=lines)
