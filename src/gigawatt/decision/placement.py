"""Where added capacity goes: :func:`with_added_capacity` places perfect firm capacity in a system,
spread by load; :func:`with_capacity_in_regions` places it in named regions (a zone's own need)."""

from __future__ import annotations

import dataclasses

import numpy as np


def with_added_capacity(dcs, capacity_mw: float):
    """``dcs`` with ``capacity_mw`` of perfect (never failing) capacity, spread over the regions in
    proportion to their mean load, data centers included (:func:`capacity_shares`).

    The capacity offsets load where it stands, in every period: the residents' load of its region
    first, then (beyond it) the region's data-center load, site by site in proportion to their load;
    beyond all of the region's load it is of no use there (it could only be exported). The grid's
    generators, and so their prepared outage tables, are shared with ``dcs``.
    """
    return _offset(dcs, capacity_mw * capacity_shares(dcs))


def with_capacity_in_regions(dcs, mw_by_region: dict):
    """``dcs`` with perfect capacity of ``mw_by_region[name]`` MW in each region named (``inf``: all of
    its load, the region made sure), offsetting load as :func:`with_added_capacity` does."""
    names = list(dcs.system.regions.names)
    most = dcs.total_system().regions.load_mw.max(axis=1) + 1.0  # more than all of each region's load
    add = np.zeros(len(names))
    for name, mw in mw_by_region.items():
        i = names.index(name)
        add[i] = min(add[i] + float(mw), most[i])
    if not np.any(add > 0):
        return dcs
    return _offset(dcs, add)


def _offset(dcs, add_by_region: np.ndarray):
    """``dcs`` with ``add_by_region`` [MW] (R,) of perfect capacity offsetting each region's load."""
    grid = dcs.system
    load = grid.regions.load_mw
    add = np.asarray(add_by_region, float)[:, None] * np.ones((1, load.shape[1]))
    grid_cut = np.minimum(add, load)
    shifted = dataclasses.replace(grid, regions=dataclasses.replace(grid.regions, load_mw=load - grid_cut))
    rest = add - grid_cut  # (R, T) left for the data centers of each region
    if not dcs.sites or not np.any(rest > 0):
        return dataclasses.replace(dcs, system=shifted)
    site_load = np.array(dcs.site_load_mw, dtype=float, copy=True)
    region_dc = dcs.region_site_load_mw()
    idx = grid.region_index([site.region for site in dcs.sites])
    for i, r in enumerate(idx):
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.where(region_dc[r] > 0, site_load[i] / region_dc[r], 0.0)
        site_load[i] = np.maximum(site_load[i] - rest[r] * frac, 0.0)
    return dataclasses.replace(dcs, system=shifted, site_load_mw=site_load)


def capacity_shares(dcs) -> np.ndarray:
    """Share of added capacity placed in each region: its mean load, data centers included [fraction]."""
    total = dcs.total_system().regions.load_mw.mean(axis=1)
    return total / total.sum()
