"""Read data-center scenario files (TOML) into frozen :class:`~gigawatt.datacenter.scenario.Scenario`.

Every error names the file and the field as a path (``sites[1].battery.energy_mwh``) with
the expected value. The format is documented in ``docs/datacenters.md``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from gigawatt.datacenter import _validate as v
from gigawatt.datacenter.contracts import CONTRACTS
from gigawatt.datacenter.order import DataCenterSite, DemandResponse, EmergencyOrder
from gigawatt.datacenter.outages import RotationPolicy
from gigawatt.datacenter.power import Fleet, SitePower, colossus2
from gigawatt.datacenter.resources import ComputeFlexibility, OnsiteGeneration, SiteBattery
from gigawatt.datacenter.scenario import Scenario, SystemRef
from gigawatt.datacenter.throughput import JobClass
from gigawatt.errors import FileFormatError, InputError

_TOP = {"name", "system", "sites", "emergency", "rotation"}
_SYSTEM = {"pras", "embedded"}
_SITE = {"name", "region", "preset", "fleets", "pue", "pue_per_c", "pue_ref_c", "gpu_utilisation", "training_share",
         "contract", "battery", "generation", "flexibility"}
_POWER = ("pue", "pue_per_c", "pue_ref_c", "gpu_utilisation", "training_share")
_FLEET = {"accelerator", "n_gpus"}
_BATTERY = {"megapack", "units", "power_mw", "energy_mwh", "round_trip_efficiency", "reserve_frac", "initial_soc"}
_GEN = {"n_units", "unit_mw", "forced_outage_rate", "mttr_h", "start_h", "max_hours_per_year",
        "max_energy_mwh_per_year"}
_FLEX = {"jobs", "min_power_frac", "design_event_h"}
_JOB = {"name", "gpu_share", "max_slowdown", "max_pause_h", "curve", "checkpoint_h", "restart_h", "value_weight"}
_EMERG = {"steps", "demand_response", "imports_mw", "voltage_reduction_frac"}
_DR = {"name", "region", "capacity_mw", "max_hours_per_year", "max_event_h"}
_ROT = {"n_blocks", "rotation_h", "critical_frac", "max_rotation_frac", "people_per_mw", "customers_per_person"}
PRESETS = {"colossus2": colossus2}


def _table(obj, where: str, allowed: set) -> dict:
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a table, got {type(obj).__name__}")
    extra = sorted(set(obj) - allowed)
    if extra:
        raise InputError(f"{where}.{extra[0]}: unknown key; expected one of {sorted(allowed)}")
    return obj


def _list(obj, where: str) -> list:
    if not isinstance(obj, list):
        raise InputError(f"{where}: expected an array of tables, got {type(obj).__name__}")
    return obj


def _build(cls, where: str, **kw):
    """``cls(**kw)`` with errors prefixed by ``where``."""
    try:
        return cls(**kw)
    except InputError as exc:
        raise v.prefixed(where, exc) from None


def _float(d: dict, key: str, where: str):
    x = d[key]
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise InputError(f"{where}.{key}: expected a number, got {x!r}")
    return float(x)


def _nums(d: dict, keys, where: str) -> dict:
    return {k: _float(d, k, where) for k in keys if k in d}


def _power(s: dict, where: str) -> SitePower:
    extra = _nums(s, _POWER, where)
    if "preset" in s:
        if s["preset"] not in PRESETS:
            raise InputError(f"{where}.preset: expected one of {sorted(PRESETS)}, got {s['preset']!r}")
        if "fleets" in s:
            raise InputError(f"{where}.fleets: give either 'preset' or 'fleets', not both")
        base = PRESETS[s["preset"]]()
        kw = {k: getattr(base, k) for k in _POWER}
        kw.update(extra)
        return _build(SitePower, where, fleets=base.fleets, **kw)
    if "fleets" not in s:
        raise InputError(f"{where}.fleets: expected an array of [[sites.fleets]] (accelerator, n_gpus) or a preset")
    fleets = []
    for j, f in enumerate(_list(s["fleets"], f"{where}.fleets")):
        fw = f"{where}.fleets[{j}]"
        _table(f, fw, _FLEET)
        for key in _FLEET:
            if key not in f:
                raise InputError(f"{fw}.{key}: missing; expected accelerator (e.g. 'GB200') and n_gpus")
        fleets.append(_build(Fleet, fw, accelerator=f["accelerator"], n_gpus=f["n_gpus"]))
    return _build(SitePower, where, fleets=tuple(fleets), **extra)


def _battery(b: dict, where: str) -> SiteBattery:
    _table(b, where, _BATTERY)
    kw = _nums(b, ("round_trip_efficiency", "reserve_frac", "initial_soc"), where)
    if "megapack" in b:
        kinds = {"2xl": SiteBattery.megapack2xl, "3": SiteBattery.megapack3}
        if b["megapack"] not in kinds:
            raise InputError(f"{where}.megapack: expected '2xl' or '3', got {b['megapack']!r}")
        if "units" not in b:
            raise InputError(f"{where}.units: missing; expected the number of Megapack units (whole number >= 1)")
        try:
            return kinds[b["megapack"]](b["units"], **kw)
        except InputError as exc:
            raise v.prefixed(where, exc) from None
    for key in ("power_mw", "energy_mwh"):
        if key not in b:
            raise InputError(f"{where}.{key}: missing; expected power_mw and energy_mwh, or megapack and units")
    return _build(SiteBattery, where, **_nums(b, ("power_mw", "energy_mwh"), where), **kw)


def _contract(c: dict, where: str):
    if not isinstance(c, dict) or "kind" not in c:
        raise InputError(f"{where}.kind: expected one of {sorted(CONTRACTS)}")
    kind = c["kind"]
    if kind not in CONTRACTS:
        raise InputError(f"{where}.kind: expected one of {sorted(CONTRACTS)}, got {kind!r}")
    cls = CONTRACTS[kind]
    allowed = {"kind"} | {f for f in cls.__dataclass_fields__}
    _table(c, where, allowed)
    kw = {k: c[k] for k in allowed - {"kind"} if k in c}
    for k, x in kw.items():
        if k == "directed_backup":
            if not isinstance(x, bool):
                raise InputError(f"{where}.directed_backup: expected true or false, got {x!r}")
        else:
            kw[k] = _float(c, k, where)
    return _build(cls, where, **kw)


def _flexibility(f: dict, where: str) -> ComputeFlexibility:
    _table(f, where, _FLEX)
    kw = _nums(f, ("min_power_frac", "design_event_h"), where)
    if "jobs" in f:
        jobs = []
        for j, job in enumerate(_list(f["jobs"], f"{where}.jobs")):
            jw = f"{where}.jobs[{j}]"
            _table(job, jw, _JOB)
            for key in ("name", "gpu_share", "max_slowdown", "max_pause_h"):
                if key not in job:
                    raise InputError(f"{jw}.{key}: missing; expected name, gpu_share, max_slowdown, max_pause_h")
            jkw = _nums(job, _JOB - {"name", "curve"}, jw)
            if "curve" in job:
                jkw["curve"] = job["curve"]
            jobs.append(_build(JobClass, jw, name=str(job["name"]), **jkw))
        kw["jobs"] = tuple(jobs)
    return _build(ComputeFlexibility, where, **kw)


def _site(s: dict, where: str) -> DataCenterSite:
    _table(s, where, _SITE)
    for key in ("name", "region"):
        if key not in s or not isinstance(s[key], str) or not s[key]:
            raise InputError(f"{where}.{key}: expected a non-empty string")
    kw = {"power": _power(s, where)}
    if "contract" in s:
        kw["contract"] = _contract(s["contract"], f"{where}.contract")
    if "battery" in s:
        kw["battery"] = _battery(s["battery"], f"{where}.battery")
    if "generation" in s:
        g = _table(s["generation"], f"{where}.generation", _GEN)
        for key in ("n_units", "unit_mw"):
            if key not in g:
                raise InputError(f"{where}.generation.{key}: missing; expected n_units and unit_mw")
        kw["generation"] = _build(OnsiteGeneration, f"{where}.generation", **_nums(g, _GEN, f"{where}.generation"))
    if "flexibility" in s:
        kw["flexibility"] = _flexibility(s["flexibility"], f"{where}.flexibility")
    return _build(DataCenterSite, where, name=s["name"], region=s["region"], **kw)


def _emergency(e: dict) -> EmergencyOrder:
    where = "emergency"
    _table(e, where, _EMERG)
    kw = _nums(e, ("voltage_reduction_frac",), where)
    if "steps" in e:
        if not isinstance(e["steps"], list):
            raise InputError(f"{where}.steps: expected an array of step names")
        kw["steps"] = tuple(e["steps"])
    if "imports_mw" in e:
        im = e["imports_mw"]
        if not isinstance(im, dict):
            raise InputError(f"{where}.imports_mw: expected a table of region = MW")
        kw["imports_mw"] = {str(k): _float(im, k, f"{where}.imports_mw") for k in im}
    drs = []
    for k, d in enumerate(_list(e.get("demand_response", []), f"{where}.demand_response")):
        dw = f"{where}.demand_response[{k}]"
        _table(d, dw, _DR)
        for key in ("name", "region", "capacity_mw"):
            if key not in d:
                raise InputError(f"{dw}.{key}: missing; expected name, region and capacity_mw")
        drs.append(_build(DemandResponse, dw, name=str(d["name"]), region=str(d["region"]),
                          **_nums(d, ("capacity_mw", "max_hours_per_year", "max_event_h"), dw)))
    kw["demand_response"] = tuple(drs)
    return _build(EmergencyOrder, where, **kw)


def parse_scenario(doc: dict, base_dir: Path | None = None) -> Scenario:
    """Build a :class:`Scenario` from a parsed TOML document (raises :class:`InputError`)."""
    _table(doc, "scenario", _TOP)
    if "system" not in doc:
        raise InputError("system: missing; expected [system] with pras = 'file.pras' or embedded = 'ieee-rts79'")
    sy = _table(doc["system"], "system", _SYSTEM)
    pras = sy.get("pras")
    if pras is not None:
        p = Path(pras)
        pras = str(p if p.is_absolute() or base_dir is None else base_dir / p)
    system = _build(SystemRef, "", pras_path=pras, embedded=sy.get("embedded"))
    if system.embedded is not None:
        from gigawatt.io.systems import NAMED

        if system.embedded not in NAMED:
            raise InputError(f"system.embedded: expected one of {sorted(NAMED)}, got {system.embedded!r}")
    sites = tuple(_site(s, f"sites[{k}]") for k, s in enumerate(_list(doc.get("sites", []), "sites")))
    kw = {}
    if "emergency" in doc:
        kw["order"] = _emergency(doc["emergency"])
    if "rotation" in doc:
        r = _table(doc["rotation"], "rotation", _ROT)
        kw["rotation"] = _build(RotationPolicy, "rotation", **_nums(r, _ROT, "rotation"))
    return Scenario(name=str(doc.get("name", "scenario")), system=system, sites=sites, **kw)


def read_scenario(path) -> Scenario:
    """Read a scenario TOML file.

    Parameters
    ----------
    path : path-like

    Returns
    -------
    Scenario
        A ``.pras`` path in ``[system]`` is resolved relative to the file. Region names are
        checked against the system by :meth:`Scenario.check_regions` once it is loaded.

    Raises
    ------
    FileFormatError
        Unreadable or malformed TOML, or an invalid field (the message names the field,
        e.g. ``sites[1].battery.energy_mwh``, and the expected value).
    """
    p = Path(path)
    doc = load_toml(p)
    try:
        return parse_scenario(doc, p.parent)
    except InputError as exc:
        raise FileFormatError(p, str(exc)) from None


def load_toml(path: Path) -> dict:
    """The parsed TOML document at ``path`` (:class:`FileFormatError` if unreadable or malformed)."""
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise FileFormatError(path, f"cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise FileFormatError(path, f"not valid TOML: {exc}") from None
