"""The network dispatch of two regions in scalars (``_dispatch._solve_network2``) against the dense residual
network's (``_dispatch._solve_network_n``): the same served, discharge, charging, unserved, flows and surplus,
bit for bit, on random periods (margins of either sign, storage, charging, parallel interfaces either way,
limits of zero and below ``EPS_MW``)."""

import numpy as np

from gigawatt.methods._dispatch import EPS_MW, _solve_network_n, max_flow, max_flow_two_regions, solve_network


def _bits(a):
    return np.asarray(a, dtype=np.float64).tobytes()


def test_two_regions_in_scalars_equal_the_dense_network():
    rng = np.random.default_rng(11)
    paths = set()
    for case in range(3000):
        margin = rng.uniform(-300.0, 300.0, 2) * (rng.random(2) < 0.9)
        disch_cap = rng.uniform(0.0, 200.0, 2) * (rng.random(2) < 0.5)
        charge_need = rng.uniform(0.0, 200.0, 2) * (rng.random(2) < 0.5)
        NI = int(rng.integers(1, 4))
        if_from = rng.integers(0, 2, NI).astype(np.int64)
        if_to = 1 - if_from
        lim_f = rng.uniform(0.0, 150.0, NI) * (rng.random(NI) < 0.8)
        lim_b = rng.uniform(0.0, 150.0, NI) * (rng.random(NI) < 0.8)
        lim_f[rng.random(NI) < 0.1] = 0.5 * EPS_MW
        out = []
        for fn in (solve_network, _solve_network_n):
            res = [np.full(2, np.nan) for _ in range(5)] + [np.full(NI, np.nan), np.full(2, np.nan)]
            served, disch, charged, unserved, surplus, if_flow, before = res
            fn(margin, disch_cap, charge_need, if_from, if_to, lim_f, lim_b, np.zeros((4, 4)), np.zeros((4, 4)),
               np.zeros(4, np.int64), np.zeros(4, np.int64), served, disch, charged, unserved, if_flow, surplus, before)
            out.append((served, disch, charged, unserved, if_flow, surplus))
        for a, b in zip(*out):
            assert _bits(a) == _bits(b), case
        served, disch, charged, unserved, if_flow, surplus = out[0]
        paths.add(("imports", bool((np.abs(if_flow) > 0).any())))
        paths.add(("discharge", bool((disch > 0).any())))
        paths.add(("charge", bool((charged > 0).any())))
    assert paths == {(k, v) for k in ("imports", "discharge", "charge") for v in (True, False)}


def test_max_flow_of_two_regions_in_scalars_equals_the_search():
    """``max_flow_two_regions`` against ``max_flow`` on networks of two regions as the relocation of shortfalls
    builds them (arcs source -> region, region -> region, region -> sink; some zero, some below ``EPS_MW``),
    augmented twice with more at the source in between: the same totals and flows, bit for bit."""
    rng = np.random.default_rng(5)
    grew = 0
    for case in range(2000):
        cap = np.zeros((4, 4))
        for u, v in ((0, 1), (0, 2), (1, 2), (2, 1), (1, 3), (2, 3)):
            cap[u, v] = rng.uniform(0.0, 100.0) * (rng.random() < 0.75)
            if rng.random() < 0.05:
                cap[u, v] = 0.5 * EPS_MW
        more = rng.uniform(0.0, 50.0, 2) * (rng.random(2) < 0.7)
        out = []
        for fn in (lambda c, f: max_flow_two_regions(c, f),
                   lambda c, f: max_flow(c, f, 4, 0, 3, np.zeros(4, np.int64), np.zeros(4, np.int64))):
            c, flow = cap.copy(), np.zeros((4, 4))
            t1 = fn(c, flow)
            c[0, 1:3] += more
            t2 = fn(c, flow)
            out.append((t1, t2, flow))
        (a1, a2, a_f), (b1, b2, b_f) = out
        assert _bits([a1, a2]) == _bits([b1, b2]) and _bits(a_f) == _bits(b_f), case
        grew += a2 > 0.0
    assert grew > 500
