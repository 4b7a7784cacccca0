"""Read and write PRAS system files (``.pras``, HDF5).

Format: NREL PRAS "SystemModel HDF5 representation", data versions v0.7.x and v0.8.x
(PRAS docs, ``SystemModel_HDF5_spec.md``). Each component group holds a compound
``_core`` table of names and per-unit time series of shape (n_periods, n_units).
Quirks tolerated on reading: integers stored as int64, fixed-width byte names, and
4294967295 (2**32 - 1) meaning "no limit" on interfaces and lines.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from gigawatt.errors import FileFormatError, InputError
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

#: PRAS's conventional "no limit" for interface and line capacities [MW]
NO_LIMIT = 4294967295
_UNITS_H = {"h": 1.0, "hr": 1.0, "hour": 1.0, "min": 1.0 / 60.0, "minute": 1.0 / 60.0, "s": 1.0 / 3600.0,
            "d": 24.0, "day": 24.0}
_STORAGE_FIELDS = {
    "charge_mw": "chargecapacity", "discharge_mw": "dischargecapacity", "energy_mwh": "energycapacity",
    "charge_eff": "chargeefficiency", "discharge_eff": "dischargeefficiency",
    "carryover_eff": "carryoverefficiency", "failure_prob": "failureprobability",
    "repair_prob": "repairprobability",
}
_GENSTOR_EXTRA = {"inflow_mw": "inflow", "grid_injection_mw": "gridinjectioncapacity",
                  "grid_withdrawal_mw": "gridwithdrawalcapacity"}


def _text(v) -> str:
    if isinstance(v, bytes):
        return v.decode("utf-8").rstrip("\x00").strip()
    if isinstance(v, np.ndarray):
        return _text(v.item())
    return str(v).strip()


class _Reader:
    def __init__(self, path, f):
        self.path = path
        self.f = f

    def attr(self, name):
        if name not in self.f.attrs:
            raise FileFormatError(self.path, f"missing file attribute {name!r}", column=name)
        return self.f.attrs[name]

    def dataset(self, group, name, n_periods, n_units, *, no_limit=False):
        full = f"{group}/{name}"
        if full not in self.f:
            raise FileFormatError(self.path, f"missing dataset {full!r}", column=full)
        ds = self.f[full]
        if ds.shape != (n_periods, n_units):
            raise FileFormatError(self.path, f"dataset {full!r} has shape {ds.shape}, expected "
                                             f"({n_periods} periods, {n_units} units)", column=full)
        arr = np.asarray(ds[()], dtype=np.float64)
        if no_limit:
            arr = np.where(arr >= NO_LIMIT, np.inf, arr)
        if not np.all(np.isfinite(arr) | (no_limit & np.isposinf(arr))):
            raise FileFormatError(self.path, f"dataset {full!r} holds non-finite values", column=full)
        return arr.T

    def core(self, group, fields):
        full = f"{group}/_core"
        if full not in self.f:
            raise FileFormatError(self.path, f"missing dataset {full!r}", column=full)
        table = self.f[full][()]
        names = table.dtype.names or ()
        for fld in fields:
            if fld not in names:
                raise FileFormatError(self.path, f"{full!r} lacks the field {fld!r} (has {list(names)})",
                                      column=full)
        return {fld: [_text(v) for v in table[fld]] for fld in fields}


def read_pras(path) -> SystemModel:
    """Read a ``.pras`` file into a :class:`~gigawatt.system.SystemModel`.

    Parameters
    ----------
    path : str or Path

    Raises
    ------
    FileFormatError
        Missing, unreadable or inconsistent files; the message names the dataset.
    """
    import h5py

    path = Path(path)
    if not path.is_file():
        raise FileFormatError(path, "no such file")
    try:
        f = h5py.File(path, "r")
    except OSError as exc:
        raise FileFormatError(path, f"not a readable HDF5 (.pras) file ({exc})") from None
    with f:
        rd = _Reader(path, f)
        version = _text(rd.attr("pras_dataversion"))
        if not (version.startswith("v0.7") or version.startswith("v0.8")):
            raise FileFormatError(path, f"unsupported PRAS data version {version!r} (expected v0.7.x or v0.8.x)",
                                  column="pras_dataversion")
        T = int(rd.attr("timestep_count"))
        length = float(rd.attr("timestep_length"))
        unit = _text(rd.attr("timestep_unit")).lower()
        if unit not in _UNITS_H:
            raise FileFormatError(path, f"unknown timestep_unit {unit!r}; expected one of {sorted(_UNITS_H)}",
                                  column="timestep_unit")
        for attr, want in (("power_unit", "MW"), ("energy_unit", "MWh")):
            if attr in f.attrs and _text(f.attrs[attr]) != want:
                raise FileFormatError(path, f"{attr} is {_text(f.attrs[attr])!r}; gigawatt reads {want!r} only",
                                      column=attr)
        try:
            ta = TimeAxis(_text(rd.attr("start_timestamp")), length * _UNITS_H[unit], T)
        except InputError as exc:
            raise FileFormatError(path, str(exc), column="start_timestamp") from None
        try:
            return _build(rd, ta, T)
        except InputError as exc:
            raise FileFormatError(path, f"inconsistent system: {exc}") from None


def _build(rd: _Reader, ta: TimeAxis, T: int) -> SystemModel:
    f = rd.f
    reg = rd.core("regions", ["name"])
    regions = Regions(reg["name"], rd.dataset("regions", "load", T, len(reg["name"])))

    def units(group, extra=()):
        if group not in f:
            return None, 0
        c = rd.core(group, ["name", "category", "region"] + list(extra))
        return c, len(c["name"])

    c, n = units("generators")
    if c is None:
        raise FileFormatError(rd.path, "missing group 'generators'", column="generators")
    gens = Generators(c["name"], c["category"], c["region"],
                      rd.dataset("generators", "capacity", T, n),
                      rd.dataset("generators", "failureprobability", T, n),
                      rd.dataset("generators", "repairprobability", T, n), n_periods=T)
    storages = genstors = interfaces = lines = None
    c, n = units("storages")
    if c is not None:
        kw = {k: rd.dataset("storages", v, T, n) for k, v in _STORAGE_FIELDS.items()}
        storages = Storages(c["name"], c["category"], c["region"], n_periods=T, **kw)
    c, n = units("generatorstorages")
    if c is not None:
        kw = {k: rd.dataset("generatorstorages", v, T, n) for k, v in {**_STORAGE_FIELDS, **_GENSTOR_EXTRA}.items()}
        genstors = GeneratorStorages(names=c["name"], categories=c["category"], regions=c["region"], n_periods=T, **kw)
    if "interfaces" in f:
        c = rd.core("interfaces", ["region_from", "region_to"])
        n = len(c["region_from"])
        interfaces = Interfaces(c["region_from"], c["region_to"],
                                rd.dataset("interfaces", "forwardcapacity", T, n, no_limit=True),
                                rd.dataset("interfaces", "backwardcapacity", T, n, no_limit=True), n_periods=T)
    if "lines" in f:
        c = rd.core("lines", ["name", "category", "region_from", "region_to"])
        n = len(c["name"])
        lines = Lines(c["name"], c["category"], c["region_from"], c["region_to"],
                      rd.dataset("lines", "forwardcapacity", T, n, no_limit=True),
                      rd.dataset("lines", "backwardcapacity", T, n, no_limit=True),
                      rd.dataset("lines", "failureprobability", T, n),
                      rd.dataset("lines", "repairprobability", T, n), n_periods=T)
    return SystemModel(ta, regions, gens, storages, genstors, interfaces, lines)


# ---------------------------------------------------------------------------------- writing
def _int_mw(arr, what):
    a = np.where(arr >= 1e299, NO_LIMIT, arr)
    r = np.rint(a)
    if np.any(np.abs(a - r) > 1e-9):
        raise InputError(f"{what}: PRAS files hold whole MW/MWh; round the system first (e.g. np.rint)")
    return r.astype(np.int64).T


def _core(names_by_field):
    fields = list(names_by_field)
    n = len(names_by_field[fields[0]])
    dt = np.dtype([(k, "S128") for k in fields])
    table = np.zeros(n, dtype=dt)
    for k in fields:
        table[k] = [s.encode("utf-8") for s in names_by_field[k]]
    return table


def write_pras(system: SystemModel, path) -> None:
    """Write ``system`` as a PRAS v0.8.0 ``.pras`` file (atomically: no partial file on failure).

    Power and energy series must be whole MW/MWh, as PRAS requires.
    """
    import h5py

    path = Path(path)
    ta = system.timeaxis
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".pras", dir=path.parent if str(path.parent) else ".")
    os.close(fd)
    try:
        with h5py.File(tmp, "w") as f:
            f.attrs["pras_dataversion"] = np.bytes_("v0.8.0")
            f.attrs["start_timestamp"] = np.bytes_(ta.start.isoformat())
            f.attrs["timestep_count"] = np.int64(ta.n_periods)
            if abs(ta.step_h - round(ta.step_h)) < 1e-12:
                f.attrs["timestep_length"] = np.int64(round(ta.step_h))
                f.attrs["timestep_unit"] = np.bytes_("h")
            else:
                minutes = ta.step_h * 60.0
                if abs(minutes - round(minutes)) > 1e-9:
                    raise InputError("timeaxis.step_h: PRAS needs a whole number of hours or minutes")
                f.attrs["timestep_length"] = np.int64(round(minutes))
                f.attrs["timestep_unit"] = np.bytes_("min")
            f.attrs["power_unit"] = np.bytes_("MW")
            f.attrs["energy_unit"] = np.bytes_("MWh")
            g = f.create_group("regions")
            g["_core"] = _core({"name": list(system.regions.names)})
            g["load"] = _int_mw(system.regions.load_mw, "regions.load_mw")

            def unit_group(name, comp, series):
                if len(comp.names) == 0 and name != "generators":
                    return
                grp = f.create_group(name)
                grp["_core"] = _core({"name": list(comp.names), "category": list(comp.categories),
                                      "region": list(comp.regions)})
                for attr, ds, kind in series:
                    arr = getattr(comp, attr)
                    grp[ds] = _int_mw(arr, f"{name}.{attr}") if kind == "int" else np.ascontiguousarray(arr.T)

            prob = [("failure_prob", "failureprobability", "f"), ("repair_prob", "repairprobability", "f")]
            unit_group("generators", system.generators, [("capacity_mw", "capacity", "int")] + prob)
            stor = [(k, v, "int" if k.endswith(("_mw", "_mwh")) else "f") for k, v in _STORAGE_FIELDS.items()]
            unit_group("storages", system.storages, stor)
            unit_group("generatorstorages", system.generatorstorages,
                       stor + [(k, v, "int") for k, v in _GENSTOR_EXTRA.items()])
            itf = system.interfaces
            if len(itf):
                grp = f.create_group("interfaces")
                grp["_core"] = _core({"region_from": list(itf.regions_from), "region_to": list(itf.regions_to)})
                grp["forwardcapacity"] = _int_mw(itf.forward_mw, "interfaces.forward_mw")
                grp["backwardcapacity"] = _int_mw(itf.backward_mw, "interfaces.backward_mw")
            ln = system.lines
            if len(ln):
                grp = f.create_group("lines")
                grp["_core"] = _core({"name": list(ln.names), "category": list(ln.categories),
                                      "region_from": list(ln.regions_from), "region_to": list(ln.regions_to)})
                grp["forwardcapacity"] = _int_mw(ln.forward_mw, "lines.forward_mw")
                grp["backwardcapacity"] = _int_mw(ln.backward_mw, "lines.backward_mw")
                grp["failureprobability"] = np.ascontiguousarray(ln.failure_prob.T)
                grp["repairprobability"] = np.ascontiguousarray(ln.repair_prob.T)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
