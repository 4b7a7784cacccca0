"""Result spec for data centers: both sides of every result, residents and each site.

:class:`DataCenters` needs a :class:`~gigawatt.datacenter.system.DataCenterSystem`. Every
number is a Monte Carlo estimate (mean and standard error over samples) per simulated
horizon (normally one year). The kernel streams per-sample scalars (site counters,
residents' rotating-outage counts) and a list of curtailment events; GPU-hours lost and
restarts are computed here from each event with
:func:`gigawatt.datacenter.metrics.event_costs_many` (the piecewise-linear form of
:func:`gigawatt.datacenter.metrics.event_cost`, with the curves of all lengths and mean
loads of a site built at once), as :func:`gigawatt.datacenter.metrics.site_sample` does from a trace.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from gigawatt.datacenter.metrics import event_costs_many
from gigawatt.errors import InputError
from gigawatt.methods import _dc_kernel as DC
from gigawatt.methods.sequential import Accumulators
from gigawatt.results.specs import ResultSpec
from gigawatt.stats import Estimate

#: residents' fields and their units (per horizon)
RESIDENT_FIELDS = {
    "lole_d": "days with firm load shed [d]",
    "lolh_h": "hours with firm load shed [h]",
    "eue_mwh": "firm load shed [MWh]",
    "people_interrupted": "distinct people with an outage, counted per year (limit year) and summed [-]",
    "customers_interrupted": "distinct customers with an outage, counted per year (limit year) and summed [-]",
    "customer_hours": "customer-hours without power [customer-h]",
    "mean_hours_per_customer": "mean hours without power per affected customer [h]",
    "longest_outage_h": "longest continuous outage of a block [h]",
    "collapsed_h": "hours of collapsed rotation, summed over regions [h]",
    "unserved_before_order_mwh": "unserved energy after the dispatch, before the emergency order [MWh]",
    "emergency_relief_mwh": "energy of emergency actions other than load shed [MWh]",
}
#: fields of each data center and their units (per horizon)
SITE_FIELDS = {
    "events": "curtailment events [-]",
    "curtailed_h": "hours curtailed [h]",
    "curtailed_mwh": "energy curtailed [MWh]",
    "max_depth_frac": "deepest cut over site load [fraction]",
    "mean_event_h": "mean curtailment event length [h]",
    "battery_mwh": "battery energy discharged for the grid [MWh]",
    "battery_cycles": "battery_mwh over battery energy [-]",
    "recharge_mwh": "battery recharge drawn from grid surplus [MWh]",
    "generation_h": "on-site generation hours [h]",
    "generation_mwh": "on-site generation energy [MWh]",
    "gpu_hours_lost": "GPU-hours lost [GPU-h]",
    "throughput_lost_frac": "GPU-hours lost over GPU-hours in the horizon [fraction]",
    "restarts": "job restarts caused by pauses [-]",
}


@dataclass(frozen=True)
class DataCenterResult:
    """Residents' and each data center's results (each an :class:`Estimate` per horizon).

    Attributes
    ----------
    samples : int
    residents : dict field -> Estimate (see :data:`RESIDENT_FIELDS`)
    sites : dict site name -> dict field -> Estimate (see :data:`SITE_FIELDS`)
    demand_response : dict program name -> {"hours_h", "events"} -> Estimate
    outage_hours : dict
        How long affected customers are without power: ``upper_h`` (bin upper bounds of the
        hours without power of a customer in one year [h]; a bin holds hours above the
        previous bound) and ``customers`` (an Estimate per bin: customers per horizon, each
        counted once per year in which they are affected).
    """

    samples: int
    residents: dict
    sites: dict
    demand_response: dict
    outage_hours: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-ready: ``{"residents": {...}, "sites": {name: {...}}, "demand_response": {...}}``."""
        return {
            "samples": self.samples,
            "residents": {k: e.to_dict() for k, e in self.residents.items()},
            "sites": {n: {k: e.to_dict() for k, e in d.items()} for n, d in self.sites.items()},
            "demand_response": {n: {k: e.to_dict() for k, e in d.items()} for n, d in self.demand_response.items()},
            "outage_hours": {"upper_h": [None if math.isinf(x) else x for x in self.outage_hours.get("upper_h", [])],
                             "customers": [e.to_dict() for e in self.outage_hours.get("customers", [])]},
        }


def _unique_rows(keys):
    """``np.unique(keys, axis=0, return_inverse=True)`` (inverse flat), by a lexsort where that is the same.

    With finite non-zero keys (no signed zeros or NaN to merge) equal rows are equal bit for
    bit and both sort the distinct rows lexicographically; otherwise ``np.unique`` itself.
    """
    if not (np.isfinite(keys).all() and (keys[:, 1:] != 0).all()):
        uniq, inv = np.unique(keys, axis=0, return_inverse=True)
        return uniq, inv.reshape(-1)
    order = np.lexsort(keys.T[::-1])
    s = keys[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (s[1:] != s[:-1]).any(axis=1)
    inv = np.empty(len(order), dtype=np.int64)
    inv[order] = np.cumsum(first) - 1
    return s[first], inv


def site_samples(acc: Accumulators, system) -> dict:
    """Per-sample values of every site field: ``{site name: {field: array (n,)}}``."""
    n = acc.samples
    dt = acc.step_h
    T = system.n_periods
    lost = np.zeros((n, len(system.sites)))
    restarts = np.zeros((n, len(system.sites)))
    ev = acc.dc_events
    if ev.shape[0]:
        site_i = ev[:, DC.EV_SITE].astype(np.int64)
        periods = ev[:, DC.EV_PERIODS]
        mean_load = ev[:, DC.EV_LOAD_MWH] / (periods * dt)
        k = ev[:, DC.EV_SAMPLE].astype(np.int64) - acc.sample0
        # events of one site, length and mean load share one cost curve (exact, piecewise linear);
        # the groups fix the order in which events are summed (group, then event) and their values
        keys = np.stack([site_i.astype(float), periods, mean_load], axis=1)
        uniq, inv = _unique_rows(keys)
        d = uniq[inv, 1] * dt
        cut = ev[:, DC.EV_CUT_MWH] / d
        gh = np.empty(ev.shape[0])
        rs = np.empty(ev.shape[0], dtype=np.int64)
        for i in np.unique(site_i):  # all lengths and loads of a site at once
            sel = np.flatnonzero(site_i == i)
            gh[sel], rs[sel] = event_costs_many(system.sites[int(i)], cut[sel], d[sel], uniq[inv[sel], 2])
        order = np.argsort(inv, kind="stable")
        np.add.at(lost, (k[order], site_i[order]), gh[order])
        np.add.at(restarts, (k[order], site_i[order]), rs[order])
    out = {}
    for i, site in enumerate(system.sites):
        a = acc.site[:, i, :]
        ev = a[:, DC.SR_EVENTS]
        e_bat = site.battery.energy_mwh if site.battery is not None else 0.0
        out[site.name] = {
            "events": ev,
            "curtailed_h": a[:, DC.SR_CURT_H],
            "curtailed_mwh": a[:, DC.SR_CURT_MWH],
            "max_depth_frac": a[:, DC.SR_MAX_DEPTH],
            "mean_event_h": np.divide(a[:, DC.SR_CURT_H], ev, out=np.zeros(n), where=ev > 0),
            "battery_mwh": a[:, DC.SR_BAT_MWH],
            "battery_cycles": a[:, DC.SR_BAT_MWH] / e_bat if e_bat > 0 else np.zeros(n),
            "recharge_mwh": a[:, DC.SR_CHARGE_MWH],
            "generation_h": a[:, DC.SR_GEN_H],
            "generation_mwh": a[:, DC.SR_GEN_MWH],
            "gpu_hours_lost": lost[:, i],
            "throughput_lost_frac": lost[:, i] / (site.power.n_gpus * T * dt) if T else np.zeros(n),
            "restarts": restarts[:, i],
        }
    return out


def resident_samples(acc: Accumulators, system) -> dict:
    """Per-sample values of every residents' field: ``{field: array (n,)}``."""
    n = acc.samples
    res = acc.res
    cpp = system.rotation.customers_per_person
    cust = res[:, :, DC.RR_CUSTOMERS].sum(axis=1)
    ch = res[:, :, DC.RR_CUST_H].sum(axis=1)
    return {
        "lole_d": acc.lold.astype(float),
        "lolh_h": acc.lolp * acc.step_h,
        "eue_mwh": acc.eue,
        "people_interrupted": cust / cpp if cpp > 0 else np.zeros(n),
        "customers_interrupted": cust,
        "customer_hours": ch,
        "mean_hours_per_customer": np.divide(ch, cust, out=np.zeros(n), where=cust > 0),
        "longest_outage_h": res[:, :, DC.RR_LONGEST_H].max(axis=1) if res.shape[1] else np.zeros(n),
        "collapsed_h": res[:, :, DC.RR_COLLAPSED_H].sum(axis=1),
        "unserved_before_order_mwh": res[:, :, DC.RR_RAW_MWH].sum(axis=1),
        "emergency_relief_mwh": res[:, :, DC.RR_RELIEF_MWH].sum(axis=1),
    }


@dataclass(frozen=True)
class DataCenters(ResultSpec):
    """Both sides: residents (outages, people) and each data center (curtailment, GPU-hours)."""

    def finalize(self, acc: Accumulators, system) -> DataCenterResult:
        if acc.site is None or not hasattr(system, "sites"):
            raise InputError("DataCenters: the system has no data centers; assess a DataCenterSystem")
        res = {k: Estimate.of(v) for k, v in resident_samples(acc, system).items()}
        sites = {name: {k: Estimate.of(v) for k, v in d.items()} for name, d in site_samples(acc, system).items()}
        dr = {}
        for p, prog in enumerate(system.order.demand_response):
            dr[prog.name] = {"hours_h": Estimate.of(acc.dr[:, p, DC.DRR_H]),
                             "events": Estimate.of(acc.dr[:, p, DC.DRR_EVENTS])}
        hist = acc.res[:, :, DC.RR_HOURS_HIST:DC.RR_HOURS_HIST + DC.NHB].sum(axis=1)
        hours = {"upper_h": [float(x) for x in DC.HOURS_HIST_UPPER_H],
                 "customers": [Estimate.of(hist[:, k]) for k in range(DC.NHB)]}
        return DataCenterResult(acc.samples, res, sites, dr, hours)
