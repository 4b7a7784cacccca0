"""What a run keeps by period (``periods``): ``"lolp"`` keeps the system's shortfall count of every period
and nothing else by period, and leaves every other result as ``"all"`` gives it, bit for bit."""

import numpy as np
import pytest

from gigawatt import Assessment, SequentialMonteCarlo, Shortfall
from gigawatt.errors import InputError
from gigawatt.execution.checkpoint import run_key
from gigawatt.methods.sequential import _BY_PERIOD, Accumulators, prepare, run_chunk
from gigawatt.systems import ieee_rts79


def _kept_the_same(full, lolp):
    for name in Accumulators._PER_SAMPLE + Accumulators._SUMS:
        a, b = getattr(full, name), getattr(lolp, name)
        if name in _BY_PERIOD:
            assert a is not None and a.shape[-1] > 0 and b is None, name
        else:
            assert (a is None and b is None) or np.array_equal(a, b), name


@pytest.mark.parametrize("threads", [1, 2])
def test_lolp_keeps_the_count_by_period_and_every_other_result(rts_dc, threads):
    # both kernels: with the data-center step (rts_dc) and without (the grid alone, RTS-79)
    for system, n in ((rts_dc, 6), (rts_dc.system, 6), (ieee_rts79(), 20)):
        prep = prepare(system)
        full = run_chunk(prep, 3, 0, n, threads, False)
        lolp = run_chunk(prep, 3, 0, n, threads, False, periods="lolp")
        assert full.short_t.sum() > 0  # short in some periods: the sums are written
        _kept_the_same(full, lolp)


def test_the_shortfall_result_of_a_lolp_run(rts_dc):
    mc = SequentialMonteCarlo(seed=2, threads=1)
    full = Assessment(rts_dc, mc).extend(5).results(Shortfall())
    lolp = Assessment(rts_dc, mc, periods="lolp").extend(5).results(Shortfall())
    assert set(lolp.period.data_vars) == {"lolp", "lolp_stderr"}
    assert set(full.period.data_vars) > {"lolp", "lolp_stderr", "eue_mwh", "region_lolp"}
    for v in ("lolp", "lolp_stderr"):
        assert np.array_equal(full.period[v].values, lolp.period[v].values)
    assert full.to_dict() == lolp.to_dict()


def test_lolp_runs_in_timed_chunks_and_from_checkpoints(rts_dc, tmp_path):
    whole = Assessment(rts_dc, SequentialMonteCarlo(seed=5, threads=1), periods="lolp").extend(6).accumulators()
    timed = Assessment(rts_dc, SequentialMonteCarlo(seed=5, threads=1, chunk_seconds=1e-4), periods="lolp")
    _kept_the_same(Assessment(rts_dc, SequentialMonteCarlo(seed=5, threads=1)).extend(6).accumulators(),
                   timed.extend(6).accumulators())
    mc = SequentialMonteCarlo(seed=5, threads=1, chunk_size=2, checkpoint_dir=tmp_path)
    first = Assessment(rts_dc, mc, periods="lolp").extend(6).accumulators()
    again = Assessment(rts_dc, mc, periods="lolp")
    again.extend(6)
    assert again.run.reused_samples == 6  # every chunk read back, none run
    for acc in (first, again.accumulators()):
        _kept_the_same(Assessment(rts_dc, SequentialMonteCarlo(seed=5, threads=1)).extend(6).accumulators(), acc)
        assert np.array_equal(acc.short_t, whole.short_t)
    # a run of every period is another run: it does not read the chunks of a "lolp" one
    full = Assessment(rts_dc, mc)
    full.extend(6)
    assert full.run.reused_samples == 0 and full.accumulators().eue_t is not None
    prep = prepare(rts_dc)
    assert run_key(prep, 5, False) != run_key(prep, 5, False, "lolp")


def test_an_unknown_periods_is_refused():
    with pytest.raises(InputError, match="periods"):
        Assessment(ieee_rts79(), SequentialMonteCarlo(seed=1), periods="eue")
