"""The kernel's shortcuts change no result: the galloping search of the next transition finds the period the
bisection found, and the running upper bound of time-varying capacity on outage (kept by the transitions in
integer ticks) only lets through periods that need no dispatch."""

import numpy as np
import pytest

from gigawatt.methods.sequential import Accumulators, _hazard_rows, prepare, run_chunk


def _bisection(haz, row, t_now, u, T):
    """The search as it was before the galloping one: bisection over the whole rest of the horizon."""
    if t_now + 1 >= T:
        return T
    e = -np.log(1.0 - u)
    base = haz[row, 0, t_now + 1]
    end = int(haz[row, 1, t_now + 1])
    h = haz[row, 0, t_now + 2] - base
    if h > 0.0 and e / h < end - t_now - 1:
        return t_now + 1 + int(np.floor(e / h))
    target = base + e
    lo, hi = end + 1, T + 1
    if lo > T or haz[row, 0, T] <= target:
        return T
    while lo < hi:
        mid = (lo + hi) >> 1
        if haz[row, 0, mid] > target:
            hi = mid
        else:
            lo = mid + 1
    return lo - 1


def test_galloping_search_finds_the_bisections_period():
    from gigawatt.methods._smc_kernel import _next_transition

    rng = np.random.default_rng(11)
    T = 40_000
    lengths = rng.integers(1, 400, size=400)
    probs = rng.choice([0.0, 1e-5, 1e-4, 1e-3, 2e-2], size=400)
    p = np.repeat(probs, lengths)[:T]
    p = np.r_[p, np.full(T - p.shape[0], 1e-4)]
    haz, haz_h, _ = _hazard_rows([p])
    assert haz_h[0] < 0
    far = 0
    for _ in range(4000):
        t_now = int(rng.integers(0, T))
        u = rng.random() ** 0.2  # long waits: the search runs far ahead of the stretch
        got = _next_transition(haz, haz_h, 0, t_now, u, T)
        assert got == _bisection(haz, 0, t_now, u, T), (t_now, u)
        far += got - t_now > 2000 and got < T
    assert far > 100
    # the last periods of the horizon and a draw that never happens within it
    for t_now in (T - 3, T - 2, T - 1):
        for u in (0.0, 0.5, 1.0 - 1e-16):
            assert _next_transition(haz, haz_h, 0, t_now, u, T) == _bisection(haz, 0, t_now, u, T)


def _two_zones(seed, n_var=40):
    """Two zones, one behind a tight import limit, every unit with a time-varying capacity far below its
    largest value most of the time (the running upper bound is loose: the exact tests run often)."""
    from gigawatt import Generators, Interfaces, Regions, SystemModel, TimeAxis

    rng = np.random.default_rng(seed)
    T = 24 * 21
    hours = np.arange(T)
    shape = 1.0 + 0.2 * np.sin(2 * np.pi * (hours % 24) / 24.0)
    load = [850.0 * shape, 1650.0 * shape]
    names, regions, caps = [], [], []
    for i in range(n_var):
        r = "DOM" if i < n_var // 3 else "REST"
        names.append(f"u{i}")
        regions.append(r)
        c = np.full(T, rng.uniform(60.0, 120.0))
        c[rng.random(T) < 0.05] *= 1.8  # short peaks: the largest capacity is rarely available
        c[rng.integers(0, T - 48):][:48] = 0.0  # a planned outage
        caps.append(c)
    for i in range(6):  # constant units
        names.append(f"c{i}")
        regions.append("REST")
        caps.append(np.full(T, 150.0))
    fail = np.where(hours % 168 < 24, 0.06, 0.01)  # a cold day each week: time-varying hazard
    gens = Generators(names, None, regions, np.array(caps), np.tile(fail, (len(names), 1)), 0.2, n_periods=T)
    itf = Interfaces(["REST"], ["DOM"], [250.0], [250.0], n_periods=T)
    return SystemModel(TimeAxis("2024-01-01", 1.0, T), Regions(["DOM", "REST"], load), gens, interfaces=itf)


@pytest.mark.parametrize("seed", [1, 2])
def test_running_bound_skips_only_quiet_periods(seed):
    system = _two_zones(seed)
    prep = prepare(system)
    fast = run_chunk(prep, seed, 0, 40, 1, False)
    dense = run_chunk(prep, seed, 0, 40, 1, True)  # dense recording visits every period
    assert 0 < fast.lolp.sum() < 40 * system.n_periods / 4  # shortfalls, and quiet periods to skip
    for name in Accumulators._PER_SAMPLE + ("short_t", "short_rt", "eue_rt", "eue_sq_rt", "eue_t", "dur_hist",
                                            "depth_hist", "energy_hist"):
        assert np.array_equal(getattr(fast, name), getattr(dense, name)), name


def test_running_bound_identical_for_threads_and_chunks():
    system = _two_zones(3)
    prep = prepare(system)
    base = run_chunk(prep, 5, 0, 24, 1, False)
    for other in (run_chunk(prep, 5, 0, 24, 2, False),
                  Accumulators.merge([run_chunk(prep, 5, s, n, 2, False) for s, n in ((0, 5), (5, 11), (16, 8))]),
                  Accumulators.merge([run_chunk(prep, 5, s, 1, 1, False) for s in range(24)])):
        for name in Accumulators._PER_SAMPLE + Accumulators._SUMS:
            x, y = getattr(base, name), getattr(other, name)
            assert (x is None and y is None) or np.array_equal(x, y), name


def _two_zones_with_battery_site(seed):
    """The two zones with a firm 100 MW site and its battery in the import-limited zone: after each
    shortfall the battery recharges from the zone's own surplus (periods dispatched until it is full)."""
    from gigawatt import DataCenterSystem
    from gigawatt.datacenter.contracts import Firm
    from gigawatt.datacenter.order import DataCenterSite
    from gigawatt.datacenter.power import Fleet, SitePower
    from gigawatt.datacenter.resources import SiteBattery

    grid = _two_zones(seed)
    T = grid.n_periods
    site = DataCenterSite("dc", "DOM", SitePower((Fleet("H100", 50_000),)), Firm(),
                          battery=SiteBattery(power_mw=40.0, energy_mwh=400.0))
    return DataCenterSystem(grid, (site,), site_load_mw=np.full((1, T), 100.0))


@pytest.mark.parametrize("seed", [1, 2])
def test_skipping_is_exact_with_a_site_battery_behind_an_import_limit(seed):
    dcs = _two_zones_with_battery_site(seed)
    prep = prepare(dcs)
    fast = run_chunk(prep, seed, 0, 30, 1, False)
    dense = run_chunk(prep, seed, 0, 30, 1, True)  # dispatches every period
    from gigawatt.methods import _dc_kernel as DC

    assert fast.site[:, 0, DC.SR_BAT_MWH].sum() > 0 and fast.site[:, 0, DC.SR_CHARGE_MWH].sum() > 0
    for name in Accumulators._PER_SAMPLE + ("short_t", "short_rt", "eue_rt", "eue_sq_rt", "dur_hist"):
        x, y = getattr(fast, name), getattr(dense, name)
        assert (x is None and y is None) or np.array_equal(x, y), name
    for threads, parts in ((2, ((0, 30),)), (2, ((0, 7), (7, 23))), (1, tuple((s, 1) for s in range(30)))):
        other = Accumulators.merge([run_chunk(prep, seed, s, n, threads, False) for s, n in parts])
        for name in Accumulators._PER_SAMPLE + Accumulators._SUMS:
            x, y = getattr(fast, name), getattr(other, name)
            assert (x is None and y is None) or np.array_equal(x, y), name


def test_onsite_units_take_their_per_period_outage_series():
    # on-site generating units with per-period failure and repair probabilities (e.g. a grid class's
    # correlated cold) become devices with those hazards, not the constant rate
    from gigawatt.datacenter.resources import OnsiteGeneration

    if not hasattr(OnsiteGeneration, "transition_series"):
        pytest.skip("OnsiteGeneration without per-period series")
    from gigawatt import DataCenterSystem
    from gigawatt.datacenter.contracts import Firm
    from gigawatt.datacenter.order import DataCenterSite
    from gigawatt.datacenter.power import Fleet, SitePower

    grid = _two_zones(4)
    T = grid.n_periods
    lam = np.where(np.arange(T) < T // 2, 0.0, 0.3)  # no failures in the first half, then many
    gen = OnsiteGeneration(n_units=3, unit_mw=20.0, failure_prob=lam, repair_prob=np.full(T, 0.1))
    site = DataCenterSite("dc", "DOM", SitePower((Fleet("H100", 50_000),)), Firm(), generation=gen)
    dcs = DataCenterSystem(grid, (site,), site_load_mw=np.full((1, T), 100.0))
    prep = prepare(dcs)
    kind, frow, haz, haz_h = prep.arrays[7], prep.arrays[9], prep.arrays[11], prep.arrays[12]
    rows = frow[kind == 4]
    assert rows.shape[0] == 3 and np.all(rows == rows[0]) and haz_h[rows[0]] < 0
    assert np.allclose(np.diff(haz[rows[0], 0]), -np.log1p(-lam))
    fast = run_chunk(prep, 2, 0, 20, 1, False)
    dense = run_chunk(prep, 2, 0, 20, 2, True)
    for name in ("lolp", "eue", "site", "res", "dr"):
        assert np.array_equal(getattr(fast, name), getattr(dense, name)), name
