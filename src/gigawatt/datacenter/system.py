"""A power system with data-center sites: what the sequential Monte Carlo assesses.

:class:`DataCenterSystem` wraps an immutable :class:`~gigawatt.system.SystemModel` (the
grid and its firm load, i.e. the residents) with the sites, the operator's emergency
order and the rotation policy. The engine adds each site's facility power to its
region's load, draws its on-site generating units' outages like generator outages (on
a separate random stream, so the grid's draws are unchanged), and after the network
dispatch of a period with a shortfall applies the emergency order; residents' metrics
use the firm load shed that is left.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from gigawatt.datacenter.order import EmergencyOrder, Packed, pack
from gigawatt.datacenter.outages import RotationPolicy
from gigawatt.datacenter.power import site_profile
from gigawatt.errors import InputError
from gigawatt.system import SystemModel


@dataclass(frozen=True)
class DataCenterSystem:
    """A grid plus data-center sites, demand response and the emergency order.

    Parameters
    ----------
    system : SystemModel
        The grid; its regional load is the firm (residents') load [MW].
    sites : tuple of DataCenterSite
    order : EmergencyOrder
        Emergency steps, demand-response programs, imports and voltage reduction.
    rotation : RotationPolicy
        How firm load shed becomes rotating outages of people and customers.
    site_load_mw : array (N, T), optional
        Facility demand of each site per period [MW]. Default: each site's
        ``SitePower.facility_mw`` over its training/inference profile
        (:func:`gigawatt.datacenter.power.site_profile`), the clock starting at the
        hour of the system's first timestamp.
    limit_year_h : float, optional
        Length of the year over which yearly limits count [h]: contract curtailment hours
        and energy, demand-response hours, on-site generation hours and energy start again
        at each multiple of it, and residents' counts of people and customers interrupted
        are counted per such year and summed. A whole number of periods. Default: the
        whole horizon is one year (right for a one-year system). For a horizon of several
        weather years back to back, 8760 h.

    Notes
    -----
    ``regions``, ``timeaxis`` and ``n_periods`` are those of ``system`` (firm load),
    so the standard result specs report the residents' side.
    """

    system: SystemModel
    sites: tuple = ()
    order: EmergencyOrder = field(default_factory=EmergencyOrder)
    rotation: RotationPolicy = field(default_factory=RotationPolicy)
    site_load_mw: np.ndarray | None = field(default=None, repr=False, compare=False)
    limit_year_h: float | None = None

    def __post_init__(self):
        if not isinstance(self.system, SystemModel):
            raise InputError(f"system: expected a SystemModel, got {type(self.system).__name__}")
        object.__setattr__(self, "sites", tuple(self.sites))
        names = list(self.system.regions.names)
        for k, s in enumerate(self.sites):
            if s.region not in names:
                raise InputError(f"sites[{k}].region: expected one of {names}, got {s.region!r}")
        T = self.system.n_periods
        if self.site_load_mw is None:
            ta = self.system.timeaxis
            start_h = float(ta.timestamps[0].hour + ta.timestamps[0].minute / 60.0)
            load = np.zeros((len(self.sites), T))
            for i, s in enumerate(self.sites):
                load[i] = s.power.facility_mw(site_profile(s.power, T, ta.step_h, start_h))
        else:
            load = np.array(self.site_load_mw, dtype=float, copy=True)
            if load.shape != (len(self.sites), T) or not np.all(np.isfinite(load)) or (load < 0).any():
                raise InputError(f"site_load_mw: expected finite values >= 0 of shape {(len(self.sites), T)}, "
                                 f"got shape {load.shape}")
        load.setflags(write=False)
        object.__setattr__(self, "site_load_mw", load)
        self.limit_year_periods  # validates limit_year_h
        pack(self.sites, self.order, names)  # validates regions of DR programs and imports

    # ---- the grid's view (firm load)
    @property
    def regions(self):
        return self.system.regions

    @property
    def timeaxis(self):
        return self.system.timeaxis

    @property
    def n_periods(self) -> int:
        return self.system.n_periods

    @property
    def site_names(self) -> list:
        return [s.name for s in self.sites]

    @property
    def limit_year_periods(self) -> int:
        """Periods per limit year (0: the whole horizon), from ``limit_year_h``."""
        if self.limit_year_h is None:
            return 0
        h = self.limit_year_h
        n = h / self.timeaxis.step_h if isinstance(h, (int, float)) and not isinstance(h, bool) else math.nan
        if not (math.isfinite(n) and n >= 1 and abs(n - round(n)) < 1e-9):
            raise InputError(f"limit_year_h: expected a whole number of periods of {self.timeaxis.step_h} h "
                             f"(>= 1 period), got {h!r}")
        return int(round(n))

    def packed(self) -> Packed:
        """Emergency-kernel arrays; energy budgets use each site's mean energy per limit year."""
        energy = self.site_load_mw.sum(axis=1) * self.timeaxis.step_h
        n = self.limit_year_periods
        if n:
            energy = energy * n / self.n_periods
        return pack(self.sites, self.order, self.system.regions.names, annual_energy_mwh=energy,
                    limit_year_periods=n)

    def region_site_load_mw(self) -> np.ndarray:
        """Data-center load per region and period (R, T) [MW]."""
        R = len(self.regions)
        out = np.zeros((R, self.n_periods))
        idx = self.system.region_index([s.region for s in self.sites])
        for i, r in enumerate(idx):
            out[r] += self.site_load_mw[i]
        return out

    def total_system(self) -> SystemModel:
        """The grid with every site's load added to its region (what the dispatch sees)."""
        return self.system.with_added_load(self.region_site_load_mw()) if self.sites else self.system

    def with_sites(self, sites) -> "DataCenterSystem":
        """The same grid, order and rotation with other sites."""
        return DataCenterSystem(self.system, tuple(sites), self.order, self.rotation,
                                limit_year_h=self.limit_year_h)
