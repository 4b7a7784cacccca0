"""One (study year, policy): its verdict, its gap or headroom, and the year's detail."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from gigawatt.assess import Assessment
from gigawatt.decision.method import DecisionMethod
from gigawatt.decision.placement import with_added_capacity
from gigawatt.decision.search import Meter, Search, _log_floor, secant_search
from gigawatt.decision.verdict import STANDARD_LOLE_D, Verdict, verdict_run
from gigawatt.decision.zonal import (LDA_GROUPS, LDA_ZONES, ZonalCell, capacity_arithmetic_mw, combined, gap_by_zone,
                                     import_alternative, own_need, with_own_capacity)
from gigawatt.methods.sequential import SequentialMonteCarlo
from gigawatt.outlook import OutlookAssumptions, YearResult, policy_system, year_result
from gigawatt.stats import Estimate


def _scale_mw(outlook: OutlookAssumptions, year: int) -> float:
    """First guess of the MW per e-fold of LOLE: 1.5 % of the year's peak [est] (from trial runs of
    the PJM default, 2.2-2.8 GW at 150-190 GW of peak)."""
    return 0.015 * outlook.forecast_peak_mw(year)


# ----------------------------------------------------------------------------------- one cell
@dataclass(frozen=True)
class CellResult:
    """One (year, policy): the detail (:class:`~gigawatt.outlook.YearResult`), verdict, gap and headroom."""

    result: YearResult
    verdict: Verdict
    gap: Search
    headroom: Search
    zonal: object | None = None  # gigawatt.decision.zonal.ZonalCell: the gap by zone (None: not searched)


def assess_cell(outlook: OutlookAssumptions, year: int, policy: str, method: DecisionMethod, grid=None,
                dc_mw: float | None = None, search: bool = True, guess_mw: float | None = None,
                zonal_detail: bool = False, own_guess_mw: dict | None = None, decompose: bool = False) -> CellResult:
    """Verdict, gap or headroom, and the year's detail for one study year under one policy.

    ``guess_mw``: where the gap search starts (e.g. extrapolated from the years before); the answer does
    not depend on it beyond the search's resolution, only the number of trials does. The gap places
    capacity where it relieves risk (:mod:`gigawatt.decision.zonal`): first in each LDA zone that misses
    its own criterion, then for the RTO's. ``zonal_detail``: also the import alternative (the gap policy's
    cells); ``decompose``: also the decomposition from PJM's capacity arithmetic to the gap, one modelling
    element a step (:mod:`gigawatt.decision.decompose`; with ``zonal_detail``); ``own_guess_mw``: zone ->
    first trial of its own need.
    """
    from gigawatt.results import Shortfall
    from gigawatt.results.datacenter import DataCenters

    name = outlook.policy.resolve([policy], "policy")[0]
    grid = outlook.grid(year) if grid is None else grid
    dc = outlook.dc_load_mw(year) if dc_mw is None else float(dc_mw)
    dcs = policy_system(outlook, year, name, grid=grid, dc_mw=dc)
    mc = method.monte_carlo()
    base = Assessment(dcs, mc, periods="lolp")  # by period, the year's result reads the LOLP only
    verdict = verdict_run(base, method)
    acc = base.accumulators()
    short = Shortfall().finalize(acc, dcs)
    dcr = DataCenters().finalize(acc, dcs)
    detail = year_result(outlook, year, name, dcs, short, dcr)
    none = Search("none", 0.0, 0.0, 0.0, "not searched")
    if not search:
        return CellResult(detail, verdict, none, none)
    n = method.search_samples
    # gap or headroom by the verdict (an undecided cell by its mean)
    fails = verdict.status == "fails" or (verdict.status == "undecided" and verdict.lole_d.mean > STANDARD_LOLE_D)
    near = verdict.status != "fails" or abs(math.log(max(verdict.lole_d.mean, 1e-9) / STANDARD_LOLE_D)) < 1.0
    if near:
        base.extend(n)  # near the standard, the unchanged system is a point of the search: its samples
        if (Estimate.of(base.lole_per_year(n)).mean > STANDARD_LOLE_D) != fails:
            n = base.samples  # its first samples disagree with the verdict: search on the verdict's samples
    f0 = base.lole_per_year(n)  # far above it, only its verdict's samples (the first of the same streams) aim the first step

    def f0_full():  # ... unless the crossing turns out to lie next to the unchanged system
        base.extend(n)
        return base.lole_per_year(n)

    floor = _log_floor(n * base.years_per_sample)
    scale = _scale_mw(outlook, year)
    kind = outlook.policy.kind(name)
    needs = zone_needs(dcs, mc, method, scale, own_guess_mw) if kind != "connect-and-manage" else {}
    own_mw = sum(nd.capacity.x_mw for nd in needs.values())
    if fails or own_mw > 0:
        gap = placed_gap(dcs, needs, n, mc, scale, z=method.z_interval, max_trials=method.max_trials,
                         f0=f0, guess_mw=guess_mw, f0_full=f0_full)
    if fails:
        headroom = Search("data-center load", 0.0, 0.0, 0.0, "fails at zero")
    elif outlook.policy.kind(name) == "connect-and-manage":
        # new load is curtailed before any resident and as deep as needed: it never adds to the
        # residents' LOLE (tests/outlook/test_decision.py checks this on the PJM default)
        gap = Search("capacity", 0.0, 0.0, 0.0, "meets at zero")
        headroom = Search("data-center load", math.inf, math.inf, None, "unlimited: curtailed first")
    else:
        def ev_load(x):
            return Assessment(policy_system(outlook, year, name, grid=grid, dc_mw=dc + x), mc,
                              periods="lolp").extend(n).lole_per_year()

        cap = min(method.headroom_cap_mw, 0.95 * outlook.forecast_peak_mw(year) - dc)
        headroom = Search.of("data-center load", secant_search(
            ev_load, f0, +1, scale, STANDARD_LOLE_D, floor, z=method.z_interval, max_trials=method.max_trials,
            cap_mw=cap, f0_full=f0_full))
        if own_mw <= 0:
            gap = Search("capacity", 0.0, 0.0, 0.0, "meets at zero")
    zc = zonal_cell(outlook, year, dcs, needs, gap, mc, method, scale, zonal_detail,
                    decompose and zonal_detail, policy=name) if needs else None
    return CellResult(detail, verdict, gap, headroom, zc)


def placed_gap(dcs, needs: dict, samples: int, mc: SequentialMonteCarlo, scale_mw: float, *, z: float = 2.0,
               max_trials: int = 5, f0: np.ndarray | None = None, guess_mw: float | None = None,
               f0_full: Callable | None = None, meter: Meter | None = None) -> Search:
    """The gap [MW] with capacity where it relieves risk: the zones' own needs (``needs``, zone ->
    :class:`~gigawatt.decision.zonal.ZoneNeed`) in place, then the RTO's further capacity spread by load
    (:func:`capacity_gap`); ``f0``: per-sample LOLE of ``dcs`` itself (used when no zone needs any);
    ``meter``: counts the samples of the RTO's search."""
    own_mw = sum(nd.capacity.x_mw for nd in needs.values())
    if own_mw <= 0:
        return capacity_gap(dcs, f0, samples, mc, scale_mw, z=z, max_trials=max_trials, first_mw=guess_mw,
                            f0_full=f0_full, meter=meter)
    first = None if guess_mw is None or guess_mw <= own_mw else guess_mw - own_mw
    rest = capacity_gap(with_own_capacity(dcs, needs), None, samples, mc, scale_mw, z=z, max_trials=max_trials,
                        first_mw=first, meter=meter)
    return combined(needs, rest)


def lda_zones(dcs) -> tuple:
    """The LDAs of ``dcs`` held to their own criterion, the zones first in region order, then the LDAs of
    several zones (:data:`~gigawatt.decision.zonal.LDA_GROUPS`, the smaller first) whose zones are all
    regions of ``dcs``: the zones of :data:`~gigawatt.decision.zonal.LDA_ZONES` joined by an import limit
    and with load (none on a copper plate or one region)."""
    itf = dcs.system.interfaces
    if itf is None or len(itf) == 0:
        return ()
    regions = dcs.system.regions
    zones = tuple(zn for zn, load in zip(regions.names, regions.load_mw) if zn in LDA_ZONES and float(load.max()) > 0)
    return zones + tuple(g for g, members in LDA_GROUPS.items() if set(members) <= set(regions.names))


def zone_needs(dcs, mc, method: DecisionMethod, scale: float, own_guess_mw: dict | None = None,
               meter: Meter | None = None) -> dict:
    """LDA -> :class:`~gigawatt.decision.zonal.ZoneNeed` of each LDA of ``dcs`` (:func:`lda_zones`), each on
    its own (the rest made sure); an LDA of several zones with the needs of the zones and LDAs inside it in
    place; ``meter`` counts their samples, ``search_samples x (1 + max_trials)`` at most for each in turn."""
    guess = own_guess_mw or {}
    per = method.search_samples * (1 + method.max_trials)
    needs: dict = {}
    for k, zn in enumerate(lda_zones(dcs)):
        members = LDA_GROUPS.get(zn, ())
        inner = tuple(n for n in needs.values() if members and set(n.zones) <= set(members) and n.capacity.x_mw > 0)
        needs[zn] = own_need(dcs, zn, mc, method.search_samples, scale, z=method.z_interval,
                             max_trials=method.max_trials, first_mw=guess.get(zn) or None,
                             meter=None if meter is None else meter.part(k, per), members=members, inner=inner)
    return needs


def zonal_cell(outlook, year, dcs, needs: dict, gap: Search, mc, method: DecisionMethod, scale: float,
               detail: bool, decompose: bool = False, policy: str = "firm") -> ZonalCell:
    """The zonal detail of a cell: the gap by zone; with ``detail`` the import alternative of each zone that
    needed capacity of its own; with ``decompose`` the decomposition of the gap, one modelling element a
    step (:func:`gap_decomposition`)."""
    if detail:
        needs = {zn: (dataclasses.replace(nd, import_alternative=import_alternative(
            dcs, nd, mc, method.search_samples, scale, z=method.z_interval, max_trials=method.max_trials))
            if nd.capacity.x_mw > 0 else nd) for zn, nd in needs.items()}
    by_zone = gap_by_zone(with_own_capacity(dcs, needs), needs, gap)
    parts = gap_decomposition(outlook, year, policy, dcs, gap, mc, method, scale) if decompose else None
    return ZonalCell(needs, by_zone, parts)


def gap_decomposition(outlook, year: int, policy: str, dcs, gap: Search, mc, method: DecisionMethod,
                      scale: float) -> list | None:
    """From PJM's capacity arithmetic to ``gap`` (the model's gap of ``dcs``), one modelling element a step
    (:mod:`gigawatt.decision.decompose`), each a gap search on the search's samples of ``mc``; None for a
    grid that is not the PJM outlook (no elements to switch)."""
    from gigawatt.decision.decompose import decompose, pjm_elements

    if not isinstance(outlook, OutlookAssumptions):
        return None

    def search(system, factor: int, first_mw: float | None) -> Search:
        return capacity_gap(system, None, method.search_samples * factor, mc, scale, z=method.z_interval,
                            max_trials=method.max_trials, first_mw=first_mw)

    def probe(system, factor: int, x_mw: float) -> tuple:
        e = Estimate.of(Assessment(with_added_capacity(system, x_mw), mc, periods="lolp")
                        .extend(method.search_samples * factor)
                        .lole_per_year())
        return e.mean, e.stderr

    return decompose(capacity_arithmetic_mw(outlook, year), pjm_elements(outlook, year, policy, dcs), gap, search,
                     probe)


def capacity_gap(dcs, f0: np.ndarray | None, samples: int, mc: SequentialMonteCarlo, scale_mw: float, *,
                 z: float = 2.0, max_trials: int = 5, first_mw: float | None = None, f0_full: Callable | None = None,
                 progress: Callable | None = None, meter: Meter | None = None) -> Search:
    """The perfect firm capacity [MW] (:func:`with_added_capacity`) that brings the LOLE of ``dcs`` down to
    the standard, searched on samples ``0 .. samples - 1`` of ``mc`` (its seed, executor, checkpoints and
    cancel); ``f0``: per-sample LOLE of ``dcs`` itself if already run (else it is run). A system that meets
    the standard has a gap of 0. ``progress(done, total)`` counts samples over the search's runs (``total``:
    the most it may run; reached at the end); ``meter``: the same as part of a larger count."""
    total = samples * (max_trials + (1 if f0 is None else 0))  # the most samples the search may run
    meter = meter if meter is not None else Meter(progress, total)

    def lole(system):
        out = Assessment(system, meter.mc(mc), periods="lolp").extend(samples).lole_per_year()
        meter.ran_samples(samples)
        return out

    if f0 is None:
        f0 = lole(dcs)
    if Estimate.of(f0).mean <= STANDARD_LOLE_D:
        meter.finish()
        return Search("capacity", 0.0, 0.0, 0.0, "meets at zero")
    years = dcs.timeaxis.years

    def ev_cap(x):
        return lole(with_added_capacity(dcs, x))

    peak = float(dcs.total_system().regions.load_mw.sum(axis=0).max())
    crossing = secant_search(ev_cap, f0, -1, scale_mw, STANDARD_LOLE_D, _log_floor(samples * years), z=z,
                             max_trials=max_trials, cap_mw=4 * peak, first_mw=first_mw, f0_full=f0_full)
    meter.finish()
    return Search.of("capacity", crossing)


@dataclass(frozen=True)
class PlacedGap:
    """The gap as the decision places it (:func:`assess_cell`, results.json's ``gap`` and ``gap_by_zone_mw``).

    ``gap``: the firm capacity [MW] with its interval; ``needs``: zone ->
    :class:`~gigawatt.decision.zonal.ZoneNeed` (each LDA zone's own LOLE, the rest made sure, against its
    criterion, and its own capacity; with ``import_alternative`` searched where the zone needed capacity of
    its own, :func:`firm_gap_by_zone`'s ``alternatives``); ``by_zone_mw``: zone -> ``{estimate, low, high}``
    [MW] (:func:`~gigawatt.decision.zonal.gap_by_zone`).
    """

    gap: Search
    needs: dict
    by_zone_mw: dict

    def import_alternative_mw(self) -> dict:
        """Zone -> the import limit [MW] with which it meets its own criterion without capacity of its own
        (the zones that needed some, where searched)."""
        return {zn: n.import_alternative.x_mw for zn, n in self.needs.items() if n.import_alternative is not None}


def firm_gap_by_zone(outlook: OutlookAssumptions, year: int, policy: str = "firm", samples: int = 16, seed: int = 1,
                     dc_mw: float | None = None, grid=None, dcs=None, *, cancel: Callable | None = None,
                     progress: Callable | None = None, chunk_seconds: float | None = None,
                     alternatives: bool = False) -> PlacedGap:
    """The firm capacity [MW] that holds the RTO at the standard and each LDA zone at its own criterion in
    ``year`` under ``policy``, placed as the decision places it (:func:`zone_needs`, then :func:`placed_gap`;
    a connect-and-manage policy's zones have no need of their own, as in :func:`assess_cell`), searched on
    ``samples`` samples of ``seed``.

    ``dcs``: a system of the year to search instead of the policy's (e.g. a what-if's own sites).
    ``cancel``: called between chunks, true stops the search (:class:`~gigawatt.errors.Cancelled`);
    ``progress(samples done, most samples)``: over the zones' searches and the RTO's,
    ``samples x (1 + max_trials)`` at most each; ``chunk_seconds``: chunks of about that many seconds.
    ``alternatives``: also each zone's import alternative where it needed capacity of its own
    (:func:`~gigawatt.decision.zonal.import_alternative`: the import limit that closes its own gap instead;
    ``samples x max_trials`` more at most per zone, counted in ``progress``).
    """
    name = outlook.policy.resolve([policy], "policy")[0]
    if dcs is None:
        dcs = policy_system(outlook, year, name, grid=grid, dc_mw=dc_mw)
    method = DecisionMethod(seed=seed, search_samples=samples, cancel=cancel, chunk_seconds=chunk_seconds)
    mc = method.monte_carlo()
    scale = _scale_mw(outlook, year)
    zones = lda_zones(dcs) if outlook.policy.kind(name) != "connect-and-manage" else ()
    per = samples * (1 + method.max_trials)
    meter = Meter(progress, per * (len(zones) * (2 if alternatives else 1) + 1))
    needs = zone_needs(dcs, mc, method, scale, meter=meter) if zones else {}
    gap = placed_gap(dcs, needs, samples, mc, scale, z=method.z_interval, max_trials=method.max_trials,
                     meter=meter.part(len(zones), per))
    by_zone = gap_by_zone(with_own_capacity(dcs, needs), needs, gap)
    if alternatives:
        for k, (zn, nd) in enumerate(list(needs.items())):
            if nd.capacity.x_mw > 0:
                needs[zn] = dataclasses.replace(nd, import_alternative=import_alternative(
                    dcs, nd, mc, samples, scale, z=method.z_interval, max_trials=method.max_trials))
            meter.part(len(zones) + 1 + k, per).finish()
    return PlacedGap(gap, needs, by_zone)


def firm_gap(outlook: OutlookAssumptions, year: int, policy: str = "firm", samples: int = 16, seed: int = 1,
             dc_mw: float | None = None, grid=None, dcs=None, *, cancel: Callable | None = None,
             progress: Callable | None = None, chunk_seconds: float | None = None) -> Search:
    """The perfect firm capacity [MW] that holds LOLE at the standard in ``year`` under ``policy``, placed
    where it relieves risk (:func:`firm_gap_by_zone`'s ``gap``; ``x_mw`` 0 with status "meets at zero" when
    the year meets the standard and every LDA zone its criterion as it is)."""
    return firm_gap_by_zone(outlook, year, policy, samples, seed, dc_mw, grid, dcs, cancel=cancel,
                            progress=progress, chunk_seconds=chunk_seconds).gap
