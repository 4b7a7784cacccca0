"""Data centers inside the sequential Monte Carlo kernel (numba, ``_nrt=False``).

Called by :mod:`gigawatt.methods._smc_kernel` once per dispatched period when the system
carries data-center sites (:class:`gigawatt.datacenter.system.DataCenterSystem`):

* with a regional shortfall after the network dispatch, the shortfall is moved over the
  interfaces' remaining capacity to the regions whose emergency relief can meet it (step by
  step of the order, so earlier steps are used first anywhere they can reach); then the
  operator's emergency order
  (:func:`gigawatt.datacenter.emergency.apply_emergency_order`) allocates it to site
  batteries, curtailment, demand response, on-site generation, imports, voltage reduction
  and, last, firm load shed; the shed replaces the unserved power in every residents'
  metric (LOLE, LOLH, EUE) and drives the rotating outages (a port of
  :func:`gigawatt.datacenter.outages.rotating_outages`, updated lazily: a region's
  rotation state is only touched in periods in which it sheds; people and customers
  interrupted are counted per year of ``RP_YEAR_PERIODS`` periods and summed, so a
  horizon of several weather years counts each year's affected customers);
* without a shortfall, site batteries recharge from regional surplus
  (:func:`gigawatt.datacenter.emergency.recharge_batteries`).

Per-sample results are scalars (site counters, residents' counts, customers by bins of
hours without power in a year: :data:`HOURS_HIST_UPPER_H`); curtailment events
go to a per-block event buffer (start, length, curtailed and site energy) from which the
result spec computes GPU-hours lost. Nothing here allocates.

The period step (:func:`dc_period`) and the functions it calls (the relocation, the emergency order, the
rotation) are inlined into the sequential kernel at numba IR level (``inline="always"``): as calls, their
array arguments were passed by value in every dispatched period, which in a system short in most hours
(PJM 2035) cost about a quarter of the kernel's time (BENCHMARKS.md, "the data-center step inlined").

Work a system short in every hour does not need (BENCHMARKS.md, "2035: ... counted at once"): the relocation
skips its what-if when no region that might give more than its own shortfall (a bound of its relief,
:func:`_relief_bound_direct`) has interface capacity out of it; a rotation counts whole turns of blocks as
differences along the ring (integers, ``RB_TURNS``) and a collapsed rotation held from one period to the
next keeps its blocks off without touching them (``RS_LAZY_*``, ``RB_WHOLE_H``), so block hours are summed
in another order than period by period: results move in their last bits only.

The sequential kernel with data centers compiles this module's functions into itself; its
cached copy is keyed on a hash of every kernel source, this module and ``datacenter/emergency.py``
included (:mod:`gigawatt.methods._numba_cache`), so an edit here recompiles it.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from gigawatt.methods import _numba_cache  # noqa: F401  (first: where the kernels below are cached)
from gigawatt.datacenter import emergency as E
from gigawatt.methods._dispatch import EPS_MW, _max_flow2, max_flow, max_flow_two_regions

# ---- per-sample site results: s_site (n, N, NSR)
SR_EVENTS = 0  # curtailment events [-]
SR_CURT_H = 1  # hours curtailed [h]
SR_CURT_MWH = 2  # energy curtailed [MWh]
SR_MAX_DEPTH = 3  # deepest cut / site load [fraction]
SR_BAT_MWH = 4  # battery energy discharged for the grid [MWh]
SR_GEN_H = 5  # on-site generation hours [h]
SR_GEN_MWH = 6  # on-site generation energy [MWh]
SR_CHARGE_MWH = 7  # battery recharge drawn from the grid [MWh]
NSR = 8
# ---- per-sample residents' results by region: s_res (n, R, NRR)
RR_CUSTOMERS = 0  # distinct customers interrupted, per year, summed over the years [-]
RR_CUST_H = 1  # customer-hours without power [customer-h]
RR_LONGEST_H = 2  # longest continuous outage of a block [h]
RR_COLLAPSED_H = 3  # hours of collapsed rotation [h]
RR_UNALLOC_MWH = 4  # shed beyond all rotatable blocks [MWh]
RR_RAW_H = 5  # hours with a shortfall before the emergency order [h]
RR_RAW_MWH = 6  # unserved energy before the emergency order [MWh]
RR_RELIEF_MWH = 7  # energy of non-shed emergency actions in the region [MWh]
RR_HOURS_HIST = 8  # first of NHB columns: customers by hours without power in a year (HOURS_HIST_UPPER_H)
#: upper bounds of the bins of hours without power per affected customer in one year [h]
#: (a bin holds hours above the previous bound up to its own; rotation turns are 0.5 h)
HOURS_HIST_UPPER_H = np.array([0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 36.0, 48.0, 72.0, 96.0,
                               144.0, 192.0, 288.0, 384.0, np.inf])
NHB = HOURS_HIST_UPPER_H.shape[0]
NRR = RR_HOURS_HIST + NHB
# ---- per-sample demand response: s_dr (n, P, NDR)
DRR_H = 0
DRR_EVENTS = 1
NDR = 2
# ---- rotation parameters: rot_par (R, NROT)
ROT_BLOCK_FRAC = 0  # (1 - critical_frac) / n_blocks: block MW per MW of firm load
ROT_TURN_H = 1  # rotation_h [h]
ROT_MAX_K = 2  # max_rotation_frac * n_blocks [blocks]
ROT_CUST_BLOCK = 3  # customers per block [-]
NROT = 4
# ---- rotation state: rot_s (NRS, R)
RS_PTR = 0
RS_TURN_LEFT = 1
RS_SUSTAINED = 2
RS_LAST_T = 3
RS_LONGEST = 4
RS_COLLAPSED = 5
RS_PREV_A = 6  # blocks touched in the region's last shed period: first one ...
RS_PREV_N = 7  # ... and how many (cyclic); every other block has no run and no full turn
RS_YEAR = 8  # year of the block hours in rot_b[0] (see RP_YEAR_PERIODS)
RS_FULL = 9  # 1: a block of the last shed period may have been off the whole period (its run goes on), 0: none
RS_LAZY_N = 10  # blocks RS_SUSTAINED .. + RS_LAZY_N - 1 of a collapsed rotation: their runs are RB_RUN + RS_LAZY_G
RS_LAZY_G = 11  # hours the lazy blocks' runs have grown by since RB_RUN was written [h]
RS_LAZY_M = 12  # the lazy block (its place from RS_SUSTAINED) whose run is the longest
NRS = 13
# ---- rotation blocks: rot_b (NRB, R, B)
RB_HOURS = 0  # hours without power in the year, less those counted in RB_TURNS and RB_WHOLE_H [h]
RB_RUN = 1  # length of the block's running outage [h] (read only where RB_FULL is 1)
RB_FULL = 2  # 1: off the whole of the last shed period
RB_OFF = 3  # scratch, all zero between periods
RB_TURNS = 4  # whole turns taken in the year, as a difference along the ring (integers; see _add_turns)
RB_WHOLE_H = 5  # hours of periods off whole in the year, as a difference along the ring (multiples of dt_h)
NRB = 6
# ---- per-site scratch rows: dc_n (NDN, N)
DN_GEN_AVAIL = 0  # on-site generation in service [MW]
DN_UNITS_OUT = 1  # on-site units out [-]
DN_EV_START = 2  # open event: first period
DN_EV_LAST = 3  # open event: last period (-2: none open)
DN_EV_CUT = 4  # open event: curtailed energy [MWh]
DN_EV_LOAD = 5  # open event: site energy demand [MWh]
DN_MAX_DEPTH = 6
DN_CHARGE = 7
NDN = 8
# ---- event buffer rows: ev_buf (nb, cap, NEV)
EV_SAMPLE = 0
EV_SITE = 1
EV_START = 2
EV_PERIODS = 3
EV_CUT_MWH = 4
EV_LOAD_MWH = 5
NEV = 6

_TOL = 1e-12


@njit(_nrt=False, cache=True)
def dc_reset(site_par, site_state, dr_state, dc_n, rot_s, rot_b):
    """Start a sample: site and DR state, event trackers, rotation state and block hours."""
    E.reset_sample(site_par, site_state, dr_state)
    for i in range(dc_n.shape[1]):
        for c in range(NDN):
            if c != DN_UNITS_OUT:  # set by the device draws of the sample (_init_sample)
                dc_n[c, i] = 0.0
        dc_n[DN_EV_LAST, i] = -2.0
    for r in range(rot_s.shape[1]):
        rot_s[RS_PTR, r] = 0.0
        rot_s[RS_TURN_LEFT, r] = -1.0  # set from rot_par on first use
        rot_s[RS_SUSTAINED, r] = -1.0
        rot_s[RS_LAST_T, r] = -2.0
        rot_s[RS_LONGEST, r] = 0.0
        rot_s[RS_COLLAPSED, r] = 0.0
        rot_s[RS_PREV_A, r] = 0.0
        rot_s[RS_PREV_N, r] = 0.0
        rot_s[RS_YEAR, r] = 0.0
        rot_s[RS_FULL, r] = 0.0
        rot_s[RS_LAZY_N, r] = 0.0
        rot_s[RS_LAZY_G, r] = 0.0
        rot_s[RS_LAZY_M, r] = 0.0
        for k in range(rot_b.shape[2]):
            for c in range(NRB):
                rot_b[c, r, k] = 0.0


@njit(_nrt=False, cache=True, inline="always")
def _close_year(r, rot_b, rot_par, s_res_row):
    """Add region ``r``'s customers interrupted, customer-hours and customers by hours without power of
    the year to its results; zero the year's block hours and turn counts."""
    n_aff = 0
    tot = 0.0
    cust = rot_par[r, ROT_CUST_BLOCK]
    turn_h = rot_par[r, ROT_TURN_H]
    n_turns = 0.0  # whole turns of block k: the running sum of the ring's differences (exact integers)
    whole_h = 0.0  # hours of periods block k was off whole: the same
    for k in range(rot_b.shape[2]):
        n_turns += rot_b[RB_TURNS, r, k]
        rot_b[RB_TURNS, r, k] = 0.0
        whole_h += rot_b[RB_WHOLE_H, r, k]
        rot_b[RB_WHOLE_H, r, k] = 0.0
        h = rot_b[0, r, k]
        if n_turns != 0.0:
            h += n_turns * turn_h
        if whole_h != 0.0:
            h += whole_h
        if h > 0.0:
            n_aff += 1
            tot += h
            j = 0
            while j < NHB - 1 and h > HOURS_HIST_UPPER_H[j] + 1e-9:
                j += 1
            s_res_row[RR_HOURS_HIST + j] += cust
        rot_b[0, r, k] = 0.0
    s_res_row[RR_CUSTOMERS] += n_aff * cust
    s_res_row[RR_CUST_H] += tot * cust


def block_hours(rot_b, rot_par, r):
    """Region ``r``'s hours without power of each block so far in the year [h] (numpy, for inspection and
    tests): ``RB_HOURS`` plus the whole turns and the periods off whole counted along the ring."""
    turns = np.cumsum(rot_b[RB_TURNS, r])
    whole_h = np.cumsum(rot_b[RB_WHOLE_H, r])
    return rot_b[RB_HOURS, r] + turns * rot_par[r, ROT_TURN_H] + whole_h


@njit(_nrt=False, cache=True, inline="always")
def _block_on(run, prev_full, hours, k, take, dt_h, longest):
    """Block ``k`` off for ``take`` h of the period: its run grows (or starts), it is off the whole period
    when ``take`` covers ``dt_h``; returns the longest run so far."""
    rk = run[k] + take if prev_full[k] > 0.0 else take
    run[k] = rk
    prev_full[k] = 1.0 if take >= dt_h - 1e-9 else 0.0
    hours[k] += take
    return rk if rk > longest else longest


@njit(_nrt=False, cache=True, inline="always")
def _add_turns(turns, a, n, B, x):
    """``x`` more for each of blocks ``a .. a + n - 1`` round the ring (``0 < n <= B``): a difference of ``+x``
    at the first and ``-x`` after the last, so that the running sum along the ring gives each block's total
    (:func:`_close_year`); two or three updates whatever ``n``."""
    turns[a] += x
    e = a + n
    if e < B:
        turns[e] -= x
    elif e > B:
        turns[0] += x
        turns[e - B] -= x


@njit(_nrt=False, cache=True, inline="always")
def _longest_run_at(run, a, n, B):
    """The place (from ``a``, round the ring) of the largest of ``run[a .. a + n - 1]``, the first if tied; 0 if
    ``n`` is 0."""
    m = 0
    k = a
    best = -math.inf
    for j in range(n):
        if run[k] > best:
            best = run[k]
            m = j
        k = k + 1 if k + 1 < B else 0
    return m


@njit(_nrt=False, cache=True, inline="always")
def _block_end(run, prev_full, k):
    """Block ``k`` not off this period: its run ends."""
    run[k] = 0.0
    prev_full[k] = 0.0


@njit(_nrt=False, cache=True, inline="always")
def _rotate(t, dt_h, r, shed, firm_load, rot_par, rot_s, rot_b, s_res_row, year):
    """One period of rotating outages in region ``r`` (``outages.rotating_outages`` step).

    ``year`` is the period's year for the counts of customers (see :func:`_close_year`). Only the
    blocks this period takes off and those of the region's previous shed period can change state
    (every other block has no running outage), so the work is proportional to the blocks rotated,
    not to all blocks; ``off`` is kept all zero between calls.
    """
    if year != rot_s[RS_YEAR, r]:
        _close_year(r, rot_b, rot_par, s_res_row)
        rot_s[RS_YEAR, r] = year
    B = rot_b.shape[2]
    hours = rot_b[0, r]
    run = rot_b[1, r]
    prev_full = rot_b[2, r]
    off = rot_b[3, r]
    turns = rot_b[RB_TURNS, r]
    prev_a = int(rot_s[RS_PREV_A, r])
    prev_n = int(rot_s[RS_PREV_N, r])
    # no block off the whole of the last shed period: every block's run starts afresh (its ``run`` is not
    # read), and ending a run changes nothing that is read
    clean = rot_s[RS_FULL, r] == 0.0
    if rot_s[RS_TURN_LEFT, r] < 0.0:
        rot_s[RS_TURN_LEFT, r] = rot_par[r, ROT_TURN_H]
    if rot_s[RS_LAST_T, r] != t - 1:  # periods without shed in between: runs ended, no collapse held
        k = prev_a
        for j in range(prev_n):
            run[k] = 0.0
            prev_full[k] = 0.0
            k = k + 1 if k + 1 < B else 0
        prev_n = 0
        rot_s[RS_SUSTAINED, r] = -1.0
        rot_s[RS_LAZY_N, r] = 0.0  # (the lazy blocks are in that window)
        clean = True
    rot_s[RS_LAST_T, r] = t
    block_mw = rot_par[r, ROT_BLOCK_FRAC] * firm_load
    k_off = shed / block_mw if block_mw > 0.0 else math.inf
    if not k_off <= B:  # also NaN (infinite shed and load): every block, never an undefined int()
        s_res_row[RR_UNALLOC_MWH] += (shed - B * block_mw) * dt_h
        k_off = float(B)
    ptr = int(rot_s[RS_PTR, r])
    # a collapsed rotation held from one period to the next keeps its blocks off whole without touching them
    # (their runs grow by RS_LAZY_G, their hours go to RB_WHOLE_H at once); when it ends, the runs are written
    lazy_n = int(rot_s[RS_LAZY_N, r])
    lazy_g = rot_s[RS_LAZY_G, r]
    lazy_m = int(rot_s[RS_LAZY_M, r])
    if lazy_n > 0 and k_off <= rot_par[r, ROT_MAX_K]:
        k = int(rot_s[RS_SUSTAINED, r])
        for j in range(lazy_n):
            run[k] += lazy_g
            k = k + 1 if k + 1 < B else 0
        lazy_n = 0
    whole = -1  # collapsed rotation: the blocks off the whole period
    part = 0.0
    fused = False
    clean_after = False
    longest = rot_s[RS_LONGEST, r]
    if k_off <= rot_par[r, ROT_MAX_K]:
        rot_s[RS_SUSTAINED, r] = -1.0
        need = k_off * dt_h
        turn_left = rot_s[RS_TURN_LEFT, r]
        turn_h = rot_par[r, ROT_TURN_H]
        # whole turns in a row (turn_left == turn_h, need >= turn_h) at once when turn_h is a power of
        # two: each need -= turn_h is then exact (need < 2**52 turn_h), so their count and the need left
        # are those of the turn-by-turn loop, bit for bit
        whole_turns = math.frexp(turn_h)[0] == 0.5 and need < turn_h * 4503599627370496.0
        cur_a = ptr
        cur_n = 1
        # a rotation that takes no block twice (at most need / turn_h + 3 blocks, one spare) updates each
        # block as its turn is taken, without ``off``: each block then gets one take, so ``off`` would hold
        # exactly that take, and the blocks of the previous period that the loop below ends are others
        fused = turn_h > 0.0 and need / turn_h + 4.0 <= B
        # ... and with no run going on and turns shorter than the period (no block then ends it off the
        # whole period), the whole turns only add hours and a longest run of ``turn_h``: counted at once
        clean_after = fused and turn_h < dt_h - 1e-9  # every take shorter than the period: no block left full
        lazy = clean_after and clean
        last_taken = False  # block ``ptr`` took a turn (else it is the window's last block, not taken)
        while fused and need > _TOL:
            if whole_turns and turn_left == turn_h and need >= turn_h:
                nt = int(need / turn_h)
                if lazy:
                    _add_turns(turns, ptr, nt, B, 1.0)
                    if turn_h > longest:
                        longest = turn_h
                    ptr += nt
                    if ptr >= B:
                        ptr -= B
                else:
                    for j in range(nt):
                        longest = _block_on(run, prev_full, hours, ptr, turn_h, dt_h, longest)
                        ptr = ptr + 1 if ptr + 1 < B else 0
                need -= nt * turn_h
                cur_n += nt
                last_taken = False
                continue
            take = min(need, turn_left)
            longest = _block_on(run, prev_full, hours, ptr, take, dt_h, longest)
            last_taken = True
            need -= take
            turn_left -= take
            if turn_left <= _TOL:
                ptr = ptr + 1 if ptr + 1 < B else 0
                turn_left = rot_par[r, ROT_TURN_H]
                cur_n += 1
                last_taken = False
        if fused and not last_taken:  # the window's last block, not taken: its run ends
            _block_end(run, prev_full, ptr)
        while not fused and need > _TOL:
            if whole_turns and turn_left == turn_h and need >= turn_h:
                nt = int(need / turn_h)
                for j in range(nt):
                    off[ptr] += turn_h
                    ptr = ptr + 1 if ptr + 1 < B else 0
                need -= nt * turn_h
                cur_n += nt
                continue
            take = min(need, turn_left)
            off[ptr] += take
            need -= take
            turn_left -= take
            if turn_left <= _TOL:
                ptr = ptr + 1 if ptr + 1 < B else 0
                turn_left = rot_par[r, ROT_TURN_H]
                cur_n += 1
        rot_s[RS_TURN_LEFT, r] = turn_left
        rot_s[RS_PTR, r] = ptr
    else:
        rot_s[RS_COLLAPSED, r] += dt_h
        if rot_s[RS_SUSTAINED, r] < 0.0:
            rot_s[RS_SUSTAINED, r] = ptr
        s0 = int(rot_s[RS_SUSTAINED, r])
        # blocks s0 .. s0 + whole - 1 (round the ring) are off the whole period, block s0 + whole
        # the fraction left (or not at all): written straight into the blocks below, not via ``off``
        whole = int(math.floor(k_off + _TOL))
        if k_off - whole > _TOL:
            part = (k_off - whole) * dt_h
        cur_a = s0
        cur_n = whole + 1
    if cur_n > B:
        cur_n = B
    n_full = 0  # blocks off the whole period (collapsed rotation): run and hours grow by dt_h
    if whole >= 0:
        n_full = whole if whole < cur_n else cur_n
        if n_full < lazy_n:  # a lazy block with the fraction now (below): its run written
            k = cur_a + n_full
            if k >= B:
                k -= B
            run[k] += lazy_g
    # blocks of the previous shed period not rotated now: their runs end. Block prev_a + j is outside the
    # window when its distance e = d0 + j (mod B) from cur_a is at least cur_n: j in at most two stretches,
    # found without a test per block (a collapsed rotation keeps its window: nothing to end)
    d0 = prev_a - cur_a
    if d0 < 0:
        d0 += B
    if clean:
        prev_n = 0
    for lo_e, hi_e in ((cur_n, B), (B + cur_n, 2 * B)):
        j0 = lo_e - d0 if lo_e > d0 else 0
        j1 = hi_e - d0 if hi_e - d0 < prev_n else prev_n
        k = prev_a + j0
        if k >= B:
            k -= B
        for j in range(j0, j1):
            _block_end(run, prev_full, k)
            k = k + 1 if k + 1 < B else 0
    k = cur_a
    if whole >= 0:
        if lazy_n > 0:  # held: blocks 0 .. keep - 1 (from cur_a) stay off, keep .. n_full - 1 join them
            g1 = lazy_g + dt_h
            keep = lazy_n if lazy_n < n_full else n_full
            if lazy_m >= keep:  # the block with the longest run has left: the longest of those kept
                lazy_m = _longest_run_at(run, cur_a, keep, B)
            if keep > 0:
                km = cur_a + lazy_m
                rk = run[km - B if km >= B else km] + g1
                if rk > longest:
                    longest = rk
            k = cur_a + keep
            if k >= B:
                k -= B
            km = cur_a + lazy_m
            base_m = run[km - B if km >= B else km] if keep > 0 else -math.inf
            for j in range(keep, n_full):
                rk = run[k] + dt_h if prev_full[k] > 0.0 else dt_h
                if rk > longest:
                    longest = rk
                run[k] = rk - g1
                prev_full[k] = 1.0
                if run[k] > base_m:
                    base_m = run[k]
                    lazy_m = j
                k = k + 1 if k + 1 < B else 0
            if n_full > 0:
                _add_turns(rot_b[RB_WHOLE_H, r], cur_a, n_full, B, dt_h)
            lazy_g = g1
        else:
            for j in range(n_full):
                longest = _block_on(run, prev_full, hours, k, dt_h, dt_h, longest)
                k = k + 1 if k + 1 < B else 0
            lazy_g = 0.0  # from the next period on, held lazily: the runs as written are the bases
            lazy_m = _longest_run_at(run, cur_a, n_full, B)
        lazy_n = n_full
        if n_full < cur_n:
            off[k] = part  # the block with the fraction (0: a block not taken, whose run ends)
    for j in range(n_full, 0 if fused else cur_n):  # the window through ``off`` (not fused)
        o = off[k]
        if o > 0.0:
            longest = _block_on(run, prev_full, hours, k, o, dt_h, longest)
        else:
            _block_end(run, prev_full, k)
        off[k] = 0.0
        k = k + 1 if k + 1 < B else 0
    rot_s[RS_LONGEST, r] = longest
    rot_s[RS_PREV_A, r] = cur_a
    rot_s[RS_PREV_N, r] = cur_n
    rot_s[RS_FULL, r] = 0.0 if clean_after else 1.0
    rot_s[RS_LAZY_N, r] = lazy_n
    rot_s[RS_LAZY_G, r] = lazy_g
    rot_s[RS_LAZY_M, r] = lazy_m


@njit(_nrt=False, cache=True, inline="always")
def _flush_event(i, gsample, dc_n, ev_buf_b, ev_n, b):
    """Write site ``i``'s open curtailment event to the block's buffer (counted even if full)."""
    n = ev_n[b]
    if n < ev_buf_b.shape[0]:
        ev_buf_b[n, EV_SAMPLE] = gsample
        ev_buf_b[n, EV_SITE] = i
        ev_buf_b[n, EV_START] = dc_n[DN_EV_START, i]
        ev_buf_b[n, EV_PERIODS] = dc_n[DN_EV_LAST, i] - dc_n[DN_EV_START, i] + 1.0
        ev_buf_b[n, EV_CUT_MWH] = dc_n[DN_EV_CUT, i]
        ev_buf_b[n, EV_LOAD_MWH] = dc_n[DN_EV_LOAD, i]
    ev_n[b] = n + 1
    dc_n[DN_EV_LAST, i] = -2.0
    dc_n[DN_EV_CUT, i] = 0.0
    dc_n[DN_EV_LOAD, i] = 0.0


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def augment_direct(cap, flow, R, src, snk):
    """:func:`gigawatt.methods._dispatch.max_flow` on a network in which no augmenting path can use an
    interface: the same flow, bit for bit, without the breadth-first searches.

    The condition (the caller's, :func:`relocate_shortfall`): every region whose source arc may
    exceed its sink arc has no interface arc out of it above ``EPS_MW``; flows are zero on every
    interface arc and equal on a region's source and sink arcs (as they stay here). Edmonds-Karp's
    search then reaches the sink first through the lowest-numbered region with a source and a sink
    residual above ``EPS_MW`` (a region with a source residual and none to the sink is a dead end:
    nothing leaves it but towards the source), so its augmenting paths are source -> region -> sink,
    taken in region order, each pushing the smaller residual, until no region has both. Returns the
    added amount.
    """
    total = 0.0
    while True:
        best = -1
        for r in range(R):
            if cap[src, r + 1] - flow[src, r + 1] > EPS_MW and cap[r + 1, snk] - flow[r + 1, snk] > EPS_MW:
                best = r
                break
        if best < 0:
            return total
        v = best + 1
        push = 1e308
        res = cap[v, snk] - flow[v, snk]
        if res < push:
            push = res
        res = cap[src, v] - flow[src, v]
        if res < push:
            push = res
        flow[v, snk] += push
        flow[snk, v] -= push
        flow[src, v] += push
        flow[v, src] -= push
        total += push


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _relief_bound_direct(t, em_order, unserved, cap, firm_load_mw, site_load_mw, site_region, site_par, site_state,
                         dr_region, dr_par, dr_state, region_par, gen_avail_mw, ub):
    """True when no region whose relief may exceed its shortfall has interface capacity out of it
    (:func:`_relief_ub`; ``cap`` the relocation's network: interface capacity left between regions ``1..R``)."""
    R = unserved.shape[0]
    _relief_ub(em_order, firm_load_mw, site_load_mw, site_region, site_par, site_state, dr_region, dr_par, dr_state,
               region_par, gen_avail_mw, ub)
    for r in range(R):
        if not ub[r] * (1.0 + 1e-9) <= unserved[r]:  # may give more than its shortfall (also NaN)
            for x in range(R):
                if x != r and cap[r + 1, x + 1] > EPS_MW:
                    return False
    return True


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _relief_ub(em_order, firm_load_mw, site_load_mw, site_region, site_par, site_state, dr_region, dr_par, dr_state,
               region_par, gen_avail_mw, ub):
    """A bound of each region's relief, into ``ub`` (R,).

    A region's relief is bounded by the sum, over the steps of ``em_order``, of the most each step could
    give there, none below zero (batteries their power when they hold usable energy, curtailment its depth
    of the site load, demand response its available megawatts, on-site generation what is in service,
    imports and voltage reduction their limits; no yearly or event limit counted), times 1 + 1e-9 for
    rounding (the relief sums its columns in another order).
    """
    R = ub.shape[0]
    for r in range(R):
        ub[r] = 0.0
    for k in range(em_order.shape[0]):
        step = em_order[k]
        if step == E.STEP_BATTERY:
            for i in range(site_par.shape[0]):
                p = site_par[i, E.SP_BAT_P]
                if p > 0.0:
                    u = (site_state[i, E.SS_SOC] - site_par[i, E.SP_BAT_RESERVE]) * site_par[i, E.SP_BAT_ETA]
                    if u > 0.0:  # (usable energy) / dt_h is at most p when u / dt_h >= p: p bounds it either way
                        ub[site_region[i]] += p
        elif step == E.STEP_CURTAIL_MANAGED or step == E.STEP_CURTAIL_VOLUNTARY:
            tier = 1 if step == E.STEP_CURTAIL_MANAGED else 2
            for i in range(site_par.shape[0]):
                if int(site_par[i, E.SP_TIER]) == tier:
                    ub[site_region[i]] += max(site_par[i, E.SP_DEPTH] * site_load_mw[i], 0.0)
        elif step == E.STEP_DR:
            for p in range(dr_par.shape[0]):
                ub[dr_region[p]] += max(dr_par[p, E.DP_MW] * (1.0 - dr_state[p, E.DS_UNAVAIL]), 0.0)
        elif step == E.STEP_BACKUP_GEN:
            for i in range(site_par.shape[0]):
                if site_par[i, E.SP_GEN_DIRECTED] != 0.0 and gen_avail_mw[i] > 0.0:
                    ub[site_region[i]] += gen_avail_mw[i]
        elif step == E.STEP_IMPORTS:
            for r in range(R):
                ub[r] += max(region_par[r, E.RP_IMPORT_MW], 0.0)
        elif step == E.STEP_VOLTAGE:
            for r in range(R):
                ub[r] += max(region_par[r, E.RP_VR_FRAC] * firm_load_mw[r], 0.0)


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _relocate_two(t, dt_h, unserved, if_from, if_flow, c01, c10, site_load, firm_load, em_order, site_region,
                  site_par, site_state, dr_region, dr_par, dr_state, region_par, gen_avail, wi_so, wi_ro, em_vec):
    """:func:`relocate_shortfall` of two regions, on scalars: the network's capacities (``c01``, ``c10`` the
    interfaces' capacity left each way) and flows held as :func:`gigawatt.methods._dispatch._max_flow2` holds
    them, each step's augmentation by it (the same flows, bit for bit, as the search, and as
    :func:`augment_direct` where no path can use an interface), without the network's matrices."""
    K = em_order.shape[0]
    E.relief_by_step(t, dt_h, em_order, firm_load[t], site_load[t], gen_avail, site_region, site_par, site_state,
                     dr_region, dr_par, dr_state, region_par, wi_so, wi_ro, em_vec[1:K + 1])
    c_at = unserved[0]
    c_bt = unserved[1]
    total_short = 0.0
    total_short += c_at
    total_short += c_bt
    c_sa = 0.0
    c_sb = 0.0
    f_sa = 0.0
    f_sb = 0.0
    f_ab = 0.0
    f_at = 0.0
    f_bt = 0.0
    served = 0.0
    for k in range(K):
        grew = False
        relief = em_vec[1 + k, 0]
        if relief > c_sa:
            c_sa = relief
            grew = True
        relief = em_vec[1 + k, 1]
        if relief > c_sb:
            c_sb = relief
            grew = True
        if grew:
            f_sa, f_sb, f_ab, f_at, f_bt, add = _max_flow2(c_sa, c_sb, c01, c10, c_at, c_bt, f_sa, f_sb, f_ab, f_at,
                                                           f_bt)
            served += add
        if served >= total_short - 1e-9:
            break
    if if_from.shape[0] > 0:  # parallel interfaces: the relief flow is booked on the first
        if_flow[0] += f_ab if if_from[0] == 0 else 0.0 - f_ab
    if f_sa != f_at:  # else nothing shipped in or out: the shortfall as it was, exactly
        left = unserved[0] - f_at
        unserved[0] = (f_sa if f_sa > 0.0 else 0.0) + (left if left > 0.0 else 0.0)
    if f_sb != f_bt:
        left = unserved[1] - f_bt
        unserved[1] = (f_sb if f_sb > 0.0 else 0.0) + (left if left > 0.0 else 0.0)


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def relocate_shortfall(t, dt_h, unserved, if_from, if_to, lim_f, lim_b, if_flow, cap, flow, parent, queue,
                       site_load, firm_load, em_order, site_region, site_par, site_state, dr_region, dr_par,
                       dr_state, region_par, gen_avail, wi_so, wi_ro, em_vec):
    """Move shortfalls over the network to where emergency relief is, step by step of the order.

    After the dispatch, region ``r`` is short by ``unserved[r]``. For each prefix of the order
    (battery; battery and managed curtailment; ...) the relief each region could give when short by more
    than any relief is read from the state (:func:`gigawatt.datacenter.emergency.relief_by_step`, what a
    what-if of the order on a copy of the state notes after each step; ``em_vec`` (1 + K, R): rows 1.. the
    relief by step, row 0 unused); a max-flow from those reliefs to the
    shortfalls over the interfaces' capacity left by the dispatch is then augmented (without
    searches where no path can use an interface: :func:`augment_direct`), so earlier steps are used before later
    ones anywhere in the network. On return ``unserved[r]`` is the shortfall the regional
    order must meet in ``r`` (relief drawn in ``r`` plus what stays short there) and
    ``if_flow`` includes the relief shipped between regions; the total is unchanged except
    that relief now reaches every shortfall it can.
    """
    R = unserved.shape[0]
    NI = if_from.shape[0]
    nv = R + 2
    src = 0
    snk = R + 1
    K = em_order.shape[0]
    if R == 2:  # the shortcut below, tested before the network is built: the capacity left each way, in scalars
        c01 = 0.0
        c10 = 0.0
        for k in range(NI):  # summed in interface order, as the network below sums it
            fw = lim_f[k] - if_flow[k]
            bw = lim_b[k] + if_flow[k]
            fw = fw if fw > 0.0 else 0.0
            bw = bw if bw > 0.0 else 0.0
            if if_from[k] == 0:
                c01 += fw
                c10 += bw
            else:
                c10 += fw
                c01 += bw
        ub = wi_ro[:, 0]
        _relief_ub(em_order, firm_load[t], site_load[t], site_region, site_par, site_state, dr_region, dr_par,
                   dr_state, region_par, gen_avail, ub)
        if ((ub[0] * (1.0 + 1e-9) <= unserved[0] or not c01 > EPS_MW)
                and (ub[1] * (1.0 + 1e-9) <= unserved[1] or not c10 > EPS_MW)):
            return
        _relocate_two(t, dt_h, unserved, if_from, if_flow, c01, c10, site_load, firm_load, em_order,
                      site_region, site_par, site_state, dr_region, dr_par, dr_state, region_par, gen_avail, wi_so,
                      wi_ro, em_vec)
        return
    for i in range(nv):
        for j in range(nv):
            cap[i, j] = 0.0
            flow[i, j] = 0.0
    total_short = 0.0
    for r in range(R):
        cap[r + 1, snk] = unserved[r]
        total_short += unserved[r]
    for k in range(NI):
        a = if_from[k] + 1
        b = if_to[k] + 1
        fw = lim_f[k] - if_flow[k]
        bw = lim_b[k] + if_flow[k]
        cap[a, b] += fw if fw > 0.0 else 0.0
        cap[b, a] += bw if bw > 0.0 else 0.0
    # no region that might give more than its own shortfall (by a bound of its relief) has interface
    # capacity out of it: every augmenting path below would be source -> region -> sink, each region keeps
    # its own relief, and the shortfalls stay as they are; the relief by step is not needed (two regions:
    # tested above, before the network)
    if R != 2 and _relief_bound_direct(t, em_order, unserved, cap, firm_load[t], site_load[t], site_region,
                                       site_par, site_state, dr_region, dr_par, dr_state, region_par, gen_avail,
                                       wi_ro[:, 0]):
        return
    # the relief of every prefix of the order (em_vec[1 + k]: relief after step k, as a what-if of
    # em_order[:k + 1] alone would give), read from the state without a copy of it
    E.relief_by_step(t, dt_h, em_order, firm_load[t], site_load[t], gen_avail, site_region, site_par, site_state,
                     dr_region, dr_par, dr_state, region_par, wi_so, wi_ro, em_vec[1:K + 1])
    # no region that could give more than its own shortfall can send it anywhere (a deeply short
    # system: the short regions' relief stays home and the interfaces out of the others are full):
    # every augmenting path is source -> region -> sink (augment_direct), no search needed
    direct = True
    for r in range(R):
        donor = False
        for k in range(K):
            if not em_vec[1 + k, r] <= unserved[r]:
                donor = True
        if donor:
            for x in range(R):
                if x != r and cap[r + 1, x + 1] > EPS_MW:
                    direct = False
    served = 0.0
    for k in range(K):
        grew = False
        for r in range(R):
            relief = em_vec[1 + k, r]
            if relief > cap[src, r + 1]:
                cap[src, r + 1] = relief
                grew = True
        if grew:
            if direct:
                served += augment_direct(cap, flow, R, src, snk)
            elif R == 2:
                served += max_flow_two_regions(cap, flow)
            else:
                served += max_flow(cap, flow, nv, src, snk, parent, queue)
        if served >= total_short - 1e-9:
            break
    for k in range(NI):
        a = if_from[k]
        b = if_to[k]
        first = True
        for k2 in range(k):  # parallel interfaces: the pair's relief flow is booked on the first
            if (if_from[k2] == a and if_to[k2] == b) or (if_from[k2] == b and if_to[k2] == a):
                first = False
        if first:
            if_flow[k] += flow[a + 1, b + 1]
    for r in range(R):
        drawn = flow[src, r + 1]
        if drawn == flow[r + 1, snk]:  # nothing shipped in or out: the shortfall as it was, exactly
            continue
        left = unserved[r] - flow[r + 1, snk]
        unserved[r] = (drawn if drawn > 0.0 else 0.0) + (left if left > 0.0 else 0.0)


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def dc_period(t, dt_h, b, gsample, unserved, surplus, short_tol, dc_sys, dc_st, net):
    """Emergency order (shortfall) or battery recharge (no shortfall) in dispatched period ``t``.

    ``unserved`` (R,) is replaced by the firm load shed [MW]; ``surplus`` (R,) is reduced
    by battery charging [MW]. With several regions the shortfall is first moved to where
    relief is (:func:`relocate_shortfall`; ``if_flow`` then includes the relief shipped).
    ``dr_avail`` (P, T) is each demand-response program's availability per period (P, 0: always).
    Returns True if the emergency order ran.

    The arrays come in three groups (unpacked below under the names the body uses): ``dc_sys`` the
    system's data-center parameters, ``dc_st`` the block's data-center state, outputs and what-if copies,
    ``net`` the network's interfaces, limits, flows and max-flow scratch. Grouped, the call stays under
    CPython's 30 positional arguments, so numba inlines it into the sequential kernel (at IR level): as a
    call, its ~45 array arguments were passed by value in every dispatched period.
    """
    (site_load, firm_load, em_order, site_region, site_par, dr_region, dr_par, dr_avail, region_par,
     site_unit_mw, site_gen_cap, rot_par) = dc_sys
    (site_state, dr_state, site_out, dr_out, region_out, dc_n, rot_s, rot_b, s_res_row, ev_buf_b, ev_n,
     wi_so, wi_ro, em_vec) = dc_st
    (if_from, if_to, lim_f, lim_b, if_flow, capm, flowm, parent, queue) = net
    R = unserved.shape[0]
    N = site_par.shape[0]
    if dr_avail.shape[1] > 0:
        for p in range(dr_avail.shape[0]):
            dr_state[p, E.DS_UNAVAIL] = 1.0 - dr_avail[p, t]
    short = False
    for r in range(R):
        if unserved[r] > short_tol:
            short = True
    for i in range(N):
        site_out[i, E.SO_BAT] = 0.0
        site_out[i, E.SO_CURT] = 0.0
        site_out[i, E.SO_GEN] = 0.0
        site_out[i, E.SO_CHARGE] = 0.0
    if not short:
        E.recharge_batteries(dt_h, surplus, site_region, site_par, site_state, site_out)
        for i in range(N):
            dc_n[DN_CHARGE, i] += site_out[i, E.SO_CHARGE] * dt_h
        return False
    for r in range(R):
        if unserved[r] > short_tol:
            s_res_row[r, RR_RAW_H] += dt_h
            s_res_row[r, RR_RAW_MWH] += unserved[r] * dt_h
    for i in range(N):
        dc_n[DN_GEN_AVAIL, i] = site_gen_cap[i] - dc_n[DN_UNITS_OUT, i] * site_unit_mw[i]
    if R > 1:
        relocate_shortfall(t, dt_h, unserved, if_from, if_to, lim_f, lim_b, if_flow, capm, flowm, parent, queue,
                           site_load, firm_load, em_order, site_region, site_par, site_state, dr_region, dr_par,
                           dr_state, region_par, dc_n[DN_GEN_AVAIL], wi_so, wi_ro, em_vec)
    E.apply_emergency_order(t, dt_h, em_order, unserved, firm_load[t], site_load[t], dc_n[DN_GEN_AVAIL],
                            site_region, site_par, site_state, dr_region, dr_par, dr_state, region_par,
                            site_out, dr_out, region_out)
    for r in range(R):
        relief = 0.0
        for c in range(E.NRO - 1):
            relief += region_out[r, c]
        s_res_row[r, RR_RELIEF_MWH] += relief * dt_h
        shed = region_out[r, E.RO_SHED]
        unserved[r] = shed
        if shed > 1e-9:
            _rotate(t, dt_h, r, shed, firm_load[t, r], rot_par, rot_s, rot_b, s_res_row[r],
                    E.limit_year_near(t, region_par[r, E.RP_YEAR_PERIODS], rot_s[RS_YEAR, r]))
    for i in range(N):
        cut = site_out[i, E.SO_CURT]
        if cut > 0.0:
            ld = site_load[t, i]
            if ld > 0.0 and cut / ld > dc_n[DN_MAX_DEPTH, i]:
                dc_n[DN_MAX_DEPTH, i] = cut / ld
            if dc_n[DN_EV_LAST, i] >= 0.0 and dc_n[DN_EV_LAST, i] != t - 1:
                _flush_event(i, gsample, dc_n, ev_buf_b, ev_n, b)
            if dc_n[DN_EV_LAST, i] < 0.0:
                dc_n[DN_EV_START, i] = t
            dc_n[DN_EV_LAST, i] = t
            dc_n[DN_EV_CUT, i] += cut * dt_h
            dc_n[DN_EV_LOAD, i] += ld * dt_h
    return True


@njit(_nrt=False, cache=True)
def dc_finish_sample(s, b, gsample, site_state, dr_state, dc_n, rot_s, rot_b, rot_par, s_site, s_res, s_dr,
                     ev_buf_b, ev_n):
    """Close open events and write the sample's per-site, per-region and per-program results."""
    N = site_state.shape[0]
    for i in range(N):
        if dc_n[DN_EV_LAST, i] >= 0.0:
            _flush_event(i, gsample, dc_n, ev_buf_b, ev_n, b)
        s_site[s, i, SR_EVENTS] = site_state[i, E.SS_EVENTS]
        s_site[s, i, SR_CURT_H] = site_state[i, E.SS_CURT_H]
        s_site[s, i, SR_CURT_MWH] = site_state[i, E.SS_CURT_MWH]
        s_site[s, i, SR_MAX_DEPTH] = dc_n[DN_MAX_DEPTH, i]
        s_site[s, i, SR_BAT_MWH] = site_state[i, E.SS_BAT_MWH]
        s_site[s, i, SR_GEN_H] = site_state[i, E.SS_GEN_H]
        s_site[s, i, SR_GEN_MWH] = site_state[i, E.SS_GEN_MWH]
        s_site[s, i, SR_CHARGE_MWH] = dc_n[DN_CHARGE, i]
    for p in range(dr_state.shape[0]):
        s_dr[s, p, DRR_H] = dr_state[p, E.DS_H]
        s_dr[s, p, DRR_EVENTS] = dr_state[p, E.DS_EVENTS]
    for r in range(rot_s.shape[1]):
        _close_year(r, rot_b, rot_par, s_res[s, r])
        s_res[s, r, RR_LONGEST_H] = rot_s[RS_LONGEST, r]
        s_res[s, r, RR_COLLAPSED_H] = rot_s[RS_COLLAPSED, r]
