"""Results for both sides: residents (outages) and each data center (curtailment).

Per-sample functions turn one sample's per-period records (MW per period) into numbers;
:func:`summarize` turns the per-sample numbers into Monte Carlo estimates (mean and
standard error, :class:`gigawatt.stats.Estimate`).

Data-center throughput: each curtailment event (consecutive curtailed periods) of
length ``D`` is delivered by :func:`gigawatt.datacenter.throughput.cheapest_reduction`
at the event's mean cut over ``D``; a cut the job tiers cannot deliver is counted as
pausing whole GPUs (``lost GPU-h = undelivered MW / facility MW per GPU * D``, plus a
restart each).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from gigawatt.datacenter.order import DataCenterSite
from gigawatt.datacenter.outages import RotationPolicy, rotating_outages
from gigawatt.datacenter.throughput import (cheapest_reduction, default_job_classes, reduction_curve,
                                            reduction_curves)
from gigawatt.errors import InputError
from gigawatt.stats import Estimate

_TOL_MW = 1e-6


def _runs(mask):
    """(start, stop) of runs of True in a 1-D boolean array."""
    m = np.concatenate(([False], np.asarray(mask, dtype=bool), [False]))
    d = np.diff(m.astype(np.int8))
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1)))


@dataclass(frozen=True)
class SiteSample:
    """One data center in one sample.

    Attributes
    ----------
    events : curtailment events [-]
    curtailed_h : hours with curtailment [h]
    curtailed_mwh : energy curtailed [MWh]
    max_depth_frac : deepest cut over the site's load [fraction]
    mean_event_h : mean event length [h]
    battery_mwh : battery energy discharged for the grid [MWh]
    battery_cycles : ``battery_mwh`` over battery energy capacity [-]
    generation_h, generation_mwh : on-site generation run hours [h] and energy [MWh]
    gpu_hours_lost : [GPU-h]
    throughput_lost_frac : GPU-hours lost over the site's GPU-hours in the horizon [fraction]
    restarts : job restarts caused by pauses [-]
    """

    events: float
    curtailed_h: float
    curtailed_mwh: float
    max_depth_frac: float
    mean_event_h: float
    battery_mwh: float
    battery_cycles: float
    generation_h: float
    generation_mwh: float
    gpu_hours_lost: float
    throughput_lost_frac: float
    restarts: float


def event_cost(site: DataCenterSite, mean_cut_mw: float, duration_h: float, mean_load_mw: float):
    """GPU-hours lost and job restarts of one curtailment event (see module doc).

    Parameters
    ----------
    site : DataCenterSite
    mean_cut_mw : float
        Mean curtailment over the event [MW].
    duration_h : float
        Event length [h].
    mean_load_mw : float
        Mean site load over the event [MW] (sets the working profile).

    Returns
    -------
    (float, int)
        GPU-hours lost [GPU-h] and restarts [-].
    """
    jobs = site.flexibility.jobs if site.flexibility is not None else default_job_classes()
    sp = site.power
    profile = float(min(1.0, mean_load_mw / sp.peak_facility_mw))
    plan = cheapest_reduction(sp, jobs, mean_cut_mw, duration_h, profile=profile)
    lost = plan.gpu_hours_lost
    restarts = plan.restarts
    short = mean_cut_mw - plan.delivered_mw
    if short > _TOL_MW:
        lost += short / (sp.peak_facility_mw / sp.n_gpus) * duration_h
        restarts += 1
    return float(lost), int(restarts)


def event_costs(site: DataCenterSite, mean_cut_mw, duration_h: float, mean_load_mw: float):
    """:func:`event_cost` for many events of one length and mean load (arrays of cuts).

    Returns
    -------
    (array, array)
        GPU-hours lost [GPU-h] and restarts [-] per event.
    """
    jobs = site.flexibility.jobs if site.flexibility is not None else default_job_classes()
    sp = site.power
    profile = float(min(1.0, mean_load_mw / sp.peak_facility_mw))
    cut = np.asarray(mean_cut_mw, dtype=float)
    lost, restarts, delivered = reduction_curve(sp, jobs, duration_h, profile)(cut)
    short = cut - delivered
    over = short > _TOL_MW
    lost = lost + np.where(over, short / (sp.peak_facility_mw / sp.n_gpus) * duration_h, 0.0)
    return lost, restarts + over.astype(np.int64)


def event_costs_many(site: DataCenterSite, mean_cut_mw, duration_h, mean_load_mw):
    """:func:`event_costs` for many events of any lengths and mean loads (arrays, one entry per event).

    Equal bit for bit to ``event_costs(site, [mean_cut_mw[e]], duration_h[e], mean_load_mw[e])``
    for each event ``e``: the cost curves of all distinct (length, working profile) pairs
    are built together (:func:`gigawatt.datacenter.throughput.reduction_curves`) with the
    same arithmetic.

    Returns
    -------
    (array, array)
        GPU-hours lost [GPU-h] and restarts [-] per event.
    """
    jobs = site.flexibility.jobs if site.flexibility is not None else default_job_classes()
    sp = site.power
    cut = np.asarray(mean_cut_mw, dtype=float).reshape(-1)
    dur = np.broadcast_to(np.asarray(duration_h, dtype=float), cut.shape)
    ratio = np.broadcast_to(np.asarray(mean_load_mw, dtype=float), cut.shape) / sp.peak_facility_mw
    profile = np.where(ratio < 1.0, ratio, 1.0)  # min(1.0, ratio)
    # one curve per distinct (length, profile), told apart by their bits
    db, pb = np.ascontiguousarray(dur).view(np.int64), profile.view(np.int64)
    order = np.lexsort((pb, db))
    first = np.ones(cut.size, dtype=bool)
    first[1:] = (db[order[1:]] != db[order[:-1]]) | (pb[order[1:]] != pb[order[:-1]])
    lane = np.empty(cut.size, dtype=np.int64)
    lane[order] = np.cumsum(first) - 1
    lanes = order[first]  # an event of each lane
    lost, restarts, delivered = reduction_curves(sp, jobs, dur[lanes], profile[lanes])(lane, cut)
    short = cut - delivered
    over = short > _TOL_MW
    lost = lost + np.where(over, short / (sp.peak_facility_mw / sp.n_gpus) * dur, 0.0)
    return lost, restarts + over.astype(np.int64)


def site_sample(site: DataCenterSite, dt_h: float, site_load_mw, curtail_mw, battery_mw=None,
                generation_mw=None) -> SiteSample:
    """Data-center metrics of one sample from its per-period records.

    Parameters
    ----------
    site : DataCenterSite
    dt_h : float
        Period length [h].
    site_load_mw, curtail_mw : array (T,)
        Site load and curtailment per period [MW].
    battery_mw, generation_mw : array (T,), optional
        Battery discharge and on-site generation for the grid per period [MW].
    """
    load = np.asarray(site_load_mw, dtype=float)
    cut = np.asarray(curtail_mw, dtype=float)
    if load.shape != cut.shape or load.ndim != 1:
        raise InputError(f"curtail_mw: expected the shape of site_load_mw {load.shape}, got {cut.shape}")
    T = cut.shape[0]
    bat = np.zeros(T) if battery_mw is None else np.asarray(battery_mw, dtype=float)
    gen = np.zeros(T) if generation_mw is None else np.asarray(generation_mw, dtype=float)
    sp = site.power
    runs = _runs(cut > _TOL_MW)
    lost = 0.0
    restarts = 0
    for a, b in runs:
        gh, rs = event_cost(site, float(cut[a:b].mean()), (b - a) * dt_h, float(load[a:b].mean()))
        lost += gh
        restarts += rs
    depth = np.divide(cut, load, out=np.zeros(T), where=load > 0)
    e_bat = site.battery.energy_mwh if site.battery is not None else 0.0
    return SiteSample(
        events=float(len(runs)),
        curtailed_h=float((cut > _TOL_MW).sum() * dt_h),
        curtailed_mwh=float(cut.sum() * dt_h),
        max_depth_frac=float(depth.max()) if T else 0.0,
        mean_event_h=float(np.mean([(b - a) * dt_h for a, b in runs])) if runs else 0.0,
        battery_mwh=float(bat.sum() * dt_h),
        battery_cycles=float(bat.sum() * dt_h / e_bat) if e_bat > 0 else 0.0,
        generation_h=float((gen > _TOL_MW).sum() * dt_h),
        generation_mwh=float(gen.sum() * dt_h),
        gpu_hours_lost=float(lost),
        throughput_lost_frac=float(lost / (sp.n_gpus * T * dt_h)) if T else 0.0,
        restarts=float(restarts),
    )


@dataclass(frozen=True)
class ResidentsSample:
    """Residents' side of one sample.

    Attributes
    ----------
    lole_d : days with firm load shed [d]; lolh_h : hours with shed [h]; eue_mwh : shed energy [MWh]
    people_interrupted, customers_interrupted : [-]; customer_hours : [customer-h]
    mean_hours_per_customer : mean hours without power per affected customer [h]
    longest_outage_h : [h]; collapsed_h : hours of collapsed rotation [h]
    """

    lole_d: float
    lolh_h: float
    eue_mwh: float
    people_interrupted: float
    customers_interrupted: float
    customer_hours: float
    mean_hours_per_customer: float
    longest_outage_h: float
    collapsed_h: float


def residents_sample(shed_mw, firm_load_mw, dt_h: float, day_index, peak_firm_load_mw: float,
                     policy: RotationPolicy = RotationPolicy()) -> ResidentsSample:
    """Residents' metrics of one sample and one region from its firm-load shed series.

    Parameters
    ----------
    shed_mw : array (T,) [MW]
    firm_load_mw : float or array (T,) [MW]
    dt_h : float [h]
    day_index : int array (T,)
        Day of each period (``TimeAxis.day_index``).
    peak_firm_load_mw : float [MW]
    """
    shed = np.asarray(shed_mw, dtype=float)
    short = shed > _TOL_MW
    imp = rotating_outages(shed, firm_load_mw, dt_h, peak_firm_load_mw, policy)
    return ResidentsSample(
        lole_d=float(np.unique(np.asarray(day_index)[short]).size),
        lolh_h=float(short.sum() * dt_h),
        eue_mwh=imp.shed_mwh,
        people_interrupted=imp.people_interrupted,
        customers_interrupted=imp.customers_interrupted,
        customer_hours=imp.customer_hours,
        mean_hours_per_customer=imp.mean_hours_per_affected_customer,
        longest_outage_h=imp.longest_outage_h,
        collapsed_h=imp.collapsed_h,
    )


def summarize(samples) -> dict:
    """Mean and standard error of every field over per-sample results (all of one type).

    Returns
    -------
    dict field name -> Estimate
    """
    samples = list(samples)
    if not samples:
        raise InputError("samples: expected at least one per-sample result")
    kind = type(samples[0])
    return {f.name: Estimate.of([getattr(s, f.name) for s in samples]) for f in fields(kind)}
