"""Read and write PRAS system files (``.pras``, HDF5).

Format: NREL PRAS "SystemModel HDF5 representation", data versions v0.7.x and v0.8.x
(PRAS docs, ``SystemModel_HDF5_spec.md``). Each component group holds a compound
``_core`` table of names and per-unit time series of shape (n_periods, n_units).
Quirks tolerated on reading: integers stored as int64, fixed-width byte names, and
4294967295 (2**32 - 1; from 2**31 - 1 up) meaning "no limit" on interfaces and lines.
Everything read is checked before the system is built (see :func:`read_pras`).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

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


#: Limits that protect memory, checked before any series is read (docs/data.md, "Bad input").
MAX_PERIODS = 1_000_000  # periods: 114 years hourly, 9.5 years at 5 minutes
MAX_UNITS = 100_000  # entries of one component group (regions, generators, storages, ...)
MAX_VALUES = 100_000_000  # n_periods x n_units of one dataset (800 MB as float64)
#: Largest power [MW] or energy [MWh] a series may hold (larger is a unit error, and would
#: overflow sums in the kernels); interface and line limits from :data:`NO_LIMIT_FROM` up mean "no limit".
MAX_MW = 1e9
#: Interface and line capacities at or above this [MW] mean "no limit" (2**31 - 1, Int32's
#: largest value, also seen in PRAS files; :data:`NO_LIMIT` is what gigawatt writes).
NO_LIMIT_FROM = 2**31 - 1
#: Years a time axis may cover (pandas' nanosecond timestamps end in 2262).
FIRST_YEAR, LAST_YEAR = 1900, 2199
#: Shortest and longest period [h]: one second, one leap year.
MIN_STEP_H, MAX_STEP_H = 1.0 / 3600.0, 8784.0

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?")
#: What a h5py read of a damaged file or an unexpected object can raise.
_READ_ERRORS = (OSError, RuntimeError, KeyError, ValueError, TypeError, OverflowError, IndexError)

#: dataset kind -> (lowest, highest, lowest excluded, expectation in words)
_KINDS = {
    "mw": (0.0, MAX_MW, False, f"a finite number of MW/MWh in [0, {MAX_MW:g}]"),
    "limit": (0.0, MAX_MW, False, f"a finite number of MW in [0, {MAX_MW:g}], or >= {NO_LIMIT_FROM} for no limit"),
    "prob": (0.0, 1.0, False, "a probability in [0, 1]"),
    "eff": (0.0, 1.0, True, "an efficiency in (0, 1]"),
}
_STORAGE_KINDS = {"charge_mw": "mw", "discharge_mw": "mw", "energy_mwh": "mw", "charge_eff": "eff",
                  "discharge_eff": "eff", "carryover_eff": "eff", "failure_prob": "prob", "repair_prob": "prob",
                  "inflow_mw": "mw", "grid_injection_mw": "mw", "grid_withdrawal_mw": "mw"}


def _scalar(v):
    """A one-element array attribute or field as its element (HDF5 stores some scalars as (1,) arrays)."""
    if isinstance(v, np.ndarray):
        if v.size != 1:
            raise ValueError(f"expected a single value, got an array of shape {v.shape}")
        return v.reshape(()).item() if v.dtype.kind not in "SUO" else v.reshape(())[()]
    return v


def _show(v):
    """``v`` for a message: numpy scalars as plain Python values."""
    return v.item() if isinstance(v, np.generic) else v


def _text(v) -> str:
    v = _scalar(v)
    if isinstance(v, (bytes, np.bytes_)):
        return bytes(v).decode("utf-8").rstrip("\x00").strip()
    if isinstance(v, np.ndarray):  # pragma: no cover - _scalar unwraps arrays
        return _text(v.item())
    return str(v).strip()


class _Reader:
    """Checked access to one open ``.pras`` file; ``where`` names what is being read (for errors)."""

    def __init__(self, path, f):
        import h5py  # imported on use: the CLI starts without it

        self.h5 = h5py
        self.path = path
        self.f = f
        self.where = "the file"

    def error(self, message, column=None):
        return FileFormatError(self.path, message, column=column or self.where)

    # ---- attributes
    def attr(self, name):
        self.where = name
        if name not in self.f.attrs:
            raise self.error(f"missing file attribute {name!r}")
        try:
            return _scalar(self.f.attrs[name])
        except _READ_ERRORS as exc:
            raise self.error(f"file attribute {name!r} cannot be read ({exc})") from None

    def text_attr(self, name) -> str:
        v = self.attr(name)
        if not isinstance(v, (str, bytes, np.bytes_, np.str_)):
            raise self.error(f"file attribute {name!r} is {_show(v)!r}; expected text")
        try:
            return _text(v)
        except UnicodeDecodeError as exc:
            raise self.error(f"file attribute {name!r} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None

    def number_attr(self, name, lo, hi, *, whole=False):
        v = self.attr(name)
        kind = "whole number" if whole else "number"
        if not np.isfinite(hi):
            want = f"a finite {kind} >= {lo:g}"
        else:
            want = f"a {kind} in [{int(lo):,}, {int(hi):,}]" if whole else f"a {kind} in [{lo:g}, {hi:g}]"
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise self.error(f"file attribute {name!r} is {_show(v)!r}; expected {want}")
        x = float(v)
        if not np.isfinite(x) or (whole and x != int(x)) or not lo <= x <= hi:
            raise self.error(f"file attribute {name!r} is {_show(v)!r}; expected {want}")
        return int(x) if whole else x

    # ---- datasets
    def node(self, full, *, required=True):
        self.where = full
        try:
            obj = self.f.get(full)
        except _READ_ERRORS as exc:
            raise self.error(f"{full!r} cannot be read ({exc})") from None
        if obj is None:
            if required:
                raise self.error(f"missing dataset {full!r}")
            return None
        if not isinstance(obj, self.h5.Dataset):
            raise self.error(f"{full!r} is a {type(obj).__name__.lower()}, expected a dataset")
        return obj

    def read(self, ds):
        try:
            return ds[()]
        except _READ_ERRORS as exc:
            raise self.error(f"dataset {ds.name.lstrip('/')!r} cannot be read (damaged file? {exc})") from None

    def dataset(self, group, name, n_periods, names, kind="mw"):
        """Series ``group/name`` of shape (n_periods, n_units) -> float64 array (n_units, n_periods), checked."""
        full = f"{group}/{name}"
        ds = self.node(full)
        n_units = len(names)
        if ds.shape != (n_periods, n_units):
            raise self.error(f"dataset {full!r} has shape {ds.shape}, expected "
                             f"({n_periods} periods, {n_units} units)")
        if ds.dtype.kind not in "iuf":
            raise self.error(f"dataset {full!r} holds {ds.dtype} values, expected numbers (integers or floats)")
        arr = np.asarray(self.read(ds), dtype=np.float64)
        lo, hi, lo_open, want = _KINDS[kind]
        if kind == "limit":
            arr = np.where(arr >= NO_LIMIT_FROM, np.inf, arr)
            ok = np.isposinf(arr) | ((arr >= lo) & (arr <= hi))
        else:
            ok = np.isfinite(arr) & ((arr > lo) if lo_open else (arr >= lo)) & (arr <= hi)
        if not ok.all():
            t, j = (int(x) for x in np.argwhere(~ok)[0])
            raise self.error(f"dataset {full!r} holds {arr[t, j].item()!r} at period {t + 1}, unit {j + 1} "
                             f"({names[j]!r}); expected {want}")
        return arr.T

    def core(self, group, fields):
        full = f"{group}/_core"
        ds = self.node(full)
        if ds.ndim != 1:
            raise self.error(f"dataset {full!r} has shape {ds.shape}, expected a table (one row per unit)")
        if ds.shape[0] > MAX_UNITS:
            raise self.error(f"dataset {full!r} lists {ds.shape[0]} entries; at most {MAX_UNITS} are read")
        names = ds.dtype.names or ()
        for fld in fields:
            if fld not in names:
                raise self.error(f"{full!r} lacks the field {fld!r} (has {list(names)})")
        table = self.read(ds)
        out = {}
        for fld in fields:
            col = []
            for i, v in enumerate(table[fld]):
                try:
                    col.append(_text(v))
                except (UnicodeDecodeError, ValueError) as exc:
                    raise self.error(f"{full!r} field {fld!r}, row {i + 1}: expected UTF-8 text ({exc})") from None
            out[fld] = col
        return out

    def group(self, name) -> bool:
        """Whether the component group ``name`` is present (an error if ``name`` is not a group)."""
        self.where = name
        try:
            obj = self.f.get(name)
        except _READ_ERRORS as exc:
            raise self.error(f"{name!r} cannot be read ({exc})") from None
        if obj is None:
            return False
        if not isinstance(obj, self.h5.Group):
            raise self.error(f"{name!r} is a {type(obj).__name__.lower()}, expected a group")
        return True

    def time_axis(self) -> tuple[TimeAxis, int]:
        """The time axis from the file attributes, each checked (type, range) before it is used."""
        T = self.number_attr("timestep_count", 1, MAX_PERIODS, whole=True)
        length = self.number_attr("timestep_length", 0.0, np.inf)  # the period's range is checked below
        unit = self.text_attr("timestep_unit").lower()
        if unit not in _UNITS_H:
            raise self.error(f"unknown timestep_unit {unit!r}; expected one of {sorted(_UNITS_H)}")
        step_h = length * _UNITS_H[unit]
        if not MIN_STEP_H <= step_h <= MAX_STEP_H:
            raise self.error(f"timestep_length {length!r} {unit} is a period of {step_h:g} h; expected one "
                             f"second to {MAX_STEP_H:g} h", column="timestep_length")
        start = self.text_attr("start_timestamp")
        if not _ISO.fullmatch(start):
            raise self.error(f"start_timestamp is {start!r}; expected an explicit ISO 8601 timestamp such as "
                             "'2020-01-01T00:00:00-05:00'")
        try:
            ts = pd.Timestamp(start)
        except (ValueError, OverflowError) as exc:
            raise self.error(f"start_timestamp {start!r} is not a valid time ({exc})") from None
        if not FIRST_YEAR <= ts.year <= LAST_YEAR:
            raise self.error(f"start_timestamp {start!r}: expected a year in {FIRST_YEAR}-{LAST_YEAR}")
        ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
        end_h = (pd.Timestamp(f"{LAST_YEAR + 1}-01-01", tz="UTC") - ts) / pd.Timedelta(hours=1)
        if T * step_h > end_h:
            raise self.error(f"timestep_count x timestep_length = {T * step_h:g} h from {start} runs past "
                             f"{LAST_YEAR}; expected a time axis within {FIRST_YEAR}-{LAST_YEAR}",
                             column="timestep_count")
        try:
            return TimeAxis(ts, step_h, T), T
        except InputError as exc:  # pragma: no cover - every field is checked above
            raise self.error(str(exc)) from None


def read_pras(path) -> SystemModel:
    """Read a ``.pras`` file into a :class:`~gigawatt.system.SystemModel`.

    Every attribute and dataset is checked before the system is built: types, shapes,
    text encoding, finite values in range (capacities >= 0 and at most :data:`MAX_MW`,
    probabilities in [0, 1], efficiencies in (0, 1]) and the size limits
    :data:`MAX_PERIODS`, :data:`MAX_UNITS` and :data:`MAX_VALUES`.

    Parameters
    ----------
    path : str or Path

    Raises
    ------
    FileFormatError
        Missing, unreadable, damaged or inconsistent files; the message names the file,
        the dataset or attribute, the value found and what was expected.
    """
    import h5py

    path = Path(path)
    try:
        exists, is_dir, is_file = path.exists(), path.is_dir(), path.is_file()
    except (OSError, ValueError) as exc:  # a name too long, a NUL in the name
        raise FileFormatError(path, f"cannot be read ({exc})") from None
    if is_dir:
        raise FileFormatError(path, "is a folder, expected a .pras file")
    if not exists:
        raise FileFormatError(path, "no such file")
    if not is_file:
        raise FileFormatError(path, "is not a regular file, expected a .pras file")
    try:
        f = h5py.File(path, "r")
    except _READ_ERRORS as exc:
        raise FileFormatError(path, f"not a readable HDF5 (.pras) file ({exc})") from None
    rd = _Reader(path, f)
    try:
        with f:
            version = rd.text_attr("pras_dataversion")
            if not (version.startswith("v0.7") or version.startswith("v0.8")):
                raise rd.error(f"unsupported PRAS data version {version!r} (expected v0.7.x or v0.8.x)")
            for attr, want in (("power_unit", "MW"), ("energy_unit", "MWh")):
                if attr in f.attrs and rd.text_attr(attr) != want:
                    raise rd.error(f"{attr} is {rd.text_attr(attr)!r}; gigawatt reads {want!r} only")
            ta, T = rd.time_axis()
            try:
                return _build(rd, ta, T)
            except InputError as exc:
                raise FileFormatError(path, f"inconsistent system: {exc}") from None
    except _READ_ERRORS as exc:  # anything h5py raises on a damaged file that the checks above did not
        raise FileFormatError(path, f"cannot read {rd.where!r} (damaged file? {type(exc).__name__}: {exc})",
                              column=rd.where) from None


def _build(rd: _Reader, ta: TimeAxis, T: int) -> SystemModel:
    def units(group, fields=("name", "category", "region")):
        if not rd.group(group):
            return None, ()
        c = rd.core(group, list(fields))
        n = len(c[fields[0]])
        if n * T > MAX_VALUES:
            raise rd.error(f"{group}: {n} units x {T} periods = {n * T:,} values per series; at most "
                           f"{MAX_VALUES:,} are read", column=f"{group}/_core")
        label = c["name"] if "name" in c else [f"{a}->{b}" for a, b in zip(c["region_from"], c["region_to"])]
        return c, label

    c, names = units("regions", ("name",))
    if c is None:
        raise rd.error("missing group 'regions'", column="regions")
    regions = Regions(names, rd.dataset("regions", "load", T, names))
    c, names = units("generators")
    if c is None:
        raise rd.error("missing group 'generators'", column="generators")
    gens = Generators(c["name"], c["category"], c["region"],
                      rd.dataset("generators", "capacity", T, names),
                      rd.dataset("generators", "failureprobability", T, names, "prob"),
                      rd.dataset("generators", "repairprobability", T, names, "prob"), n_periods=T)
    storages = genstors = interfaces = lines = None
    c, names = units("storages")
    if c is not None:
        kw = {k: rd.dataset("storages", v, T, names, _STORAGE_KINDS[k]) for k, v in _STORAGE_FIELDS.items()}
        storages = Storages(c["name"], c["category"], c["region"], n_periods=T, **kw)
    c, names = units("generatorstorages")
    if c is not None:
        kw = {k: rd.dataset("generatorstorages", v, T, names, _STORAGE_KINDS[k])
              for k, v in {**_STORAGE_FIELDS, **_GENSTOR_EXTRA}.items()}
        genstors = GeneratorStorages(names=c["name"], categories=c["category"], regions=c["region"], n_periods=T, **kw)
    c, names = units("interfaces", ("region_from", "region_to"))
    if c is not None:
        interfaces = Interfaces(c["region_from"], c["region_to"],
                                rd.dataset("interfaces", "forwardcapacity", T, names, "limit"),
                                rd.dataset("interfaces", "backwardcapacity", T, names, "limit"), n_periods=T)
    c, names = units("lines", ("name", "category", "region_from", "region_to"))
    if c is not None:
        lines = Lines(c["name"], c["category"], c["region_from"], c["region_to"],
                      rd.dataset("lines", "forwardcapacity", T, names, "limit"),
                      rd.dataset("lines", "backwardcapacity", T, names, "limit"),
                      rd.dataset("lines", "failureprobability", T, names, "prob"),
                      rd.dataset("lines", "repairprobability", T, names, "prob"), n_periods=T)
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
