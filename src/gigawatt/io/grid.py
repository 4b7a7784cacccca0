"""Read a grid description (TOML) into a :class:`~gigawatt.systems.grid.GridDescription`; the embedded grids.

The format is documented in docs/grids.md. Every error names the file and the field as a path
(``classes[2].efor``) with the value and what was expected; a weather CSV's errors name its line.
The embedded descriptions (``ercot``, ``tva``) are package data (``gigawatt/data/<name>.toml``) with
their weather years in ``gigawatt/data/<name>_weather_years.npz`` (built by
tools/build_grid_weather_years.py from EIA-930).
"""

from __future__ import annotations

import math
import re
import tomllib
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from gigawatt.constants import STANDARD_LOLE_D
from gigawatt.errors import FileFormatError, InputError
from gigawatt.io import _fields as fx
from gigawatt.systems.grid import (HOURS, KINDS, GridClass, GridDescription, Interface, Replay, Site, Source,
                                   Zone)
from gigawatt.systems.pjm_description import PJMModel, embedded, is_pjm_model, parse_pjm_model
from gigawatt.systems.pjm_description import only_keys as _keys
from gigawatt.systems.pjm_description import table_field as _t

#: the grids described in the package: name -> description file in gigawatt/data
EMBEDDED = ("ercot", "tva")
_TOP = {"grid", "weather", "forecast", "capacity", "standard", "cold", "heat", "demand_response", "data_centers",
        "zones", "interfaces", "classes", "sites", "replays", "sources", "policies"}
_MW = (0.0, fx.MAX_OUTLOOK_MW)


def embedded_path(name: str):
    """The package's description file of an embedded grid (``ercot``, ``tva``)."""
    if name not in EMBEDDED:
        raise InputError(f"grid: unknown grid {name!r}; expected one of {list(EMBEDDED)} or a .toml file")
    return resources.files("gigawatt") / "data" / f"{name}.toml"


def read_grid_description(path) -> GridDescription | PJMModel:
    """Read a grid description TOML file: a :class:`GridDescription` (built by
    :func:`gigawatt.systems.grid.build_grid`), or with ``[grid] model = "pjm"`` a
    :class:`~gigawatt.systems.pjm_description.PJMModel` (built by the PJM model; docs/grids.md).

    Raises
    ------
    FileFormatError
        Unreadable or malformed TOML, or an invalid field (the message names the file and the field).
    """
    p = Path(str(path))
    doc = load_toml(p)
    try:
        if is_pjm_model(doc):
            return parse_pjm_model(doc, p)
        return parse_grid_description(doc, p)
    except InputError as exc:
        raise FileFormatError(p, str(exc)) from None


def load_grid(name_or_path) -> GridDescription | PJMModel:
    """An embedded grid by name (``ercot``, ``tva``; ``pjm``: the embedded PJM model) or a description file."""
    s = str(name_or_path)
    if s == "pjm":
        return embedded()
    if s in EMBEDDED:
        with resources.as_file(embedded_path(s)) as p:
            return read_grid_description(p)
    return read_grid_description(s)


def outlook_for(desc, years: tuple):
    """The outlook of a description over study ``years``: :class:`gigawatt.grids.GridOutlook`, or for a PJM
    model :meth:`gigawatt.outlook.OutlookAssumptions.from_model`."""
    if isinstance(desc, PJMModel):
        from gigawatt.outlook import OutlookAssumptions

        return OutlookAssumptions.from_model(desc, years=tuple(years))
    from gigawatt.grids import GridOutlook

    return GridOutlook(desc, years=tuple(years))


def grid_year(spec: str):
    """(grid outlook, study year) of an embedded name ``ercot-YYYY`` or ``tva-YYYY``; None for other names."""
    m = re.fullmatch(r"(ercot|tva)-(\d{4})", str(spec))
    if not m:
        return None
    from gigawatt.grids import GridOutlook

    year = int(m.group(2))
    return GridOutlook(load_grid(m.group(1)), years=(year,)), year


def grid_system(spec: str):
    """The plain system of ``ercot-YYYY`` / ``tva-YYYY``: the grid of that year with its data centers as load."""
    got = grid_year(spec)
    if got is None:
        raise InputError(f"system: expected ercot-YYYY or tva-YYYY, got {spec!r}")
    outlook, year = got
    return outlook.system(year)


#: largest description file read [bytes] (a description with a hundred classes is ~30 kB)
MAX_DESCRIPTION_BYTES = 1_000_000


def load_toml(path: Path) -> dict:
    """The parsed TOML at ``path``; :class:`FileFormatError` naming the file when it cannot be read or parsed.
    (Not :func:`gigawatt.io.scenario.load_toml`: the scenario reader resolves systems, which resolve grids.)"""
    try:
        if not path.is_file():
            raise FileFormatError(path, "no such file, or not a regular file; expected a grid description (.toml)")
        if path.stat().st_size > MAX_DESCRIPTION_BYTES:
            raise FileFormatError(path, f"is larger than {MAX_DESCRIPTION_BYTES:,} bytes; expected a grid description")
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise FileFormatError(path, f"cannot read as UTF-8 text: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise FileFormatError(path, f"not valid TOML: {exc}") from None
    except RecursionError:
        raise FileFormatError(path, "not valid TOML: nested too deeply") from None


# ----------------------------------------------------------------------------------------- fields
def _num(t: dict, key: str, where: str, default=None, lo=-fx.MAX_NUMBER, hi=fx.MAX_NUMBER, allow_inf=False) -> float:
    if key not in t:
        if default is None:
            raise InputError(f"{where}{key}: missing")
        return default
    return fx.number(t[key], f"{where}{key}", lo=lo, hi=hi, allow_inf=allow_inf)


def _additions(cp: dict, classes) -> dict:
    """``[capacity] additions``: the classes that new capacity goes to, as shares summing to 1 ({}: every
    class in proportion to its base-year capacity)."""
    mix = cp.get("additions", {})
    if not isinstance(mix, dict):
        raise InputError(f"capacity.additions: expected a table of class = share, got {type(mix).__name__}")
    names = {c.name for c in classes}
    out = {}
    for name, v in mix.items():
        if name not in names:
            raise InputError(f"capacity.additions.{name}: not a class of the description; expected some of "
                             f"{sorted(names)}")
        out[name] = fx.number(v, f"capacity.additions.{name}", lo=0.0, hi=1.0)
    if out and abs(sum(out.values()) - 1.0) > 1e-6:
        raise InputError(f"capacity.additions: the shares sum to {sum(out.values()):g}, expected 1")
    return out


def _standard(st: dict) -> float:
    """The reliability standard [day/yr]: the decision tests 0.1 day/yr (1 day in 10 years) only, so any
    other value is refused rather than read and ignored."""
    v = _num(st, "lole_d_per_year", "standard.", lo=0.0, hi=365.0)
    if v != STANDARD_LOLE_D:
        raise InputError(f"standard.lole_d_per_year: the decision tests {STANDARD_LOLE_D:g} day/yr (1 day in 10 "
                         f"years) only, got {v:g}")
    return v


def _str(t: dict, key: str, where: str, default=None, choices=None) -> str:
    if key not in t:
        if default is None:
            raise InputError(f"{where}{key}: missing")
        return default
    return fx.text(t[key], f"{where}{key}", choices=choices)


def _years(t: dict, key: str, where: str, check) -> dict:
    x = t.get(key, {})
    if not isinstance(x, dict):
        raise InputError(f"{where}{key}: expected a table of year = value, got {x!r}")
    out = {}
    for y, v in x.items():
        if not re.fullmatch(r"\d{4}", str(y)):
            raise InputError(f"{where}{key}.{y}: expected a year (YYYY) as key")
        out[int(y)] = check(v, f"{where}{key}.{y}")
    return out


def _list(doc: dict, key: str, required: bool = True) -> list:
    x = doc.get(key, [])
    if not isinstance(x, list) or not all(isinstance(e, dict) for e in x):
        raise InputError(f"{key}: expected an array of tables ([[{key}]])")
    if required and not x:
        raise InputError(f"{key}: expected at least one [[{key}]]")
    return x


def _src(t: dict, where: str, sources: dict) -> str:
    """A ``source`` key: ids of [sources] separated by commas (every one must exist), or ``[est] ...``."""
    s = _str(t, "source", where)
    if s.startswith("[est]"):
        return s
    for sid in re.findall(r"[A-Za-z][\w-]*", s.split(";")[0]):
        if sid not in sources:
            raise InputError(f"{where}source: unknown source id {sid!r}; expected some of {sorted(sources)} "
                             "or a text starting with [est]")
    return s


def _shares(x, where: str, zones: tuple) -> dict:
    if isinstance(x, (int, float)) and not isinstance(x, bool) and len(zones) == 1:
        return {zones[0]: fx.number(x, where, lo=0.0, hi=1.0)}
    if not isinstance(x, dict):
        raise InputError(f"{where}: expected a table zone = share, got {x!r}")
    out = {}
    for z, v in x.items():
        if z not in zones:
            raise InputError(f"{where}.{z}: unknown zone; expected some of {list(zones)}")
        out[z] = fx.number(v, f"{where}.{z}", lo=0.0, hi=1.0)
    if abs(sum(out.values()) - 1.0) > 1e-6:
        raise InputError(f"{where}: shares must add up to 1, got {sum(out.values()):.6g}")
    return out


# ------------------------------------------------------------------------------------------ parse
def parse_grid_description(doc: dict, path: Path | None = None) -> GridDescription:
    """A :class:`GridDescription` from a parsed TOML document (``path``: where relative files are)."""
    g = doc.get("grid")
    if isinstance(g, dict) and "model" in g:  # the builder first: a PJM model's sections are not this format's
        _str(g, "model", "grid.", choices={"classes", "pjm"})
    _keys(doc, _TOP, "")
    base = path.parent if path is not None else Path(".")
    sources = {}
    for sid, s in _t(doc, "sources").items():
        w = f"sources.{sid}."
        if not isinstance(s, dict):
            raise InputError(f"sources.{sid}: expected a table")
        _keys(s, {"title", "publisher", "date", "url", "kind"}, w)
        sources[sid] = Source(sid, _str(s, "title", w), _str(s, "publisher", w), _str(s, "date", w),
                              _str(s, "url", w), _str(s, "kind", w, choices={"primary", "secondary"}))
    g = _t(doc, "grid")
    _keys(g, {"name", "title", "day_utc_offset_h", "timezone", "people_served", "model", "source"}, "grid.")
    name = _str(g, "name", "grid.")
    if not re.fullmatch(r"[a-z][a-z0-9_-]{0,30}", name):
        raise InputError(f"grid.name: expected lower-case letters, digits, - or _ (at most 31), got {name!r}")
    offset = _num(g, "day_utc_offset_h", "grid.", lo=-12, hi=14)
    tz = _str(g, "timezone", "grid.", "UTC")
    try:
        pd.Timestamp("2020-01-01", tz=tz)
    except Exception:  # pandas raises a different class per time-zone backend
        raise InputError(f"grid.timezone: expected an IANA time zone such as 'America/Chicago', got {tz!r}") from None
    zones_t = _list(doc, "zones")
    zones = []
    for i, z in enumerate(zones_t):
        w = f"zones[{i}]."
        _keys(z, {"name", "load_share", "source"}, w)
        zones.append(Zone(_str(z, "name", w), _num(z, "load_share", w, lo=0.0, hi=1.0)))
    zn = tuple(z.name for z in zones)
    if len(set(zn)) != len(zn):
        raise InputError("zones: zone names must differ")
    if abs(sum(z.load_share for z in zones) - 1.0) > 1e-6:
        raise InputError(f"zones: load_share must add up to 1, got {sum(z.load_share for z in zones):.6g}")
    inter = []
    for i, f in enumerate(_list(doc, "interfaces", required=False)):
        w = f"interfaces[{i}]."
        _keys(f, {"from", "to", "limit_mw", "source"}, w)
        a, b = _str(f, "from", w, choices=set(zn)), _str(f, "to", w, choices=set(zn))
        if a == b:
            raise InputError(f"{w}to: expected a zone other than from ({a!r}), got {b!r}")
        inter.append(Interface(a, b, _num(f, "limit_mw", w, lo=0.0, hi=fx.MAX_OUTLOOK_MW)))
        _src(f, w, sources)
    classes = []
    for i, c in enumerate(_list(doc, "classes")):
        w = f"classes[{i}]."
        _keys(c, {"name", "kind", "icap_mw", "efor", "mttr_h", "unit_mw", "planned_frac", "cold_extra", "hot_derate",
                  "common_mode", "elcc", "profile_scale", "storage_h", "zones", "source"}, w)
        kind = _str(c, "kind", w, choices=set(KINDS))
        cm = c.get("common_mode", False)
        if not isinstance(cm, bool):
            raise InputError(f"{w}common_mode: expected true or false, got {cm!r}")
        zs = _shares(c.get("zones", 1.0), f"{w}zones", zn)
        classes.append(GridClass(
            _str(c, "name", w), kind, _num(c, "icap_mw", w, lo=0.0, hi=fx.MAX_OUTLOOK_MW),
            efor=_num(c, "efor", w, 0.0, lo=0.0, hi=0.95), mttr_h=_num(c, "mttr_h", w, 1.0, lo=1.0, hi=8760.0),
            unit_mw=_num(c, "unit_mw", w, 1.0, lo=1e-3, hi=fx.MAX_OUTLOOK_MW),
            planned_frac=_num(c, "planned_frac", w, 0.0, lo=0.0, hi=0.5),
            cold_extra=_num(c, "cold_extra", w, 0.0, lo=0.0, hi=0.95),
            hot_derate=_num(c, "hot_derate", w, 0.0, lo=0.0, hi=0.5), common_mode=cm,
            elcc=_num(c, "elcc", w, 1.0, lo=0.0, hi=1.0), profile_scale=_num(c, "profile_scale", w, 1.0, lo=0.0, hi=10.0),
            storage_h=_num(c, "storage_h", w, 4.0, lo=0.1, hi=1000.0), zones=zs, source=_src(c, w, sources)))
        if kind == "thermal" and "efor" not in c:
            raise InputError(f"{w}efor: missing (a thermal class needs its forced-outage rate)")
    names = [c.name for c in classes]
    if len(set(names)) != len(names):
        raise InputError("classes: class names must differ")
    if sum(c.icap_mw for c in classes) <= 0:
        raise InputError("classes: the fleet has no capacity")
    wt = _t(doc, "weather")
    _keys(wt, {"package", "csv", "years", "note", "source"}, "weather.")
    shapes = _weather(wt, base, offset)
    wy = wt.get("years", sorted(shapes))
    if not isinstance(wy, list) or not wy:
        raise InputError("weather.years: expected a list of weather years")
    for j, y in enumerate(wy):
        if y not in shapes:
            raise InputError(f"weather.years[{j}]: {y!r} is not a weather year of the data "
                             f"({', '.join(map(str, sorted(shapes)))})")
    fx.at_most(len(wy), "weather.years", fx.MAX_WEATHER_YEARS, what="a number of weather years")
    fc = _t(doc, "forecast")
    _keys(fc, {"base_year", "peak_mw", "peak_growth_per_yr", "note", "source"}, "forecast.")
    base_year = fx.whole(fc.get("base_year"), "forecast.base_year", lo=2015, hi=2060)
    _src(fc, "forecast.", sources)
    cp = _t(doc, "capacity")
    _keys(cp, {"net_additions_mw_per_year", "reserve_margin_target", "additions", "source"}, "capacity.")
    _src(cp, "capacity.", sources)
    st = _t(doc, "standard")
    _keys(st, {"lole_d_per_year", "note", "source"}, "standard.")
    _src(st, "standard.", sources)
    cold = _t(doc, "cold")
    _keys(cold, {"scale", "signal", "level_start", "level_full", "block_mw", "block_share", "source"}, "cold.")
    lo_ = _num(cold, "level_start", "cold.", 1.1, lo=0.5, hi=3.0)
    hi_ = _num(cold, "level_full", "cold.", 1.4, lo=0.5, hi=3.0)
    if hi_ <= lo_:
        raise InputError(f"cold.level_full: expected more than cold.level_start ({lo_:g}), got {hi_:g}")
    _src(cold, "cold.", sources)
    heat = _t(doc, "heat", required=False)
    _keys(heat, {"extra_outage", "source"}, "heat.")
    dr = _t(doc, "demand_response", required=False)
    _keys(dr, {"mw", "max_hours_per_year", "max_event_h", "source"}, "demand_response.")
    dcs = _t(doc, "data_centers")
    _keys(dcs, {"mw", "growth_mw_per_year", "zones", "source"}, "data_centers.")
    _src(dcs, "data_centers.", sources)
    sites = []
    for i, s in enumerate(_list(doc, "sites", required=False)):
        w = f"sites[{i}]."
        _keys(s, {"name", "zone", "mw", "megapacks", "turbines_mw", "source"}, w)
        sites.append(Site(_str(s, "name", w), _str(s, "zone", w, choices=set(zn)),
                          _years(s, "mw", w, lambda v, p: fx.number(v, p, lo=0.0, hi=fx.MAX_OUTLOOK_MW)),
                          megapacks=fx.whole(s.get("megapacks", 0), f"{w}megapacks", lo=0, hi=fx.MAX_BATTERY_UNITS),
                          turbines_mw=_num(s, "turbines_mw", w, 0.0, lo=0.0, hi=fx.MAX_OUTLOOK_MW),
                          source=_src(s, w, sources)))
    replays = []
    for i, r in enumerate(_list(doc, "replays", required=False)):
        w = f"replays[{i}]."
        _keys(r, {"name", "start_local", "hours", "published_mw", "what", "source"}, w)
        start = _str(r, "start_local", w)
        try:
            pd.Timestamp(start)
        except ValueError:
            raise InputError(f"{w}start_local: expected YYYY-MM-DD HH:MM (local standard time), got {start!r}") from None
        replays.append(Replay(_str(r, "name", w), start, fx.whole(r.get("hours", 1), f"{w}hours", lo=1, hi=720),
                              _num(r, "published_mw", w, math.nan, lo=0.0, hi=fx.MAX_OUTLOOK_MW),
                              _str(r, "what", w, ""), _src(r, w, sources)))
    pol = _t(doc, "policies", required=False)
    notes = {str(k): fx.text(v, f"policies.{k}") for k, v in pol.items()}
    desc = GridDescription(
        name=name, title=_str(g, "title", "grid."), path=str(path) if path is not None else None,
        day_utc_offset_h=offset, timezone=tz,
        people_served=_num(g, "people_served", "grid.", lo=1.0), zones=tuple(zones), interfaces=tuple(inter),
        classes=tuple(classes), weather_years=tuple(int(y) for y in wy), shapes=shapes,
        weather_note=_str(wt, "note", "weather.", ""), base_year=base_year,
        peak_mw=_num(fc, "peak_mw", "forecast.", lo=1.0, hi=fx.MAX_OUTLOOK_MW),
        peak_growth_per_yr=_num(fc, "peak_growth_per_yr", "forecast.", lo=-0.5, hi=1.0),
        energy_note=_str(fc, "note", "forecast.", ""),
        net_additions_mw_per_year=_num(cp, "net_additions_mw_per_year", "capacity.", 0.0, lo=-fx.MAX_OUTLOOK_MW,
                                       hi=fx.MAX_OUTLOOK_MW),
        reserve_margin_target=_num(cp, "reserve_margin_target", "capacity.", lo=-0.5, hi=10.0),
        additions_mix=_additions(cp, classes),
        standard_lole_d=_standard(st),
        standard_note=_str(st, "note", "standard.", ""),
        cold_scale=_num(cold, "scale", "cold.", lo=0.0, hi=5.0),
        cold_signal=_str(cold, "signal", "cold.", "pjm", choices={"pjm", "level"}), cold_level_start=lo_,
        cold_level_full=hi_,
        cold_block_mw=_num(cold, "block_mw", "cold.", 1000.0, lo=1.0, hi=fx.MAX_OUTLOOK_MW),
        cold_block_share=_num(cold, "block_share", "cold.", 0.0, lo=0.0, hi=1.0),
        heat_extra_outage=_num(heat, "extra_outage", "heat.", 0.0, lo=0.0, hi=0.5),
        demand_response_mw=_num(dr, "mw", "demand_response.", 0.0, lo=0.0, hi=fx.MAX_OUTLOOK_MW),
        dr_max_hours_per_year=_num(dr, "max_hours_per_year", "demand_response.", math.inf, lo=0.0, hi=8760.0,
                                   allow_inf=True),
        dr_max_event_h=_num(dr, "max_event_h", "demand_response.", math.inf, lo=1.0, hi=8760.0, allow_inf=True),
        dc_mw_by_year=_years(dcs, "mw", "data_centers.", lambda v, p: fx.number(v, p, lo=0.0, hi=fx.MAX_OUTLOOK_MW)),
        dc_growth_mw_per_year=_num(dcs, "growth_mw_per_year", "data_centers.", 0.0, lo=0.0, hi=fx.MAX_OUTLOOK_MW),
        dc_zone_shares=_shares(dcs.get("zones", 1.0), "data_centers.zones", zn),
        sites=tuple(sites), replays=tuple(replays), sources=sources, policy_notes=notes)
    for i, r in enumerate(desc.replays):
        try:
            desc.hour_of(r.start_local)
        except InputError:
            raise InputError(f"replays[{i}].start_local: {r.start_local} is not in a weather year of the grid "
                             f"({', '.join(map(str, sorted(shapes)))})") from None
        y, h = desc.hour_of(r.start_local)
        if h + r.hours > HOURS:  # an event is counted inside one weather year (the next one is another year's)
            raise InputError(f"replays[{i}].hours: {r.hours} h from {r.start_local} run past the end of weather "
                             f"year {y} ({HOURS - h} h left)")
    return desc


def _weather(wt: dict, base: Path, offset: float) -> dict:
    """Weather year -> (8760,) load relative to its annual mean, from the package's npz or a CSV."""
    if ("package" in wt) == ("csv" in wt):
        raise InputError("weather: expected one of package = \"<file>.npz\" (package data) or csv = \"<file>\"")
    if "package" in wt:
        f = fx.text(wt["package"], "weather.package")
        if not re.fullmatch(r"[a-z0-9_]+\.npz", f):
            raise InputError(f"weather.package: expected a package data file name (<name>.npz), got {f!r}")
        res = resources.files("gigawatt") / "data" / f
        if not res.is_file():
            raise InputError(f"weather.package: no package data file {f!r}")
        with resources.as_file(res) as p, np.load(p) as d:
            return {int(y): np.asarray(s, float) for y, s in zip(d["years"], d["shape"])}
    return read_weather_csv(base / fx.text(wt["csv"], "weather.csv"), offset)


#: an hour of a weather year above this many times the year's median load is refused as a spike in the data
#: (a grid's annual peak is 1.5-2 x its median: ERCOT's 2021 Uri demand, ~77 GW, 1.7 x)
SPIKE_OVER_MEDIAN = 4.0
#: an hour below this share of the year's median is refused as a dropout (a grid's minimum is ~0.5-0.6 x)
DROP_UNDER_MEDIAN = 0.1


def read_weather_csv(path: Path, offset: float) -> dict:
    """Hourly load from a CSV with columns ``time_utc`` (hour beginning, UTC) and ``load_mw``: every
    complete local-standard-time year becomes a weather year (29 Feb dropped), relative to its mean."""
    try:
        df = pd.read_csv(path)
    except FileNotFoundError:
        raise InputError(f"weather.csv: no file {str(path)!r}") from None
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise InputError(f"{path}: cannot read as CSV: {exc}") from None
    for col in ("time_utc", "load_mw"):
        if col not in df.columns:
            raise InputError(f"{path}: missing column {col!r}; expected time_utc, load_mw")
    t = pd.to_datetime(df["time_utc"], utc=True, errors="coerce")
    v = pd.to_numeric(df["load_mw"], errors="coerce")
    bad = t.isna() | v.isna() | ~np.isfinite(v.to_numpy(float)) | (v <= 0)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"{path}, line {i + 2}: expected a UTC time and a positive load in MW, got "
                         f"{df['time_utc'].iloc[i]!r}, {df['load_mw'].iloc[i]!r}")
    off_hour = (t.dt.minute != 0) | (t.dt.second != 0)
    if off_hour.any():
        i = int(np.flatnonzero(off_hour.to_numpy())[0])
        raise InputError(f"{path}, line {i + 2}: expected hourly data on the hour (hour beginning, UTC), got "
                         f"{df['time_utc'].iloc[i]!r}")
    s = pd.Series(v.to_numpy(float), index=t + pd.Timedelta(hours=offset))  # local standard time
    if s.index.duplicated().any():
        i = int(np.flatnonzero(s.index.duplicated())[0])
        raise InputError(f"{path}, line {i + 2}: duplicated hour {df['time_utc'].iloc[i]!r}")
    s = s.sort_index()
    out = {}
    for y in sorted(set(s.index.year)):
        idx = pd.date_range(f"{y}-01-01", periods=8784 if pd.Timestamp(f"{y}-01-01").is_leap_year else HOURS,
                            freq="h", tz="UTC")
        have = idx.isin(s.index) | ((idx.month == 2) & (idx.day == 29))  # 29 Feb is dropped: it may be absent
        if not have.all():
            if s.index[0] <= idx[0] and s.index[-1] >= idx[-1]:  # inside the file's span: hours missing, not cut
                raise InputError(f"{path}: {y} misses {int((~have).sum())} hour(s) of load, the first "
                                 f"{idx[~have][0].strftime('%Y-%m-%d %H:00')} local standard time (UTC{offset:+g} h); "
                                 "fill them (a year the file only begins or ends in is left out)")
            continue  # a year the file begins or ends in: not a weather year
        x = s.reindex(idx)
        if len(idx) == 8784:
            x = x[~((x.index.month == 2) & (x.index.day == 29))]
        arr = x.to_numpy(float)
        med = float(np.median(arr))
        odd = (arr > SPIKE_OVER_MEDIAN * med) | (arr < DROP_UNDER_MEDIAN * med)
        if odd.any():
            i = int(np.flatnonzero(odd)[0])
            raise InputError(f"{path}: {y}, {x.index[i].strftime('%Y-%m-%d %H:00')} local standard time (UTC"
                             f"{offset:+g} h): {arr[i]:,.6g} MW against the year's median of {med:,.6g} MW, outside "
                             f"{DROP_UNDER_MEDIAN:g}-{SPIKE_OVER_MEDIAN:g} x the median: a spike or a dropout in the "
                             f"data, not weather; correct or fill that hour")
        out[y] = arr / arr.mean()
    if not out:
        raise InputError(f"{path}: no complete year of hourly load (local standard time, UTC{offset:+g} h)")
    return out


__all__ = ["EMBEDDED", "embedded_path", "grid_system", "grid_year", "load_grid", "outlook_for", "parse_grid_description", "read_grid_description",
           "read_weather_csv"]
