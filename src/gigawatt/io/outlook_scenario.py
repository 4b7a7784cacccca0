"""Read outlook scenario files (TOML) for ``gigawatt run SCENARIO.toml``.

An outlook scenario changes what a planner would change in the PJM-like outlook: study years,
the load trajectory, data-center load, capacity, the outage multiplier, weather years, demand
response, the policies compared and their sizes, and the rotating-outage parameters. Every key
is optional; what is left out keeps its default (``docs/guide.md`` has the reference). Every
error names the file and the field as a path (``data_centers.mw.2030``) with the expected value.
"""

from __future__ import annotations

import math
import re
from dataclasses import fields
from pathlib import Path

from gigawatt.datacenter.outages import RotationPolicy
from gigawatt.errors import FileFormatError, InputError
from gigawatt.io import _fields as fx
from gigawatt.io.scenario import _float, _table, load_toml
from gigawatt.outlook import ZONE_SETS, FIRST_STUDY_YEAR, LAST_STUDY_YEAR, OutlookAssumptions, OutlookScenario, PolicyParams

_TOP = {"name", "description", "run", "load", "data_centers", "capacity", "demand_response", "policies", "rotation"}
_RUN = {"samples", "seed", "first_year", "last_year", "zones"}
#: TOML key -> OutlookAssumptions field, by table
_FIELDS = {
    "load": {"weather_years": "weather_years", "forecast": "load_forecast", "peak_2025_mw": "peak_2025_mw",
             "peak_growth_per_yr": "peak_growth_per_yr", "peak_mw": "peak_mw_by_year", "forecast_sd": "load_forecast_sd"},
    "data_centers": {"growth_mw_per_year": "dc_growth_mw_per_year", "mw": "dc_mw_by_year"},
    "capacity": {"shortfall_2027_mw": "shortfall_2027_mw", "net_additions_mw_per_year": "net_additions_mw_per_year",
                 "net_additions_mw": "net_additions_mw_by_year", "reserve_margin": "reserve_margin_by_year",
                 "entry_completion_scale": "entry_completion_scale",
                 "outage_multiplier": "outage_multiplier", "cold_scale": "cold_scale", "heat_scale": "heat_scale",
                 "dom_import_limit_mw": "dom_import_limit_mw", "dom_transfer_upgrades": "dom_transfer_upgrades",
                 "cbot_frac": "cbot_frac", "lda_import_headroom": "lda_import_headroom"},
    "demand_response": {"mw": "demand_response_mw", "max_hours_per_year": "dr_max_hours_per_year",
                        "max_event_h": "dr_max_event_h"},
}
#: [policies.<table>] key -> PolicyParams field
_POLICY_FIELDS = {
    "capped": {"hours_per_year": "capped_hours_per_year", "max_event_h": "capped_max_event_h",
               "max_depth_frac": "capped_max_depth_frac"},
    "battery": {"power_frac": "battery_power_frac", "duration_h": "battery_duration_h"},
    "onsite_gen": {"capacity_frac": "onsite_gen_frac", "unit_mw": "onsite_gen_unit_mw",
                   "max_hours_per_year": "onsite_gen_max_hours_per_year", "dual_fuel": "onsite_gen_dual_fuel"},
}
#: [policies.<table>] keys that are true/false
_POLICY_BOOLS = {"policies.onsite_gen.dual_fuel"}
_YEAR_TABLES = {"load.peak_mw", "data_centers.mw", "capacity.net_additions_mw", "capacity.reserve_margin"}
#: field name in a model's message -> path in the file
_PATHS = {f: f"{t}.{k}" for t, d in _FIELDS.items() for k, f in d.items()}
_PATHS.update({f: f"policies.{t}.{k}" for t, d in _POLICY_FIELDS.items() for k, f in d.items()})
_PATHS["years"] = "run"
#: accepted range of a number, by path in the file (default: magnitude <= fx.MAX_NUMBER); lower
#: bounds of growth rates and margins (> -1) are the model's
_MW = (-fx.MAX_OUTLOOK_MW, fx.MAX_OUTLOOK_MW)
_RANGES = {"load.peak_2025_mw": _MW, "load.peak_mw": _MW, "load.peak_growth_per_yr": (-fx.MAX_NUMBER, 1.0),
           "data_centers.growth_mw_per_year": _MW, "data_centers.mw": _MW, "capacity.shortfall_2027_mw": _MW,
           "capacity.net_additions_mw_per_year": _MW, "capacity.net_additions_mw": _MW,
           "capacity.reserve_margin": (-fx.MAX_NUMBER, 10.0), "demand_response.mw": _MW,
           "capacity.outage_multiplier": (0.0, 5.0), "capacity.cold_scale": (0.0, 5.0), "capacity.heat_scale": (0.0, 5.0),
           "capacity.dom_import_limit_mw": (0.0, fx.MAX_OUTLOOK_MW), "capacity.dom_transfer_upgrades": (0.0, 10.0),
           "capacity.entry_completion_scale": (0.0, 10.0), "load.forecast_sd": (0.0, 0.2), "capacity.cbot_frac": (0.0, 0.5),
           "capacity.lda_import_headroom": (-0.9, 10.0)}


def _num(t: dict, key: str, where: str) -> float:
    """``t[key]`` as a float within the range of its field (infinities left to the model)."""
    lo, hi = _RANGES.get(f"{where}.{key}", (-fx.MAX_NUMBER, fx.MAX_NUMBER))
    return fx.number(t[key], f"{where}.{key}", lo=lo, hi=hi, allow_inf=True)


def _renamed(exc: InputError, prefix: str = "") -> InputError:
    """``exc`` with the model's field name at the start of its message replaced by the file's path."""
    msg = str(exc)
    m = re.match(r"[a-z_0-9]+", msg)
    if prefix:
        return InputError(f"{prefix}.{msg}")
    if m and m.group(0) in _PATHS:
        return InputError(_PATHS[m.group(0)] + msg[m.end():])
    return InputError(msg)


def _whole(x, where: str, lo: int, hi: int | None = None) -> int:
    if isinstance(x, bool) or not isinstance(x, int) or x < lo or (hi is not None and x > hi):
        rng = f">= {lo}" if hi is None else f"in {lo}-{hi}"
        raise InputError(f"{where}: expected a whole number {rng}, got {x!r}")
    return x


def _year_table(t: dict, key: str, where: str) -> dict:
    """A {year: number} table (TOML keys are strings: ``{ 2030 = 1.0 }``)."""
    x = t[key]
    if not isinstance(x, dict):
        raise InputError(f"{where}.{key}: expected a table of year = value, e.g. {{ 2030 = 1.0 }}, got {x!r}")
    for k in x:
        if not re.fullmatch(r"\d{4}", k):
            raise InputError(f"{where}.{key}.{k}: expected a year ({FIRST_STUDY_YEAR - 2}-{LAST_STUDY_YEAR}) as key")
    lo, hi = _RANGES.get(f"{where}.{key}", (-fx.MAX_NUMBER, fx.MAX_NUMBER))
    return {int(k): fx.number(x[k], f"{where}.{key}.{k}", lo=lo, hi=hi, allow_inf=True) for k in x}


def parse_outlook_scenario(doc: dict, path: str | None = None) -> OutlookScenario:
    """Build an :class:`~gigawatt.outlook.OutlookScenario` from a parsed TOML document (raises InputError)."""
    _table(doc, "scenario", _TOP)
    kw: dict = {}
    run = _table(doc.get("run", {}), "run", _RUN)
    opts = {}
    if "samples" in run:
        opts["samples"] = fx.at_most(_whole(run["samples"], "run.samples", 1), "run.samples", fx.MAX_SAMPLES)
    if "seed" in run:
        opts["seed"] = fx.at_most(_whole(run["seed"], "run.seed", 0), "run.seed", fx.MAX_SEED,
                                  why="a 64-bit integer")
    first = _whole(run.get("first_year", FIRST_STUDY_YEAR), "run.first_year", FIRST_STUDY_YEAR, LAST_STUDY_YEAR)
    last = _whole(run.get("last_year", max(first, 2035)), "run.last_year", FIRST_STUDY_YEAR, LAST_STUDY_YEAR)
    if last < first:
        raise InputError(f"run.last_year: expected a year from run.first_year ({first}) on, got {last}")
    kw["years"] = tuple(range(first, last + 1))
    if "zones" in run:
        if run["zones"] not in ZONE_SETS:
            raise InputError(f"run.zones: expected one of {', '.join(repr(z) for z in ZONE_SETS)} (two zones, or "
                             f"PJM's LDAs), got {run['zones']!r}")
        kw["zone_set"] = run["zones"]
    for tname, keys in _FIELDS.items():
        t = _table(doc.get(tname, {}), tname, set(keys))
        for k, x in t.items():
            where = f"{tname}.{k}"
            if k == "weather_years":
                if not isinstance(x, list) or not x or any(isinstance(y, bool) or not isinstance(y, int) for y in x):
                    raise InputError(f"{where}: expected a non-empty array of years, got {x!r}")
                if len(x) > fx.MAX_WEATHER_YEARS:
                    raise InputError(f"{where}: expected at most {fx.MAX_WEATHER_YEARS} weather years "
                                     f"(a limit that protects memory), got {len(x)}")
                kw[keys[k]] = tuple(x)
            elif where == "load.forecast":
                if not isinstance(x, (str, int)) or isinstance(x, bool):
                    raise InputError(f"{where}: expected a forecast vintage such as \"2026\", got {x!r}")
                kw[keys[k]] = str(x)
            elif where in _YEAR_TABLES:
                kw[keys[k]] = _year_table(t, k, tname)
            else:
                kw[keys[k]] = _num(t, k, tname)
    pol = _table(doc.get("policies", {}), "policies", {"compare"} | set(_POLICY_FIELDS))
    pkw = {}
    for tname, keys in _POLICY_FIELDS.items():
        t = _table(pol.get(tname, {}), f"policies.{tname}", set(keys))
        for k in t:
            if f"policies.{tname}.{k}" in _POLICY_BOOLS:
                if not isinstance(t[k], bool):
                    raise InputError(f"policies.{tname}.{k}: expected true or false, got {t[k]!r}")
                pkw[keys[k]] = t[k]
            else:
                pkw[keys[k]] = _num(t, k, f"policies.{tname}")
    try:
        kw["policy"] = PolicyParams(**pkw)
    except InputError as exc:
        raise _renamed(exc) from None
    if "compare" in pol:
        names = pol["compare"]
        if not isinstance(names, list) or any(not isinstance(n, str) for n in names):
            raise InputError(f"policies.compare: expected an array of policy names, got {names!r}")
        opts["policies"] = kw["policy"].resolve(names, "policies.compare")
    if "rotation" in doc:
        rot = _table(doc["rotation"], "rotation", {f.name for f in fields(RotationPolicy)})
        if "n_blocks" in rot:
            fx.at_most(rot["n_blocks"], "rotation.n_blocks", fx.MAX_ROTATION_BLOCKS)
        values = {k: _float(rot, k, "rotation") for k in rot}  # its errors name the path already
        try:
            kw["rotation"] = RotationPolicy(**values)
        except InputError as exc:
            raise _renamed(exc, "rotation") from None
    try:
        assumptions = OutlookAssumptions(**kw)
    except InputError as exc:
        raise _renamed(exc) from None
    _check_sizes(assumptions)
    name = doc.get("name", Path(path).stem if path else "scenario")
    description = doc.get("description", "")
    for key, x in (("name", name), ("description", description)):
        if not isinstance(x, str):
            raise InputError(f"{key}: expected a string, got {x!r}")
    return OutlookScenario(name=name, assumptions=assumptions, path=path, description=description, **opts)


def _check_sizes(a: OutlookAssumptions) -> None:
    """Raise if a study year's peak, capacity or data-center load, or its on-site units, exceed the limits."""
    top = fx.MAX_OUTLOOK_MW
    for y in a.years:
        for where, what, mw in (("load", "peak", a.forecast_peak_mw(y)), ("capacity", "capacity", a.capacity_mw(y)),
                                ("data_centers", "data-center load", a.dc_load_mw(y))):
            if not math.isfinite(mw) or abs(mw) > top:
                raise InputError(f"{where}: the {what} of {y} comes to {mw:,.0f} MW; expected at most {top:,.0f} MW "
                                 "(a limit that protects memory)")
        p = a.policy
        units = round(p.onsite_gen_frac * a.dc_load_mw(y) / p.onsite_gen_unit_mw)
        if units > fx.MAX_ONSITE_UNITS:
            raise InputError(f"policies.onsite_gen.unit_mw: {p.onsite_gen_unit_mw:g} MW units make {units:,} on-site "
                             f"units in {y}; expected at most {fx.MAX_ONSITE_UNITS:,} (a limit that protects memory)")


def read_outlook_scenario(path) -> OutlookScenario:
    """Read an outlook scenario TOML file.

    Parameters
    ----------
    path : path-like

    Returns
    -------
    gigawatt.outlook.OutlookScenario

    Raises
    ------
    FileFormatError
        Unreadable or malformed TOML, or an invalid field (the message names the file, the
        field, e.g. ``data_centers.mw.2030``, and the expected value).
    """
    p = Path(path)
    doc = load_toml(p)
    if not doc:  # an empty file would silently be the embedded default
        raise FileFormatError(p, "holds no table; an outlook scenario changes at least one assumption (docs/guide.md); "
                                 "run without a file for the embedded default")
    try:
        return parse_outlook_scenario(doc, str(p))
    except InputError as exc:
        raise FileFormatError(p, str(exc)) from None
