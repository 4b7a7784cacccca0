"""The system model: regions, units, storage and interfaces on one time axis."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from gigawatt.errors import InputError
from gigawatt.system.components import (
    GeneratorStorages,
    Generators,
    Interfaces,
    Lines,
    Regions,
    Storages,
    TimeAxis,
)


def _empty(kind, t):
    if kind is Generators:
        return Generators((), (), (), np.zeros((0, t)), n_periods=t)
    if kind is Storages:
        z = np.zeros((0, t))
        return Storages((), (), (), z, z, z, n_periods=t)
    if kind is GeneratorStorages:
        z = np.zeros((0, t))
        return GeneratorStorages((), (), (), z, z, z, n_periods=t)
    if kind is Interfaces:
        return Interfaces((), (), np.zeros((0, t)), np.zeros((0, t)), n_periods=t)
    if kind is Lines:
        return Lines((), (), (), (), np.zeros((0, t)), np.zeros((0, t)), n_periods=t)
    raise TypeError(kind)


@dataclass(frozen=True)
class SystemModel:
    """A power system for adequacy assessment (immutable; validated at construction).

    Parameters
    ----------
    timeaxis : TimeAxis
    regions : Regions
    generators : Generators
    storages, generatorstorages, interfaces, lines : optional components
    load_forecast_sd : float
        Load forecast uncertainty: standard deviation of a factor on the load [-], drawn once per
        Monte Carlo sample (normal, mean 1, cut at 4 standard deviations) by the sequential method;
        0 (default): the load as given. With data-center sites only the grid's (residents') load
        takes the factor.

    Notes
    -----
    The layout follows NREL PRAS's ``SystemModel`` so that `.pras` files map one to
    one (gigawatt.io.pras).
    """

    timeaxis: TimeAxis
    regions: Regions
    generators: Generators
    storages: Storages | None = None
    generatorstorages: GeneratorStorages | None = None
    interfaces: Interfaces | None = None
    lines: Lines | None = None
    load_forecast_sd: float = 0.0

    def __post_init__(self):
        sd = self.load_forecast_sd
        if isinstance(sd, bool) or not isinstance(sd, (int, float, np.integer, np.floating)) or not 0.0 <= sd <= 0.2:
            raise InputError(f"load_forecast_sd: expected a fraction in [0, 0.2], got {sd!r}")
        object.__setattr__(self, "load_forecast_sd", float(sd))
        t = self.timeaxis.n_periods
        for name, kind in (("storages", Storages), ("generatorstorages", GeneratorStorages),
                           ("interfaces", Interfaces), ("lines", Lines)):
            if getattr(self, name) is None:
                object.__setattr__(self, name, _empty(kind, t))
        for name in ("regions", "generators", "storages", "generatorstorages", "interfaces", "lines"):
            comp = getattr(self, name)
            if comp.n_periods != t:
                raise InputError(f"{name}: has {comp.n_periods} periods but the time axis has {t}")
        known = set(self.regions.names)
        for name in ("generators", "storages", "generatorstorages"):
            comp = getattr(self, name)
            for unit, reg in zip(comp.names, comp.regions):
                if reg not in known:
                    raise InputError(f"{name}: unit {unit!r} is in unknown region {reg!r}; known: {sorted(known)}")
        for name in ("interfaces", "lines"):
            comp = getattr(self, name)
            for a, b in zip(comp.regions_from, comp.regions_to):
                for r in (a, b):
                    if r not in known:
                        raise InputError(f"{name}: unknown region {r!r}; known: {sorted(known)}")
        pairs = {tuple(sorted(p)) for p in zip(self.interfaces.regions_from, self.interfaces.regions_to)}
        for ln, a, b in zip(self.lines.names, self.lines.regions_from, self.lines.regions_to):
            if tuple(sorted((a, b))) not in pairs:
                raise InputError(f"lines: line {ln!r} joins {a!r} and {b!r}, which have no interface")

    # ------------------------------------------------------------------ helpers
    @property
    def n_periods(self) -> int:
        return self.timeaxis.n_periods

    def region_index(self, names) -> np.ndarray:
        """Indices of the given region names."""
        lookup = {n: i for i, n in enumerate(self.regions.names)}
        return np.array([lookup[n] for n in names], dtype=np.int64)

    def line_interface_index(self) -> tuple[np.ndarray, np.ndarray]:
        """For each line: the index of its interface and +1/-1 if it runs the same/opposite way."""
        lookup = {}
        for i, (a, b) in enumerate(zip(self.interfaces.regions_from, self.interfaces.regions_to)):
            lookup[(a, b)] = (i, 1)
            lookup[(b, a)] = (i, -1)
        idx = np.array([lookup[p][0] for p in zip(self.lines.regions_from, self.lines.regions_to)], dtype=np.int64)
        sign = np.array([lookup[p][1] for p in zip(self.lines.regions_from, self.lines.regions_to)], dtype=np.int64)
        return idx, sign

    def with_added_load(self, load_mw) -> "SystemModel":
        """A copy with ``load_mw`` [MW] added to every region in every period.

        ``load_mw`` is a scalar (each region) or a per-region vector.
        """
        add = np.asarray(load_mw, dtype=float)
        if add.ndim == 1 and add.shape[0] != len(self.regions):
            raise InputError(f"added load: expected {len(self.regions)} values (one per region), got {add.shape[0]}")
        new = self.regions.load_mw + (add[:, None] if add.ndim == 1 else add)
        if (new < 0).any():
            raise InputError("added load: the resulting load would be negative")
        return dataclasses.replace(self, regions=Regions(self.regions.names, new))

    def summary(self) -> dict:
        """A short description (counts, peak load, capacity)."""
        load = self.regions.load_mw.sum(axis=0)
        return {
            "periods": self.n_periods,
            "step_h": self.timeaxis.step_h,
            "start": self.timeaxis.start.isoformat(),
            "regions": len(self.regions),
            "generators": len(self.generators),
            "storages": len(self.storages),
            "generatorstorages": len(self.generatorstorages),
            "interfaces": len(self.interfaces),
            "lines": len(self.lines),
            "peak_load_mw": float(load.max()),
            "energy_mwh": float(load.sum() * self.timeaxis.step_h),
            "max_capacity_mw": float(self.generators.capacity_mw.sum(axis=0).max()) if len(self.generators) else 0.0,
        }
