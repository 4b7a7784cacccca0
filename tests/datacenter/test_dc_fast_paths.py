"""The data-center step's shortcuts against the general computation they replace, bit for bit.

* :func:`gigawatt.datacenter.emergency.apply_order_by_step`: the relief after each step of one
  what-if equals a what-if of each prefix of the order on its own (what relocating a shortfall
  used to run, one per step);
* :func:`gigawatt.methods._dc_kernel.augment_direct`: the max-flow of a network in which no path
  can use an interface, without searches, equals Edmonds-Karp's (:func:`~gigawatt.methods._dispatch.max_flow`);
* :func:`gigawatt.methods._dc_kernel.relocate_shortfall` equals the per-prefix what-ifs followed by
  Edmonds-Karp (written out below as it was), on random periods with and without the shortcut;
* :func:`gigawatt.methods._dispatch.max_flow` on four vertices (two regions: the vertex count a constant,
  its loops unrolled) equals the search with the vertex count a variable, on random networks;
* :func:`gigawatt.methods._dc_kernel._rotate` with its collapsed-rotation path, its rotation that updates
  each block as its turn is taken and its end of the previous period's runs by stretches equals the
  rotation through the ``off`` row with an integer modulo and a test per block (written out below as it
  was), over long random runs and from random mid-rotation states (windows that wrap round the ring).
"""

import math

import numpy as np
import pytest

from gigawatt.datacenter import emergency as E
from gigawatt.methods import _dc_kernel as DC
from gigawatt.methods._dispatch import EPS_MW, _max_flow_n, max_flow


def _bits(a):
    return np.asarray(a, dtype=np.float64).tobytes()


def _random_case(rng, R, N, P):
    """Random sites (every tier, batteries, directed generation), programs and regions, mid-sample state."""
    sp = np.zeros((N, E.NSP))
    sp[:, E.SP_TIER] = rng.integers(0, 3, N)
    sp[:, E.SP_DEPTH] = rng.uniform(0.0, 1.0, N)
    sp[:, E.SP_MAX_H] = rng.choice([5.0, 50.0, 1e300], N)
    sp[:, E.SP_MAX_EVENT_H] = rng.choice([2.0, 4.0, 1e300], N)
    sp[:, E.SP_MAX_MWH] = rng.choice([300.0, 1e300], N)
    sp[:, E.SP_BAT_P] = rng.choice([0.0, 40.0, 150.0], N)
    sp[:, E.SP_BAT_E] = sp[:, E.SP_BAT_P] * 4.0
    sp[:, E.SP_BAT_ETA] = rng.uniform(0.85, 1.0, N)
    sp[:, E.SP_BAT_RESERVE] = sp[:, E.SP_BAT_E] * 0.1
    sp[:, E.SP_BAT_SOC0] = sp[:, E.SP_BAT_E] * rng.uniform(0.0, 1.0, N)
    sp[:, E.SP_GEN_START_H] = rng.choice([0.0, 0.25], N)
    sp[:, E.SP_GEN_MAX_H] = rng.choice([10.0, 1e300], N)
    sp[:, E.SP_GEN_MAX_MWH] = 1e300
    sp[:, E.SP_GEN_DIRECTED] = rng.integers(0, 2, N)
    sp[:, E.SP_YEAR_PERIODS] = 8760.0
    site_region = rng.integers(0, R, N).astype(np.int64)
    dp = np.zeros((P, E.NDP))
    dp[:, E.DP_MW] = rng.uniform(0.0, 300.0, P)
    dp[:, E.DP_MAX_H] = rng.choice([20.0, 1e300], P)
    dp[:, E.DP_MAX_EVENT_H] = rng.choice([3.0, 10.0], P)
    dp[:, E.DP_YEAR_PERIODS] = 8760.0
    dr_region = rng.integers(0, R, P).astype(np.int64)
    rp = np.zeros((R, E.NRP))
    rp[:, E.RP_IMPORT_MW] = rng.choice([0.0, 100.0], R)
    rp[:, E.RP_VR_FRAC] = rng.choice([0.0, 0.02], R)
    rp[:, E.RP_YEAR_PERIODS] = 8760.0
    ss = np.zeros((N, E.NSS))
    ds = np.zeros((P, E.NDS))
    E.reset_sample(sp, ss, ds)
    t = int(rng.integers(1, 50))
    ss[:, E.SS_LAST_CURT_T] = np.where(rng.random(N) < 0.5, t - 1, -2.0)  # some events running
    ss[:, E.SS_EVENT_H] = rng.choice([1.0, 3.0], N)
    ss[:, E.SS_LAST_GEN_T] = np.where(rng.random(N) < 0.5, t - 1, -2.0)
    ds[:, E.DS_LAST_T] = np.where(rng.random(P) < 0.5, t - 1, -2.0)
    ds[:, E.DS_EVENT_H] = rng.choice([1.0, 3.0, 9.0], P)
    site_load = rng.uniform(50.0, 600.0, (t + 1, N))
    firm_load = rng.uniform(500.0, 5000.0, (t + 1, R))
    gen_avail = np.where(rng.random(N) < 0.7, rng.uniform(0.0, 200.0, N), 0.0)
    order = rng.permutation(7)[: int(rng.integers(1, 8))].astype(np.int64)
    return t, order, site_load, firm_load, gen_avail, site_region, sp, ss, dr_region, dp, ds, rp


def _seeded_case(seed, r_min):
    rng = np.random.default_rng(seed)
    R = int(rng.integers(r_min, 4))
    return rng, R, _random_case(rng, R, int(rng.integers(1, 6)), int(rng.integers(0, 4)))


def _what_if(t, order, short, firm_load, site_load, gen_avail, site_region, sp, ss, dr_region, dp, ds, rp, rec=None):
    R, N, P = firm_load.shape[1], sp.shape[0], dp.shape[0]
    so, do, ro = np.zeros((N, E.NSO)), np.zeros(P), np.zeros((R, E.NRO))
    args = (t, 1.0, order, short, firm_load[t], site_load[t], gen_avail, site_region, sp, ss.copy(), dr_region, dp,
            ds.copy(), rp, so, do, ro)
    if rec is None:
        E.apply_emergency_order(*args)
    else:
        E.apply_order_by_step(*args, rec)
    return ro


@pytest.mark.parametrize("seed", range(40))
def test_relief_by_step_equals_a_what_if_per_prefix(seed):
    rng, R, (t, order, sl, fl, ga, sr, sp, ss, dr, dp, ds, rp) = _seeded_case(seed, 1)
    K = order.shape[0]
    short = np.full(R, 1e9) if seed % 2 else rng.uniform(0.0, 800.0, R)
    rec = np.full((K, R), np.nan)
    ro_all = _what_if(t, order, short, fl, sl, ga, sr, sp, ss, dr, dp, ds, rp, rec)
    ro_alone = _what_if(t, order, short, fl, sl, ga, sr, sp, ss, dr, dp, ds, rp)
    assert _bits(ro_all) == _bits(ro_alone)  # recording changes nothing else
    for k in range(K):
        ro = _what_if(t, order[: k + 1], short, fl, sl, ga, sr, sp, ss, dr, dp, ds, rp)
        relief = np.zeros(R)
        for r in range(R):
            x = 0.0
            for c in range(E.NRO - 1):
                x += ro[r, c]
            relief[r] = x
        assert _bits(rec[k]) == _bits(relief), (k, rec[k], relief)


@pytest.mark.parametrize("seed", range(60))
def test_relief_by_step_read_from_the_state_equals_the_what_if_on_a_copy(seed):
    """:func:`gigawatt.datacenter.emergency.relief_by_step` (what relocating a shortfall reads, without copying the
    state) against :func:`~gigawatt.datacenter.emergency.apply_order_by_step` on a copy with a shortfall of 1e9
    MW, bit for bit, with yearly counters part used and, in every third case, a limit year that starts at ``t``
    (its counters read as zero); the state is left as it was."""
    rng, R, (t, order, sl, fl, ga, sr, sp, ss, dr, dp, ds, rp) = _seeded_case(seed, 1)
    N, P, K = sp.shape[0], dp.shape[0], order.shape[0]
    ss[:, E.SS_SOC] = sp[:, E.SP_BAT_E] * rng.uniform(0.0, 1.0, N)
    ss[:, E.SS_YEAR_CURT_H] = rng.choice([0.0, 4.0, 49.0], N)
    ss[:, E.SS_YEAR_CURT_MWH] = rng.choice([0.0, 250.0], N)
    ss[:, E.SS_YEAR_GEN_H] = rng.choice([0.0, 9.5], N)
    ds[:, E.DS_YEAR_H] = rng.choice([0.0, 19.0], P)
    ds[:, E.DS_YEAR_EVENTS] = rng.choice([0.0, 2.0], P)
    dp[:, E.DP_MAX_EVENTS] = rng.choice([1.0, 3.0, 1e300], P)
    ds[:, E.DS_UNAVAIL] = rng.choice([0.0, 0.5], P)
    if seed % 3 == 0:
        sp[:, E.SP_YEAR_PERIODS] = float(t)
        dp[:, E.DP_YEAR_PERIODS] = float(t)
    ref = np.full((K, R), np.nan)
    _what_if(t, order, np.full(R, 1e9), fl, sl, ga, sr, sp, ss, dr, dp, ds, rp, ref)
    got = np.full((K, R), np.nan)
    ss0, ds0 = ss.copy(), ds.copy()
    E.relief_by_step(t, 1.0, order, fl[t], sl[t], ga, sr, sp, ss, dr, dp, ds, rp, np.zeros((N, E.NSO)),
                     np.zeros((R, E.NRO)), got)
    assert _bits(got) == _bits(ref), (got, ref)
    assert _bits(ss) == _bits(ss0) and _bits(ds) == _bits(ds0)


def test_relief_by_step_hand_worked():
    """DR 30 MW then voltage reduction 2 % of 1,000 MW, in one region short by more than both: 30, then 50."""
    sp, ss = np.zeros((0, E.NSP)), np.zeros((0, E.NSS))
    dp = np.array([[30.0, 1e300, 10.0, 0.0, 1e300]])  # no yearly or event-count limit
    ds = np.zeros((1, E.NDS))
    E.reset_sample(sp, ss, ds)
    rp = np.array([[0.0, 0.02, 0.0]])
    rec = np.zeros((2, 1))
    E.apply_order_by_step(0, 1.0, np.array([E.STEP_DR, E.STEP_VOLTAGE]), np.array([1e9]), np.array([1000.0]),
                          np.zeros(0), np.zeros(0), np.zeros(0, np.int64), sp, ss, np.zeros(1, np.int64), dp, ds, rp,
                          np.zeros((0, E.NSO)), np.zeros(1), np.zeros((1, E.NRO)), rec)
    np.testing.assert_array_equal(rec[:, 0], [30.0, 50.0])


def _network(rng, R, direct):
    """A relocation network after the dispatch: shortfalls, interface residuals, relief by step."""
    nv = R + 2
    cap = np.zeros((nv, nv))
    u = np.where(rng.random(R) < 0.7, rng.uniform(0.0, 1000.0, R), 0.0)
    cap[1:R + 1, nv - 1] = u
    K = int(rng.integers(1, 5))
    steps = np.sort(rng.uniform(0.0, 1.0, (K, R)), axis=0)
    donor = rng.random(R) < 0.5
    relief = np.where(donor, steps * (u + 500.0), steps * u)
    for a in range(R):
        for b in range(R):
            if a != b and rng.random() < 0.7:
                cap[a + 1, b + 1] = rng.choice([0.0, 5e-10, rng.uniform(0.0, 400.0)])
                if direct and donor[a]:
                    cap[a + 1, b + 1] = rng.choice([0.0, 5e-10])  # full interfaces out of a donor
    return cap, u, relief


def _by_steps(cap, relief, fast):
    R = relief.shape[1]
    nv = R + 2
    cap, flow = cap.copy(), np.zeros_like(cap)
    parent, queue = np.zeros(nv, np.int64), np.zeros(nv, np.int64)
    total = []
    for k in range(relief.shape[0]):
        cap[0, 1:R + 1] = np.maximum(cap[0, 1:R + 1], relief[k])
        total.append(DC.augment_direct(cap, flow, R, 0, nv - 1) if fast else max_flow(cap, flow, nv, 0, nv - 1,
                                                                                       parent, queue))
    return flow, total


@pytest.mark.parametrize("seed", range(60))
def test_augment_direct_equals_edmonds_karp(seed):
    rng = np.random.default_rng(seed)
    R = int(rng.integers(1, 5))
    cap, u, relief = _network(rng, R, direct=True)
    f_ek, tot_ek = _by_steps(cap, relief, fast=False)
    f_d, tot_d = _by_steps(cap, relief, fast=True)
    assert _bits(tot_ek) == _bits(tot_d)
    for r in range(R):  # the source and sink arcs (all the caller reads besides the interfaces, zero in both)
        assert _bits([f_ek[0, r + 1], f_ek[r + 1, R + 1]]) == _bits([f_d[0, r + 1], f_d[r + 1, R + 1]])
    assert not f_ek[1:R + 1, 1:R + 1].any()


def test_augment_direct_hand_worked():
    """DOM short 100 MW with 30 MW of relief; REST not short with 50 MW of relief and its interface to DOM
    full: DOM draws its own 30 MW and nothing else moves."""
    cap = np.zeros((4, 4))
    cap[1, 3] = 100.0  # DOM -> sink: shortfall
    cap[0, 1], cap[0, 2] = 30.0, 50.0  # relief
    cap[1, 2] = 900.0  # DOM -> REST has room; REST -> DOM is full (0)
    flow = np.zeros((4, 4))
    assert DC.augment_direct(cap, flow, 2, 0, 3) == 30.0
    assert flow[0, 1] == flow[1, 3] == 30.0 and flow[0, 2] == 0.0 and flow[1, 2] == 0.0


def _relocate_as_before(t, unserved, if_from, if_to, lim_f, lim_b, if_flow, site_load, firm_load, order, site_region,
                        sp, ss, dr_region, dp, ds, rp, gen_avail):
    """relocate_shortfall as it was: a what-if of each prefix of the order, then Edmonds-Karp (a region that
    ships nothing in or out keeps its shortfall exactly, not as the relief drawn plus what is left)."""
    R = unserved.shape[0]
    nv = R + 2
    src, snk = 0, R + 1
    cap, flow = np.zeros((nv, nv)), np.zeros((nv, nv))
    parent, queue = np.zeros(nv, np.int64), np.zeros(nv, np.int64)
    total_short = 0.0
    for r in range(R):
        cap[r + 1, snk] = unserved[r]
        total_short += unserved[r]
    for k in range(if_from.shape[0]):
        a, b = if_from[k] + 1, if_to[k] + 1
        fw, bw = lim_f[k] - if_flow[k], lim_b[k] + if_flow[k]
        cap[a, b] += fw if fw > 0.0 else 0.0
        cap[b, a] += bw if bw > 0.0 else 0.0
    served = 0.0
    for k in range(order.shape[0]):
        ro = _what_if(t, order[: k + 1], np.full(R, 1e9), firm_load, site_load, gen_avail, site_region, sp, ss,
                      dr_region, dp, ds, rp)
        grew = False
        for r in range(R):
            relief = 0.0
            for c in range(E.NRO - 1):
                relief += ro[r, c]
            if relief > cap[src, r + 1]:
                cap[src, r + 1] = relief
                grew = True
        if grew:
            served += max_flow(cap, flow, nv, src, snk, parent, queue)
        if served >= total_short - 1e-9:
            break
    for k in range(if_from.shape[0]):
        a, b = if_from[k], if_to[k]
        if not any({if_from[k2], if_to[k2]} == {a, b} for k2 in range(k)):
            if_flow[k] += flow[a + 1, b + 1]
    for r in range(R):
        if flow[src, r + 1] == flow[r + 1, snk]:  # nothing shipped in or out: the shortfall kept as it was
            continue
        drawn, left = flow[src, r + 1], unserved[r] - flow[r + 1, snk]
        unserved[r] = (drawn if drawn > 0.0 else 0.0) + (left if left > 0.0 else 0.0)


@pytest.mark.parametrize("seed", range(80))
def test_relocate_shortfall_equals_prefix_what_ifs_and_edmonds_karp(seed):
    rng, R, (t, order, sl, fl, ga, sr, sp, ss, dr, dp, ds, rp) = _seeded_case(seed, 2)
    N, P = sp.shape[0], dp.shape[0]
    pairs = [(a, b) for a in range(R) for b in range(a + 1, R)]
    NI = len(pairs) + 1  # a parallel interface too
    pairs.append(pairs[0])
    if seed % 4 >= 2:  # interfaces the other way round (from the higher region to the lower)
        pairs = [(b, a) for a, b in pairs]
    if_from = np.array([p[0] for p in pairs], np.int64)
    if_to = np.array([p[1] for p in pairs], np.int64)
    lim_f = rng.uniform(0.0, 500.0, NI)
    lim_b = rng.uniform(0.0, 500.0, NI)
    # interfaces used by the dispatch: some full in one direction (the shortcut's case), some not
    if_flow = np.where(rng.random(NI) < 0.5, lim_f, np.where(rng.random(NI) < 0.5, -lim_b, rng.uniform(-1, 1, NI)
                                                              * np.minimum(lim_f, lim_b)))
    unserved = np.where(rng.random(R) < 0.8, rng.uniform(0.0, 3000.0, R), 0.0)
    ref_u, ref_f = unserved.copy(), if_flow.copy()
    _relocate_as_before(t, ref_u, if_from, if_to, lim_f, lim_b, ref_f, sl, fl, order, sr, sp, ss, dr, dp, ds, rp, ga)
    new_u, new_f = unserved.copy(), if_flow.copy()
    nv = R + 2
    ss0, ds0 = ss.copy(), ds.copy()
    DC.relocate_shortfall(t, 1.0, new_u, if_from, if_to, lim_f, lim_b, new_f, np.zeros((nv, nv)), np.zeros((nv, nv)),
                          np.zeros(nv, np.int64), np.zeros(nv, np.int64), sl, fl, order, sr, sp, ss, dr, dp, ds, rp, ga,
                          np.zeros((N, E.NSO)), np.zeros((R, E.NRO)), np.zeros((1 + len(E.STEP_NAMES), R)))
    assert _bits(new_u) == _bits(ref_u)
    assert _bits(new_f) == _bits(ref_f)
    assert _bits(ss) == _bits(ss0) and _bits(ds) == _bits(ds0)  # the what-if ran on copies
    _BOUND_TAKEN.append(DC._relief_bound_direct(t, order, unserved, _relocation_cap(R, if_from, if_to, lim_f, lim_b,
                                                                                   if_flow), fl[t], sl[t], sr, sp, ss,
                                                dr, dp, ds, rp, ga, np.zeros(R)))


_BOUND_TAKEN = []


def _relocation_cap(R, if_from, if_to, lim_f, lim_b, if_flow):
    cap = np.zeros((R + 2, R + 2))
    for k in range(if_from.shape[0]):
        a, b = if_from[k] + 1, if_to[k] + 1
        cap[a, b] += max(lim_f[k] - if_flow[k], 0.0)
        cap[b, a] += max(lim_b[k] + if_flow[k], 0.0)
    return cap


def test_relocate_shortcut_by_bound_taken_and_not():
    """The periods of the test above (run before this one) include some the shortcut by the relief bound takes
    and some it leaves to the what-if."""
    assert len(_BOUND_TAKEN) == 80 and any(_BOUND_TAKEN) and not all(_BOUND_TAKEN)


@pytest.mark.parametrize("seed", range(60))
def test_relief_bound_holds_the_what_ifs_relief(seed):
    """The bound of each region's relief (the relocation's shortcut without a what-if) is at least the relief
    the what-if of the whole order gives there, on random mid-sample states, for any order."""
    rng, R, (t, order, sl, fl, ga, sr, sp, ss, dr, dp, ds, rp) = _seeded_case(seed, 1)
    ro = _what_if(t, order, np.full(R, 1e9), fl, sl, ga, sr, sp, ss, dr, dp, ds, rp)
    relief = ro[:, : E.NRO - 1].sum(axis=1)
    ub = np.full(R, np.nan)
    nv = R + 2
    # unserved at the bound (just above it) with every interface full: the shortcut holds; a region short by
    # a little less than its relief with capacity out of it: it does not
    assert DC._relief_bound_direct(t, order, np.full(R, 1e9), np.zeros((nv, nv)), fl[t], sl[t], sr, sp, ss, dr, dp, ds,
                                   rp, ga, ub)
    assert (ub * (1.0 + 1e-9) >= relief).all(), (ub, relief)
    assert DC._relief_bound_direct(t, order, ub * (1.0 + 1e-9), np.ones((nv, nv)), fl[t], sl[t], sr, sp, ss,
                                   dr, dp, ds, rp, ga, ub)
    if R > 1 and relief.max() > 1e-3:
        short = np.maximum(relief - 1e-3, 0.0)
        assert not DC._relief_bound_direct(t, order, short, np.ones((nv, nv)), fl[t], sl[t], sr, sp, ss, dr, dp, ds,
                                           rp, ga, ub)


def test_relocate_takes_both_paths():
    """The random periods above include some the shortcut takes and some it leaves to Edmonds-Karp."""
    taken = []
    for seed in range(80):
        rng = np.random.default_rng(seed)
        R = int(rng.integers(2, 4))
        cap, u, relief = _network(rng, R, direct=bool(seed % 2))
        donor = (relief > u).any(axis=0)
        taken.append(not any(donor[a] and cap[a + 1, b + 1] > EPS_MW for a in range(R) for b in range(R) if a != b))
    assert any(taken) and not all(taken)


def _rotate_as_before(t, dt_h, r, shed, firm_load, rot_par, rot_s, rot_b, s_res_row, year):
    """_rotate as it was: every block of a collapsed rotation through ``off``, its index by ``% B``."""
    tol = 1e-12
    if year != rot_s[DC.RS_YEAR, r]:
        DC._close_year(r, rot_b, rot_par, s_res_row)
        rot_s[DC.RS_YEAR, r] = year
    B = rot_b.shape[2]
    hours, run, prev_full, off = rot_b[0, r], rot_b[1, r], rot_b[2, r], rot_b[3, r]
    prev_a, prev_n = int(rot_s[DC.RS_PREV_A, r]), int(rot_s[DC.RS_PREV_N, r])
    if rot_s[DC.RS_TURN_LEFT, r] < 0.0:
        rot_s[DC.RS_TURN_LEFT, r] = rot_par[r, DC.ROT_TURN_H]
    if rot_s[DC.RS_LAST_T, r] != t - 1:
        k = prev_a
        for _ in range(prev_n):
            run[k] = 0.0
            prev_full[k] = 0.0
            k = k + 1 if k + 1 < B else 0
        prev_n = 0
        rot_s[DC.RS_SUSTAINED, r] = -1.0
    rot_s[DC.RS_LAST_T, r] = t
    block_mw = rot_par[r, DC.ROT_BLOCK_FRAC] * firm_load
    k_off = shed / block_mw if block_mw > 0.0 else math.inf
    if not k_off <= B:
        s_res_row[DC.RR_UNALLOC_MWH] += (shed - B * block_mw) * dt_h
        k_off = float(B)
    ptr = int(rot_s[DC.RS_PTR, r])
    if k_off <= rot_par[r, DC.ROT_MAX_K]:
        rot_s[DC.RS_SUSTAINED, r] = -1.0
        need = k_off * dt_h
        turn_left = rot_s[DC.RS_TURN_LEFT, r]
        cur_a, cur_n = ptr, 1
        while need > tol:
            take = min(need, turn_left)
            off[ptr] += take
            need -= take
            turn_left -= take
            if turn_left <= tol:
                ptr = ptr + 1 if ptr + 1 < B else 0
                turn_left = rot_par[r, DC.ROT_TURN_H]
                cur_n += 1
        rot_s[DC.RS_TURN_LEFT, r] = turn_left
        rot_s[DC.RS_PTR, r] = ptr
    else:
        rot_s[DC.RS_COLLAPSED, r] += dt_h
        if rot_s[DC.RS_SUSTAINED, r] < 0.0:
            rot_s[DC.RS_SUSTAINED, r] = ptr
        s0 = int(rot_s[DC.RS_SUSTAINED, r])
        whole = int(math.floor(k_off + tol))
        for j in range(whole):
            off[(s0 + j) % B] = dt_h
        if k_off - whole > tol:
            off[(s0 + whole) % B] += (k_off - whole) * dt_h
        cur_a, cur_n = s0, whole + 1
    cur_n = min(cur_n, B)
    longest = rot_s[DC.RS_LONGEST, r]
    k = prev_a
    for _ in range(prev_n):
        d = k - cur_a
        if (d if d >= 0 else d + B) >= cur_n:
            run[k] = 0.0
            prev_full[k] = 0.0
        k = k + 1 if k + 1 < B else 0
    k = cur_a
    for _ in range(cur_n):
        o = off[k]
        run[k] = (run[k] + o if prev_full[k] > 0.0 else o) if o > 0.0 else 0.0
        longest = max(longest, run[k])
        prev_full[k] = 1.0 if o >= dt_h - 1e-9 else 0.0
        hours[k] += o
        off[k] = 0.0
        k = k + 1 if k + 1 < B else 0
    rot_s[DC.RS_LONGEST, r] = longest
    rot_s[DC.RS_PREV_A, r] = cur_a
    rot_s[DC.RS_PREV_N, r] = cur_n


def _rotation_state(rot_s, rot_b, s_res, rot_par):
    """What the rotation's state means, in the old layout: block hours with the whole turns counted in
    ``RB_TURNS`` (the running sum along the ring times the turn) and the periods off whole in ``RB_WHOLE_H``
    added in, the run of each block off the whole of the last period (a block of a collapsed rotation held
    lazily: ``RB_RUN`` plus ``RS_LAZY_G``; any other block's ``run`` is never read), the flags and the results."""
    rot_s, rot_b = rot_s.copy(), rot_b.copy()
    B = rot_b.shape[2]
    turns = np.cumsum(rot_b[DC.RB_TURNS], axis=1)
    rot_b[0] = np.where(turns != 0.0, rot_b[0] + turns * rot_par[:, DC.ROT_TURN_H][:, None], rot_b[0])
    whole_h = np.cumsum(rot_b[DC.RB_WHOLE_H], axis=1)
    rot_b[0] = np.where(whole_h != 0.0, rot_b[0] + whole_h, rot_b[0])
    for r in range(rot_s.shape[1]):
        for j in range(int(rot_s[DC.RS_LAZY_N, r])):
            rot_b[1, r, (int(rot_s[DC.RS_SUSTAINED, r]) + j) % B] += rot_s[DC.RS_LAZY_G, r]
    rot_s = rot_s[:DC.RS_FULL]  # the flag of full blocks: the kernel's own
    full = rot_b[2] > 0.0
    return rot_s, rot_b[0], np.where(full, rot_b[1], 0.0), rot_b[2], rot_b[3], s_res


def _same_rotation(a, b):
    """Every flag, pointer, longest run, full block and its run, count and histogram bit for bit; block hours
    and customer-hours, summed in another order when whole turns are counted at once, to the last bits."""
    (a_s, a_h, a_run, a_full, a_off, a_r), (b_s, b_h, b_run, b_full, b_off, b_r) = a, b
    exact_r = [c for c in range(DC.NRR) if c != DC.RR_CUST_H]
    return (_bits(a_s) == _bits(b_s) and _bits(a_run) == _bits(b_run) and _bits(a_full) == _bits(b_full)
            and _bits(a_off) == _bits(b_off) and _bits(a_r[..., exact_r]) == _bits(b_r[..., exact_r])
            and np.allclose(a_h, b_h, rtol=1e-13, atol=0.0)
            and np.allclose(a_r[..., DC.RR_CUST_H], b_r[..., DC.RR_CUST_H], rtol=1e-13, atol=0.0))


@pytest.mark.parametrize("seed", range(6))
def test_rotation_equals_rotation_through_off(seed):
    """Long collapsed stretches (whole blocks and a fraction, wrapping round the ring, every block, more
    than every block), partial turns and gaps, two regions, years closed: every state bit for bit."""
    rng = np.random.default_rng(seed)
    T, B, R = 3000, 17, 2
    dt_h = [1.0, 0.5, 0.25][seed % 3]
    rot_par = np.zeros((R, DC.NROT))
    rot_par[:, DC.ROT_BLOCK_FRAC] = 0.9 / B
    rot_par[:, DC.ROT_TURN_H] = [0.5, 0.3]
    rot_par[:, DC.ROT_MAX_K] = [0.5 * B, 0.3 * B]
    rot_par[:, DC.ROT_CUST_BLOCK] = 1000.0
    firm = rng.uniform(800.0, 1200.0, (T, R))
    level = np.repeat(rng.uniform(0.0, 1.2, (T // 50, R)), 50, axis=0)  # stretches of similar depth
    shed = np.where(rng.random((T, R)) < 0.9, level * firm * rng.uniform(0.9, 1.1, (T, R)), 0.0)
    shed[rng.random((T, R)) < 0.05] = 0.0
    states = []
    for fn in (DC._rotate, _rotate_as_before):  # (the old rotation never touches RB_TURNS)
        rot_s, rot_b = np.zeros((DC.NRS, R)), np.zeros((DC.NRB, R, B))
        DC.dc_reset(np.zeros((0, 1)), np.zeros((0, 1)), np.zeros((0, 1)), np.zeros((DC.NDN, 0)), rot_s, rot_b)
        s_res = np.zeros((R, DC.NRR))
        for t in range(T):
            for r in range(R):
                if shed[t, r] > 1e-9:
                    fn(t, dt_h, r, shed[t, r], firm[t, r], rot_par, rot_s, rot_b, s_res[r], float(t // 1000))
        states.append(_rotation_state(rot_s, rot_b, s_res, rot_par))
    assert states[0][0][DC.RS_COLLAPSED].min() > 0 and states[0][5][:, DC.RR_UNALLOC_MWH].min() > 0
    assert _same_rotation(*states)


@pytest.mark.parametrize("seed", range(4))
def test_rotation_from_random_states_equals_rotation_through_off(seed):
    """One period from random mid-rotation states: a previous window anywhere (wrapping round the ring, round
    the new window on both sides), runs anywhere and full blocks anywhere in that window, any pointer and turn
    left; both the rotation
    and the collapsed path, with and without the period before shed; and from states with no block off the
    whole last period (``RS_FULL`` 0, runs left as they were: never read), where whole turns are counted
    at once (every state as :func:`_same_rotation` compares it)."""
    rng = np.random.default_rng(100 + seed)
    B, dt_h = 23, [1.0, 0.5][seed % 2]
    rot_par = np.zeros((1, DC.NROT))
    rot_par[0, DC.ROT_BLOCK_FRAC] = 0.9 / B
    rot_par[0, DC.ROT_TURN_H] = [0.5, 0.3, 0.25, 0.2][seed]
    rot_par[0, DC.ROT_MAX_K] = 0.5 * B
    rot_par[0, DC.ROT_CUST_BLOCK] = 1000.0
    paths = set()
    for case in range(600):
        rot_s, rot_b = np.zeros((DC.NRS, 1)), np.zeros((DC.NRB, 1, B))
        rot_b[0, 0] = rng.uniform(0.0, 5.0, B)
        clean = case % 4 == 1
        full = (rng.random(B) < 0.5) & (not clean)
        rot_s[DC.RS_FULL, 0] = 0.0 if clean else 1.0
        rot_b[1, 0] = np.where(full | (rng.random(B) < 0.5), rng.uniform(0.0, 9.0, B), 0.0)
        rot_b[2, 0] = full.astype(float)
        rot_s[DC.RS_PTR, 0] = rng.integers(0, B)
        rot_s[DC.RS_TURN_LEFT, 0] = rot_par[0, DC.ROT_TURN_H] * rng.choice([1.0, rng.uniform(0.05, 1.0)])
        rot_s[DC.RS_SUSTAINED, 0] = rng.choice([-1.0, float(rng.integers(0, B))])
        t = 500
        rot_s[DC.RS_LAST_T, 0] = t - 1 if case % 5 else t - 3
        rot_s[DC.RS_LONGEST, 0] = rng.uniform(0.0, 3.0)
        rot_s[DC.RS_PREV_A, 0] = rng.integers(0, B)
        rot_s[DC.RS_PREV_N, 0] = rng.integers(0, B + 1)
        # full blocks only in the previous window (RS_PREV_A: every other block has no full turn)
        window = (np.arange(B) - rot_s[DC.RS_PREV_A, 0]) % B < rot_s[DC.RS_PREV_N, 0]
        rot_b[2, 0] *= window
        k_off = rng.uniform(0.0, 1.1 * B)
        if case % 3 == 0:  # whole turns: the last turn ends with the period (a window's last block not taken)
            k_off = rng.integers(1, B) * rot_par[0, DC.ROT_TURN_H] / dt_h
        firm = 1000.0
        shed = k_off * rot_par[0, DC.ROT_BLOCK_FRAC] * firm
        fused = k_off * dt_h / rot_par[0, DC.ROT_TURN_H] + 4.0 <= B
        paths.add(("collapsed", False) if k_off > rot_par[0, DC.ROT_MAX_K] else ("rotation", fused))
        if (clean and fused and k_off <= rot_par[0, DC.ROT_MAX_K] and k_off * dt_h >= 2 * rot_par[0, DC.ROT_TURN_H]
                and math.frexp(rot_par[0, DC.ROT_TURN_H])[0] == 0.5):
            paths.add("whole turns at once")
        # then two periods more, collapsed or not (a collapsed rotation held lazily from the first, with the
        # runs carried into it, growing or shrinking)
        sheds = [shed] + list(rng.uniform(0.3, 1.0, 2) * B * rot_par[0, DC.ROT_BLOCK_FRAC] * firm)
        states = [(rot_s.copy(), rot_b.copy(), np.zeros(DC.NRR)) for _ in range(2)]
        for i, sh in enumerate(sheds):
            out = []
            for fn, (s_, b_, res) in zip((DC._rotate, _rotate_as_before), states):
                fn(t + i, dt_h, 0, sh, firm, rot_par, s_, b_, res, 0.0)
                out.append(_rotation_state(s_, b_, res, rot_par))
            assert _same_rotation(*out), (case, i)
    assert ("rotation", True) in paths and ("rotation", False) in paths and ("collapsed", False) in paths
    assert ("whole turns at once" in paths) == (math.frexp(rot_par[0, DC.ROT_TURN_H])[0] == 0.5)


def test_collapsed_rotation_held_lazily_finds_the_longest_run():
    """Five blocks: a rotation of six half-hour turns leaves block 0 off the whole period (two turns), then a
    collapsed rotation from block 1 holds every block, block 0 with the run it carried (the longest: not the
    first block's), then leaves block 0 with all but 1e-10 of the period (its run goes on) and takes it back:
    its run stays the longest, and the longest run follows it."""
    B, dt_h = 5, 1.0
    rot_par = np.array([[0.1, 0.5, 4.0, 100.0]])  # block MW 0.1 x firm load, turn 0.5 h, collapsed above 4 blocks
    states = []
    for fn in (DC._rotate, _rotate_as_before):
        rot_s, rot_b = np.zeros((DC.NRS, 1)), np.zeros((DC.NRB, 1, B))
        DC.dc_reset(np.zeros((0, 1)), np.zeros((0, 1)), np.zeros((0, 1)), np.zeros((DC.NDN, 0)), rot_s, rot_b)
        res = np.zeros(DC.NRR)
        seen = []
        for t, k_off in enumerate([3.0, 5.0, 5.0, 4.9999999999, 5.0, 5.0]):
            fn(t, dt_h, 0, k_off * 0.1 * 1000.0, 1000.0, rot_par, rot_s, rot_b, res, 0.0)
            seen.append(_rotation_state(rot_s, rot_b, res, rot_par))
        states.append(seen)
    for a, b in zip(*states):
        assert _same_rotation(a, b)
    assert states[0][-1][0][DC.RS_LONGEST, 0] > 5.9  # block 0: 1 + 1 + 1 + (1 - 1e-10) + 1 + 1 h


def test_max_flow_of_four_vertices_equals_the_general_search():
    """Random networks of two regions (some arcs zero, some below EPS_MW), augmented twice as the dispatch does
    (a second stage with more at the source on the same flow), by max_flow (four vertices: the unrolled
    search) and by the search with the vertex count a variable: the same totals and flows, bit for bit."""
    rng = np.random.default_rng(7)
    grew = 0
    for case in range(400):
        cap = rng.uniform(0.0, 100.0, (4, 4)) * (rng.random((4, 4)) < 0.7)
        cap[rng.random((4, 4)) < 0.1] = 0.5 * EPS_MW
        np.fill_diagonal(cap, 0.0)
        more = rng.uniform(0.0, 50.0, 2)
        out = []
        for fn in (max_flow, _max_flow_n):
            c, flow = cap.copy(), np.zeros((4, 4))
            parent, queue = np.zeros(4, np.int64), np.zeros(4, np.int64)
            t1 = fn(c, flow, 4, 0, 3, parent, queue)
            c[0, 1:3] += more
            t2 = fn(c, flow, 4, 0, 3, parent, queue)
            out.append((t1, t2, flow))
        (a1, a2, a_f), (b1, b2, b_f) = out
        assert _bits([a1, a2]) == _bits([b1, b2]) and _bits(a_f) == _bits(b_f), case
        grew += a1 > 0.0
    assert grew > 200
