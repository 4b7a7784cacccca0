"""Invariants: worker/chunk independence, exact quiet-period skipping, energy balance, state-of-charge bounds."""

import numpy as np
import pytest

from gigawatt import EventStats, SequentialMonteCarlo, Shortfall, StorageEnergy, assess
from gigawatt.io.pras import read_pras
from gigawatt.execution import simulate
from gigawatt.methods.sequential import Accumulators, prepare, run_chunk, trace_sample


@pytest.fixture(scope="module")
def rts(shared_data):
    return read_pras(shared_data / "pras/rts.pras").with_added_load(700.0)


def _same(a: Accumulators, b: Accumulators):
    for name in Accumulators._PER_SAMPLE + Accumulators._SUMS:
        x, y = getattr(a, name), getattr(b, name)
        if x is None:
            assert y is None
        else:
            assert np.array_equal(x, y), name


def test_identical_for_any_threads_and_chunks(rts):
    base = simulate(rts, SequentialMonteCarlo(samples=40, seed=9, threads=1))
    for threads, chunk in ((2, None), (1, 1), (2, 7), (1, 1000)):
        other = simulate(rts, SequentialMonteCarlo(samples=40, seed=9, threads=threads, chunk_size=chunk))
        _same(base, other)


def test_chunks_merge_in_any_order(rts):
    prep = prepare(rts)
    whole = run_chunk(prep, 4, 0, 12, 1, False)
    parts = [run_chunk(prep, 4, s, n, 2, False) for s, n in ((5, 7), (0, 5))]
    _same(whole, Accumulators.merge(parts))


def test_quiet_period_skipping_is_exact(rts):
    prep = prepare(rts)
    fast = run_chunk(prep, 3, 0, 30, 1, False)
    dense = run_chunk(prep, 3, 0, 30, 1, True)  # dense recording visits every period
    for name in Accumulators._PER_SAMPLE + ("short_t", "eue_rt", "eue_sq_rt", "dur_hist"):
        assert np.array_equal(getattr(fast, name), getattr(dense, name)), name


def test_energy_balance_and_soc_bounds(rts):
    for sample in (0, 1, 2):
        tr = trace_sample(rts, 5, sample)
        # regional balance: generation used + storage + imports + unserved = load
        net_import = np.zeros(tr.load_mw.shape)
        itf = rts.interfaces
        idx = {n: i for i, n in enumerate(rts.regions.names)}
        for k, (a, b) in enumerate(zip(itf.regions_from, itf.regions_to)):
            net_import[:, idx[a]] -= tr.flow_mw.values[:, k]
            net_import[:, idx[b]] += tr.flow_mw.values[:, k]
        stor = np.zeros(tr.load_mw.shape)
        for i, r in enumerate(rts.storages.regions):
            stor[:, idx[r]] += tr.storage_power_mw.values[:, i]
        for i, r in enumerate(rts.generatorstorages.regions):
            stor[:, idx[r]] += tr.genstor_power_mw.values[:, i]
        gen_used = tr.available_mw.values - tr.surplus_mw.values
        balance = gen_used + stor + net_import + tr.unserved_mw.values - tr.load_mw.values
        assert np.abs(balance).max() < 1e-6
        e = tr.storage_energy_mwh.values
        cap = rts.storages.energy_mwh.T
        assert (e >= -1e-9).all() and (e <= cap + 1e-9).all()
        # storage energy changes by exactly the power exchanged (efficiencies 1 in this system)
        de = np.diff(np.r_[np.zeros((1, e.shape[1])), e], axis=0)
        np.testing.assert_allclose(de, -tr.storage_power_mw.values, atol=1e-6)
        # flows within the interface limits
        lim = np.minimum(rts.interfaces.forward_mw.T, 1e12)
        assert (tr.flow_mw.values <= lim + 1e-6).all()


def test_dense_results_have_named_dimensions(rts):
    short, soc, ev = assess(rts, SequentialMonteCarlo(samples=8, seed=1), Shortfall(), StorageEnergy(), EventStats())
    assert soc.storage_energy_mwh.dims == ("storage", "time")
    assert float(soc.storage_energy_mwh.max()) <= 150.0 + 1e-9
    assert short.period.region_eue_mwh.dims == ("region", "time")
    assert ev.events_per_horizon.mean == short.events.mean


def _meshed_system(seed):
    """Three regions in a triangle with tight interface limits, failing lines, units with time-varying
    capacity that fail, and a battery: every branch of the quiet-period test is exercised."""
    from gigawatt import Generators, Interfaces, Lines, Regions, Storages, SystemModel, TimeAxis

    rng = np.random.default_rng(seed)
    T = 24 * 14
    hours = np.arange(T)
    shape = 1.0 + 0.25 * np.sin(2 * np.pi * (hours % 24) / 24.0)
    load = [300.0 * shape, 200.0 * shape + 40.0, 120.0 * shape]
    names, regions, caps = [], [], []
    for r, n_units in (("A", 8), ("B", 5), ("C", 3)):
        for i in range(n_units):
            names.append(f"{r}{i}")
            regions.append(r)
            if i == 0:  # a wind-like unit with a capacity profile
                caps.append(rng.uniform(0.0, 80.0, T))
            else:
                caps.append(np.full(T, rng.uniform(40.0, 90.0)))
    gens = Generators(names, None, regions, np.array(caps), 0.05, 0.2, n_periods=T)
    itf = Interfaces(["A", "A", "B"], ["B", "C", "C"], [60.0, 50.0, 30.0], [40.0, 50.0, 30.0], n_periods=T)
    lines = Lines(["ab1", "ab2", "ac", "bc"], None, ["A", "A", "A", "B"], ["B", "B", "C", "C"],
                  [40.0, 30.0, 60.0, 30.0], [30.0, 30.0, 60.0, 30.0], failure_prob=0.03, repair_prob=0.2,
                  n_periods=T)
    st = Storages(["bat"], None, ["C"], 20.0, 20.0, 60.0, n_periods=T)
    return SystemModel(TimeAxis("2024-01-01", 1.0, T), Regions(["A", "B", "C"], load), gens, st,
                       interfaces=itf, lines=lines)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_quiet_period_skipping_is_exact_on_a_meshed_network(seed):
    system = _meshed_system(seed)
    prep = prepare(system)
    fast = run_chunk(prep, seed, 0, 60, 1, False)
    dense = run_chunk(prep, seed, 0, 60, 1, True)
    assert fast.lolp.sum() > 0  # the system has shortfalls, so the test has something to skip around
    for name in Accumulators._PER_SAMPLE + ("short_t", "eue_rt", "eue_sq_rt", "dur_hist"):
        assert np.array_equal(getattr(fast, name), getattr(dense, name)), name
    # no state leaks from one sample to the next (e.g. a line still out): one sample at a time agrees
    alone = Accumulators.merge([run_chunk(prep, seed, s, 1, 1, False) for s in range(60)])
    _same(fast, alone)


def test_quiet_table_is_gales_condition():
    """Brute force: a period passes the set test exactly when a max flow covers every deficit."""
    from gigawatt.methods._dispatch import solve_network
    from gigawatt.methods.sequential import _quiet_table

    rng = np.random.default_rng(5)
    if_from, if_to = np.array([0, 0, 1]), np.array([1, 2, 2])
    lim_f, lim_b = rng.uniform(0, 50, (200, 3)), rng.uniform(0, 50, (200, 3))
    margin = rng.uniform(-60, 60, (200, 3))
    table = _quiet_table(if_from, if_to, lim_f, lim_b, margin)
    n = 5
    cap, flow = np.zeros((n, n)), np.zeros((n, n))
    parent, queue = np.zeros(n, np.int64), np.zeros(n, np.int64)
    out = [np.zeros(3) for _ in range(7)]
    agree = 0
    for t in range(200):
        passes = bool(np.all(table[t, 1:] >= 0.0))  # no capacity on outage: O[X] = 0
        served, disch, charged, unserved, if_flow, surplus, before = out
        solve_network(margin[t], np.zeros(3), np.zeros(3), if_from, if_to, lim_f[t], lim_b[t], cap, flow,
                      parent, queue, served, disch, charged, unserved, if_flow, surplus, before)
        covered = unserved.max() < 1e-5
        if passes:
            assert covered, t
        elif unserved.max() > 1e-3:
            agree += 1
        else:  # within the test's spare margin of the limit
            assert table[t, 1:].min() > -1e-3, t
    assert agree > 20  # plenty of periods where transfers cannot cover the deficits


def test_next_transition_inverts_the_cumulative_hazard():
    """Closed form within stretches of constant probability, search across them: the period is the
    first whose cumulative hazard passes the exponential draw (brute force over every period)."""
    from gigawatt.methods._smc_kernel import _next_transition
    from gigawatt.methods.sequential import _hazard_rows

    rng = np.random.default_rng(3)
    T = 500
    p = np.repeat(rng.choice([0.0, 0.01, 0.05, 0.3], size=25), 20)  # 25 stretches of 20 periods
    haz, haz_h, idx = _hazard_rows([p])
    assert haz_h[0] < 0  # not constant: stretches and search are exercised
    cum = haz[0, 0]
    n_within = 0
    for _ in range(3000):
        t_now = int(rng.integers(0, T))
        u = rng.random()
        e = -np.log(1.0 - u)
        above = np.flatnonzero(cum[t_now + 2:] > cum[t_now + 1] + e)
        expect = t_now + 1 + int(above[0]) if above.size else T
        got = _next_transition(haz, haz_h, 0, t_now, u, T)
        assert abs(got - expect) <= 1 and (got == expect or abs(cum[got + 1] - cum[t_now + 1] - e) < 1e-9)
        n_within += got < int(haz[0, 1, min(t_now + 1, T - 1)])
    assert n_within > 300


def test_systems_copy_writeable_inputs_and_take_owned_read_only_ones():
    # a caller's writeable array is copied (changing it later cannot change the system); an array the
    # system alone owns, read-only, is taken as it is (no second copy of a large series)
    from gigawatt import Generators

    cap = np.full((2, 4), 100.0)
    g = Generators(["a", "b"], ["x", "x"], ["A", "A"], cap, 0.01, 0.1, n_periods=4)
    cap[0, 0] = -1.0
    assert g.capacity_mw[0, 0] == 100.0 and not g.capacity_mw.flags.writeable
    ro = np.full((2, 4), 50.0)
    ro.setflags(write=False)
    assert Generators(["a", "b"], ["x", "x"], ["A", "A"], ro, 0.01, 0.1, n_periods=4).capacity_mw is ro
    view = np.full((2, 8), 50.0)[:, :4]
    view.setflags(write=False)  # a read-only view of a writeable array is still copied
    assert Generators(["a", "b"], ["x", "x"], ["A", "A"], view, 0.01, 0.1, n_periods=4).capacity_mw is not view
