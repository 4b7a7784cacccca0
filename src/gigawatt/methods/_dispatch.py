"""Per-period dispatch (numba): transfers, storage and unserved load.

The problem solved in each period, for one sample, is PRAS's: serve load with the
available generation, move power between regions within interface limits so as to
minimise total unserved energy, discharge storage only when generation cannot serve
load, and charge storage from generation that is left over (never from another
storage). It is solved lexicographically by three max-flow stages on the network
source -> regions -> sink:

1. generation surplus to regional deficits (maximum flow);
2. storage discharge capability added at the source arcs; the extra flow is
   storage discharge (it cannot displace generation, see notes in the docs);
3. unused generation to storage charging.

Within a region, discharge is shared in decreasing order of time-to-go (stored
energy over discharge power), the heuristic PRAS adopts from Evans, Tindemans and
Angeli, "Minimizing unserved energy using heterogeneous storage units", IEEE Trans.
Power Syst. 34(5), 2019; charging fills the devices with the least time-to-go first.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from gigawatt.methods import _numba_cache  # noqa: F401  (first: where the kernels below are cached)

EPS_MW = 1e-9


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _bfs_augment(cap, flow, nv, src, snk, parent, queue):
    """One Edmonds-Karp augmentation on a dense residual network; returns the amount pushed."""
    for i in range(nv):
        parent[i] = -1
    parent[src] = src
    head = 0
    tail = 0
    queue[tail] = src
    tail += 1
    while head < tail and parent[snk] == -1:
        u = queue[head]
        head += 1
        for v in range(nv):
            if parent[v] == -1 and cap[u, v] - flow[u, v] > EPS_MW:
                parent[v] = u
                queue[tail] = v
                tail += 1
    if parent[snk] == -1:
        return 0.0
    push = 1e308
    v = snk
    while v != src:
        u = parent[v]
        r = cap[u, v] - flow[u, v]
        if r < push:
            push = r
        v = u
    v = snk
    while v != src:
        u = parent[v]
        flow[u, v] += push
        flow[v, u] -= push
        v = u
    return push


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def max_flow(cap, flow, nv, src, snk, parent, queue):
    """Augment ``flow`` to a maximum flow (in place); returns the added amount.

    Two regions (four vertices: the most common network) get the same search with the vertex count a
    constant, so that its loops are unrolled: the same paths in the same order, the same bits.
    """
    if nv == 4:
        return _max_flow_n(cap, flow, 4, src, snk, parent, queue)
    return _max_flow_n(cap, flow, nv, src, snk, parent, queue)


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _max_flow_n(cap, flow, nv, src, snk, parent, queue):
    total = 0.0
    while True:
        pushed = _bfs_augment(cap, flow, nv, src, snk, parent, queue)
        if pushed <= 0.0:
            return total
        total += pushed


@njit(_nrt=False, cache=True, error_model="numpy")
def share_by_time_to_go(amount, ids, n, power, ttg, taken, longest_first):
    """Share ``amount`` [MW] among devices ``ids[:n]`` in order of time-to-go.

    Discharge takes the devices with the longest time-to-go first (``longest_first``);
    charging fills those with the shortest first. ``power`` is each device's available
    power [MW]; ``taken`` receives the shares. Returns what could not be placed.
    """
    for k in range(n):
        taken[ids[k]] = 0.0
    sign = 1.0 if longest_first else -1.0
    remaining = amount
    while remaining > EPS_MW:
        best = -1
        best_score = -1.0 if longest_first else -1e308
        for k in range(n):
            d = ids[k]
            if taken[d] == 0.0 and power[d] > EPS_MW and sign * ttg[d] > best_score:
                best = d
                best_score = sign * ttg[d]
        if best < 0:
            break
        take = min(remaining, power[best])
        taken[best] = take
        remaining -= take
    return remaining


@njit(_nrt=False, cache=True, error_model="numpy")
def _max_flow2(c_sa, c_sb, c_ab, c_ba, c_at, c_bt, f_sa, f_sb, f_ab, f_at, f_bt):
    """:func:`max_flow` on the network of two regions ``a``, ``b`` (source ``s``, sink ``t``) held in scalars:
    capacities ``c_*``, flows ``f_*`` (the flow from ``b`` to ``a`` is ``-f_ab``); returns the new flows and
    the amount added (the pushes summed in order, as :func:`max_flow` returns it).

    The same augmenting paths in the same order as the breadth-first search of :func:`_bfs_augment`
    (vertices in the order s, a, b, t; a vertex is reached from the first one in the queue with a
    residual above ``EPS_MW`` to it), each push the smallest residual of its path, added to the same
    flows: the same flows, bit for bit, without the search's arrays. A call, not inlined: its arguments are
    scalars (no arrays passed by value), and its four uses inlined cost about a minute more of compile time.
    """
    total = 0.0
    while True:
        ra = c_sa - f_sa > EPS_MW
        rb = c_sb - f_sb > EPS_MW
        at = c_at - f_at > EPS_MW
        bt = c_bt - f_bt > EPS_MW
        path = 0  # 1: s-a-t, 2: s-b-t, 3: s-a-b-t, 4: s-b-a-t
        if ra:
            if at:
                path = 1
            elif bt:
                if rb:
                    path = 2
                elif c_ab - f_ab > EPS_MW:
                    path = 3
        elif rb:
            if bt:
                path = 2
            elif at and c_ba + f_ab > EPS_MW:
                path = 4
        if path == 0:
            return f_sa, f_sb, f_ab, f_at, f_bt, total
        # the path's residuals from the sink back; the push is their smallest (taken as the search takes it)
        if path == 1:
            r1, r2, r3 = c_at - f_at, c_sa - f_sa, 1e308
        elif path == 2:
            r1, r2, r3 = c_bt - f_bt, c_sb - f_sb, 1e308
        elif path == 3:
            r1, r2, r3 = c_bt - f_bt, c_ab - f_ab, c_sa - f_sa
        else:
            r1, r2, r3 = c_at - f_at, c_ba + f_ab, c_sb - f_sb
        push = 1e308
        if r1 < push:
            push = r1
        if r2 < push:
            push = r2
        if r3 < push:
            push = r3
        if path == 1:
            f_at += push
            f_sa += push
        elif path == 2:
            f_bt += push
            f_sb += push
        elif path == 3:
            f_bt += push
            f_ab += push
            f_sa += push
        else:
            f_at += push
            f_ab -= push
            f_sb += push
        total += push


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def max_flow_two_regions(cap, flow):
    """:func:`max_flow` on a network of two regions (vertices source 0, regions 1 and 2, sink 3) with no arc
    from the source to the sink and flows antisymmetric, as the dispatch and the relocation of shortfalls
    build it: the same flows, bit for bit (:func:`_max_flow2`), written back to ``flow``; returns the added
    amount."""
    f_sa, f_sb, f_ab, f_at, f_bt, total = _max_flow2(cap[0, 1], cap[0, 2], cap[1, 2], cap[2, 1], cap[1, 3], cap[2, 3],
                                                     flow[0, 1], flow[0, 2], flow[1, 2], flow[1, 3], flow[2, 3])
    flow[0, 1] = f_sa
    flow[1, 0] = 0.0 - f_sa  # (the dense network's reverse flows: 0.0 less the pushes, +0.0 for none)
    flow[0, 2] = f_sb
    flow[2, 0] = 0.0 - f_sb
    flow[1, 2] = f_ab
    flow[2, 1] = 0.0 - f_ab
    flow[1, 3] = f_at
    flow[3, 1] = 0.0 - f_at
    flow[2, 3] = f_bt
    flow[3, 2] = 0.0 - f_bt
    return total


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _solve_network2(margin, disch_cap, charge_need, if_from, if_to, if_lim_fwd, if_lim_bwd,
                    served, disch, charged, unserved, if_flow, surplus):
    """:func:`solve_network` for two regions, the network in scalars (:func:`_max_flow2`): the same
    stages, the same arithmetic, the same results bit for bit."""
    m0 = margin[0]
    m1 = margin[1]
    c_sa = m0 if m0 > 0.0 else 0.0
    c_at = -m0 if not m0 > 0.0 else 0.0
    c_sb = m1 if m1 > 0.0 else 0.0
    c_bt = -m1 if not m1 > 0.0 else 0.0
    c_ab = 0.0
    c_ba = 0.0
    for k in range(if_from.shape[0]):
        if if_from[k] == 0:
            c_ab += if_lim_fwd[k]
            c_ba += if_lim_bwd[k]
        else:
            c_ba += if_lim_fwd[k]
            c_ab += if_lim_bwd[k]
    f_sa, f_sb, f_ab, f_at, f_bt, _ = _max_flow2(c_sa, c_sb, c_ab, c_ba, c_at, c_bt, 0.0, 0.0, 0.0, 0.0, 0.0)
    s_a = f_sa  # generation flow out of the source, stage 1
    s_b = f_sb
    served[0] = s_a
    served[1] = s_b
    d_a = 0.0
    d_b = 0.0
    if c_at - f_at > EPS_MW or c_bt - f_bt > EPS_MW:
        c_sa += disch_cap[0]
        c_sb += disch_cap[1]
        f_sa, f_sb, f_ab, f_at, f_bt, _ = _max_flow2(c_sa, c_sb, c_ab, c_ba, c_at, c_bt, f_sa, f_sb, f_ab, f_at, f_bt)
        d = f_sa - s_a
        d_a = d if d > 0.0 else 0.0
        d = f_sb - s_b
        d_b = d if d > 0.0 else 0.0
    disch[0] = d_a
    disch[1] = d_b
    u = (-m0 if m0 < 0.0 else 0.0) - f_at
    unserved[0] = u if u > EPS_MW else 0.0
    u = (-m1 if m1 < 0.0 else 0.0) - f_bt
    unserved[1] = u if u > EPS_MW else 0.0
    g_a = m0 if m0 > 0.0 else 0.0
    g_b = m1 if m1 > 0.0 else 0.0
    charged[0] = 0.0
    charged[1] = 0.0
    if charge_need[0] > EPS_MW or charge_need[1] > EPS_MW:
        c_sa = f_sa + (g_a - s_a)
        c_sb = f_sb + (g_b - s_b)
        b_a = f_at
        b_b = f_bt
        c_at += charge_need[0]
        c_bt += charge_need[1]
        f_sa, f_sb, f_ab, f_at, f_bt, _ = _max_flow2(c_sa, c_sb, c_ab, c_ba, c_at, c_bt, f_sa, f_sb, f_ab, f_at, f_bt)
        c = f_at - b_a
        charged[0] = c if c > 0.0 else 0.0
        c = f_bt - b_b
        charged[1] = c if c > 0.0 else 0.0
    s = g_a - (f_sa - d_a)
    surplus[0] = s if s > 0.0 else 0.0
    s = g_b - (f_sb - d_b)
    surplus[1] = s if s > 0.0 else 0.0
    for k in range(if_from.shape[0]):
        if_flow[k] = f_ab if if_from[k] == 0 else 0.0 - f_ab  # (as the dense network's 0.0 - pushes: +0.0 for none)


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def solve_network(margin, disch_cap, charge_need, if_from, if_to, if_lim_fwd, if_lim_bwd,
                  cap, flow, parent, queue,
                  served, disch, charged, unserved, if_flow, surplus, before):
    """Three-stage max-flow dispatch across regions for one period.

    Parameters
    ----------
    margin : (R,) generation available minus load [MW]
    disch_cap : (R,) storage discharge capability per region [MW]
    charge_need : (R,) grid-side charging the region's storage could take [MW]
    if_from, if_to, if_lim_fwd, if_lim_bwd : interfaces and their usable limits [MW]

    Outputs (filled in place): ``disch`` (R,) storage discharge, ``charged`` (R,)
    charging, ``unserved`` (R,), ``if_flow`` (I,) net flow from->to, ``surplus`` (R,)
    generation left unused.
    """
    if margin.shape[0] == 2:
        _solve_network2(margin, disch_cap, charge_need, if_from, if_to, if_lim_fwd, if_lim_bwd,
                        served, disch, charged, unserved, if_flow, surplus)
    else:
        _solve_network_n(margin, disch_cap, charge_need, if_from, if_to, if_lim_fwd, if_lim_bwd, cap, flow, parent,
                         queue, served, disch, charged, unserved, if_flow, surplus, before)


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _solve_network_n(margin, disch_cap, charge_need, if_from, if_to, if_lim_fwd, if_lim_bwd, cap, flow, parent, queue,
                     served, disch, charged, unserved, if_flow, surplus, before):
    """:func:`solve_network` on the dense residual network (:func:`max_flow`), any number of regions."""
    nr = margin.shape[0]
    nv = nr + 2
    src = 0
    snk = nr + 1
    for i in range(nv):
        for j in range(nv):
            cap[i, j] = 0.0
            flow[i, j] = 0.0
    for r in range(nr):
        m = margin[r]
        if m > 0.0:
            cap[src, r + 1] = m
        else:
            cap[r + 1, snk] = -m
    for k in range(if_from.shape[0]):
        a = if_from[k] + 1
        b = if_to[k] + 1
        cap[a, b] += if_lim_fwd[k]
        cap[b, a] += if_lim_bwd[k]
    # stage 1: generation only
    max_flow(cap, flow, nv, src, snk, parent, queue)
    for r in range(nr):
        served[r] = flow[src, r + 1]  # generation flow out of the source, stage 1
    # stage 2: storage discharge capability
    any_short = False
    for r in range(nr):
        if cap[r + 1, snk] - flow[r + 1, snk] > EPS_MW:
            any_short = True
    for r in range(nr):
        disch[r] = 0.0
    if any_short:
        for r in range(nr):
            cap[src, r + 1] += disch_cap[r]
        max_flow(cap, flow, nv, src, snk, parent, queue)
        for r in range(nr):
            d = flow[src, r + 1] - served[r]
            disch[r] = d if d > 0.0 else 0.0
    for r in range(nr):
        m = margin[r]
        deficit = -m if m < 0.0 else 0.0
        u = deficit - flow[r + 1, snk]
        unserved[r] = u if u > EPS_MW else 0.0
    # stage 3: charging from unused generation only
    any_charge = False
    for r in range(nr):
        if charge_need[r] > EPS_MW:
            any_charge = True
    for r in range(nr):
        charged[r] = 0.0
    if any_charge:
        for r in range(nr):
            m = margin[r]
            gen = m if m > 0.0 else 0.0
            # source arc: what already flows plus unused generation (no unused storage)
            cap[src, r + 1] = flow[src, r + 1] + (gen - served[r])
            before[r] = flow[r + 1, snk]
            cap[r + 1, snk] += charge_need[r]
        max_flow(cap, flow, nv, src, snk, parent, queue)
        for r in range(nr):
            c = flow[r + 1, snk] - before[r]
            charged[r] = c if c > 0.0 else 0.0
    for r in range(nr):
        m = margin[r]
        gen = m if m > 0.0 else 0.0
        used = flow[src, r + 1] - disch[r]
        s = gen - used
        surplus[r] = s if s > 0.0 else 0.0
    for k in range(if_from.shape[0]):
        if_flow[k] = flow[if_from[k] + 1, if_to[k] + 1]
