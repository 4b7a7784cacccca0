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
