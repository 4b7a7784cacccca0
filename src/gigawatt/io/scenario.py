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
from gigawatt.io import _fields as fx

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
    """``d[key]`` as a float: a number, not NaN, of magnitude at most :data:`fx.MAX_NUMBER`.

    Infinities are passed on: the model accepts them where they mean "no limit".
    """
    return fx.number(d[key], f"{where}.{key}", allow_inf=True)


def _nums(d: dict, keys, where: str) -> dict:
    return {k: _float(d, k, where) for k in keys if k in d}


def _power(s: dict, where: str) -> SitePower:
    extra = _nums(s, _POWER, where)
    if "preset" in s:
        fx.text(s["preset"], f"{where}.preset", choices=PRESETS)
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
        fx.text(f["accelerator"], f"{fw}.accelerator", what="an accelerator name such as 'GB200'")
        fx.at_most(f["n_gpus"], f"{fw}.n_gpus", fx.MAX_GPUS)
        fleets.append(_build(Fleet, fw, accelerator=f["accelerator"], n_gpus=f["n_gpus"]))
    return _build(SitePower, where, fleets=tuple(fleets), **extra)


def _battery(b: dict, where: str) -> SiteBattery:
    _table(b, where, _BATTERY)
    kw = _nums(b, ("round_trip_efficiency", "reserve_frac", "initial_soc"), where)
    if "megapack" in b:
        kinds = {"2xl": SiteBattery.megapack2xl, "3": SiteBattery.megapack3}
        if not isinstance(b["megapack"], str) or b["megapack"] not in kinds:
            raise InputError(f"{where}.megapack: expected '2xl' or '3', got {b['megapack']!r}")
        if "units" not in b:
            raise InputError(f"{where}.units: missing; expected the number of Megapack units (whole number >= 1)")
        fx.at_most(b["units"], f"{where}.units", fx.MAX_BATTERY_UNITS)
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
    kind = fx.text(c["kind"], f"{where}.kind", choices=CONTRACTS)
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
                jkw["curve"] = fx.text(job["curve"], f"{jw}.curve", what="a curve name such as 'central'")
            name = fx.text(job["name"], f"{jw}.name")
            jobs.append(_build(JobClass, jw, name=name, **jkw))
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
        fx.at_most(g["n_units"], f"{where}.generation.n_units", fx.MAX_ONSITE_UNITS)
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
        kw["steps"] = tuple(fx.text(x, f"{where}.steps[{k}]", what="a step name") for k, x in enumerate(e["steps"]))
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
        drs.append(_build(DemandResponse, dw, name=fx.text(d["name"], f"{dw}.name"),
                          region=fx.text(d["region"], f"{dw}.region", what="a region name"),
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
        fx.text(pras, "system.pras", what="the path of a .pras file (a string)")
        if not pras or "\x00" in pras:
            raise InputError(f"system.pras: expected the path of a .pras file, got {pras!r}")
        p = Path(pras)
        pras = str(p if p.is_absolute() or base_dir is None else base_dir / p)
    if sy.get("embedded") is not None:
        fx.text(sy["embedded"], "system.embedded", what="the name of an embedded system")
    system = _build(SystemRef, "", pras_path=pras, embedded=sy.get("embedded"))
    if system.embedded is not None:
        from gigawatt.io.catalogue import expected_names, is_embedded

        if not is_embedded(system.embedded):
            raise InputError(f"system.embedded: expected {expected_names()}, got {system.embedded!r}")
    sites = tuple(_site(s, f"sites[{k}]") for k, s in enumerate(_list(doc.get("sites", []), "sites")))
    kw = {}
    if "emergency" in doc:
        kw["order"] = _emergency(doc["emergency"])
    if "rotation" in doc:
        r = _table(doc["rotation"], "rotation", _ROT)
        if "n_blocks" in r:
            fx.at_most(r["n_blocks"], "rotation.n_blocks", fx.MAX_ROTATION_BLOCKS)
        kw["rotation"] = _build(RotationPolicy, "rotation", **_nums(r, _ROT, "rotation"))
    name = fx.text(doc.get("name", "scenario"), "name")
    return _build(Scenario, "", name=name, system=system, sites=sites, **kw)


def read_scenario(path, regions=None) -> Scenario:
    """Read a scenario TOML file.

    Parameters
    ----------
    path : path-like
    regions : sequence of str, optional
        Region names of the base system: when given, the regions named by sites, demand
        response and imports are checked against them (errors name the file).

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
        scenario = parse_scenario(doc, p.parent)
        if regions is not None:
            scenario.check_regions(regions)
    except InputError as exc:
        raise FileFormatError(p, str(exc)) from None
    return scenario


def read_scenario_system(path):
    """Read a scenario TOML file and build its :class:`~gigawatt.datacenter.system.DataCenterSystem`.

    ``from_scenario(read_scenario(path))`` with every error about the scenario's contents
    (regions of sites, demand response and imports included) naming the file; errors of
    the base ``.pras`` file name that file.
    """
    from gigawatt.io.catalogue import from_scenario

    p = Path(path)
    scenario = read_scenario(p)
    try:
        return from_scenario(scenario)
    except FileFormatError:
        raise
    except InputError as exc:
        raise FileFormatError(p, str(exc)) from None


#: Largest scenario file read [bytes]; scenario files are a few kB.
MAX_TOML_BYTES = 10_000_000


def load_toml(path: Path) -> dict:
    """The parsed TOML document at ``path`` (:class:`FileFormatError` if unreadable, not UTF-8 or malformed)."""
    try:
        if Path(path).is_dir():
            raise FileFormatError(path, "is a folder, expected a TOML file")
        if Path(path).exists() and not Path(path).is_file():  # a device or a pipe (reading one could block)
            raise FileFormatError(path, "is not a regular file, expected a TOML file")
        with open(path, "rb") as fh:
            raw = fh.read(MAX_TOML_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise FileFormatError(path, f"cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    if len(raw) > MAX_TOML_BYTES:
        raise FileFormatError(path, f"is larger than {MAX_TOML_BYTES:,} bytes; expected a scenario file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise FileFormatError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})", line=line) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FileFormatError(path, f"not valid TOML: {exc}") from None
    except RecursionError:
        raise FileFormatError(path, "not valid TOML: arrays or tables nested too deeply") from None
