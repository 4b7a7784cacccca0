"""Sequential Monte Carlo kernel (numba): chronological passes over sampled years.

One call (:func:`run_blocks`) simulates a contiguous range of samples, split into blocks run in
parallel on threads. Each sample owns a random stream keyed by (seed, sample index) and every
accumulator that crosses samples is an integer (fixed point), so the results are
bit-identical for any number of threads, blocks, chunks or workers.

Compile time: the block kernel is built in two variants from one source, without and with the
data-center step (:func:`_block_kernel`), so a system without sites never compiles the emergency
order; it is serial (no ``prange``: numba's parallel passes over the inlined period dispatch cost
more than half of a fresh compile) and runs without the GIL, one Python thread per block. Compiled
kernels are cached in a user cache folder keyed on a hash of the kernel sources
(:mod:`gigawatt.methods._numba_cache`).

Load forecast uncertainty (``SystemModel.load_forecast_sd`` > 0): each sample draws one factor on the
residents' load from a stream of its own (``(seed, sample + RNG3_OFFSET)``), and its block rebuilds its
copies of the load and of the quiet-period tables with it before the sample runs; without it the
kernel reads the system's arrays and draws nothing more, so results are those of before.

Unit outages: two-state Markov chains. Instead of one coin per unit and period,
the time to a unit's next transition is drawn by inverting its cumulative hazard
``C[t] = sum_{s<t} -log(1 - p_s)`` (closed form within a stretch of constant probability, else a
galloping search forward from the stretch's end), which is exact for per-period probabilities that
vary in time; random work scales with the number of transitions.
Pending transitions sit in per-period buckets (a calendar queue): O(1) per transition.

The kernels are compiled without numba's reference counting (``_nrt=False``): every
array is allocated by the caller, so calls between kernels cost no atomic operations
(with reference counting, each array argument of a call costs two). The small helpers on
the per-transition path are inlined at numba IR level: passing two dozen arrays by value
to a function costs more than the function's work (measured: 0.84 -> 0.63 ms per sample).

Periods in which transfers can cover every region's outaged capacity and no storage can
charge need no dispatch; they are recognised with a few comparisons against a per-period
table (one entry per set of regions) and skipped. The outaged capacity compared first is an
upper bound (each time-varying unit at its largest), kept per region by the transitions
themselves in integer ticks, so a quiet period costs a few comparisons whatever the number
of units out; the exact per-period sum is only formed when the bound fails both the
regional and the set test.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numba import njit

from gigawatt.methods import _numba_cache  # noqa: F401  (first: where the kernels below are cached)
from gigawatt.datacenter.emergency import batteries_below_full
from gigawatt.methods import _dc_kernel as DC
from gigawatt.methods._dispatch import EPS_MW, share_by_time_to_go, solve_network
from gigawatt.methods._rng import load_factor, seed_state, uniform

#: fixed-point resolution of summed MW / MWh accumulators [MW or MWh]
FIXED_RES = 1e-6
#: resolution of the quantised values whose squares give per-period standard errors [MWh]
SQ_RES = 1e-3
#: squares are summed exactly in two int64 words: value = hi * 2**62 + lo
SQ_BASE_BITS = 62
#: unserved power below this counts as no shortfall [MW]
SHORT_TOL_MW = 1e-6
#: log-spaced bins for event depth and energy: 10 per decade from 1e-3
N_LOG_BINS = 100
MAX_DURATION_BIN = 1000
#: sample ``i``'s stream for data-center on-site units is ``(seed, i + RNG2_OFFSET)``
RNG2_OFFSET = 1 << 62
#: sample ``i``'s stream for its load forecast factor is ``(seed, i + RNG3_OFFSET)``: a stream of its
#: own, so switching the load forecast uncertainty off leaves every other draw as it was
RNG3_OFFSET = 1 << 61


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _log_bin(x):
    """Bin of ``x`` among :data:`N_LOG_BINS` log-spaced bins; always in range (NaN: bin 0, +inf: the last)."""
    if not x > 1e-3:  # also NaN
        return 0
    v = 10.0 * math.log10(x / 1e-3)
    if v >= N_LOG_BINS - 1:  # also +inf, whose int() is undefined
        return N_LOG_BINS - 1
    return int(math.floor(v)) + 1


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _next_transition(haz, haz_h, row, t_now, u, n_periods):
    """First period after ``t_now`` at which the device changes state (``n_periods`` if none).

    ``haz[row, 0]`` is the cumulative hazard and ``haz[row, 1, t]`` the first period after ``t``
    whose probability differs from period ``t``'s; ``haz_h[row] >= 0`` marks a hazard constant
    over the whole horizon. Within a stretch of constant per-period hazard ``h`` the geometric
    waiting time has the closed form ``t_now + 1 + floor(E / h)`` with ``E ~ Exp(1)``; only a
    draw that leaves the stretch searches the cumulative hazard.
    """
    if row < 0:
        return n_periods
    e = -math.log(1.0 - u)
    h = haz_h[row]
    if h >= 0.0:
        if h == 0.0:
            return n_periods
        steps = e / h
        if steps >= n_periods:
            return n_periods
        nt = t_now + 1 + int(math.floor(steps))
        return nt if nt < n_periods else n_periods
    if t_now + 1 >= n_periods:
        return n_periods
    base = haz[row, 0, t_now + 1]
    end = int(haz[row, 1, t_now + 1])  # periods t_now + 1 .. end - 1 share one hazard
    h = haz[row, 0, t_now + 2] - base
    if h > 0.0:
        steps = e / h
        if steps < end - t_now - 1:
            return t_now + 1 + int(math.floor(steps))
    target = base + e
    lo = end + 1
    hi = n_periods  # haz[hi] > target (checked next): the answer k lies in [lo, hi]
    if lo > n_periods or haz[row, 0, n_periods] <= target:
        return n_periods
    # galloping search from the end of the stretch: the answer is usually a few hundred periods
    # ahead, and the table entries near the current period are in cache (every unit of a class
    # shares its row); a bisection of the whole horizon touched a cold cache line at each step
    step = 1
    while True:
        probe = lo + step - 1
        if probe >= hi:
            break
        if haz[row, 0, probe] > target:
            hi = probe
            break
        lo = probe + 1
        step <<= 1
    while lo < hi:  # smallest k in [lo, hi] with haz[k] > target (haz[hi] > target)
        mid = (lo + hi) >> 1
        if haz[row, 0, mid] > target:
            hi = mid
        else:
            lo = mid + 1
    return lo - 1


@njit(_nrt=False, cache=True, error_model="numpy")
def _tick(v, res):
    return np.int64(round(v / res))


#: a period is "quiet" (no dispatch needed) when every region keeps at least this margin [MW]
QUIET_MARGIN_MW = 1e-6
#: systems of up to this many regions get the regional quiet test as straight-line code: the table
#: ``quiet_m`` is padded to this width with +inf (a region that is always quiet)
QUIET_LANES = 4


#: resolution of the running upper bound of time-varying capacity on outage [MW]
VMAX_RES = 1e-6


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _vmax_ticks(c):
    """``c`` [MW] in ticks of :data:`VMAX_RES`, rounded up, plus one (an upper bound however it rounds)."""
    return np.int64(math.ceil(c * (1.0 / VMAX_RES))) + 1


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _set_state(k, i, on, gen_varies, gen_region, cap_const, cap_max, var_idx, out_list, out_pos, vary_list, vary_pos, out_const, counts,
               st_avail, gs_avail, ln_avail, units_out, vmax_t):
    """Record a device's new state; ``counts`` = (generators out, of which with time-varying capacity,
    lines out); ``units_out`` counts the on-site generating units out at each data-center site;
    ``vmax_t[r]`` sums the largest capacity of region ``r``'s time-varying units out, in ticks of
    :data:`VMAX_RES` rounded up (integers: exact under any order of adds and removes)."""
    if k == 0:
        if on:
            if out_pos[i] < 0:
                return
            nout = counts[0]
            p = out_pos[i]
            last = out_list[nout - 1]
            out_list[p] = last
            out_pos[last] = p
            out_pos[i] = -1
            counts[0] = nout - 1
            if gen_varies[i]:
                nv = counts[1]
                p = vary_pos[i]
                last = vary_list[nv - 1]
                vary_list[p] = last
                vary_pos[last] = p
                vary_pos[i] = -1
                counts[1] = nv - 1
                vmax_t[gen_region[i]] -= _vmax_ticks(cap_max[var_idx[i]])
            else:
                out_const[gen_region[i]] -= cap_const[i]
        else:
            nout = counts[0]
            out_pos[i] = nout
            out_list[nout] = i
            counts[0] = nout + 1
            if gen_varies[i]:
                nv = counts[1]
                vary_pos[i] = nv
                vary_list[nv] = i
                counts[1] = nv + 1
                vmax_t[gen_region[i]] += _vmax_ticks(cap_max[var_idx[i]])
            else:
                out_const[gen_region[i]] += cap_const[i]
    elif k == 1:
        st_avail[i] = on
    elif k == 2:
        gs_avail[i] = on
    elif k == 3:
        ln_avail[i] = on
        counts[2] += -1 if on else 1
    else:
        units_out[i] += -1.0 if on else 1.0


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _storage_idle(t, st_avail, st_chg, st_energy, st_e, gs_avail, gs_chg, gs_energy, gs_e, gs_wdr, gs_inflow_any):
    """True when no storage could charge in period ``t`` (full, no charge path, or out of service)."""
    for i in range(st_energy.shape[0]):
        if st_avail[i] and st_chg[t, i] > 0.0 and st_energy[i] < st_e[t, i] - 1e-9:
            return False
    for i in range(gs_energy.shape[0]):
        if gs_avail[i] and gs_chg[t, i] > 0.0 and gs_energy[i] < gs_e[t, i] - 1e-9:
            if gs_wdr[t, i] > 0.0 or gs_inflow_any[i]:
                return False
    return True


@njit(_nrt=False, cache=True, error_model="numpy")
def _init_sample(rng, rng2, T, dev_kind, dev_index, dev_frow, dev_rrow, haz, haz_h, dev_p_avail, gen_varies,
                 gen_region, cap_const, cap_max, var_idx, avail, bucket_head, bucket_next, out_list, out_pos, vary_list, vary_pos,
                 out_const, counts, st_avail, gs_avail, ln_avail, units_out, vmax_t, sites_only):
    """Draw initial device states (steady state) and their first transitions.

    On-site generating units of data centers (kind 4) draw from their own stream ``rng2``,
    so adding sites leaves the grid's outage draws unchanged (common random numbers); with
    ``sites_only`` (a sample whose grid outages are read back from its record) only they are drawn.
    """
    counts[0] = 0
    counts[1] = 0
    counts[2] = 0
    for r in range(out_const.shape[0]):
        out_const[r] = 0.0
        vmax_t[r] = 0
    for g in range(out_pos.shape[0]):
        out_pos[g] = -1
        vary_pos[g] = -1
    for i in range(units_out.shape[0]):
        units_out[i] = 0.0
    for i in range(ln_avail.shape[0]):  # a line out at the end of the previous sample
        ln_avail[i] = True
    for d in range(dev_kind.shape[0]):
        if sites_only and dev_kind[d] != 4:
            continue
        st = rng2 if dev_kind[d] == 4 else rng
        on = uniform(st) < dev_p_avail[d]
        avail[d] = on
        row = dev_frow[d] if on else dev_rrow[d]
        nt = _next_transition(haz, haz_h, row, 0, uniform(st), T)
        bucket_next[d] = bucket_head[nt]
        bucket_head[nt] = d
        if not on or dev_kind[d] < 3:  # lines and on-site units start in service
            _set_state(dev_kind[d], dev_index[d], on, gen_varies, gen_region, cap_const, cap_max, var_idx, out_list, out_pos, vary_list,
                       vary_pos, out_const, counts, st_avail, gs_avail, ln_avail, units_out, vmax_t)
    bucket_head[T] = -1  # transitions beyond the horizon are dropped


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _transitions(t, T, rng, rng2, dev_kind, dev_index, dev_frow, dev_rrow, haz, haz_h, gen_varies, gen_region,
                 cap_const, cap_max, var_idx, avail, bucket_head, bucket_next, out_list, out_pos, vary_list, vary_pos, out_const, counts,
                 st_avail, gs_avail, ln_avail, units_out, vmax_t):
    """Apply the transitions due in period ``t``; True if a storage device changed state."""
    storage_changed = False
    d = bucket_head[t]
    bucket_head[t] = -1
    while d >= 0:
        nxt = bucket_next[d]
        on = not avail[d]
        avail[d] = on
        row = dev_frow[d] if on else dev_rrow[d]
        kd = dev_kind[d]
        nt = _next_transition(haz, haz_h, row, t, uniform(rng2 if kd == 4 else rng), T)
        bucket_next[d] = bucket_head[nt]
        bucket_head[nt] = d
        if kd != 0 and kd != 4:
            storage_changed = True
        _set_state(kd, dev_index[d], on, gen_varies, gen_region, cap_const, cap_max, var_idx, out_list, out_pos, vary_list,
                   vary_pos, out_const, counts, st_avail, gs_avail, ln_avail, units_out, vmax_t)
        d = nxt
    bucket_head[T] = -1
    return storage_changed


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _sets_covered(set_sums, quiet_g, t, n_sets):
    """Gale's test of period ``t``: the outaged capacity of every set of regions (``set_sums``, by bit mask,
    :func:`_subset_sums`) within what the set can get from its own margin and over the interfaces into it
    (``quiet_g[t]``, :func:`gigawatt.methods.sequential._quiet_table`)."""
    for x in range(1, n_sets):
        if set_sums[x] > quiet_g[t, x]:
            return False
    return True


#: largest region count for which quiet periods are recognised by sets of regions (Gale's test)
MAX_GALE_REGIONS = 12


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _subset_sums(x, out):
    """``out[X] = sum of x[r] over the regions r in the set X`` (bit mask) for every set."""
    out[0] = 0.0
    for r in range(x.shape[0]):
        bit = 1 << r
        for m in range(bit):
            out[bit | m] = out[m] + x[r]


#: column of ``lfu_par`` (the system's load forecast uncertainty): standard deviation of the factor [-]
LFU_SD = 0
NLFU = 1
#: position of ``lfu_par`` among the system arrays (:attr:`gigawatt.methods.sequential.Prepared.arrays`)
LFU_ARRAY = 31


@njit(_nrt=False, cache=True, error_model="numpy")
def _scale_load(f, load0, firm0, quiet_m0, quiet_g0, R, dc, load, firm, quiet_m, quiet_g):
    """One sample's load and quiet-period tables with the residents' load times ``f``.

    The residents' load is ``firm0`` with data-center sites (their load is not scaled), else the
    whole ``load0``. Each region's margin (and each set's, ``quiet_g``) falls by what its load grows.
    """
    T = load0.shape[0]
    n_sets = quiet_g0.shape[1]
    for t in range(T):
        for r in range(R):
            res = firm0[t, r] if dc else load0[t, r]
            d = (f - 1.0) * res
            load[t, r] = load0[t, r] + d
            if dc:
                firm[t, r] = res + d
            quiet_m[t, r] = quiet_m0[t, r] - d
        for r in range(R, quiet_m0.shape[1]):
            quiet_m[t, r] = quiet_m0[t, r]
        for x in range(n_sets):
            d = 0.0
            for r in range(R):
                if (x >> r) & 1:
                    d += (f - 1.0) * (firm0[t, r] if dc else load0[t, r])
            quiet_g[t, x] = quiet_g0[t, x] - d


@njit(_nrt=False, cache=True, error_model="numpy")
def _close_event(b, si, sf, a_dur_hist, a_depth_hist, a_energy_hist):
    si[5] = 0
    a_dur_hist[b, min(si[6], MAX_DURATION_BIN)] += 1
    a_depth_hist[b, _log_bin(sf[1])] += 1
    a_energy_hist[b, _log_bin(sf[2])] += 1


#: layers of the packed storage and generator-storage parameters (``st_par[k]``, ``gs_par[k]``, each (T, n))
ST_CHG, ST_DIS, ST_E, ST_CEFF, ST_DEFF, ST_CARRY = range(6)
GS_INFLOW, GS_INJ, GS_WDR = 6, 7, 8


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _f_views(F, R, NI, S, GS):
    """The named slices of a block's float scratch (one layout for every kernel that reads it)."""
    nsd = S + GS
    o = 0
    out_const = F[o:o + R]
    o += R
    out_cap = F[o:o + R]
    o += R
    st_energy = F[o:o + S]
    o += S
    gs_energy = F[o:o + GS]
    o += GS
    margin = F[o:o + R]
    o += R
    disch_cap = F[o:o + R]
    o += R
    charge_need = F[o:o + R]
    o += R
    lim_f = F[o:o + NI]
    o += NI
    lim_b = F[o:o + NI]
    o += NI
    served = F[o:o + R]
    o += R
    disch = F[o:o + R]
    o += R
    charged = F[o:o + R]
    o += R
    unserved = F[o:o + R]
    o += R
    if_flow = F[o:o + NI]
    o += NI
    surplus = F[o:o + R]
    o += R
    p_dis = F[o:o + nsd]
    o += nsd
    p_chg = F[o:o + nsd]
    o += nsd
    ttg = F[o:o + nsd]
    o += nsd
    taken = F[o:o + nsd]
    o += nsd
    gs_in_grid = F[o:o + GS]
    o += GS
    gs_inflow_left = F[o:o + GS]
    o += GS
    sf = F[o:o + 3]
    o += 3
    ln_sf = F[o:o + NI]
    o += NI
    ln_sb = F[o:o + NI]
    o += NI
    nf_before = F[o:o + R]
    o += R
    out_ub = F[o:o + R]
    o += R
    n_sets = 1 << min(R, MAX_GALE_REGIONS)
    set_out = F[o:o + n_sets]
    o += n_sets
    set_ub = F[o:o + n_sets]
    return (out_const, out_cap, st_energy, gs_energy, margin, disch_cap, charge_need, lim_f, lim_b, served, disch,
            charged, unserved, if_flow, surplus, p_dis, p_chg, ttg, taken, gs_in_grid, gs_inflow_left, sf, ln_sf,
            ln_sb, nf_before, out_ub, set_out, set_ub)


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _i_views(II, T, D, G, R, nsd):
    """The named slices of a block's integer scratch."""
    o = 0
    bucket_head = II[o:o + T + 1]
    o += T + 1
    bucket_next = II[o:o + D]
    o += D
    out_list = II[o:o + G]
    o += G
    out_pos = II[o:o + G]
    o += G
    vary_list = II[o:o + G]
    o += G
    vary_pos = II[o:o + G]
    o += G
    counts = II[o:o + 3]
    o += 3
    parent = II[o:o + R + 2]
    o += R + 2
    queue = II[o:o + R + 2]
    o += R + 2
    reg_ids = II[o:o + nsd]
    o += nsd
    r_last_day = II[o:o + R]
    o += R
    si = II[o:o + 7]
    o += 7
    vmax_t = II[o:o + R]
    return (bucket_head, bucket_next, out_list, out_pos, vary_list, vary_pos, counts, parent, queue, reg_ids,
            r_last_day, si, vmax_t)


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _b_views(BB, D, S, GS, NL, NI):
    """The named slices of a block's boolean scratch."""
    o = 0
    avail = BB[o:o + D]
    o += D
    st_avail = BB[o:o + S]
    o += S
    gs_avail = BB[o:o + GS]
    o += GS
    ln_avail = BB[o:o + NL]
    o += NL
    gs_inflow_any = BB[o:o + GS]
    o += GS
    ln_has = BB[o:o + NI]
    return avail, st_avail, gs_avail, ln_avail, gs_inflow_any, ln_has


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _out_sums2(t, out_list, nout, cap_var, var_idx, cap_const, gen_region):
    """Capacity out in each of two regions in period ``t`` [MW]: the units of ``out_list[:nout]``, summed in
    registers, two partial sums a region (even and odd places of the list), not subtracted from a margin in
    memory unit by unit, whose chain of stores and loads cost more than the sums. The margins of a two-region
    system are ``totcap - load`` less these, whether they are formed now or read back from an outage record
    (:class:`gigawatt.methods.sequential.OutageRecord`): the same bits either way."""
    o0a = 0.0
    o0b = 0.0
    o1a = 0.0
    o1b = 0.0
    for j in range(0, nout - 1, 2):
        g = out_list[j]
        x = cap_var[var_idx[g], t] if var_idx[g] >= 0 else cap_const[g]
        h = out_list[j + 1]
        y = cap_var[var_idx[h], t] if var_idx[h] >= 0 else cap_const[h]
        # region 0 or 1 as a factor, not a branch (the regions of the units out alternate at random):
        # x * 1.0 and x - x * 1.0, x * 0.0 and x - x * 0.0 are exact
        x1 = x * gen_region[g]
        y1 = y * gen_region[h]
        o0a += x - x1
        o1a += x1
        o0b += y - y1
        o1b += y1
    if nout % 2 == 1:
        g = out_list[nout - 1]
        x = cap_var[var_idx[g], t] if var_idx[g] >= 0 else cap_const[g]
        x1 = x * gen_region[g]
        o0a += x - x1
        o1a += x1
    return o0a + o0b, o1a + o1b


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _dispatch_period(t, dt_h, load, totcap, cap_const, cap_var, var_idx, gen_region, st_par, st_region, gs_par,
                     gs_region, if_from, if_to, if_fwd, if_bwd, ln_fwd, ln_bwd, ln_if, ln_sign, F, II, BB, M, D,
                     tracing, tr_st_power, tr_gs_power):
    """Dispatch one period of one sample: margins, storage limits, network, device shares.

    Inlined into the kernel at numba IR level: as a call, its array arguments (half a dozen machine
    words each, pushed on the stack) cost about as much as the dispatch. The block's scratch comes
    packed (``F``, ``II``, ``BB``, ``M``) and is sliced here, which keeps the call under CPython's
    30 positional arguments; beyond that the call compiles to ``f(*args)``, which numba cannot inline.
    """
    T = load.shape[0]
    R = load.shape[1]
    S = st_par.shape[2]
    GS = gs_par.shape[2]
    NI = if_from.shape[0]
    NL = ln_if.shape[0]
    G = cap_const.shape[0]
    st_chg, st_dis, st_e = st_par[ST_CHG], st_par[ST_DIS], st_par[ST_E]
    st_ceff, st_deff, st_carry = st_par[ST_CEFF], st_par[ST_DEFF], st_par[ST_CARRY]
    gs_chg, gs_dis, gs_e = gs_par[ST_CHG], gs_par[ST_DIS], gs_par[ST_E]
    gs_ceff, gs_deff, gs_carry = gs_par[ST_CEFF], gs_par[ST_DEFF], gs_par[ST_CARRY]
    gs_inflow, gs_inj, gs_wdr = gs_par[GS_INFLOW], gs_par[GS_INJ], gs_par[GS_WDR]
    (_oc, out_cap, st_energy, gs_energy, margin, disch_cap, charge_need, lim_f, lim_b, served, disch, charged,
     unserved, if_flow, surplus, p_dis, p_chg, ttg, taken, gs_in_grid, gs_inflow_left, _sf, ln_sf, ln_sb,
     nf_before, _ou, _so, _su) = _f_views(F, R, NI, S, GS)
    (_bh, _bn, out_list, _op, _vl, _vp, counts, parent, queue, reg_ids, _rl, _si, _vt) = _i_views(II, T, D, G, R, S + GS)
    (_av, st_avail, gs_avail, ln_avail, _gia, ln_has) = _b_views(BB, D, S, GS, NL, NI)
    capm = M[0]
    flowm = M[1]
    nout = counts[0]
    any_short = False
    if R == 2:
        # two regions (the common network): the capacity out of each, formed by the caller (_out_sums2) or
        # read back from the sample's outage record, in ``out_cap``
        margin[0] = totcap[t, 0] - load[t, 0] - out_cap[0]
        margin[1] = totcap[t, 1] - load[t, 1] - out_cap[1]
    else:
        for r in range(R):
            margin[r] = totcap[t, r] - load[t, r]
        for j in range(nout):
            g = out_list[j]
            margin[gen_region[g]] -= cap_var[var_idx[g], t] if var_idx[g] >= 0 else cap_const[g]
    for r in range(R):
        if margin[r] < 0.0:
            any_short = True
    # ---- storage state: carry-over losses, limits for this period
    any_charge = False
    for r in range(R):
        disch_cap[r] = 0.0
        charge_need[r] = 0.0
    for i in range(S):
        e = st_energy[i] * st_carry[t, i]
        if e > st_e[t, i]:
            e = st_e[t, i]
        st_energy[i] = e
        if st_avail[i]:
            pd = min(st_dis[t, i], e * st_deff[t, i] / dt_h)
            pc = min(st_chg[t, i], (st_e[t, i] - e) / (st_ceff[t, i] * dt_h))
        else:
            pd = 0.0
            pc = 0.0
        p_dis[i] = pd
        p_chg[i] = pc if pc > 1e-12 else 0.0
        ttg[i] = e / st_dis[t, i] if st_dis[t, i] > 0.0 else 0.0
        disch_cap[st_region[i]] += pd
        if p_chg[i] > 0.0:
            charge_need[st_region[i]] += p_chg[i]
            any_charge = True
    for i in range(GS):
        j = S + i
        e = gs_energy[i] * gs_carry[t, i]
        if e > gs_e[t, i]:
            e = gs_e[t, i]
        gs_energy[i] = e
        if gs_avail[i]:
            pd = min(gs_dis[t, i], e * gs_deff[t, i] / dt_h)
            inflow = gs_inflow[t, i]
            grid = min(gs_inj[t, i], inflow + pd)
            gs_in_grid[i] = min(inflow, gs_inj[t, i])
            p_dis[j] = grid - gs_in_grid[i]
            gs_inflow_left[i] = inflow
            room = (gs_e[t, i] - e) / (gs_ceff[t, i] * dt_h)
            if inflow > 1e-12 and room > 1e-12 and gs_chg[t, i] > 0.0:
                any_charge = True
            pcw = min(gs_wdr[t, i], gs_chg[t, i], room)
            p_chg[j] = pcw if pcw > 1e-12 else 0.0
        else:
            grid = 0.0
            gs_in_grid[i] = 0.0
            p_dis[j] = 0.0
            p_chg[j] = 0.0
            gs_inflow_left[i] = 0.0
        ttg[j] = e / gs_dis[t, i] if gs_dis[t, i] > 0.0 else 0.0
        disch_cap[gs_region[i]] += grid
        if p_chg[j] > 0.0:
            any_charge = True
    # ---- fast path: nothing to do
    for r in range(R):
        unserved[r] = 0.0
        disch[r] = 0.0
        charged[r] = 0.0
        surplus[r] = margin[r] if margin[r] > 0.0 else 0.0
    for k in range(NI):
        if_flow[k] = 0.0
    if any_short or any_charge:
        if R == 1:
            m = margin[0]
            if m < 0.0:
                dd = min(-m, disch_cap[0])
                disch[0] = dd
                u = -m - dd
                unserved[0] = u if u > 1e-9 else 0.0
                surplus[0] = 0.0
            else:
                charged[0] = min(m, charge_need[0])
                surplus[0] = m - charged[0]
        else:
            for k in range(NI):
                lf = if_fwd[t, k]
                lb = if_bwd[t, k]
                lim_f[k] = lf
                lim_b[k] = lb
            if NL > 0:
                sf = ln_sf
                sb = ln_sb
                has = ln_has
                for k in range(NI):
                    sf[k] = 0.0
                    sb[k] = 0.0
                    has[k] = False
                for li in range(NL):
                    k = ln_if[li]
                    has[k] = True
                    if ln_avail[li]:
                        if ln_sign[li] > 0:
                            sf[k] += ln_fwd[t, li]
                            sb[k] += ln_bwd[t, li]
                        else:
                            sf[k] += ln_bwd[t, li]
                            sb[k] += ln_fwd[t, li]
                for k in range(NI):
                    if has[k]:
                        lim_f[k] = min(lim_f[k], sf[k])
                        lim_b[k] = min(lim_b[k], sb[k])
            # no region short and each can charge its storage from its own surplus: that is
            # the solution the network stages reach (their first augmenting paths are
            # source -> region -> sink), without building the network
            local = not any_short
            if local:
                for r in range(R):
                    if charge_need[r] > margin[r]:
                        local = False
                        break
            if local:
                for r in range(R):
                    c = charge_need[r] if charge_need[r] > EPS_MW else 0.0
                    charged[r] = c
                    sr = margin[r] - c
                    surplus[r] = sr if sr > 0.0 else 0.0
            else:
                solve_network(margin, disch_cap, charge_need, if_from, if_to, lim_f, lim_b,
                              capm, flowm, parent, queue,
                              served, disch, charged, unserved, if_flow, surplus, nf_before)
        # ---- share regional discharge and charging among devices
        for r in range(R):
            if disch[r] <= 0.0 and charged[r] <= 0.0:
                continue
            n_ids = 0
            for i in range(S):
                if st_region[i] == r:
                    reg_ids[n_ids] = i
                    n_ids += 1
            rem = disch[r]
            # generator-storage inflow goes to the grid first
            for i in range(GS):
                if gs_region[i] == r:
                    take = min(rem, gs_in_grid[i])
                    gs_in_grid[i] = take
                    gs_inflow_left[i] -= take
                    rem -= take
                    reg_ids[n_ids] = S + i
                    n_ids += 1
            if disch[r] > 0.0:
                share_by_time_to_go(rem, reg_ids, n_ids, p_dis, ttg, taken, True)
                for k in range(n_ids):
                    j = reg_ids[k]
                    if j < S:
                        st_energy[j] -= taken[j] * dt_h / st_deff[t, j]
                        if tracing:
                            tr_st_power[t, j] = taken[j]
                    else:
                        i = j - S
                        gs_energy[i] -= taken[j] * dt_h / gs_deff[t, i]
                        if tracing:
                            tr_gs_power[t, i] = taken[j] + gs_in_grid[i]
            if charged[r] > 0.0:
                share_by_time_to_go(charged[r], reg_ids, n_ids, p_chg, ttg, taken, False)
                for k in range(n_ids):
                    j = reg_ids[k]
                    if j < S:
                        st_energy[j] += taken[j] * dt_h * st_ceff[t, j]
                        if tracing:
                            tr_st_power[t, j] = -taken[j]
                    else:
                        i = j - S
                        gs_energy[i] += taken[j] * dt_h * gs_ceff[t, i]
                        if tracing:
                            tr_gs_power[t, i] = -taken[j]
        # ---- generator-storage inflow not sent to the grid charges its storage
        for i in range(GS):
            if gs_avail[i] and gs_inflow_left[i] > 0.0:
                room = (gs_e[t, i] - gs_energy[i]) / (gs_ceff[t, i] * dt_h)
                c = min(gs_inflow_left[i], gs_chg[t, i], room)
                if c > 0.0:
                    gs_energy[i] += c * dt_h * gs_ceff[t, i]
        for i in range(S):
            if st_energy[i] < 0.0:
                st_energy[i] = 0.0
        for i in range(GS):
            if gs_energy[i] < 0.0:
                gs_energy[i] = 0.0


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _record_period(t, T, b, s, dt_h, load, unserved, margin, surplus, if_flow, st_energy, gs_energy,
                   day_index, is_day_peak, r_last_day, si, sf, rec_dense, tracing, per_sample, sums, trace):
    """Add one dispatched period to the sample's and the block's accumulators.

    The per-period sums beyond the system's shortfall count (``a_short_rt``, ``a_eue_rt``, ``a_eue_sq_rt``,
    ``a_eue_t``, ``a_eue_sq_t``) are recorded when they have a period axis (``periods="all"``), not when
    the caller hands them with none (``periods="lolp"``: :func:`gigawatt.methods.sequential.run_chunk`).

    ``per_sample`` = (``s_r_lolp``, ``s_r_lold``, ``s_r_eue``), ``sums`` the block's sums and ``trace`` the
    traced sample's outputs, grouped so that the call stays under CPython's 30 positional arguments and
    numba inlines it (as a call, its arrays were passed by value in every recorded period).
    """
    s_r_lolp, s_r_lold, s_r_eue = per_sample
    (a_short_t, a_short_rt, a_eue_rt, a_eue_sq_rt, a_eue_t, a_eue_sq_t, a_dur_hist, a_depth_hist, a_energy_hist,
     a_flow_it, a_surplus_rt, a_st_energy, a_gs_energy) = sums
    tr_unserved, tr_avail, tr_st_energy, tr_gs_energy, tr_flow, tr_surplus = trace
    R = unserved.shape[0]
    S = st_energy.shape[0]
    GS = gs_energy.shape[0]
    NI = if_flow.shape[0]
    short = False
    tot_u = 0.0
    day = day_index[t]
    by_period = a_eue_t.shape[1] == T  # every per-period sum (periods="all"), else the count a_short_t only
    for r in range(R):
        u = unserved[r]
        if u > SHORT_TOL_MW:
            short = True
            tot_u += u
            s_r_lolp[s, r] += 1
            s_r_eue[s, r] += u * dt_h
            if r_last_day[r] != day:
                r_last_day[r] = day
                s_r_lold[s, r] += 1
            if not by_period:
                continue
            a_short_rt[b, r, t] += 1
            a_eue_rt[b, r, t] += _tick(u * dt_h, FIXED_RES)
            q = _tick(u * dt_h, SQ_RES)
            a_eue_sq_rt[b, 0, r, t] += q
            lo = a_eue_sq_rt[b, 2, r, t] + q * q
            a_eue_sq_rt[b, 1, r, t] += lo >> SQ_BASE_BITS
            a_eue_sq_rt[b, 2, r, t] = lo & ((1 << SQ_BASE_BITS) - 1)
    if short:
        si[0] += 1
        sf[0] += tot_u * dt_h
        if si[2] != day:
            si[2] = day
            si[1] += 1
        if is_day_peak[t]:
            si[3] += 1
        a_short_t[b, t] += 1
        if by_period:
            a_eue_t[b, t] += _tick(tot_u * dt_h, FIXED_RES)
            q = _tick(tot_u * dt_h, SQ_RES)
            a_eue_sq_t[b, 0, t] += q
            lo = a_eue_sq_t[b, 2, t] + q * q
            a_eue_sq_t[b, 1, t] += lo >> SQ_BASE_BITS
            a_eue_sq_t[b, 2, t] = lo & ((1 << SQ_BASE_BITS) - 1)
        if si[5] == 0:
            si[5] = 1
            si[6] = 0
            sf[1] = 0.0
            sf[2] = 0.0
            si[4] += 1
        si[6] += 1
        if tot_u > sf[1]:
            sf[1] = tot_u
        sf[2] += tot_u * dt_h
    if si[5] == 1 and (not short or t == T - 1):
        _close_event(b, si, sf, a_dur_hist, a_depth_hist, a_energy_hist)
    if rec_dense:
        for k in range(NI):
            a_flow_it[b, k, t] += _tick(if_flow[k], FIXED_RES)
        for r in range(R):
            a_surplus_rt[b, r, t] += _tick(surplus[r], FIXED_RES)
        for i in range(S):
            a_st_energy[b, i, t] += _tick(st_energy[i], FIXED_RES)
        for i in range(GS):
            a_gs_energy[b, i, t] += _tick(gs_energy[i], FIXED_RES)
    if tracing:
        for r in range(R):
            tr_unserved[t, r] = unserved[r]
            tr_avail[t, r] = margin[r] + load[t, r]
            tr_surplus[t, r] = surplus[r]
        for i in range(S):
            tr_st_energy[t, i] = st_energy[i]
        for i in range(GS):
            tr_gs_energy[t, i] = gs_energy[i]
        for k in range(NI):
            tr_flow[t, k] = if_flow[k]


def scratch_sizes(T, R, G, S, GS, NI, NL, D):
    """Sizes of the per-block float, int and bool scratch the kernel slices (keep in step with it)."""
    nsd = S + GS
    nf = 12 * R + 5 * NI + 3 * GS + S + 4 * nsd + 3 + 2 * (1 << min(R, MAX_GALE_REGIONS))
    ni = T + 1 + D + 4 * G + 3 + 2 * (R + 2) + nsd + 2 * R + 7
    nb = D + S + 2 * GS + NL + NI
    return nf, ni, nb


def _block_kernel(dc):
    """The kernel that simulates one block of samples, with the data-center step (``dc``) or without.

    Built twice from one source: ``dc`` is a constant of the closure, so numba prunes its branches
    before typing and the kernel without data centers never compiles the data-center step (nor the
    emergency order, the rotation of outages, ...). Serial and free of the GIL (``nogil``): the blocks
    run on Python threads (:func:`run_blocks`). A ``prange`` over blocks inside the kernel compiled
    the whole loop body a second time as a parallel function; see BENCHMARKS.md for compile times.
    """

    def run_block(b, sample0, n_samples, seed, n_blocks, dt_h, rec_dense, system, per_sample, sums, trace, work):
        """Block ``b`` of ``n_blocks`` of samples ``sample0 .. sample0 + n_samples - 1`` (see module doc).

        The arguments, grouped by role (each group a tuple, unpacked below under the names the body uses):

        * ``system`` (parameters, read only): :attr:`gigawatt.methods.sequential.Prepared.arrays`: load and
          capacity, the two-state devices and their hazard rows, storage and generator-storage parameters,
          the network, day and peak indices, the quiet-period tables, then the data-center arrays and
          ``has_dc`` (not read: the variant ``dc`` decides whether the data-center step is compiled in);
        * ``per_sample`` (outputs, one row per sample): shortfall counts and energy per sample and region,
          data-center site, residents and demand-response results, the curtailment-event buffer and its fill;
        * ``sums`` (outputs, one row per block, integer sums over samples): per-period shortfall and energy,
          histograms, and the dense per-period flows, surplus and storage energy when ``rec_dense``;
        * ``trace`` (outputs of a traced sample, empty otherwise): the dispatch period by period;
        * ``work`` (state and scratch, one row per block): random-number state, float, int and bool
          scratch, the network's flow planes, then the data-center step's state and its what-if copies.
        """
        (load0, totcap, cap_const, cap_var, cap_max, var_idx, gen_region,
         dev_kind, dev_index, dev_frow, dev_rrow, haz, haz_h, dev_p_avail, gen_varies,
         st_par, st_region, gs_par, gs_region,
         if_from, if_to, if_fwd, if_bwd, ln_fwd, ln_bwd, ln_if, ln_sign,
         day_index, is_day_peak, quiet_m0, quiet_g0, lfu_par,
         site_load, firm_load0, em_order, site_region, site_par, dr_region, dr_par, dr_avail, region_par,
         site_unit_mw, site_gen_cap, rot_par, has_dc) = system
        (s_lolp, s_lold, s_lold_peak, s_eue, s_events, s_r_lolp, s_r_lold, s_r_eue,
         s_site, s_res, s_dr, ev_buf, ev_n) = per_sample
        (a_short_t, a_short_rt, a_eue_rt, a_eue_sq_rt, a_eue_t, a_eue_sq_t,
         a_dur_hist, a_depth_hist, a_energy_hist,
         a_flow_it, a_surplus_rt, a_st_energy, a_gs_energy) = sums
        (tr_unserved, tr_avail, tr_st_energy, tr_st_power, tr_gs_energy, tr_gs_power, tr_flow, tr_surplus,
         tr_site, tr_region, tr_dr) = trace
        (u_scr, f_scr, i_scr, b_scr, m_scr, u2_scr, dcs_scr, drs_scr, so_scr, do_scr, ro_scr, dcn_scr,
         rot_s_scr, rot_b_scr, wi_so_scr, wi_ro_scr, em_vec_scr,
         lfu_load_scr, lfu_firm_scr, lfu_qm_scr, lfu_qg_scr, rec_o, rec_mode) = work
        T = load0.shape[0]
        R = load0.shape[1]
        G = cap_const.shape[0]
        S = st_par.shape[2]
        GS = gs_par.shape[2]
        st_chg, st_e = st_par[ST_CHG], st_par[ST_E]
        gs_chg, gs_e, gs_inflow, gs_wdr = gs_par[ST_CHG], gs_par[ST_E], gs_par[GS_INFLOW], gs_par[GS_WDR]
        NI = if_from.shape[0]
        NL = ln_if.shape[0]
        D = dev_kind.shape[0]
        tracing = tr_unserved.shape[0] == T
        per_block = (n_samples + n_blocks - 1) // n_blocks
        s_lo = b * per_block
        s_hi = min(n_samples, s_lo + per_block)
        # scratch (allocated by the caller: the kernel runs without NRT, see module doc)
        rng = u_scr[b]
        rng2 = u2_scr[b]
        site_state = dcs_scr[b]
        dr_state = drs_scr[b]
        site_out = so_scr[b]
        dr_out = do_scr[b]
        region_out = ro_scr[b]
        dc_n = dcn_scr[b]
        units_out = dc_n[DC.DN_UNITS_OUT]
        rot_s = rot_s_scr[b]
        rot_b = rot_b_scr[b]
        ev_buf_b = ev_buf[b]
        wi_so = wi_so_scr[b]
        wi_ro = wi_ro_scr[b]
        em_vec = em_vec_scr[b]
        F = f_scr[b]
        II = i_scr[b]
        BB = b_scr[b]
        capm = m_scr[b, 0]
        flowm = m_scr[b, 1]
        nsd = S + GS
        (out_const, out_cap, st_energy, gs_energy, margin, disch_cap, charge_need, lim_f, lim_b, served, disch,
         charged, unserved, if_flow, surplus, p_dis, p_chg, ttg, taken, gs_in_grid, gs_inflow_left, sf, ln_sf,
         ln_sb, nf_before, out_ub, set_out, set_ub) = _f_views(F, R, NI, S, GS)
        (bucket_head, bucket_next, out_list, out_pos, vary_list, vary_pos, counts, parent, queue, reg_ids,
         r_last_day, si, vmax_t) = _i_views(II, T, D, G, R, nsd)
        (avail, st_avail, gs_avail, ln_avail, gs_inflow_any, ln_has) = _b_views(BB, D, S, GS, NL, NI)
        for k in range(T + 1):
            bucket_head[k] = -1
        for k in range(D):
            bucket_next[k] = -1
        for k in range(S):
            st_avail[k] = True
        for k in range(GS):
            gs_avail[k] = True
        for k in range(NL):
            ln_avail[k] = True
        for i in range(GS):
            gs_inflow_any[i] = False
            for tt in range(T):
                if gs_inflow[tt, i] > 0.0:
                    gs_inflow_any[i] = True
                    break
        can_skip = (not rec_dense) and (not tracing)
        n_sets = quiet_g0.shape[1]
        lanes = quiet_m0.shape[1] == QUIET_LANES  # the regional quiet test as straight-line code
        # load forecast uncertainty: the residents' load of each sample times its own factor
        # (lfu_par[LFU_SD] > 0), in the block's copies of the load and the quiet-period tables
        lfu_sd = lfu_par[LFU_SD] if lfu_par.shape[0] > 0 else 0.0
        use_lfu = lfu_sd > 0.0 and lfu_load_scr.shape[1] == T
        rng3 = u_scr[b, 8:12]
        load = load0
        firm_load = firm_load0
        quiet_m = quiet_m0
        quiet_g = quiet_g0
        if use_lfu:
            load = lfu_load_scr[b]
            quiet_m = lfu_qm_scr[b]
            quiet_g = lfu_qg_scr[b]
            if dc:
                firm_load = lfu_firm_scr[b]
        # the grid's outages of each sample (two regions, grid devices all generators: see
        # sequential.OutageRecord): drawn (rec_mode 0); drawn and their capacity out of each region written to
        # rec_o (s, t, region) every period (1); or read back from rec_o, only the sites' units drawn (2)
        two = R == 2 and rec_o.shape[1] == T and rec_o.shape[2] == 2 and rec_o.shape[0] >= s_hi
        for d in range(D):  # storage, generator-storage and line outages are not in the record
            if dev_kind[d] != 0 and dev_kind[d] != 4:
                two = False
        recording = two and rec_mode[0] == 1
        replay = two and rec_mode[0] == 2
        if recording:
            rec_mode[1] = 1  # the caller's confirmation that the samples are in the record
        for s in range(s_lo, s_hi):
            seed_state(rng, seed, sample0 + s)
            seed_state(rng2, seed, sample0 + s + RNG2_OFFSET)
            if use_lfu:
                seed_state(rng3, seed, sample0 + s + RNG3_OFFSET)
                f = load_factor(rng3, lfu_sd)
                _scale_load(f, load0, firm_load0, quiet_m0, quiet_g0, R, dc, load, firm_load, quiet_m, quiet_g)
            _init_sample(rng, rng2, T, dev_kind, dev_index, dev_frow, dev_rrow, haz, haz_h, dev_p_avail, gen_varies,
                         gen_region, cap_const, cap_max, var_idx, avail, bucket_head, bucket_next, out_list, out_pos, vary_list,
                         vary_pos, out_const, counts, st_avail, gs_avail, ln_avail, units_out, vmax_t, replay)
            if dc:
                DC.dc_reset(site_par, site_state, dr_state, dc_n, rot_s, rot_b)
            for i in range(S):
                st_energy[i] = 0.0
            for i in range(GS):
                gs_energy[i] = 0.0
            for r in range(R):
                r_last_day[r] = -1
            for k in range(7):
                si[k] = 0
            si[2] = -1
            for k in range(3):
                sf[k] = 0.0
            stor_idle = False
            t = 0
            while t < T:
                # ---- outage transitions due now (bucket of period t)
                if bucket_head[t] >= 0:
                    if _transitions(t, T, rng, rng2, dev_kind, dev_index, dev_frow, dev_rrow, haz, haz_h, gen_varies,
                                    gen_region, cap_const, cap_max, var_idx, avail, bucket_head, bucket_next, out_list, out_pos,
                                    vary_list, vary_pos, out_const, counts, st_avail, gs_avail, ln_avail,
                                    units_out, vmax_t):
                        stor_idle = False
                # ---- quiet periods: transfers can cover every region's outaged capacity (Gale's
                # test by sets of regions, see sequential._quiet_table) and no storage can charge;
                # run through them until a transition is due or the test fails
                if can_skip and stor_idle:
                    t0 = t
                    n_vary = counts[1]
                    by_sets = n_sets > 0 and counts[2] == 0  # the set test assumes every line in service
                    # outaged capacity by region with each time-varying unit at its largest: an upper
                    # bound that needs no per-period sum, kept up to date by the transitions (vmax_t,
                    # integer ticks rounded up); a period that passes with it passes the exact test too
                    for r in range(R):
                        out_ub[r] = out_const[r] + vmax_t[r] * VMAX_RES
                    ub_sets_ready = False  # the set sums of the upper bound, when first needed
                    u0 = out_ub[0] if R > 0 else 0.0
                    u1 = out_ub[1] if R > 1 else 0.0
                    u2 = out_ub[2] if R > 2 else 0.0
                    u3 = out_ub[3] if R > 3 else 0.0
                    while True:
                        if replay:  # the record's capacity out of each region: the exact test
                            o0 = rec_o[s, t, 0]
                            o1 = rec_o[s, t, 1]
                            quiet = (quiet_m[t, 0] >= o0) & (quiet_m[t, 1] >= o1)
                            if not quiet and n_sets > 0:
                                out_cap[0] = o0
                                out_cap[1] = o1
                                _subset_sums(out_cap, set_out)
                                quiet = _sets_covered(set_out, quiet_g, t, n_sets)
                        else:
                            # each region covers its own outages (the common case), else transfers do; periods
                            # in which storage parameters change fail both tests (-inf in both tables)
                            if lanes:
                                quiet = ((quiet_m[t, 0] >= u0) & (quiet_m[t, 1] >= u1) & (quiet_m[t, 2] >= u2)
                                         & (quiet_m[t, 3] >= u3))
                            else:
                                quiet = True
                                for r in range(R):  # no early exit: a branch per region mispredicts more than it saves
                                    quiet &= quiet_m[t, r] >= out_ub[r]
                            if not quiet and by_sets:  # transfers cover the upper bound (Gale's test, below)
                                if not ub_sets_ready:
                                    _subset_sums(out_ub, set_ub)
                                    ub_sets_ready = True
                                quiet = _sets_covered(set_ub, quiet_g, t, n_sets)
                            if not quiet and n_vary > 0:  # the exact outaged capacity of this period
                                for r in range(R):
                                    out_cap[r] = out_const[r]
                                for j in range(n_vary):
                                    g = vary_list[j]
                                    out_cap[gen_region[g]] += cap_var[var_idx[g], t]
                                quiet = True
                                for r in range(R):
                                    quiet &= quiet_m[t, r] >= out_cap[r]
                            if not quiet and by_sets and n_vary > 0:  # without time-varying outages: tested above
                                _subset_sums(out_cap, set_out)
                                quiet = _sets_covered(set_out, quiet_g, t, n_sets)
                        if not quiet:
                            break
                        if recording:  # a quiet period too has its capacity out in the record
                            o0, o1 = _out_sums2(t, out_list, counts[0], cap_var, var_idx, cap_const, gen_region)
                            rec_o[s, t, 0] = o0
                            rec_o[s, t, 1] = o1
                        t += 1
                        if t >= T or bucket_head[t] >= 0:
                            break
                    if t > t0:
                        if si[5] == 1:
                            _close_event(b, si, sf, a_dur_hist, a_depth_hist, a_energy_hist)
                        continue
                if R == 2:  # the capacity out of each region, for the margins (_dispatch_period)
                    if replay:
                        out_cap[0] = rec_o[s, t, 0]
                        out_cap[1] = rec_o[s, t, 1]
                    else:
                        o0, o1 = _out_sums2(t, out_list, counts[0], cap_var, var_idx, cap_const, gen_region)
                        out_cap[0] = o0
                        out_cap[1] = o1
                        if recording:
                            rec_o[s, t, 0] = o0
                            rec_o[s, t, 1] = o1
                _dispatch_period(t, dt_h, load, totcap, cap_const, cap_var, var_idx, gen_region, st_par, st_region,
                                 gs_par, gs_region, if_from, if_to, if_fwd, if_bwd, ln_fwd, ln_bwd, ln_if, ln_sign, F,
                                 II, BB, m_scr[b], D, tracing, tr_st_power, tr_gs_power)
                if dc:
                    DC.dc_period(t, dt_h, b, sample0 + s, unserved, surplus, SHORT_TOL_MW,
                                 (site_load, firm_load, em_order, site_region, site_par, dr_region, dr_par, dr_avail,
                                  region_par, site_unit_mw, site_gen_cap, rot_par),
                                 (site_state, dr_state, site_out, dr_out, region_out, dc_n, rot_s, rot_b, s_res[s],
                                  ev_buf_b, ev_n, wi_so, wi_ro, em_vec),
                                 (if_from, if_to, lim_f, lim_b, if_flow, capm, flowm, parent, queue))
                    if tracing:
                        for i in range(site_out.shape[0]):
                            for c in range(site_out.shape[1]):
                                tr_site[t, i, c] = site_out[i, c]
                        for r in range(R):
                            for c in range(region_out.shape[1]):
                                tr_region[t, r, c] = region_out[r, c]
                                region_out[r, c] = 0.0
                        for p in range(dr_out.shape[0]):
                            tr_dr[t, p] = dr_out[p]
                            dr_out[p] = 0.0
                # recording is needed for a short period, an open event, or dense/traced runs
                need_rec = rec_dense or tracing or si[5] == 1
                if not need_rec:
                    for r in range(R):
                        if unserved[r] > SHORT_TOL_MW:
                            need_rec = True
                            break
                if need_rec:
                    _record_period(t, T, b, s, dt_h, load, unserved, margin, surplus, if_flow, st_energy, gs_energy,
                                   day_index, is_day_peak, r_last_day, si, sf, rec_dense, tracing,
                                   (s_r_lolp, s_r_lold, s_r_eue), sums,
                                   (tr_unserved, tr_avail, tr_st_energy, tr_gs_energy, tr_flow, tr_surplus))
                stor_idle = _storage_idle(t, st_avail, st_chg, st_energy, st_e, gs_avail, gs_chg, gs_energy, gs_e,
                                          gs_wdr, gs_inflow_any)
                if dc and stor_idle:
                    stor_idle = not batteries_below_full(site_par, site_state)
                t += 1
            s_lolp[s] = si[0]
            s_lold[s] = si[1]
            s_lold_peak[s] = si[3]
            s_eue[s] = sf[0]
            s_events[s] = si[4]
            if dc:
                DC.dc_finish_sample(s, b, sample0 + s, site_state, dr_state, dc_n, rot_s, rot_b, rot_par, s_site,
                                    s_res, s_dr, ev_buf_b, ev_n)

    return njit(nogil=True, cache=True, error_model="numpy", _nrt=False)(run_block)


#: the kernels: without data-center sites (``False``) and with them (``True``); each is compiled on
#: its first call and then loaded from the cache (see :mod:`gigawatt.methods._numba_cache`)
BLOCK_KERNELS = {False: _block_kernel(False), True: _block_kernel(True)}
def run_blocks(sample0, n_samples, seed, n_blocks, *args, threads=None):
    """Simulate samples ``sample0 .. sample0 + n_samples - 1`` in ``n_blocks`` blocks, on up to ``threads``
    threads (default: one per block).

    Arguments as for the block kernel, less the block index: ``dt_h, rec_dense, system, per_sample, sums,
    trace, work``. The results do not depend on which thread runs which block (each block writes only its
    own rows of the outputs).
    """
    kernel = BLOCK_KERNELS[bool(args[2][-1])]  # the system's has_dc flag picks the variant
    head = (sample0, n_samples, seed, n_blocks)
    workers = min(n_blocks, threads or n_blocks)
    if workers <= 1:
        for b in range(n_blocks):
            kernel(b, *head, *args)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gigawatt-block") as pool:
        for f in [pool.submit(kernel, b, *head, *args) for b in range(n_blocks)]:
            f.result()
