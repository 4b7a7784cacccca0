"""Grids on disk, memory-mapped: the same numbers as a grid built in memory, a damaged entry rebuilt,
a key per year and assumptions, pages handed back after a run."""

from __future__ import annotations

import dataclasses

import numpy as np

from gigawatt.web import gridcache
from gigawatt.web.whatif import Engine, Settings


def _arrays(obj, prefix="", depth=0):
    """(name, array) of the large arrays of a system, walking its components."""
    if depth > 3:
        return
    fields = getattr(obj, "__dataclass_fields__", None)
    if fields is None:
        return
    for k in fields:
        v = getattr(obj, k)
        if isinstance(v, np.ndarray):
            yield prefix + k, v
        else:
            yield from _arrays(v, prefix + k + ".", depth + 1)


def test_a_loaded_grid_is_the_built_one_mapped(outlook, engine):
    built = outlook.grid(2027)
    gridcache.save(built, outlook, 2027)
    grid, maps = gridcache.load(outlook, 2027)
    assert maps, "the large arrays are memory-mapped"
    pairs = dict(_arrays(built))
    loaded = dict(_arrays(grid))
    assert pairs.keys() == loaded.keys() and len(pairs) > 10
    for k, a in pairs.items():
        assert a.shape == loaded[k].shape and a.dtype == loaded[k].dtype and np.array_equal(a, loaded[k]), k
    big = grid.generators.capacity_mw
    assert not big.flags.writeable and isinstance(big.base, np.memmap)
    gridcache.release(maps)
    assert np.array_equal(big, built.generators.capacity_mw)  # pages come back when read


def test_results_do_not_depend_on_the_disk_cache(outlook, engine):
    s = Settings(year=2026, samples=3, seed=4, policy="connect-and-manage", dc_added_gw={"DOM": 3.0, "REST": 0.0})
    mapped = engine.run(s)
    in_memory = Engine(outlook, disk_cache=False).run(s)
    for k in ("lole_d", "eue_mwh", "dc_curtailed_hours", "regions", "shortfall_month_hour"):
        assert mapped[k] == in_memory[k], k


def test_a_damaged_entry_is_rebuilt_and_keys_follow_the_assumptions(outlook, tmp_path, monkeypatch):
    monkeypatch.setenv(gridcache.CACHE_ENV, str(tmp_path))
    e = Engine(outlook, max_grids=1)
    g1 = e.grid(2026)
    folder = tmp_path / gridcache.key(outlook, 2026)
    assert (folder / "grid.pkl").exists() and len(list(folder.glob("*.npy"))) >= 2
    (folder / "grid.pkl").write_bytes((folder / "grid.pkl").read_bytes()[:100])
    assert gridcache.load(outlook, 2026) is None and not folder.exists()
    g2 = Engine(outlook).grid(2026)
    assert np.array_equal(g1.generators.failure_prob, g2.generators.failure_prob)
    other = dataclasses.replace(outlook, weather_years=outlook.weather_years[:1])
    assert gridcache.key(other, 2026) != gridcache.key(outlook, 2026) != gridcache.key(outlook, 2027)
    assert not list(tmp_path.glob(".tmp-*"))  # nothing half-written is left


def test_a_run_frees_the_kernel_tables_of_grids_no_longer_kept(outlook, tmp_path, monkeypatch):
    from gigawatt.methods import sequential

    monkeypatch.setenv(gridcache.CACHE_ENV, str(tmp_path))
    e = Engine(outlook, max_grids=1)
    e.run(Settings(year=2026, samples=1))
    kept = id(e.grid(2026).generators)
    assert any(k[0] == kept for k in sequential._DEVICE_CACHE)
    e.run(Settings(year=2027, samples=1))  # 2026 goes: its tables go with it
    now = id(e.grid(2027).generators)
    assert {k[0] for k in sequential._DEVICE_CACHE} == {now}
    assert {k[0] for k in sequential._CAPACITY_CACHE} <= {now}


def test_a_new_years_first_answer_comes_from_memory_and_the_grid_is_saved_after(outlook, tmp_path, monkeypatch):
    """``defer_save`` (the server's what-ifs): the first answer of a year never built comes from the grid in
    memory, with the same numbers; the grid is then saved to disk and its mapped copy takes its place, and the
    in-memory grid's kernel tables are let go."""
    from gigawatt.methods import sequential

    monkeypatch.setenv(gridcache.CACHE_ENV, str(tmp_path))
    s = Settings(year=2027, samples=2, seed=5)
    e = Engine(outlook, max_grids=2)
    first = e.run(s, defer_save=True)
    e.flush()
    folder = tmp_path / gridcache.key(outlook, 2027)
    assert (folder / "grid.pkl").exists()
    g = e.grid(2027)
    assert isinstance(g.generators.capacity_mw.base, np.memmap), "the mapped copy took the built grid's place"
    assert {k[0] for k in sequential._DEVICE_CACHE} <= {id(x.generators) for x in e._grids.values()}
    assert not e._unsaved and not e._savers
    again = e.run(s, defer_save=True)
    in_memory = Engine(outlook, disk_cache=False).run(s)
    for k in ("lole_d", "eue_mwh", "regions", "shortfall_month_hour"):
        assert first[k] == again[k] == in_memory[k], k
