"""The sequential Monte Carlo method: prepare arrays, run chunks, merge accumulators."""

from __future__ import annotations

import os
import threading
import weakref
from dataclasses import dataclass, field
from typing import Callable

import numba
import numpy as np

from gigawatt.errors import InputError
from gigawatt.datacenter import emergency as EM
from gigawatt.methods import _dc_kernel as DC
from gigawatt.methods import _smc_kernel as K
from gigawatt.system import SystemModel
from gigawatt.system.components import HOURS_PER_YEAR

#: probabilities at or above this are treated as certain transitions (hazard cap)
_HAZARD_CAP = 700.0


@dataclass(frozen=True)
class SequentialMonteCarlo:
    """Chronological Monte Carlo over ``samples`` independent passes of the horizon.

    Parameters
    ----------
    samples : int
        Number of sampled years (passes over the time axis).
    seed : int
        Seed; sample ``i`` always uses the stream ``(seed, i)``.
    chunk_size : int, optional
        Samples per chunk (work unit); results do not depend on it.
    threads : int, optional
        Threads per chunk (numba); results do not depend on it. Default: all cores.
    day_utc_offset_h : float, optional
        Offset from UTC of the clock that defines days for event-day LOLE [h]; default: the
        system's own (``system.timeaxis.day_utc_offset_h``). Give it only to override the system.
    progress : callable, optional
        Called as ``progress(samples_done, samples_total)`` after each chunk.
    executor : gigawatt.execution.Executor, optional
        Where chunks run, e.g. ``DaskExecutor(workers=4)``; results do not depend on it.
        Default: this process.
    checkpoint_dir : str or path, optional
        Save finished chunks there and resume from them (see :mod:`gigawatt.execution.checkpoint`).
    cancel : callable, optional
        Called between chunks; when it returns true the run stops with
        :class:`~gigawatt.errors.Cancelled`.
    chunk_seconds : float, optional
        Without ``chunk_size``: run chunks of about this many seconds, sized by the time measured
        so far, so that ``cancel`` is heard within about that time [s]; results do not depend on it.
    reuse_outages : bool
        Keep the grid's outages of the first :data:`OUTAGE_RECORD_SAMPLES` samples of this seed in memory
        (:class:`OutageRecord`: each sample's capacity out of each region, every period) and read them back
        in later runs on the same grid, whatever their data centers, load or policy, instead of drawing
        them again (runs in this process, two regions, grid outages of generators only); results do not
        depend on it. For a caller that runs one grid many times, as the what-if page does.

    Notes
    -----
    PRAS semantics (NREL PRAS ``SequentialMonteCarlo``): devices start in the steady
    state of their first-period transition probabilities, storage starts empty, a
    device's state changes at the start of a period and holds for the period.
    """

    samples: int = 1000
    seed: int = 1
    chunk_size: int | None = None
    threads: int | None = None
    day_utc_offset_h: float | None = None
    progress: Callable | None = field(default=None, compare=False, repr=False)
    executor: object | None = field(default=None, compare=False, repr=False)
    checkpoint_dir: str | os.PathLike | None = field(default=None, compare=False)
    cancel: Callable | None = field(default=None, compare=False, repr=False)
    chunk_seconds: float | None = field(default=None, compare=False)
    reuse_outages: bool = field(default=False, compare=False)

    def __post_init__(self):
        if int(self.samples) != self.samples or self.samples < 1:
            raise InputError(f"samples: expected a positive integer, got {self.samples!r}")
        if int(self.seed) != self.seed or not (0 <= self.seed < 2**63):
            raise InputError(f"seed: expected an integer in [0, 2**63), got {self.seed!r}")
        if self.chunk_size is not None and (int(self.chunk_size) != self.chunk_size or self.chunk_size < 1):
            raise InputError(f"chunk_size: expected a positive integer, got {self.chunk_size!r}")
        if self.threads is not None and (int(self.threads) != self.threads or self.threads < 1):
            raise InputError(f"threads: expected a positive integer, got {self.threads!r}")
        if not isinstance(self.reuse_outages, bool):
            raise InputError(f"reuse_outages: expected True or False, got {self.reuse_outages!r}")
        if self.chunk_seconds is not None and not (float(self.chunk_seconds) > 0):
            raise InputError(f"chunk_seconds: expected a positive number of seconds, got {self.chunk_seconds!r}")


# ---------------------------------------------------------------------------------- preparation
def _hazard_rows(probs_list):
    """Cumulative hazards and constant stretches of unique probability series: (haz (rows, 2, T + 1),
    constant per-period hazard or -1 per row, row index per series)."""
    rows = {}
    index = []
    hazards = []
    hazards_p = []
    const_h = []
    for p in probs_list:
        if not np.any(p > 0.0):
            index.append(-1)
            continue
        # a short fingerprint finds the candidate row; the full comparison confirms it (copying
        # every series to bytes for the key cost more than the rest of the preparation)
        key = (p.shape[0], p[::97].tobytes())
        if key in rows and not np.array_equal(hazards_p[rows[key]], p):
            key = p.tobytes()
        if key not in rows:
            with np.errstate(divide="ignore"):  # p == 1: certain transition, capped below
                h = np.minimum(-np.log1p(-np.minimum(p, 1.0)), _HAZARD_CAP)
            c = np.zeros((2, p.shape[0] + 1))
            np.cumsum(h, out=c[0, 1:])
            # c[1, t]: first period after t whose probability differs (the end of t's stretch)
            change = np.flatnonzero(p[1:] != p[:-1]) + 1  # periods that start a new stretch
            nxt = np.searchsorted(change, np.arange(p.shape[0]), side="right")
            c[1, :-1] = np.append(change, p.shape[0])[nxt]
            c[1, -1] = p.shape[0]
            rows[key] = len(hazards)
            hazards.append(c)
            hazards_p.append(p)
            # constancy is judged on the probabilities: differences of a cumulative sum
            # are not exactly equal even when every step is
            const_h.append(float(h[0]) if np.all(p == p[0]) else -1.0)
        index.append(rows[key])
    t = probs_list[0].shape[0] if probs_list else 0
    haz = np.stack(hazards) if hazards else np.zeros((1, 2, t + 1))
    haz_h = np.array(const_h) if hazards else np.full(1, -1.0)
    return np.ascontiguousarray(haz), np.ascontiguousarray(haz_h), np.array(index, dtype=np.int64)


#: devices and hazard rows of recently prepared grids, by identity of their components (the
#: outlook prepares one grid under several data-center policies; the rows cost most of ``prepare``)
_DEVICE_CACHE: dict = {}


def _grid_devices(gens, st, gs, ln):
    """The grid's two-state devices: kinds, indices, failure and repair series, hazard rows."""
    key = (id(gens), id(st), id(gs), id(ln))
    hit = _DEVICE_CACHE.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], (gens, st, gs, ln))):
        return hit[1]
    kinds, idx, fprobs, rprobs = [], [], [], []
    for kind, comp in ((0, gens), (1, st), (2, gs), (3, ln)):
        for i in range(len(comp.names)):
            lam = comp.failure_prob[i]
            if kind == 0 and not np.any(lam > 0) and not np.any(comp.capacity_mw[i] > 0):
                continue
            kinds.append(kind)
            idx.append(i)
            fprobs.append(lam)
            rprobs.append(comp.repair_prob[i])
    out = (tuple(kinds), tuple(idx), tuple(fprobs), tuple(rprobs)) + _hazard_rows(fprobs + rprobs)
    if len(_DEVICE_CACHE) >= 4:
        _DEVICE_CACHE.pop(next(iter(_DEVICE_CACHE)))
    _DEVICE_CACHE[key] = ((gens, st, gs, ln), out)  # holds the components: their ids stay theirs
    return out


def forget_prepared(keep=()) -> None:
    """Drop the cached devices, hazard rows, capacity rows and outage records of every grid whose generators
    are not in ``keep`` (the caches hold their grids' components: a caller that lets a grid go frees it so)."""
    ids = {id(g) for g in keep}
    with _RECORDS_LOCK:
        for cache in (_DEVICE_CACHE, _CAPACITY_CACHE, _OUTAGE_RECORDS):
            for key in list(cache):
                if key[0] not in ids:
                    cache.pop(key, None)


def _storage_static(st, gs):
    """Periods in which no storage parameter changes and no energy decays (quiet periods may be skipped)."""
    T = st.n_periods
    ok = np.ones(T, dtype=bool)
    for comp, fields in ((st, ("charge_mw", "energy_mwh")), (gs, ("charge_mw", "energy_mwh", "grid_withdrawal_mw"))):
        if len(comp.names) == 0:
            continue
        ok &= np.all(comp.carryover_eff == 1.0, axis=0)
        for f in fields:
            a = getattr(comp, f)
            ok[1:] &= np.all(a[:, 1:] == a[:, :-1], axis=0)
    return ok


#: curtailment events per sample and site the event buffer holds at least (more: the chunk runs again)
EVENTS_PER_SAMPLE_MIN = 16.0
#: the buffer also holds twice that per year of the horizon, up to this many rows per block: a chunk that
#: overflows runs again (twice the cost), and the PJM default's connect-and-manage sites in 2030 average
#: ~16 events per site-year, ~190 per sample of 12 weather years (3 MB per block at most)
EVENT_BUFFER_YEARS_ROWS = 1 << 16
#: largest (periods x region subsets) table kept for the quiet-period test
MAX_QUIET_ENTRIES = 1 << 22


def _quiet_table(if_from, if_to, lim_f, lim_b, nom_margin):
    """Quiet-period test by sets of regions: ``(T, 2**R)`` [MW], or ``(0, 0)`` to use the regional test.

    A period needs no dispatch when transfers can cover every regional deficit. By Gale's
    supply-demand theorem a flow meeting all deficits from the surpluses exists if and only if,
    for every set X of regions, the net deficit of X does not exceed the import capacity into X.
    With ``O[X]`` the capacity on outage in X, the condition reads ``O[X] <= G[t, X]`` with
    ``G[t, X] = import limit into X + sum over X of (available capacity - load)``, here less the
    margin :data:`~gigawatt.methods._smc_kernel.QUIET_MARGIN_MW` kept to spare. Limits are those
    with every line in service (the kernel falls back to the regional test while a line is out).

    Gale, D. (1957). A theorem on flows in networks. Pacific J. Math. 7(2), 1073-1082.
    """
    T, R = nom_margin.shape
    if R > K.MAX_GALE_REGIONS or T * (1 << R) > MAX_QUIET_ENTRIES:
        return np.zeros((0, 0))
    masks = np.arange(1 << R)
    inside = ((masks[:, None] >> np.arange(R)[None, :]) & 1).astype(float)  # (2**R, R)
    a_in = inside[:, if_from]  # (2**R, NI)
    b_in = inside[:, if_to]
    into_fwd = b_in * (1.0 - a_in)  # interface k points into the set forwards
    into_bwd = a_in * (1.0 - b_in)
    table = lim_f @ into_fwd.T + lim_b @ into_bwd.T + nom_margin @ inside.T - K.QUIET_MARGIN_MW
    return np.ascontiguousarray(table)


@dataclass
class Prepared:
    """Plain arrays for the kernel, built once per system."""

    arrays: tuple
    n_regions: int
    n_periods: int
    n_interfaces: int
    n_storages: int
    n_genstors: int
    step_h: float
    n_generators: int
    n_lines: int
    n_devices: int
    n_sites: int = 0
    n_dr: int = 0
    n_blocks: int = 0
    has_dc: bool = False
    #: curtailment events per sample and site seen so far (sizes the next chunk's event buffer)
    events_hint: float = 0.0
    #: offset from UTC of the clock whose days count as loss-of-load days [h]
    day_utc_offset_h: float = 0.0

    def __getstate__(self):  # a run elsewhere (Dask) draws its outages: the components and record stay here
        state = dict(self.__dict__)
        state.pop("grid_components", None)
        state.pop("outages", None)
        state.pop("_lfu_scratch", None)
        return state


#: samples whose grid outages an :class:`OutageRecord` keeps at most (the PJM model's 23 weather years:
#: 3.2 MB a sample, 206 MB for 64; the what-if page's default is 44)
OUTAGE_RECORD_SAMPLES = 64


class OutageRecord:
    """The grid's outages of samples ``0 .. samples - 1`` of one seed on a two-region grid whose outages
    are all generators': ``out_mw[s, t, r]``, the capacity out of region ``r`` in period ``t`` of sample
    ``s`` [MW], as the kernel sums it for the margins; ``done[s]`` once sample ``s`` is recorded.

    A run with ``SequentialMonteCarlo(reuse_outages=True)`` records the samples it draws and reads back those
    recorded (:func:`run_chunk`): the units' outages depend on the grid and the seed only (data-center
    on-site units draw from streams of their own and are drawn in every run), so a run on the same grid
    with other data centers, load or policy gets the same outages, and the same bits, without drawing them.
    """

    def __init__(self, samples: int, n_periods: int):
        self.samples = int(samples)
        self.out_mw = np.empty((self.samples, n_periods, 2))  # rows committed as they are written
        self.done = np.zeros(self.samples, dtype=bool)
        self.lock = threading.Lock()


#: outage records of recently run grids, by identity of their components and the seed, least recently used
#: first (an entry holds the components, so their ids stay theirs, and keeps them alive until it is dropped:
#: by :func:`forget_prepared` when the caller lets the grid go, or as the least recently used)
_OUTAGE_RECORDS: dict = {}
#: records kept at most (the what-if server keeps two grids)
OUTAGE_RECORDS_MAX = 2
_RECORDS_LOCK = threading.Lock()


def outage_record(prep: "Prepared", seed: int) -> OutageRecord | None:
    """The :class:`OutageRecord` of ``prep``'s grid and ``seed`` (created empty the first time), or None where
    the grid's outages cannot be read back: not two regions, or storage or line outages."""
    refs = getattr(prep, "grid_components", None)
    comps = None if refs is None else tuple(r() for r in refs)
    kinds = prep.arrays[7]
    if comps is None or any(c is None for c in comps) or prep.n_regions != 2 or np.any((kinds != 0) & (kinds != 4)):
        return None
    key = tuple(id(c) for c in comps) + (int(seed), prep.n_periods)
    with _RECORDS_LOCK:
        hit = _OUTAGE_RECORDS.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], comps)):
            _OUTAGE_RECORDS[key] = _OUTAGE_RECORDS.pop(key)  # the most recently used goes last (kept longest)
            return hit[1]
        if len(_OUTAGE_RECORDS) >= OUTAGE_RECORDS_MAX:
            _OUTAGE_RECORDS.pop(next(iter(_OUTAGE_RECORDS)))
        rec = OutageRecord(OUTAGE_RECORD_SAMPLES, prep.n_periods)
        _OUTAGE_RECORDS[key] = (comps, rec)
    return rec


def rekey_outage_records(old: SystemModel, new: SystemModel) -> None:
    """Give the outage records of grid ``old`` to ``new``, the same grid in other objects (the what-if server's
    copy read back memory-mapped from its disk cache in place of the grid it built): the same units, so the
    same outages; ``old`` is then no longer held by them."""
    was = (old.generators, old.storages, old.generatorstorages, old.lines)
    now = (new.generators, new.storages, new.generatorstorages, new.lines)
    with _RECORDS_LOCK:
        for key in list(_OUTAGE_RECORDS):
            comps, rec = _OUTAGE_RECORDS[key]
            if all(a is b for a, b in zip(comps, was)):
                del _OUTAGE_RECORDS[key]
                _OUTAGE_RECORDS[tuple(id(c) for c in now) + key[4:]] = (now, rec)


def _dc_arrays(dcs, system: SystemModel):
    """Data-center arrays of the kernel (empty ones, ``has_dc`` False, for a plain system)."""
    T, R = system.n_periods, len(system.regions)
    f64 = np.float64
    if dcs is None:
        return (np.zeros((T, 0)), np.zeros((T, R)), np.zeros(0, np.int64), np.zeros(0, np.int64),
                np.zeros((0, EM.NSP)), np.zeros(0, np.int64), np.zeros((0, EM.NDP)), np.zeros((0, 0)),
                np.zeros((R, EM.NRP)),
                np.zeros(0), np.zeros(0), np.zeros((R, DC.NROT)), False)
    pk = dcs.packed()
    N = len(dcs.sites)
    unit = np.array([s.generation.unit_mw if s.generation is not None else 0.0 for s in dcs.sites], dtype=f64)
    cap = np.array([s.generation.capacity_mw if s.generation is not None else 0.0 for s in dcs.sites], dtype=f64)
    rot = dcs.rotation
    firm = np.ascontiguousarray(dcs.system.regions.load_mw.T, dtype=f64)
    peak = firm.max(axis=0) if T else np.zeros(R)
    rp = np.zeros((R, DC.NROT))
    rp[:, DC.ROT_BLOCK_FRAC] = (1.0 - rot.critical_frac) / rot.n_blocks
    rp[:, DC.ROT_TURN_H] = rot.rotation_h
    rp[:, DC.ROT_MAX_K] = rot.max_rotation_frac * rot.n_blocks
    rp[:, DC.ROT_CUST_BLOCK] = (rot.people_per_mw * peak * rot.customers_per_person * (1.0 - rot.critical_frac)
                                / rot.n_blocks)
    c = np.ascontiguousarray
    return (c(dcs.site_load_mw.T.reshape(T, N), dtype=f64), firm, EM.active_steps(pk.order, pk.site_par, pk.dr_par, pk.region_par),
            c(pk.site_region, dtype=np.int64), c(pk.site_par, dtype=f64), c(pk.dr_region, dtype=np.int64),
            c(pk.dr_par, dtype=f64), c(_dr_avail(pk, T), dtype=f64), c(pk.region_par, dtype=f64), unit, cap, rp, True)


def _dr_avail(pk, T: int) -> np.ndarray:
    """Each demand-response program's availability per period (P, T), or (P, 0) when always available."""
    if pk.dr_avail.shape[1] not in (0, T):
        raise InputError(f"demand_response.availability: expected {T} periods (the system's), got {pk.dr_avail.shape[1]}")
    return pk.dr_avail


#: capacity arrays of recently prepared generator sets, by identity (as :data:`_DEVICE_CACHE`: the
#: outlook prepares one grid under several policies, and copying every varying unit's series is costly)
_CAPACITY_CACHE: dict = {}


def _capacity_arrays(gens, gen_region, T: int, R: int):
    """Which units' capacity varies, their series unit by unit, constant capacities and the total by region."""
    key = (id(gens), T, R, gen_region.tobytes())
    hit = _CAPACITY_CACHE.get(key)
    if hit is not None and hit[0] is gens:
        return hit[1]
    cap = gens.capacity_mw
    # unit by unit: a (units, periods) temporary of the whole grid costs more in page faults than the test
    gen_varies = np.array([bool(np.any(cap[g] != cap[g, 0])) for g in range(len(gens))], dtype=bool)
    cap_const = np.ascontiguousarray(cap[:, 0]) if len(gens) else np.zeros(0)
    # one row per distinct series (units of a class share their profile: the PJM default's 400 units have
    # 30), unit-major (row, period): a quiet-period scan reads each outaged unit's series in order, and
    # outaged units of one class read one row (35x less memory than a row per unit, copied once per grid)
    var_idx = np.full(len(gens), -1, dtype=np.int64)
    first, by_key = [], {}
    for g in np.flatnonzero(gen_varies):
        series = cap[g]
        cands = by_key.setdefault(series[::97].tobytes(), [])  # a fingerprint, then the full comparison
        row = next((k for k in cands if np.array_equal(cap[first[k]], series)), -1)
        if row < 0:
            row = len(first)
            first.append(g)
            cands.append(row)
        var_idx[g] = row
    cap_var = np.ascontiguousarray(cap[np.array(first, dtype=np.int64)]).reshape(len(first), T)
    cap_max = cap_var.max(axis=1, initial=0.0)  # the quiet-period test's upper bound
    totcap = np.zeros((T, R))
    for r in range(R):
        mine = gen_region == r
        # the rows of the region's units in unit order, added one after the other: what a sum over axis 0 of
        # their stacked copy does, without the copy
        acc = np.zeros(T)
        for k, g in enumerate(np.flatnonzero(mine & gen_varies)):
            if k == 0:
                acc[:] = cap_var[var_idx[g]]
            else:
                acc += cap_var[var_idx[g]]
        totcap[:, r] = cap_const[mine & ~gen_varies].sum() + acc
    out = (gen_varies, cap_const, var_idx, cap_var, cap_max, totcap)  # shared: read, never written
    if len(_CAPACITY_CACHE) >= 2:
        _CAPACITY_CACHE.pop(next(iter(_CAPACITY_CACHE)))
    _CAPACITY_CACHE[key] = (gens, out)  # holds the generators: their id stays theirs
    return out


def prepare(system, day_utc_offset_h: float | None = None) -> Prepared:
    """Turn a :class:`SystemModel` (or a :class:`~gigawatt.datacenter.system.DataCenterSystem`) into the
    kernel's plain arrays.

    Days (for loss-of-load days) follow ``system.timeaxis.day_utc_offset_h`` unless
    ``day_utc_offset_h`` [h] overrides it.

    With data centers, each site's load is added to its region's load and each on-site
    generating unit becomes a two-state device (kind 4) whose availability the emergency
    order sees.
    """
    from gigawatt.datacenter.system import DataCenterSystem

    dcs = None
    if isinstance(system, DataCenterSystem):
        dcs = system
        system = dcs.total_system()
    T = system.n_periods
    R = len(system.regions)
    gens = system.generators
    st = system.storages
    gs = system.generatorstorages
    itf = system.interfaces
    ln = system.lines
    load = np.ascontiguousarray(system.regions.load_mw.T)
    gen_region = system.region_index(gens.regions)
    gen_varies, cap_const, var_idx, cap_var, cap_max, totcap = _capacity_arrays(gens, gen_region, T, R)
    kinds, idx, fprobs, rprobs, haz, haz_h, rows = _grid_devices(gens, st, gs, ln)
    kinds, idx, fprobs, rprobs = list(kinds), list(idx), list(fprobs), list(rprobs)
    if dcs is not None:  # on-site generating units: devices of kind 4, indexed by site
        on_f, on_r = [], []
        for i, site in enumerate(dcs.sites):
            g = site.generation
            if g is None or g.n_units == 0 or g.unit_mw <= 0.0:
                continue
            # per-period series: constant from the unit's rate, or a grid class's (its weather exposure)
            lam, mu = g.transition_series(T, system.timeaxis.step_h)
            for _ in range(g.n_units):
                kinds.append(4)
                idx.append(i)
                on_f.append(lam)
                on_r.append(mu)
        if on_f:
            h2, hh2, r2 = _hazard_rows(on_f + on_r)
            r2 = np.where(r2 >= 0, r2 + haz.shape[0], -1)
            n_grid = len(fprobs)
            rows = np.concatenate([rows[:n_grid], r2[:len(on_f)], rows[n_grid:], r2[len(on_f):]])
            haz, haz_h = np.vstack([haz, h2]), np.concatenate([haz_h, hh2])
            fprobs += on_f
            rprobs += on_r
    nd = len(kinds)
    frow = rows[:nd]
    rrow = rows[nd:]
    lam0 = np.array([p[0] for p in fprobs]) if nd else np.zeros(0)
    mu0 = np.array([p[0] for p in rprobs]) if nd else np.zeros(0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p_avail = np.where(lam0 + mu0 > 0, mu0 / (lam0 + mu0), 1.0)
    # devices that never fail and start available never enter the heap
    keep = ~((frow < 0) & (p_avail >= 1.0))
    dev = (np.array(kinds, dtype=np.int64)[keep], np.array(idx, dtype=np.int64)[keep],
           frow[keep], rrow[keep], haz, haz_h, p_avail[keep], gen_varies)

    def tt(a):
        return np.ascontiguousarray(a.T)

    # packed (layer, period, device): layers in the order of _smc_kernel.ST_CHG .. GS_WDR
    storage = (np.stack([tt(st.charge_mw), tt(st.discharge_mw), tt(st.energy_mwh), tt(st.charge_eff),
                         tt(st.discharge_eff), tt(st.carryover_eff)]), system.region_index(st.regions))
    genstor = (np.stack([tt(gs.charge_mw), tt(gs.discharge_mw), tt(gs.energy_mwh), tt(gs.charge_eff),
                         tt(gs.discharge_eff), tt(gs.carryover_eff), tt(gs.inflow_mw), tt(gs.grid_injection_mw),
                         tt(gs.grid_withdrawal_mw)]), system.region_index(gs.regions))
    ln_if, ln_sign = system.line_interface_index()
    network = (system.region_index(itf.regions_from), system.region_index(itf.regions_to),
               tt(itf.forward_mw), tt(itf.backward_mw), tt(ln.forward_mw), tt(ln.backward_mw), ln_if, ln_sign)
    if day_utc_offset_h is None:
        day_utc_offset_h = system.timeaxis.day_utc_offset_h
    day = system.timeaxis.day_index(day_utc_offset_h)
    total_load = load.sum(axis=1)
    is_peak = np.zeros(T, dtype=np.bool_)
    # the period of each day with the highest system load (first one on ties)
    starts = np.flatnonzero(np.r_[True, day[1:] != day[:-1]])
    ends = np.r_[starts[1:], T]
    for a, b in zip(starts, ends):
        is_peak[a + int(np.argmax(total_load[a:b]))] = True
    nom_margin = np.ascontiguousarray(totcap - load)
    # interface limits with every line in service (for the quiet-period test)
    lim_nom_f = np.array(network[2], copy=True)
    lim_nom_b = np.array(network[3], copy=True)
    if len(ln):
        for k in range(len(itf)):
            mine = ln_if == k
            if mine.any():
                fwd = np.where(ln_sign[mine] > 0, ln.forward_mw[mine].T, ln.backward_mw[mine].T).sum(axis=1)
                bwd = np.where(ln_sign[mine] > 0, ln.backward_mw[mine].T, ln.forward_mw[mine].T).sum(axis=1)
                lim_nom_f[:, k] = np.minimum(lim_nom_f[:, k], fwd)
                lim_nom_b[:, k] = np.minimum(lim_nom_b[:, k], bwd)
    # quiet-period tests: each region's margin less the margin kept to spare, and the table by sets
    # of regions; periods in which storage parameters change are never quiet (-inf)
    static = _storage_static(st, gs)
    quiet_m = np.where(static[:, None], nom_margin - K.QUIET_MARGIN_MW, -np.inf)
    if R < K.QUIET_LANES:  # padded with regions that are always quiet
        quiet_m = np.hstack([quiet_m, np.full((T, K.QUIET_LANES - R), np.inf)])
    quiet_g = _quiet_table(network[0], network[1], lim_nom_f, lim_nom_b, nom_margin)
    if quiet_g.shape[1]:
        quiet_g[~static] = -np.inf
    arrays = ((load, totcap, cap_const, cap_var, cap_max, var_idx, gen_region) + dev + storage + genstor + network
              + (day, is_peak, quiet_m, quiet_g, np.array([system.load_forecast_sd])))
    assert len(arrays) == K.LFU_ARRAY + 1  # the kernel's layout of the system arrays
    arrays = arrays + _dc_arrays(dcs, system)
    # one compiled signature: numba types read-only arrays apart, so hand the kernel writable ones
    arrays = tuple(a if not isinstance(a, np.ndarray) or a.flags.writeable else a.copy() for a in arrays)
    prep = Prepared(arrays, R, T, len(itf), len(st), len(gs), system.timeaxis.step_h, len(gens), len(ln),
                    int(dev[0].shape[0]), len(dcs.sites) if dcs else 0, len(dcs.order.demand_response) if dcs else 0,
                    dcs.rotation.n_blocks if dcs else 0, dcs is not None,
                    day_utc_offset_h=float(day_utc_offset_h))
    # what the grid's outages depend on (outage_record), held weakly: a prepared system kept by a caller does
    # not keep its grid's arrays alive
    prep.grid_components = tuple(weakref.ref(c) for c in (gens, st, gs, ln))
    return prep


# ---------------------------------------------------------------------------------- accumulators
@dataclass
class Accumulators:
    """Raw results of a set of samples; mergeable, and independent of how they were split.

    Per-sample arrays are indexed by sample (in order); the rest are integer sums.
    """

    sample0: int
    samples: int
    step_h: float
    lolp: np.ndarray  # (n,) shortfall periods per sample
    lold: np.ndarray  # (n,) shortfall days
    lold_peak: np.ndarray  # (n,) shortfalls at the daily-peak period
    eue: np.ndarray  # (n,) MWh
    events: np.ndarray  # (n,)
    r_lolp: np.ndarray  # (n, R)
    r_lold: np.ndarray  # (n, R)
    r_eue: np.ndarray  # (n, R)
    short_t: np.ndarray  # (T,) count
    short_rt: np.ndarray  # (R, T) count
    eue_rt: np.ndarray  # (R, T) fixed point
    eue_sq_rt: np.ndarray
    eue_t: np.ndarray
    eue_sq_t: np.ndarray
    dur_hist: np.ndarray
    depth_hist: np.ndarray
    energy_hist: np.ndarray
    flow_it: np.ndarray | None = None
    surplus_rt: np.ndarray | None = None
    st_energy: np.ndarray | None = None
    gs_energy: np.ndarray | None = None
    site: np.ndarray | None = None  # (n, N, DC.NSR) per-sample site results (data centers only)
    res: np.ndarray | None = None  # (n, R, DC.NRR) per-sample residents' results by region
    dr: np.ndarray | None = None  # (n, P, DC.NDR) per-sample demand-response hours and events
    dc_events: np.ndarray | None = None  # (M, DC.NEV) curtailment events, sorted by sample, site, start

    _PER_SAMPLE = ("lolp", "lold", "lold_peak", "eue", "events", "r_lolp", "r_lold", "r_eue", "site", "res", "dr",
                   "dc_events")
    _SUMS = ("short_t", "short_rt", "eue_rt", "eue_sq_rt", "eue_t", "eue_sq_t", "dur_hist", "depth_hist",
             "energy_hist", "flow_it", "surplus_rt", "st_energy", "gs_energy")

    @classmethod
    def merge(cls, parts: list["Accumulators"]) -> "Accumulators":
        """Combine chunks (in any order) into one set covering consecutive samples."""
        parts = sorted(parts, key=lambda p: p.sample0)
        for a, b in zip(parts, parts[1:]):
            if a.sample0 + a.samples != b.sample0:
                raise ValueError("chunks do not cover consecutive samples")
        kw = {"sample0": parts[0].sample0, "samples": sum(p.samples for p in parts), "step_h": parts[0].step_h}
        for name in cls._PER_SAMPLE:
            vals = [getattr(p, name) for p in parts]
            kw[name] = None if vals[0] is None else np.concatenate(vals)
        for name in cls._SUMS:
            vals = [getattr(p, name) for p in parts]
            if vals[0] is None:
                kw[name] = None
            elif name in ("eue_sq_rt", "eue_sq_t"):
                kw[name] = _sum_squares(vals)
            else:
                kw[name] = np.sum(vals, axis=0)
        return cls(**kw)


#: the per-period sums that ``periods="lolp"`` leaves out
_BY_PERIOD = ("short_rt", "eue_rt", "eue_sq_rt", "eue_t", "eue_sq_t")


def _sum_squares(parts):
    """Exact sum of [sum of quantised values, squares hi word, squares lo word] accumulators."""
    bits = K.SQ_BASE_BITS
    stack = np.stack(parts)
    q = stack[:, 0].sum(axis=0)
    lo = stack[:, 2]
    lo_low = (lo & ((1 << 31) - 1)).sum(axis=0)
    lo_high = (lo >> 31).sum(axis=0)  # at most 2**31 per part
    hi = stack[:, 1].sum(axis=0)
    # lo total = lo_high * 2**31 + lo_low; carry into hi words of 2**62
    lo_low_carry = lo_low >> 31
    lo_low = lo_low & ((1 << 31) - 1)
    lo_high = lo_high + lo_low_carry
    hi = hi + (lo_high >> (bits - 31))
    lo_high = lo_high & ((1 << (bits - 31)) - 1)
    return np.stack([q, hi, (lo_high << 31) | lo_low])


def squares_total(acc_sq) -> np.ndarray:
    """Float value of the exact sum of squares held in an accumulator (quantised units squared)."""
    return acc_sq[1].astype(np.float64) * float(2**K.SQ_BASE_BITS) + acc_sq[2].astype(np.float64)


#: what a run records by period (``periods``): ``"all"``, the shortfall count and energy of every period, in
#: total and by region, with the energy's squares (what :class:`~gigawatt.results.Shortfall`'s ``period``
#: dataset holds); ``"lolp"``, the count of the whole system only (its loss-of-load probability by period),
#: for studies that read no more (the what-if page and the outlook: when in the year shortfalls happen)
PERIODS = ("all", "lolp")


def run_chunk(prep: Prepared, seed: int, sample0: int, n: int, threads: int | None, dense: bool,
              trace: dict | None = None, periods: str = "all") -> Accumulators:
    """Simulate samples ``sample0 .. sample0 + n - 1``; ``periods`` (:data:`PERIODS`) says what is kept by
    period (``"lolp"``: the per-period sums other than ``short_t`` are ``None``)."""
    if periods not in PERIODS:
        raise ValueError(f"periods must be one of {PERIODS}, got {periods!r}")
    T, R = prep.n_periods, prep.n_regions
    NI, S, GS = prep.n_interfaces, prep.n_storages, prep.n_genstors
    nthreads = threads or numba.config.NUMBA_NUM_THREADS
    nb = max(1, min(nthreads, n))
    if prep.has_dc and prep.n_sites and prep.events_hint == 0.0 and trace is None and n > 64 * nb:
        # nothing known yet about how many curtailment events a sample has: a few samples first
        # size the event buffer of the rest (an overflowing buffer means running them again)
        head = 8 * nb
        return Accumulators.merge([run_chunk(prep, seed, sample0, head, threads, dense, periods=periods),
                                   run_chunk(prep, seed, sample0 + head, n - head, threads, dense, periods=periods)])
    i64 = np.int64
    out = dict(
        lolp=np.zeros(n, i64), lold=np.zeros(n, i64), lold_peak=np.zeros(n, i64), eue=np.zeros(n),
        events=np.zeros(n, i64), r_lolp=np.zeros((n, R), i64), r_lold=np.zeros((n, R), i64),
        r_eue=np.zeros((n, R)),
    )
    Tp = T if periods == "all" else 0  # the kernel records the sums below by period when they have a period axis
    acc = dict(
        short_t=np.zeros((nb, T), i64), short_rt=np.zeros((nb, R, Tp), i64), eue_rt=np.zeros((nb, R, Tp), i64),
        eue_sq_rt=np.zeros((nb, 3, R, Tp), i64), eue_t=np.zeros((nb, Tp), i64), eue_sq_t=np.zeros((nb, 3, Tp), i64),
        dur_hist=np.zeros((nb, K.MAX_DURATION_BIN + 1), i64), depth_hist=np.zeros((nb, K.N_LOG_BINS), i64),
        energy_hist=np.zeros((nb, K.N_LOG_BINS), i64),
    )
    tdim = T if dense else 0
    dense_acc = dict(
        flow_it=np.zeros((nb, NI if dense else 0, tdim), i64),
        surplus_rt=np.zeros((nb, R if dense else 0, tdim), i64),
        st_energy=np.zeros((nb, S if dense else 0, tdim), i64),
        gs_energy=np.zeros((nb, GS if dense else 0, tdim), i64),
    )
    tr = tuple(np.zeros((T if trace is not None else 0, k)) for _, k in _trace_fields(R, S, GS, NI))
    if trace is not None:
        trace.update({name: arr for (name, _), arr in zip(_trace_fields(R, S, GS, NI), tr)})
    N, P, hd = prep.n_sites, prep.n_dr, prep.has_dc
    Tt = T if trace is not None else 0
    tr_dc = (np.zeros((Tt, N, EM.NSO)), np.zeros((Tt, R, EM.NRO)), np.zeros((Tt, P)))
    if trace is not None:
        trace.update(site_out=tr_dc[0], region_out=tr_dc[1], dr_out=tr_dc[2])
    Rd = R if hd else 0
    dc_out = (np.zeros((n, N, DC.NSR)), np.zeros((n, Rd, DC.NRR)), np.zeros((n, P, DC.NDR)))
    dc_scr = (np.zeros((nb, 16), np.uint64), np.zeros((nb, N, EM.NSS)), np.zeros((nb, P, EM.NDS)),
              np.zeros((nb, N, EM.NSO)), np.zeros((nb, P)), np.zeros((nb, R, EM.NRO)), np.zeros((nb, DC.NDN, N)),
              np.zeros((nb, DC.NRS, Rd)), np.zeros((nb, DC.NRB, Rd, prep.n_blocks)),
              # scratch for moving shortfalls to relief (_dc_kernel.relocate_shortfall): the sites' draws and the
              # regions' relief of the relief by step, and the relief by step
              np.zeros((nb, N, EM.NSO)), np.zeros((nb, R, EM.NRO)), np.zeros((nb, 1 + len(EM.STEP_NAMES), R)))
    # one sample's load and quiet-period tables under its load forecast factor (empty without one)
    lfu = prep.arrays[K.LFU_ARRAY][K.LFU_SD] > 0.0
    qm, qg = prep.arrays[K.LFU_ARRAY - 2], prep.arrays[K.LFU_ARRAY - 1]
    Tl = T if lfu else 0
    # every sample overwrites them whole: kept with the prepared system from one chunk to the next (~19 MB a
    # block on the PJM model, whose pages each chunk would otherwise fault in afresh)
    # taken while the chunk runs (another thread running a chunk of the same prepared system makes its own)
    lfu_scr = prep.__dict__.pop("_lfu_scratch", None)
    if lfu_scr is None or lfu_scr[0].shape[:2] != (nb, Tl):
        lfu_scr = (np.zeros((nb, Tl, R)), np.zeros((nb, Tl if hd else 0, R)), np.zeros((nb, Tl, qm.shape[1])),
                   np.zeros((nb, Tl, qg.shape[1])))
    nf, ni, nbool = K.scratch_sizes(T, R, prep.n_generators, S, GS, NI, prep.n_lines, prep.n_devices)
    # every block's scratch row ends in at least 128 unused bytes: two threads writing data that
    # share a cache line slow each other down (false sharing; measured 1.36x -> see BENCHMARKS.md)
    planes = 2 + -(-128 // ((R + 2) ** 2 * 8))
    scratch = (np.zeros((nb, 16), np.uint64), np.zeros((nb, nf + 16)), np.zeros((nb, ni + 16), i64),
               np.zeros((nb, nbool + 128), np.bool_), np.zeros((nb, planes, R + 2, R + 2)))
    per_block = (n + nb - 1) // nb
    years = max(1.0, T * prep.step_h / HOURS_PER_YEAR)
    floor = max(EVENTS_PER_SAMPLE_MIN, min(2.0 * EVENTS_PER_SAMPLE_MIN * years,
                                           EVENT_BUFFER_YEARS_ROWS / max(1, per_block * N)))
    cap = int(per_block * N * max(floor, 1.25 * prep.events_hint)) + 64 if hd and N else 0
    # the grid's outages: drawn, drawn and recorded, or read back (OutageRecord; the kernel's rec_mode 0, 1, 2)
    rec = getattr(prep, "outages", None)
    rec_o, rec_mode = np.zeros((0, 0, 2)), np.zeros(2, i64)  # (mode, 1 once the kernel recorded)
    if rec is not None and trace is None and sample0 + n <= rec.samples:
        with rec.lock:
            rec_mode[0] = 2 if rec.done[sample0:sample0 + n].all() else 1
        rec_o = rec.out_mw[sample0:sample0 + n]
    # blocks on threads, one compiled kernel for any number of them: with the data-center step only
    # for a system with sites (K.BLOCK_KERNELS, chosen by the has_dc flag among prep.arrays)
    threads_used = min(nthreads, numba.config.NUMBA_NUM_THREADS)
    while True:
        ev_buf, ev_n = np.zeros((nb, cap, DC.NEV)), np.zeros(nb, i64)
        K.run_blocks(sample0, n, seed, nb, prep.step_h, dense, prep.arrays,
                     (*out.values(), *dc_out, ev_buf, ev_n), (*acc.values(), *dense_acc.values()), (*tr, *tr_dc),
                     (*scratch, *dc_scr, *lfu_scr, rec_o, rec_mode), threads=threads_used)
        if rec_mode[0] == 1 and rec_mode[1] == 1:  # recorded: read back from now on (a rerun below too)
            with rec.lock:
                rec.done[sample0:sample0 + n] = True
            rec_mode[0] = 2
        if ev_n.max(initial=0) <= cap:
            break
        cap = int(ev_n.max() * 1.25) + 64  # event buffer overflowed: run again (same draws) with room
        for a in (*out.values(), *dc_out, *acc.values(), *dense_acc.values(), *tr, *tr_dc):
            a[...] = 0
    prep._lfu_scratch = lfu_scr  # for the next chunk
    events = np.concatenate([ev_buf[b, :ev_n[b]] for b in range(nb)]) if cap else np.zeros((0, DC.NEV))
    if hd and N:
        prep.events_hint = max(prep.events_hint, float(ev_n.max()) / (per_block * N))
    if events.shape[0]:
        events = events[np.lexsort((events[:, DC.EV_START], events[:, DC.EV_SITE], events[:, DC.EV_SAMPLE]))]
    # one block: its row is the sum (a view of this call's own array); else the blocks' exact sum
    sums = {k: (None if k in _BY_PERIOD and periods != "all" else v[0] if nb == 1
                else _sum_squares(list(v)) if k in ("eue_sq_rt", "eue_sq_t") else v.sum(axis=0))
            for k, v in acc.items()}
    dsums = {k: (v.sum(axis=0) if dense else None) for k, v in dense_acc.items()}
    dc = dict(site=dc_out[0], res=dc_out[1], dr=dc_out[2], dc_events=events) if hd else {}
    return Accumulators(sample0=sample0, samples=n, step_h=prep.step_h, **out, **sums, **dsums, **dc)


def _trace_fields(R, S, GS, NI):
    return (("unserved", R), ("available", R), ("storage_energy", S), ("storage_power", S),
            ("genstor_energy", GS), ("genstor_power", GS), ("flow", NI), ("surplus", R))


def trace_sample(system, seed: int, sample: int = 0, prepared: Prepared | None = None):
    """Full period-by-period dispatch of one sample (for inspection and invariant checks).

    Parameters
    ----------
    system : SystemModel or DataCenterSystem

    Returns
    -------
    xarray.Dataset
        ``load_mw`` (with data centers: firm plus site load), ``available_mw`` (generation
        in service), ``surplus_mw`` (generation left unused, after site batteries
        recharged), ``unserved_mw`` (with data centers: firm load shed) by region;
        ``storage_energy_mwh`` and ``storage_power_mw`` (discharge positive, charge
        negative) by storage and generator-storage; ``flow_mw`` (net, from -> to) by
        interface. Storage energy is at the end of each period. With data centers also
        ``firm_load_mw`` by region, ``site_load_mw``, ``site_battery_mw``,
        ``site_curtail_mw``, ``site_generation_mw``, ``site_charge_mw`` by site,
        ``emergency_mw`` by region and step (battery, curtail, dr, generation, imports,
        voltage, shed; they sum to the shortfall of the dispatch) and ``dr_mw`` by program.

    ``prepared`` (from :func:`prepare`) saves re-preparing the system when tracing many samples.
    """
    import xarray as xr

    from gigawatt.datacenter.system import DataCenterSystem

    dcs = system if isinstance(system, DataCenterSystem) else None
    grid = dcs.total_system() if dcs is not None else system
    prep = prepared if prepared is not None else prepare(system)
    trace: dict = {}
    run_chunk(prep, seed, sample, 1, 1, False, trace=trace)
    t = grid.timeaxis.timestamps.tz_localize(None)
    itf = grid.interfaces
    data = {
        "load_mw": (("time", "region"), grid.regions.load_mw.T),
        "available_mw": (("time", "region"), trace["available"]),
        "surplus_mw": (("time", "region"), trace["surplus"]),
        "unserved_mw": (("time", "region"), trace["unserved"]),
        "storage_energy_mwh": (("time", "storage"), trace["storage_energy"]),
        "storage_power_mw": (("time", "storage"), trace["storage_power"]),
        "genstor_energy_mwh": (("time", "generatorstorage"), trace["genstor_energy"]),
        "genstor_power_mw": (("time", "generatorstorage"), trace["genstor_power"]),
        "flow_mw": (("time", "interface"), trace["flow"]),
    }
    coords = {"time": t, "region": list(grid.regions.names), "storage": list(grid.storages.names),
              "generatorstorage": list(grid.generatorstorages.names),
              "interface": [f"{a}->{b}" for a, b in zip(itf.regions_from, itf.regions_to)]}
    if dcs is not None:
        so = trace["site_out"]
        data.update({
            "firm_load_mw": (("time", "region"), dcs.system.regions.load_mw.T),
            "site_load_mw": (("time", "site"), dcs.site_load_mw.T),
            "site_battery_mw": (("time", "site"), so[:, :, EM.SO_BAT]),
            "site_curtail_mw": (("time", "site"), so[:, :, EM.SO_CURT]),
            "site_generation_mw": (("time", "site"), so[:, :, EM.SO_GEN]),
            "site_charge_mw": (("time", "site"), so[:, :, EM.SO_CHARGE]),
            "emergency_mw": (("time", "region", "step"), trace["region_out"]),
            "dr_mw": (("time", "program"), trace["dr_out"]),
        })
        coords.update(site=dcs.site_names, step=["battery", "curtail", "dr", "generation", "imports", "voltage",
                                                  "shed"],
                      program=[d.name for d in dcs.order.demand_response])
    return xr.Dataset(data, coords=coords,
                      attrs={"seed": seed, "sample": sample, "step_h": grid.timeaxis.step_h})


def chunk_ranges(samples: int, chunk_size: int | None) -> list[tuple[int, int]]:
    """``(first sample, count)`` of each chunk."""
    size = chunk_size or samples
    return [(s, min(size, samples - s)) for s in range(0, samples, size)]


def default_threads() -> int:
    """Cores available to this process."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover
        return os.cpu_count() or 1
