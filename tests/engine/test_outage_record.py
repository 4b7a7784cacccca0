"""The grid's outages recorded once and read back (``SequentialMonteCarlo(reuse_outages=True)``): every
result is the same bits as a run that draws them, for the system that recorded them and for another
with other data centers on the same grid; grids whose outages cannot be read back draw them."""

import numpy as np
import pytest

from gigawatt import Generators, Interfaces, Regions, SequentialMonteCarlo, Storages, SystemModel, TimeAxis
from gigawatt.assess import Assessment
from gigawatt.datacenter.contracts import ConnectAndManage, Firm
from gigawatt.datacenter.order import DataCenterSite
from gigawatt.datacenter.power import Fleet, SitePower
from gigawatt.datacenter.resources import OnsiteGeneration, SiteBattery
from gigawatt.datacenter.system import DataCenterSystem
from gigawatt.execution import accumulators_equal
from gigawatt.methods import sequential as S
from gigawatt.systems import ieee_rts79

T = 24 * 60


def _grid(sd=0.0, storage_fails=False):
    """Two regions, 60 units (half of them with capacity that varies by period, as the PJM model's
    temperature derates), a battery in A, an interface; short in some hours, quiet in most."""
    rng = np.random.default_rng(7)
    n = 60
    regions = ["A"] * 30 + ["B"] * 30
    cap = np.repeat(rng.uniform(20.0, 80.0, n)[:, None], T, axis=1)
    hours = np.arange(T)
    cap[::2] *= 1.0 - 0.1 * (np.sin(2 * np.pi * hours / 24.0)[None, :] > 0.5)
    lam = np.repeat(rng.uniform(0.002, 0.02, n)[:, None], T, axis=1)
    lam[:10, 500:900] *= 3.0  # a cold spell: failure rates that vary in time
    day = 1.0 + 0.15 * np.sin(2 * np.pi * (hours - 6) / 24.0)
    load = np.vstack([1150.0 * day, 1000.0 * day])
    st = Storages(["bat"], None, ["A"], 50.0, 50.0, 200.0, failure_prob=0.01 if storage_fails else 0.0,
                  repair_prob=0.1, n_periods=T)
    return SystemModel(TimeAxis("2024-01-01", 1.0, T), Regions(["A", "B"], load),
                       Generators([f"g{i}" for i in range(n)], None, regions, cap, lam, 0.1, n_periods=T),
                       storages=st, interfaces=Interfaces(["A"], ["B"], 150.0, 150.0, n_periods=T),
                       load_forecast_sd=sd)


def _with_sites(grid, firm_mw=60.0):
    firm = DataCenterSite("firm", "A", SitePower((Fleet("H100", int(firm_mw * 1000 / 1.7)),)), Firm(),
                          battery=SiteBattery.megapack2xl(10), generation=OnsiteGeneration(3, 15.0))
    cm = DataCenterSite("cm", "B", SitePower((Fleet("H100", 40_000),)), ConnectAndManage())
    return DataCenterSystem(grid, (firm, cm))


def _run(system, n=6, threads=1, reuse=False, **kw):
    mc = SequentialMonteCarlo(seed=3, threads=threads, reuse_outages=reuse, **kw)
    return Assessment(system, mc).extend(n).accumulators()


@pytest.fixture(autouse=True)
def _fresh_records():
    S._OUTAGE_RECORDS.clear()
    yield
    S._OUTAGE_RECORDS.clear()


@pytest.mark.parametrize("sd", [0.0, 0.03])
def test_recorded_and_read_back_outages_give_the_same_bits(sd):
    grid = _grid(sd)
    dcs = _with_sites(grid)
    drawn = _run(dcs)
    assert drawn.lolp.sum() > 0 and drawn.site[:, 1, 0].sum() > 0  # short in some periods, the managed site called
    first = _run(dcs, reuse=True)  # records
    (comps, rec), = S._OUTAGE_RECORDS.values()
    assert rec.done[:6].all() and not rec.done[6:].any()
    assert accumulators_equal(first, drawn)
    assert accumulators_equal(_run(dcs, reuse=True), drawn)  # reads back
    assert accumulators_equal(_run(dcs, threads=2, reuse=True, chunk_seconds=1e-4), drawn)
    # other data centers on the same grid read the same record, and get what drawing gives them
    other = _with_sites(grid, firm_mw=140.0)
    assert accumulators_equal(_run(other, reuse=True), _run(other))
    # the grid alone (no sites: the kernel without the data-center step), more samples than were recorded
    assert accumulators_equal(_run(grid, n=9, reuse=True), _run(grid, n=9))
    assert accumulators_equal(_run(grid, n=9, reuse=True), _run(grid, n=9))
    # dense runs dispatch every period, with the record too
    a = Assessment(grid, SequentialMonteCarlo(seed=3, threads=1, reuse_outages=True), dense=True).extend(6)
    b = Assessment(grid, SequentialMonteCarlo(seed=3, threads=1), dense=True).extend(6)
    assert accumulators_equal(a.accumulators(), b.accumulators())


def test_a_chunk_run_again_for_its_event_buffer_reads_back_what_it_recorded(monkeypatch):
    # a chunk whose curtailment-event buffer overflows runs again: the first pass recorded its samples, the
    # second reads them back, with the same bits as drawing
    dcs = _with_sites(_grid())
    drawn = _run(dcs)
    monkeypatch.setattr(S, "EVENTS_PER_SAMPLE_MIN", 0.01)
    prep = S.prepare(dcs)
    prep.outages = S.outage_record(prep, 3)
    prep.events_hint = 1e-3  # far too few: overflow, run again
    again = S.run_chunk(prep, 3, 0, 6, 1, False)
    assert drawn.dc_events.shape[0] > 6  # more events than the small buffer holds
    assert prep.outages.done[:6].all()
    assert accumulators_equal(again, drawn)


def test_the_record_is_the_capacity_out_of_each_region():
    grid = _grid()
    _run(grid, n=2, reuse=True)
    (comps, rec), = S._OUTAGE_RECORDS.values()
    trace = S.trace_sample(grid, 3, sample=1)  # the traced sample: available capacity by region and period
    cap = grid.generators.capacity_mw
    total = np.vstack([cap[:30].sum(axis=0), cap[30:].sum(axis=0)]).T
    np.testing.assert_allclose(rec.out_mw[1], total - trace.available_mw.values, atol=1e-9)
    assert rec.out_mw[1].max() > 0


def test_a_record_is_kept_per_grid_and_seed_and_forgotten_with_its_grid():
    g1, g2 = _grid(), _grid()
    _run(g1, n=2, reuse=True)
    _run(g1, n=2, reuse=True)
    assert len(S._OUTAGE_RECORDS) == 1
    Assessment(g1, SequentialMonteCarlo(seed=4, reuse_outages=True)).extend(2)
    _run(g2, n=2, reuse=True)
    assert len(S._OUTAGE_RECORDS) == S.OUTAGE_RECORDS_MAX  # the oldest went
    S.forget_prepared(keep=[g2.generators])
    assert len(S._OUTAGE_RECORDS) == 1


def test_a_record_passes_to_the_same_grid_in_other_objects():
    import pickle

    g1 = _grid()
    drawn = _run(g1, n=3, reuse=True)
    g2 = pickle.loads(pickle.dumps(g1))  # as the what-if server's copy read back from its disk cache
    S.rekey_outage_records(g1, g2)
    (comps, rec), = S._OUTAGE_RECORDS.values()
    assert comps[0] is g2.generators and rec.done[:3].all()
    kept = rec.out_mw[:3].copy()
    rec.out_mw[:3] += 50.0  # read back, not drawn again: the record's values show in the results
    assert not accumulators_equal(_run(g2, n=3, reuse=True), drawn)
    rec.out_mw[:3] = kept
    assert accumulators_equal(_run(g2, n=3, reuse=True), drawn)
    assert len(S._OUTAGE_RECORDS) == 1


def test_reuse_outages_takes_a_bool():
    from gigawatt.errors import InputError

    with pytest.raises(InputError, match="reuse_outages"):
        SequentialMonteCarlo(seed=1, reuse_outages="yes")


def test_grids_whose_outages_cannot_be_read_back_draw_them():
    three = ieee_rts79()  # one region
    prep = S.prepare(three)
    assert S.outage_record(prep, 1) is None
    assert S.outage_record(S.prepare(_grid(storage_fails=True)), 1) is None  # storage outages
    assert S.outage_record(S.prepare(_grid()), 1) is not None
    S._OUTAGE_RECORDS.clear()
    assert accumulators_equal(_run(three, n=4, reuse=True), _run(three, n=4))
    assert not S._OUTAGE_RECORDS
